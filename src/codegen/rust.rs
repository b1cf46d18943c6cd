//! `contracts.rs`: one Rust module with a type per enum and per message and a module per service.
//!
//! The text is emitted already formatted the way `rustfmt` formats it with the repository's
//! `rustfmt.toml` (`max_width = 120`, `use_small_heuristics = "Max"`): a list goes on one line
//! when the line fits in 120 columns and one item per line otherwise. A test runs `rustfmt
//! --check` on the output to keep the two in step.

use super::{CodegenError, Options, Serde};
use crate::model::{BuiltinType, Contracts, EnumDef, FieldDef, Layout, MessageDef, MessageLayout, Resolved, TypeRef};

const MAX_WIDTH: usize = 120;
const RUNTIME: &str = "::mycelium_contracts::runtime";

/// Rust keywords that a snake_case name can spell, strict and reserved, all editions.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super"];

/// A Rust identifier for a snake_case name, and the name serde must use when they differ.
fn snake_ident(name: &str) -> Result<(String, Option<String>), String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!("`{name}` is not a snake_case name"));
    }
    if NOT_RAW.contains(&name) {
        Ok((format!("{name}_"), Some(name.to_string())))
    } else if KEYWORDS.contains(&name) {
        Ok((format!("r#{name}"), None))
    } else {
        Ok((name.to_string(), None))
    }
}

fn message_ident(name: &str) -> Result<&str, String> {
    let valid =
        name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid || name == "Self" {
        return Err(format!("`{name}` cannot be the name of a Rust type"));
    }
    Ok(name)
}

fn service_ident(name: &str) -> Result<String, String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!("service `{name}` is not a kebab-case name"));
    }
    snake_ident(&name.replace('-', "_")).map(|(ident, _)| ident)
}

/// The Rust type of one element of a field.
fn element_type(f: &FieldDef, message: &str) -> Result<String, String> {
    use BuiltinType::*;
    Ok(match f.type_ref() {
        TypeRef::Builtin(t) => match t {
            Bool => "bool".into(),
            U8 | I8 | U16 | I16 | U32 | I32 | F32 | U64 | I64 | F64 | U128 | I128 => t.canonical_name().into(),
            Address => "rt::Address".into(),
            Uint256 => "rt::U256".into(),
            Int256 => "rt::I256".into(),
            Hash => "rt::Hash".into(),
            String | Bytes => {
                let Some(n) = f.max_len else {
                    return Err(format!("field `{message}.{}` has no max_len", f.name));
                };
                let inline = if t == String { "InlineString" } else { "InlineBytes" };
                format!("rt::{inline}<{n}>")
            }
        },
        TypeRef::Named(name) => message_ident(name)?.to_string(),
    })
}

/// The Rust type of a field, and whether it is a fixed array.
fn field_type(f: &FieldDef, message: &str) -> Result<(String, bool), String> {
    let elem = element_type(f, message)?;
    Ok(match (f.count, f.max_count) {
        (Some(_), Some(_)) => return Err(format!("field `{message}.{}` has both count and max_count", f.name)),
        (Some(n), None) => (format!("[{elem}; {n}]"), true),
        (None, Some(n)) => (format!("rt::InlineVec<{elem}, {n}>"), false),
        (None, None) => (elem, false),
    })
}

/// The type a view's accessor returns for one element of a field: an enum is its own view.
fn element_view_type(contracts: &Contracts, f: &FieldDef) -> Result<String, String> {
    use BuiltinType::*;
    Ok(match contracts.resolve(f) {
        Resolved::Builtin(t) => match t {
            Bool => "bool".into(),
            U8 | I8 | U16 | I16 | U32 | I32 | F32 | U64 | I64 | F64 | U128 | I128 => t.canonical_name().into(),
            Address => "rt::Address".into(),
            Uint256 => "rt::U256".into(),
            Int256 => "rt::I256".into(),
            Hash => "rt::Hash".into(),
            String => "&'a str".into(),
            Bytes => "&'a [u8]".into(),
        },
        Resolved::Enum(e) => message_ident(&e.name)?.to_string(),
        Resolved::Message(m) => format!("{}View<'a>", message_ident(&m.name)?),
        Resolved::Unknown(name) => return Err(format!("field `{}` has the unknown type `{name}`", f.name)),
    })
}

/// The type a view's accessor returns for a field: arrays are [`ArrayView`]s of the element type.
fn field_view_type(contracts: &Contracts, f: &FieldDef, message: &str) -> Result<String, String> {
    if f.count.is_some() || f.max_count.is_some() {
        Ok(format!("rt::ArrayView<'a, {}>", element_type(f, message)?))
    } else {
        element_view_type(contracts, f)
    }
}

/// Names a view type has besides its accessors: a field may not take them.
const VIEW_METHODS: &[&str] = &["to_owned", "as_bytes"];

/// How the contract spells the field's type, for its doc line: `` `string` (max_len 32) ``.
fn contract_type(f: &FieldDef) -> String {
    let mut bounds = Vec::new();
    if let Some(n) = f.max_len {
        bounds.push(format!("max_len {n}"));
    }
    if let Some(n) = f.count {
        bounds.push(format!("count {n}"));
    }
    if let Some(n) = f.max_count {
        bounds.push(format!("max_count {n}"));
    }
    if bounds.is_empty() { format!("`{}`", f.ty) } else { format!("`{}` ({})", f.ty, bounds.join(", ")) }
}

/// Lines of text being built, with four-space indentation levels.
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, level: usize, text: &str) {
        if text.is_empty() {
            self.text.push('\n');
            return;
        }
        for _ in 0..level {
            self.text.push_str("    ");
        }
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    /// `///` lines for free text: trailing spaces trimmed, code fences defused (a description is
    /// not a doctest).
    fn docs(&mut self, level: usize, text: &str) {
        for l in text.trim().lines() {
            let l = l.trim_end().replace("```", "'''");
            if l.is_empty() {
                self.line(level, "///");
            } else {
                self.line(level, &format!("/// {l}"));
            }
        }
    }

    /// `head` `open` items `close` `tail` on one line when it fits, else one item per line
    /// (with a trailing comma) between `head open` and `close tail`. `open`/`close` are the
    /// delimiters as written on one line (`" { "`, `" }"` or `"&["`, `"]"`).
    ///
    /// This follows rustfmt: when `head` ends with `= ` (an assignment), the right-hand side
    /// alone on the next line, indented once, is taken when it fits on one line there; a single
    /// struct-literal or tuple item that does not fit is "overflowed" (its fields go one per line, its
    /// braces hug the list's delimiters); an item too long for its own line is broken too.
    fn list(&mut self, level: usize, head: &str, open: &str, items: &[Item], close: &str, tail: &str) {
        let flat: Vec<String> = items.iter().map(Item::flat).collect();
        let rhs = if items.is_empty() {
            format!("{}{}{tail}", open.trim_end(), close.trim_start())
        } else {
            format!("{open}{}{close}{tail}", flat.join(", "))
        };
        let one = format!("{head}{rhs}");
        if items.is_empty() || fits(level, &one) {
            self.line(level, &one);
            return;
        }
        if head.ends_with("= ") && fits(level + 1, &rhs) {
            self.line(level, head.trim_end());
            self.line(level + 1, &rhs);
            return;
        }
        if let [item] = items
            && item.overflow
            && !item.parts.is_empty()
        {
            self.line(level, &format!("{head}{}{}", open.trim_end(), item.open.trim_end()));
            for part in &item.parts {
                self.line(level + 1, &format!("{part},"));
            }
            self.line(level, &format!("{}{}{tail}", item.close.trim_start(), close.trim_start()));
            return;
        }
        self.line(level, &format!("{head}{}", open.trim_end()));
        for (item, flat) in items.iter().zip(&flat) {
            let line = format!("{flat},");
            if item.parts.is_empty() || fits(level + 1, &line) {
                self.line(level + 1, &line);
            } else {
                self.line(level + 1, item.open.trim_end());
                for part in &item.parts {
                    self.line(level + 2, &format!("{part},"));
                }
                self.line(level + 1, &format!("{},", item.close.trim_start()));
            }
        }
        self.line(level, &format!("{}{tail}", close.trim_start()));
    }
}

impl Out {
    /// `{head}({params}) -> {ret} {`, with the parameters one per line when it does not fit.
    fn fn_sig(&mut self, level: usize, head: &str, params: &[&str], ret: &str) {
        let one = format!("{head}({}) -> {ret} {{", params.join(", "));
        if fits(level, &one) {
            self.line(level, &one);
            return;
        }
        self.line(level, &format!("{head}("));
        for p in params {
            self.line(level + 1, &format!("{p},"));
        }
        self.line(level, &format!(") -> {ret} {{"));
    }

    /// A match arm `{pat} => {base}{call},` as rustfmt writes it: on one line, else the body
    /// in a block on its own line, else the last call of the chain on the next line.
    fn arm(&mut self, level: usize, pat: &str, base: &str, call: &str) {
        let one = format!("{pat} => {base}{call},");
        if fits(level, &one) {
            self.line(level, &one);
        } else if fits(level + 1, &format!("{base}{call}")) {
            self.line(level, &format!("{pat} => {{"));
            self.line(level + 1, &format!("{base}{call}"));
            self.line(level, "}");
        } else {
            self.line(level, &format!("{pat} => {base}"));
            self.line(level + 1, &format!("{call},"));
        }
    }

    /// A match arm `{pat} => {open}{args}{close},` whose body is a call, as rustfmt writes it: on
    /// one line, else the body in a block on its own line, else the arguments one per line.
    fn call_arm(&mut self, level: usize, pat: &str, open: &str, args: &[String], close: &str) {
        let body = format!("{open}{}{close}", args.join(", "));
        let one = format!("{pat} => {body},");
        if fits(level, &one) {
            self.line(level, &one);
        } else if fits(level + 1, &body) {
            self.line(level, &format!("{pat} => {{"));
            self.line(level + 1, &body);
            self.line(level, "}");
        } else {
            self.line(level, &format!("{pat} => {open}"));
            for a in args {
                self.line(level + 1, &format!("{a},"));
            }
            self.line(level, &format!("{close},"));
        }
    }
}

/// Whether `text` fits on one line at indentation `level`.
fn fits(level: usize, text: &str) -> bool {
    level * 4 + text.chars().count() <= MAX_WIDTH
}

/// One element of a list: text, or a group (struct literal, tuple) that can be broken.
struct Item {
    open: String,
    parts: Vec<String>,
    close: String,
    /// A struct literal or tuple: rustfmt overflows it when it is the only item.
    overflow: bool,
}

impl Item {
    fn text(s: String) -> Item {
        Item { open: s, parts: Vec::new(), close: String::new(), overflow: false }
    }

    fn struct_lit(name: &str, fields: Vec<String>) -> Item {
        Item { open: format!("{name} {{ "), parts: fields, close: " }".into(), overflow: true }
    }

    fn tuple(parts: Vec<String>) -> Item {
        Item { open: "(".into(), parts, close: ")".into(), overflow: true }
    }

    fn flat(&self) -> String {
        format!("{}{}{}", self.open, self.parts.join(", "), self.close)
    }
}

/// The `contracts.rs` text.
pub(super) fn contracts_rs(
    contracts: &Contracts,
    layout: &Layout,
    layouts: &[&MessageLayout],
    options: &Options,
) -> Result<String, CodegenError> {
    let mut problems = Vec::new();
    let mut out = Out { text: String::new() };
    let source = options.source_name.replace('`', "'");
    // Plain comments, not `//!`: an inner doc comment cannot follow `include!`.
    out.line(0, &format!("// @generated by mycelium-contracts from `{source}`: do not edit."));
    out.line(0, "//");
    out.line(
        0,
        &format!(
            "// Message types and service pool configurations of contracts version {}.",
            contracts.version.replace(['\n', '\r'], " ")
        ),
    );
    let each = if contracts.messages.iter().all(MessageDef::is_framed) { "Each" } else { "Each framed" };
    out.line(
        0,
        &format!("// {each} message implements `mycelium_contracts::runtime::Message` with a fixed layout. Use this"),
    );
    out.line(0, "// file as a module (`mod contracts;`) or through `include!` in a module of its own.");
    if !contracts.messages.is_empty() || !contracts.enums.is_empty() {
        out.blank();
        out.line(0, &format!("use {RUNTIME} as rt;"));
    }
    out.blank();
    out.line(0, "/// The contracts version these types were generated from.");
    out.line(0, &format!("pub const CONTRACTS_VERSION: &str = {:?};", contracts.version));
    out.blank();
    out.line(0, "/// `(TYPE_ID, BUFFER_CLASS)` of every framed message, sorted by type id: the payload limit of");
    out.line(0, "/// each type for a frame reader. The limit is the class, not `MAX_SIZE`: a newer minor version");
    out.line(0, "/// of a message may be longer within its class (appended fields), and a reader must accept it.");
    let by_id = framed_by_id(contracts.messages.iter());
    let limits: Vec<Item> = by_id
        .iter()
        .map(|m| {
            Item::tuple(vec![
                format!("<{} as rt::Message>::TYPE_ID", m.name),
                format!("<{} as rt::Message>::BUFFER_CLASS", m.name),
            ])
        })
        .collect();
    out.list(0, "pub const MESSAGE_LIMITS: &[(u16, usize)] = ", "&[", &limits, "]", ";");

    for e in &contracts.enums {
        if let Err(e) = enum_def(&mut out, e, &options.serde) {
            problems.push(e);
        }
    }
    for (m, l) in contracts.messages.iter().zip(layouts) {
        if let Err(e) = message(&mut out, contracts, m, l, &options.serde) {
            problems.push(e);
        }
    }
    if let Err(e) = view_names(contracts) {
        problems.push(e);
    }
    any_message(&mut out, contracts);

    if let Err(e) = services(&mut out, contracts, layout) {
        problems.push(e);
    }
    if problems.is_empty() { Ok(out.text) } else { Err(CodegenError { problems }) }
}

fn message(
    out: &mut Out,
    contracts: &Contracts,
    m: &MessageDef,
    l: &MessageLayout,
    serde: &Serde,
) -> Result<(), String> {
    let name = message_ident(&m.name)?;
    let mut fields = Vec::new();
    let mut idents = std::collections::BTreeSet::new();
    for f in &m.fields {
        let (ident, rename) = snake_ident(&f.name).map_err(|e| format!("field {e} in `{name}`"))?;
        if !idents.insert(ident.clone()) {
            return Err(format!("two fields of `{name}` map to the Rust name `{ident}`"));
        }
        let (ty, fixed_array) = field_type(f, name)?;
        fields.push((f, ident, rename, ty, fixed_array));
    }

    out.blank();
    if let Some(d) = m.description.as_deref().filter(|d| !d.trim().is_empty()) {
        out.docs(0, d);
        out.line(0, "///");
    }
    match m.type_id {
        Some(type_id) => out.line(
            0,
            &format!(
                "/// Type id {type_id}; {} bytes on the wire (`MAX_SIZE`); buffer class {}.",
                l.max_size, l.buffer_class
            ),
        ),
        None => out.line(
            0,
            &format!("/// Embedded-only (no type id: never a frame of its own); {} bytes on the wire.", l.max_size),
        ),
    }
    out.line(0, "///");
    out.line(0, "/// A minor version of the contracts may append fields to this struct, which breaks struct");
    let example = match fields.first() {
        Some((_, ident, ..)) => format!("{name} {{ {ident}, ..Default::default() }}"),
        None => format!("{name} {{ ..Default::default() }}"),
    };
    out.line(0, &format!("/// literals: write `{example}` to keep compiling."));
    if fields.is_empty() {
        out.line(0, "#[derive(Debug, Clone, Default, PartialEq)]");
    } else {
        out.line(0, "#[derive(Debug, Clone, PartialEq)]");
    }
    if let Some(a) = serde.attribute("derive(::serde::Serialize, ::serde::Deserialize)") {
        out.line(0, &a);
    }
    if fields.is_empty() {
        out.line(0, &format!("pub struct {name} {{}}"));
    } else {
        out.line(0, &format!("pub struct {name} {{"));
        for ((f, ident, rename, ty, fixed_array), (offset, size)) in fields.iter().zip(&l.fields) {
            if let Some(d) = f.description.as_deref().filter(|d| !d.trim().is_empty()) {
                out.docs(1, d);
                out.line(1, "///");
            }
            out.line(1, &format!("/// {} at offset {offset}, {size} bytes.", contract_type(f)));
            if *fixed_array && let Some(a) = serde.attribute(&format!("serde(with = \"{RUNTIME}::serde_array\")")) {
                out.line(1, &a);
            }
            if let Some(r) = rename
                && let Some(a) = serde.attribute(&format!("serde(rename = \"{r}\")"))
            {
                out.line(1, &a);
            }
            out.line(1, &format!("pub {ident}: {ty},"));
        }
        out.line(0, "}");
    }

    // Default: the value of an all-zero payload (derived when there are no fields).
    if !fields.is_empty() {
        out.blank();
        out.line(0, &format!("impl ::core::default::Default for {name} {{"));
        out.line(1, "fn default() -> Self {");
        let defaults: Vec<Item> = fields
            .iter()
            .map(|(_, ident, ..)| Item::text(format!("{ident}: rt::WireField::default_value()")))
            .collect();
        out.list(2, "Self", " { ", &defaults, " }", "");
        out.line(1, "}");
        out.line(0, "}");
    }

    match m.type_id {
        Some(type_id) => message_impl(out, name, type_id, l, &fields),
        None => embedded_only_impl(out, name, &fields),
    }

    // WireField: lets other messages embed this one.
    out.blank();
    out.line(0, &format!("impl rt::WireField for {name} {{"));
    out.line(1, &format!("const SIZE: usize = {};", l.max_size));
    out.blank();
    out.line(1, "fn default_value() -> Self {");
    out.line(2, "::core::default::Default::default()");
    out.line(1, "}");
    out.blank();
    out.line(1, "fn put(&self, dst: &mut [u8]) {");
    out.line(2, "// `dst` is exactly `SIZE` bytes, so encoding cannot fail.");
    if m.is_framed() {
        out.line(2, "let _ = rt::Message::encode(self, dst);");
    } else {
        out.line(2, "let _ = self.encode_into(dst);");
    }
    out.line(1, "}");
    out.blank();
    out.line(1, "fn get(src: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {");
    if m.is_framed() {
        out.line(2, "rt::Message::decode(src)");
    } else {
        out.line(2, "let mut value = <Self as rt::WireField>::default_value();");
        out.line(2, "rt::WireField::read_from(&mut value, src)?;");
        out.line(2, "::core::result::Result::Ok(value)");
    }
    out.line(1, "}");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn read_from(&mut self, src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {");
    if fields.is_empty() {
        out.line(2, "let _ = src;");
    } else {
        out.line(2, &format!("let mut r = rt::FieldReader::new(src, {:?});", m.name));
        for (f, ident, ..) in &fields {
            out.line(2, &format!("r.read(&mut self.{ident}, {:?})?;", f.name));
        }
    }
    out.line(2, "::core::result::Result::Ok(())");
    out.line(1, "}");
    out.line(0, "}");

    let fields: Vec<ViewedField> = fields
        .into_iter()
        .zip(&l.fields)
        .map(|((f, ident, _, ty, _), &(offset, size))| ViewedField { f, ident, ty, offset, size })
        .collect();
    view(out, contracts, m, &fields)
}

/// A field of a message being generated: the field, its Rust name, its serde rename, its Rust
/// type and whether it is a fixed array.
type GenField<'a> = (&'a FieldDef, String, Option<String>, String, bool);

/// An embedded-only message's encoder (it has no `Message` impl: it is never a frame).
fn embedded_only_impl(out: &mut Out, name: &str, fields: &[GenField<'_>]) {
    out.blank();
    out.line(0, &format!("impl {name} {{"));
    out.line(1, "/// Writes the message's fixed layout (its `MAX_SIZE` bytes) at the start of `out`.");
    out.line(1, "fn encode_into(&self, out: &mut [u8]) -> ::core::result::Result<usize, rt::EncodeError> {");
    encode_body(out, fields, "<Self as rt::WireField>::SIZE");
    out.line(1, "}");
    out.line(0, "}");
}

/// The body of an encoder: every field through a `FieldWriter` of `size` bytes (an expression).
fn encode_body(out: &mut Out, fields: &[GenField<'_>], size: &str) {
    if fields.is_empty() {
        out.line(2, &format!("rt::FieldWriter::new(out, {size}).map(rt::FieldWriter::finish)"));
    } else {
        out.line(2, &format!("let mut w = rt::FieldWriter::new(out, {size})?;"));
        for (_, ident, ..) in fields {
            out.line(2, &format!("w.field(&self.{ident});"));
        }
        out.line(2, "::core::result::Result::Ok(w.finish())");
    }
}

/// The `Message` impl of a framed message.
fn message_impl(out: &mut Out, name: &str, type_id: u16, l: &MessageLayout, fields: &[GenField<'_>]) {
    // Message.
    out.blank();
    out.line(0, &format!("impl rt::Message for {name} {{"));
    out.line(1, &format!("const TYPE_ID: u16 = {type_id};"));
    out.line(1, &format!("const MAX_SIZE: usize = {};", l.max_size));
    out.line(1, &format!("const BUFFER_CLASS: usize = {};", l.buffer_class));
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn encode(&self, out: &mut [u8]) -> ::core::result::Result<usize, rt::EncodeError> {");
    encode_body(out, fields, "Self::MAX_SIZE");
    out.line(1, "}");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn decode(payload: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {");
    out.line(2, "let mut value = <Self as rt::WireField>::default_value();");
    out.line(2, "rt::WireField::read_from(&mut value, payload)?;");
    out.line(2, "::core::result::Result::Ok(value)");
    out.line(1, "}");
    out.line(0, "}");
}

/// A field as its view's accessor sees it.
struct ViewedField<'a> {
    f: &'a FieldDef,
    ident: String,
    /// The owned Rust type (`rt::InlineString<32>`).
    ty: String,
    offset: u64,
    size: u64,
}

/// `{Name}View<'a>`: the message read in place, its `ViewField` impl and `{Name}::view`.
fn view(out: &mut Out, contracts: &Contracts, m: &MessageDef, fields: &[ViewedField<'_>]) -> Result<(), String> {
    let name = message_ident(&m.name)?;
    let view = format!("{name}View");
    let mut accessors = Vec::new();
    for vf in fields {
        if VIEW_METHODS.contains(&vf.ident.as_str()) {
            return Err(format!("field `{name}.{}` has the name of a method of `{view}`", vf.f.name));
        }
        accessors.push(field_view_type(contracts, vf.f, name)?);
    }

    out.blank();
    out.line(
        0,
        &format!("/// A [`{name}`] payload read in place: made by [`{name}::view`], each accessor reads its field"),
    );
    out.line(0, "/// at a fixed offset (a field missing from an older payload reads as its default).");
    out.line(0, "#[derive(Clone, Copy)]");
    out.line(0, &format!("pub struct {view}<'a>(rt::ViewBytes<'a>);"));
    out.blank();
    out.line(0, &format!("impl<'a> {view}<'a> {{"));
    for (vf, ret) in fields.iter().zip(&accessors) {
        out.line(1, &format!("/// {} at offset {}, {} bytes.", contract_type(vf.f), vf.offset, vf.size));
        out.line(1, "#[inline]");
        out.fn_sig(1, &format!("pub fn {}", vf.ident), &["self"], ret);
        out.line(2, &format!("self.0.field::<{}>({})", vf.ty, vf.offset));
        out.line(1, "}");
        out.blank();
    }
    out.line(1, "/// The owned message.");
    out.line(1, &format!("pub fn to_owned(self) -> {name} {{"));
    out.line(2, "rt::ViewField::from_view(self)");
    out.line(1, "}");
    out.blank();
    out.line(1, "/// The payload read, trailing bytes of a newer contract version included.");
    out.line(1, "pub fn as_bytes(self) -> &'a [u8] {");
    out.line(2, "self.0.as_bytes()");
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl ::core::fmt::Debug for {view}<'_> {{"));
    out.line(1, "fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {");
    out.line(2, &format!("let mut d = f.debug_struct({view:?});"));
    for vf in fields {
        let items = [Item::text(format!("{:?}", vf.f.name)), Item::text(format!("&self.{}()", vf.ident))];
        out.list(2, "d.field", "(", &items, ")", ";");
    }
    out.line(2, "d.finish()");
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl {name} {{"));
    if m.is_framed() {
        out.line(1, "/// Checks `payload` once, exactly as `decode` does (older and newer payloads included, same");
        out.line(1, "/// errors), and returns a view that reads each field in place: no copy, no allocation.");
    } else {
        out.line(1, "/// Checks `payload` once, exactly as reading it embedded in a message does (older and newer");
        out.line(1, "/// payloads included, same errors), and returns a view that reads each field in place.");
    }
    out.line(1, "#[inline]");
    out.fn_sig(1, "pub fn view", &["payload: &[u8]"], &format!("::core::result::Result<{view}<'_>, rt::DecodeError>"));
    out.line(2, "<Self as rt::ViewField>::view_payload(payload)");
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl rt::ViewField for {name} {{"));
    out.line(1, &format!("type View<'a> = {view}<'a>;"));
    if fields.is_empty() {
        out.line(1, "const CHECKS_CONTENT: bool = false;");
    } else {
        let flags: Vec<Item> =
            fields.iter().map(|vf| Item::text(format!("<{} as rt::ViewField>::CHECKS_CONTENT", vf.ty))).collect();
        out.list(1, "const CHECKS_CONTENT: bool = ", "rt::any_checks_content(&[", &flags, "])", ";");
    }
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn check(src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {");
    if fields.is_empty() {
        out.line(2, "let _ = src;");
    } else {
        out.line(2, "// Every field present, none with content to check: nothing can be wrong.");
        out.line(2, "if !<Self as rt::ViewField>::CHECKS_CONTENT && src.len() >= <Self as rt::WireField>::SIZE {");
        out.line(3, "return ::core::result::Result::Ok(());");
        out.line(2, "}");
        out.line(2, &format!("let mut c = rt::FieldChecker::new(src, {:?});", m.name));
        for vf in fields {
            out.list(2, &format!("c.check::<{}>", vf.ty), "(", &[Item::text(format!("{:?}", vf.f.name))], ")", "?;");
        }
    }
    out.line(2, "::core::result::Result::Ok(())");
    out.line(1, "}");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, &format!("fn read_view(src: &[u8]) -> {view}<'_> {{"));
    out.line(2, &format!("{view}(rt::ViewBytes::new(src))"));
    out.line(1, "}");
    out.blank();
    out.line(1, &format!("fn default_view<'a>() -> {view}<'a> {{"));
    out.line(2, &format!("{view}(rt::ViewBytes::new(&[]))"));
    out.line(1, "}");
    out.blank();
    if fields.is_empty() {
        out.line(1, &format!("fn from_view(_: {view}<'_>) -> Self {{"));
        out.line(2, "Self {}");
    } else {
        out.line(1, &format!("fn from_view(view: {view}<'_>) -> Self {{"));
        let items: Vec<Item> = fields
            .iter()
            .map(|vf| Item {
                open: format!("{}: rt::ViewField::from_view(", vf.ident),
                parts: vec![format!("view.{}()", vf.ident)],
                close: ")".into(),
                overflow: false,
            })
            .collect();
        out.list(2, "Self", " { ", &items, " }", "");
    }
    out.line(1, "}");
    out.line(0, "}");
    Ok(())
}

/// Type names the views and the dispatch enum add must not be message or enum names too, and a
/// message and an enum may not share a name.
fn view_names(contracts: &Contracts) -> Result<(), String> {
    let mut names = std::collections::BTreeMap::new();
    for m in &contracts.messages {
        names.insert(m.name.as_str(), "message");
    }
    for e in &contracts.enums {
        if let Some(other) = names.insert(e.name.as_str(), "enum") {
            return Err(format!("enum `{}` has the name of {} `{}`", e.name, an(other), e.name));
        }
    }
    if let Some(kind) = names.get("AnyMessage") {
        return Err(format!("{} named `AnyMessage` clashes with the generated dispatch enum", an(kind)));
    }
    for m in &contracts.messages {
        let view = format!("{}View", m.name);
        if let Some(kind) = names.get(view.as_str()) {
            return Err(format!("{kind} `{view}` clashes with the generated view of `{}`", m.name));
        }
    }
    Ok(())
}

/// `a message`, `an enum`.
fn an(kind: &str) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {kind}") } else { format!("a {kind}") }
}

/// The Rust name of an enum's wire type.
fn enum_repr(e: &EnumDef) -> Result<&'static str, String> {
    match e.wire_type() {
        BuiltinType::U8 => Ok("u8"),
        BuiltinType::U16 => Ok("u16"),
        BuiltinType::U32 => Ok("u32"),
        other => Err(format!("enum `{}` has the wire type `{}`, not u8, u16 or u32", e.name, other.canonical_name())),
    }
}

/// An enum: the Rust enum with its values as discriminants, `Default` (its first value),
/// `TryFrom` its wire type, `WireField` and `ViewField` (its view is the value itself).
fn enum_def(out: &mut Out, e: &EnumDef, serde: &Serde) -> Result<(), String> {
    let name = message_ident(&e.name)?;
    let repr = enum_repr(e)?;
    let mut variants = Vec::new();
    let mut seen_names = std::collections::BTreeSet::new();
    let mut seen_values = std::collections::BTreeSet::new();
    for v in &e.values.0 {
        let ident = message_ident(&v.name).map_err(|err| format!("value {err} in enum `{name}`"))?;
        if !seen_names.insert(ident) {
            return Err(format!("enum `{name}` names the value `{ident}` twice"));
        }
        if !(0..=e.max_value()).contains(&v.value) {
            return Err(format!("value `{name}::{ident}` ({}) does not fit the wire type `{repr}`", v.value));
        }
        if !seen_values.insert(v.value) {
            return Err(format!("enum `{name}` has two names for the value {}", v.value));
        }
        variants.push((ident, v.value));
    }
    let Some(&(first, _)) = variants.first() else {
        return Err(format!("enum `{name}` has no values"));
    };
    let wide = if repr == "u32" { "value".to_string() } else { "u32::from(value)".to_string() };

    out.blank();
    if let Some(d) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
        out.docs(0, d);
        out.line(0, "///");
    }
    out.line(0, &format!("/// An enum, a `{repr}` on the wire: decoding a number it does not name is a `DecodeError`"));
    out.line(0, &format!("/// (`DecodeErrorKind::UnknownEnumValue`). Its default is `{first}`, its first value."));
    out.line(0, "#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]");
    if let Some(a) = serde.attribute("derive(::serde::Serialize, ::serde::Deserialize)") {
        out.line(0, &a);
    }
    out.line(0, &format!("#[repr({repr})]"));
    out.line(0, &format!("pub enum {name} {{"));
    for (i, (ident, value)) in variants.iter().enumerate() {
        if i == 0 {
            out.line(1, &format!("/// `{value}` on the wire; the default."));
            out.line(1, "#[default]");
        } else {
            out.line(1, &format!("/// `{value}` on the wire."));
        }
        out.line(1, &format!("{ident} = {value},"));
    }
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl {name} {{"));
    out.line(1, "/// The number on the wire.");
    out.line(1, "#[inline]");
    out.line(1, &format!("pub const fn value(self) -> {repr} {{"));
    out.line(2, &format!("self as {repr}"));
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl ::core::convert::TryFrom<{repr}> for {name} {{"));
    out.line(1, "type Error = rt::DecodeError;");
    out.blank();
    out.line(1, "/// The value `value` names; a number the enum does not name is an `UnknownEnumValue` error.");
    out.line(1, &format!("fn try_from(value: {repr}) -> ::core::result::Result<Self, rt::DecodeError> {{"));
    out.line(2, "match value {");
    for (ident, value) in &variants {
        out.call_arm(3, &value.to_string(), "::core::result::Result::Ok(", &[format!("Self::{ident}")], ")");
    }
    out.call_arm(
        3,
        "_",
        "::core::result::Result::Err(rt::DecodeError::unknown_enum_value(",
        &[format!("{name:?}"), wide],
        "))",
    );
    out.line(2, "}");
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl rt::WireField for {name} {{"));
    out.line(1, &format!("const SIZE: usize = {};", e.wire_size()));
    out.blank();
    out.line(1, "fn default_value() -> Self {");
    out.line(2, "::core::default::Default::default()");
    out.line(1, "}");
    out.blank();
    out.line(1, "fn put(&self, dst: &mut [u8]) {");
    out.line(2, "rt::WireField::put(&self.value(), dst);");
    out.line(1, "}");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn get(src: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {");
    out.line(2, &format!("<{repr} as rt::WireField>::get(src).and_then(::core::convert::TryFrom::try_from)"));
    out.line(1, "}");
    out.line(0, "}");

    out.blank();
    out.line(0, &format!("impl rt::ViewField for {name} {{"));
    out.line(1, "type View<'a> = Self;");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn check(src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {");
    out.line(2, "<Self as rt::WireField>::get(src).map(::core::mem::drop)");
    out.line(1, "}");
    out.blank();
    out.line(1, "#[inline]");
    out.line(1, "fn read_view(src: &[u8]) -> Self {");
    out.line(2, "// Checked bytes name a value; the default only serves bytes that were not checked.");
    out.line(2, "<Self as rt::WireField>::get(src).unwrap_or_default()");
    out.line(1, "}");
    out.blank();
    out.line(1, "fn default_view<'a>() -> Self::View<'a> {");
    out.line(2, "::core::default::Default::default()");
    out.line(1, "}");
    out.blank();
    out.line(1, "fn from_view(view: Self) -> Self {");
    out.line(2, "view");
    out.line(1, "}");
    out.line(0, "}");
    Ok(())
}

/// The framed messages among `messages`, with their type ids, sorted by type id.
fn framed_by_id<'a>(messages: impl Iterator<Item = &'a MessageDef>) -> Vec<Framed<'a>> {
    let mut framed: Vec<Framed<'a>> = messages.filter_map(|m| Some(Framed { m, type_id: m.type_id? })).collect();
    framed.sort_by_key(|f| f.type_id);
    framed
}

/// A message with a `type_id`: one that travels as a frame of its own.
#[derive(Clone, Copy)]
struct Framed<'a> {
    m: &'a MessageDef,
    type_id: u16,
}

impl std::ops::Deref for Framed<'_> {
    type Target = MessageDef;
    fn deref(&self) -> &MessageDef {
        self.m
    }
}

/// `AnyMessage<'a>`: the view of any framed message, by type id.
fn any_message(out: &mut Out, contracts: &Contracts) {
    let by_id = framed_by_id(contracts.messages.iter());
    if by_id.is_empty() {
        return;
    }
    out.blank();
    out.line(0, "/// Any framed message, read in place: one variant per message, holding its view.");
    out.line(0, "#[derive(Debug, Clone, Copy)]");
    out.line(0, "pub enum AnyMessage<'a> {");
    for m in &by_id {
        out.line(1, &format!("/// A [`{}`] (type id {}).", m.name, m.type_id));
        out.line(1, &format!("{0}({0}View<'a>),", m.name));
    }
    out.line(0, "}");
    out.blank();
    out.line(0, "impl<'a> AnyMessage<'a> {");
    out.line(1, "/// The view of `payload` as the message `type_id` names, checked as `decode` checks it; a");
    out.line(1, "/// type id of no message is a `DecodeError` naming it (`DecodeErrorKind::UnknownType`).");
    out.line(1, "pub fn view(type_id: u16, payload: &'a [u8]) -> ::core::result::Result<Self, rt::DecodeError> {");
    out.line(2, "match type_id {");
    for m in &by_id {
        out.arm(3, &m.type_id.to_string(), &format!("{}::view(payload)", m.name), &format!(".map(Self::{})", m.name));
    }
    out.line(
        3,
        "_ => ::core::result::Result::Err(rt::DecodeError::unknown_type(type_id, ::core::option::Option::None)),",
    );
    out.line(2, "}");
    out.line(1, "}");
    out.blank();
    out.line(1, "/// The frame type id of the message.");
    out.line(1, "pub fn type_id(&self) -> u16 {");
    out.line(2, "match self {");
    for m in &by_id {
        out.line(3, &format!("Self::{}(_) => {},", m.name, m.type_id));
    }
    out.line(2, "}");
    out.line(1, "}");
    out.line(0, "}");
}

fn services(out: &mut Out, contracts: &Contracts, layout: &Layout) -> Result<(), String> {
    out.blank();
    out.line(0, "/// Pool configurations, one module per service (its kebab-case name in snake_case).");
    out.line(0, "pub mod services {");
    let mut modules = Vec::new();
    for name in contracts.services.keys() {
        let ident = service_ident(name)?;
        let Some(plan) = layout.pool_plan(contracts, name) else { continue };
        modules.push(ident.clone());

        let handled: Vec<String> = plan.messages.iter().map(|(m, _)| format!("`{m}`")).collect();
        let classes: Vec<String> = plan.classes.iter().map(|c| format!("{} × {}", c.size, c.capacity)).collect();
        out.line(
            1,
            &format!(
                "/// `{name}`: handles {}.",
                if handled.is_empty() { "no messages".into() } else { handled.join(", ") }
            ),
        );
        out.line(
            1,
            &if plan.enabled {
                format!(
                    "/// Pool size classes (size × capacity): {}.",
                    if classes.is_empty() { "none".into() } else { classes.join(", ") }
                )
            } else {
                "/// `buffer_pool_enabled: false`: no pool.".to_string()
            },
        );
        out.line(1, &format!("pub mod {ident} {{"));
        // The service's framed messages, by type id: its frame limits and its dispatch.
        let framed = framed_by_id(plan.messages.iter().filter_map(|(m, _)| contracts.message(m)));
        let mut imports = Vec::new();
        if !framed.is_empty() {
            imports.push("DecodeError");
        }
        imports.push("FrameLimits");
        if !framed.is_empty() {
            imports.push("Message");
        }
        if !plan.messages.is_empty() {
            imports.push("MessageClass");
        }
        imports.push("ServiceConfig");
        if !plan.classes.is_empty() {
            imports.push("SizeClassConfig");
        }
        let one = format!("use {RUNTIME}::{{{}}};", imports.join(", "));
        if fits(2, &one) {
            out.line(2, &one);
        } else {
            // rustfmt's "mixed" import layout: the names on their own line(s).
            out.line(2, &format!("use {RUNTIME}::{{"));
            out.line(3, &format!("{},", imports.join(", ")));
            out.line(2, "};");
        }
        out.line(2, "use ::std::borrow::Cow;");
        if !framed.is_empty() {
            out.blank();
            out.line(2, "/// The module of the message types and their views.");
            out.line(2, "use super::super as m;");
            out.blank();
            out.line(2, "/// The service's name, as `Inbound` errors give it.");
            out.line(2, &format!("pub const NAME: &str = {name:?};"));
        }
        out.blank();
        out.line(2, &format!("/// The pool configuration of `{name}`: what `pools.json` holds for it."));
        out.line(2, "pub const CONFIG: ServiceConfig = ServiceConfig {");
        out.line(3, &format!("name: Cow::Borrowed({name:?}),"));
        out.line(3, &format!("buffer_pool_enabled: {},", plan.enabled));
        let classes: Vec<Item> = plan
            .classes
            .iter()
            .map(|c| {
                Item::struct_lit(
                    "SizeClassConfig",
                    vec![format!("size: {}", c.size), format!("capacity: {}", c.capacity)],
                )
            })
            .collect();
        out.list(3, "size_classes: Cow::Borrowed(", "&[", &classes, "]", "),");
        let messages: Vec<Item> = plan
            .messages
            .iter()
            .map(|(m, class)| {
                Item::struct_lit(
                    "MessageClass",
                    vec![format!("name: Cow::Borrowed({m:?})"), format!("buffer_class: {class}")],
                )
            })
            .collect();
        out.list(3, "messages: Cow::Borrowed(", "&[", &messages, "]", "),");
        out.line(2, "};");
        out.blank();
        out.line(2, &format!("/// A new buffer pool for `{name}`, built from [`CONFIG`]."));
        out.line(2, &format!("pub fn buffer_pool() -> {RUNTIME}::BufferPool {{"));
        out.line(3, &format!("{RUNTIME}::BufferPool::from_service_config(&CONFIG)"));
        out.line(2, "}");
        service_dispatch(out, name, &framed);
        out.line(1, "}");
        out.blank();
    }
    out.line(1, "/// Every service's configuration, sorted by service name.");
    let all: Vec<Item> = modules.iter().map(|m| Item::text(format!("&{m}::CONFIG"))).collect();
    out.list(1, &format!("pub const ALL: &[&{RUNTIME}::ServiceConfig] = "), "&[", &all, "]", ";");
    out.line(0, "}");
    Ok(())
}

/// A service's frame limits and its `Inbound<'a>` dispatch enum.
fn service_dispatch(out: &mut Out, name: &str, framed: &[Framed<'_>]) {
    out.blank();
    out.line(
        2,
        &format!("/// `(TYPE_ID, BUFFER_CLASS)` of every message `{name}` handles, sorted by type id: a frame"),
    );
    out.line(2, "/// reader with these limits refuses every other frame type before allocating.");
    let limits: Vec<Item> = framed
        .iter()
        .map(|m| {
            Item::tuple(vec![
                format!("<m::{} as Message>::TYPE_ID", m.name),
                format!("<m::{} as Message>::BUFFER_CLASS", m.name),
            ])
        })
        .collect();
    out.list(2, "pub const LIMITS: &[(u16, usize)] = ", "&[", &limits, "]", ";");
    out.blank();
    out.line(2, "/// [`LIMITS`] as a frame reader takes them (`FrameReader::with_limits`).");
    out.line(2, "pub fn frame_limits() -> FrameLimits {");
    out.line(3, "FrameLimits::new(LIMITS)");
    out.line(2, "}");
    if framed.is_empty() {
        return;
    }
    out.blank();
    out.line(2, &format!("/// A message `{name}` handles, read in place: one variant per message, holding its view."));
    out.line(2, "#[derive(Debug, Clone, Copy)]");
    out.line(2, "pub enum Inbound<'a> {");
    for m in framed {
        out.line(3, &format!("/// A [`{0}`](m::{0}) (type id {1}).", m.name, m.type_id));
        out.line(3, &format!("{0}(m::{0}View<'a>),", m.name));
    }
    out.line(2, "}");
    out.blank();
    out.line(2, "impl<'a> Inbound<'a> {");
    out.line(3, "/// The view of `payload` as the message `type_id` names, checked as `decode` checks it; a");
    out.line(3, "/// type id the service does not handle is a `DecodeError` naming it and the service.");
    out.line(3, "pub fn view(type_id: u16, payload: &'a [u8]) -> Result<Self, DecodeError> {");
    out.line(4, "match type_id {");
    for m in framed {
        out.arm(
            5,
            &m.type_id.to_string(),
            &format!("m::{}::view(payload)", m.name),
            &format!(".map(Self::{})", m.name),
        );
    }
    out.line(5, "_ => Err(DecodeError::unknown_type(type_id, Some(NAME))),");
    out.line(4, "}");
    out.line(3, "}");
    out.blank();
    out.line(3, "/// The frame type id of the message.");
    out.line(3, "pub fn type_id(&self) -> u16 {");
    out.line(4, "match self {");
    for m in framed {
        out.line(5, &format!("Self::{}(_) => {},", m.name, m.type_id));
    }
    out.line(4, "}");
    out.line(3, "}");
    out.line(2, "}");
}
