//! `contracts.rs`: one Rust module with a type per enum and per message and a module per service.
//!
//! Every item is built as tokens with `quote`, the items are parsed into one `syn::File` and
//! `prettyplease` prints it. Doc comments are `#[doc]` attributes (printed as `///` lines); the
//! header, plain comments, is text put before the printed file.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::{CodegenError, Options, Serde};
use crate::model::{
    BuiltinType, Contracts, Elem, EnumDef, FieldDef, FieldLayout, FieldShape, Layout, MessageDef, MessageLayout, Repetition, ShapeError,
};

/// The runtime's path as generated code names it.
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

/// A Rust identifier for a snake_case name (`r#type` for a keyword), and the name serde must use
/// when they differ.
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

/// The identifier token of a name [`snake_ident`] or [`message_ident`] accepted.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn message_ident(name: &str) -> Result<Ident, String> {
    let valid =
        name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid || name == "Self" {
        return Err(format!("`{name}` cannot be the name of a Rust type"));
    }
    Ok(ident(name))
}

fn service_ident(name: &str) -> Result<Ident, String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!("service `{name}` is not a kebab-case name"));
    }
    snake_ident(&name.replace('-', "_")).map(|(name, _)| ident(&name))
}

/// An integer literal without a suffix (`32`, not `32u64`).
fn num(n: impl Into<u64>) -> Literal {
    Literal::u64_unsuffixed(n.into())
}

/// A string literal.
fn string(s: &str) -> Literal {
    Literal::string(s)
}

/// The Rust name of an embedded message or an enum (they share one namespace).
fn named_type(contracts: &Contracts, elem: Elem) -> Result<Ident, String> {
    let name = match elem {
        Elem::Message(k) => contracts.messages.get(k).map(|m| m.name.as_str()),
        Elem::Enum(k) => contracts.enums.get(k).map(|e| e.name.as_str()),
        Elem::Scalar(_) | Elem::Str(_) | Elem::Bytes(_) => None,
    };
    message_ident(name.ok_or_else(|| format!("no message or enum for {elem:?}"))?)
}

/// A fixed-size built-in type: the Rust type of its values and of its view.
fn scalar_type(t: BuiltinType) -> TokenStream {
    use BuiltinType::*;
    match t {
        Bool => quote!(bool),
        Address => quote!(rt::Address),
        Uint256 => quote!(rt::U256),
        Int256 => quote!(rt::I256),
        Hash => quote!(rt::Hash),
        _ => ident(t.canonical_name()).into_token_stream(),
    }
}

/// The Rust type of one element of a field.
fn element_type(contracts: &Contracts, elem: Elem) -> Result<TokenStream, String> {
    Ok(match elem {
        Elem::Scalar(t) => scalar_type(t),
        Elem::Str(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(rt::InlineString<#n>)
        }
        Elem::Bytes(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(rt::InlineBytes<#n>)
        }
        Elem::Message(_) | Elem::Enum(_) => named_type(contracts, elem)?.into_token_stream(),
    })
}

/// The Rust type of a field, and whether it is a fixed array.
fn field_type(contracts: &Contracts, shape: FieldShape) -> Result<(TokenStream, bool), String> {
    let elem = element_type(contracts, shape.elem)?;
    Ok(match shape.repetition {
        Repetition::One => (elem, false),
        Repetition::Fixed(n) => {
            let n = Literal::usize_unsuffixed(n);
            (quote!([#elem; #n]), true)
        }
        Repetition::Var(n) => {
            let n = Literal::usize_unsuffixed(n);
            (quote!(rt::InlineVec<#elem, #n>), false)
        }
    })
}

/// The type a view's accessor returns for one element of a field: an enum is its own view.
fn element_view_type(contracts: &Contracts, elem: Elem) -> Result<TokenStream, String> {
    Ok(match elem {
        Elem::Scalar(t) => scalar_type(t),
        Elem::Str(_) => quote!(&'a str),
        Elem::Bytes(_) => quote!(&'a [u8]),
        Elem::Enum(_) => named_type(contracts, elem)?.into_token_stream(),
        Elem::Message(_) => {
            let view = format_ident!("{}View", named_type(contracts, elem)?);
            quote!(#view<'a>)
        }
    })
}

/// The type a view's accessor returns for a field: arrays are [`ArrayView`]s of the element type.
fn field_view_type(contracts: &Contracts, shape: FieldShape) -> Result<TokenStream, String> {
    match shape.repetition {
        Repetition::One => element_view_type(contracts, shape.elem),
        Repetition::Fixed(_) | Repetition::Var(_) => {
            let elem = element_type(contracts, shape.elem)?;
            Ok(quote!(rt::ArrayView<'a, #elem>))
        }
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

/// `#[doc]` attributes, one per line of `text` (prettyplease prints each as a `///` line).
fn doc(text: &str) -> TokenStream {
    text.lines()
        .map(|l| {
            let l = if l.is_empty() { String::new() } else { format!(" {l}") };
            quote!(#[doc = #l])
        })
        .collect()
}

/// A description from the contracts as doc text followed by an empty line, or nothing: lines
/// trimmed, code fences defused (a description is not a doctest).
fn description(text: Option<&str>) -> String {
    let Some(text) = text.filter(|d| !d.trim().is_empty()) else { return String::new() };
    let mut out = String::new();
    for l in text.trim().lines() {
        out.push_str(&l.trim_end().replace("```", "'''").replace('\r', " "));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The `contracts.rs` text.
pub(super) fn contracts_rs(
    contracts: &Contracts,
    layout: &Layout,
    layouts: &[&MessageLayout],
    options: &Options,
) -> Result<String, CodegenError> {
    let mut problems = Vec::new();
    let mut items = TokenStream::new();
    if !contracts.messages.is_empty() || !contracts.enums.is_empty() {
        items.extend(quote!(
            use ::mycelium_contracts::runtime as rt;
        ));
    }
    let version = string(&contracts.version);
    let version_doc = doc("The contracts version these types were generated from.");
    let limits_doc =
        doc("`(TYPE_ID, BUFFER_CLASS)` of every framed message, sorted by type id: the payload limit of\n\
         each type for a frame reader. The limit is the class, not `MAX_SIZE`: a newer minor version\n\
         of a message may be longer within its class (appended fields), and a reader must accept it.");
    // A name that is not a Rust type name is reported where its message is generated.
    let framed: Vec<Ident> =
        framed_by_id(contracts.messages.iter()).iter().filter_map(|m| message_ident(&m.name).ok()).collect();
    items.extend(quote! {
        #version_doc
        pub const CONTRACTS_VERSION: &str = #version;
        #limits_doc
        pub const MESSAGE_LIMITS: &[(u16, usize)] =
            &[#((<#framed as rt::Message>::TYPE_ID, <#framed as rt::Message>::BUFFER_CLASS)),*];
    });

    for e in &contracts.enums {
        match enum_def(e, &options.serde) {
            Ok(tokens) => items.extend(tokens),
            Err(e) => problems.push(e),
        }
    }
    for (i, (m, l)) in contracts.messages.iter().zip(layouts).enumerate() {
        match message(contracts, m, l, layout.shapes(i), &options.serde) {
            Ok(tokens) => items.extend(tokens),
            Err(e) => problems.push(e),
        }
    }
    if let Err(e) = view_names(contracts) {
        problems.push(e);
    }
    items.extend(any_message(contracts));
    match services(contracts, layout) {
        Ok(tokens) => items.extend(tokens),
        Err(e) => problems.push(e),
    }
    if !problems.is_empty() {
        return Err(CodegenError { problems });
    }
    let file = syn::parse2::<syn::File>(items)
        .map_err(|e| CodegenError { problems: vec![format!("the generated code does not parse: {e}")] })?;
    Ok(format!("{}\n{}", header(contracts, options), prettyplease::unparse(&file)))
}

/// The plain comment that opens the file: not `//!`, since an inner doc comment cannot follow
/// `include!`.
fn header(contracts: &Contracts, options: &Options) -> String {
    let source = options.source_name.replace('`', "'").replace(['\n', '\r'], " ");
    let version = contracts.version.replace(['\n', '\r'], " ");
    let each = if contracts.messages.iter().all(MessageDef::is_framed) { "Each" } else { "Each framed" };
    format!(
        "// @generated by mycelium-contracts from `{source}`: do not edit.\n\
         //\n\
         // Message types and service pool configurations of contracts version {version}.\n\
         // {each} message implements `mycelium_contracts::runtime::Message` with a fixed layout. Use this\n\
         // file as a module (`#[rustfmt::skip] mod contracts;`) or through `include!` in a module of its own.\n"
    )
}

/// A field of a message being generated.
struct GenField<'a> {
    f: &'a FieldDef,
    shape: FieldShape,
    /// The Rust name as text (`r#type`).
    name: String,
    /// The serde name, when the Rust name differs from the contract's.
    rename: Option<String>,
    /// The owned Rust type (`rt::InlineString<32>`).
    ty: TokenStream,
    fixed_array: bool,
}

fn message(
    contracts: &Contracts,
    m: &MessageDef,
    l: &MessageLayout,
    shapes: &[Result<FieldShape, ShapeError>],
    serde: &Serde,
) -> Result<TokenStream, String> {
    let name = message_ident(&m.name)?;
    let mut fields: Vec<GenField<'_>> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (k, f) in m.fields.iter().enumerate() {
        let (field, rename) = snake_ident(&f.name).map_err(|e| format!("field {e} in `{name}`"))?;
        if !names.insert(field.clone()) {
            return Err(format!("two fields of `{name}` map to the Rust name `{field}`"));
        }
        let shape = match shapes.get(k) {
            Some(Ok(shape)) => *shape,
            Some(Err(e)) => return Err(format!("field `{}.{}` has no type: {e:?}", m.name, f.name)),
            None => return Err(format!("field `{}.{}` has no layout", m.name, f.name)),
        };
        let (ty, fixed_array) = field_type(contracts, shape)?;
        fields.push(GenField { f, shape, name: field, rename, ty, fixed_array });
    }
    let idents: Vec<Ident> = fields.iter().map(|g| ident(&g.name)).collect();

    let mut text = description(m.description.as_deref());
    match m.type_id {
        Some(type_id) => text.push_str(&format!(
            "Type id {type_id}; {} bytes on the wire (`MAX_SIZE`); buffer class {}.\n",
            l.max_size, l.buffer_class
        )),
        None => text.push_str(&format!(
            "Embedded-only (no type id: never a frame of its own); {} bytes on the wire.\n",
            l.max_size
        )),
    }
    let example = match fields.first() {
        Some(g) => format!("{name} {{ {}, ..Default::default() }}", g.name),
        None => format!("{name} {{ ..Default::default() }}"),
    };
    text.push_str(&format!(
        "\nA minor version of the contracts may append fields to this struct, which breaks struct\n\
         literals: write `{example}` to keep compiling."
    ));
    let docs = doc(&text);
    let derive = if fields.is_empty() {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let serde_derive = serde.attribute(quote!(derive(::serde::Serialize, ::serde::Deserialize)));
    let serde_array = string(&format!("{RUNTIME}::serde_array"));
    let members = fields.iter().zip(&l.fields).map(|(g, FieldLayout { offset, size })| {
        let mut text = description(g.f.description.as_deref());
        text.push_str(&format!("{} at offset {offset}, {size} bytes.", contract_type(g.f)));
        let docs = doc(&text);
        let array = if g.fixed_array { serde.attribute(quote!(serde(with = #serde_array))) } else { TokenStream::new() };
        let rename = g.rename.as_deref().map(|r| serde.attribute(quote!(serde(rename = #r)))).unwrap_or_default();
        let (field, ty) = (ident(&g.name), &g.ty);
        quote!(#docs #array #rename pub #field: #ty)
    });
    let mut out = quote! {
        #docs
        #derive
        #serde_derive
        pub struct #name { #(#members),* }
    };

    // Default: the value of an all-zero payload (derived when there are no fields).
    if !fields.is_empty() {
        out.extend(quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self { #(#idents: rt::WireField::default_value()),* }
                }
            }
        });
    }

    out.extend(match m.type_id {
        Some(type_id) => message_impl(&name, type_id, l, &idents),
        None => embedded_only_impl(&name, &idents),
    });

    // WireField: lets other messages embed this one.
    let size = num(l.max_size);
    let put_doc = doc("`dst` is exactly `SIZE` bytes, so encoding cannot fail.");
    let (put, get) = if m.is_framed() {
        (quote!(let _ = rt::Message::encode(self, dst);), quote!(rt::Message::decode(src)))
    } else {
        (
            quote!(let _ = self.encode_into(dst);),
            quote! {
                let mut value = <Self as rt::WireField>::default_value();
                rt::WireField::read_from(&mut value, src)?;
                ::core::result::Result::Ok(value)
            },
        )
    };
    let read = if fields.is_empty() {
        quote!(let _ = src;)
    } else {
        let message_name = string(&m.name);
        let field_names = fields.iter().map(|g| string(&g.f.name));
        quote! {
            let mut r = rt::FieldReader::new(src, #message_name);
            #(r.read(&mut self.#idents, #field_names)?;)*
        }
    };
    out.extend(quote! {
        impl rt::WireField for #name {
            const SIZE: usize = #size;

            fn default_value() -> Self {
                ::core::default::Default::default()
            }

            #put_doc
            fn put(&self, dst: &mut [u8]) {
                #put
            }

            fn get(src: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {
                #get
            }

            #[inline]
            fn read_from(&mut self, src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {
                #read
                ::core::result::Result::Ok(())
            }
        }
    });

    let fields: Vec<ViewedField> = fields
        .into_iter()
        .zip(idents)
        .zip(&l.fields)
        .map(|((g, ident), &FieldLayout { offset, size })| ViewedField {
            f: g.f,
            shape: g.shape,
            name: g.name,
            ident,
            ty: g.ty,
            offset,
            size,
        })
        .collect();
    out.extend(view(contracts, m, &name, &fields)?);
    Ok(out)
}

/// An embedded-only message's encoder (it has no `Message` impl: it is never a frame).
fn embedded_only_impl(name: &Ident, fields: &[Ident]) -> TokenStream {
    let docs = doc("Writes the message's fixed layout (its `MAX_SIZE` bytes) at the start of `out`.");
    let body = encode_body(fields, quote!(<Self as rt::WireField>::SIZE));
    quote! {
        impl #name {
            #docs
            fn encode_into(&self, out: &mut [u8]) -> ::core::result::Result<usize, rt::EncodeError> {
                #body
            }
        }
    }
}

/// The body of an encoder: every field through a `FieldWriter` of `size` bytes (an expression).
fn encode_body(fields: &[Ident], size: TokenStream) -> TokenStream {
    if fields.is_empty() {
        quote!(rt::FieldWriter::new(out, #size).map(rt::FieldWriter::finish))
    } else {
        quote! {
            let mut w = rt::FieldWriter::new(out, #size)?;
            #(w.field(&self.#fields);)*
            ::core::result::Result::Ok(w.finish())
        }
    }
}

/// The `Message` impl of a framed message.
fn message_impl(name: &Ident, type_id: u16, l: &MessageLayout, fields: &[Ident]) -> TokenStream {
    let (type_id, max_size, buffer_class) = (num(type_id), num(l.max_size), num(l.buffer_class));
    let body = encode_body(fields, quote!(Self::MAX_SIZE));
    quote! {
        impl rt::Message for #name {
            const TYPE_ID: u16 = #type_id;
            const MAX_SIZE: usize = #max_size;
            const BUFFER_CLASS: usize = #buffer_class;

            #[inline]
            fn encode(&self, out: &mut [u8]) -> ::core::result::Result<usize, rt::EncodeError> {
                #body
            }

            #[inline]
            fn decode(payload: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {
                let mut value = <Self as rt::WireField>::default_value();
                rt::WireField::read_from(&mut value, payload)?;
                ::core::result::Result::Ok(value)
            }
        }
    }
}

/// A field as its view's accessor sees it.
struct ViewedField<'a> {
    f: &'a FieldDef,
    shape: FieldShape,
    /// The Rust name as text (`r#type`).
    name: String,
    ident: Ident,
    /// The owned Rust type (`rt::InlineString<32>`).
    ty: TokenStream,
    offset: u64,
    size: u64,
}

/// `{Name}View<'a>`: the message read in place, its `ViewField` impl and `{Name}::view`.
fn view(
    contracts: &Contracts,
    m: &MessageDef,
    name: &Ident,
    fields: &[ViewedField<'_>],
) -> Result<TokenStream, String> {
    let view = format_ident!("{name}View");
    let mut accessors = Vec::new();
    for vf in fields {
        if VIEW_METHODS.contains(&vf.name.as_str()) {
            return Err(format!("field `{name}.{}` has the name of a method of `{view}`", vf.f.name));
        }
        let ret = field_view_type(contracts, vf.shape)?;
        let docs = doc(&format!("{} at offset {}, {} bytes.", contract_type(vf.f), vf.offset, vf.size));
        let (field, ty, offset) = (&vf.ident, &vf.ty, num(vf.offset));
        accessors.push(quote! {
            #docs
            #[inline]
            pub fn #field(self) -> #ret {
                self.0.field::<#ty>(#offset)
            }
        });
    }
    let idents: Vec<&Ident> = fields.iter().map(|vf| &vf.ident).collect();
    let types: Vec<&TokenStream> = fields.iter().map(|vf| &vf.ty).collect();
    let field_names: Vec<Literal> = fields.iter().map(|vf| string(&vf.f.name)).collect();
    let view_doc = doc(&format!(
        "A [`{name}`] payload read in place: made by [`{name}::view`], each accessor reads its field\n\
         at a fixed offset (a field missing from an older payload reads as its default)."
    ));
    let owned_doc = doc("The owned message.");
    let bytes_doc = doc("The payload read, trailing bytes of a newer contract version included.");
    let view_name = string(&view.to_string());
    let view_fn_doc = doc(if m.is_framed() {
        "Checks `payload` once, exactly as `decode` does (older and newer payloads included, same\n\
         errors), and returns a view that reads each field in place: no copy, no allocation."
    } else {
        "Checks `payload` once, exactly as reading it embedded in a message does (older and newer\n\
         payloads included, same errors), and returns a view that reads each field in place."
    });
    let mut out = quote! {
        #view_doc
        #[derive(Clone, Copy)]
        pub struct #view<'a>(rt::ViewBytes<'a>);

        impl<'a> #view<'a> {
            #(#accessors)*

            #owned_doc
            pub fn to_owned(self) -> #name {
                rt::ViewField::from_view(self)
            }

            #bytes_doc
            pub fn as_bytes(self) -> &'a [u8] {
                self.0.as_bytes()
            }
        }

        impl ::core::fmt::Debug for #view<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut d = f.debug_struct(#view_name);
                #(d.field(#field_names, &self.#idents());)*
                d.finish()
            }
        }

        impl #name {
            #view_fn_doc
            #[inline]
            pub fn view(payload: &[u8]) -> ::core::result::Result<#view<'_>, rt::DecodeError> {
                <Self as rt::ViewField>::view_payload(payload)
            }
        }
    };

    let (checks_content, check, from_view) = if fields.is_empty() {
        (quote!(false), quote!(let _ = src;), quote!(fn from_view(_: #view<'_>) -> Self { Self {} }))
    } else {
        let message_name = string(&m.name);
        (
            quote!(rt::any_checks_content(&[#(<#types as rt::ViewField>::CHECKS_CONTENT),*])),
            quote! {
                if !<Self as rt::ViewField>::CHECKS_CONTENT && src.len() >= <Self as rt::WireField>::SIZE {
                    return ::core::result::Result::Ok(());
                }
                let mut c = rt::FieldChecker::new(src, #message_name);
                #(c.check::<#types>(#field_names)?;)*
            },
            quote! {
                fn from_view(view: #view<'_>) -> Self {
                    Self { #(#idents: rt::ViewField::from_view(view.#idents())),* }
                }
            },
        )
    };
    let check_doc = if fields.is_empty() {
        TokenStream::new()
    } else {
        doc("Every field present, none with content to check: nothing can be wrong.")
    };
    out.extend(quote! {
        impl rt::ViewField for #name {
            type View<'a> = #view<'a>;
            const CHECKS_CONTENT: bool = #checks_content;

            #check_doc
            #[inline]
            fn check(src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {
                #check
                ::core::result::Result::Ok(())
            }

            #[inline]
            fn read_view(src: &[u8]) -> #view<'_> {
                #view(rt::ViewBytes::new(src))
            }

            fn default_view<'a>() -> #view<'a> {
                #view(rt::ViewBytes::new(&[]))
            }

            #from_view
        }
    });
    Ok(out)
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
fn enum_def(e: &EnumDef, serde: &Serde) -> Result<TokenStream, String> {
    let name = message_ident(&e.name)?;
    let repr_name = enum_repr(e)?;
    let mut variants = Vec::new();
    let mut seen_names = std::collections::BTreeSet::new();
    let mut seen_values = std::collections::BTreeSet::new();
    for v in &e.values.0 {
        let variant = message_ident(&v.name).map_err(|err| format!("value {err} in enum `{name}`"))?;
        if !seen_names.insert(v.name.as_str()) {
            return Err(format!("enum `{name}` names the value `{variant}` twice"));
        }
        if !(0..=e.max_value()).contains(&v.value) {
            return Err(format!("value `{name}::{variant}` ({}) does not fit the wire type `{repr_name}`", v.value));
        }
        if !seen_values.insert(v.value) {
            return Err(format!("enum `{name}` has two names for the value {}", v.value));
        }
        variants.push((variant, v.value));
    }
    let Some((first, _)) = variants.first() else {
        return Err(format!("enum `{name}` has no values"));
    };
    let repr = ident(repr_name);
    let wide = if repr_name == "u32" { quote!(value) } else { quote!(u32::from(value)) };

    let mut text = description(e.description.as_deref());
    text.push_str(&format!(
        "An enum, a `{repr}` on the wire: decoding a number it does not name is a `DecodeError`\n\
         (`DecodeErrorKind::UnknownEnumValue`). Its default is `{first}`, its first value."
    ));
    let docs = doc(&text);
    let serde_derive = serde.attribute(quote!(derive(::serde::Serialize, ::serde::Deserialize)));
    let members = variants.iter().enumerate().map(|(i, (variant, value))| {
        let (docs, default) = if i == 0 {
            (doc(&format!("`{value}` on the wire; the default.")), quote!(#[default]))
        } else {
            (doc(&format!("`{value}` on the wire.")), TokenStream::new())
        };
        let value = Literal::i128_unsuffixed(*value);
        quote!(#docs #default #variant = #value)
    });
    let values = variants.iter().map(|(_, value)| Literal::i128_unsuffixed(*value));
    let names = variants.iter().map(|(variant, _)| variant);
    let enum_name = string(&e.name);
    let size = num(e.wire_size());
    let value_doc = doc("The number on the wire.");
    let try_from_doc = doc("The value `value` names; a number the enum does not name is an `UnknownEnumValue` error.");
    let read_view_doc = doc("Checked bytes name a value; the default only serves bytes that were not checked.");
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #serde_derive
        #[repr(#repr)]
        pub enum #name { #(#members),* }

        impl #name {
            #value_doc
            #[inline]
            pub const fn value(self) -> #repr {
                self as #repr
            }
        }

        impl ::core::convert::TryFrom<#repr> for #name {
            type Error = rt::DecodeError;

            #try_from_doc
            fn try_from(value: #repr) -> ::core::result::Result<Self, rt::DecodeError> {
                match value {
                    #(#values => ::core::result::Result::Ok(Self::#names),)*
                    _ => ::core::result::Result::Err(rt::DecodeError::unknown_enum_value(#enum_name, #wide)),
                }
            }
        }

        impl rt::WireField for #name {
            const SIZE: usize = #size;

            fn default_value() -> Self {
                ::core::default::Default::default()
            }

            fn put(&self, dst: &mut [u8]) {
                rt::WireField::put(&self.value(), dst);
            }

            #[inline]
            fn get(src: &[u8]) -> ::core::result::Result<Self, rt::DecodeError> {
                <#repr as rt::WireField>::get(src).and_then(::core::convert::TryFrom::try_from)
            }
        }

        impl rt::ViewField for #name {
            type View<'a> = Self;

            #[inline]
            fn check(src: &[u8]) -> ::core::result::Result<(), rt::DecodeError> {
                <Self as rt::WireField>::get(src).map(::core::mem::drop)
            }

            #read_view_doc
            #[inline]
            fn read_view(src: &[u8]) -> Self {
                <Self as rt::WireField>::get(src).unwrap_or_default()
            }

            fn default_view<'a>() -> Self::View<'a> {
                ::core::default::Default::default()
            }

            fn from_view(view: Self) -> Self {
                view
            }
        }
    })
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

/// The parts of a dispatch enum over `framed` messages: per message its variant doc, its name,
/// its view type (through `prefix`: `m::`) and its type id.
struct Dispatch {
    docs: Vec<TokenStream>,
    names: Vec<Ident>,
    views: Vec<TokenStream>,
    type_ids: Vec<Literal>,
}

impl Dispatch {
    /// `link` writes the variant doc's link to the message.
    fn new(framed: &[Framed<'_>], prefix: TokenStream, link: impl Fn(&str, u16) -> String) -> Dispatch {
        let mut d = Dispatch { docs: Vec::new(), names: Vec::new(), views: Vec::new(), type_ids: Vec::new() };
        // A name that is not a Rust type name is reported where its message is generated.
        for m in framed {
            let Ok(name) = message_ident(&m.name) else { continue };
            let view = format_ident!("{name}View");
            d.docs.push(doc(&link(&m.name, m.type_id)));
            d.views.push(quote!(#prefix #view<'a>));
            d.names.push(name);
            d.type_ids.push(num(m.type_id));
        }
        d
    }
}

/// `AnyMessage<'a>`: the view of any framed message, by type id.
fn any_message(contracts: &Contracts) -> TokenStream {
    let by_id = framed_by_id(contracts.messages.iter());
    if by_id.is_empty() {
        return TokenStream::new();
    }
    let Dispatch { docs, names, views, type_ids } =
        Dispatch::new(&by_id, TokenStream::new(), |name, id| format!("A [`{name}`] (type id {id})."));
    let enum_doc = doc("Any framed message, read in place: one variant per message, holding its view.");
    let view_doc = doc("The view of `payload` as the message `type_id` names, checked as `decode` checks it; a\n\
         type id of no message is a `DecodeError` naming it (`DecodeErrorKind::UnknownType`).");
    let type_id_doc = doc("The frame type id of the message.");
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy)]
        pub enum AnyMessage<'a> {
            #(#docs #names(#views),)*
        }

        impl<'a> AnyMessage<'a> {
            #view_doc
            pub fn view(type_id: u16, payload: &'a [u8]) -> ::core::result::Result<Self, rt::DecodeError> {
                match type_id {
                    #(#type_ids => #names::view(payload).map(Self::#names),)*
                    _ => ::core::result::Result::Err(rt::DecodeError::unknown_type(type_id, ::core::option::Option::None)),
                }
            }

            #type_id_doc
            pub fn type_id(&self) -> u16 {
                match self {
                    #(Self::#names(_) => #type_ids,)*
                }
            }
        }
    }
}

fn services(contracts: &Contracts, layout: &Layout) -> Result<TokenStream, String> {
    let mut modules = Vec::new();
    let mut items = TokenStream::new();
    for name in contracts.services.keys() {
        let module = service_ident(name)?;
        let Some(plan) = layout.pool_plan(contracts, name) else { continue };
        modules.push(module.clone());

        let handled: Vec<String> = plan.messages.iter().map(|(m, _)| format!("`{m}`")).collect();
        let classes: Vec<String> = plan.classes.iter().map(|c| format!("{} × {}", c.size, c.capacity)).collect();
        let pool = if plan.enabled {
            format!(
                "Pool size classes (size × capacity): {}.",
                if classes.is_empty() { "none".into() } else { classes.join(", ") }
            )
        } else {
            "`buffer_pool_enabled: false`: no pool.".to_string()
        };
        let docs = doc(&format!(
            "`{name}`: handles {}.\n{pool}",
            if handled.is_empty() { "no messages".into() } else { handled.join(", ") }
        ));
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
        let imports = imports.into_iter().map(ident);
        let service_name = string(name);
        let framed_items = if framed.is_empty() {
            TokenStream::new()
        } else {
            let m_doc = doc("The module of the message types and their views.");
            let name_doc = doc("The service's name, as `Inbound` errors give it.");
            quote! {
                #m_doc
                use super::super as m;
                #name_doc
                pub const NAME: &str = #service_name;
            }
        };
        let config_doc = doc(&format!("The pool configuration of `{name}`: what `pools.json` holds for it."));
        let enabled = plan.enabled;
        let sizes = plan.classes.iter().map(|c| num(c.size));
        let capacities = plan.classes.iter().map(|c| num(c.capacity));
        let message_names = plan.messages.iter().map(|(m, _)| string(m));
        let buffer_classes = plan.messages.iter().map(|(_, class)| num(*class));
        let pool_doc = doc(&format!("A new buffer pool for `{name}`, built from [`CONFIG`]."));
        let dispatch = service_dispatch(name, &framed);
        items.extend(quote! {
            #docs
            pub mod #module {
                use ::mycelium_contracts::runtime::{#(#imports),*};
                use ::std::borrow::Cow;
                #framed_items
                #config_doc
                pub const CONFIG: ServiceConfig = ServiceConfig {
                    name: Cow::Borrowed(#service_name),
                    buffer_pool_enabled: #enabled,
                    size_classes: Cow::Borrowed(&[#(SizeClassConfig { size: #sizes, capacity: #capacities }),*]),
                    messages: Cow::Borrowed(&[#(MessageClass { name: Cow::Borrowed(#message_names), buffer_class: #buffer_classes }),*]),
                };
                #pool_doc
                pub fn buffer_pool() -> ::mycelium_contracts::runtime::BufferPool {
                    ::mycelium_contracts::runtime::BufferPool::from_service_config(&CONFIG)
                }
                #dispatch
            }
        });
    }
    let docs = doc("Pool configurations, one module per service (its kebab-case name in snake_case).");
    let all_doc = doc("Every service's configuration, sorted by service name.");
    Ok(quote! {
        #docs
        pub mod services {
            #items
            #all_doc
            pub const ALL: &[&::mycelium_contracts::runtime::ServiceConfig] = &[#(&#modules::CONFIG),*];
        }
    })
}

/// A service's frame limits and its `Inbound<'a>` dispatch enum.
fn service_dispatch(name: &str, framed: &[Framed<'_>]) -> TokenStream {
    let limits_doc = doc(&format!(
        "`(TYPE_ID, BUFFER_CLASS)` of every message `{name}` handles, sorted by type id: a frame\n\
         reader with these limits refuses every other frame type before allocating."
    ));
    let frame_limits_doc = doc("[`LIMITS`] as a frame reader takes them (`FrameReader::with_limits`).");
    let Dispatch { docs, names, views, type_ids } =
        Dispatch::new(framed, quote!(m::), |name, id| format!("A [`{name}`](m::{name}) (type id {id})."));
    let mut out = quote! {
        #limits_doc
        pub const LIMITS: &[(u16, usize)] =
            &[#((<m::#names as Message>::TYPE_ID, <m::#names as Message>::BUFFER_CLASS)),*];
        #frame_limits_doc
        pub fn frame_limits() -> FrameLimits {
            FrameLimits::new(LIMITS)
        }
    };
    if framed.is_empty() {
        return out;
    }
    let enum_doc =
        doc(&format!("A message `{name}` handles, read in place: one variant per message, holding its view."));
    let view_doc = doc("The view of `payload` as the message `type_id` names, checked as `decode` checks it; a\n\
         type id the service does not handle is a `DecodeError` naming it and the service.");
    let type_id_doc = doc("The frame type id of the message.");
    out.extend(quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy)]
        pub enum Inbound<'a> {
            #(#docs #names(#views),)*
        }

        impl<'a> Inbound<'a> {
            #view_doc
            pub fn view(type_id: u16, payload: &'a [u8]) -> Result<Self, DecodeError> {
                match type_id {
                    #(#type_ids => m::#names::view(payload).map(Self::#names),)*
                    _ => Err(DecodeError::unknown_type(type_id, Some(NAME))),
                }
            }

            #type_id_doc
            pub fn type_id(&self) -> u16 {
                match self {
                    #(Self::#names(_) => #type_ids,)*
                }
            }
        }
    });
    out
}
