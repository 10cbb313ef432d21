//! Values that keep where they were written: [`Spanned<T>`] (a value with the
//! position of its key and of itself) and [`Node`] itself (a part of the tree
//! kept whole, such as a matcher, for a later stage to read with positions).
//!
//! Both are read by `yaml::de` only, which recognises their reserved struct
//! names (as toml's `Spanned`) and hands the position or the node over through
//! a one-value slot of this thread, taken back at once by the visitor. Any
//! other deserializer gets an error. This module never reads YAML text.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::node::{Node, Pos};

/// The reserved struct name under which a [`Node`] is read.
pub(super) const NODE_NAME: &str = "$logscan::yaml::Node";
/// The reserved struct name under which a [`Spanned`] is read.
pub(super) const SPANNED_NAME: &str = "$logscan::yaml::Spanned";

thread_local! {
    static NODE_SLOT: RefCell<Option<Node>> = const { RefCell::new(None) };
    static POS_SLOT: Cell<Option<(Pos, Pos)>> = const { Cell::new(None) };
}

/// Called by the deserializer right before it visits a [`Node`].
pub(super) fn hand_over_node(node: Node) {
    NODE_SLOT.with(|slot| *slot.borrow_mut() = Some(node));
}

/// Called by the deserializer right before it visits a [`Spanned`].
pub(super) fn hand_over_pos(key_pos: Pos, pos: Pos) {
    POS_SLOT.with(|slot| slot.set(Some((key_pos, pos))));
}

const ONLY_HERE: &str = "a positioned YAML value is read only by `rule::yaml`";

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// Where its key was written (the item itself in a list, the node at the top).
    pub key_pos: Pos,
    /// Where the value was written.
    pub pos: Pos,
    pub value: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpannedVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
            type Value = Spanned<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(ONLY_HERE)
            }

            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Spanned<T>, D::Error> {
                // Taken before the value: a value may hold spanned values of its own.
                let Some((key_pos, pos)) = POS_SLOT.with(Cell::take) else {
                    return Err(de::Error::custom(ONLY_HERE));
                };
                let value = T::deserialize(d)?;
                Ok(Spanned {
                    key_pos,
                    pos,
                    value,
                })
            }
        }

        deserializer.deserialize_struct(SPANNED_NAME, &[], SpannedVisitor(PhantomData))
    }
}

/// A spanned value has the schema of its value.
impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;

        impl Visitor<'_> for NodeVisitor {
            type Value = Node;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(ONLY_HERE)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                NODE_SLOT
                    .with(|slot| slot.borrow_mut().take())
                    .ok_or_else(|| E::custom(ONLY_HERE))
            }
        }

        deserializer.deserialize_struct(NODE_NAME, &[], NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_deserializers_cannot_make_positions_up() {
        let err = serde_json::from_str::<Spanned<u32>>("3").unwrap_err();
        assert!(err.to_string().contains("positioned"), "{err}");
        let err = serde_json::from_str::<Node>("{}").unwrap_err();
        assert!(err.to_string().contains("positioned"), "{err}");
    }
}
