//! Generated enums and embedded-only messages (`fixtures/enums`): the wire form, `Default`,
//! `TryFrom`, decode and view refusing a number an enum does not name (in a scalar field, a fixed
//! array, a used slot of a variable array, an embedded-only message), the unused slots of a
//! variable array left unchecked, serde by name, and no frame, limit or dispatch for an
//! embedded-only message.

use std::collections::BTreeMap;
use std::fmt::Debug;

use mycelium_contracts::codegen::{self, Options};
use mycelium_contracts::model::{EnumDef, EnumValue, EnumValues, ServiceDef};
use mycelium_contracts::runtime::{DecodeError, DecodeErrorKind, InlineVec, Message, ViewField, WireField};
use proptest::prelude::*;

use crate::enums::{Heartbeat, Level, MESSAGE_LIMITS, Quote, Side, Status, Trade, Venue, services};
use crate::golden::{case_contracts, generate_case};

// Offsets in `Trade`: side 0 (1 byte), venue 1 (2), status 3 (4), history 7 (3 × 1),
// venues 10 (2 + 4 × 2), quote 20 (venue 2, best: price_e8 8, side 1), levels 31 (2 + 2 × 9).
const VENUES: usize = 10;
const QUOTE_BEST_SIDE: usize = 20 + 2 + 8;
const LEVELS: usize = 31;

fn encode<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0u8; M::MAX_SIZE];
    assert_eq!(m.encode(&mut buf).unwrap(), M::MAX_SIZE);
    buf
}

fn trade() -> Trade {
    Trade {
        side: Side::Sell,
        venue: Venue::Coinbase,
        status: Status::Closed,
        history: [Side::Buy, Side::Sell, Side::Sell],
        venues: InlineVec::try_from(&[Venue::Kraken, Venue::Unknown][..]).unwrap(),
        quote: Quote { venue: Venue::Binance, best: Level { price_e8: -5, side: Side::Sell } },
        levels: InlineVec::try_from(&[Level { price_e8: 7, side: Side::Buy }][..]).unwrap(),
    }
}

/// `decode` fails with `kind` in `message.field`, and `view` fails with the same error.
fn refused(payload: &[u8], kind: DecodeErrorKind, message: &str, field: &str) -> DecodeError {
    let e = Trade::decode(payload).unwrap_err();
    assert_eq!((e.kind(), e.message(), e.field()), (kind, message, field));
    assert_eq!(Trade::view(payload).unwrap_err(), e);
    e
}

fn unknown(name: &'static str, value: u32) -> DecodeErrorKind {
    DecodeErrorKind::UnknownEnumValue { name, value }
}

#[test]
fn enums_are_their_wire_type_little_endian() {
    let b = encode(&trade());
    assert_eq!(Trade::MAX_SIZE, 51);
    assert_eq!(b[0], 2, "Sell");
    assert_eq!(&b[1..3], &300u16.to_le_bytes(), "Coinbase");
    assert_eq!(&b[3..7], &5u32.to_le_bytes(), "Closed");
    assert_eq!(&b[7..10], &[1, 2, 2]);
    assert_eq!(&b[VENUES..VENUES + 10], &[2, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0]);
    assert_eq!(b[QUOTE_BEST_SIDE], 2);
    assert_eq!(Trade::decode(&b).unwrap(), trade());
    assert_eq!((Side::SIZE, Venue::SIZE, Status::SIZE, Level::SIZE, Quote::SIZE), (1, 2, 4, 9, 11));
}

#[test]
fn the_default_is_the_first_value_in_document_order() {
    assert_eq!(Side::default(), Side::Buy);
    assert_eq!(Venue::default(), Venue::Unknown, "the first value written, though not the smallest");
    assert_eq!(Status::default(), Status::Open, "4294967295, written first");
    let d = Trade::default();
    assert_eq!((d.side, d.venue, d.status, d.history), (Side::Buy, Venue::Unknown, Status::Open, [Side::Buy; 3]));
    assert!(d.venues.is_empty());
    assert_eq!(d.quote.best, Level { price_e8: 0, side: Side::Buy });
    // An empty payload (every field appended later) decodes and views as the defaults.
    assert_eq!(Trade::decode(&[]).unwrap(), d);
    let v = Trade::view(&[]).unwrap();
    assert_eq!(
        (v.side(), v.venue(), v.status(), v.quote().best().side()),
        (Side::Buy, Venue::Unknown, Status::Open, Side::Buy)
    );
    assert_eq!(v.history().iter().collect::<Vec<_>>(), [Side::Buy; 3]);
    // A missing trailing field too: cut after `side`.
    let b = encode(&trade());
    assert_eq!(Trade::decode(&b[..1]).unwrap(), Trade { side: Side::Sell, ..Trade::default() });
    assert_eq!(Trade::view(&b[..1]).unwrap().venue(), Venue::Unknown);
}

#[test]
fn an_all_zero_payload_is_not_a_value_of_an_enum_without_zero() {
    refused(&[0; 51], unknown("Side", 0), "Trade", "side");
}

#[test]
fn try_from_and_value() {
    assert_eq!(Side::try_from(2u8).unwrap(), Side::Sell);
    assert_eq!(Venue::try_from(65535u16).unwrap(), Venue::Kraken);
    assert_eq!(Status::try_from(u32::MAX).unwrap(), Status::Open);
    let e = Side::try_from(3u8).unwrap_err();
    assert_eq!(e.kind(), unknown("Side", 3));
    assert_eq!((e.message(), e.field()), ("", ""), "not attributed to a field");
    assert_eq!(e.to_string(), "3 is not a value of enum `Side`");
    assert_eq!(Venue::try_from(8u16).unwrap_err().kind(), unknown("Venue", 8));
    assert_eq!(Status::try_from(0u32).unwrap_err().kind(), unknown("Status", 0));
    assert_eq!((Side::Sell.value(), Venue::Coinbase.value(), Status::Open.value()), (2, 300, u32::MAX));
    assert_eq!(Venue::Kraken as u16, 65535);
}

#[test]
fn decode_and_view_refuse_a_number_an_enum_does_not_name() {
    let good = encode(&trade());

    let mut b = good.clone();
    b[0] = 3;
    let e = refused(&b, unknown("Side", 3), "Trade", "side");
    assert_eq!(e.to_string(), "Trade.side: 3 is not a value of enum `Side`");

    let mut b = good.clone();
    b[1..3].copy_from_slice(&8u16.to_le_bytes());
    refused(&b, unknown("Venue", 8), "Trade", "venue");

    let mut b = good.clone();
    b[3..7].copy_from_slice(&6u32.to_le_bytes());
    refused(&b, unknown("Status", 6), "Trade", "status");

    // Every element of a fixed array is checked, the last one too.
    let mut b = good.clone();
    b[9] = 0;
    refused(&b, unknown("Side", 0), "Trade", "history");

    // A used slot of a variable array.
    let mut b = good.clone();
    b[VENUES + 4..VENUES + 6].copy_from_slice(&1u16.to_le_bytes());
    refused(&b, unknown("Venue", 1), "Trade", "venues");

    // Inside an embedded-only message: the innermost field is named.
    let mut b = good.clone();
    b[QUOTE_BEST_SIDE] = 9;
    let e = refused(&b, unknown("Side", 9), "Level", "side");
    assert_eq!(e.to_string(), "Level.side: 9 is not a value of enum `Side`");

    // And in a used element of a variable array of embedded-only messages.
    let mut b = good;
    b[LEVELS + 2 + 8] = 0;
    refused(&b, unknown("Side", 0), "Level", "side");
}

#[test]
fn the_unused_slots_of_a_variable_array_are_zero_and_not_checked() {
    let good = encode(&trade());
    // Written as zeros (0 is `Venue::Unknown`, but `Level.side` has no 0).
    assert_eq!(&good[VENUES + 6..VENUES + 10], &[0; 4]);
    assert!(good[LEVELS + 2 + 9..].iter().all(|&b| b == 0));

    // Read without looking at them: numbers no enum names, in both arrays.
    let mut b = good.clone();
    b[VENUES + 6..VENUES + 10].copy_from_slice(&[1, 1, 2, 2]);
    b[LEVELS + 2 + 9..].fill(0xee);
    assert_eq!(Trade::decode(&b).unwrap(), trade());
    let v = Trade::view(&b).unwrap();
    assert_eq!(v.venues().iter().collect::<Vec<_>>(), [Venue::Kraken, Venue::Unknown]);
    assert_eq!(v.levels().len(), 1);
    assert_eq!(v.to_owned(), trade());
    // Encoding the value again zeroes them.
    assert_eq!(encode(&Trade::decode(&b).unwrap()), good);
}

#[test]
fn views_read_enums_in_place() {
    let b = encode(&trade());
    let v = Trade::view(&b).unwrap();
    assert_eq!((v.side(), v.venue(), v.status()), (Side::Sell, Venue::Coinbase, Status::Closed));
    assert_eq!(v.history().iter().collect::<Vec<_>>(), [Side::Buy, Side::Sell, Side::Sell]);
    assert_eq!(v.history().get(1), Some(Side::Sell));
    assert_eq!(v.venues().get(0), Some(Venue::Kraken));
    let quote = v.quote();
    assert_eq!((quote.venue(), quote.best().price_e8(), quote.best().side()), (Venue::Binance, -5, Side::Sell));
    assert_eq!(v.levels().get(0).map(|l| l.side()), Some(Side::Buy));
    assert_eq!(v.to_owned(), trade());
    assert!(
        format!("{v:?}")
            .starts_with("TradeView { side: Sell, venue: Coinbase, status: Closed, history: [Buy, Sell, Sell]")
    );
    // An embedded-only message has a view of its own.
    let level = Level::view(&b[20 + 2..20 + 11]).unwrap();
    assert_eq!((level.price_e8(), level.side()), (-5, Side::Sell));
    assert_eq!(Level::view(&[0; 9]).unwrap_err().kind(), unknown("Side", 0));
}

/// `view` then `to_owned` against `decode` (for an embedded-only message, `WireField::get`,
/// which reads an older or newer payload as `decode` does), including the error.
fn same<M: ViewField + PartialEq + Debug>(payload: &[u8], decode: fn(&[u8]) -> Result<M, DecodeError>) {
    let viewed: Result<M, DecodeError> = M::view_payload(payload).map(M::from_view);
    assert_eq!(viewed, decode(payload), "{payload:?}");
}

fn sides() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Buy), Just(Side::Sell)]
}

fn venues() -> impl Strategy<Value = Venue> {
    prop_oneof![Just(Venue::Unknown), Just(Venue::Binance), Just(Venue::Coinbase), Just(Venue::Kraken)]
}

fn levels() -> impl Strategy<Value = Level> {
    (any::<i64>(), sides()).prop_map(|(price_e8, side)| Level { price_e8, side })
}

fn trades() -> impl Strategy<Value = Trade> {
    (
        (sides(), venues(), prop_oneof![Just(Status::Open), Just(Status::Closed)], [sides(), sides(), sides()]),
        (crate::props::inline_vec::<Venue, 4>(venues()), venues(), levels()),
        crate::props::inline_vec::<Level, 2>(levels()),
    )
        .prop_map(|((side, venue, status, history), (venues, quote_venue, best), levels)| Trade {
            side,
            venue,
            status,
            history,
            venues,
            quote: Quote { venue: quote_venue, best },
            levels,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn trades_round_trip_and_views_equal_decode(t in trades(), at in any::<usize>(), byte in any::<u8>()) {
        let b = encode(&t);
        prop_assert_eq!(&Trade::decode(&b).unwrap(), &t);
        for len in 0..=b.len() {
            same::<Trade>(&b[..len], Trade::decode);
        }
        let mut damaged = b.clone();
        damaged[at % b.len()] = byte;
        same::<Trade>(&damaged, Trade::decode);
        let mut longer = b;
        longer.extend_from_slice(&[0xff; 5]);
        same::<Trade>(&longer, Trade::decode);
    }

    #[test]
    fn views_equal_decode_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
        same::<Trade>(&bytes, Trade::decode);
        same::<Quote>(&bytes, <Quote as WireField>::get);
        same::<Level>(&bytes, <Level as WireField>::get);
    }
}

#[test]
fn embedded_only_messages_have_no_frame_limit_or_dispatch() {
    let text = generate_case("enums").contracts_rs;
    for name in ["Level", "Quote"] {
        assert!(!text.contains(&format!("impl rt::Message for {name} ")), "{name}");
        assert!(!text.contains(&format!("{name}({name}View<'a>)")), "{name} in `AnyMessage`");
        assert!(!text.contains(&format!("{name}(m::{name}View<'a>)")), "{name} in an `Inbound`");
        assert!(!text.contains(&format!("<{name} as rt::Message>")), "{name} in MESSAGE_LIMITS");
        assert!(!text.contains(&format!("<m::{name} as Message>")), "{name} in a service's LIMITS");
        assert!(text.contains(&format!("impl rt::WireField for {name} ")), "{name}");
        assert!(text.contains(&format!("impl rt::ViewField for {name} ")), "{name}");
    }
    assert!(text.contains("/// Embedded-only (no type id: never a frame of its own); 9 bytes on the wire."));
    assert!(text.contains("// Each framed message implements `mycelium_contracts::runtime::Message`"));
    assert_eq!(MESSAGE_LIMITS, &[(10, 128), (11, 128)]);
    assert_eq!(services::feed::LIMITS, &[(10, 128), (11, 128)]);
    let b = encode(&Heartbeat { seq: 3 });
    assert!(matches!(crate::enums::AnyMessage::view(11, &b), Ok(crate::enums::AnyMessage::Heartbeat(_))));
}

#[test]
fn a_service_naming_an_embedded_only_message_gets_neither_its_limit_nor_its_dispatch() {
    // The checks refuse it (`message-not-framed`); code generation leaves it out if asked anyway.
    let (_, mut contracts) = case_contracts("enums");
    let messages = vec!["Level".to_string(), "Heartbeat".to_string()];
    contracts.services.insert("odd".into(), ServiceDef { messages, buffer_pool_enabled: true });
    let g = codegen::generate(&contracts, &Options::default()).unwrap();
    let odd = &g.contracts_rs[g.contracts_rs.find("/// `odd`:").unwrap()..];
    let odd = &odd[..odd.find("\n    }\n").unwrap()];
    assert!(odd.contains("/// `odd`: handles `Heartbeat`."), "{odd}");
    assert!(!odd.contains("Level"), "{odd}");
    let pools: serde_json::Value = serde_json::from_str(&g.pools_json).unwrap();
    assert_eq!(pools["services"]["odd"]["messages"], serde_json::json!({"Heartbeat": 128}));
}

#[test]
fn the_test_model_keeps_the_document_order_of_the_checker() {
    use mycelium_contracts::check::{Input, Inputs, analyze};
    let (input, contracts) = case_contracts("enums");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(input);
    let analysis = analyze(&Inputs::contracts_only(Input::Path(path))).unwrap();
    let messages: Vec<&str> = analysis.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(analysis.is_ok(), "{messages:?}");
    assert_eq!(analysis.contracts.as_ref(), Some(&contracts));
}

fn with_enum(name: &str) -> mycelium_contracts::model::Contracts {
    let (_, mut contracts) = case_contracts("enums");
    let values = EnumValues(vec![EnumValue { name: "One".into(), value: 1 }]);
    contracts.enums.push(EnumDef { name: name.into(), ty: "u8".into(), description: None, values });
    contracts
}

#[test]
fn an_enum_named_like_a_generated_item_is_an_error() {
    for (name, problem) in [
        ("AnyMessage", "an enum named `AnyMessage` clashes with the generated dispatch enum"),
        ("TradeView", "enum `TradeView` clashes with the generated view of `Trade`"),
        ("LevelView", "enum `LevelView` clashes with the generated view of `Level`"),
        ("Trade", "enum `Trade` has the name of a message `Trade`"),
        ("Side", "enum `Side` has the name of an enum `Side`"),
        ("CONTRACTS_VERSION", "`CONTRACTS_VERSION` cannot be the name of a Rust type"),
        ("MESSAGE_LIMITS", "`MESSAGE_LIMITS` cannot be the name of a Rust type"),
        ("services", "`services` cannot be the name of a Rust type"),
        ("Self", "`Self` cannot be the name of a Rust type"),
    ] {
        let e = codegen::generate(&with_enum(name), &Options::default()).unwrap_err();
        assert!(e.problems().iter().any(|p| p == problem), "{name}: {:?}", e.problems());
    }
}

#[test]
fn invalid_enums_are_an_error_not_a_panic() {
    type Case = (&'static str, Vec<(&'static str, i128)>, &'static str);
    let cases: [Case; 5] = [
        ("u8", vec![("A", 1), ("B", 1)], "enum `E` has two names for the value 1"),
        ("u8", vec![("A", 256)], "value `E::A` (256) does not fit the wire type `u8`"),
        ("u16", vec![("A", -1)], "value `E::A` (-1) does not fit the wire type `u16`"),
        ("u8", vec![("Self", 1)], "value `Self` cannot be the name of a Rust type in enum `E`"),
        ("u8", vec![], "enum `E` has no values"),
    ];
    for (ty, values, problem) in cases {
        let (_, mut contracts) = case_contracts("enums");
        let values = EnumValues(values.into_iter().map(|(n, value)| EnumValue { name: n.into(), value }).collect());
        contracts.enums.push(EnumDef { name: "E".into(), ty: ty.into(), description: None, values });
        let e = codegen::generate(&contracts, &Options::default()).unwrap_err();
        assert_eq!(e.problems(), [problem.to_string()], "{ty}");
    }
}

#[test]
fn contracts_with_only_enums_generate_code_that_uses_the_runtime() {
    let (_, mut contracts) = case_contracts("enums");
    contracts.messages.clear();
    contracts.services = BTreeMap::new();
    let text = codegen::generate(&contracts, &Options::default()).unwrap().contracts_rs;
    assert!(text.contains("use ::mycelium_contracts::runtime as rt;"));
    assert!(text.contains("pub const MESSAGE_LIMITS: &[(u16, usize)] = &[];"));
    assert!(!text.contains("AnyMessage"));
}

/// The serde form names an enum's value, in scalars and arrays alike.
#[cfg(feature = "serde")]
#[test]
fn json_form_names_the_values() {
    let json = serde_json::to_value(trade()).unwrap();
    assert_eq!(json["side"], "Sell");
    assert_eq!(json["status"], "Closed");
    assert_eq!(json["history"], serde_json::json!(["Buy", "Sell", "Sell"]));
    assert_eq!(json["venues"], serde_json::json!(["Kraken", "Unknown"]));
    assert_eq!(json["quote"]["best"]["side"], "Sell");
    assert_eq!(serde_json::from_value::<Trade>(json.clone()).unwrap(), trade());
    let mut bad = json.clone();
    bad["side"] = "Hold".into();
    assert!(serde_json::from_value::<Trade>(bad).is_err());
    let mut number = json;
    number["side"] = 2.into();
    assert!(serde_json::from_value::<Trade>(number).is_err(), "by name, not by number");
}

#[test]
fn prelude_names_and_long_names_work() {
    use crate::enums::{AnEnumWithANameLongEnoughToPushItsGeneratedErrorArmPastTheWidthOfALine as Long, Awkward, Some};
    assert_eq!(Some::default(), Some::None);
    assert_eq!((Some::None.value(), Some::Ok.value(), Some::Default.value()), (3, 0, 2));
    let a = Awkward { some: InlineVec::try_from(&[Some::Ok, Some::Err][..]).unwrap(), long: Long::Short };
    let mut b = [0u8; 2 + 2 + 4];
    rt_put(&a, &mut b);
    assert_eq!(b, [2, 0, 0, 1, 2, 0, 0, 0]);
    assert_eq!(<Awkward as WireField>::get(&b).unwrap(), a);
    assert_eq!(
        Long::try_from(3u32).unwrap_err().kind(),
        unknown("AnEnumWithANameLongEnoughToPushItsGeneratedErrorArmPastTheWidthOfALine", 3)
    );
}

fn rt_put<T: WireField>(value: &T, dst: &mut [u8]) {
    value.put(dst);
}
