//! A fast reader for the plain subset of YAML that pod templates are written in.
//!
//! [`parse`](crate::yaml_subset::parse) turns such text into a [`Value`](serde_json::Value)
//! an order of magnitude faster than a full YAML parser, and answers only when it is sure:
//! `Some(value)` is exactly what `serde_saphyr::from_str::<serde_json::Value>` returns for the
//! same text (the same maps, keys, strings, booleans, nulls and number types). Anything
//! outside the subset, or any spelling whose meaning depends on rules it does not model, gives
//! `None`, and the caller falls back to serde-saphyr, which also words the errors.
//!
//! The subset:
//!
//! * block mappings and block sequences indented with spaces, including compact mappings in
//!   sequences (`- name: x`), nested sequences on one line (`- - a`), and a sequence at the
//!   indentation of its key (`key:` then `- a`);
//! * one-line scalars: plain, single-quoted (`''` for a quote) and double-quoted (escapes
//!   `\\`, `\"`, `\/`, `\n`, `\t`, `\r` and `\uXXXX`);
//! * one-line flow collections, nested at will: `{team: data}`, `[a, "b"]`,
//!   `{limits: {cpu: '2'}}`, `[]`, `{}`;
//! * full-line and trailing comments, blank lines, an optional leading `---` line, and keys
//!   without a value (null).
//!
//! A plain scalar is typed as serde-saphyr types it: `null`, `Null`, `NULL`, `~` and the
//! empty scalar are null; the YAML 1.1 booleans (`true`, `false`, `yes`, `no`, `on`, `off`,
//! `y`, `n`, in any case) are booleans; canonical decimal integers (`0`, `42`, `-7`) are `u64`
//! (`i64` when negative); canonical decimals with a fraction (`1.5`, `-0.25`) are `f64`;
//! and a scalar that no number rule can read is a string (any other word, including `inf`
//! and `nan`, which serde-saphyr keeps as strings). Other number-like spellings (leading
//! zeros, `+`, `_`, exponents, `0x`/`0o`/`0b`, `.inf`, `.nan`, `-inf`, integers beyond 64
//! bits) give `None`.
//!
//! Also `None`: anchors, aliases, tags, block scalars (`|`, `>`), scalars or flow collections
//! over several lines, tabs, carriage returns and other control characters, byte order
//! marks, several documents or a `...` marker, directives, `?` keys, merge keys (`<<`),
//! duplicate keys, keys that would not read as strings (`1`, `true`, `null`), a document
//! that is a lone scalar or empty, nesting deeper than 64, and the inputs serde-saphyr's
//! default budget would refuse (very long keys, more than 32 comments in a row after an
//! entry without a value, hundreds of thousands of nodes or comments).
//!
//! Time is linear in the text, and recursion follows the nesting (at most 64 levels).
//!
//! Inside the crate, `tree` reads the same document into a `Tree` of nodes that borrows its
//! strings from the text, and the `de` module deserialises a type straight from that tree
//! (this is how `template::parse` reads a Pod); [`parse`](crate::yaml_subset::parse) is that
//! tree turned into a [`Value`](serde_json::Value).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::byte_search::{byte_mask, find_byte};
use crate::str_order::str_order;

pub(crate) mod de;

/// Texts longer than this are left to serde-saphyr (pod templates are limited to 4 MiB).
const MAX_TEXT_BYTES: usize = 4 << 20;
/// The deepest nesting of collections serde-saphyr's default budget accepts.
pub(crate) const MAX_DEPTH: usize = 64;
/// The longest key, quotes included. serde-saphyr's scanner stops looking for the `:` of a
/// key after 1024 characters.
const MAX_KEY_BYTES: usize = 512;
/// The most comment lines in a row after the first content line. serde-saphyr buffers the
/// comments that follow an entry without a value while it looks for the value, and refuses
/// more than 32 of them (blank lines in between do not count).
const MAX_COMMENT_RUN: usize = 16;
/// The most nodes (collections and scalars, keys included); serde-saphyr's default budget
/// allows 250 000.
const MAX_NODES: usize = 200_000;
/// The most comments. serde-saphyr counts them as events, of which its default budget allows
/// 1 000 000 (with two per collection and one per scalar).
const MAX_COMMENTS: usize = 200_000;

/// Parses `text` when it is in the subset (see the [module documentation](self)), giving
/// exactly the value serde-saphyr gives; `None` otherwise.
pub fn parse(text: &str) -> Option<Value> {
    tree(text).map(Tree::into_value)
}

/// A document of the subset, read without copying its strings: what [`parse`] returns before
/// it is turned into a [`Value`]. The items and entries of all its collections are in two
/// vectors, which the collections' [`Node`]s name by [`Span`] (two allocations for the whole
/// tree instead of one per collection).
#[derive(Debug)]
pub(crate) struct Tree<'a> {
    root: Node<'a>,
    items: Vec<Node<'a>>,
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
}

/// Where a collection's items or entries are in its [`Tree`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: usize,
    len: usize,
}

impl Span {
    /// Whether the collection is empty.
    pub(crate) fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// A node of a [`Tree`].
#[derive(Debug)]
pub(crate) enum Node<'a> {
    /// `null`, `~`, an empty scalar.
    Null,
    /// A boolean.
    Bool(bool),
    /// A non-negative integer (serde_json's `PosInt`).
    Unsigned(u64),
    /// A negative integer (serde_json's `NegInt`).
    Negative(i64),
    /// A number with a fraction.
    Float(f64),
    /// A string, borrowed from the text unless it had escapes.
    Str(Cow<'a, str>),
    /// A sequence: its items in [`Tree::items`].
    Seq(Span),
    /// A mapping: its entries in [`Tree::entries`], sorted by key (the order of serde_json's
    /// map), keys unique.
    Map(Span),
}

impl<'a> Tree<'a> {
    /// The document's root.
    pub(crate) fn root(&self) -> &Node<'a> {
        &self.root
    }

    /// The items of a sequence.
    pub(crate) fn items(&self, span: Span) -> &[Node<'a>] {
        &self.items[span.start..span.start + span.len]
    }

    /// The entries of a mapping.
    pub(crate) fn entries(&self, span: Span) -> &[(Cow<'a, str>, Node<'a>)] {
        &self.entries[span.start..span.start + span.len]
    }

    /// The value of `key` in `node`, a mapping.
    pub(crate) fn get(&self, node: &Node<'a>, key: &str) -> Option<&Node<'a>> {
        match *node {
            Node::Map(span) => {
                let entries = self.entries(span);
                entries
                    .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                    .ok()
                    .map(|i| &entries[i].1)
            }
            _ => None,
        }
    }

    /// The [`Value`] serde-saphyr gives for the same text.
    pub(crate) fn into_value(self) -> Value {
        self.value(&self.root)
    }

    fn value(&self, node: &Node<'a>) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Unsigned(n) => Value::from(*n),
            Node::Negative(n) => Value::from(*n),
            Node::Float(f) => Value::from(*f),
            Node::Str(s) => Value::String(s.as_ref().to_owned()),
            Node::Seq(span) => {
                Value::Array(self.items(*span).iter().map(|n| self.value(n)).collect())
            }
            Node::Map(span) => Value::Object(
                self.entries(*span)
                    .iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), self.value(v)))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

/// The initial room of the parser's stacks of open items and entries (those of the collections
/// being read, innermost last).
const OPEN_CAPACITY: usize = 32;

/// Reads `text` when it is in the subset; `None` otherwise.
pub(crate) fn tree(text: &str) -> Option<Tree<'_>> {
    if text.len() > MAX_TEXT_BYTES || !clean(text) {
        return None;
    }
    // Room for the usual case, an entry per 16 bytes of text and an item per 32 (templates
    // average one line per 20 to 25 bytes), so that the vectors rarely grow: each growth
    // copies every node read so far.
    let room = (text.len() / 16).min(1 << 16) + 4;
    let mut parser = Parser {
        text,
        cursor: 0,
        current: None,
        seen_content: false,
        document_start: false,
        comments: 0,
        comment_run: 0,
        nodes: 0,
        failed: false,
        open_items: Vec::with_capacity(OPEN_CAPACITY),
        open_entries: Vec::with_capacity(OPEN_CAPACITY),
        items: Vec::with_capacity(room / 2),
        entries: Vec::with_capacity(room),
    };
    let root = parser.document()?;
    Some(Tree {
        root,
        items: parser.items,
        entries: parser.entries,
    })
}

/// Whether `text` is free of the characters the subset leaves to serde-saphyr: the control
/// characters other than the line feed (tabs and carriage returns included), NEL and the
/// other C1 controls, the Unicode line and paragraph separators, byte order marks, and the
/// non-characters U+FFFE and U+FFFF.
fn clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Whole chunks without an early exit inside, so that the check runs on vectors.
    let control = bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &c| {
            found | ((c < 0x20) & (c != b'\n')) | (c == 0x7f)
        })
    });
    let unusual = |c: char| {
        matches!(
            c,
            '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
        ) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    !control && (text.is_ascii() || !text.chars().any(unusual))
}

/// A line with content: its indentation (in spaces) and the text after it.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// The parser's state: the text, the line it is at, and the counts its budgets limit.
struct Parser<'a> {
    text: &'a str,
    /// Where the first line not read yet starts.
    cursor: usize,
    /// The content line read but not consumed yet.
    current: Option<Line<'a>>,
    /// Whether a content line has been read.
    seen_content: bool,
    /// Whether the document's `---` line has been read.
    document_start: bool,
    /// Comment lines read so far.
    comments: usize,
    /// Comment lines read since the last content line.
    comment_run: usize,
    /// Nodes made so far.
    nodes: usize,
    /// Whether a line outside the subset was read (the parse then fails whatever was made).
    failed: bool,
    /// The items of the sequences being read, innermost last: a finished sequence moves its
    /// items from the end of this stack to the end of [`Parser::items`], where they are
    /// together.
    open_items: Vec<Node<'a>>,
    /// The entries of the mappings being read, innermost last, as [`Parser::open_items`].
    open_entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// The items of the finished sequences: [`Tree::items`].
    items: Vec<Node<'a>>,
    /// The entries of the finished mappings: [`Tree::entries`].
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
}

impl<'a> Parser<'a> {
    /// The current content line, reading lines as needed; `None` at the end of the text, and
    /// when a line read is outside the subset (which [`Parser::failed`] then records).
    fn peek(&mut self) -> Option<Line<'a>> {
        if self.current.is_none() && !self.failed {
            match self.read_line() {
                Some(line) => self.current = line,
                None => self.failed = true,
            }
        }
        self.current
    }

    /// Consumes the current line.
    fn advance(&mut self) {
        self.current = None;
    }

    /// Reads up to the next line that holds content, skipping blank lines, comment lines and a
    /// leading `---`. `None` for other document markers and for the comment runs serde-saphyr
    /// refuses.
    fn read_line(&mut self) -> Option<Option<Line<'a>>> {
        let text = self.text;
        let b = text.as_bytes();
        while self.cursor < b.len() {
            let start = self.cursor;
            let mut at = start;
            while b.get(at) == Some(&b' ') {
                at += 1;
            }
            let indent = at - start;
            let end = find_newline(b.get(at..)?).map_or(b.len(), |n| at + n);
            self.cursor = end + 1;
            let content = text.get(at..end)?;
            match content.as_bytes().first() {
                None => continue,
                Some(b'#') => {
                    self.comments += 1;
                    if self.comments > MAX_COMMENTS {
                        return None;
                    }
                    if self.seen_content {
                        self.comment_run += 1;
                        if self.comment_run > MAX_COMMENT_RUN {
                            return None;
                        }
                    }
                    continue;
                }
                Some(b'-' | b'.')
                    if indent == 0
                        && (content.starts_with("---") || content.starts_with("...")) =>
                {
                    if !self.seen_content
                        && !self.document_start
                        && trim_end_spaces(content) == "---"
                    {
                        self.document_start = true;
                        continue;
                    }
                    return None;
                }
                Some(_) => {}
            }
            self.seen_content = true;
            self.comment_run = 0;
            return Some(Some(Line {
                indent,
                text: content,
            }));
        }
        Some(None)
    }

    /// The document: a block collection, or a flow collection on one line.
    fn document(&mut self) -> Option<Node<'a>> {
        let first = self.peek()?;
        let value = if first.text.starts_with(['[', '{']) {
            self.advance();
            self.inline(first.text, 1)?
        } else {
            self.block(first.indent, 1)?
        };
        (self.peek().is_none() && !self.failed).then_some(value)
    }

    /// The sequence of the items opened from `start` on, moved to [`Parser::items`].
    fn close_seq(&mut self, start: usize) -> Node<'a> {
        let span = Span {
            start: self.items.len(),
            len: self.open_items.len() - start,
        };
        self.items.extend(self.open_items.drain(start..));
        Node::Seq(span)
    }

    /// The mapping of the entries opened from `start` on, moved to [`Parser::entries`] and
    /// sorted by key; `None` if a key repeats.
    fn close_map(&mut self, start: usize) -> Option<Node<'a>> {
        let span = Span {
            start: self.entries.len(),
            len: self.open_entries.len() - start,
        };
        self.entries.extend(self.open_entries.drain(start..));
        let entries = &mut self.entries[span.start..];
        entries.sort_unstable_by(|a, b| str_order(&a.0, &b.0));
        if entries.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        Some(Node::Map(span))
    }

    /// Counts one node, failing beyond the budget.
    fn node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// The block collection (at nesting `depth`) whose first entry is the current line, at
    /// column `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.node()?;
        if is_seq_entry(self.peek()?.text) {
            self.seq(indent, depth)
        } else {
            self.map(indent, depth)
        }
    }

    /// A block sequence: the `- ` entries at column `indent`.
    fn seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let start = self.open_items.len();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_seq_entry(line.text) {
                if line.indent > indent {
                    return None;
                }
                break;
            }
            let after_dash = line.text.strip_prefix('-')?;
            let rest = trim_start_spaces(after_dash);
            if rest.is_empty() || rest.starts_with('#') {
                self.advance();
                let item = self.nested(indent, depth, false)?;
                self.open_items.push(item);
            } else if is_seq_entry(rest) || looks_like_key(rest) {
                // A collection starting on the entry's line: read the rest of the line as a
                // line of its own, at the column where it starts.
                let column = indent + line.text.len() - rest.len();
                self.current = Some(Line {
                    indent: column,
                    text: rest,
                });
                let item = self.block(column, depth + 1)?;
                self.open_items.push(item);
            } else {
                self.advance();
                let item = self.inline(rest, depth + 1)?;
                self.open_items.push(item);
            }
        }
        Some(self.close_seq(start))
    }

    /// A block mapping: the `key: value` entries at column `indent`.
    fn map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let start = self.open_entries.len();
        while let Some(line) = self.peek() {
            if line.indent != indent {
                if line.indent > indent {
                    return None;
                }
                break;
            }
            let (key, rest) = block_key(line.text)?;
            self.node()?;
            let rest = trim_start_spaces(rest);
            self.advance();
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.nested(indent, depth, true)?
            } else {
                self.inline(rest, depth + 1)?
            };
            self.open_entries.push((key, value));
        }
        self.close_map(start)
    }

    /// The value of an entry at column `indent` whose line ends after its `:` or `-`: the
    /// block on the following, more indented lines (or, after a key, a sequence at the key's
    /// own column), else null.
    fn nested(&mut self, indent: usize, depth: usize, after_key: bool) -> Option<Node<'a>> {
        match self.peek() {
            Some(next)
                if next.indent > indent
                    || (after_key && next.indent == indent && is_seq_entry(next.text)) =>
            {
                let column = next.indent;
                self.block(column, depth + 1)
            }
            _ => {
                self.node()?;
                Some(Node::Null)
            }
        }
    }

    /// The node (at nesting `depth` if a collection) that makes up the rest of a line: a
    /// flow collection, a quoted scalar or a plain scalar, then at most a comment.
    fn inline(&mut self, text: &'a str, depth: usize) -> Option<Node<'a>> {
        let (value, end) = match text.as_bytes().first()? {
            b'[' | b'{' => {
                let mut at = 0;
                let value = self.flow(text, &mut at, depth)?;
                (value, at)
            }
            b'"' | b'\'' => {
                let (s, len) = quoted(text)?;
                self.node()?;
                (Node::Str(s), len)
            }
            _ => {
                let len = plain(text, false)?;
                self.node()?;
                (scalar(trim_end_spaces(text.get(..len)?))?, len)
            }
        };
        ends_line(text.get(end..)?).then_some(value)
    }

    /// The flow collection starting at byte `*at` of `s`; `*at` moves past its closing
    /// bracket.
    fn flow(&mut self, s: &'a str, at: &mut usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.node()?;
        let b = s.as_bytes();
        let open = *b.get(*at)?;
        *at += 1;
        skip_spaces(b, at);
        if open == b'[' {
            if b.get(*at) == Some(&b']') {
                *at += 1;
                return Some(self.close_seq(self.open_items.len()));
            }
            let start = self.open_items.len();
            loop {
                let item = self.flow_node(s, at, depth + 1)?;
                self.open_items.push(item);
                if flow_separator(b, at, b']')? {
                    return Some(self.close_seq(start));
                }
            }
        } else {
            if b.get(*at) == Some(&b'}') {
                *at += 1;
                return self.close_map(self.open_entries.len());
            }
            let start = self.open_entries.len();
            loop {
                let key = self.flow_key(s, at)?;
                skip_spaces(b, at);
                let value = self.flow_node(s, at, depth + 1)?;
                self.open_entries.push((key, value));
                if flow_separator(b, at, b'}')? {
                    return self.close_map(start);
                }
            }
        }
    }

    /// An entry of a flow collection, starting at byte `*at` of `s`.
    fn flow_node(&mut self, s: &'a str, at: &mut usize, depth: usize) -> Option<Node<'a>> {
        let rest = s.get(*at..)?;
        match rest.as_bytes().first()? {
            b'[' | b'{' => self.flow(s, at, depth),
            b'"' | b'\'' => {
                let (v, len) = quoted(rest)?;
                *at += len;
                self.node()?;
                Some(Node::Str(v))
            }
            _ => {
                let len = plain(rest, true)?;
                *at += len;
                self.node()?;
                scalar(trim_end_spaces(rest.get(..len)?))
            }
        }
    }

    /// A key of a flow mapping with its `: `, starting at byte `*at` of `s`.
    fn flow_key(&mut self, s: &'a str, at: &mut usize) -> Option<Cow<'a, str>> {
        let rest = s.get(*at..)?;
        let (key, len) = match rest.as_bytes().first()? {
            b'"' | b'\'' => quoted(rest)?,
            _ => {
                let len = plain(rest, true)?;
                let key = rest.get(..len)?;
                if key.ends_with(' ') {
                    return None;
                }
                (Cow::Borrowed(key), len)
            }
        };
        if len > MAX_KEY_BYTES || !rest.get(len..)?.starts_with(": ") || !is_string_key(&key) {
            return None;
        }
        self.node()?;
        *at += len + 2;
        Some(key)
    }
}

/// Whether a line's text starts a block sequence entry (`-` then a space or the end).
fn is_seq_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Whether what follows a sequence entry's `- ` is a mapping entry (`key:` then a space or
/// the end of the line).
fn looks_like_key(text: &str) -> bool {
    let b = text.as_bytes();
    match b.first() {
        Some(b'"' | b'\'') => quoted(text).is_some_and(|(_, len)| b.get(len) == Some(&b':')),
        Some(b'[' | b'{') | None => false,
        Some(_) => {
            let mut prev = 0;
            for (i, &c) in b.iter().enumerate() {
                match c {
                    b':' if matches!(b.get(i + 1), None | Some(b' ')) => return true,
                    b'#' if prev == b' ' => return false,
                    _ => prev = c,
                }
            }
            false
        }
    }
}

/// The key of a block mapping entry, and the text after its `:` (empty or starting with a
/// space); `None` if the line is not such an entry or the key is outside the subset.
fn block_key(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let b = text.as_bytes();
    let (key, len) = match b.first()? {
        b'"' | b'\'' => quoted(text)?,
        b'-' => return None,
        _ => {
            if !plain_start(b) {
                return None;
            }
            let mut i = 0;
            let end = loop {
                i = next_special(b, i)?;
                match b.get(i)? {
                    b':' if matches!(b.get(i + 1), None | Some(b' ')) => break i,
                    b':' => i += 1,
                    b'#' if b.get(i.wrapping_sub(1)) != Some(&b' ') => i += 1,
                    _ => return None,
                }
            };
            if b.get(end.wrapping_sub(1)) == Some(&b' ') {
                return None;
            }
            (Cow::Borrowed(text.get(..end)?), end)
        }
    };
    let rest = text.get(len..)?.strip_prefix(':')?;
    if len > MAX_KEY_BYTES || !(rest.is_empty() || rest.starts_with(' ')) || !is_string_key(&key) {
        return None;
    }
    Some((key, rest))
}

/// Whether `key` reads as the same string in any style: not a merge key, and a string (not
/// null, a boolean or a number) even when plain.
fn is_string_key(key: &str) -> bool {
    key != "<<" && matches!(scalar_kind(key), Some(Kind::Str))
}

/// The bytes that can end or interrupt a plain scalar or key: `:`, `#`, `,` and the brackets.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = matches!(i as u8, b':' | b'#' | b',' | b'[' | b']' | b'{' | b'}');
        i += 1;
    }
    table
};

/// The position of the first of `b`'s [`SPECIAL`] bytes at or after `from`.
fn next_special(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    rest.iter()
        .position(|&c| SPECIAL[usize::from(c)])
        .map(|i| from + i)
}

/// Whether `b` can start a plain scalar of the subset: not empty, not a space, not an
/// indicator (`-` only when followed by a letter, a digit or one of `-./_`).
fn plain_start(b: &[u8]) -> bool {
    match b.first() {
        None => false,
        Some(b'-') => b
            .get(1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'/' | b'_')),
        Some(
            b' ' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
            | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`',
        ) => false,
        Some(_) => true,
    }
}

/// The length of the plain scalar at the start of `text` (trailing spaces included): up to a
/// comment or the end of the line in block context; up to `,`, a bracket or `: ` in flow
/// context. `None` when it cannot start there, contains `: ` (block) or `#` (flow), ends with
/// `:`, or runs to the end of the line inside a flow collection.
fn plain(text: &str, flow: bool) -> Option<usize> {
    let b = text.as_bytes();
    if !plain_start(b) {
        return None;
    }
    let mut i = 0;
    while let Some(at) = next_special(b, i) {
        i = at + 1;
        match b.get(at)? {
            b':' => match b.get(at + 1) {
                Some(b' ') if flow => return Some(at),
                None | Some(b' ') => return None,
                Some(b',' | b'[' | b']' | b'{' | b'}') if flow => return None,
                _ => {}
            },
            b'#' if flow => return None,
            // The comment's separating space is not part of the scalar.
            b'#' if b.get(at.wrapping_sub(1)) == Some(&b' ') => return Some(at - 1),
            b',' | b'[' | b']' | b'{' | b'}' if flow => return Some(at),
            _ => {}
        }
    }
    (!flow).then_some(b.len())
}

/// The quoted scalar at the start of `text` (which starts with `'` or `"`) and its length,
/// quotes included; `None` if it does not close on the line or uses an escape outside the
/// subset.
fn quoted(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let quote = *b.first()?;
    // Borrowed until an escape or a doubled quote needs a copy.
    let mut out = Cow::Borrowed("");
    let mut start = 1;
    let mut i = 1;
    loop {
        let c = *b.get(i)?;
        if c == quote {
            let run = text.get(start..i)?;
            if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                let out = out.to_mut();
                out.push_str(run);
                out.push('\'');
                i += 2;
                start = i;
                continue;
            }
            match &mut out {
                Cow::Borrowed(_) => out = Cow::Borrowed(run),
                Cow::Owned(s) => s.push_str(run),
            }
            return Some((out, i + 1));
        }
        if c == b'\\' && quote == b'"' {
            out.to_mut().push_str(text.get(start..i)?);
            let (ch, len) = escape(b.get(i + 1..)?)?;
            out.to_mut().push(ch);
            i += 1 + len;
            start = i;
            continue;
        }
        i += 1;
    }
}

/// The character a double-quoted escape (after its `\`) stands for, and the escape's length.
fn escape(b: &[u8]) -> Option<(char, usize)> {
    Some(match *b.first()? {
        b'\\' => ('\\', 1),
        b'"' => ('"', 1),
        b'/' => ('/', 1),
        b'n' => ('\n', 1),
        b't' => ('\t', 1),
        b'r' => ('\r', 1),
        b'u' => {
            let mut code = 0u32;
            for &h in b.get(1..5)? {
                code = code * 16 + char::from(h).to_digit(16)?;
            }
            (char::from_u32(code)?, 5)
        }
        _ => return None,
    })
}

/// Whether `tail`, what follows a node on its line, is blank or a comment.
fn ends_line(tail: &str) -> bool {
    let rest = trim_start_spaces(tail);
    rest.is_empty() || (rest.starts_with('#') && rest.len() < tail.len())
}

/// The position of the first line feed in `b`.
fn find_newline(b: &[u8]) -> Option<usize> {
    find_byte(b, 0, |word| byte_mask(word, b'\n'))
}

/// `s` without its leading spaces.
fn trim_start_spaces(s: &str) -> &str {
    let n = s.bytes().take_while(|&c| c == b' ').count();
    s.get(n..).unwrap_or(s)
}

/// `s` without its trailing spaces.
fn trim_end_spaces(s: &str) -> &str {
    let n = s.bytes().rev().take_while(|&c| c == b' ').count();
    s.get(..s.len() - n).unwrap_or(s)
}

/// Moves `*at` past spaces.
/// What follows a flow collection's item (spaces around it skipped): `,` and more items
/// (`false`), or the `close` bracket, which ends the collection (`true`); `None` for anything
/// else. `*at` moves past it.
fn flow_separator(b: &[u8], at: &mut usize, close: u8) -> Option<bool> {
    skip_spaces(b, at);
    let c = *b.get(*at)?;
    *at += 1;
    if c == close {
        return Some(true);
    }
    if c != b',' {
        return None;
    }
    skip_spaces(b, at);
    Some(false)
}

fn skip_spaces(b: &[u8], at: &mut usize) {
    while b.get(*at) == Some(&b' ') {
        *at += 1;
    }
}

/// What a plain scalar resolves to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str,
}

/// The value of the plain scalar `s`; `None` when its typing is outside the subset.
fn scalar(s: &str) -> Option<Node<'_>> {
    Some(match scalar_kind(s)? {
        Kind::Null => Node::Null,
        Kind::Bool(b) => Node::Bool(b),
        Kind::Unsigned(n) => Node::Unsigned(n),
        // serde_json keeps `-0` as a non-negative integer.
        Kind::Signed(n) => match u64::try_from(n) {
            Ok(n) => Node::Unsigned(n),
            Err(_) => Node::Negative(n),
        },
        Kind::Float(f) => Node::Float(f),
        Kind::Str => Node::Str(Cow::Borrowed(s)),
    })
}

/// How serde-saphyr types the plain scalar `s` (without surrounding spaces), when that is
/// certain; see the [module documentation](self).
fn scalar_kind(s: &str) -> Option<Kind> {
    let Some(&first) = s.as_bytes().first() else {
        return Some(Kind::Null);
    };
    // The null and boolean words are at most five characters long.
    if s.len() <= 5
        && matches!(
            first,
            b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'y' | b'Y' | b'o' | b'O'
        )
    {
        if matches!(s, "~" | "null" | "Null" | "NULL") {
            return Some(Kind::Null);
        }
        if let Some(b) = yaml11_bool(s) {
            return Some(Kind::Bool(b));
        }
    }
    // Other words are strings: numbers start with a digit, a sign or a dot, except the
    // spellings `inf`, `infinity` and `nan` (any case) of Rust's float syntax, which
    // serde-saphyr uses, and those are not finite, so serde-saphyr keeps them as strings.
    if first.is_ascii_alphabetic() {
        return Some(Kind::Str);
    }
    // So does a character no number can contain. Numbers are spelled with digits, signs,
    // `.`, `_`, `e`, the radix prefixes `0x` `0o` `0b` and hexadecimal digits, and the words
    // above.
    if !s.bytes().all(|c| NUMERIC[usize::from(c)]) {
        return Some(Kind::Str);
    }
    let (negative, body) = match s.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let canonical = digits == 1 || (digits > 1 && !body.starts_with('0'));
    if canonical && digits == body.len() {
        return if negative {
            s.parse().ok().map(Kind::Signed)
        } else {
            body.parse().ok().map(Kind::Unsigned)
        };
    }
    if canonical {
        if let Some(fraction) = body.get(digits..).and_then(|r| r.strip_prefix('.')) {
            if !fraction.is_empty() && fraction.bytes().all(|c| c.is_ascii_digit()) {
                let f: f64 = s.parse().ok()?;
                return f.is_finite().then_some(Kind::Float(f));
            }
        }
    }
    // Any other spelling is a string only if no number rule reads it: no `_` (which the
    // integer rules skip), no radix prefix, not YAML's `.inf`/`.nan`, and not something
    // Rust's float syntax (which serde-saphyr uses) accepts.
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let radix = matches!(
        unsigned.as_bytes(),
        [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', ..]
    );
    if s.contains('_')
        || radix
        || unsigned.eq_ignore_ascii_case(".inf")
        || unsigned.eq_ignore_ascii_case(".nan")
        || s.parse::<f64>().is_ok()
    {
        return None;
    }
    Some(Kind::Str)
}

/// The bytes that can appear in a number's spelling (see [`scalar_kind`]).
static NUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = matches!(
            (i as u8).to_ascii_lowercase(),
            b'0'..=b'9' | b'a'..=b'f' | b'i' | b'n' | b'o' | b't' | b'x' | b'y' | b'+' | b'-' | b'.' | b'_'
        );
        i += 1;
    }
    table
};

/// The YAML 1.1 booleans serde-saphyr accepts by default, in any case.
fn yaml11_bool(s: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "yes", "y", "on"];
    const FALSE: [&str; 4] = ["false", "no", "n", "off"];
    if s.len() > 5 {
        None
    } else if TRUE.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use std::path::{Path, PathBuf};

    /// What serde-saphyr makes of `text`.
    fn saphyr(text: &str) -> Result<Value, String> {
        serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
    }

    /// Asserts that `text` takes the fast path and gives serde-saphyr's value.
    #[track_caller]
    fn fast(text: &str) -> Value {
        let expected =
            saphyr(text).unwrap_or_else(|e| panic!("serde-saphyr refuses {text:?}: {e}"));
        assert_eq!(parse(text), Some(expected.clone()), "{text:?}");
        expected
    }

    /// Asserts that `text` is left to serde-saphyr.
    #[track_caller]
    fn bails(text: &str) {
        assert_eq!(parse(text), None, "{text:?}");
    }

    /// Asserts the contract: `None`, or serde-saphyr's value (and `None` where it fails).
    #[track_caller]
    fn agrees(text: &str) {
        match (parse(text), saphyr(text)) {
            (None, _) => {}
            (Some(fast), Ok(full)) => assert_eq!(fast, full, "{text:?}"),
            (Some(fast), Err(e)) => {
                panic!("{text:?} gives {fast} but serde-saphyr refuses it: {e}")
            }
        }
    }

    #[test]
    fn block_mappings_and_sequences() {
        let v = fast("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: spark\n      image: a/b:1\n");
        assert_eq!(
            v,
            json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "spark", "image": "a/b:1"}]}})
        );
        fast("a:\n  b:\n    c: 1\n  d: 2\ne: 3\n");
        fast("- a\n- b\n- - c\n  - d\n");
        fast("  a: 1\n  b: 2\n");
        fast("-   name: x\n    image: y\n- name: z\n");
        fast("- a: 1\n  b:\n  - x\n  c: 2\n");
        fast("-\n  a: 1\n-\n- x\n");
        fast("- - - a\n");
    }

    #[test]
    fn sequences_at_their_keys_indentation() {
        let v = fast("a:\n- x\n- y\nb: 1\n");
        assert_eq!(v, json!({"a": ["x", true], "b": 1}));
        fast("spec:\n  args:\n  - --verbose\n  - -x\n  env: []\n");
    }

    #[test]
    fn empty_values_are_null() {
        let v = fast("a:\nb: # nothing\nc:\n  d:\ne: ~\n");
        assert_eq!(
            v,
            json!({"a": null, "b": null, "c": {"d": null}, "e": null})
        );
        assert_eq!(fast("- \n-\n- x\n"), json!([null, null, "x"]));
        assert_eq!(fast("- a:\n- b\n"), json!([{"a": null}, "b"]));
    }

    #[test]
    fn comments_blank_lines_and_the_document_start() {
        fast("# header\n\n---\n# after\na: 1 # trailing\n\n   # indented\nb: x#y\n");
        fast("---   \na: 1\n");
        fast("a:\n  # between a key and its block\n  b: 1\n");
        fast(&format!("{}a: 1\n", "# licence\n".repeat(500)));
        fast(&format!("a: 1\n{}b: 2\n", "# c\n".repeat(16)));
    }

    #[test]
    fn quoted_scalars() {
        let v = fast("a: 'it''s'\nb: \"q \\\" \\\\ \\/ \\n \\t \\r \\u00e9\"\nc: ''\nd: \"\"\ne: '#not a comment'\nf: \"1\"\n");
        assert_eq!(v["a"], "it's");
        assert_eq!(v["b"], "q \" \\ / \n \t \r é");
        assert_eq!(v["f"], "1");
        fast("\"quoted key\": 1\n'single': 2\n");
        fast("- \"a\": 1\n  b: 2\n- 'x'\n");
        fast("a: \"x\"   # c\n");
    }

    #[test]
    fn flow_collections() {
        let v = fast("resources: {limits: {cpu: '2', memory: 1Gi}}\nargs: [a, \"b c\", 'd', 1, -2, 1.5, true, null]\nempty: {}\nnone: []\n");
        assert_eq!(v["args"], json!(["a", "b c", "d", 1, -2, 1.5, true, null]));
        fast("- [a, [b, {c: d}]]\n- {a: [1, 2], b: {}}\n");
        fast("[{key: spot, operator: Exists}]\n");
        fast("{a: 1}\n");
        fast("a: [ x ,  y ]   # c\nb: [http://x/y]\n");
        fast("a: {\"k\": v, 'q': w}\n");
    }

    #[test]
    fn scalar_types_follow_serde_saphyr() {
        for (text, expected) in [
            ("0", json!(0)),
            ("42", json!(42)),
            ("-7", json!(-7)),
            ("-0", json!(0)),
            ("18446744073709551615", json!(18_446_744_073_709_551_615u64)),
            ("-9223372036854775808", json!(i64::MIN)),
            ("1.5", json!(1.5)),
            ("-0.25", json!(-0.25)),
            ("0.30000000000000004", json!(0.300_000_000_000_000_04)),
            ("true", json!(true)),
            ("False", json!(false)),
            ("yes", json!(true)),
            ("NO", json!(false)),
            ("on", json!(true)),
            ("Off", json!(false)),
            ("y", json!(true)),
            ("n", json!(false)),
            ("~", json!(null)),
            ("null", json!(null)),
            ("Null", json!(null)),
            ("NULL", json!(null)),
            ("nULL", json!("nULL")),
            ("50m", json!("50m")),
            ("8Gi", json!("8Gi")),
            ("10.0.0.10", json!("10.0.0.10")),
            ("1.2.3", json!("1.2.3")),
            ("deadbeef", json!("deadbeef")),
            ("e", json!("e")),
            ("-foo", json!("-foo")),
            ("---", json!("---")),
            ("2001-12-14", json!("2001-12-14")),
            ("12:30:45", json!("12:30:45")),
            ("a,b]}", json!("a,b]}")),
            ("x y  z", json!("x y  z")),
            ("é\u{a0}", json!("é\u{a0}")),
            ("=", json!("=")),
            ("inf", json!("inf")),
            ("NaN", json!("NaN")),
            ("Infinity", json!("Infinity")),
            ("x1", json!("x1")),
            ("$HOME", json!("$HOME")),
        ] {
            let v = fast(&format!("k: {text}\n"));
            assert_eq!(v["k"], expected, "{text}");
            let is_f64 = |v: &Value| v.as_number().is_some_and(serde_json::Number::is_f64);
            assert_eq!(is_f64(&v["k"]), is_f64(&expected), "number type of {text}");
        }
    }

    #[test]
    fn ambiguous_scalars_are_left_to_serde_saphyr() {
        for text in [
            "01",
            "-01",
            "+1",
            "1_000",
            "1e5",
            "1E5",
            "1.",
            ".5",
            "0x1F",
            "0X1F",
            "0o7",
            "0b1",
            ".inf",
            "-.inf",
            ".nan",
            "-.NaN",
            "-inf",
            "+nan",
            "1__0",
            "18446744073709551616",
            "-9223372036854775809",
            "00",
            "0.1_0",
        ] {
            let text = format!("k: {text}\n");
            bails(&text);
            agrees(&text);
        }
    }

    #[test]
    fn constructs_outside_the_subset() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: *x\n",
            "a: !!str 1\n",
            "!t\na: 1\n",
            "a: |\n  text\n",
            "a: >-\n  text\n",
            "a: hello\n  world\n",
            "a: \"hello\n  world\"\n",
            "a: 'open\n",
            "a: [1,\n  2]\n",
            "a:\n\tb: 1\n",
            "a: 1\t# c\n",
            "a: 1\r\nb: 2\r\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "--- a: 1\n",
            "? a\n: 1\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\na: 2\n",
            "a: 1\n\"a\": 2\n",
            "a: {b: 1, b: 2}\n",
            "1: a\n",
            "true: a\n",
            "null: a\n",
            "~: a\n",
            "\"1\": a\n",
            "<<: {b: 1}\n",
            "\"<<\": {b: 1}\n",
            "hello\n",
            "\"hello\"\n",
            "",
            "# only a comment\n",
            "\u{feff}a: 1\n",
            "a: x\u{2028}y\n",
            "a: \"\\x41\"\n",
            "a: \"\\ud800\"\n",
            "a: \"\\u00G1\"\n",
            "a : 1\n",
            "a: b: c\n",
            "a: b:\n",
            "a: - b\n",
            "a: @x\n",
            "a: `x\n",
            "a: %x\n",
            "a: ?x\n",
            "a: \"x\"y\n",
            "a: \"x\"#c\n",
            "a: [x]#c\n",
            "a: [x, ]\n",
            "a: [a: 1]\n",
            "a: {b}\n",
            "a: {b: }\n",
            "a: {\"b\":1}\n",
            "a: {b:1}\n",
            "a: [x]]\n",
            "a:\n    b: 1\n  c: 2\n",
            "- a: 1\n - b\n",
            "- a\nb: 1\n",
            "a: 1\n- b\n",
            "[a]\nb: 1\n",
            "a:\n  hello\n",
            "a[b]: 1\n",
            "- a\n  b\n",
        ] {
            bails(text);
            agrees(text);
        }
    }

    #[test]
    fn budgets() {
        let nest = |depth: usize| -> String {
            (0..depth)
                .map(|i| format!("{}k:\n", "  ".repeat(i)))
                .collect::<String>()
                + &format!("{}x: 1\n", "  ".repeat(depth))
        };
        fast(&nest(63));
        bails(&nest(64));
        fast(&format!("{}{}", "[".repeat(64), "]".repeat(64)));
        bails(&format!("{}{}", "[".repeat(65), "]".repeat(65)));
        bails(&format!("a:\n{}  b: 1\n", "# c\n".repeat(40)));
        bails(&format!("a: 1\n{}b: 2\n", "# c\n".repeat(17)));
        bails(&format!("{}: 1\n", "k".repeat(600)));
        bails(&format!("a: [{}]\n", vec!["1"; MAX_NODES].join(",")));
    }

    /// The pod templates of the test cases (and of the oracle's examples, when present): all
    /// of them take the fast path, except those serde-saphyr refuses.
    #[test]
    fn real_templates_take_the_fast_path() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        yaml_files(&root.join("testdata"), &mut files);
        let in_testdata = files.len();
        yaml_files(&root.join("../shared/spark-oracle/examples"), &mut files);
        // The YAML scalar table and the real-world inputs hold forms the fast path leaves to
        // serde-saphyr on purpose: only the contract below applies to them.
        let templates: Vec<&PathBuf> = files
            .iter()
            .filter(|f| {
                f.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("template"))
            })
            .filter(|f| {
                let path = f.to_string_lossy();
                !path.contains("/yaml-scalars/") && !path.contains("/real-world/")
            })
            .collect();
        assert!(
            in_testdata > 30 && templates.len() > 30,
            "{} templates",
            templates.len()
        );
        for file in templates {
            let text = std::fs::read_to_string(file).expect("a template");
            match saphyr(&text) {
                Ok(v) => assert_eq!(parse(&text), Some(v), "{}", file.display()),
                Err(_) => assert_eq!(parse(&text), None, "{}", file.display()),
            }
        }
        // The other YAML files (rendered objects, several documents each) obey the contract.
        for file in &files {
            // Spark reads templates as UTF-8 with replacement; so does this check.
            agrees(&String::from_utf8_lossy(
                &std::fs::read(file).expect("a YAML file"),
            ));
        }
    }

    /// Collects the `.yaml` files under `dir` (none if it is missing).
    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }

    /// A value tree whose scalars are kept as the text to print.
    #[derive(Debug, Clone)]
    enum Tree {
        Scalar(String),
        Seq(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    /// Scalars of every kind, tricky ones included.
    const SCALARS: &[&str] = &[
        "a",
        "spark-main",
        "busybox:1.36",
        "50m",
        "8Gi",
        "v1",
        "apps/v1",
        "a b",
        "0",
        "1",
        "-1",
        "42",
        "1.5",
        "-0.5",
        "007",
        "+1",
        "1_000",
        "1e3",
        "0x1F",
        ".inf",
        "inf",
        "true",
        "False",
        "yes",
        "n",
        "on",
        "~",
        "null",
        "Null",
        "NULL",
        "TRUE",
        "Off",
        "Y",
        "",
        "10.0.0.10",
        "a:b",
        "a: b",
        "a #b",
        "a#b",
        "#x",
        "-x",
        "- x",
        "-",
        "'q'",
        "\"q\"",
        "it's",
        "say \"hi\"",
        "[x]",
        "{x: y}",
        "x,y",
        "é",
        "\u{a0}",
        "<<",
        "&a",
        "*a",
        "!t",
        "|",
        ">",
        "?x",
        "%x",
        "@x",
        "back\\slash",
        "---",
        "...",
        "=",
        "18446744073709551616",
        "-9223372036854775809",
        "1.",
        ".5",
        "nULL",
        "x ",
    ];
    /// Keys, tricky ones included.
    const KEYS: &[&str] = &[
        "name",
        "image",
        "a",
        "b",
        "spec",
        "example.com/owner",
        "x-y",
        "a b",
        "1",
        "true",
        "null",
        "~",
        "<<",
        "x:y",
        "-k",
        "k#",
        "é",
        "",
    ];
    /// Scalars and keys [`parse`] must fast-path whatever their style.
    const SAFE_SCALARS: &[&str] = &[
        "a",
        "spark-main",
        "busybox:1.36",
        "50m",
        "v1",
        "a b",
        "0",
        "42",
        "-1",
        "1.5",
        "true",
        "No",
        "~",
        "é",
    ];
    const SAFE_KEYS: &[&str] = &[
        "name",
        "image",
        "a",
        "b",
        "spec",
        "example.com/owner",
        "x-y",
        "a b",
    ];

    /// Trees of `scalars` (and, when `random`, random printable text) under `keys`.
    fn tree(
        scalars: &'static [&'static str],
        keys: &'static [&'static str],
        random: bool,
    ) -> impl Strategy<Value = Tree> {
        let leaf = prop_oneof![
            4 => proptest::sample::select(scalars).prop_map(|s| Tree::Scalar(s.to_owned())),
            u32::from(random) => "[ -~é]{0,6}".prop_map(Tree::Scalar),
        ];
        leaf.prop_recursive(5, 48, 5, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
                proptest::collection::vec((proptest::sample::select(keys), inner), 0..5).prop_map(
                    |entries| {
                        let mut seen = std::collections::HashSet::new();
                        Tree::Map(
                            entries
                                .into_iter()
                                .filter(|(k, _)| seen.insert(*k))
                                .map(|(k, v)| (k.to_owned(), v))
                                .collect(),
                        )
                    }
                ),
            ]
        })
    }

    /// Prints trees as YAML in styles chosen by a seeded generator.
    struct Printer {
        state: u64,
        /// Block styles only, no comment runs: what the fast path must take.
        tame: bool,
        out: String,
    }

    impl Printer {
        fn roll(&mut self, n: u64) -> u64 {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            (self.state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.roll(100) < percent
        }

        fn spaces(&mut self) -> &'static str {
            ["", "", "", " ", "  "][self.roll(5) as usize]
        }

        fn scalar(&mut self, s: &str) -> String {
            match self.roll(4) {
                0 => format!("'{}'", s.replace('\'', "''")),
                1 => {
                    let mut q = String::from("\"");
                    for c in s.chars() {
                        match c {
                            '"' => q.push_str("\\\""),
                            '\\' => q.push_str("\\\\"),
                            c if !c.is_ascii() || self.chance(10) => {
                                q.push_str(&format!("\\u{:04x}", u32::from(c) & 0xffff));
                            }
                            c => q.push(c),
                        }
                    }
                    q.push('"');
                    q
                }
                _ => s.to_owned(),
            }
        }

        fn key(&mut self, k: &str) -> String {
            if self.tame && self.chance(70) {
                k.to_owned()
            } else {
                self.scalar(k)
            }
        }

        fn end_line(&mut self) {
            if self.chance(10) {
                self.out.push_str(" # note");
            }
            let pad = self.spaces();
            self.out.push_str(pad);
            self.out.push('\n');
            let long = !self.tame && self.chance(5);
            while self.chance(15) {
                let lines = self.roll(if long { 40 } else { 3 });
                for _ in 0..lines {
                    let indent = " ".repeat(self.roll(6) as usize);
                    self.out.push_str(&format!("{indent}# comment\n"));
                }
                if self.chance(50) {
                    self.out.push('\n');
                }
            }
        }

        fn flow(&mut self, t: &Tree) -> String {
            match t {
                Tree::Scalar(s) => self.scalar(s),
                Tree::Seq(items) => {
                    let parts: Vec<String> = items.iter().map(|i| self.flow(i)).collect();
                    let sep = format!(
                        "{},{}",
                        self.spaces(),
                        [" ", "  ", ""][self.roll(3) as usize]
                    );
                    format!("[{}{}{}]", self.spaces(), parts.join(&sep), self.spaces())
                }
                Tree::Map(entries) => {
                    let parts: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{}: {}", self.key(k), self.flow(v)))
                        .collect();
                    format!("{{{}}}", parts.join(", "))
                }
            }
        }

        /// Prints `t` as the value after `key:` or `-` (which `self.out` ends with).
        fn value(&mut self, t: &Tree, indent: usize, in_seq: bool) {
            let collection = !matches!(t, Tree::Scalar(_));
            let empty = matches!(t, Tree::Seq(v) if v.is_empty())
                || matches!(t, Tree::Map(v) if v.is_empty());
            if !collection || empty || self.chance(if self.tame { 10 } else { 25 }) {
                let text = self.flow(t);
                let pad = self.spaces();
                self.out.push_str(&format!(" {pad}{text}"));
                self.end_line();
                return;
            }
            let step = 1 + self.roll(4) as usize;
            if in_seq && self.chance(60) {
                // Compact: the collection starts on the entry's line.
                let pad = " ".repeat(step);
                self.out.push_str(&pad);
                self.block(t, indent + 1 + step, true);
                return;
            }
            self.end_line();
            let same = !in_seq && matches!(t, Tree::Seq(_)) && self.chance(40);
            self.block(t, if same { indent } else { indent + step }, false);
        }

        /// Prints the block collection `t` at column `indent`; when `started`, the first
        /// entry's indentation is already printed.
        fn block(&mut self, t: &Tree, indent: usize, started: bool) {
            let pad = " ".repeat(indent);
            match t {
                Tree::Scalar(_) => unreachable!("scalars are printed inline"),
                Tree::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 || !started {
                            self.out.push_str(&pad);
                        }
                        self.out.push('-');
                        self.value(item, indent, true);
                    }
                }
                Tree::Map(entries) => {
                    for (i, (k, v)) in entries.iter().enumerate() {
                        if i > 0 || !started {
                            self.out.push_str(&pad);
                        }
                        let key = self.key(k);
                        self.out.push_str(&format!("{key}:"));
                        self.value(v, indent, false);
                    }
                }
            }
        }

        fn document(t: &Tree, seed: u64, tame: bool) -> String {
            let mut p = Printer {
                state: seed | 1,
                tame,
                out: String::new(),
            };
            if p.chance(20) {
                p.out.push_str("# header\n");
            }
            if p.chance(20) {
                p.out.push_str("---\n");
            }
            let empty = matches!(t, Tree::Seq(v) if v.is_empty())
                || matches!(t, Tree::Map(v) if v.is_empty());
            if matches!(t, Tree::Scalar(_)) || empty || (!tame && p.chance(15)) {
                let text = p.flow(t);
                p.out.push_str(&text);
                p.end_line();
            } else {
                let indent = p.roll(3) as usize;
                p.block(t, indent, false);
            }
            p.out
        }
    }

    /// Characters that matter to YAML, for mutations.
    const MUTATIONS: &[&str] = &[
        " ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", "{", "}", ",", "\t",
        "&", "*", "!", "|", ">", "?", "%", "\\", "x", "1", "0", ".", "é", "\u{a0}", "---\n", "\r",
    ];

    /// Applies `count` edits chosen by `seed` to `text`: inserting YAML syntax, deleting a
    /// character, or doubling a line.
    fn mutate(text: &str, seed: u64, count: usize) -> String {
        let mut p = Printer {
            state: seed | 1,
            tame: false,
            out: String::new(),
        };
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..count {
            let at = p.roll(chars.len() as u64 + 1) as usize;
            match p.roll(3) {
                0 => {
                    let m = MUTATIONS[p.roll(MUTATIONS.len() as u64) as usize];
                    chars.splice(at..at, m.chars());
                }
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ => {
                    let start = chars[..at]
                        .iter()
                        .rposition(|&c| c == '\n')
                        .map_or(0, |i| i + 1);
                    let end = chars[at..]
                        .iter()
                        .position(|&c| c == '\n')
                        .map_or(chars.len(), |i| at + i + 1);
                    let line: Vec<char> = chars[start..end].to_vec();
                    chars.splice(start..start, line);
                }
            }
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Random trees in random styles, then random edits: the contract holds.
        #[test]
        fn agrees_with_serde_saphyr(
            t in tree(SCALARS, KEYS, true),
            seed in any::<u64>(),
            edits in 0usize..4,
        ) {
            let text = mutate(&Printer::document(&t, seed, false), seed.rotate_left(17), edits);
            match (parse(&text), saphyr(&text)) {
                (None, _) => {}
                (Some(fast), Ok(full)) => prop_assert_eq!(fast, full, "{:?}", text),
                (Some(fast), Err(e)) => {
                    prop_assert!(false, "{:?} gives {} but serde-saphyr refuses it: {}", text, fast, e);
                }
            }
        }

        /// Trees of plain keys and scalars in any of the subset's styles take the fast path.
        #[test]
        fn the_subset_takes_the_fast_path(t in tree(SAFE_SCALARS, SAFE_KEYS, false), seed in any::<u64>()) {
            prop_assume!(!matches!(t, Tree::Scalar(_)));
            let text = Printer::document(&t, seed, true);
            let full = saphyr(&text);
            prop_assert!(full.is_ok(), "{:?}: {:?}", text, full);
            prop_assert_eq!(parse(&text), full.ok(), "{:?}", text);
        }
    }
}
