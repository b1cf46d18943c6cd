//! Instruction-count probe of the typed-access reads: `N` iterations of one of the functions the
//! `view-read-all` and `large-3-fields` benchmarks time (the same code: `benches/support/typed_reads.rs`),
//! on one encoded message. Count only the `measure` function with callgrind:
//!
//! ```sh
//! cargo build --release --example view_loop
//! valgrind --tool=callgrind --toggle-collect='*measure*' target/release/examples/view_loop 1000000 view-update
//! ```
//!
//! Arguments: `N` (default 1,000,000) and the read: `{hand,view,check}-{swap,update,large}`,
//! `decode-large-3` or `view-large-3`. The count per iteration is the difference between two `N`
//! divided by the difference of the `N`s.
use std::hint::black_box;

#[path = "../support/typed_reads.rs"]
mod reads;
use reads::*;

#[inline(never)]
fn measure(read: fn(&[u8]), payload: &[u8], n: usize) {
    for _ in 0..n {
        read(black_box(payload));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let which = args.next().unwrap_or_else(|| "view-update".into());
    let (swap, update, large) = (encoded(&swap()), encoded(&update()), encoded(&large()));
    let (read, payload): (fn(&[u8]), &[u8]) = match which.as_str() {
        "hand-swap" => (hand_swap, &swap),
        "view-swap" => (view_swap, &swap),
        "check-swap" => (check_swap, &swap),
        "hand-update" => (hand_update, &update),
        "view-update" => (view_update, &update),
        "check-update" => (check_update, &update),
        "hand-large" => (hand_large, &large),
        "view-large" => (view_large, &large),
        "check-large" => (check_large, &large),
        "decode-large-3" => (decode_large_3, &large),
        "view-large-3" => (view_large_3, &large),
        other => panic!("unknown read `{other}`"),
    };
    // Warm-up, not counted.
    for _ in 0..1000 {
        read(black_box(payload));
    }
    measure(read, payload, n);
}
