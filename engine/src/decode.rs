//! STUB (replaced by the input helper's module): decodes raw bytes into a [`SourceText`].
use crate::text::SourceText;

/// Decodes `bytes` read from `path`.
pub fn decode(path: String, bytes: Vec<u8>) -> SourceText {
    SourceText::identity(path, String::from_utf8_lossy(&bytes).into_owned())
}
