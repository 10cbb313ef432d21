//! An error of the file being compiled, at its position: what every part of
//! the compiler produces and `rule::load` renders. Data only.

use crate::rule::yaml::Pos;

/// An error at a position of the file being compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub pos: Pos,
    /// How many characters to underline from `pos`; 0: the YAML token written there.
    pub len: u32,
    pub message: String,
}

impl Diag {
    /// An error about the token written at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> Diag {
        Diag {
            pos,
            len: 0,
            message: message.into(),
        }
    }
}
