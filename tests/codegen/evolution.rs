//! Older and newer payloads: what makes `field-appended` a minor change.

use mycelium_contracts::model::Layout;
use mycelium_contracts::runtime::{Address, DecodeErrorKind, InlineString, Message};

use crate::evolution_v1::Quote as QuoteV1;
use crate::evolution_v2::Quote as QuoteV2;

fn v1() -> QuoteV1 {
    QuoteV1 { venue: Address([3; 20]), bid: 100, ask: 101 }
}

fn encode<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0; M::MAX_SIZE];
    let n = m.encode(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

#[test]
fn an_older_payload_gives_defaults_for_appended_fields() {
    let old = encode(&v1());
    let new = QuoteV2::decode(&old).unwrap();
    assert_eq!(new, QuoteV2 { venue: Address([3; 20]), bid: 100, ask: 101, ..Default::default() });
    assert_eq!(new.size, 0);
    assert_eq!(new.note.as_str(), "");
}

#[test]
fn a_newer_payload_has_its_trailing_fields_ignored() {
    let newer =
        QuoteV2 { venue: Address([3; 20]), bid: 100, ask: 101, size: 5, note: InlineString::try_from("hi").unwrap() };
    let bytes = encode(&newer);
    assert!(bytes.len() > QuoteV1::MAX_SIZE);
    assert_eq!(QuoteV1::decode(&bytes).unwrap(), v1());
    // Arbitrary trailing bytes too.
    let mut longer = encode(&v1());
    longer.extend([0xff; 300]);
    assert_eq!(QuoteV1::decode(&longer).unwrap(), v1());
}

#[test]
fn a_payload_cut_inside_an_appended_field_is_an_error() {
    let mut bytes = encode(&v1());
    bytes.extend([1, 2]); // half of `size`
    let e = QuoteV2::decode(&bytes).unwrap_err();
    assert_eq!((e.message(), e.field()), ("Quote", "size"));
    assert_eq!(e.kind(), DecodeErrorKind::Truncated { needed: 4, available: 2 });
}

fn boundaries(contracts_json: &str, message: &str) -> Vec<usize> {
    let (_, c) = crate::golden::case_contracts(contracts_json);
    let l = Layout::compute(&c);
    let m = l.by_name(message).unwrap().as_ref().unwrap();
    let mut b: Vec<usize> = m.fields.iter().map(|f| f.offset as usize).collect();
    b.push(m.max_size as usize);
    b
}

/// Every prefix of a full payload decodes exactly when it ends at a field boundary.
fn check_every_cut<M: Message + Default + PartialEq + std::fmt::Debug>(full: &M, boundaries: &[usize]) {
    let bytes = encode(full);
    for len in 0..=bytes.len() {
        let r = M::decode(&bytes[..len]);
        if boundaries.contains(&len) {
            assert!(r.is_ok(), "cut at boundary {len}: {r:?}");
        } else {
            let e = r.expect_err(&format!("cut at {len} is inside a field"));
            assert!(matches!(e.kind(), DecodeErrorKind::Truncated { .. }), "{len}: {e}");
        }
    }
    assert_eq!(&M::decode(&bytes).unwrap(), full);
}

#[test]
fn every_cut_of_every_fixture_message() {
    check_every_cut(
        &QuoteV2 { venue: Address([9; 20]), bid: 1, ask: 2, size: 3, note: InlineString::try_from("x").unwrap() },
        &boundaries("evolution_v2", "Quote"),
    );
    check_every_cut(&crate::spec::PoolStateUpdate::default(), &boundaries("spec", "PoolStateUpdate"));
    check_every_cut(&crate::all_types::Scalars::default(), &boundaries("all_types", "Scalars"));
    check_every_cut(&crate::all_types::Bounded::default(), &boundaries("all_types", "Bounded"));
    check_every_cut(&crate::all_types::Nested::default(), &boundaries("all_types", "Nested"));
}

/// A reader generated from 1.0.0, with its own per-type frame limits, accepts a frame of the
/// 1.1.0 `Quote` that grew by appended fields within its buffer class, and reads every field it
/// knows. (Limits at `MAX_SIZE` refused it: "announces 60 payload bytes, over the limit of 36".)
#[test]
fn an_older_reader_with_its_frame_limits_accepts_a_newer_payload_within_the_class() {
    use mycelium_contracts::runtime::{BufferPool, FrameLimits, read_frame_pooled_with_limits, write_frame};
    let newer =
        QuoteV2 { venue: Address([3; 20]), bid: 100, ask: 101, size: 5, note: InlineString::try_from("hi").unwrap() };
    const { assert!(QuoteV2::MAX_SIZE > QuoteV1::MAX_SIZE && QuoteV2::MAX_SIZE <= QuoteV1::BUFFER_CLASS) };
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut wire = Vec::new();
        write_frame(&mut wire, QuoteV2::TYPE_ID, &encode(&newer)).await.unwrap();
        let limits = FrameLimits::new(crate::evolution_v1::MESSAGE_LIMITS);
        let pool = BufferPool::from_service_config(&crate::evolution_v1::services::quoter::CONFIG);
        let (type_id, payload) =
            read_frame_pooled_with_limits(&mut &wire[..], &pool, Some(&limits)).await.unwrap().unwrap();
        assert_eq!(type_id, QuoteV1::TYPE_ID);
        assert_eq!(QuoteV1::decode(&payload).unwrap(), v1());
    });
}

/// Decoding in place into a value that held a newer payload: the fields an older payload lacks
/// take their default, exactly as a fresh `decode` gives them (they kept the previous frame's
/// values before).
#[test]
fn decoding_in_place_resets_the_fields_an_older_payload_lacks() {
    use mycelium_contracts::runtime::WireField;
    let newer =
        QuoteV2 { venue: Address([9; 20]), bid: 7, ask: 8, size: 5, note: InlineString::try_from("hi").unwrap() };
    let mut reused = newer.clone();
    let older = encode(&v1());
    reused.read_from(&older).unwrap();
    assert_eq!(reused, QuoteV2::decode(&older).unwrap());
    assert_eq!((reused.size, reused.note.as_str()), (0, ""));
    assert_eq!((reused.bid, reused.ask), (100, 101));
}
