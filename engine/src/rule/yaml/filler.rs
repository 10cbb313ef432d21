//! Stand-in values: any type read from nothing, for reading on after a
//! problem (a struct written as something else gets every field filled); and
//! the probe that lists every struct a type is read through, with its keys
//! ([`shapes`]): the key lists come from the types.
//!
//! A stand-in is never a value anyone uses: it only lets a reading go on.

use std::cell::RefCell;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

use super::node::Pos;
use super::problem::Error;
use super::spanned::{self, NODE_NAME, SPANNED_NAME};

/// A stand-in value of any type (after a problem), or every field of a struct
/// filled with stand-ins; with `shapes`, a probe that lists every struct it fills.
pub(super) struct Filler<'p> {
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

/// A struct's Rust name and its keys (serde's `FIELDS`), in declaration order.
pub type Shape = (&'static str, &'static [&'static str]);

/// Every struct `T` is read through (`T` first, then the types of its fields,
/// each once), with its keys: the key lists come from the types.
pub fn shapes<T: de::DeserializeOwned>() -> Vec<Shape> {
    let found = RefCell::new(Vec::new());
    let _ = T::deserialize(Filler {
        shapes: Some(&found),
    });
    found.into_inner()
}

/// Fills the fields of a struct that was written as something else.
pub(super) struct FillerFields<'p> {
    fields: std::slice::Iter<'static, &'static str>,
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

impl Filler<'_> {
    pub(super) fn fields(fields: &'static [&'static str]) -> FillerFields<'static> {
        FillerFields {
            fields: fields.iter(),
            shapes: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for FillerFields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.fields.next() {
            Some(name) => {
                let key: BorrowedStrDeserializer<'de, Error> = BorrowedStrDeserializer::new(name);
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Filler {
            shapes: self.shapes,
        })
    }
}

/// One stand-in item (a probe looks inside lists).
struct FillerItems<'p> {
    left: usize,
    shapes: Option<&'p RefCell<Vec<Shape>>>,
}

impl<'de> de::SeqAccess<'de> for FillerItems<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Filler {
            shapes: self.shapes,
        })
        .map(Some)
    }
}

macro_rules! filler_scalars {
    ($($method:ident $visit:ident $value:expr;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                visitor.$visit($value)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Filler<'_> {
    type Error = Error;

    filler_scalars! {
        deserialize_bool visit_bool false;
        deserialize_i8 visit_i8 0;
        deserialize_i16 visit_i16 0;
        deserialize_i32 visit_i32 0;
        deserialize_i64 visit_i64 0;
        deserialize_u8 visit_u8 0;
        deserialize_u16 visit_u16 0;
        deserialize_u32 visit_u32 0;
        deserialize_u64 visit_u64 0;
        deserialize_f32 visit_f32 0.0;
        deserialize_f64 visit_f64 0.0;
        deserialize_char visit_char ' ';
        deserialize_str visit_borrowed_str "";
        deserialize_string visit_borrowed_str "";
        deserialize_bytes visit_borrowed_str "";
        deserialize_byte_buf visit_borrowed_str "";
        deserialize_identifier visit_borrowed_str "";
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.shapes {
            Some(_) => visitor.visit_some(self),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(FillerItems {
            left: usize::from(self.shapes.is_some()),
            shapes: self.shapes,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(FillerFields {
            fields: [].iter(),
            shapes: self.shapes,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == NODE_NAME {
            let null = super::node::parse("~").ok().flatten();
            if let Some(null) = null {
                spanned::hand_over_node(null);
            }
            return visitor.visit_unit();
        }
        if name == SPANNED_NAME {
            spanned::hand_over_pos(Pos::default(), Pos::default());
            return visitor.visit_newtype_struct(self);
        }
        if let Some(shapes) = self.shapes {
            let mut list = shapes.borrow_mut();
            if !list.iter().any(|(n, _)| *n == name) {
                list.push((name, fields));
            }
        }
        visitor.visit_map(FillerFields {
            fields: fields.iter(),
            shapes: self.shapes,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let first: BorrowedStrDeserializer<'de, Error> =
            BorrowedStrDeserializer::new(variants.first().copied().unwrap_or(""));
        visitor.visit_enum(first)
    }
}
