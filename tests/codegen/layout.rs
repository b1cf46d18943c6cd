//! Byte-exact layout: fixed offsets, little-endian, unused parts zero, exactly `MAX_SIZE` bytes.

use mycelium_contracts::runtime::{Address, I256, InlineString, InlineVec, Message, U256};

use crate::all_types::{Bounded, Empty, Leg, Nested, Scalars};
use crate::spec::{PoolStateUpdate, SwapEvent};

/// Encodes into a buffer filled with 0xAA, checks the length and that nothing past `MAX_SIZE`
/// was touched, and returns the payload.
fn encode<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0xAA; M::MAX_SIZE + 16];
    let n = m.encode(&mut buf).unwrap();
    assert_eq!(n, M::MAX_SIZE);
    assert!(buf[n..].iter().all(|&b| b == 0xAA), "wrote past MAX_SIZE");
    buf.truncate(n);
    buf
}

#[test]
fn constants_follow_the_size_rules() {
    assert_eq!((SwapEvent::TYPE_ID, SwapEvent::MAX_SIZE, SwapEvent::BUFFER_CLASS), (1, 84, 128));
    assert_eq!((PoolStateUpdate::TYPE_ID, PoolStateUpdate::MAX_SIZE, PoolStateUpdate::BUFFER_CLASS), (2, 152, 256));
    assert_eq!(Scalars::MAX_SIZE, 1 + 1 + 1 + 2 + 2 + 4 + 4 + 4 + 8 + 8 + 8 + 16 + 16 + 20 + 32 + 32 + 32);
    assert_eq!(Leg::MAX_SIZE, (2 + 6) + 32 + 8);
    assert_eq!(Bounded::MAX_SIZE, (2 + 8) + (2 + 5) + 4 + (2 + 12) + 2 * (2 + 4) + (2 + 2 * (2 + 3)) + 40 + (2 + 4));
    assert_eq!(Nested::MAX_SIZE, Scalars::MAX_SIZE + (2 + 3 * Leg::MAX_SIZE) + 2 * Leg::MAX_SIZE + 1 + 1);
    assert_eq!((Empty::MAX_SIZE, Empty::BUFFER_CLASS), (0, 128));
    assert_eq!(
        crate::spec::MESSAGE_LIMITS,
        &[(1, 128), (2, 256)],
        "MESSAGE_LIMITS is (type id, BUFFER_CLASS) sorted by type id"
    );
    let ids: Vec<u16> = crate::all_types::MESSAGE_LIMITS.iter().map(|&(id, _)| id).collect();
    assert_eq!(ids, [10, 11, 12, 13, 14, 15]);
}

#[test]
fn swap_event_bytes() {
    let swap = SwapEvent {
        pool_address: Address(std::array::from_fn(|i| i as u8 + 1)),
        amount_in: U256::from(0x0102u16),
        amount_out: U256::MAX,
    };
    let b = encode(&swap);
    assert_eq!(&b[0..20], &(1..=20).collect::<Vec<u8>>()[..]);
    assert_eq!(&b[20..22], &[0x02, 0x01]);
    assert!(b[22..52].iter().all(|&x| x == 0));
    assert!(b[52..84].iter().all(|&x| x == 0xff));
    assert_eq!(SwapEvent::decode(&b).unwrap(), swap);
}

#[test]
fn pool_state_update_bytes() {
    let p = PoolStateUpdate {
        pool_address: Address([7; 20]),
        reserves: [1, u128::MAX - 1],
        symbol: InlineString::try_from("WETH").unwrap(),
        ticks: InlineVec::try_from(&[-1, 2][..]).unwrap(),
    };
    let b = encode(&p);
    assert_eq!(&b[0..20], &[7; 20]);
    assert_eq!(&b[20..36], &1u128.to_le_bytes());
    assert_eq!(&b[36..52], &(u128::MAX - 1).to_le_bytes());
    assert_eq!(&b[52..54], &[4, 0], "symbol length, u16 LE");
    assert_eq!(&b[54..58], b"WETH");
    assert!(b[58..86].iter().all(|&x| x == 0), "unused symbol bytes are zero");
    assert_eq!(&b[86..88], &[2, 0], "tick count, u16 LE");
    assert_eq!(&b[88..92], &(-1i32).to_le_bytes());
    assert_eq!(&b[92..96], &2i32.to_le_bytes());
    assert!(b[96..152].iter().all(|&x| x == 0), "unused tick slots are zero");
    assert_eq!(PoolStateUpdate::decode(&b).unwrap(), p);
}

#[test]
fn default_is_the_all_zero_payload() {
    assert_eq!(encode(&Nested::default()), vec![0; Nested::MAX_SIZE]);
    assert_eq!(Nested::decode(&vec![0; Nested::MAX_SIZE]).unwrap(), Nested::default());
    assert_eq!(Bounded::decode(&[]).unwrap(), Bounded::default());
    assert_eq!(encode(&Empty {}), Vec::<u8>::new());
}

#[test]
fn scalars_are_little_endian_in_declaration_order() {
    let s = Scalars {
        flag: true,
        a_u8: 0x11,
        a_i8: -2,
        a_u16: 0x2233,
        a_i16: -3,
        a_u32: 0x44556677,
        a_i32: -4,
        a_f32: 1.5,
        a_u64: 0x0102030405060708,
        a_i64: -5,
        a_f64: -2.25,
        a_u128: 1 << 100,
        a_i128: -6,
        addr: Address([0xAB; 20]),
        big: U256::from(u128::MAX),
        signed_big: I256::from(-1i8),
        digest: mycelium_contracts::runtime::Hash([0xCD; 32]),
    };
    let b = encode(&s);
    let mut expected = vec![1u8, 0x11, 0xfe];
    expected.extend(0x2233u16.to_le_bytes());
    expected.extend((-3i16).to_le_bytes());
    expected.extend(0x44556677u32.to_le_bytes());
    expected.extend((-4i32).to_le_bytes());
    expected.extend(1.5f32.to_le_bytes());
    expected.extend(0x0102030405060708u64.to_le_bytes());
    expected.extend((-5i64).to_le_bytes());
    expected.extend((-2.25f64).to_le_bytes());
    expected.extend((1u128 << 100).to_le_bytes());
    expected.extend((-6i128).to_le_bytes());
    expected.extend([0xAB; 20]);
    expected.extend(u128::MAX.to_le_bytes());
    expected.extend([0; 16]);
    expected.extend([0xff; 32]);
    expected.extend([0xCD; 32]);
    assert_eq!(b, expected);
    assert_eq!(Scalars::decode(&b).unwrap(), s);
}

#[test]
fn embedded_messages_sit_inline_at_their_max_size() {
    let leg = Leg { venue: InlineString::try_from("uni").unwrap(), price: U256::from(5u8), qty: -7 };
    let n =
        Nested { legs: InlineVec::try_from(&[leg.clone()][..]).unwrap(), r#type: 9, self_: true, ..Default::default() };
    let b = encode(&n);
    let legs_at = Scalars::MAX_SIZE;
    assert_eq!(&b[legs_at..legs_at + 2], &[1, 0]);
    assert_eq!(&b[legs_at + 2..legs_at + 2 + Leg::MAX_SIZE], &encode(&leg)[..]);
    let type_at = legs_at + 2 + 3 * Leg::MAX_SIZE + 2 * Leg::MAX_SIZE;
    assert_eq!(&b[type_at..], &[9, 1]);
    assert_eq!(Nested::decode(&b).unwrap(), n);
}

#[test]
fn encode_into_a_short_buffer_fails_and_writes_nothing() {
    let mut buf = [0xAAu8; 83];
    let e = SwapEvent::default().encode(&mut buf).unwrap_err();
    assert_eq!((e.needed(), e.available()), (84, 83));
    assert!(buf.iter().all(|&b| b == 0xAA));
}

#[test]
fn fixed_arrays_longer_than_32_work() {
    let mut b = Bounded::default();
    b.wide[39] = 3;
    let bytes = encode(&b);
    assert_eq!(Bounded::decode(&bytes).unwrap().wide[39], 3);
}

#[test]
fn awkward_names_compile_and_round_trip() {
    use crate::awkward;
    let a = awkward::Address {
        value: 1,
        out: Address([2; 20]),
        r: 3,
        w: InlineString::try_from("ab").unwrap(),
        src: true,
        dst: I256::from(-1i8),
        ..Default::default()
    };
    let bytes = encode(&a);
    assert_eq!(awkward::Address::decode(&bytes).unwrap(), a);
    assert_eq!(<awkward::Address as Message>::TYPE_ID, 65535);
    let o = awkward::Option {
        some: InlineVec::try_from(&[awkward::Result { ok: 1, err: 2 }][..]).unwrap(),
        none: awkward::Default { r#match: [7], crate_: 9 },
    };
    assert_eq!(awkward::Option::decode(&encode(&o)).unwrap(), o);
    assert_eq!(awkward::services::rt::CONFIG.name, "rt");
    assert_eq!(awkward::services::self_::CONFIG.name, "self");
}
