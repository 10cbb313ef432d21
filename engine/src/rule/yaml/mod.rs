//! The one YAML reader of logscan: text to a positioned tree (`node`, over
//! yaml-rust2), and that tree to serde types (`de`, with the state of a reading
//! in `reading`, lists, maps and structs handed to serde in `access`, stand-ins
//! and the key-list probe in `filler`) with every problem (`problem`) at the
//! position of the node that failed; `spanned` keeps positions (and whole
//! nodes, such as matchers) inside those types.
//!
//! Each file is parsed once: the tree serves serde and the stages that read
//! positions alike. This module never decides what a value means (that is
//! `rule::compile` and `ruletest::schema`).

mod access;
pub mod de;
mod filler;
pub mod node;
mod problem;
mod reading;
pub mod spanned;

pub use de::{from_node, from_str, Outcome, Problem, UnknownKeys};
pub use node::{parse, Kind, Node, Pos, Scalar, Seg, YamlError};
pub use spanned::Spanned;
