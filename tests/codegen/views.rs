//! Views accept exactly what `decode` accepts and read the same values: on every message of the
//! fixtures, for valid payloads cut at every length and damaged at random bytes, and on random
//! bytes. `to_owned` of a view is built from its accessors, so equal owned values mean every
//! accessor read what `decode` read.

use std::fmt::Debug;

use mycelium_contracts::runtime::{DecodeError, DecodeErrorKind, InlineVec, Message, U256, ViewField};
use proptest::prelude::*;

use crate::all_types::{AnyMessage, Bounded, Empty, Leg, Nested, Scalars, services};
use crate::props::{bounded, leg, nested, scalars};

/// `view` then `to_owned` against `decode`, including the error. Values compare by their
/// encoding, so a float read as NaN (from a damaged byte) compares equal to itself.
fn same<M: Message + ViewField + PartialEq + Debug>(payload: &[u8]) -> Result<(), TestCaseError> {
    let viewed: Result<M, DecodeError> = M::view_payload(payload).map(M::from_view);
    let decoded = M::decode(payload);
    match (&viewed, &decoded) {
        (Ok(v), Ok(d)) => prop_assert_eq!(encoded(v), encoded(d), "payload of {} bytes", payload.len()),
        _ => prop_assert_eq!(viewed, decoded, "payload of {} bytes", payload.len()),
    }
    Ok(())
}

fn encoded<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0u8; M::MAX_SIZE];
    m.encode(&mut buf).unwrap();
    buf
}

/// Every prefix, the payload with trailing bytes, and the payload with one byte changed.
fn variants<M: Message + ViewField + PartialEq + Debug>(
    payload: &[u8],
    at: usize,
    byte: u8,
) -> Result<(), TestCaseError> {
    for len in 0..=payload.len() {
        same::<M>(&payload[..len])?;
    }
    let mut longer = payload.to_vec();
    longer.extend_from_slice(&[0xff; 9]);
    same::<M>(&longer)?;
    if !payload.is_empty() {
        let mut damaged = payload.to_vec();
        damaged[at % payload.len()] = byte;
        same::<M>(&damaged)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn views_equal_decode_on_scalars(m in scalars(), at in any::<usize>(), byte in any::<u8>()) {
        variants::<Scalars>(&encoded(&m), at, byte)?;
    }

    #[test]
    fn views_equal_decode_on_bounded(m in bounded(), at in any::<usize>(), byte in any::<u8>()) {
        variants::<Bounded>(&encoded(&m), at, byte)?;
    }

    #[test]
    fn views_equal_decode_on_leg(m in leg(), at in any::<usize>(), byte in any::<u8>()) {
        variants::<Leg>(&encoded(&m), at, byte)?;
    }

    #[test]
    fn views_equal_decode_on_nested(m in nested(), at in any::<usize>(), byte in any::<u8>()) {
        variants::<Nested>(&encoded(&m), at, byte)?;
    }

    #[test]
    fn views_equal_decode_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
        same::<Nested>(&bytes)?;
        same::<Bounded>(&bytes)?;
        same::<Scalars>(&bytes)?;
        same::<Leg>(&bytes)?;
        same::<Empty>(&bytes)?;
        same::<crate::spec::PoolStateUpdate>(&bytes)?;
    }
}

#[test]
fn accessors_read_in_place_and_arrays_and_embedded_messages_are_views() {
    let leg = Leg { venue: "uni".try_into().unwrap(), price: U256::from(7u64), qty: -3 };
    let n = Nested {
        legs: InlineVec::try_from(&[leg.clone(), Leg::default()][..]).unwrap(),
        pair: [Leg::default(), leg.clone()],
        r#type: 9,
        self_: true,
        ..Nested::default()
    };
    let payload = encoded(&n);
    let v = Nested::view(&payload).unwrap();
    assert_eq!((v.r#type(), v.self_()), (9, true));
    assert_eq!(v.legs().len(), 2);
    let first = v.legs().get(0).unwrap();
    assert_eq!((first.venue(), first.price(), first.qty()), ("uni", U256::from(7u64), -3));
    assert_eq!(v.pair().iter().map(|l| l.qty()).collect::<Vec<_>>(), [0, -3]);
    assert_eq!(v.head().addr(), n.head.addr);
    assert_eq!(v.to_owned(), n);
    assert_eq!(v.as_bytes().len(), payload.len());
    assert!(format!("{v:?}").starts_with("NestedView { head: ScalarsView { flag: false"));

    // An older payload: the fields after the cut read as defaults.
    let cut = Nested::view(&payload[..Scalars::MAX_SIZE]).unwrap();
    assert_eq!((cut.legs().len(), cut.pair().len(), cut.r#type(), cut.self_()), (0, 2, 0, false));
    assert_eq!(cut.pair().get(1).unwrap().venue(), "");
}

#[test]
fn dispatch_by_type_id_and_per_service() {
    let payload = encoded(&Leg { qty: 5, ..Leg::default() });
    match AnyMessage::view(14, &payload).unwrap() {
        AnyMessage::Leg(leg) => assert_eq!(leg.qty(), 5),
        other => panic!("{other:?}"),
    }
    assert_eq!(AnyMessage::view(14, &payload).unwrap().type_id(), 14);
    let e = AnyMessage::view(99, &payload).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id: 99, service: None });

    // The service `type` handles `Leg` only.
    assert!(matches!(services::r#type::Inbound::view(14, &payload), Ok(services::r#type::Inbound::Leg(_))));
    let e = services::r#type::Inbound::view(13, &payload).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id: 13, service: Some("type") });
    assert_eq!(e.to_string(), "type id 13 is not a message of service `type`");
    assert_eq!(services::r#type::LIMITS, &[(14, 128)]);
    let limits = services::all_types::frame_limits();
    assert_eq!(limits.limit(13), Some(Nested::BUFFER_CLASS));
    assert_eq!(limits.limit(99), None);
    // A malformed payload of a known type is that type's error.
    let e = AnyMessage::view(14, &payload[..3]).unwrap_err();
    assert_eq!((e.message(), e.field()), ("Leg", "venue"));
}
