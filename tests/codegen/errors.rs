//! Bound violations and malformed payloads: a `DecodeError` naming the field, never a panic.

use mycelium_contracts::runtime::{DecodeErrorKind, InlineString, InlineVec, Message};

use crate::all_types::{Bounded, Leg, Nested, Scalars};
use crate::spec::PoolStateUpdate;

fn encode<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0; M::MAX_SIZE];
    m.encode(&mut buf).unwrap();
    buf
}

#[test]
fn string_length_over_max_len() {
    let mut b = encode(&PoolStateUpdate::default());
    b[52..54].copy_from_slice(&33u16.to_le_bytes());
    let e = PoolStateUpdate::decode(&b).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::LengthOverBound { len: 33, max: 32 });
    assert_eq!((e.message(), e.field()), ("PoolStateUpdate", "symbol"));
    assert_eq!(e.to_string(), "PoolStateUpdate.symbol: length 33 is above the bound 32");
    // Exactly the bound is fine.
    b[52..54].copy_from_slice(&32u16.to_le_bytes());
    assert_eq!(PoolStateUpdate::decode(&b).unwrap().symbol.len(), 32);
}

#[test]
fn array_count_over_max_count() {
    let mut b = encode(&PoolStateUpdate::default());
    b[86..88].copy_from_slice(&17u16.to_le_bytes());
    let e = PoolStateUpdate::decode(&b).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::LengthOverBound { len: 17, max: 16 });
    assert_eq!(e.field(), "ticks");
    b[86..88].copy_from_slice(&u16::MAX.to_le_bytes());
    assert!(PoolStateUpdate::decode(&b).is_err());
}

#[test]
fn bytes_length_over_max_len() {
    let mut b = encode(&Bounded::default());
    b[10..12].copy_from_slice(&6u16.to_le_bytes());
    let e = Bounded::decode(&b).unwrap_err();
    assert_eq!((e.field(), e.kind()), ("blob", DecodeErrorKind::LengthOverBound { len: 6, max: 5 }));
}

#[test]
fn invalid_utf8_in_a_string() {
    let mut b = encode(&Bounded { label: InlineString::try_from("ab").unwrap(), ..Default::default() });
    b[3] = 0xff;
    let e = Bounded::decode(&b).unwrap_err();
    assert_eq!((e.field(), e.kind()), ("label", DecodeErrorKind::InvalidUtf8 { valid_up_to: 1 }));
}

#[test]
fn bool_byte_other_than_0_or_1() {
    let mut b = encode(&Scalars::default());
    b[0] = 2;
    let e = Scalars::decode(&b).unwrap_err();
    assert_eq!((e.field(), e.kind()), ("flag", DecodeErrorKind::InvalidBool { value: 2 }));
}

#[test]
fn an_error_inside_an_embedded_message_names_the_innermost_field() {
    let leg = Leg { venue: InlineString::try_from("v").unwrap(), ..Default::default() };
    let n = Nested { legs: InlineVec::try_from(&[leg][..]).unwrap(), ..Default::default() };
    let mut b = encode(&n);
    let venue_len_at = Scalars::MAX_SIZE + 2;
    b[venue_len_at..venue_len_at + 2].copy_from_slice(&7u16.to_le_bytes());
    let e = Nested::decode(&b).unwrap_err();
    assert_eq!((e.message(), e.field()), ("Leg", "venue"));
    assert_eq!(e.kind(), DecodeErrorKind::LengthOverBound { len: 7, max: 6 });
}

#[test]
fn a_payload_cut_inside_an_embedded_message_is_an_error() {
    let b = encode(&Nested::default());
    // Scalars' own first field boundary, but inside Nested's first field.
    let e = Nested::decode(&b[..1]).unwrap_err();
    assert_eq!((e.message(), e.field()), ("Nested", "head"));
    assert_eq!(e.kind(), DecodeErrorKind::Truncated { needed: Scalars::MAX_SIZE, available: 1 });
}
