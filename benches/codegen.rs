//! Encoding and decoding generated messages, next to the floor: a plain copy of the same
//! number of bytes (what any encoder of a fixed layout must at least do).
//!
//! `cargo bench --bench codegen -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mycelium_contracts::generated::{LargeMessage, PoolStateUpdate, SwapEvent};
use mycelium_contracts::runtime::{Address, Hash, InlineString, InlineVec, Message, U256, WireField};

fn bench_message<M: Message + WireField + PartialEq>(c: &mut Criterion, name: &str, m: &M) {
    let mut group = c.benchmark_group(name);
    let mut buf = vec![0u8; M::BUFFER_CLASS];
    let n = m.encode(&mut buf).unwrap();
    let payload = buf[..n].to_vec();
    let mut out = vec![0u8; M::BUFFER_CLASS];
    group.bench_function("copy (floor)", |b| {
        b.iter(|| {
            out[..n].copy_from_slice(black_box(&payload));
            black_box(&out);
        })
    });
    group.bench_function("encode", |b| b.iter(|| black_box(black_box(m).encode(&mut out).unwrap())));
    group.bench_function("decode", |b| b.iter(|| black_box(M::decode(black_box(&payload)).unwrap())));
    let mut slot = M::default_value();
    group.bench_function("decode in place (read_from)", |b| {
        b.iter(|| {
            slot.read_from(black_box(&payload)).unwrap();
            black_box(&slot);
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let swap = SwapEvent { pool_address: Address([1; 20]), amount_in: U256::from(123u64), amount_out: U256::MAX };
    bench_message(c, "SwapEvent (84 B)", &swap);
    let pool = PoolStateUpdate {
        pool_address: Address([2; 20]),
        reserves: [1, 2],
        symbol: InlineString::try_from("WETH/USDC").unwrap(),
        ticks: InlineVec::try_from(&[1, 2, 3, 4, 5, 6, 7, 8][..]).unwrap(),
    };
    bench_message(c, "PoolStateUpdate (152 B)", &pool);
    let large = LargeMessage {
        block_number: 1,
        block_hash: Hash([3; 32]),
        timestamp_ns: 2,
        pools: InlineVec::try_from(&[Address([4; 20]); 20][..]).unwrap(),
        reserves: [5; 12],
        note: InlineString::try_from("snapshot of the block").unwrap(),
    };
    bench_message(c, "LargeMessage (788 B)", &large);
}

criterion_group!(codegen, benches);
criterion_main!(codegen);
