//! Jackson's conversion of the loaded template ([`super::load`]) into a Pod: each scalar is
//! coerced to the type of its field, as fabric8's mapper coerces it (`testdata/yaml-scalars/`
//! holds Spark's results, `TABLE.md` the rules): any scalar into a string (doubles as Java
//! prints them), integers from doubles (truncated) and from decimal strings, booleans from
//! `true`/`false` strings and from integers.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::load::Node;

/// Why a value does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoerceError {
    message: String,
    /// The value is the string `""` or `"null"` where a number or a boolean is expected, which
    /// Jackson reads as no value: the caller unsets the field and reads again.
    pub no_value: bool,
}

impl CoerceError {
    fn new(message: impl Into<String>) -> Self {
        CoerceError {
            message: message.into(),
            no_value: false,
        }
    }
}

impl fmt::Display for CoerceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CoerceError {}

impl de::Error for CoerceError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CoerceError::new(msg.to_string())
    }
}

/// The error for `""` or `"null"` where a number or boolean is expected.
fn no_value(s: &str, expected: &str) -> CoerceError {
    CoerceError {
        message: format!("the string {s:?} where {expected} is expected"),
        no_value: true,
    }
}

/// A loaded node, read as a value of whatever type its field asks for.
#[derive(Clone, Copy)]
pub struct Coerce<'a>(pub &'a Node);

/// What a node is, for messages.
fn what(node: &Node) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Bool(b) => format!("the boolean {b}"),
        Node::Int(i) => format!("the integer {i}"),
        Node::BigInt(d) => format!("the integer {d}"),
        Node::Float(f) => format!("the number {}", crate::java::double_to_string(*f)),
        Node::Str(s) => format!("the string {s:?}"),
        Node::Binary(_) => "a !!binary value".into(),
        Node::Seq(_) => "a list".into(),
        Node::Map(_) => "a map".into(),
    }
}

fn refuse(node: &Node, expected: &str) -> CoerceError {
    CoerceError::new(format!(
        "{} where {expected} is expected (Spark refuses it)",
        what(node)
    ))
}

/// An integer of a string, as Jackson reads one: trimmed, an optional sign, decimal digits.
fn decimal(s: &str) -> Option<i128> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Longer than any i128: out of every range, which the caller reports.
    t.parse::<i128>().ok().or(Some(i128::MAX))
}

impl<'a> Coerce<'a> {
    /// The node as an integer in `[min, max]`.
    fn integer(self, min: i128, max: i128, java: &str) -> Result<i128, CoerceError> {
        let value = match self.0 {
            Node::Int(i) => i128::from(*i),
            Node::BigInt(d) => d.parse::<i128>().unwrap_or(i128::MAX),
            Node::Float(f) if f.is_nan() => 0,
            Node::Float(f) if f.is_finite() => f.trunc() as i128,
            Node::Str(s) if s.is_empty() || s == "null" => return Err(no_value(s, java)),
            Node::Str(s) => decimal(s).ok_or_else(|| {
                CoerceError::new(format!(
                    "the string {s:?} where {java} is expected: not a valid {java} (Spark refuses it)"
                ))
            })?,
            other => return Err(refuse(other, java)),
        };
        if value < min || value > max {
            return Err(CoerceError::new(format!(
                "{} is out of the range of {java} ({min} - {max}) (Spark refuses it)",
                match self.0 {
                    Node::Float(f) => crate::java::double_to_string(*f),
                    Node::Str(s) => s.trim().to_owned(),
                    Node::BigInt(digits) => digits.clone(),
                    _ => value.to_string(),
                }
            )));
        }
        Ok(value)
    }

    fn string(self) -> Result<String, CoerceError> {
        self.0
            .as_java_string()
            .ok_or_else(|| refuse(self.0, "a string"))
    }

    fn boolean(self) -> Result<bool, CoerceError> {
        match self.0 {
            Node::Bool(b) => Ok(*b),
            Node::Int(i) => Ok(*i != 0),
            Node::BigInt(_) => Ok(true),
            Node::Str(s) if s.is_empty() || s == "null" => Err(no_value(s, "a boolean")),
            Node::Str(s) => match s.trim() {
                "true" | "True" | "TRUE" => Ok(true),
                "false" | "False" | "FALSE" => Ok(false),
                _ => Err(CoerceError::new(format!(
                    "the string {s:?} where a boolean is expected: only \"true\" or \"false\" are recognised (Spark refuses it)"
                ))),
            },
            other => Err(refuse(other, "a boolean")),
        }
    }
}

macro_rules! integers {
    ($($method:ident $visit:ident $ty:ty, $java:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
            let value = self.integer(i128::from(<$ty>::MIN), i128::from(<$ty>::MAX), $java)?;
            visitor.$visit(<$ty>::try_from(value).map_err(de::Error::custom)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Coerce<'_> {
    type Error = CoerceError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Int(i) => visitor.visit_i64(*i),
            // Nothing that takes any value (an int-or-string) takes these.
            Node::BigInt(_) | Node::Binary(_) => Err(refuse(self.0, "an integer or a string")),
            Node::Float(f) => visitor.visit_f64(*f),
            Node::Str(s) => visitor.visit_str(s),
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Node::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        visitor.visit_bool(self.boolean()?)
    }

    integers! {
        deserialize_i8 visit_i8 i8, "a byte";
        deserialize_i16 visit_i16 i16, "a short";
        deserialize_i32 visit_i32 i32, "an int";
        deserialize_i64 visit_i64 i64, "a long";
        deserialize_u8 visit_u8 u8, "an unsigned byte";
        deserialize_u16 visit_u16 u16, "an unsigned short";
        deserialize_u32 visit_u32 u32, "an unsigned int";
        deserialize_u64 visit_u64 u64, "an unsigned long";
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Int(i) => visitor.visit_f64(*i as f64),
            Node::Float(f) => visitor.visit_f64(*f),
            Node::Str(s) => match s.trim().parse::<f64>() {
                Ok(f) => visitor.visit_f64(f),
                Err(_) => Err(refuse(self.0, "a number")),
            },
            other => Err(refuse(other, "a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            // A null item of a list or value of a map (`- null`, `team: null`): Spark sends
            // null, which the API server stores as "" (fields that may be absent never get
            // here: null leaves them unset).
            Node::Null => visitor.visit_string(String::new()),
            _ => visitor.visit_string(self.string()?),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            other => Err(refuse(other, "nothing")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        if name == "Quantity" {
            return visitor.visit_string(quantity(self.0)?);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Seq(items) => visitor.visit_seq(Items(items.iter())),
            other => Err(refuse(other, "a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            other => Err(refuse(other, "a map")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        match self.0 {
            Node::Map(_) => self.deserialize_map(visitor),
            other => Err(refuse(other, "an object")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, CoerceError> {
        visitor.visit_enum(self.string()?.into_deserializer())
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, CoerceError> {
        visitor.visit_unit()
    }
}

/// fabric8's `Quantity` from a loaded value: any scalar's text (as a string field gets it), or
/// a map's `amount` then `format`; an empty text, or one whose part from its first unit letter
/// holds a digit and ends with a letter (a date-time, say), is refused as fabric8 refuses it.
fn quantity(node: &Node) -> Result<String, CoerceError> {
    let text = match node {
        Node::Map(_) => match (node.get("amount"), node.get("format")) {
            (Some(amount), format) => {
                let amount = amount.as_java_string().unwrap_or_default();
                let format = format.and_then(Node::as_java_string).unwrap_or_default();
                format!("{amount}{format}")
            }
            _ => return Err(refuse(node, "a quantity")),
        },
        Node::Null => {
            return Err(CoerceError::new(
                "null where a quantity is expected (Spark sends null; spark-render refuses it)",
            ))
        }
        other => other
            .as_java_string()
            .ok_or_else(|| refuse(other, "a quantity"))?,
    };
    let invalid = || {
        CoerceError::new(format!(
            "{text:?} is not a valid quantity (Spark refuses it: Invalid quantity string format passed)"
        ))
    };
    if text.is_empty() {
        return Err(invalid());
    }
    // `Quantity.indexOfUnit`: the first of fabric8's unit letters starts the format.
    if let Some(start) = text.find(|c: char| "eEinumkKMGTP".contains(c)) {
        let unit = &text[start..];
        if unit.contains(|c: char| c.is_ascii_digit())
            && unit.ends_with(|c: char| c.is_ascii_alphabetic())
        {
            return Err(invalid());
        }
    }
    Ok(text)
}

/// A list's items.
struct Items<'a>(std::slice::Iter<'a, Node>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = CoerceError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, CoerceError> {
        self.0
            .next()
            .map(|item| seed.deserialize(Coerce(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// A map's entries.
struct Entries<'a> {
    entries: std::slice::Iter<'a, (String, Node)>,
    value: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = CoerceError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, CoerceError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key.as_str().into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, CoerceError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| CoerceError::new("a map value without its key"))?;
        seed.deserialize(Coerce(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::load::load;
    use serde::Deserialize;

    fn read<T: for<'de> Deserialize<'de>>(yaml: &str) -> Result<T, CoerceError> {
        let root = load(yaml, crate::template::load::Documents::SkipEmpty).expect("loads").root;
        T::deserialize(Coerce(root.get("a").expect("a value")))
    }

    #[test]
    fn scalars_become_strings_as_jackson_writes_them() {
        for (yaml, want) in [
            ("a: yes", "yes"),
            ("a: 1.50", "1.5"),
            ("a: 1e3", "1000.0"),
            ("a: .inf", "Infinity"),
            ("a: -0", "0"),
            ("a: 0x1F", "0x1F"),
            ("a: '007'", "007"),
            ("a: ~", "~"),
            ("a: true", "true"),
        ] {
            assert_eq!(read::<String>(yaml).as_deref(), Ok(want), "{yaml}");
        }
        assert!(read::<String>("a: [x]").is_err());
        assert_eq!(read::<Option<String>>("a: null"), Ok(None));
    }

    #[test]
    fn integers_come_from_numbers_and_decimal_strings() {
        for (yaml, want) in [
            ("a: 9090", 9090),
            ("a: '9090'", 9090),
            ("a: 30.0", 30),
            ("a: 1.99", 1),
            ("a: .nan", 0),
            ("a: +7", 7),
            ("a: 007", 7),
            ("a: ' 7 '", 7),
        ] {
            assert_eq!(read::<i32>(yaml), Ok(want), "{yaml}");
        }
        for yaml in [
            "a: 0x1F",
            "a: 1_000",
            "a: yes",
            "a: 2147483648",
            "a: .inf",
            "a: true",
        ] {
            assert!(read::<i32>(yaml).is_err(), "{yaml}");
        }
        assert_eq!(read::<i64>("a: 2147483648"), Ok(2_147_483_648));
        let big = "a: 99999999999999999999999999999999999999999999";
        let err = read::<i32>(big).unwrap_err().to_string();
        assert!(
            err.contains("99999999999999999999999999999999999999999999"),
            "{err}"
        );
    }

    #[test]
    fn booleans_come_from_true_false_and_integers() {
        for (yaml, want) in [
            ("a: true", true),
            ("a: 'True'", true),
            ("a: 'FALSE'", false),
            ("a: 0", false),
            ("a: 123", true),
        ] {
            assert_eq!(read::<bool>(yaml), Ok(want), "{yaml}");
        }
        for yaml in ["a: yes", "a: 1.0", "a: '1'"] {
            assert!(read::<bool>(yaml).is_err(), "{yaml}");
        }
    }
}
