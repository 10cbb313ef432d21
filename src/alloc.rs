//! One setting of the C allocator, made before anything is allocated.
//!
//! glibc serves an allocation above its mmap threshold (128 KiB) from a
//! mapping of its own, given back when freed, but raises the threshold to the
//! size of each such block freed (up to 32 MiB). After the first large vector
//! of a scan is freed, later ones (the list of 100,000 inputs, its parsed
//! sources) come from the heap, and the holes they leave keep pages resident
//! that nothing uses: a scan of 100,000 small files held 285 MB resident for
//! 190 MB allocated. Setting the threshold fixes it at its default and turns
//! the adjustment off (241 MB; benches/RESULTS.md). Elsewhere this does nothing.
//! This module never allocates.

/// Fixes glibc's mmap threshold at 128 KiB (see the module docs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // the one unsafe call of the workspace (`unsafe_code = "deny"`)
pub fn tune() {
    // From <malloc.h>.
    const M_MMAP_THRESHOLD: libc::c_int = -3;
    // SAFETY: `mallopt` only sets an allocator parameter; it is called once,
    // first in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(M_MMAP_THRESHOLD, 128 << 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}
