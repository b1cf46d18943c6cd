//! The `seeded` fixture: a contracts document drawn by a seeded generator (deterministic: the
//! same seed always gives the same document), so the golden test and the codec equivalence
//! tests also run on contracts nobody wrote by hand.
//!
//! Every built-in type and alias appears, messages embed messages that embed others, there are
//! fixed and variable arrays of strings, of bytes and of messages, and an enum of each wire type
//! is used as a single value, a fixed array and a bounded array. A changed generator rewrites
//! `fixtures/seeded/contracts.json` and fails, like the other golden files; the golden test then
//! regenerates `expected.rs` from it.

use std::collections::BTreeMap;

use mycelium_contracts::model::{Contracts, EnumDef, EnumValue, EnumValues, FieldDef, Layout, MessageDef, ServiceDef};

use crate::golden::fixtures;

/// The seed of the committed fixture.
pub const SEED: u64 = 0x5eed_d0c5;

/// How many messages the document has.
pub const MESSAGES: usize = 12;

/// SplitMix64: a tiny deterministic generator, so the fixture does not depend on a crate's
/// random-number algorithm.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Every built-in type name the loader accepts, aliases included.
const BUILTINS: &[&str] = &[
    "bool", "u8", "i8", "u16", "i16", "u32", "i32", "f32", "u64", "i64", "f64", "u128", "i128", "Address", "uint256",
    "int256", "Hash", "string", "bytes", "uint8", "uint16", "uint32", "uint64", "uint128", "int8", "int16", "int32",
    "int64", "int128",
];

const WORDS: &[&str] = &[
    "pool", "swap", "amount", "reserve", "tick", "venue", "price", "qty", "oracle", "block", "note", "flag", "side",
    "level", "fee", "route", "vault", "margin",
];

const NOUNS: &[&str] = &["Book", "Fill", "Quote", "Route", "Vault", "Level", "Order", "Tick", "Leg", "Snap"];

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    One,
    Fixed,
    Var,
}

/// The shapes every document must have somewhere: `(type, shape)`, where type `"msg"` is an
/// earlier message.
const REQUIRED: &[(&str, Shape)] = &[
    ("string", Shape::Fixed),
    ("string", Shape::Var),
    ("bytes", Shape::Fixed),
    ("bytes", Shape::Var),
    ("msg", Shape::One),
    ("msg", Shape::Fixed),
    ("msg", Shape::Var),
    ("bool", Shape::Fixed),
    ("bool", Shape::Var),
];

fn field(rng: &mut Rng, name: String, ty: &str, shape: Shape, embedded: bool) -> FieldDef {
    let variable = ty == "string" || ty == "bytes";
    // Arrays of messages stay short, so nesting keeps the documents small.
    let n = if embedded { rng.range(1, 3) } else { rng.range(1, 6) };
    FieldDef {
        name,
        ty: ty.to_string(),
        count: (shape == Shape::Fixed).then_some(n),
        max_count: (shape == Shape::Var).then_some(n),
        max_len: variable.then(|| rng.range(1, 24)),
        description: None,
    }
}

/// An earlier message to embed: one of at most 1 KiB, so nesting keeps every message far below
/// the 64 KiB limit (the smallest one when none is that small).
fn embeddable(rng: &mut Rng, messages: &[MessageDef]) -> String {
    let c = Contracts {
        version: "0.0.0".into(),
        enums: Vec::new(),
        messages: messages.to_vec(),
        services: BTreeMap::new(),
    };
    let layout = Layout::compute(&c);
    let size = |i: usize| match layout.get(i) {
        Some(Ok(l)) => l.max_size,
        _ => u64::MAX,
    };
    let small: Vec<usize> = (0..messages.len()).filter(|&i| size(i) <= 1024).collect();
    let k =
        if small.is_empty() { (0..messages.len()).min_by_key(|&i| size(i)).unwrap_or(0) } else { *rng.pick(&small) };
    messages[k].name.clone()
}

/// The enums' wire types, as the contracts spell them (one enum each).
const ENUM_TYPES: &[&str] = &["u8", "uint16", "u32"];

/// Value names of the enums.
const VALUE_NAMES: &[&str] = &["Bid", "Ask", "Open", "Closed", "Halted", "Auction", "Cross", "Dark"];

/// One enum per wire type, `Kind0`…: 2 to 6 values with distinct numbers (0 and the type's
/// maximum among the candidates), in a drawn order.
fn enums(rng: &mut Rng) -> Vec<EnumDef> {
    ENUM_TYPES
        .iter()
        .enumerate()
        .map(|(k, ty)| {
            let max: i128 = match *ty {
                "u8" => 0xff,
                "uint16" => 0xffff,
                _ => 0xffff_ffff,
            };
            let n = rng.range(2, 6) as usize;
            let mut values: Vec<EnumValue> = Vec::new();
            for name in VALUE_NAMES.iter().take(n) {
                let mut value = match rng.range(0, 3) {
                    0 => 0,
                    1 => max,
                    _ => i128::from(rng.next() % 300) % (max + 1),
                };
                while values.iter().any(|v| v.value == value) {
                    value = (value + 1) % (max + 1);
                }
                values.push(EnumValue { name: name.to_string(), value });
            }
            EnumDef { name: format!("Kind{k}"), ty: ty.to_string(), description: None, values: EnumValues(values) }
        })
        .collect()
}

/// The contracts document for `seed`.
pub fn contracts(seed: u64) -> Contracts {
    let mut rng = Rng(seed);
    // Built-in types still to use, and required shapes still to place.
    let mut unused: Vec<&str> = BUILTINS.to_vec();
    let mut required: Vec<(&str, Shape)> = REQUIRED.to_vec();
    let mut messages: Vec<MessageDef> = Vec::new();
    let mut type_ids: Vec<u16> = Vec::new();
    for i in 0..MESSAGES {
        let name = format!("{}{}", rng.pick(NOUNS), i);
        let mut type_id = rng.range(1, 65535) as u16;
        while type_ids.contains(&type_id) {
            type_id = rng.range(1, 65535) as u16;
        }
        type_ids.push(type_id);
        let n_fields = rng.range(2, 7) as usize;
        let mut fields: Vec<FieldDef> = Vec::new();
        for j in 0..n_fields {
            let fname = format!("{}_{j}", rng.pick(WORDS));
            // Messages 0 and 1 are built from built-in types only; later ones may embed any
            // earlier message, and message 2 onwards takes the required shapes first.
            let (ty, shape) = if let Some(&(ty, shape)) = required.first().filter(|_| i >= 2 && j == 0) {
                required.remove(0);
                let ty = if ty == "msg" { embeddable(&mut rng, &messages) } else { ty.into() };
                (ty, shape)
            } else if !unused.is_empty() && rng.range(0, 2) > 0 {
                let k = rng.range(0, unused.len() as u32 - 1) as usize;
                (unused.remove(k).to_string(), *rng.pick(&[Shape::One, Shape::One, Shape::Fixed, Shape::Var]))
            } else if i > 0 && rng.range(0, 3) == 0 {
                (embeddable(&mut rng, &messages), *rng.pick(&[Shape::One, Shape::Fixed, Shape::Var]))
            } else {
                (rng.pick(BUILTINS).to_string(), *rng.pick(&[Shape::One, Shape::One, Shape::Fixed, Shape::Var]))
            };
            let embedded = !BUILTINS.contains(&ty.as_str());
            fields.push(field(&mut rng, fname, &ty, shape, embedded));
        }
        // Whatever built-in types are still unused go to the last messages.
        if i >= MESSAGES - 2 {
            let take = if i == MESSAGES - 1 { unused.len() } else { unused.len() / 2 };
            for ty in unused.drain(..take).collect::<Vec<_>>() {
                let fname = format!("{}_{}", rng.pick(WORDS), fields.len());
                let shape = *rng.pick(&[Shape::One, Shape::Fixed, Shape::Var]);
                fields.push(field(&mut rng, fname, ty, shape, false));
            }
        }
        messages.push(MessageDef { name, type_id: Some(type_id), description: None, fields });
    }
    // Nesting: the last message embeds the one before, which embeds an earlier one.
    let (before, last) = (messages[MESSAGES - 2].name.clone(), MESSAGES - 1);
    let fname = format!("inner_{}", messages[last].fields.len());
    messages[last].fields.push(field(&mut rng, fname, &before, Shape::One, true));
    let penultimate = MESSAGES - 2;
    let earlier = embeddable(&mut rng, &messages[..penultimate]);
    let fname = format!("inner_{}", messages[penultimate].fields.len());
    messages[penultimate].fields.push(field(&mut rng, fname, &earlier, Shape::Var, true));

    // Enum fields, drawn from a generator of their own so the rest of the document does not
    // depend on them: each enum as a single value, a fixed array and a bounded array.
    let mut enum_rng = Rng(seed ^ 0xe0e0_e0e0_e0e0_e0e0);
    let enums = enums(&mut enum_rng);
    for (k, e) in enums.iter().enumerate() {
        for (s, shape) in [Shape::One, Shape::Fixed, Shape::Var].into_iter().enumerate() {
            let m = 1 + (k * 3 + s) % (MESSAGES - 1);
            let fname = format!("kind_{}", messages[m].fields.len());
            let f = field(&mut enum_rng, fname, &e.name, shape, false);
            messages[m].fields.push(f);
        }
    }

    let mut services = BTreeMap::new();
    for (k, sname) in ["seeded-reader", "seeded-writer"].iter().enumerate() {
        let picked = messages.iter().filter(|_| rng.range(0, 2) > 0 || k == 0).map(|m| m.name.clone()).collect();
        services.insert(sname.to_string(), ServiceDef { messages: picked, buffer_pool_enabled: k == 0 });
    }
    Contracts { version: "0.7.0".into(), enums, messages, services }
}

/// The document's JSON text, as committed.
pub fn document(seed: u64) -> String {
    let mut text = serde_json::to_string_pretty(&contracts(seed)).unwrap();
    text.push('\n');
    text
}

#[test]
fn seeded_fixture_is_the_generators_output() {
    let path = fixtures().join("seeded/contracts.json");
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let actual = document(SEED);
    if expected != actual {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        panic!("{} changed; it has been rewritten, review the diff", path.display());
    }
}

#[test]
fn seeded_documents_cover_every_type_and_shape() {
    for seed in [SEED, 1, 2, 3, 0xdead_beef] {
        let c = contracts(seed);
        assert_eq!(c.messages.len(), MESSAGES);
        let layout = Layout::compute(&c);
        for (i, m) in c.messages.iter().enumerate() {
            assert!(matches!(layout.get(i), Some(Ok(l)) if !l.is_too_large()), "seed {seed}: {} has no layout", m.name);
        }
        let fields: Vec<&FieldDef> = c.messages.iter().flat_map(|m| &m.fields).collect();
        for ty in BUILTINS {
            assert!(fields.iter().any(|f| f.ty == *ty), "seed {seed}: no `{ty}` field");
        }
        let is_enum = |f: &FieldDef| c.enums.iter().any(|e| e.name == f.ty);
        let is_msg = |f: &FieldDef| !BUILTINS.contains(&f.ty.as_str()) && !is_enum(f);
        let enum_shapes = [("enum", Shape::One), ("enum", Shape::Fixed), ("enum", Shape::Var)];
        for &(ty, shape) in REQUIRED.iter().chain(&enum_shapes) {
            let found = fields.iter().any(|f| {
                let kind = if is_enum(f) {
                    "enum"
                } else if is_msg(f) {
                    "msg"
                } else {
                    f.ty.as_str()
                };
                let s = match (f.count, f.max_count) {
                    (Some(_), _) => Shape::Fixed,
                    (_, Some(_)) => Shape::Var,
                    _ => Shape::One,
                };
                kind == ty && s == shape
            });
            assert!(found, "seed {seed}: no `{ty}` field of the required shape");
        }
        let wire_types: Vec<&str> = c.enums.iter().map(|e| e.ty.as_str()).collect();
        assert_eq!(wire_types, ENUM_TYPES, "seed {seed}: one enum per wire type");
        assert_eq!(document(seed), document(seed));
    }
}
