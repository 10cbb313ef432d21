//! Expands the paths given by the user into inputs: files as given, folders
//! walked recursively (walkdir) with entries sorted by name, `-` as stdin.
//!
//! Symbolic links are followed, but a folder or file already reached (a link
//! loop, a link to a sibling, a path given twice) is read once and the repeat
//! is reported. Inside folders only regular files are read; pipes, sockets and
//! devices are reported, never opened (they could block). This module never
//! reads file contents.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
    let mut walker = Walker::default();
    for path in paths {
        walker.top(path);
    }
    walker.items
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

    fn top(&mut self, path: &Path) {
        if path.as_os_str() == "-" {
            if self.stdin {
                self.error("-", "standard input was already read; skipped");
            } else {
                self.stdin = true;
                self.items.push(Item::Input(Input::Stdin));
            }
            return;
        }
        let display = path.display().to_string();
        match fs::metadata(path) {
            Err(error) => self.error(display, io_message(&error)),
            Ok(metadata) if metadata.is_dir() => self.dir(path, &display),
            // Given explicitly: read whatever it is (a FIFO, `/dev/stdin`, ...).
            Ok(_) => self.file(path, display),
        }
    }

    fn file(&mut self, path: &Path, display: String) {
        if let Ok(canonical) = fs::canonicalize(path) {
            if let Some(first) = self.files.get(&canonical) {
                let message = format!("same file as {first}; skipped");
                self.error(display, message);
                return;
            }
            self.files.insert(canonical, display.clone());
        }
        self.items.push(Item::Input(Input::File {
            path: path.to_path_buf(),
            display,
        }));
    }

    /// Walks the folder `root` (shown as `display`) in sorted order, links
    /// followed: every regular file is an input, every folder already read,
    /// nested too deep, unreadable or not a file is an error at its place in
    /// the order.
    fn dir(&mut self, root: &Path, display: &str) {
        let mut entries = WalkDir::new(root)
            .follow_links(true)
            .max_depth(MAX_DEPTH + 1)
            .sort_by_file_name()
            .into_iter();
        // The folder being listed: errors reading its entries carry no path.
        let mut listing = display.to_string();
        while let Some(next) = entries.next() {
            let entry = match next {
                Ok(entry) => entry,
                Err(error) => {
                    self.walk_error(&error, &listing);
                    continue;
                }
            };
            let shown = if entry.depth() == 0 {
                display.to_string()
            } else {
                entry.path().display().to_string()
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                // Already opened by the walk: skipping it drops its entries
                // and any error listing them.
                if !self.enter(entry.path(), &shown, entry.depth()) {
                    entries.skip_current_dir();
                    continue;
                }
                listing = shown;
            } else if kind.is_file() {
                self.file(entry.path(), shown);
            } else {
                self.error(
                    shown,
                    "not a regular file (a pipe, socket or device); skipped",
                );
            }
        }
    }

    /// Whether the folder `dir` (shown as `display`, `depth` levels below
    /// the path given) is walked: not too deep, and not read already (by its
    /// canonical path); else an error says why.
    fn enter(&mut self, dir: &Path, display: &str, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            self.error(display, too_deep());
            return false;
        }
        match fs::canonicalize(dir) {
            Err(error) => {
                self.error(display, io_message(&error));
                false
            }
            Ok(canonical) => {
                let first = self.dirs.insert(canonical);
                if !first {
                    self.error(display, ALREADY_READ);
                }
                first
            }
        }
    }

    /// An error of the walk: a link loop (a folder already read), a link
    /// that cannot be followed, a folder that cannot be listed. One without a
    /// path is about the folder being listed, `listing`.
    fn walk_error(&mut self, error: &walkdir::Error, listing: &str) {
        let Some(path) = error.path() else {
            let message = error
                .io_error()
                .map_or_else(|| error.to_string(), io_message);
            return self.error(listing, message);
        };
        let shown = path.display().to_string();
        if error.loop_ancestor().is_some() {
            let message = if error.depth() > MAX_DEPTH {
                too_deep()
            } else {
                ALREADY_READ.to_string()
            };
            return self.error(shown, message);
        }
        let message = match error.io_error() {
            // The path is there: it is a folder that cannot be listed.
            Some(io) if fs::metadata(path).is_ok() => io_message(io),
            Some(io) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
                format!("broken symbolic link ({})", io_message(io))
            }
            Some(io) => io_message(io),
            None => error.to_string(),
        };
        self.error(shown, message);
    }
}

/// Why a folder is not walked: read already.
const ALREADY_READ: &str = "folder already read (a symbolic link loop or a repeated path); skipped";

/// Why a folder is not walked: too deep.
fn too_deep() -> String {
    format!("folder nested deeper than {MAX_DEPTH} levels; skipped")
}
