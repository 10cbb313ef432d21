//! Normalises the path of a member inside an archive into a safe, relative,
//! `/`-separated display path.
//!
//! Archive member names are untrusted: `../../etc/passwd`, `/abs/path`,
//! `C:\logs\a.log` and control characters all occur. Nothing is ever written
//! to disk, but the name is shown to users and drives format detection, so it
//! is made relative and plain. This module never touches the file system.

/// A member path made relative: `\` read as `/`, empty, `.` and `..`
/// components and a leading drive letter dropped, control characters shown as
/// `?`. The flag says whether the result differs from `raw`.
pub(crate) fn normalise(raw: &str) -> (String, bool) {
    let mut parts: Vec<String> = Vec::new();
    for (i, part) in raw.split(['/', '\\']).enumerate() {
        if part.is_empty() || part == "." || part == ".." {
            continue;
        }
        if i == 0 && is_drive(part) {
            continue;
        }
        parts.push(
            part.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect(),
        );
    }
    let mut out = parts.join("/");
    if out.is_empty() {
        out.push('_');
    }
    let changed = out != raw.trim_end_matches('/');
    (out, changed)
}

/// `C:` (a Windows drive prefix).
fn is_drive(part: &str) -> bool {
    let b = part.as_bytes();
    b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

#[cfg(test)]
mod tests {
    use super::normalise;

    fn n(raw: &str) -> (String, bool) {
        normalise(raw)
    }

    #[test]
    fn plain_relative_paths_are_kept() {
        assert_eq!(n("logs/mcp.log"), ("logs/mcp.log".to_string(), false));
        assert_eq!(n("logs/"), ("logs".to_string(), false));
    }

    #[test]
    fn parent_and_absolute_components_are_dropped() {
        assert_eq!(n("../../etc/passwd"), ("etc/passwd".to_string(), true));
        assert_eq!(n("/abs/path"), ("abs/path".to_string(), true));
        assert_eq!(n("./a/./b//c"), ("a/b/c".to_string(), true));
        assert_eq!(n("a/../b"), ("a/b".to_string(), true));
    }

    #[test]
    fn windows_paths_and_controls() {
        assert_eq!(n("C:\\logs\\a.log"), ("logs/a.log".to_string(), true));
        assert_eq!(n("x\u{7}y.log"), ("x?y.log".to_string(), true));
        assert_eq!(n(".."), ("_".to_string(), true));
        assert_eq!(n(""), ("_".to_string(), true));
    }
}
