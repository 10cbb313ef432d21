//! How the entries of a list, a map and a struct are handed to serde: each
//! with the deserializer of its node and its path; hidden nodes left out; a key
//! written twice read at its first place; a struct's unknown keys reported (or
//! ignored) and skipped, by the type's own key list.
//!
//! This module never reads a value itself.

use std::cell::RefCell;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed};

use super::node::{Kind, Node};
use super::problem::{Error, Problem, UnknownKeys};
use super::reading::{NodeDe, Path, Sink};

/// The items of a list, each with its own deserializer; hidden items are left out.
pub(super) struct SeqAccess<'de, 'a> {
    pub items: std::iter::Enumerate<std::slice::Iter<'de, Node>>,
    pub path: Path<'a>,
    pub sink: &'a Sink<'de, 'a>,
}

impl<'de, 'a> SeqAccess<'de, 'a> {
    pub fn new(items: &'de [Node], path: Path<'a>, sink: &'a Sink<'de, 'a>) -> Self {
        SeqAccess {
            items: items.iter().enumerate(),
            path,
            sink,
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        for (i, item) in self.items.by_ref() {
            if self.sink.is_hidden(item) {
                continue;
            }
            let de = NodeDe {
                node: item,
                key_pos: item.pos,
                path: Path::Index(&self.path, i),
                sink: self.sink,
            };
            return seed.deserialize(de).map(Some);
        }
        Ok(None)
    }
}

/// The entries of a map read as a map (keys of any type); a key written twice
/// is read at its first place.
pub(super) struct MapAccess<'de, 'a> {
    pub entries: std::slice::Iter<'de, (Node, Node)>,
    pub seen: Vec<&'de str>,
    pub pending: Option<&'de (Node, Node)>,
    pub path: Path<'a>,
    pub sink: &'a Sink<'de, 'a>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for entry in self.entries.by_ref() {
            let (key, value) = entry;
            let name = key.written();
            if self.seen.contains(&name) || self.sink.is_hidden(value) {
                continue;
            }
            self.seen.push(name);
            self.pending = Some(entry);
            let de = NodeDe {
                node: key,
                key_pos: key.pos,
                path: self.path,
                sink: self.sink,
            };
            return seed.deserialize(de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value read before its key"));
        };
        seed.deserialize(NodeDe {
            node: value,
            key_pos: key.pos,
            path: Path::Key(&self.path, key.written()),
            sink: self.sink,
        })
    }
}

/// The entries of a map read as a struct: unknown keys are reported (or
/// ignored) and skipped, a key written twice is read at its first place.
pub(super) struct StructAccess<'de, 'a> {
    pub entries: std::slice::Iter<'de, (Node, Node)>,
    pub part: &'static str,
    pub fields: &'static [&'static str],
    pub seen: Vec<&'de str>,
    /// Keys left out with their hidden value.
    pub hidden_keys: &'a RefCell<Vec<&'de str>>,
    pub pending: Option<&'de (Node, Node)>,
    pub path: Path<'a>,
    pub sink: &'a Sink<'de, 'a>,
}

impl<'de> de::MapAccess<'de> for StructAccess<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for entry in self.entries.by_ref() {
            let (key, value) = entry;
            let name = key.written();
            if !self.fields.contains(&name) {
                if self.sink.unknown == UnknownKeys::Report {
                    self.sink.push(Problem::UnknownKey {
                        pos: key.pos,
                        key: key.text().unwrap_or_default(),
                        part: self.part,
                        expected: self.fields,
                    });
                }
                continue;
            }
            if self.seen.contains(&name) {
                continue;
            }
            self.seen.push(name);
            if self.sink.is_hidden(value) {
                self.hidden_keys.borrow_mut().push(name);
                continue;
            }
            self.pending = Some(entry);
            let key_de: BorrowedStrDeserializer<'de, Error> = BorrowedStrDeserializer::new(name);
            return seed.deserialize(key_de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom("a map value read before its key"));
        };
        seed.deserialize(NodeDe {
            node: value,
            key_pos: key.pos,
            path: Path::Key(&self.path, key.written()),
            sink: self.sink,
        })
    }
}

impl<'de> NodeDe<'de, '_> {
    /// The entries of this node (none when it is not a map), read as a map.
    pub(super) fn map_access(&self) -> MapAccess<'de, '_> {
        let entries: &'de [(Node, Node)] = match &self.node.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        };
        MapAccess {
            entries: entries.iter(),
            seen: Vec::new(),
            pending: None,
            path: self.path,
            sink: self.sink,
        }
    }
}
