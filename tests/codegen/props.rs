//! Property tests: `decode(encode(x)) == x` for random values of every field type, and random
//! bytes never make `decode` panic.

use mycelium_contracts::runtime::{Address, Hash, I256, InlineBytes, InlineString, InlineVec, Message, U256};
use proptest::prelude::*;

use crate::all_types::{Aliases, Bounded, Empty, Leg, Nested, Scalars};
use crate::spec::{PoolStateUpdate, SwapEvent};

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(m: &M) -> Result<(), TestCaseError> {
    let mut buf = vec![0u8; M::MAX_SIZE];
    prop_assert_eq!(m.encode(&mut buf).unwrap(), M::MAX_SIZE);
    prop_assert_eq!(&M::decode(&buf).unwrap(), m);
    Ok(())
}

/// Floats without NaN (NaN != NaN); NaN bit patterns are checked on the bytes below.
fn f32s() -> impl Strategy<Value = f32> {
    use proptest::num::f32::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO | INFINITE
}

fn f64s() -> impl Strategy<Value = f64> {
    use proptest::num::f64::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO | INFINITE
}

/// A string of at most `N` bytes (cut at a character boundary).
pub(crate) fn inline_string<const N: usize>() -> impl Strategy<Value = InlineString<N>> {
    "\\PC{0,12}".prop_map(|s: String| {
        let mut end = s.len().min(N);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        InlineString::try_from(&s[..end]).unwrap()
    })
}

pub(crate) fn inline_bytes<const N: usize>() -> impl Strategy<Value = InlineBytes<N>> {
    proptest::collection::vec(any::<u8>(), 0..=N).prop_map(|v| InlineBytes::try_from(&v[..]).unwrap())
}

pub(crate) fn inline_vec<T: Default + Clone + std::fmt::Debug, const N: usize>(
    elem: impl Strategy<Value = T>,
) -> impl Strategy<Value = InlineVec<T, N>> {
    proptest::collection::vec(elem, 0..=N).prop_map(|v| InlineVec::try_from(&v[..]).unwrap())
}

pub(crate) fn u256() -> impl Strategy<Value = U256> {
    any::<[u8; 32]>().prop_map(U256::from_le_bytes)
}

pub(crate) fn scalars() -> impl Strategy<Value = Scalars> {
    (
        (any::<bool>(), any::<u8>(), any::<i8>(), any::<u16>(), any::<i16>(), any::<u32>(), any::<i32>(), f32s()),
        (any::<u64>(), any::<i64>(), f64s(), any::<u128>(), any::<i128>()),
        (any::<[u8; 20]>(), u256(), any::<[u8; 32]>(), any::<[u8; 32]>()),
    )
        .prop_map(
            |(
                (flag, a_u8, a_i8, a_u16, a_i16, a_u32, a_i32, a_f32),
                (a_u64, a_i64, a_f64, a_u128, a_i128),
                (addr, big, sb, digest),
            )| {
                Scalars {
                    flag,
                    a_u8,
                    a_i8,
                    a_u16,
                    a_i16,
                    a_u32,
                    a_i32,
                    a_f32,
                    a_u64,
                    a_i64,
                    a_f64,
                    a_u128,
                    a_i128,
                    addr: Address(addr),
                    big,
                    signed_big: I256::from_le_bytes(sb),
                    digest: Hash(digest),
                }
            },
        )
}

pub(crate) fn aliases() -> impl Strategy<Value = Aliases> {
    (
        (any::<u8>(), any::<u16>(), any::<u32>(), any::<u64>(), any::<u128>()),
        (any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>(), any::<i128>()),
    )
        .prop_map(|((b_u8, b_u16, b_u32, b_u64, b_u128), (b_i8, b_i16, b_i32, b_i64, b_i128))| Aliases {
            b_u8,
            b_u16,
            b_u32,
            b_u64,
            b_u128,
            b_i8,
            b_i16,
            b_i32,
            b_i64,
            b_i128,
        })
}

pub(crate) fn bounded() -> impl Strategy<Value = Bounded> {
    (
        inline_string::<8>(),
        inline_bytes::<5>(),
        any::<[u16; 2]>(),
        inline_vec::<i32, 3>(any::<i32>()),
        [inline_string::<4>(), inline_string::<4>()],
        inline_vec::<InlineBytes<3>, 2>(inline_bytes::<3>()),
        proptest::collection::vec(any::<u8>(), 40),
        inline_vec::<bool, 4>(any::<bool>()),
    )
        .prop_map(|(label, blob, pair, window, tags, notes, wide, flags)| Bounded {
            label,
            blob,
            pair,
            window,
            tags,
            notes,
            wide: wide.try_into().unwrap(),
            flags,
        })
}

pub(crate) fn leg() -> impl Strategy<Value = Leg> {
    (inline_string::<6>(), u256(), any::<i64>()).prop_map(|(venue, price, qty)| Leg { venue, price, qty })
}

pub(crate) fn nested() -> impl Strategy<Value = Nested> {
    (scalars(), inline_vec::<Leg, 3>(leg()), [leg(), leg()], any::<u8>(), any::<bool>())
        .prop_map(|(head, legs, pair, r#type, self_)| Nested { head, legs, pair, r#type, self_, nothing: Empty {} })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scalars_round_trip(m in scalars()) { round_trip(&m)?; }

    #[test]
    fn aliases_round_trip(m in aliases()) { round_trip(&m)?; }

    #[test]
    fn bounded_round_trip(m in bounded()) { round_trip(&m)?; }

    #[test]
    fn leg_round_trip(m in leg()) { round_trip(&m)?; }

    #[test]
    fn nested_round_trip(m in nested()) { round_trip(&m)?; }

    #[test]
    fn spec_messages_round_trip(
        addr in any::<[u8; 20]>(), a in u256(), b in u256(),
        reserves in any::<[u128; 2]>(), symbol in inline_string::<32>(), ticks in inline_vec::<i32, 16>(any::<i32>()),
    ) {
        round_trip(&SwapEvent { pool_address: Address(addr), amount_in: a, amount_out: b })?;
        round_trip(&PoolStateUpdate { pool_address: Address(addr), reserves, symbol, ticks })?;
    }

    /// NaN payloads keep their exact bits through decode and encode.
    #[test]
    fn float_bits_survive(bits32 in any::<u32>(), bits64 in any::<u64>()) {
        let m = Scalars { a_f32: f32::from_bits(bits32), a_f64: f64::from_bits(bits64), ..Default::default() };
        let mut a = vec![0u8; Scalars::MAX_SIZE];
        m.encode(&mut a).unwrap();
        let mut b = vec![0u8; Scalars::MAX_SIZE];
        Scalars::decode(&a).unwrap().encode(&mut b).unwrap();
        prop_assert_eq!(a, b);
    }

    /// Random bytes of any length: `decode` returns, it never panics, and what it accepts
    /// re-encodes to a payload that decodes to the same value.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
        if let Ok(m) = Nested::decode(&bytes) { round_trip(&m)?; }
        if let Ok(m) = Bounded::decode(&bytes) { round_trip(&m)?; }
        let _ = PoolStateUpdate::decode(&bytes);
        let _ = Scalars::decode(&bytes);
    }
}

/// The serde form (debugging as JSON) uses the contract's field names, keywords included.
#[cfg(feature = "serde")]
#[test]
fn json_form_round_trips_with_contract_field_names() {
    let leg = Leg { venue: InlineString::try_from("uni").unwrap(), price: U256::MAX, qty: -1 };
    let n = Nested { legs: InlineVec::try_from(&[leg][..]).unwrap(), r#type: 3, self_: true, ..Default::default() };
    let json = serde_json::to_value(&n).unwrap();
    assert_eq!(json["type"], 3);
    assert_eq!(json["self"], true);
    assert_eq!(json["legs"][0]["venue"], "uni");
    assert_eq!(json["legs"][0]["price"], U256::MAX.to_string());
    assert_eq!(json["head"]["addr"], "0x0000000000000000000000000000000000000000");
    assert_eq!(serde_json::from_value::<Nested>(json).unwrap(), n);
    let b = Bounded { blob: InlineBytes::try_from(&[0xde, 0xad][..]).unwrap(), ..Default::default() };
    let json = serde_json::to_value(&b).unwrap();
    assert_eq!(json["blob"], "0xdead");
    assert_eq!(json["wide"].as_array().unwrap().len(), 40);
    assert_eq!(serde_json::from_value::<Bounded>(json).unwrap(), b);
    // A string over its bound is rejected.
    let mut json = serde_json::to_value(&b).unwrap();
    json["label"] = "far too long".into();
    assert!(serde_json::from_value::<Bounded>(json).is_err());
}
