//! Encoding and decoding allocate nothing: a counting global allocator, counted per thread so
//! that the other tests running in parallel do not disturb the count.

use mycelium_contracts::dynamic::Codec;
use mycelium_contracts::dynamic::stream::{Accept, decode_stream};
use mycelium_contracts::generated;
use mycelium_contracts::model::{Contracts, Layout as ModelLayout};
use mycelium_contracts::runtime::{Address, InlineString, InlineVec, Message, U256};

use crate::all_types::{Bounded, Leg, Nested};
use crate::counting::{allocated_during, allocations_during};
use crate::spec::{PoolStateUpdate, SwapEvent};

#[test]
fn the_counter_counts() {
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8; 10]))).0 >= 1);
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

    let (n, ()) = allocations_during(|| {
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

/// The bundled contracts' codec, and a capture of `frames` frames of its three messages.
fn bundled_capture(frames: usize) -> (Codec, Vec<u8>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/contracts.yaml");
    let doc = mycelium_contracts::load::load_file(&path).unwrap_or_else(|d| panic!("{}", d.message));
    let contracts: Contracts = crate::golden::model_of(&doc);
    let codec = Codec::new(&contracts, &ModelLayout::compute(&contracts)).unwrap();
    let swap =
        generated::SwapEvent { pool_address: Address([7; 20]), amount_in: U256::from(5u8), amount_out: U256::MAX };
    let pool = generated::PoolStateUpdate {
        reserves: [1, u128::MAX],
        symbol: InlineString::try_from("WETH/USDC").unwrap(),
        ticks: InlineVec::try_from(&[1, -2, 3][..]).unwrap(),
        ..Default::default()
    };
    let large = generated::LargeMessage {
        block_number: 19_000_000,
        pools: InlineVec::try_from(&[Address([1; 20]), Address([2; 20])][..]).unwrap(),
        note: InlineString::try_from("snapshot \"α\"\n").unwrap(),
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut frame = |type_id: u16, encode: &dyn Fn(&mut [u8]) -> usize| {
        let mut buf = [0u8; 1024];
        let n = encode(&mut buf);
        out.extend_from_slice(&type_id.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&buf[..n]);
    };
    for k in 0..frames {
        match k % 3 {
            0 => frame(1, &|b| swap.encode(b).unwrap()),
            1 => frame(2, &|b| pool.encode(b).unwrap()),
            _ => frame(3, &|b| large.encode(b).unwrap()),
        }
    }
    (codec, out)
}

/// `decode` allocates per run, never per decoded frame or field: 30 frames and 3,000 frames
/// cost the same allocations. An error line formats its text (a few allocations), whatever the
/// frame.
#[test]
fn decode_stream_allocates_nothing_per_frame() {
    let run = |frames: usize, errors: usize| {
        let (codec, mut capture) = bundled_capture(frames);
        // Unknown types and payloads the codec rejects.
        for _ in 0..errors {
            capture.extend_from_slice(&[99, 0, 2, 0, 0, 0, 1, 2]);
            capture.extend_from_slice(&[1, 0, 3, 0, 0, 0, 1, 2, 3]);
        }
        let accept = Accept::all(&codec);
        let mut summary = None;
        let ((allocations, _), ()) = allocated_during(|| {
            summary = Some(decode_stream(&codec, &accept, &capture[..], &mut std::io::sink()).unwrap());
        });
        let summary = summary.unwrap();
        assert_eq!((summary.decoded, summary.errors), (frames as u64, 2 * errors as u64));
        allocations
    };
    let (small, large) = (run(30, 0), run(3_000, 0));
    assert_eq!(small, large, "30 frames: {small} allocations, 3,000 frames: {large}");
    let with_errors = run(30, 100);
    assert!(with_errors - small <= 200 * 4, "200 error lines: {} more allocations", with_errors - small);
}

/// A frame whose length is 4 GiB: skipped in the read buffer (64 KiB), never allocated.
#[test]
fn a_hostile_length_costs_no_memory() {
    let (codec, mut capture) = bundled_capture(3);
    capture.extend_from_slice(&[1, 0, 0xff, 0xff, 0xff, 0xff]);
    capture.extend_from_slice(&[0u8; 100_000]);
    let accept = Accept::all(&codec);
    let mut summary = None;
    let ((_, bytes), ()) = allocated_during(|| {
        let input = std::io::BufReader::new(&capture[..]);
        summary = Some(decode_stream(&codec, &accept, input, &mut std::io::sink()).unwrap());
    });
    let summary = summary.unwrap();
    assert!(summary.truncated);
    assert_eq!((summary.decoded, summary.errors), (3, 1));
    assert!(bytes < 256 * 1024, "{bytes} bytes allocated");
}
