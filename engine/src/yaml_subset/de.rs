//! Deserialising straight from a [`Tree`], with the visits `&serde_json::Value` makes.
//!
//! [`from_tree`] gives what `T::deserialize(&tree.into_value())` gives, without building the
//! [`Value`](serde_json::Value): each `deserialize_*` call answers with the same visitor call
//! `serde_json`'s `impl Deserializer for &Value` makes, mappings are visited in key order (a
//! [`Node::Map`] is sorted, as serde_json's map is), and strings are lent, as serde_json lends
//! them. It is exact only where it succeeds: any error, and any request the pod templates do
//! not need (enums, bytes, 128-bit integers, a struct read from a sequence), is
//! [`Unsupported`], and the caller then takes the [`Value`](serde_json::Value) path, which
//! also words the error.
//!
//! It also does what `serde_ignored` did on that path: it notes the fields the type skipped
//! (`deserialize_ignored_any`), by their path, when they hold something (not null, `{}` or
//! `[]`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{Node, Span, Tree};

/// Deserialises a `T` from the root of `tree`; `skipped` receives the paths
/// (`spec.containers[1].fooBar`) of the fields `T` does not know that hold a value.
pub(crate) fn from_tree<T: DeserializeOwned>(
    tree: &Tree<'_>,
    skipped: &mut Vec<String>,
) -> Result<T> {
    let found = RefCell::new(Vec::new());
    let value = T::deserialize(NodeDeserializer {
        node: tree.root(),
        tree,
        path: Path::Root,
        skipped: &found,
    })?;
    skipped.append(&mut found.into_inner());
    Ok(value)
}

/// The fast path does not answer; take the [`Value`](serde_json::Value) path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the serde_json::Value path")
    }
}

impl std::error::Error for Unsupported {}

impl de::Error for Unsupported {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Unsupported
    }
}

/// Where a node is, from the root: a chain of keys and indices.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    /// `spec.containers[1].fooBar`
    fn render(&self, out: &mut String) {
        match *self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.render(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// A node at a path, as a serde `Deserializer`.
struct NodeDeserializer<'de, 'p> {
    node: &'de Node<'de>,
    tree: &'de Tree<'de>,
    path: Path<'p>,
    skipped: &'p RefCell<Vec<String>>,
}

impl<'de, 'p> NodeDeserializer<'de, 'p> {
    fn visit_seq<V: Visitor<'de>>(self, items: Span, visitor: V) -> Result<V::Value> {
        let mut access = Items {
            items: self.tree.items(items).iter(),
            tree: self.tree,
            index: 0,
            path: self.path,
            skipped: self.skipped,
        };
        let value = visitor.visit_seq(&mut access)?;
        if access.items.len() == 0 {
            Ok(value)
        } else {
            Err(Unsupported)
        }
    }

    fn visit_map<V: Visitor<'de>>(self, entries: Span, visitor: V) -> Result<V::Value> {
        let mut access = Entries {
            entries: self.tree.entries(entries).iter(),
            tree: self.tree,
            value: None,
            path: self.path,
            skipped: self.skipped,
        };
        let value = visitor.visit_map(&mut access)?;
        if access.entries.len() == 0 {
            Ok(value)
        } else {
            Err(Unsupported)
        }
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match *self.node {
            Node::Unsigned(n) => visitor.visit_u64(n),
            Node::Negative(n) => visitor.visit_i64(n),
            Node::Float(f) => visitor.visit_f64(f),
            _ => Err(Unsupported),
        }
    }
}

type Result<T> = std::result::Result<T, Unsupported>;

macro_rules! numbers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.number(visitor)
        })*
    };
}

macro_rules! unsupported {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(Unsupported)
        })*
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'de, '_> {
    type Error = Unsupported;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Unsigned(_) | Node::Negative(_) | Node::Float(_) => self.number(visitor),
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Seq(items) => self.visit_seq(*items, visitor),
            Node::Map(entries) => self.visit_map(*entries, visitor),
        }
    }

    numbers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64);

    unsupported!(deserialize_i128 deserialize_u128 deserialize_bytes deserialize_byte_buf);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Unsupported)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Bool(b) => visitor.visit_bool(*b),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Str(s) => visitor.visit_borrowed_str(s),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Null => visitor.visit_unit(),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Seq(items) => self.visit_seq(*items, visitor),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Map(entries) => self.visit_map(*entries, visitor),
            _ => Err(Unsupported),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // serde_json also reads a struct from an array; no pod field needs it.
        self.deserialize_map(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let holds_something = match self.node {
            Node::Null => false,
            Node::Seq(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
            _ => true,
        };
        if holds_something {
            let mut path = String::new();
            self.path.render(&mut path);
            self.skipped.borrow_mut().push(path);
        }
        visitor.visit_unit()
    }
}

/// The items of a sequence, as a serde `SeqAccess`.
struct Items<'de, 'p> {
    items: std::slice::Iter<'de, Node<'de>>,
    tree: &'de Tree<'de>,
    index: usize,
    path: Path<'p>,
    skipped: &'p RefCell<Vec<String>>,
}

impl<'de> SeqAccess<'de> for Items<'de, '_> {
    type Error = Unsupported;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(node) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(NodeDeserializer {
            node,
            tree: self.tree,
            path: Path::Index(&self.path, index),
            skipped: self.skipped,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a mapping, as a serde `MapAccess`.
struct Entries<'de, 'p> {
    entries: std::slice::Iter<'de, (Cow<'de, str>, Node<'de>)>,
    tree: &'de Tree<'de>,
    /// The entry whose key was read last.
    value: Option<&'de (Cow<'de, str>, Node<'de>)>,
    path: Path<'p>,
    skipped: &'p RefCell<Vec<String>>,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Unsupported;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        seed.deserialize(KeyDeserializer { key: &entry.0 })
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let (key, node) = self.value.take().ok_or(Unsupported)?;
        seed.deserialize(NodeDeserializer {
            node,
            tree: self.tree,
            path: Path::Key(&self.path, key),
            skipped: self.skipped,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A mapping's key, as serde_json's map keys deserialise: a lent string. (serde_json also
/// reads numbers and booleans from keys; no pod field needs it.)
struct KeyDeserializer<'de> {
    key: &'de str,
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = Unsupported;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.key)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    unsupported!(deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64);

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Unsupported)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}
