//! The messages and the reads the typed-access benchmarks (`benches/typed.rs`) and the
//! instruction-count probe (`examples/view_loop.rs`) measure: one copy, so both measure the same
//! code. Hand-written `from_le_bytes` reads at constant offsets, and the same fields through views.

use std::hint::black_box;

use mycelium_contracts::generated::{LargeMessage, PoolStateUpdate, SwapEvent};
use mycelium_contracts::runtime::{Address, InlineString, InlineVec, Message, U256};

pub fn swap() -> SwapEvent {
    SwapEvent { pool_address: Address([7; 20]), amount_in: U256::from(1_000u64), amount_out: U256::from(999u64) }
}

pub fn update() -> PoolStateUpdate {
    PoolStateUpdate {
        pool_address: Address([1; 20]),
        reserves: [5, 6],
        symbol: InlineString::try_from("WETH/USDC").unwrap(),
        ticks: InlineVec::try_from(&[-60, -30, 0, 30, 60, 90, 120, 150][..]).unwrap(),
    }
}

pub fn large() -> LargeMessage {
    LargeMessage {
        block_number: 19_000_000,
        timestamp_ns: 1_700_000_000_000_000_000,
        pools: InlineVec::try_from(&[Address([2; 20]); 20][..]).unwrap(),
        reserves: [3; 12],
        note: InlineString::try_from("block snapshot").unwrap(),
        ..LargeMessage::default()
    }
}

pub fn encoded<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0u8; M::MAX_SIZE];
    m.encode(&mut buf).unwrap();
    buf
}

// ----- hand-written reads at constant offsets -----

fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes(b[at..at + 2].try_into().unwrap()))
}

pub fn hand_swap(b: &[u8]) {
    black_box(<[u8; 20]>::try_from(&b[0..20]).unwrap());
    black_box(<[u8; 32]>::try_from(&b[20..52]).unwrap());
    black_box(<[u8; 32]>::try_from(&b[52..84]).unwrap());
}

pub fn hand_update(b: &[u8]) {
    black_box(<[u8; 20]>::try_from(&b[0..20]).unwrap());
    for i in 0..2 {
        black_box(u128::from_le_bytes(b[20 + 16 * i..36 + 16 * i].try_into().unwrap()));
    }
    let len = u16_at(b, 52).min(32);
    black_box(std::str::from_utf8(&b[54..54 + len]).unwrap());
    let count = u16_at(b, 86).min(16);
    for i in 0..count {
        black_box(i32::from_le_bytes(b[88 + 4 * i..92 + 4 * i].try_into().unwrap()));
    }
}

pub fn hand_large(b: &[u8]) {
    black_box(u64::from_le_bytes(b[0..8].try_into().unwrap()));
    black_box(<[u8; 32]>::try_from(&b[8..40]).unwrap());
    black_box(u64::from_le_bytes(b[40..48].try_into().unwrap()));
    let count = u16_at(b, 48).min(24);
    for i in 0..count {
        black_box(<[u8; 20]>::try_from(&b[50 + 20 * i..70 + 20 * i]).unwrap());
    }
    for i in 0..12 {
        black_box(u128::from_le_bytes(b[530 + 16 * i..546 + 16 * i].try_into().unwrap()));
    }
    let len = u16_at(b, 722).min(64);
    black_box(std::str::from_utf8(&b[724..724 + len]).unwrap());
}

// ----- the same reads through views -----

pub fn view_swap(b: &[u8]) {
    let v = SwapEvent::view(b).unwrap();
    black_box(v.pool_address());
    black_box(v.amount_in());
    black_box(v.amount_out());
}

pub fn view_update(b: &[u8]) {
    let v = PoolStateUpdate::view(b).unwrap();
    black_box(v.pool_address());
    for r in v.reserves() {
        black_box(r);
    }
    black_box(v.symbol());
    for t in v.ticks() {
        black_box(t);
    }
}

pub fn view_large(b: &[u8]) {
    let v = LargeMessage::view(b).unwrap();
    black_box(v.block_number());
    black_box(v.block_hash());
    black_box(v.timestamp_ns());
    for p in v.pools() {
        black_box(p);
    }
    for r in v.reserves() {
        black_box(r);
    }
    black_box(v.note());
}

// ----- `view()` alone: the one-time check -----

pub fn check_swap(b: &[u8]) {
    black_box(SwapEvent::view(b).is_ok());
}

pub fn check_update(b: &[u8]) {
    black_box(PoolStateUpdate::view(b).is_ok());
}

pub fn check_large(b: &[u8]) {
    black_box(LargeMessage::view(b).is_ok());
}

// ----- three fields of LargeMessage -----

/// `decode` by value, then three fields.
pub fn decode_large_3(b: &[u8]) {
    let m = LargeMessage::decode(b).unwrap();
    black_box((m.block_number, m.timestamp_ns, m.reserves[0]));
}

/// `view`, then the same three fields.
pub fn view_large_3(b: &[u8]) {
    let v = LargeMessage::view(b).unwrap();
    black_box((v.block_number(), v.timestamp_ns(), v.reserves().get(0)));
}
