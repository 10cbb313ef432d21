//! Expands the paths given by the user into inputs: files as given, folders
//! walked recursively with entries sorted by name, `-` as stdin.
//!
//! Symbolic links are followed, but a folder or file already reached (a link
//! loop, a link to a sibling, a path given twice) is read once and the repeat
//! is reported. Inside folders only regular files are read; pipes, sockets and
//! devices are reported, never opened (they could block). This module never
//! reads file contents.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::{io_message, InputError};

/// Folders nested deeper than this below a given path are reported, not walked.
const MAX_DEPTH: usize = 128;

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    Stdin,
    File { path: PathBuf, display: String },
}

/// An input, or why a path yields none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    Input(Input),
    Error(InputError),
}

/// The inputs named by `paths`, in order; folders expanded in sorted order.
pub(crate) fn expand(paths: &[&Path]) -> Vec<Item> {
    let mut w = Walker::default();
    for p in paths {
        w.top(p);
    }
    w.items
}

#[derive(Default)]
struct Walker {
    items: Vec<Item>,
    dirs: HashSet<PathBuf>,
    /// Canonical path of each file read, with the display path it was read as.
    files: HashMap<PathBuf, String>,
    stdin: bool,
}

impl Walker {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.items.push(Item::Error(InputError::new(path, message)));
    }

    fn top(&mut self, p: &Path) {
        if p.as_os_str() == "-" {
            if self.stdin {
                self.error("-", "standard input was already read; skipped");
            } else {
                self.stdin = true;
                self.items.push(Item::Input(Input::Stdin));
            }
            return;
        }
        let display = p.display().to_string();
        match fs::metadata(p) {
            Err(e) => self.error(display, io_message(&e)),
            Ok(m) if m.is_dir() => self.dir(p, &display, 0),
            // Given explicitly: read whatever it is (a FIFO, `/dev/stdin`, ...).
            Ok(_) => self.file(p, display),
        }
    }

    fn file(&mut self, path: &Path, display: String) {
        if let Ok(canon) = fs::canonicalize(path) {
            if let Some(first) = self.files.get(&canon) {
                let message = format!("same file as {first}; skipped");
                self.error(display, message);
                return;
            }
            self.files.insert(canon, display.clone());
        }
        self.items.push(Item::Input(Input::File {
            path: path.to_path_buf(),
            display,
        }));
    }

    fn dir(&mut self, dir: &Path, display: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.error(
                display,
                format!("folder nested deeper than {MAX_DEPTH} levels; skipped"),
            );
            return;
        }
        match fs::canonicalize(dir) {
            Err(e) => return self.error(display, io_message(&e)),
            Ok(canon) => {
                if !self.dirs.insert(canon) {
                    return self.error(
                        display,
                        "folder already read (a symbolic link loop or a repeated path); skipped",
                    );
                }
            }
        }
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return self.error(display, io_message(&e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.file_name()),
                Err(e) => self.error(display, io_message(&e)),
            }
        }
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let shown = Path::new(display).join(&name).display().to_string();
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => self.dir(&path, &shown, depth + 1),
                Ok(m) if m.is_file() => self.file(&path, shown),
                Ok(_) => self.error(
                    shown,
                    "not a regular file (a pipe, socket or device); skipped",
                ),
                Err(e) => {
                    let link =
                        fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    let message = if link {
                        format!("broken symbolic link ({})", io_message(&e))
                    } else {
                        io_message(&e)
                    };
                    self.error(shown, message);
                }
            }
        }
    }
}
