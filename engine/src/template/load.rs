//! Loading a pod template's YAML as fabric8 6.7 loads it: snakeyaml-engine 2.6 with its JSON
//! schema builds plain values (maps, lists, strings, booleans, integers, doubles, null) that
//! Jackson then converts into a Pod ([`super::coerce`]). The rules, observed with the
//! reference renderer, are in `testdata/yaml-scalars/TABLE.md`.

use std::collections::{BTreeMap, HashMap};

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

/// The most values a template may hold once its aliases are expanded (an alias bomb is
/// refused; real templates hold hundreds).
const MAX_NODES: usize = 100_000;

/// A loaded YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A larger integer (a Java `BigInteger`), as its decimal digits.
    BigInt(String),
    /// A double, `.inf`, `-.inf` and `.nan` included.
    Float(f64),
    /// Every other scalar: quoted, block, or plain text that is no number, boolean or null.
    Str(String),
    /// A `!!binary` scalar, as its base64 text.
    Binary(String),
    /// A list.
    Seq(Vec<Node>),
    /// A map, its keys turned into strings as Jackson turns them, in document order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value of `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// How many nodes it holds.
    fn count(&self) -> usize {
        1 + match self {
            Node::Seq(items) => items.iter().map(Node::count).sum(),
            Node::Map(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// The string Jackson makes of it where a String is expected, when it is a scalar.
    pub fn as_java_string(&self) -> Option<String> {
        match self {
            Node::Bool(b) => Some(b.to_string()),
            Node::Int(i) => Some(i.to_string()),
            Node::BigInt(digits) => Some(digits.clone()),
            Node::Float(f) => Some(crate::java::double_to_string(*f)),
            Node::Str(s) | Node::Binary(s) => Some(s.clone()),
            Node::Null | Node::Seq(_) | Node::Map(_) => None,
        }
    }
}

/// A template document, with the line each value starts on (by field path, as
/// `spec.containers[0].image`).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document's root.
    pub root: Node,
    /// The line (from 1) of each value, by field path.
    pub lines: BTreeMap<String, usize>,
}

/// Why a template could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The line (from 1) where the problem is.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A collection being read.
enum Frame {
    Seq {
        items: Vec<Node>,
        anchor: usize,
        path: String,
    },
    Map {
        entries: Vec<(String, Node)>,
        keys: HashMap<String, Vec<Node>>,
        key: Option<String>,
        anchor: usize,
        path: String,
    },
}

/// How the documents of a template file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Documents {
    /// Empty documents (`---` alone) are skipped; one document has content (fabric8 6.7+).
    SkipEmpty,
    /// The file holds exactly one document (fabric8 6.4 and older: snakeyaml's `load`).
    ExactlyOne,
}

/// Loads the one YAML document of `text`.
pub fn load(text: &str, documents: Documents) -> Result<Loaded, LoadError> {
    let mut loader = Loader::default();
    let mut starts = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| scan_error(&e))?;
        loader.line = span.start.line();
        if let Event::DocumentStart(..) = event {
            starts += 1;
            if starts > 1 && documents == Documents::ExactlyOne {
                return Err(loader.error(
                    "expected a single document in the stream (this Spark release reads exactly one YAML document)",
                ));
            }
        }
        // The parser spells an empty value `~`; an empty value is null (`a:`), `~` is text.
        let event = match event {
            Event::Scalar(_, ScalarStyle::Plain, anchor, tag)
                if span.start.index() == span.end.index() =>
            {
                Event::Scalar("".into(), ScalarStyle::Plain, anchor, tag)
            }
            other => other,
        };
        loader.event(event)?;
    }
    match loader.root {
        Some(root) => Ok(Loaded {
            root,
            lines: loader.lines,
        }),
        None => Ok(Loaded {
            root: Node::Null,
            lines: loader.lines,
        }),
    }
}

fn scan_error(e: &ScanError) -> LoadError {
    LoadError {
        line: e.marker().line(),
        message: format!("not a valid YAML pod template: {}", e.info()),
    }
}

#[derive(Default)]
struct Loader {
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Node>,
    root: Option<Node>,
    nodes: usize,
    line: usize,
    lines: BTreeMap<String, usize>,
}

impl Loader {
    fn error(&self, message: impl Into<String>) -> LoadError {
        LoadError {
            line: self.line,
            message: message.into(),
        }
    }

    fn event(&mut self, event: Event<'_>) -> Result<(), LoadError> {
        match event {
            // fabric8 loads the one document with content: empty documents (`---` alone)
            // are skipped; a second document with content is refused (see `finish`).
            Event::DocumentStart(..) => {}
            Event::Scalar(text, style, anchor, tag) => {
                let node = scalar(&text, style, tag.as_deref()).map_err(|m| self.error(m))?;
                self.node(node, anchor)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                check_collection_tag(tag.as_deref(), "seq").map_err(|m| self.error(m))?;
                let path = self.child_path()?;
                self.open(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    path,
                })?;
            }
            Event::MappingStart(_, anchor, tag) => {
                check_collection_tag(tag.as_deref(), "map").map_err(|m| self.error(m))?;
                let path = self.child_path()?;
                self.open(Frame::Map {
                    entries: Vec::new(),
                    keys: HashMap::new(),
                    key: None,
                    anchor,
                    path,
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, .. }) => (Node::Seq(items), anchor),
                    Some(Frame::Map {
                        entries, anchor, ..
                    }) => (Node::Map(entries), anchor),
                    None => return Err(self.error("unbalanced YAML collection")),
                };
                self.finish(node, anchor)?;
            }
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| self.error("an alias to an anchor that is not defined"))?;
                self.nodes += node.count();
                if self.nodes > MAX_NODES {
                    return Err(self.error(format!(
                        "more than {MAX_NODES} values once its aliases are expanded"
                    )));
                }
                self.finish(node, 0)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), LoadError> {
        self.stack.push(frame);
        if self.stack.len() > super::MAX_DEPTH {
            return Err(self.error(format!(
                "the pod template nests deeper than {} levels",
                super::MAX_DEPTH
            )));
        }
        Ok(())
    }

    /// The path of the node about to start, recorded with its line.
    fn child_path(&mut self) -> Result<String, LoadError> {
        let path = match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, path, .. }) => format!("{path}[{}]", items.len()),
            Some(Frame::Map { key: None, .. }) => return Ok(String::new()),
            Some(Frame::Map {
                key: Some(key),
                path,
                ..
            }) => {
                if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                }
            }
        };
        self.lines.entry(path.clone()).or_insert(self.line);
        Ok(path)
    }

    /// A scalar node, possibly anchored.
    fn node(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        self.child_path()?;
        self.finish(node, anchor)
    }

    /// Puts a complete node where it belongs: the root, a list item, a map key or a value.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        self.nodes += 1;
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let line = self.line;
        match self.stack.last_mut() {
            None => match (&self.root, &node) {
                (_, Node::Null) if self.root.is_some() => {}
                (Some(root), _) if *root != Node::Null => {
                    return Err(self.error(
                        "a second YAML document: a pod template is one document (Spark refuses it)",
                    ));
                }
                _ => self.root = Some(node),
            },
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, keys, key, ..
            }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    let text = key_string(&node).map_err(|m| LoadError { line, message: m })?;
                    // Keys are equal as YAML nodes (`1` and `"1"` differ); those with one
                    // string are few, so they are kept together under it.
                    let same_text = keys.entry(text.clone()).or_default();
                    if same_text.contains(&node) {
                        return Err(LoadError {
                            line,
                            message: format!("duplicate key {text} (Spark refuses it)"),
                        });
                    }
                    same_text.push(node);
                    *key = Some(text);
                }
            },
        }
        Ok(())
    }
}

/// The string Jackson makes of a map key.
fn key_string(node: &Node) -> Result<String, String> {
    match node {
        Node::Null => {
            Err("a null map key (Spark refuses it: Null key for a Map not allowed in JSON)".into())
        }
        Node::Seq(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| key_string(i).unwrap_or_else(|_| "null".into()))
                .collect();
            Ok(format!("[{}]", items.join(", ")))
        }
        Node::Map(_) => Err("a map used as a map key".into()),
        scalar => Ok(scalar.as_java_string().unwrap_or_default()),
    }
}

/// `tag:yaml.org,2002:<suffix>` tags only, on nodes of their kind.
fn core_suffix(tag: &Tag) -> Option<&str> {
    (tag.handle() == "tag:yaml.org,2002:").then(|| tag.suffix())
}

fn unsupported_tag(tag: &Tag) -> String {
    format!(
        "the tag {}{} (Spark refuses it: could not determine a constructor)",
        if tag.handle() == "tag:yaml.org,2002:" {
            "!!"
        } else {
            tag.handle()
        },
        tag.suffix()
    )
}

fn check_collection_tag(tag: Option<&Tag>, kind: &str) -> Result<(), String> {
    match tag {
        None => Ok(()),
        Some(t) if t.handle() == "!" && t.suffix().is_empty() => Ok(()),
        Some(t) if core_suffix(t) == Some(kind) => Ok(()),
        Some(t) => Err(unsupported_tag(t)),
    }
}

/// A scalar as snakeyaml-engine's JSON schema resolves it (plain), or as its tag says.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Node, String> {
    if let Some(tag) = tag {
        if tag.handle() == "!" && tag.suffix().is_empty() {
            return Ok(Node::Str(text.to_owned()));
        }
        return match core_suffix(tag) {
            Some("str") => Ok(Node::Str(text.to_owned())),
            Some("null") => Ok(Node::Null),
            Some("bool") => match text {
                "true" => Ok(Node::Bool(true)),
                "false" => Ok(Node::Bool(false)),
                _ => Err(format!("!!bool {text:?} is not true or false")),
            },
            Some("int") => int(text.trim())
                .ok_or_else(|| format!("!!int {text:?} is not an integer (Spark refuses it)")),
            Some("float") => text
                .trim()
                .parse::<f64>()
                .map(Node::Float)
                .map_err(|_| format!("!!float {text:?} is not a number (Spark refuses it)")),
            Some("binary") => Ok(Node::Binary(
                text.chars().filter(|c| !c.is_whitespace()).collect(),
            )),
            _ => Err(unsupported_tag(tag)),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(Node::Str(text.to_owned()));
    }
    Ok(match text {
        "" | "null" => Node::Null,
        "true" => Node::Bool(true),
        "false" => Node::Bool(false),
        ".inf" => Node::Float(f64::INFINITY),
        "-.inf" => Node::Float(f64::NEG_INFINITY),
        ".nan" => Node::Float(f64::NAN),
        _ if is_json_int(text) => int(text).unwrap_or_else(|| Node::Str(text.to_owned())),
        _ if is_json_float(text) => text
            .parse::<f64>()
            .map_or_else(|_| Node::Str(text.to_owned()), Node::Float),
        _ => Node::Str(text.to_owned()),
    })
}

/// An integer: in 64 bits, else a big one (decimal digits, a sign kept only when negative).
fn int(text: &str) -> Option<Node> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0" } else { trimmed };
    let signed = if negative && digits != "0" {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    Some(match signed.parse::<i64>() {
        Ok(i) => Node::Int(i),
        Err(_) => Node::BigInt(signed),
    })
}

/// `-?(0|[1-9][0-9]*)`
fn is_json_int(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?`
fn is_json_float(text: &str) -> bool {
    let rest = text.strip_prefix('-').unwrap_or(text);
    let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if int_len == 0 || (int_len > 1 && rest.starts_with('0')) {
        return false;
    }
    let mut rest = &rest[int_len..];
    if let Some(fraction) = rest.strip_prefix('.') {
        rest = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        return !exponent.is_empty() && exponent.bytes().all(|b| b.is_ascii_digit());
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        load(text, Documents::SkipEmpty).expect("loads").root
    }

    #[test]
    fn plain_scalars_resolve_with_the_json_schema() {
        let cases = [
            ("true", Node::Bool(true)),
            ("True", Node::Str("True".into())),
            ("yes", Node::Str("yes".into())),
            ("null", Node::Null),
            ("~", Node::Str("~".into())),
            ("Null", Node::Str("Null".into())),
            ("-0", Node::Int(0)),
            ("+7", Node::Str("+7".into())),
            ("007", Node::Str("007".into())),
            ("0x1F", Node::Str("0x1F".into())),
            ("1_000", Node::Str("1_000".into())),
            (
                "9223372036854775808",
                Node::BigInt("9223372036854775808".into()),
            ),
            ("1.50", Node::Float(1.5)),
            ("1.", Node::Float(1.0)),
            ("1e3", Node::Float(1000.0)),
            (".5", Node::Str(".5".into())),
            ("2024-01-01", Node::Str("2024-01-01".into())),
        ];
        for (text, want) in cases {
            assert_eq!(root(&format!("a: {text}")).get("a"), Some(&want), "{text}");
        }
        assert_eq!(root("a:").get("a"), Some(&Node::Null));
        assert_eq!(root("a: '1'").get("a"), Some(&Node::Str("1".into())));
        assert!(matches!(root("a: .nan").get("a"), Some(Node::Float(f)) if f.is_nan()));
    }

    #[test]
    fn tags_anchors_keys_and_documents() {
        assert_eq!(
            root("a: !!str 123").get("a"),
            Some(&Node::Str("123".into()))
        );
        assert_eq!(root("a: !!int \"5\"").get("a"), Some(&Node::Int(5)));
        assert!(load("a: !!int abc", Documents::SkipEmpty).is_err());
        assert!(load("a: !custom x", Documents::SkipEmpty).is_err());
        assert!(load("a: !!python/object x", Documents::SkipEmpty).is_err());
        assert_eq!(
            root("b: &x {c: 1}\na: *x").get("a"),
            Some(&Node::Map(vec![("c".into(), Node::Int(1))]))
        );
        assert!(load("a: *nope", Documents::SkipEmpty).is_err());
        // Merge keys are ordinary keys.
        assert!(root("b: &x {c: 1}\na: {<<: *x}")
            .get("a")
            .unwrap()
            .get("<<")
            .is_some());
        assert!(load("a: 1\na: 2", Documents::SkipEmpty).is_err());
        assert!(load("a: 1\n---\nb: 2", Documents::SkipEmpty).is_err());
        // Spark before 3.5 reads exactly one document, even when the others are empty.
        assert!(load("a: 1\n---\n", Documents::SkipEmpty).is_ok());
        let err = load("a: 1\n---\n", Documents::ExactlyOne).unwrap_err();
        assert!(err.message.contains("single document"), "{}", err.message);
        assert!(load("---\na: 1\n", Documents::ExactlyOne).is_ok());
        // Empty documents are skipped, as fabric8 skips them.
        assert_eq!(root("a: 1\n---\n").get("a"), Some(&Node::Int(1)));
        assert_eq!(root("---\n---\na: 1\n").get("a"), Some(&Node::Int(1)));
        assert_eq!(
            root("1: x\ntrue: y\n1.50: z").get("1.5"),
            Some(&Node::Str("z".into()))
        );
        assert!(load("? null\n: x", Documents::SkipEmpty).is_err());
        // An alias bomb stops at the value budget.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..6u8 {
            let (name, prev) = ((b'b' + i) as char, (b'a' + i) as char);
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        let err = load(&bomb, Documents::SkipEmpty).unwrap_err();
        assert!(err.message.contains("aliases are expanded"), "{err:?}");
        let loaded = load("spec:\n  containers:\n  - name: a\n    image: b\n", Documents::SkipEmpty).unwrap();
        assert_eq!(loaded.lines.get("spec.containers[0].image"), Some(&4));
    }
}
