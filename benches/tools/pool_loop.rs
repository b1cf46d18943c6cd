//! Instruction-count probe of the pool's hot path: `N` acquire(84) + drop on one thread after a
//! warm-up, against the same `Vec` free-list loop written inline (the `pool` benchmarks'
//! `vec-free-list-inline`). Measure only the `measure_*` function with callgrind:
//!
//! ```sh
//! cargo build --release --example pool_loop
//! valgrind --tool=callgrind --toggle-collect='*measure_*' target/release/examples/pool_loop 1000000 pool
//! ```
//!
//! Arguments: `N` (default 1,000,000) and the loop: `pool` (a class with a thread cache),
//! `shared` (a class too small for the thread cache: the shared list alone) or `inline`.
use std::hint::black_box;

use mycelium_contracts::runtime::BufferPool;

#[inline(never)]
fn run_pool(pool: &BufferPool, n: usize) {
    for _ in 0..n {
        let buf = pool.acquire(black_box(84)).unwrap();
        black_box(buf[83]);
    }
}

#[inline(never)]
fn run_inline(free: &mut Vec<Box<[u8]>>, n: usize) {
    for _ in 0..n {
        let mut buf = free.pop().unwrap_or_else(|| vec![0u8; 128].into_boxed_slice());
        let len = black_box(84);
        buf[..len].fill(0);
        black_box(buf[len - 1]);
        free.push(buf);
    }
}

#[inline(never)]
fn measure_pool(pool: &BufferPool, n: usize) {
    run_pool(pool, n)
}

#[inline(never)]
fn measure_shared(pool: &BufferPool, n: usize) {
    run_pool(pool, n)
}

#[inline(never)]
fn measure_inline(free: &mut Vec<Box<[u8]>>, n: usize) {
    run_inline(free, n)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let which = args.next().unwrap_or_else(|| "pool".into());
    match which.as_str() {
        "pool" => {
            let pool = BufferPool::builder()
                .with_size_class(128, 1024)
                .with_size_class(256, 512)
                .with_size_class(1024, 128)
                .build();
            run_pool(&pool, 10_000);
            measure_pool(&pool, n);
        }
        "shared" => {
            let shared = BufferPool::builder().with_size_class(128, 16).build();
            run_pool(&shared, 10_000);
            measure_shared(&shared, n);
        }
        _ => {
            let mut free = Vec::new();
            run_inline(&mut free, 10_000);
            measure_inline(&mut free, n);
        }
    }
}
