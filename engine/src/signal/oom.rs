//! Signal family stub: `oom_kill`, `kernel_panic` (reader to be written).
use crate::event::EventRef;
use crate::signal::{Family, Kind, Signal};

/// `oom_kill`: the kernel (or systemd-oomd) killed a process for memory.
pub static OOM_KILL: Family = Family {
    kind: Kind::OomKill,
    name: "oom_kill",
    about: "the kernel (or systemd-oomd) killed a process for memory",
    fields: &["victim", "pid", "cgroup", "by", "form"],
    literals: &[],
    read: read_oom_kill,
};

fn read_oom_kill<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}

/// `kernel_panic`: the kernel panicked.
pub static KERNEL_PANIC: Family = Family {
    kind: Kind::KernelPanic,
    name: "kernel_panic",
    about: "the kernel panicked",
    fields: &["reason", "exitcode"],
    literals: &[],
    read: read_kernel_panic,
};

fn read_kernel_panic<'a>(_ev: &EventRef<'a>, _out: &mut Vec<Signal<'a>>) {}
