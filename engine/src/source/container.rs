//! Tells containers (gzip, zip, tar) from plain inputs, by magic bytes first
//! and by name second, and names what a gzip stream holds.
//!
//! A name alone makes a container only for the container's own extension (a
//! damaged `.zip` is then reported as a corrupt zip, not as binary). Zip-based
//! documents and packages (`.docx`, `.jar`, ...) are not opened: their members
//! are not logs. This module never reads past the first 512 bytes.

/// What a stream of bytes is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Gzip,
    Zip,
    Tar,
    Plain,
}

/// Zip-based formats whose members are not logs.
const ZIP_DOCUMENTS: &[&str] = &[
    "docx", "xlsx", "pptx", "odt", "ods", "odp", "jar", "war", "apk", "epub", "vsix", "nupkg",
    "whl", "xpi", "msix", "appx",
];

/// The kind of `bytes` named `hint` (the member or file name, used for its extension).
pub(crate) fn sniff(hint: &str, bytes: &[u8]) -> Kind {
    let ext = extension(hint);
    let is = |e: &str| ext.as_deref() == Some(e);
    if bytes.starts_with(b"\x1f\x8b") || is("gz") || is("tgz") {
        Kind::Gzip
    } else if is_zip(bytes) {
        if ext.as_deref().is_some_and(|e| ZIP_DOCUMENTS.contains(&e)) {
            Kind::Plain
        } else {
            Kind::Zip
        }
    } else if is("zip") {
        Kind::Zip
    } else if is_tar(bytes) || is("tar") {
        Kind::Tar
    } else {
        Kind::Plain
    }
}

/// The name a gzip stream's content goes by: `a.tar.gz` and `a.tgz` hold
/// `a.tar`, `a.log.gz` holds `a.log`; another name is kept.
pub(crate) fn gunzipped_name(hint: &str) -> String {
    let lower = hint.to_ascii_lowercase();
    if lower.ends_with(".tgz") {
        let stem = hint.get(..hint.len() - 4).unwrap_or(hint);
        format!("{stem}.tar")
    } else if lower.ends_with(".gz") {
        hint.get(..hint.len() - 3).unwrap_or(hint).to_string()
    } else {
        // Magic bytes without the name: never read the content as gzip again.
        format!("{hint}.gunzipped")
    }
}

/// The lower-case extension of the last component of `hint`.
fn extension(hint: &str) -> Option<String> {
    let base = hint.rsplit(['/', '\\', '!']).next().unwrap_or(hint);
    let (_, ext) = base.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// A POSIX or GNU tar header: `ustar` at offset 257.
fn is_tar(bytes: &[u8]) -> bool {
    bytes.get(257..262) == Some(b"ustar".as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_magic_and_by_name() {
        assert_eq!(sniff("x.log", b"\x1f\x8b\x08"), Kind::Gzip);
        assert_eq!(sniff("x.log.GZ", b"junk"), Kind::Gzip);
        assert_eq!(sniff("bundle", b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(sniff("bundle.zip", b"not a zip"), Kind::Zip);
        assert_eq!(sniff("report.docx", b"PK\x03\x04rest"), Kind::Plain);
        assert_eq!(sniff("old.tar", b"v7"), Kind::Tar);
        let mut tar = vec![0u8; 512];
        tar[257..263].copy_from_slice(b"ustar\0");
        assert_eq!(sniff("noname", &tar), Kind::Tar);
        assert_eq!(sniff("a.zip!logs/mcp.log", b"hello\n"), Kind::Plain);
    }

    #[test]
    fn names_inside_gzip() {
        assert_eq!(gunzipped_name("b.tar.gz"), "b.tar");
        assert_eq!(gunzipped_name("b.TGZ"), "b.tar");
        assert_eq!(gunzipped_name("a.zip!x.log.gz"), "a.zip!x.log");
        assert_eq!(gunzipped_name("paste"), "paste.gunzipped");
    }
}
