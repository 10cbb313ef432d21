//! The progress bar of `logscan scan` on stderr: bytes read, the mean rate
//! and the input being read, drawn only when a person is watching.
//!
//! It appears only when stderr is a terminal, the report does not go as JSON
//! to a pipe, and the scan is still running after [`DELAY`]; it is cleared
//! before the report is printed. It reads the engine's
//! [`Progress`](logscan_engine::progress::Progress) counters from its own
//! thread and never touches the scan.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use logscan_engine::progress::Progress;

/// Scans shorter than this never show a bar.
pub const DELAY: Duration = Duration::from_millis(1000);
const TICK: Duration = Duration::from_millis(100);

/// Whether a bar may be drawn: stderr is a terminal, and a JSON report does not
/// go to a pipe (a script reads it; its stderr is often a terminal too).
pub fn wanted(json: bool) -> bool {
    std::io::stderr().is_terminal() && (!json || std::io::stdout().is_terminal())
}

/// A running bar (or nothing); [`Bar::finish`] clears it.
pub struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts watching `progress` when `enabled` (see [`wanted`]).
    pub fn start(progress: &Arc<Progress>, enabled: bool) -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = enabled.then(|| {
            let (progress, stop) = (Arc::clone(progress), Arc::clone(&stop));
            std::thread::spawn(move || draw(&progress, &stop))
        });
        Bar { stop, thread }
    }

    /// Stops and clears the bar (a no-op when none was drawn).
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn draw(progress: &Progress, stop: &AtomicBool) {
    let start = Instant::now();
    while start.elapsed() < DELAY {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(TICK);
    }
    // Start from what was read already, so the rate is not one huge first step.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_position(progress.snapshot().done)
        .with_elapsed(start.elapsed());
    bar.set_style(style());
    while !stop.load(Ordering::Relaxed) {
        let s = progress.snapshot();
        if s.total > 0 {
            bar.set_length(s.total.max(s.done));
        }
        bar.set_position(s.done);
        // The mean rate since the scan began (indicatif's estimate starts from
        // the bytes read before the bar appeared, as if read in no time).
        let secs = start.elapsed().as_secs_f64().max(0.001);
        let rate = HumanBytes((s.done as f64 / secs) as u64);
        bar.set_message(format!("{rate}/s  {}", s.current));
        std::thread::sleep(TICK);
    }
    bar.finish_and_clear();
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {elapsed} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_bar_starts_no_thread() {
        let bar = Bar::start(&Progress::new(), false);
        assert!(bar.thread.is_none());
        bar.finish();
    }
}
