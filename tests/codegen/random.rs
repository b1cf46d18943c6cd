//! Contracts nobody has seen: random valid contracts always generate, deterministically, and
//! the output parses and is exactly what prettyplease prints (long names, keywords, many fields
//! and many services, not only the fixtures).

use std::collections::BTreeMap;

use mycelium_contracts::codegen::{self, Options};
use mycelium_contracts::model::{Contracts, EnumDef, EnumValue, EnumValues, FieldDef, Layout, MessageDef, ServiceDef};
use proptest::prelude::*;

const TYPES: &[&str] = &[
    "bool", "u8", "i16", "uint32", "i64", "f32", "f64", "u128", "int128", "Address", "uint256", "int256", "Hash",
    "string", "bytes",
];

fn name(parts: &[usize], words: &[&str]) -> Vec<String> {
    parts.iter().map(|&i| words[i % words.len()].to_string()).collect()
}

fn field() -> impl Strategy<Value = (Vec<usize>, usize, u8, u32, Option<String>)> {
    (proptest::collection::vec(0usize..50, 1..5), 0usize..100, 0u8..4, 1u32..70, proptest::option::of("[a-z ]{0,40}"))
}

/// The name words, the wire type and the values of an enum.
fn enum_def() -> impl Strategy<Value = (Vec<usize>, usize, Vec<(usize, u32)>)> {
    (
        proptest::collection::vec(0usize..50, 1..5),
        0usize..3,
        proptest::collection::vec((0usize..50, any::<u32>()), 1..6),
    )
}

fn pascal(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn contracts() -> impl Strategy<Value = Contracts> {
    // A message without a type id (one in three) is embedded-only.
    let message = (proptest::collection::vec(0usize..50, 1..5), proptest::collection::vec(field(), 0..8), 0u8..3);
    (
        proptest::collection::vec(message, 1..6),
        proptest::collection::vec((0usize..50, 1usize..6, any::<bool>()), 0..8),
        proptest::collection::vec(enum_def(), 0..3),
    )
        .prop_map(|(messages, services, enums)| {
            let words = [
                "pool",
                "swap",
                "amount",
                "reserve",
                "tick",
                "venue",
                "price",
                "quantity",
                "liquidity",
                "oracle",
                "snapshot",
                "block",
                "hash",
                "timestamp",
                "note",
                "extremely",
                "long",
                "name",
                "type",
                "self",
            ];
            let mut enum_defs: Vec<EnumDef> = Vec::new();
            for (k, (ename, ty, values)) in enums.into_iter().enumerate() {
                let (ty, max) =
                    [("u8", u64::from(u8::MAX)), ("uint16", u64::from(u16::MAX)), ("u32", u64::from(u32::MAX))][ty];
                let mut seen = std::collections::BTreeSet::new();
                let values = values
                    .into_iter()
                    .enumerate()
                    .map(|(n, (w, v))| EnumValue {
                        name: format!("{}V{n}", pascal(&name(&[w], &words))),
                        value: (u64::from(v) % (max + 1)).into(),
                    })
                    .filter(|v| seen.insert(v.value))
                    .collect();
                enum_defs.push(EnumDef {
                    name: format!("{}E{k}", pascal(&name(&ename, &words))),
                    ty: ty.into(),
                    description: None,
                    values: EnumValues(values),
                });
            }
            let mut defs: Vec<MessageDef> = Vec::new();
            for (i, (mname, fields, framing)) in messages.into_iter().enumerate() {
                let mut msg_name = pascal(&name(&mname, &words));
                msg_name.push_str(&format!("M{i}"));
                let mut fdefs: Vec<FieldDef> = Vec::new();
                for (j, (fname, ty, shape, n, description)) in fields.into_iter().enumerate() {
                    // Only embed earlier messages: no recursion.
                    let choices = TYPES.len() + enum_defs.len() + i;
                    let ty = ty % choices;
                    let ty = if ty < TYPES.len() {
                        TYPES[ty].to_string()
                    } else if ty < TYPES.len() + enum_defs.len() {
                        enum_defs[ty - TYPES.len()].name.clone()
                    } else {
                        defs[ty - TYPES.len() - enum_defs.len()].name.clone()
                    };
                    let embedded = defs.iter().any(|m| m.name == ty);
                    let variable = ty == "string" || ty == "bytes";
                    let mut fname = name(&fname, &words).join("_");
                    if j > 0 {
                        fname.push_str(&format!("_{j}"));
                    }
                    let small = if embedded { n.min(3) } else { n };
                    fdefs.push(FieldDef {
                        name: fname,
                        ty,
                        count: (shape == 1).then_some(small),
                        max_count: (shape == 2).then_some(small),
                        max_len: variable.then_some(n),
                        description,
                    });
                }
                let type_id = (framing != 0).then_some(i as u16 + 1);
                defs.push(MessageDef { name: msg_name, type_id, description: None, fields: fdefs });
            }
            let mut svc = BTreeMap::new();
            for (k, (w, count, enabled)) in services.into_iter().enumerate() {
                let sname = format!("{}-{}-service-{k}", words[w % words.len()], words[(w + 7) % words.len()]);
                let messages = defs.iter().take(count).map(|m| m.name.clone()).collect();
                svc.insert(sname, ServiceDef { messages, buffer_pool_enabled: enabled });
            }
            Contracts { version: "0.1.0".into(), enums: enum_defs, messages: defs, services: svc }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn unseen_contracts_generate_code_that_parses(c in contracts()) {
        // Embedding arrays of arrays can exceed 65,536 bytes: that is an error case, tested below.
        let layout = Layout::compute(&c);
        prop_assume!((0..c.messages.len()).all(|i| matches!(layout.get(i), Some(Ok(l)) if !l.is_too_large())));
        let g = codegen::generate(&c, &Options::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&g, &codegen::generate(&c, &Options::default()).unwrap());
        super::golden::assert_printed_by_prettyplease(&g.contracts_rs).map_err(TestCaseError::fail)?;
        let pools: serde_json::Value = serde_json::from_str(&g.pools_json).unwrap();
        prop_assert_eq!(pools["services"].as_object().unwrap().len(), c.services.len());
    }
}

#[test]
fn invalid_contracts_are_an_error_not_a_panic() {
    let field = |name: &str, ty: &str| FieldDef {
        name: name.into(),
        ty: ty.into(),
        count: None,
        max_count: None,
        max_len: None,
        description: None,
    };
    let msg =
        |name: &str, id: u16, fields| MessageDef { name: name.into(), type_id: Some(id), description: None, fields };
    let cases = [
        vec![msg("A", 1, vec![field("s", "string")])],
        vec![msg("A", 1, vec![field("x", "Nope")])],
        vec![msg("A", 1, vec![field("me", "A")])],
        vec![msg("A", 1, vec![]), msg("A", 2, vec![])],
        vec![msg("A", 1, vec![]), msg("B", 1, vec![])],
        vec![msg("Self", 1, vec![])],
        vec![msg("A", 1, vec![FieldDef { count: Some(70_000), ..field("h", "Hash") }])],
        vec![msg("A", 1, vec![field("self", "u8"), field("self_", "u8")])],
        vec![msg("A", 1, vec![field("Bad-Name", "u8")])],
    ];
    for messages in cases {
        let c = Contracts {
            version: "1.0.0".into(),
            enums: Vec::new(),
            messages: messages.clone(),
            services: BTreeMap::new(),
        };
        let e = codegen::generate(&c, &Options::default()).unwrap_err();
        assert!(!e.problems().is_empty(), "{messages:?}");
    }
}
