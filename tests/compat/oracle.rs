//! The wire as the oracle of every compatibility rule.
//!
//! Random valid contracts (enums and embedded-only messages included), random mutations of every
//! kind the rules know, the real check
//! (loader, schema, semantic checks, diff, verdict) on each pair, and then the bytes: whenever
//! the required bump is `none`, `patch` or `minor`, random values of every message present in
//! both versions are encoded by each version and decoded by the other. Every field present in
//! both must come back as it was written (or the reader must refuse the value with a
//! `DecodeError` for a bound it has, or for an enum value it does not name), and every payload
//! must fit the receiver's per-type limit
//! (its `BUFFER_CLASS`). A verdict that lets a wrong value through is *false-safe*: there must be
//! none.
//!
//! The other way round is counted, not failed: a verdict of `major` while the bytes would have
//! been read correctly in both directions is *over-strict* (renames are major on purpose: the
//! generated API and the JSON form break).
//!
//! `MYCELIUM_ORACLE_PAIRS=N` sets the number of pairs (default 3,000);
//! `MYCELIUM_ORACLE_SEED=S` the first seed. The long run in the docs is
//! `MYCELIUM_ORACLE_PAIRS=1000000 cargo test --release --all-features --test compat oracle -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};

use mycelium_contracts::check::{Input, Inputs, analyze};
use mycelium_contracts::compat::{self, Bump, Side};
use mycelium_contracts::dynamic::{Codec, Elem, MessagePlan, Shape, Value};
use mycelium_contracts::model::{
    BuiltinType, Contracts, EnumDef, EnumValue, EnumValues, FieldDef, Layout, MessageDef, ServiceDef,
};
use mycelium_contracts::runtime::DecodeErrorKind;

/// SplitMix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SCALARS: &[&str] = &[
    "bool", "u8", "i8", "u16", "i16", "u32", "i32", "f32", "u64", "i64", "f64", "u128", "i128", "Address", "uint256",
    "int256", "Hash", "uint8", "int16", "uint32", "int64", "uint128",
];

fn random_field(rng: &mut Rng, name: String, embeddable: &[String], enums: &[String]) -> FieldDef {
    let mut f = FieldDef { name, ty: String::new(), count: None, max_count: None, max_len: None, description: None };
    match rng.below(10) {
        0 if !enums.is_empty() => f.ty = rng.pick(enums).clone(),
        0..=5 => f.ty = rng.pick(SCALARS).to_string(),
        6 | 7 => {
            f.ty = if rng.chance(60) { "string" } else { "bytes" }.to_string();
            f.max_len = Some(1 + rng.below(40) as u32);
        }
        _ if !embeddable.is_empty() => f.ty = rng.pick(embeddable).clone(),
        _ => f.ty = "u32".to_string(),
    }
    match rng.below(10) {
        0 | 1 => f.count = Some(1 + rng.below(4) as u32),
        2 | 3 => f.max_count = Some(1 + rng.below(4) as u32),
        _ => {}
    }
    f
}

const ENUM_TYPES: &[&str] = &["u8", "u16", "u32", "uint8", "uint16"];

/// A random enum: a few values with small, distinct numbers (0 among them at times, so a
/// default that is not the first value shows).
fn random_enum(rng: &mut Rng, name: String) -> EnumDef {
    let mut values = Vec::new();
    let mut used = BTreeSet::new();
    for k in 0..1 + rng.below(4) {
        let mut v = rng.below(6) as i128;
        while !used.insert(v) {
            v += 1;
        }
        values.push(EnumValue { name: format!("V{k}"), value: v });
    }
    EnumDef { name, ty: rng.pick(ENUM_TYPES).to_string(), description: None, values: EnumValues(values) }
}

/// A random valid-looking contract set: messages embed only earlier ones, so there is no
/// recursion; sizes stay far below the 64 KiB limit. Some messages are embedded-only; services
/// name only framed ones.
fn random_contracts(rng: &mut Rng) -> Contracts {
    let enums: Vec<EnumDef> = (0..rng.below(3)).map(|k| random_enum(rng, format!("E{k}"))).collect();
    let enum_names: Vec<String> = enums.iter().map(|e| e.name.clone()).collect();
    let n = 1 + rng.below(5);
    let mut messages: Vec<MessageDef> = Vec::new();
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let embeddable: Vec<String> = messages.iter().map(|m| m.name.clone()).collect();
        let fields =
            (0..rng.below(7)).map(|k| random_field(rng, format!("f{i}_{k}"), &embeddable, &enum_names)).collect();
        let type_id = if i + 1 < n && rng.chance(20) {
            None
        } else {
            let mut id = 1 + rng.below(40) as u16;
            while !ids.insert(id) {
                id += 1;
            }
            Some(id)
        };
        messages.push(MessageDef { name: format!("M{i}"), type_id, description: None, fields });
    }
    let mut services = BTreeMap::new();
    for s in 0..rng.below(3) {
        let handled: Vec<String> =
            messages.iter().filter(|m| m.is_framed() && rng.chance(60)).map(|m| m.name.clone()).collect();
        services.insert(format!("svc-{s}"), ServiceDef { messages: handled, buffer_pool_enabled: rng.chance(80) });
    }
    Contracts { version: "1.0.0".to_string(), enums, messages, services }
}

/// A number no value of `e` has, that fits its wire type.
fn unused_number(rng: &mut Rng, e: &EnumDef) -> i128 {
    let mut v = rng.below(8) as i128;
    while e.values.0.iter().any(|x| x.value == v) {
        v += 1;
    }
    v
}

/// One random change to the enums (or to whether a message is framed). Returns a label.
fn mutate_enums(rng: &mut Rng, c: &mut Contracts, m: usize, fresh: usize) -> &'static str {
    let ne = c.enums.len();
    let k = rng.below(ne);
    match rng.below(11) {
        0 if ne > 0 => {
            let v = unused_number(rng, &c.enums[k]);
            c.enums[k].values.0.push(EnumValue { name: format!("N{fresh}"), value: v });
            "enum-value-add"
        }
        1 if ne > 0 && c.enums[k].values.0.len() > 1 => {
            let at = rng.below(c.enums[k].values.0.len());
            c.enums[k].values.0.remove(at);
            "enum-value-remove"
        }
        2 if ne > 0 => {
            let v = unused_number(rng, &c.enums[k]);
            let at = rng.below(c.enums[k].values.0.len());
            c.enums[k].values.0[at].value = v;
            "enum-value-renumber"
        }
        3 if ne > 0 => {
            let at = rng.below(c.enums[k].values.0.len());
            c.enums[k].values.0[at].name = format!("R{fresh}");
            "enum-value-rename"
        }
        4 if ne > 0 && c.enums[k].values.0.len() > 1 => {
            let (a, b) = (0, 1 + rng.below(c.enums[k].values.0.len() - 1));
            let values = &mut c.enums[k].values.0;
            let (x, y) = (values[a].value, values[b].value);
            if rng.chance(50) {
                // Same names and numbers, another order: only the default changes.
                values.swap(a, b);
                "enum-reorder"
            } else {
                values[a].value = y;
                values[b].value = x;
                "enum-value-swap"
            }
        }
        5 if ne > 0 => {
            c.enums[k].ty = rng.pick(ENUM_TYPES).to_string();
            "enum-type"
        }
        6 => {
            c.enums.push(random_enum(rng, format!("Added{fresh}")));
            "enum-add"
        }
        7 if ne > 0 => {
            // An enum a field uses cannot go without making the document invalid.
            let name = c.enums[k].name.clone();
            if c.messages.iter().all(|x| x.fields.iter().all(|f| f.ty != name)) {
                c.enums.remove(k);
            }
            "enum-remove"
        }
        8 if ne > 0 && !c.messages[m].fields.is_empty() => {
            let at = rng.below(c.messages[m].fields.len());
            let f = &mut c.messages[m].fields[at];
            f.ty = c.enums[k].name.clone();
            f.max_len = None;
            "retype-to-enum"
        }
        9 => {
            // Embedded-only now: services can no longer name it.
            let name = c.messages[m].name.clone();
            c.messages[m].type_id = None;
            for s in c.services.values_mut() {
                s.messages.retain(|x| *x != name);
            }
            "unframe"
        }
        10 if c.messages[m].type_id.is_none() => {
            c.messages[m].type_id = Some(200 + fresh as u16 % 1000);
            "frame"
        }
        _ => "none",
    }
}

/// One random mutation of any kind the rules know. Returns a label for the tallies.
fn mutate(rng: &mut Rng, c: &mut Contracts, serial: &mut usize) -> &'static str {
    *serial += 1;
    let fresh = *serial;
    let nm = c.messages.len();
    let m = rng.below(nm);
    let nf = c.messages[m].fields.len();
    let names: Vec<String> = c.messages[..m].iter().map(|x| x.name.clone()).collect();
    let enums: Vec<String> = c.enums.iter().map(|e| e.name.clone()).collect();
    match rng.below(26) {
        19..=25 => mutate_enums(rng, c, m, fresh),
        // Bounds, at any position: up or down.
        0..=2 => {
            let bounded: Vec<usize> = (0..nf)
                .filter(|&k| c.messages[m].fields[k].max_len.is_some() || c.messages[m].fields[k].max_count.is_some())
                .collect();
            let Some(&k) = bounded.get(rng.below(bounded.len())) else { return "none" };
            let f = &mut c.messages[m].fields[k];
            let slot = if f.max_len.is_some() && (f.max_count.is_none() || rng.chance(50)) {
                &mut f.max_len
            } else {
                &mut f.max_count
            };
            let old = slot.unwrap_or(1);
            *slot = Some(if rng.chance(70) { old + 1 + rng.below(8) as u32 } else { old.saturating_sub(1).max(1) });
            "bound"
        }
        // Append: small (within the class) or large (leaving it).
        3..=5 => {
            let mut f = random_field(rng, format!("a{fresh}"), &names, &enums);
            if rng.chance(25) {
                f = FieldDef { ty: "bytes".into(), max_len: Some(100 + rng.below(300) as u32), ..f };
            }
            c.messages[m].fields.push(f);
            "append"
        }
        6 => {
            let f = random_field(rng, format!("i{fresh}"), &names, &enums);
            let at = rng.below(nf + 1);
            c.messages[m].fields.insert(at, f);
            "insert"
        }
        7 if nf > 0 => {
            c.messages[m].fields.remove(rng.below(nf));
            "remove"
        }
        8 if nf > 1 => {
            let (a, b) = (rng.below(nf), rng.below(nf));
            c.messages[m].fields.swap(a, b);
            "move"
        }
        9 if nf > 0 => {
            let k = rng.below(nf);
            c.messages[m].fields[k].name = format!("r{fresh}");
            "rename-field"
        }
        10 if nf > 0 => {
            let k = rng.below(nf);
            let f = &mut c.messages[m].fields[k];
            if f.max_len.is_none() && BuiltinType::parse(&f.ty).is_some() {
                f.ty = rng.pick(SCALARS).to_string();
            } else if let Some(n) = f.count {
                f.count = Some(n + 1);
            } else {
                f.ty = "u64".into();
                f.max_len = None;
            }
            "retype"
        }
        11 => {
            let id = 1 + rng.below(60) as u16;
            if c.messages.iter().all(|x| x.type_id != Some(id)) {
                c.messages[m].type_id = Some(id);
            }
            "type-id"
        }
        12 if nm > 1 => {
            let other = (m + 1) % nm;
            let (a, b) = (c.messages[m].type_id, c.messages[other].type_id);
            c.messages[m].type_id = b;
            c.messages[other].type_id = a;
            "swap-type-ids"
        }
        13 => {
            c.messages[m].name = format!("Renamed{fresh}");
            "rename-message"
        }
        14 => {
            let embeddable: Vec<String> = c.messages.iter().map(|x| x.name.clone()).collect();
            let fields =
                (0..rng.below(4)).map(|k| random_field(rng, format!("n{fresh}_{k}"), &embeddable, &enums)).collect();
            let id = 100 + fresh as u16 % 1000;
            c.messages.push(MessageDef { name: format!("Added{fresh}"), type_id: Some(id), description: None, fields });
            "add-message"
        }
        15 if nm > 1 => {
            // Only a message nothing embeds can go without making the document invalid.
            let name = c.messages[nm - 1].name.clone();
            if c.messages.iter().all(|x| x.fields.iter().all(|f| f.ty != name)) {
                c.messages.pop();
                for s in c.services.values_mut() {
                    s.messages.retain(|x| *x != name);
                }
            }
            "remove-message"
        }
        16 => {
            c.messages[m].description = Some(format!("text {fresh}"));
            "description"
        }
        17 => {
            let name = c.messages[m].name.clone();
            match c.services.values_mut().next() {
                Some(s) if s.messages.contains(&name) => s.messages.retain(|x| *x != name),
                Some(s) => s.messages.push(name),
                None => {
                    c.services.insert("svc-new".into(), ServiceDef { messages: vec![name], buffer_pool_enabled: true });
                }
            }
            "service"
        }
        18 => {
            if let Some(s) = c.services.values_mut().next() {
                s.buffer_pool_enabled = !s.buffer_pool_enabled;
            }
            "pool"
        }
        _ => "none",
    }
}

/// Runs the real check on a document: loader, schema, semantic checks. `None` when it has an
/// error finding (the pair is skipped: the checker compares only valid contracts).
fn checked(c: &Contracts) -> Option<(Contracts, Layout)> {
    let bytes = serde_json::to_vec(c).unwrap();
    let inputs = Inputs::contracts_only(Input::Bytes { name: "contracts.json".into(), bytes });
    let analysis = analyze(&inputs).ok()?;
    let (c, l) = analysis.valid_contracts()?;
    Some((c.clone(), l.clone()))
}

fn random_value(rng: &mut Rng, codec: &Codec, index: usize) -> Value {
    let plan = codec.message(index);
    Value::Message(
        plan.fields
            .iter()
            .map(|f| match f.shape {
                Shape::One => random_elem(rng, codec, f.elem, f.elem_size),
                Shape::Fixed(n) => Value::Array((0..n).map(|_| random_elem(rng, codec, f.elem, f.elem_size)).collect()),
                Shape::Var(n) => {
                    let len = rng.below(n + 1);
                    Value::Array((0..len).map(|_| random_elem(rng, codec, f.elem, f.elem_size)).collect())
                }
            })
            .collect(),
    )
}

fn random_elem(rng: &mut Rng, codec: &Codec, elem: Elem, size: usize) -> Value {
    use BuiltinType::*;
    let wide = (u128::from(rng.next()) << 64) | u128::from(rng.next());
    match elem {
        Elem::Scalar(t) => match t {
            Bool => Value::Bool(rng.chance(50)),
            U8 | U16 | U32 | U64 | U128 => {
                Value::UInt(if size < 16 { wide & ((1u128 << (8 * size)) - 1) } else { wide })
            }
            I8 | I16 | I32 | I64 | I128 => {
                let bits = 8 * size as u32;
                Value::Int(((wide << (128 - bits)) as i128) >> (128 - bits))
            }
            F32 => Value::F32(f32::from_bits(rng.next() as u32)),
            F64 => Value::F64(f64::from_bits(rng.next())),
            _ => Value::Fixed((0..size).map(|_| rng.next() as u8).collect()),
        },
        Elem::Str(max) => {
            let chars = ['a', 'Z', '7', '-', 'é', '€', '😀'];
            let mut s = std::string::String::new();
            while let Some(&c) = chars.get(rng.below(chars.len() + 2))
                && s.len() + c.len_utf8() <= max
            {
                s.push(c);
            }
            Value::Str(s)
        }
        Elem::Bytes(max) => Value::Bytes((0..rng.below(max + 1)).map(|_| rng.next() as u8).collect()),
        Elem::Message(k) => random_value(rng, codec, k),
        Elem::Enum(e) => Value::Enum(rng.pick(&codec.enums()[e].values).0.clone()),
    }
}

/// What went wrong on the wire for one value in one direction, if anything.
fn wire_problem(rng: &mut Rng, writer: &Codec, w: usize, reader: &Codec) -> Option<String> {
    let value = random_value(rng, writer, w);
    let wm = writer.message(w);
    let payload = writer.encode_to_vec(w, &value).unwrap();
    let r = match wm.type_id {
        Some(type_id) => {
            let same = reader.message_index(&wm.name).map(|r| reader.message(r));
            if same.is_some_and(|m| m.type_id.is_none()) {
                // Framed only in the writer's version (`message-framed`): to the reader it is a
                // new type id, as an added message is.
                return None;
            }
            let Some(r) = reader.by_type_id(type_id) else {
                return Some(format!("{} (type_id {type_id}) is unknown to the reader", wm.name));
            };
            r
        }
        // Embedded-only in the writer's version: it travels only inside other messages (which
        // are checked too); its payload is still read with the reader's layout, unframed.
        None => reader.message_index(&wm.name)?,
    };
    let rm = reader.message(r);
    if rm.name != wm.name {
        return Some(format!("{} (type_id {:?}) is read as {}", wm.name, wm.type_id, rm.name));
    }
    if wm.type_id.is_some() && payload.len() > rm.buffer_class {
        return Some(format!("{}: {} bytes over the reader's limit of {}", wm.name, payload.len(), rm.buffer_class));
    }
    let got = match reader.decode(r, &payload) {
        Ok(v) => v,
        // A written value outside a bound the reader has is refused, never misread: allowed. A
        // refusal of anything else (a length read from the wrong bytes) is not.
        Err(e) if outside_readers_bound(&e, wm, &value) || outside_readers_enum(&e, writer, reader) => return None,
        Err(e) => return Some(format!("{}: rejected: {e}", wm.name)),
    };
    let (Value::Message(sent), Value::Message(read)) = (&value, &got) else { unreachable!() };
    for (k, f) in wm.fields.iter().enumerate() {
        if let Some(j) = rm.fields.iter().position(|g| g.name == f.name)
            && sent[k] != read[j]
        {
            return Some(format!(
                "{}.{}: sent {}, read {}",
                wm.name,
                f.name,
                writer.display_field(w, &value, &f.name).unwrap_or_default(),
                reader.display_field(r, &got, &f.name).unwrap_or_default()
            ));
        }
    }
    None
}

/// Whether `e` refuses a top-level field whose written value really is longer than the
/// reader's bound (a string, bytes or variable array sent within the writer's bound).
fn outside_readers_bound(e: &mycelium_contracts::dynamic::DecodeError, wm: &MessagePlan, value: &Value) -> bool {
    let DecodeErrorKind::LengthOverBound { max, .. } = e.kind else { return false };
    let Value::Message(sent) = value else { return false };
    if e.message != wm.name {
        return false;
    }
    let Some(k) = wm.fields.iter().position(|f| f.name == e.field) else { return false };
    let written = match (&sent[k], wm.fields[k].shape) {
        (Value::Str(s), Shape::One) => s.len(),
        (Value::Bytes(b), Shape::One) => b.len(),
        (Value::Array(items), Shape::Var(_)) => items.len(),
        _ => return false,
    };
    written > max
}

/// Whether `e` refuses an enum number that the writer names with a name the reader's enum does
/// not have (a value added after the reader's version, or removed since the writer's).
fn outside_readers_enum(e: &mycelium_contracts::dynamic::DecodeError, writer: &Codec, reader: &Codec) -> bool {
    let DecodeErrorKind::UnknownEnumValue { name, value } = e.kind else { return false };
    let (Some(we), Some(re)) =
        (writer.enums().iter().find(|x| x.name == name), reader.enums().iter().find(|x| x.name == name))
    else {
        return false;
    };
    we.name_of(value).is_some_and(|written| re.value_of(written).is_none())
}

/// Both directions, a few values each, for every message present in both versions (by name).
fn wire_safe(rng: &mut Rng, base: &Codec, new: &Codec) -> Result<(), String> {
    for (b, bm) in base.messages().iter().enumerate() {
        let Some(n) = new.message_index(&bm.name) else { continue };
        for _ in 0..3 {
            if let Some(p) = wire_problem(rng, new, n, base) {
                return Err(format!("new writer, old reader: {p}"));
            }
            if let Some(p) = wire_problem(rng, base, b, new) {
                return Err(format!("old writer, new reader: {p}"));
            }
        }
    }
    Ok(())
}

#[derive(Default, Debug)]
struct Tally {
    pairs: u64,
    skipped_invalid: u64,
    safe_verdicts: u64,
    false_safe: Vec<String>,
    over_strict_by_code: BTreeMap<&'static str, u64>,
    codes_seen: BTreeMap<&'static str, u64>,
    mutations: BTreeMap<&'static str, u64>,
    widened_not_last: u64,
}

fn run_pair(seed: u64, t: &mut Tally) {
    let mut rng = Rng(seed);
    let base = random_contracts(&mut rng);
    let mut new = base.clone();
    new.version = "1.1.0".into();
    let mut serial = 0;
    for _ in 0..1 + rng.below(3) {
        let label = mutate(&mut rng, &mut new, &mut serial);
        *t.mutations.entry(label).or_default() += 1;
    }
    let (Some((bc, bl)), Some((nc, nl))) = (checked(&base), checked(&new)) else {
        t.skipped_invalid += 1;
        return;
    };
    t.pairs += 1;
    let changes = compat::diff(Side::new(&bc, &bl), Side::new(&nc, &nl));
    let verdict = compat::verdict(&bc.version, &nc.version, &changes);
    for c in &changes {
        *t.codes_seen.entry(c.rule.code).or_default() += 1;
        if c.rule.code == "field-bound-widened"
            && let Some(j) = c.new_message
            && !nc.messages[j].fields.last().is_some_and(|f| c.subject.to_string().ends_with(&format!(".{}", f.name)))
        {
            t.widened_not_last += 1;
        }
    }
    let (base_codec, new_codec) = (Codec::new(&bc, &bl).unwrap(), Codec::new(&nc, &nl).unwrap());
    let safe = wire_safe(&mut rng, &base_codec, &new_codec);
    if verdict.required <= Bump::Minor {
        t.safe_verdicts += 1;
        if let Err(problem) = safe {
            let codes: Vec<&str> = changes.iter().map(|c| c.rule.code).collect();
            t.false_safe.push(format!("seed {seed}: verdict {} with changes {codes:?}: {problem}", verdict.required));
        }
    } else if safe.is_ok() {
        let codes: BTreeSet<&'static str> =
            changes.iter().filter(|c| c.rule.bump == Bump::Major).map(|c| c.rule.code).collect();
        for code in codes {
            *t.over_strict_by_code.entry(code).or_default() += 1;
        }
    }
}

#[test]
fn no_verdict_below_major_lets_a_reader_misread_the_wire() {
    let pairs: u64 = std::env::var("MYCELIUM_ORACLE_PAIRS").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000);
    let first: u64 = std::env::var("MYCELIUM_ORACLE_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut t = Tally::default();
    let start = std::time::Instant::now();
    for seed in first..first + pairs {
        run_pair(seed, &mut t);
    }
    eprintln!(
        "wire oracle: {} seeds, {} valid pairs ({} skipped as invalid), {} verdicts none/patch/minor, \
         false-safe {}, {:.1} s",
        pairs,
        t.pairs,
        t.skipped_invalid,
        t.safe_verdicts,
        t.false_safe.len(),
        start.elapsed().as_secs_f64()
    );
    eprintln!("over-strict (major while the wire is unchanged), pairs by code: {:?}", t.over_strict_by_code);
    eprintln!("changes by code: {:?}", t.codes_seen);
    eprintln!("mutations: {:?}; field-bound-widened not on the last field: {}", t.mutations, t.widened_not_last);
    assert!(t.false_safe.is_empty(), "false-safe verdicts:\n{}", t.false_safe.join("\n"));
    // The pairs exercise what they claim to: every wire rule fired, safe verdicts were judged,
    // and a bound was raised on a field that is not the last.
    assert!(t.safe_verdicts * 10 > t.pairs, "too few safe verdicts to judge: {t:?}");
    assert!(t.widened_not_last > 0, "no bound raised on a field that is not last");
    if pairs >= 1_000 {
        for code in [
            "message-removed",
            "message-renamed",
            "message-type-id-changed",
            "field-removed",
            "field-renamed",
            "field-type-changed",
            "field-inserted",
            "field-moved",
            "field-bound-narrowed",
            "field-bound-widened",
            "size-class-grew",
            "message-added",
            "field-appended",
            "service-added",
            "service-message-added",
            "service-message-removed",
            "description-changed",
            "pool-setting-changed",
            "enum-added",
            "enum-removed",
            "enum-value-added",
            "enum-value-removed",
            "enum-value-changed",
            "enum-type-changed",
            "message-framed",
            "message-framing-changed",
        ] {
            assert!(t.codes_seen.contains_key(code), "no pair raised {code}: {:?}", t.codes_seen);
        }
    }
}
