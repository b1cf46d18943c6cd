//! Encoding and decoding allocate nothing: a counting global allocator, counted per thread so
//! that the other tests running in parallel do not disturb the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use mycelium_contracts::runtime::{Address, InlineString, InlineVec, Message, U256};

use crate::all_types::{Bounded, Leg, Nested};
use crate::spec::{PoolStateUpdate, SwapEvent};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn the_counter_counts() {
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8; 10]))) >= 1);
}

#[test]
fn encode_and_decode_allocate_nothing() {
    let swap = SwapEvent { pool_address: Address([1; 20]), amount_in: U256::from(5u8), amount_out: U256::MAX };
    let pool = PoolStateUpdate {
        symbol: InlineString::try_from("WETH").unwrap(),
        ticks: InlineVec::try_from(&[1, -2, 3][..]).unwrap(),
        ..Default::default()
    };
    let leg = Leg { venue: InlineString::try_from("uni").unwrap(), price: U256::from(9u8), qty: 4 };
    let nested = Nested { legs: InlineVec::try_from(&[leg.clone(), leg][..]).unwrap(), ..Default::default() };
    let bounded = Bounded { label: InlineString::try_from("label").unwrap(), ..Default::default() };
    let mut buf = [0u8; 2048];
    let mut bad = [0u8; 2048];
    bad[0] = 7; // an invalid bool at the start of Nested

    let n = allocations_during(|| {
        for _ in 0..100 {
            let len = swap.encode(&mut buf).unwrap();
            assert_eq!(std::hint::black_box(SwapEvent::decode(&buf[..len]).unwrap()), swap);
            let len = pool.encode(&mut buf).unwrap();
            assert_eq!(std::hint::black_box(PoolStateUpdate::decode(&buf[..len]).unwrap()), pool);
            let len = nested.encode(&mut buf).unwrap();
            assert_eq!(std::hint::black_box(Nested::decode(&buf[..len]).unwrap()), nested);
            let len = bounded.encode(&mut buf).unwrap();
            assert_eq!(std::hint::black_box(Bounded::decode(&buf[..len]).unwrap()), bounded);
            // Older payloads and errors allocate nothing either.
            assert!(Nested::decode(&buf[..0]).is_ok());
            assert!(std::hint::black_box(Nested::decode(&bad)).is_err());
            assert!(swap.encode(&mut buf[..10]).is_err());
        }
    });
    assert_eq!(n, 0, "encode/decode allocated {n} times");
}
