//! The span index: from a JSON pointer to the byte range of a value (and of its mapping key).
//!
//! The index mirrors the shape of the loaded value as a flat tree: one [`Node`] per value, in
//! document order, and for each collection the list of its children. A mapping's children are
//! sorted by key so that a pointer segment is found by binary search; a sequence's children are
//! in order, so an index segment is a direct lookup. Keys are not copied when their text in the
//! source is exactly the key (a plain or escape-free quoted key): the index keeps the source text
//! and compares against it. Looking up a pointer costs one binary search per segment and
//! allocates nothing (unless a segment contains a `~` escape).

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::escape_pointer_token;

/// Sentinel for "no key span" (the root and sequence elements).
const NONE: u32 = u32::MAX;

/// What kind of value a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Leaf,
    Seq,
    Map,
}

/// The key of a mapping entry: either a range of the source (when the source text is the key)
/// or an index into the owned keys.
#[derive(Debug, Clone, Copy)]
enum Name {
    None,
    Source(u32, u32),
    Owned(u32),
}

/// One value of the document.
#[derive(Debug, Clone)]
struct Node {
    value: (u32, u32),
    key: (u32, u32),
    name: Name,
    kind: Kind,
    /// Range into `SpanIndex::children` (set when the collection ends).
    children: (u32, u32),
}

/// Byte ranges of every value and every mapping key of a loaded document, by JSON pointer.
///
/// Pointers follow RFC 6901: `""` is the whole document, `"/messages/0/name"` the `name` of the
/// first message, `~1` and `~0` escape `/` and `~` in keys. Every range is a byte range of the
/// source text, as miette expects.
#[derive(Clone)]
pub struct SpanIndex {
    text: Arc<str>,
    nodes: Vec<Node>,
    children: Vec<u32>,
    owned: Vec<Box<str>>,
}

impl fmt::Debug for SpanIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpanIndex").field("nodes", &self.nodes.len()).finish_non_exhaustive()
    }
}

impl SpanIndex {
    /// The byte range of the value at `pointer`, or `None` when the document has no such value.
    ///
    /// For a collection the range covers the whole collection (from `[`/`{` to the closing
    /// bracket in flow style, from the first entry to the end of the last one in block style;
    /// a TOML `[table]` or `[[array]]` element spans its header line).
    pub fn value(&self, pointer: &str) -> Option<Range<usize>> {
        let node = &self.nodes[self.find(pointer)? as usize];
        Some(node.value.0 as usize..node.value.1 as usize)
    }

    /// The byte range of the mapping key whose value is at `pointer`, or `None` when `pointer`
    /// does not name a mapping entry (the root, a sequence element, a missing value).
    pub fn key(&self, pointer: &str) -> Option<Range<usize>> {
        let node = &self.nodes[self.find(pointer)? as usize];
        (node.key.0 != NONE).then_some(node.key.0 as usize..node.key.1 as usize)
    }

    /// The byte range to report a finding about `pointer` at: the value's range when it exists,
    /// otherwise that of the nearest ancestor that exists (a missing field is reported at the
    /// object that lacks it), and `0..0` for an empty index.
    pub fn locate(&self, pointer: &str) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(span) = self.value(p) {
                return span;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }

    /// The number of values in the document (every node of the tree, the root included).
    #[cfg(feature = "internals")]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the index holds no value at all.
    #[cfg(feature = "internals")]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node at `pointer`.
    fn find(&self, pointer: &str) -> Option<u32> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut current = 0u32;
        if pointer.is_empty() {
            return Some(current);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let node = &self.nodes[current as usize];
            let kids = &self.children[node.children.0 as usize..(node.children.0 + node.children.1) as usize];
            current = match node.kind {
                Kind::Leaf => return None,
                Kind::Seq => {
                    // RFC 6901: decimal digits, no leading zero (except "0" itself).
                    if raw.is_empty()
                        || !raw.bytes().all(|b| b.is_ascii_digit())
                        || (raw.len() > 1 && raw.starts_with('0'))
                    {
                        return None;
                    }
                    let i: usize = raw.parse().ok()?;
                    *kids.get(i)?
                }
                Kind::Map => {
                    let segment: std::borrow::Cow<'_, str> = if raw.contains('~') {
                        std::borrow::Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
                    } else {
                        std::borrow::Cow::Borrowed(raw)
                    };
                    let i = kids.binary_search_by(|&k| self.name(k).cmp(&segment)).ok()?;
                    kids[i]
                }
            };
        }
        Some(current)
    }

    fn name(&self, node: u32) -> &str {
        name_text(&self.text, &self.owned, self.nodes[node as usize].name)
    }

    /// Every pointer of the document with its value range, parents before children, mapping
    /// entries in key order (for tests and tools that walk the whole document).
    #[cfg(feature = "internals")]
    pub fn pointers(&self) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        if self.nodes.is_empty() {
            return out;
        }
        let mut stack = vec![(0u32, String::new())];
        while let Some((id, pointer)) = stack.pop() {
            let node = &self.nodes[id as usize];
            out.push((pointer.clone(), node.value.0 as usize..node.value.1 as usize));
            let kids = &self.children[node.children.0 as usize..(node.children.0 + node.children.1) as usize];
            for (i, &k) in kids.iter().enumerate().rev() {
                let segment = match node.kind {
                    Kind::Seq => i.to_string(),
                    _ => escape_pointer_token(self.name(k)).into_owned(),
                };
                stack.push((k, format!("{pointer}/{segment}")));
            }
        }
        out
    }
}

fn name_text<'a>(text: &'a str, owned: &'a [Box<str>], name: Name) -> &'a str {
    match name {
        Name::None => "",
        Name::Source(s, e) => &text[s as usize..e as usize],
        Name::Owned(i) => &owned[i as usize],
    }
}

/// Builds a [`SpanIndex`] from a stream of begin/end/leaf calls in document order.
#[derive(Debug)]
pub(crate) struct Builder {
    text: Arc<str>,
    nodes: Vec<Node>,
    children: Vec<u32>,
    owned: Vec<Box<str>>,
    /// Children of the open collections, innermost last.
    scratch: Vec<u32>,
    /// Open collections: node id and where their children start in `scratch`.
    open: Vec<(u32, usize)>,
    /// The key (name, span) of the next value, when inside a mapping.
    pending: Option<(Name, (u32, u32))>,
    /// An estimate of the memory the document takes once loaded (value and index), in bytes.
    cost: usize,
}

/// Estimated bytes per value: a `serde_json::Value` (32) plus an index node and its child slot.
const COST_NODE: usize = 80;
/// Estimated bytes per mapping: a `BTreeMap` leaf node for `String` keys and `Value`s.
const COST_MAP: usize = 640;
/// Estimated bytes per mapping key, beyond its text: a `String`.
const COST_KEY: usize = 32;

impl Builder {
    pub(crate) fn new(text: Arc<str>, capacity: usize) -> Self {
        Builder {
            text,
            nodes: Vec::with_capacity(capacity),
            children: Vec::with_capacity(capacity),
            owned: Vec::new(),
            scratch: Vec::with_capacity(256),
            open: Vec::with_capacity(64),
            pending: None,
            cost: 0,
        }
    }

    /// The estimated memory of what was built so far, in bytes (see [`super::MAX_MEMORY`]).
    pub(crate) fn cost(&self) -> usize {
        self.cost
    }

    /// Adds `bytes` (the text of a string value) to the estimate.
    pub(crate) fn charge(&mut self, bytes: usize) {
        self.cost += bytes;
    }

    /// Records the key of the next value. `span` is the key's byte range; `decoded` is the key;
    /// when the source text at `text_span` equals `decoded`, the key is not copied.
    pub(crate) fn key(&mut self, decoded: &str, text_span: Range<usize>, span: Range<usize>) {
        let name = if self.text.get(text_span.clone()) == Some(decoded) {
            Name::Source(text_span.start as u32, text_span.end as u32)
        } else {
            self.owned.push(decoded.into());
            Name::Owned(self.owned.len() as u32 - 1)
        };
        self.pending = Some((name, (span.start as u32, span.end as u32)));
        self.cost += COST_KEY + decoded.len();
    }

    fn push(&mut self, kind: Kind, span: Range<usize>) -> u32 {
        let (name, key) = self.pending.take().unwrap_or((Name::None, (NONE, NONE)));
        let id = self.nodes.len() as u32;
        self.cost += if kind == Kind::Map { COST_NODE + COST_MAP } else { COST_NODE };
        self.nodes.push(Node { value: (span.start as u32, span.end as u32), key, name, kind, children: (0, 0) });
        if !self.open.is_empty() {
            self.scratch.push(id);
        }
        id
    }

    /// A scalar value.
    pub(crate) fn leaf(&mut self, span: Range<usize>) {
        self.push(Kind::Leaf, span);
    }

    /// Opens a sequence (`map == false`) or a mapping starting at byte `start`.
    pub(crate) fn begin(&mut self, map: bool, start: usize) {
        let id = self.push(if map { Kind::Map } else { Kind::Seq }, start..start);
        self.open.push((id, self.scratch.len()));
    }

    /// Moves the start of the innermost open collection to `start`.
    pub(crate) fn restart_open(&mut self, start: usize) {
        if let Some(&(id, _)) = self.open.last() {
            self.nodes[id as usize].value.0 = start as u32;
        }
    }

    /// Closes the innermost collection. `end` is the end of its closing bracket, or `None` for
    /// a block collection, which then ends where its last entry ends.
    pub(crate) fn end(&mut self, end: Option<usize>) {
        let Some((id, first)) = self.open.pop() else { return };
        let start = self.children.len() as u32;
        let kids = &mut self.scratch[first..];
        let last_end = kids.last().map(|&k| self.nodes[k as usize].value.1);
        if self.nodes[id as usize].kind == Kind::Map && kids.len() > 1 {
            let (text, owned, nodes) = (&self.text, &self.owned, &self.nodes);
            kids.sort_unstable_by(|&a, &b| -> Ordering {
                name_text(text, owned, nodes[a as usize].name).cmp(name_text(text, owned, nodes[b as usize].name))
            });
        }
        self.children.extend_from_slice(kids);
        let count = self.scratch.len() - first;
        self.scratch.truncate(first);
        let node = &mut self.nodes[id as usize];
        node.children = (start, count as u32);
        node.value.1 = match (end, last_end) {
            (Some(e), _) => e as u32,
            (None, Some(e)) => e.max(node.value.0),
            (None, None) => node.value.0,
        };
    }

    pub(crate) fn finish(mut self) -> SpanIndex {
        while !self.open.is_empty() {
            self.end(None);
        }
        SpanIndex { text: self.text, nodes: self.nodes, children: self.children, owned: self.owned }
    }
}
