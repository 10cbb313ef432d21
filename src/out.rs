//! Standard output for the commands that print with `write!`: a reader that
//! goes away (`logscan rules explain ... | head`) ends the output quietly.
//!
//! [`Out`] turns a broken pipe into the end of the output: the write that met
//! it and every later one succeed without writing, and [`Out::closed`] tells a
//! loop to stop. Any other write error is returned as it is. This module must
//! never print to stderr or decide an exit code: `cmd::written` does that.

use std::io::{self, Write};

/// A writer that treats [`io::ErrorKind::BrokenPipe`] as the end of the output.
#[derive(Debug)]
pub struct Out<W: Write> {
    inner: W,
    closed: bool,
}

/// Standard output, locked, ending quietly on a closed pipe.
pub fn stdout() -> Out<io::StdoutLock<'static>> {
    Out::new(io::stdout().lock())
}

impl<W: Write> Out<W> {
    pub fn new(inner: W) -> Out<W> {
        Out {
            inner,
            closed: false,
        }
    }

    /// Whether the reader has gone away: nothing more will be written.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// `r`, or `Ok` when it failed because the reader went away (and from then on).
    fn quiet<T>(&mut self, r: io::Result<T>, ok: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(ok)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Out<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.quiet(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.quiet(r, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails every write with `kind`.
    struct Pipe {
        room: usize,
        got: Vec<u8>,
        kind: io::ErrorKind,
        calls_after_full: usize,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                self.calls_after_full += 1;
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn pipe(room: usize, kind: io::ErrorKind) -> Pipe {
        Pipe {
            room,
            got: Vec::new(),
            kind,
            calls_after_full: 0,
        }
    }

    #[test]
    fn a_closed_pipe_ends_the_output_quietly() {
        let mut out = Out::new(pipe(6, io::ErrorKind::BrokenPipe));
        for i in 0..100 {
            writeln!(out, "line {i}").expect("a broken pipe is not an error");
        }
        assert!(out.closed());
        out.flush().expect("flush after the end is quiet");
        assert_eq!(out.inner.got, b"line 0");
        // Only the first write after the pipe closed reached it.
        assert_eq!(out.inner.calls_after_full, 1);
    }

    #[test]
    fn other_write_errors_are_returned() {
        let mut out = Out::new(pipe(0, io::ErrorKind::PermissionDenied));
        let e = writeln!(out, "x").expect_err("not a broken pipe");
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(!out.closed());
    }
}
