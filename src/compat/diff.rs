//! The diff: compares a base contract set with a new one and lists the changes, each with the
//! rule it falls under (`docs/reference/compatibility.md`).
//!
//! The diff is a pure function over the model and the size layouts: it reads no files and
//! knows no positions. Each [`Change`] names what it is about ([`Subject`]) and where it shows
//! ([`Place`]) in one of the two documents ([`DocSide`]); the caller resolves places to file,
//! line and column through the loader's span index.
//!
//! Matching, in linear time (hash maps, no pairwise scans):
//!
//! 1. Messages by name, then an unmatched base message by `type_id` to an unmatched new message
//!    (a rename). What stays unmatched is removed or added.
//! 2. Fields of a matched pair by name, then a base field whose name is gone to the new field at
//!    the same position when it has the same type (a rename). Fields present in both whose
//!    relative order changed are moved (those outside a longest increasing run). A new field
//!    after the last matched field is appended, anywhere else inserted.
//! 3. Types compare with aliases folded (`uint64` is `u64`) and message references through the
//!    message matching (a field of a renamed message's type keeps its type).
//! 4. A message whose layout changed (a field removed, inserted, appended, moved, retyped or
//!    re-bounded) changes every field that embeds it: each is a `field-type-changed`, and the
//!    embedding message changes layout in turn, transitively.
//! 5. Services by name, their message lists as sets (through message renames).
//! 6. Enums by name; their values by name (a name with a new number, or a number with a new
//!    name, is `enum-value-changed`). Value changes are reported once, on the enum; a field that
//!    uses an enum changes type only when the enum's wire type changes or the enum is gone.

use std::collections::{HashMap, HashSet};

use crate::model::{BuiltinType, Contracts, Elem, FieldDef, Layout, MessageDef, Repetition, ShapeError};
use crate::load::Pointer;

use super::rules::{self, Rule};

/// One side of the comparison: a contract set and its size layout.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The contracts.
    pub contracts: &'a Contracts,
    /// Their layout, from [`Layout::compute`].
    pub layout: &'a Layout,
}

impl<'a> Side<'a> {
    /// Pairs contracts with their layout.
    pub fn new(contracts: &'a Contracts, layout: &'a Layout) -> Self {
        Side { contracts, layout }
    }
}

/// Which document a change's place is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocSide {
    /// The base document: used for what no longer exists in the new one (removals).
    Base,
    /// The new document: every other change.
    New,
}

/// What a change is about: a message, a field of a message, an enum, a value of an enum, or a
/// service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// An enum, by name.
    Enum(String),
    /// A value of an enum.
    EnumValue {
        /// The enum's name.
        enum_name: String,
        /// The value's name.
        value: String,
    },
    /// A message, by name.
    Message(String),
    /// A field of a message.
    Field {
        /// The message's name.
        message: String,
        /// The field's name.
        field: String,
    },
    /// A service, by name.
    Service(String),
}

impl Subject {
    fn field(message: &str, field: &str) -> Self {
        Subject::Field { message: message.to_string(), field: field.to_string() }
    }
}

impl std::fmt::Display for Subject {
    /// `SwapEvent`, `SwapEvent.amount_in`, `polygon-adapter`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Message(name) | Subject::Service(name) | Subject::Enum(name) => f.write_str(name),
            Subject::Field { message, field } => write!(f, "{message}.{field}"),
            Subject::EnumValue { enum_name, value } => write!(f, "{enum_name}.{value}"),
        }
    }
}

/// Where a change shows, in the document of its [`DocSide`]: the value a reviewer should look
/// at. Messages and fields by index in that side's contracts; services by name, in the
/// contracts document's shape even when a service file declared them (the caller maps them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A key of a message: `name`, `type_id` or `description`.
    Message {
        /// Index of the message in that side's contracts.
        index: usize,
        /// The key.
        key: &'static str,
    },
    /// A key of a field: `name`, `type`, `count`, `max_len`, `max_count` or `description`.
    Field {
        /// Index of the message in that side's contracts.
        message: usize,
        /// Index of the field in the message.
        field: usize,
        /// The key.
        key: &'static str,
    },
    /// A key of an enum: `name`, `type` or `description`.
    Enum {
        /// Index of the enum in that side's contracts.
        index: usize,
        /// The key.
        key: &'static str,
    },
    /// A value of an enum (its number).
    EnumValue {
        /// Index of the enum in that side's contracts.
        index: usize,
        /// The value's name.
        value: String,
    },
    /// A service, or one of its keys.
    Service {
        /// The service's name.
        name: String,
        /// Which part of it.
        key: ServiceKey,
    },
}

/// A part of a service declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceKey {
    /// The service itself (its name).
    Whole,
    /// `buffer_pool_enabled`.
    PoolSetting,
    /// One entry of its `messages` list.
    Message(usize),
}

impl Place {
    /// The place as a JSON pointer into the contracts document's shape
    /// (`/messages/0/fields/2/type`, `/services/feed/buffer_pool_enabled`).
    #[cfg(feature = "internals")]
    pub fn pointer(&self) -> Pointer {
        let root = Pointer::root();
        match self {
            Place::Message { index, key } => root.with("messages").with(*index).with(*key),
            Place::Field { message, field, key } => {
                root.with("messages").with(*message).with("fields").with(*field).with(*key)
            }
            Place::Enum { index, key } => root.with("enums").with(*index).with(*key),
            Place::EnumValue { index, value } => root.with("enums").with(*index).with("values").with(value),
            Place::Service { name, key } => {
                let base = root.with("services").with(name);
                match key {
                    ServiceKey::Whole => base,
                    ServiceKey::PoolSetting => base.with("buffer_pool_enabled"),
                    ServiceKey::Message(k) => base.with("messages").with(*k),
                }
            }
        }
    }
}

/// One change between the base and the new contracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule it falls under; its bump is `rule.bump`.
    pub rule: &'static Rule,
    /// One line with the before and after values (`SwapEvent: buffer class 128 -> 256 (MAX_SIZE
    /// 84 -> 148)`): the `message` of the JSON report.
    pub text: String,
    /// What changed, for advice (`SwapEvent`, `SwapEvent.amount_in`, `polygon-adapter`).
    pub subject: Subject,
    /// The document the place is in.
    pub side: DocSide,
    /// Where the change shows in that document.
    pub place: Place,
    /// Index of the affected message in the base contracts, if a message is affected.
    pub base_message: Option<usize>,
    /// Index of the affected message in the new contracts, if a message is affected.
    pub new_message: Option<usize>,
    /// What the change does on the wire, shown with one value encoded by one version and
    /// decoded by the other (see [`super::witness`]); `None` for changes that leave the wire as
    /// it was (renames, descriptions, services, pool settings) and when either side has no codec.
    pub witness: Option<String>,
}

impl Change {
    /// Advice text: `size-class change of SwapEvent`.
    pub fn what(&self) -> String {
        format!("{} {}", self.rule.noun, self.subject)
    }

    /// The affected enum, if the change is about an enum or one of its values.
    pub fn enum_name(&self) -> Option<&str> {
        match &self.subject {
            Subject::Enum(name) | Subject::EnumValue { enum_name: name, .. } => Some(name),
            _ => None,
        }
    }

    /// The affected service, if a service is affected.
    pub fn service(&self) -> Option<&str> {
        match &self.subject {
            Subject::Service(name) => Some(name),
            _ => None,
        }
    }
}

/// Compares `base` with `new` and returns every change, messages in the new document's order
/// (then removals in the base's), then services by name.
pub fn diff(base: Side<'_>, new: Side<'_>) -> Vec<Change> {
    let differ = Differ::new(base, new);
    let (mut changes, carriers) = differ.run();
    attach_witnesses(base, new, &mut changes, &carriers);
    changes
}

/// For each enum (by name), a message pair `(base, new)`, framed and matched, whose payloads
/// hold the enum (directly or through embedded messages): where an enum change shows on the wire.
type Carriers = HashMap<String, (usize, usize)>;

/// Payload bytes the witnesses of one comparison may encode and decode, in all.
pub const WITNESS_BUDGET_BYTES: usize = 64 << 20;

/// Whether changes of `rule` can change what a reader gets from the wire.
pub(crate) fn affects_wire(rule: &Rule) -> bool {
    ![
        rules::MESSAGE_RENAMED,
        rules::FIELD_RENAMED,
        rules::DESCRIPTION_CHANGED,
        rules::SERVICE_ADDED,
        rules::SERVICE_REMOVED,
        rules::SERVICE_MESSAGE_ADDED,
        rules::SERVICE_MESSAGE_REMOVED,
        rules::POOL_SETTING_CHANGED,
        // An enum no message holds yet: fields that start using it change type, and say so.
        rules::ENUM_ADDED,
    ]
    .contains(&rule)
}

/// Computes the witness of every change that affects the wire, once per message pair.
fn attach_witnesses(base: Side<'_>, new: Side<'_>, changes: &mut [Change], carriers: &Carriers) {
    use crate::dynamic::Codec;
    let (Ok(bc), Ok(nc)) = (Codec::new(base.contracts, base.layout), Codec::new(new.contracts, new.layout)) else {
        return;
    };
    type Key<'c> = (Option<usize>, Option<usize>, Option<&'c str>);
    let mut probed: HashMap<Key<'_>, Option<super::witness::Probed>> = HashMap::new();
    // Probing encodes and decodes every changed message four times: bounded, so that a hostile
    // document of thousands of 64 KiB messages costs seconds, not minutes. Past the budget,
    // changes go without a witness.
    let mut budget: usize = WITNESS_BUDGET_BYTES;
    let enum_names: Vec<Option<String>> = changes.iter().map(|c| c.enum_name().map(str::to_string)).collect();
    for (c, focus) in changes.iter_mut().zip(&enum_names) {
        if !affects_wire(c.rule) {
            continue;
        }
        let focus = focus.as_deref();
        let key = match focus.and_then(|e| carriers.get(e)) {
            Some(&(i, j)) => (Some(i), Some(j), focus),
            None if focus.is_some() => continue,
            None => (c.base_message, c.new_message, None),
        };
        if (key.0, key.1) == (None, None) {
            continue;
        }
        if !probed.contains_key(&key) {
            let size =
                |codec: &crate::dynamic::Codec, m: Option<usize>| m.map_or(0, |m| codec.message(m).max_size + 64);
            let cost = 4 * (size(&bc, key.0) + size(&nc, key.1));
            if cost > budget {
                continue;
            }
            budget -= cost;
        }
        let p = probed.entry(key).or_insert_with(|| super::witness::probe_pair(&bc, key.0, &nc, key.1, key.2));
        if let Some(p) = p {
            let focus = match &c.subject {
                Subject::Field { field, .. } => Some(field.as_str()),
                _ => None,
            };
            c.witness = Some(super::witness::render_witness(&bc, &nc, p, focus));
        }
    }
}

struct Differ<'a> {
    base: Side<'a>,
    new: Side<'a>,
    base_by_name: HashMap<&'a str, usize>,
    new_by_name: HashMap<&'a str, usize>,
    /// Whether each base message is the first of its name (later duplicates are skipped).
    base_first: Vec<bool>,
    /// Whether each new message is the first of its name.
    new_first: Vec<bool>,
    base_to_new: Vec<Option<usize>>,
    new_to_base: Vec<Option<usize>>,
    base_enums: HashMap<&'a str, usize>,
    new_enums: HashMap<&'a str, usize>,
    /// New messages whose layout changed (directly or through an embedded message).
    layout_changed: Vec<bool>,
    /// Matched fields of unchanged type that embed a message: `(embedded new message,
    /// embedding new message, field index in it, base message, base field index)`.
    embeds: Vec<(usize, usize, usize, usize, usize)>,
    changes: Vec<Change>,
}

fn first_index<'a, I: Iterator<Item = &'a str>>(names: I) -> HashMap<&'a str, usize> {
    let mut map = HashMap::new();
    for (i, n) in names.enumerate() {
        map.entry(n).or_insert(i);
    }
    map
}

/// Like [`first_index`], with a flag per element: whether it is the first of its name.
fn first_index_flags<'a, I: Iterator<Item = &'a str>>(names: I) -> (HashMap<&'a str, usize>, Vec<bool>) {
    let mut map = HashMap::new();
    let mut first = Vec::new();
    for (i, n) in names.enumerate() {
        let mut is_first = false;
        map.entry(n).or_insert_with(|| {
            is_first = true;
            i
        });
        first.push(is_first);
    }
    (map, first)
}

/// `u64`, `uint128[2]`, `i32[..16]`, `string(32)`, `SwapEvent`: a field's type as written.
fn type_text(f: &FieldDef) -> String {
    let mut s = f.ty.clone();
    if let Some(n) = f.max_len {
        s.push_str(&format!("({n})"));
    }
    if let Some(n) = f.count {
        s.push_str(&format!("[{n}]"));
    } else if let Some(n) = f.max_count {
        s.push_str(&format!("[..{n}]"));
    }
    s
}

/// A field's type as the diff compares it: what its shape's element is, or for a type that
/// does not resolve, its built-in type (`string` or `bytes` without `max_len`) or its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldType<'a> {
    Builtin(BuiltinType),
    Enum(usize),
    Message(usize),
    Unknown(&'a str),
}

/// The type and repetition of field `fi` of message `m`, from the layout's field shapes.
fn field_type<'a>(side: Side<'a>, m: usize, fi: usize) -> (FieldType<'a>, Repetition) {
    let f = &side.contracts.messages[m].fields[fi];
    match side.layout.shapes(m).get(fi) {
        Some(Ok(shape)) => {
            let ty = match shape.elem {
                Elem::Scalar(t) => FieldType::Builtin(t),
                Elem::Str(_) => FieldType::Builtin(BuiltinType::String),
                Elem::Bytes(_) => FieldType::Builtin(BuiltinType::Bytes),
                Elem::Enum(e) => FieldType::Enum(e),
                Elem::Message(k) => FieldType::Message(k),
            };
            (ty, shape.repetition)
        }
        Some(Err(ShapeError::Unbounded(t))) => (FieldType::Builtin(*t), Repetition::of(f)),
        Some(Err(ShapeError::UnknownType)) | None => (FieldType::Unknown(&f.ty), Repetition::of(f)),
    }
}

fn describe(d: Option<&String>) -> String {
    match d {
        None => "none".to_string(),
        Some(s) => {
            let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if one_line.chars().count() > 60 {
                format!("\"{}...\"", one_line.chars().take(57).collect::<String>())
            } else {
                format!("\"{one_line}\"")
            }
        }
    }
}

impl<'a> Differ<'a> {
    fn new(base: Side<'a>, new: Side<'a>) -> Self {
        let bm = &base.contracts.messages;
        let nm = &new.contracts.messages;
        let (base_by_name, base_first) = first_index_flags(bm.iter().map(|m| m.name.as_str()));
        let (new_by_name, new_first) = first_index_flags(nm.iter().map(|m| m.name.as_str()));
        let base_enums = first_index(base.contracts.enums.iter().map(|e| e.name.as_str()));
        let new_enums = first_index(new.contracts.enums.iter().map(|e| e.name.as_str()));
        Differ {
            base_enums,
            new_enums,
            base,
            new,
            base_by_name,
            new_by_name,
            base_first,
            new_first,
            base_to_new: vec![None; bm.len()],
            new_to_base: vec![None; nm.len()],
            layout_changed: vec![false; nm.len()],
            embeds: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn bmsg(&self, i: usize) -> &'a MessageDef {
        &self.base.contracts.messages[i]
    }

    fn nmsg(&self, j: usize) -> &'a MessageDef {
        &self.new.contracts.messages[j]
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static Rule,
        side: DocSide,
        place: Place,
        subject: Subject,
        text: String,
        base_message: Option<usize>,
        new_message: Option<usize>,
    ) {
        let text = cut(text);
        self.changes.push(Change { rule, text, subject, side, place, base_message, new_message, witness: None });
    }

    fn run(mut self) -> (Vec<Change>, Carriers) {
        self.match_messages();
        self.compare_enums();
        for j in 0..self.new.contracts.messages.len() {
            match self.new_to_base[j] {
                Some(i) => self.compare_messages(i, j),
                None => {
                    if !self.new_first[j] {
                        continue; // a duplicate name: the checks report it
                    }
                    let m = self.nmsg(j);
                    let size = match self.new.layout.get(j) {
                        Some(Ok(l)) => format!(", MAX_SIZE {}, buffer class {}", l.max_size, l.buffer_class),
                        _ => String::new(),
                    };
                    self.push(
                        rules::MESSAGE_ADDED,
                        DocSide::New,
                        Place::Message { index: j, key: "name" },
                        Subject::Message(m.name.clone()),
                        format!("{} added ({}{size})", m.name, framing(m)),
                        None,
                        Some(j),
                    );
                }
            }
        }
        for i in 0..self.base.contracts.messages.len() {
            if self.base_to_new[i].is_none() && self.base_first[i] {
                let m = self.bmsg(i);
                self.push(
                    rules::MESSAGE_REMOVED,
                    DocSide::Base,
                    Place::Message { index: i, key: "name" },
                    Subject::Message(m.name.clone()),
                    format!("{} ({}) removed", m.name, framing(m)),
                    Some(i),
                    None,
                );
            }
        }
        self.propagate_embedded_layouts();
        self.compare_services();
        let carriers = self.carriers();
        (self.changes, carriers)
    }

    /// Enums by name: added, removed, wire type, values, description.
    fn compare_enums(&mut self) {
        let (base, new): (&'a Contracts, &'a Contracts) = (self.base.contracts, self.new.contracts);
        for (k, e) in new.enums.iter().enumerate() {
            if self.new_enums.get(e.name.as_str()) != Some(&k) {
                continue; // a duplicate name: the checks report it
            }
            let Some(&bk) = self.base_enums.get(e.name.as_str()) else {
                self.push(
                    rules::ENUM_ADDED,
                    DocSide::New,
                    Place::Enum { index: k, key: "name" },
                    Subject::Enum(e.name.clone()),
                    format!("enum {} added ({}; {})", e.name, e.ty, values_text(e, 12)),
                    None,
                    None,
                );
                continue;
            };
            let b = &base.enums[bk];
            let name = e.name.as_str();
            if b.wire_type() != e.wire_type() {
                self.push(
                    rules::ENUM_TYPE_CHANGED,
                    DocSide::New,
                    Place::Enum { index: k, key: "type" },
                    Subject::Enum(name.to_string()),
                    format!("enum {name}: type {} -> {}", b.ty, e.ty),
                    None,
                    None,
                );
            }
            self.compare_enum_values(bk, k);
            if b.description != e.description {
                let key = if e.description.is_some() { "description" } else { "name" };
                self.push(
                    rules::DESCRIPTION_CHANGED,
                    DocSide::New,
                    Place::Enum { index: k, key },
                    Subject::Enum(name.to_string()),
                    format!(
                        "enum {name}: description {} -> {}",
                        describe(b.description.as_ref()),
                        describe(e.description.as_ref())
                    ),
                    None,
                    None,
                );
            }
        }
        for (k, e) in base.enums.iter().enumerate() {
            if self.base_enums.get(e.name.as_str()) == Some(&k) && !self.new_enums.contains_key(e.name.as_str()) {
                self.push(
                    rules::ENUM_REMOVED,
                    DocSide::Base,
                    Place::Enum { index: k, key: "name" },
                    Subject::Enum(e.name.clone()),
                    format!("enum {} removed ({}; {})", e.name, e.ty, values_text(e, 12)),
                    None,
                    None,
                );
            }
        }
    }

    /// The values of a matched enum pair, by name: a name with a new number, or a number with a
    /// new name, is changed; a new name with a new number is added; a name gone is removed
    /// (unless its number now has the new name: that is one change, not two).
    fn compare_enum_values(&mut self, bk: usize, k: usize) {
        let (b, e) = (&self.base.contracts.enums[bk], &self.new.contracts.enums[k]);
        let name = e.name.as_str();
        let b_by_name: HashMap<&str, i128> = b.values.0.iter().map(|v| (v.name.as_str(), v.value)).collect();
        let n_by_name: HashMap<&str, i128> = e.values.0.iter().map(|v| (v.name.as_str(), v.value)).collect();
        let b_by_number: HashMap<i128, &str> = b.values.0.iter().rev().map(|v| (v.value, v.name.as_str())).collect();
        let mut renamed_away: HashSet<&str> = HashSet::new();
        let value_place = |v: &str| Place::EnumValue { index: k, value: v.to_string() };
        let subject = |v: &str| Subject::EnumValue { enum_name: name.to_string(), value: v.to_string() };
        let mut pending = Vec::new();
        for v in &e.values.0 {
            match b_by_name.get(v.name.as_str()) {
                Some(&old) if old != v.value => pending.push((
                    rules::ENUM_VALUE_CHANGED,
                    DocSide::New,
                    value_place(&v.name),
                    subject(&v.name),
                    format!("{name}.{}: value {old} -> {}", v.name, v.value),
                )),
                Some(_) => {}
                None => match b_by_number.get(&v.value) {
                    Some(&was) => {
                        if !n_by_name.contains_key(was) {
                            renamed_away.insert(was);
                        }
                        pending.push((
                            rules::ENUM_VALUE_CHANGED,
                            DocSide::New,
                            value_place(&v.name),
                            subject(&v.name),
                            format!("{name}: value {} is now named {} (was {was})", v.value, v.name),
                        ));
                    }
                    None => pending.push((
                        rules::ENUM_VALUE_ADDED,
                        DocSide::New,
                        value_place(&v.name),
                        subject(&v.name),
                        format!("{name}.{} = {} added", v.name, v.value),
                    )),
                },
            }
        }
        for v in &b.values.0 {
            if !n_by_name.contains_key(v.name.as_str()) && !renamed_away.contains(v.name.as_str()) {
                pending.push((
                    rules::ENUM_VALUE_REMOVED,
                    DocSide::Base,
                    Place::EnumValue { index: bk, value: v.name.clone() },
                    subject(&v.name),
                    format!("{name}.{} = {} removed", v.name, v.value),
                ));
            }
        }
        for (rule, side, place, subject, text) in pending {
            self.push(rule, side, place, subject, text, None, None);
        }
    }

    /// Where each enum shows on the wire: for enums of the new contracts, the first matched
    /// pair of framed messages (in new order) whose new payload holds it; for enums only the
    /// base has, the same through the base's messages. Linear in the fields: a message's
    /// enums are collected once, under the first pair that reaches it.
    fn carriers(&self) -> Carriers {
        let mut out = Carriers::new();
        let framed_pair = |i: usize, j: usize| self.bmsg(i).is_framed() && self.nmsg(j).is_framed();
        let pairs_new: Vec<(usize, usize)> =
            (0..self.new_to_base.len()).filter_map(|j| self.new_to_base[j].map(|i| (i, j))).collect();
        let pairs_base: Vec<(usize, usize)> =
            (0..self.base_to_new.len()).filter_map(|i| self.base_to_new[i].map(|j| (i, j))).collect();
        for (new_side, side, pairs) in [(true, self.new, &pairs_new), (false, self.base, &pairs_base)] {
            let messages = &side.contracts.messages;
            let mut seen = vec![false; messages.len()];
            for &(i, j) in pairs.iter().filter(|&&(i, j)| framed_pair(i, j)) {
                let root = if new_side { j } else { i };
                let mut stack = vec![root];
                while let Some(m) = stack.pop() {
                    if std::mem::replace(&mut seen[m], true) {
                        continue;
                    }
                    for shape in side.layout.shapes(m).iter().flatten() {
                        match shape.elem {
                            Elem::Message(k) => stack.push(k),
                            Elem::Enum(e) => {
                                out.entry(side.contracts.enums[e].name.clone()).or_insert((i, j));
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        out
    }

    fn match_messages(&mut self) {
        for (i, m) in self.base.contracts.messages.iter().enumerate() {
            if !self.base_first[i] {
                continue;
            }
            if let Some(&j) = self.new_by_name.get(m.name.as_str()) {
                self.base_to_new[i] = Some(j);
                self.new_to_base[j] = Some(i);
            }
        }
        // Renames: an unmatched base message and an unmatched new message with its `type_id`.
        let mut new_by_id: HashMap<u16, usize> = HashMap::new();
        for (j, m) in self.new.contracts.messages.iter().enumerate() {
            if self.new_to_base[j].is_none()
                && self.new_first[j]
                && let Some(id) = m.type_id
            {
                new_by_id.entry(id).or_insert(j);
            }
        }
        for (i, m) in self.base.contracts.messages.iter().enumerate() {
            if self.base_to_new[i].is_some() || !self.base_first[i] {
                continue;
            }
            if let Some(j) = m.type_id.and_then(|id| new_by_id.remove(&id)) {
                self.base_to_new[i] = Some(j);
                self.new_to_base[j] = Some(i);
            }
        }
    }

    /// Whether field `bi` of base message `i` and field `ni` of new message `j` have the same
    /// type: aliases folded, message references through the matching, an enum of the same name
    /// and wire type, the same fixed `count`, both or neither a variable array.
    fn same_type(&self, (i, bi): (usize, usize), (j, ni): (usize, usize)) -> bool {
        let (bt, br) = field_type(self.base, i, bi);
        let (nt, nr) = field_type(self.new, j, ni);
        let same_repetition = match (br, nr) {
            (Repetition::One, Repetition::One) | (Repetition::Var(_), Repetition::Var(_)) => true,
            (Repetition::Fixed(x), Repetition::Fixed(y)) => x == y,
            _ => false,
        };
        if !same_repetition {
            return false;
        }
        match (bt, nt) {
            (FieldType::Builtin(x), FieldType::Builtin(y)) => x == y,
            (FieldType::Enum(x), FieldType::Enum(y)) => {
                let (be, ne) = (&self.base.contracts.enums[x], &self.new.contracts.enums[y]);
                be.name == ne.name && be.wire_type() == ne.wire_type()
            }
            // A message through the matching (a renamed message keeps its fields' type).
            (FieldType::Message(x), FieldType::Message(y)) => self.base_to_new[x] == Some(y),
            // A name the base does not define keeps its type where it is spelled the same.
            (FieldType::Unknown(x), FieldType::Unknown(y)) => x == y,
            (FieldType::Unknown(x), FieldType::Message(y)) => self.nmsg(y).name == x,
            _ => false,
        }
    }

    fn compare_messages(&mut self, i: usize, j: usize) {
        let (bm, nm) = (self.bmsg(i), self.nmsg(j));
        let name: &'a str = nm.name.as_str();
        if bm.name != nm.name {
            self.push(
                rules::MESSAGE_RENAMED,
                DocSide::New,
                Place::Message { index: j, key: "name" },
                Subject::Message(bm.name.to_string()),
                format!("{} renamed to {} ({})", bm.name, nm.name, framing(nm)),
                Some(i),
                Some(j),
            );
        }
        match (bm.type_id, nm.type_id) {
            (Some(b), Some(n)) if b != n => self.push(
                rules::MESSAGE_TYPE_ID_CHANGED,
                DocSide::New,
                Place::Message { index: j, key: "type_id" },
                Subject::Message(name.to_string()),
                format!("{name}: type_id {b} -> {n}"),
                Some(i),
                Some(j),
            ),
            (None, Some(n)) => self.push(
                rules::MESSAGE_FRAMED,
                DocSide::New,
                Place::Message { index: j, key: "type_id" },
                Subject::Message(name.to_string()),
                format!("{name}: embedded-only -> type_id {n}"),
                Some(i),
                Some(j),
            ),
            (Some(b), None) => self.push(
                rules::MESSAGE_FRAMING_CHANGED,
                DocSide::New,
                Place::Message { index: j, key: "name" },
                Subject::Message(name.to_string()),
                format!("{name}: type_id {b} -> embedded-only"),
                Some(i),
                Some(j),
            ),
            _ => {}
        }
        if bm.description != nm.description {
            let ptr = if nm.description.is_some() { "description" } else { "name" };
            self.push(
                rules::DESCRIPTION_CHANGED,
                DocSide::New,
                Place::Message { index: j, key: ptr },
                Subject::Message(name.to_string()),
                format!(
                    "{name}: description {} -> {}",
                    describe(bm.description.as_ref()),
                    describe(nm.description.as_ref())
                ),
                Some(i),
                Some(j),
            );
        }
        if self.compare_fields(i, j) {
            self.layout_changed[j] = true;
        }
        if let (Some(Ok(bl)), Some(Ok(nl))) = (self.base.layout.get(i), self.new.layout.get(j))
            && nl.buffer_class > bl.buffer_class
        {
            self.push(
                rules::SIZE_CLASS_GREW,
                DocSide::New,
                Place::Message { index: j, key: "name" },
                Subject::Message(name.to_string()),
                format!(
                    "{name}: buffer class {} -> {} (MAX_SIZE {} -> {})",
                    bl.buffer_class, nl.buffer_class, bl.max_size, nl.max_size
                ),
                Some(i),
                Some(j),
            );
        }
    }

    /// Compares the fields of a matched pair; returns whether the layout changed directly.
    fn compare_fields(&mut self, i: usize, j: usize) -> bool {
        let (bm, nm) = (self.bmsg(i), self.nmsg(j));
        let (bf, nf) = (&bm.fields, &nm.fields);
        // Fast path, the common case: the same field names in the same order.
        if bf.len() == nf.len() && bf.iter().zip(nf).all(|(b, n)| b.name == n.name) {
            let mut layout = false;
            for k in 0..bf.len() {
                layout |= self.compare_field_pair(i, j, k, k, false);
            }
            return layout;
        }
        let mname = nm.name.as_str();
        let bmap = first_index(bf.iter().map(|f| f.name.as_str()));
        let nmap = first_index(nf.iter().map(|f| f.name.as_str()));
        let mut b2n: Vec<Option<usize>> = vec![None; bf.len()];
        let mut n2b: Vec<Option<usize>> = vec![None; nf.len()];
        for (bi, f) in bf.iter().enumerate() {
            if bmap.get(f.name.as_str()) == Some(&bi)
                && let Some(&ni) = nmap.get(f.name.as_str())
            {
                b2n[bi] = Some(ni);
                n2b[ni] = Some(bi);
            }
        }
        let mut renamed = vec![false; nf.len()];
        for bi in 0..bf.len() {
            if b2n[bi].is_none()
                && bmap.get(bf[bi].name.as_str()) == Some(&bi)
                && bi < nf.len()
                && n2b[bi].is_none()
                && nmap.get(nf[bi].name.as_str()) == Some(&bi)
                && self.same_type((i, bi), (j, bi))
            {
                b2n[bi] = Some(bi);
                n2b[bi] = Some(bi);
                renamed[bi] = true;
            }
        }
        let mut layout = false;
        let fptr = |ni: usize, key: &'static str| Place::Field { message: j, field: ni, key };

        // Moved: matched fields outside a longest increasing run of new positions.
        let matched: Vec<(usize, usize)> = b2n.iter().enumerate().filter_map(|(bi, n)| n.map(|ni| (bi, ni))).collect();
        let keep = longest_increasing(&matched.iter().map(|&(_, ni)| ni).collect::<Vec<_>>());
        for (k, &(bi, ni)) in matched.iter().enumerate() {
            if !keep[k] {
                layout = true;
                let f = &nf[ni];
                self.push(
                    rules::FIELD_MOVED,
                    DocSide::New,
                    fptr(ni, "name"),
                    Subject::field(mname, &f.name),
                    format!("{mname}.{}: moved from position {bi} to {ni}", f.name),
                    Some(i),
                    Some(j),
                );
            }
        }
        for &(bi, ni) in &matched {
            layout |= self.compare_field_pair(i, j, bi, ni, renamed[ni]);
        }
        let last_matched = matched.iter().map(|&(_, ni)| ni).max();
        for (ni, f) in nf.iter().enumerate() {
            if n2b[ni].is_some() || nmap.get(f.name.as_str()) != Some(&ni) {
                continue;
            }
            layout = true;
            let subject = Subject::field(mname, &f.name);
            let appended = last_matched.is_none_or(|last| ni > last);
            let (rule, what) =
                if appended { (rules::FIELD_APPENDED, "appended") } else { (rules::FIELD_INSERTED, "inserted") };
            self.push(
                rule,
                DocSide::New,
                fptr(ni, "name"),
                subject.clone(),
                format!("{subject} ({}) {what} at position {ni}", type_text(f)),
                Some(i),
                Some(j),
            );
        }
        for (bi, f) in bf.iter().enumerate() {
            if b2n[bi].is_some() || bmap.get(f.name.as_str()) != Some(&bi) {
                continue;
            }
            layout = true;
            let subject = Subject::field(&bm.name, &f.name);
            self.push(
                rules::FIELD_REMOVED,
                DocSide::Base,
                Place::Field { message: i, field: bi, key: "name" },
                subject.clone(),
                format!("{subject} ({}) removed from position {bi}", type_text(f)),
                Some(i),
                Some(j),
            );
        }
        layout
    }

    /// Compares the matched fields `bi` (base) and `ni` (new) of messages `i` and `j`; returns
    /// whether the layout changed.
    fn compare_field_pair(&mut self, i: usize, j: usize, bi: usize, ni: usize, renamed: bool) -> bool {
        let (bm, nm) = (self.bmsg(i), self.nmsg(j));
        let (bf, nf) = (&bm.fields, &nm.fields);
        let mname = nm.name.as_str();
        let fptr = |ni: usize, key: &'static str| Place::Field { message: j, field: ni, key };
        let mut layout = false;
        let (b, n) = (&bf[bi], &nf[ni]);
        let subject = Subject::field(mname, &n.name);
        if renamed {
            self.push(
                rules::FIELD_RENAMED,
                DocSide::New,
                fptr(ni, "name"),
                Subject::field(mname, &b.name),
                format!("{mname}: field {} renamed to {} (position {ni}, {})", b.name, n.name, type_text(n)),
                Some(i),
                Some(j),
            );
        }
        let ((_, br), (nt, nr)) = (field_type(self.base, i, bi), field_type(self.new, j, ni));
        if !self.same_type((i, bi), (j, ni)) {
            layout = true;
            // The key to point at: `count` where only the fixed count was edited.
            let key = if b.ty == n.ty && matches!(nr, Repetition::Fixed(_)) && br != nr { "count" } else { "type" };
            // What became of the enum the base field names, if the new field names it too.
            let wire = |side: Side<'a>, enums: &HashMap<&'a str, usize>, name: &str| {
                enums.get(name).map(|&k| side.contracts.enums[k].wire_type().canonical_name())
            };
            let note = match (wire(self.base, &self.base_enums, &b.ty), wire(self.new, &self.new_enums, &n.ty)) {
                (Some(x), Some(y)) if b.ty == n.ty && x != y => format!(" (enum wire type {x} -> {y})"),
                (Some(_), None) if b.ty == n.ty => format!(" (enum {} removed)", b.ty),
                _ => String::new(),
            };
            self.push(
                rules::FIELD_TYPE_CHANGED,
                DocSide::New,
                fptr(ni, key),
                subject.clone(),
                format!("{subject}: type {} -> {}{note}", type_text(b), type_text(n)),
                Some(i),
                Some(j),
            );
        } else {
            // The bounds as written: a change is reported also where the shape ignores it.
            for (key, old, new) in [("max_len", b.max_len, n.max_len), ("max_count", b.max_count, n.max_count)] {
                if let (Some(old), Some(new)) = (old, new)
                    && old != new
                {
                    layout = true;
                    let rule = if new < old { rules::FIELD_BOUND_NARROWED } else { rules::FIELD_BOUND_WIDENED };
                    self.push(
                        rule,
                        DocSide::New,
                        fptr(ni, key),
                        subject.clone(),
                        format!("{subject}: {key} {old} -> {new}"),
                        Some(i),
                        Some(j),
                    );
                }
            }
            if let FieldType::Message(t) = nt {
                self.embeds.push((t, j, ni, i, bi));
            }
        }
        if b.description != n.description {
            let key = if n.description.is_some() { "description" } else { "name" };
            self.push(
                rules::DESCRIPTION_CHANGED,
                DocSide::New,
                fptr(ni, key),
                subject.clone(),
                format!(
                    "{subject}: description {} -> {}",
                    describe(b.description.as_ref()),
                    describe(n.description.as_ref())
                ),
                Some(i),
                Some(j),
            );
        }
        layout
    }

    /// Marks every field that embeds a message whose layout changed as `field-type-changed`,
    /// transitively, each field once.
    fn propagate_embedded_layouts(&mut self) {
        let n = self.new.contracts.messages.len();
        // Compressed adjacency: embedded message -> links.
        let mut start = vec![0usize; n + 1];
        for &(t, ..) in &self.embeds {
            start[t + 1] += 1;
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut links = vec![(0usize, 0usize, 0usize, 0usize); self.embeds.len()];
        for &(t, j, ni, i, bi) in &self.embeds {
            links[fill[t]] = (j, ni, i, bi);
            fill[t] += 1;
        }
        let mut queue: Vec<usize> = (0..n).filter(|&j| self.layout_changed[j]).collect();
        while let Some(t) = queue.pop() {
            let inner = self.nmsg(t).name.clone();
            let sizes = match (self.new_to_base[t].and_then(|i| self.base.layout.get(i)), self.new.layout.get(t)) {
                (Some(Ok(b)), Some(Ok(n))) => format!(" (MAX_SIZE {} -> {})", b.max_size, n.max_size),
                _ => String::new(),
            };
            for &(j, ni, i, _bi) in &links[start[t]..start[t + 1]] {
                let outer = self.nmsg(j);
                let subject = Subject::field(&outer.name, &outer.fields[ni].name);
                self.push(
                    rules::FIELD_TYPE_CHANGED,
                    DocSide::New,
                    Place::Field { message: j, field: ni, key: "type" },
                    subject.clone(),
                    format!("{subject}: embedded message {inner} changed layout{sizes}"),
                    Some(i),
                    Some(j),
                );
                if !self.layout_changed[j] {
                    self.layout_changed[j] = true;
                    queue.push(j);
                }
            }
        }
    }

    fn compare_services(&mut self) {
        let (base, new): (&'a Contracts, &'a Contracts) = (self.base.contracts, self.new.contracts);
        let (bs, ns) = (&base.services, &new.services);
        let svc = |name: &str, key: ServiceKey| Place::Service { name: name.to_string(), key };
        for (name, n) in ns {
            let Some(b) = bs.get(name) else {
                self.push_service(
                    rules::SERVICE_ADDED,
                    DocSide::New,
                    svc(name, ServiceKey::Whole),
                    name,
                    format!("service {name} added (handles {} messages)", n.messages.len()),
                );
                continue;
            };
            // Base names as they are called now (through message renames).
            let now = |m: &'a str| -> &'a str {
                match self.base_by_name.get(m).and_then(|&i| self.base_to_new[i]) {
                    Some(j) => self.nmsg(j).name.as_str(),
                    None => m,
                }
            };
            if b.messages == n.messages && b.messages.iter().all(|m| now(m) == m) {
                // Fast path: the same list, no renames.
                if b.buffer_pool_enabled != n.buffer_pool_enabled {
                    self.push_service(
                        rules::POOL_SETTING_CHANGED,
                        DocSide::New,
                        svc(name, ServiceKey::PoolSetting),
                        name,
                        format!("{name}: buffer_pool_enabled {} -> {}", b.buffer_pool_enabled, n.buffer_pool_enabled),
                    );
                }
                continue;
            }
            let before: HashSet<&str> = b.messages.iter().map(|m| now(m)).collect();
            let after: HashSet<&str> = n.messages.iter().map(String::as_str).collect();
            let mut seen = HashSet::new();
            let mut pending = Vec::new();
            for (k, m) in n.messages.iter().enumerate() {
                if !before.contains(m.as_str()) && seen.insert(m.as_str()) {
                    pending.push((
                        rules::SERVICE_MESSAGE_ADDED,
                        DocSide::New,
                        svc(name, ServiceKey::Message(k)),
                        format!("{name}: now handles {m}"),
                    ));
                }
            }
            let mut seen = HashSet::new();
            for (k, m) in b.messages.iter().enumerate() {
                if !after.contains(now(m)) && seen.insert(m.as_str()) {
                    pending.push((
                        rules::SERVICE_MESSAGE_REMOVED,
                        DocSide::Base,
                        svc(name, ServiceKey::Message(k)),
                        format!("{name}: no longer handles {m}"),
                    ));
                }
            }
            if b.buffer_pool_enabled != n.buffer_pool_enabled {
                pending.push((
                    rules::POOL_SETTING_CHANGED,
                    DocSide::New,
                    svc(name, ServiceKey::PoolSetting),
                    format!("{name}: buffer_pool_enabled {} -> {}", b.buffer_pool_enabled, n.buffer_pool_enabled),
                ));
            }
            for (rule, side, place, text) in pending {
                self.push_service(rule, side, place, name, text);
            }
        }
        for (name, b) in bs {
            if !ns.contains_key(name) {
                self.push_service(
                    rules::SERVICE_REMOVED,
                    DocSide::Base,
                    svc(name, ServiceKey::Whole),
                    name,
                    format!("service {name} removed (handled {} messages)", b.messages.len()),
                );
            }
        }
    }

    fn push_service(&mut self, rule: &'static Rule, side: DocSide, place: Place, name: &str, text: String) {
        self.changes.push(Change {
            rule,
            text: cut(text),
            subject: Subject::Service(name.to_string()),
            side,
            place,
            base_message: None,
            new_message: None,
            witness: None,
        });
    }
}

/// A change's text cut to [`crate::check::MAX_TEXT`] bytes: descriptions have no length limit,
/// and `description-changed` quotes both sides.
fn cut(mut text: String) -> String {
    crate::check::cut_text(&mut text);
    text
}

/// Marks the elements of a longest strictly increasing subsequence of `xs` (O(n log n)).
fn longest_increasing(xs: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // indices into xs
    let mut prev = vec![usize::MAX; xs.len()];
    for (k, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        if pos > 0 {
            prev[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; xs.len()];
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        keep[k] = true;
        k = prev[k];
    }
    keep
}

/// `type_id 7`, or `embedded-only`.
fn framing(m: &MessageDef) -> String {
    match m.type_id {
        Some(id) => format!("type_id {id}"),
        None => "embedded-only".to_string(),
    }
}

/// `Buy=1, Sell=2`: an enum's values as written, cut after `limit` of them.
pub(crate) fn values_text(e: &crate::model::EnumDef, limit: usize) -> String {
    let mut parts: Vec<String> = e.values.0.iter().take(limit).map(|v| format!("{}={}", v.name, v.value)).collect();
    if e.values.0.len() > limit {
        parts.push(format!("… {} more", e.values.0.len() - limit));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn witnesses_stop_at_their_budget() {
        let message = |i: usize| {
            serde_json::json!({"name": format!("M{i}"), "type_id": i + 1,
                "fields": [{"name": "blob", "type": "bytes", "max_len": 65_000}]})
        };
        let base: Contracts = serde_json::from_value(serde_json::json!({"version": "1.0.0", "messages": []})).unwrap();
        let new: Contracts = serde_json::from_value(serde_json::json!({
            "version": "1.1.0", "messages": (0..600).map(message).collect::<Vec<_>>()}))
        .unwrap();
        let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
        let changes = diff(Side::new(&base, &bl), Side::new(&new, &nl));
        assert_eq!(changes.len(), 600);
        let with = changes.iter().filter(|c| c.witness.is_some()).count();
        // 4 probes of 65,066 bytes each (with the per-message overhead) fit 257 times in 64 MiB.
        assert_eq!(with, WITNESS_BUDGET_BYTES / (4 * (65_002 + 64)));
        assert_eq!(
            changes[0].witness.as_deref(),
            Some("a 1.0.0 reader rejects a 1.1.0 M0: type_id 1 is unknown to it")
        );
    }

    #[test]
    fn an_enum_declared_twice_is_the_first_for_sizes_and_witnesses_alike() {
        // A `duplicate-message` finding, yet compared: the layout and the codec must agree on
        // the enum's wire type (4 bytes here), or probing reads past the field.
        let contracts = |x: &str| -> Contracts {
            serde_json::from_value(serde_json::json!({"version": "1.0.0",
                "enums": [{"name": "E", "type": "u32", "values": {"A": 1}},
                          {"name": "E", "type": "u8", "values": {"A": 1}}],
                "messages": [{"name": "M", "type_id": 1,
                    "fields": [{"name": "e", "type": "E"}, {"name": "x", "type": x}]}]}))
            .unwrap()
        };
        let (base, new) = (contracts("u8"), contracts("u16"));
        let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
        let at: Vec<(u64, u64)> = bl.get(0).unwrap().as_ref().unwrap().fields.iter().map(|f| (f.offset, f.size)).collect();
        assert_eq!(at, vec![(0, 4), (4, 1)]);
        let changes = diff(Side::new(&base, &bl), Side::new(&new, &nl));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].text, "M.x: type u8 -> u16");
        assert!(changes[0].witness.is_some());
    }

    #[test]
    fn longest_increasing_keeps_the_longest_run() {
        assert_eq!(longest_increasing(&[0, 1, 2]), vec![true, true, true]);
        assert_eq!(longest_increasing(&[2, 0, 1]), vec![false, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
        let keep = longest_increasing(&[3, 0, 1, 2, 4]);
        assert_eq!(keep, vec![false, true, true, true, true]);
    }
}
