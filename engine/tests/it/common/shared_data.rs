//! The one rule for data in `../shared/data` beside the checkout (never committed), for
//! both test crates (the root crate's `tests/it/common` includes this file by path): a test
//! reads it only through [`shared_data`] and [`shared_files`]; with `CI=true` missing data
//! fails the test with a message naming the path, elsewhere the test prints that it skipped.

use std::path::{Path, PathBuf};

/// The workspace root: the nearest folder above the crate that holds `Cargo.lock`.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("the crate is inside the workspace")
        .to_path_buf()
}

/// `../shared/data/<relative>` beside the checkout, when it is there. When it
/// is not, the test fails under `CI=true` (CI lays `shared/` beside its clone)
/// and otherwise prints a note and gets `None`, to skip.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = workspace().join("../shared/data").join(relative);
    present_or_skipped(path, shared_data_required())
}

/// `path` when it exists; else a failure naming it when `required`, or a
/// printed note and `None`.
pub fn present_or_skipped(path: PathBuf, required: bool) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let shown = path.display();
    assert!(
        !required,
        "{shown} is missing: with CI=true the shared data beside the checkout is required"
    );
    println!("skipped: {shown} is absent (with CI=true this is a failure)");
    None
}

/// The files directly in the shared folder `relative` that `keep` accepts,
/// sorted; `None` as for [`shared_data`]. A folder that is there but holds no
/// such file fails the test: a loop over it must check something.
pub fn shared_files(relative: &str, keep: impl Fn(&Path) -> bool) -> Option<Vec<PathBuf>> {
    let dir = shared_data(relative)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| keep(path))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "{} holds none of the files this test reads",
        dir.display()
    );
    Some(files)
}

/// Whether missing shared data is a failure: under CI (`CI=true` or `CI=1`).
pub fn shared_data_required() -> bool {
    required_by_ci(std::env::var("CI").ok().as_deref())
}

/// Whether the value of `CI` (if set) makes shared data required.
pub fn required_by_ci(ci: Option<&str>) -> bool {
    matches!(ci, Some("true" | "1"))
}
