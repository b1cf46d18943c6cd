//! Heap allocations per frame in steady state: zero for `read_frame_pooled`, `FrameReader`,
//! the tokio-util codec and shared frames.

use mycelium_contracts::runtime::{BufferPool, FrameLimits, FrameReader, read_frame_pooled};

use crate::counting::allocations_during;
use crate::mock::{block_on, wire};

const FRAMES: usize = 1000;

fn pool() -> BufferPool {
    BufferPool::builder().with_size_class(128, 1024).with_size_class(256, 512).with_size_class(1024, 128).build()
}

/// Frames of the three benchmark sizes, interleaved.
fn stream() -> Vec<u8> {
    let payloads = [vec![1u8; 84], vec![2u8; 180], vec![3u8; 800]];
    let frames: Vec<(u16, &[u8])> = (0..FRAMES).map(|i| ((i % 3 + 1) as u16, &payloads[i % 3][..])).collect();
    wire(&frames)
}

#[test]
fn read_frame_pooled_allocates_nothing_per_frame() {
    let bytes = stream();
    let pool = pool();
    let mut reader = &bytes[..];
    // Warm up: the first frame of each class misses and allocates its buffer.
    for _ in 0..3 {
        block_on(read_frame_pooled(&mut reader, &pool)).unwrap().unwrap();
    }
    let (allocs, frames) = allocations_during(|| {
        let mut n = 0;
        while let Some((type_id, payload)) = block_on(read_frame_pooled(&mut reader, &pool)).unwrap() {
            assert_eq!(payload[0], type_id as u8);
            n += 1;
        }
        n
    });
    assert_eq!(frames, FRAMES - 3);
    assert_eq!(allocs, 0, "allocations over {frames} frames");
}

#[test]
fn frame_reader_allocates_nothing_per_frame() {
    let bytes = stream();
    let limits = FrameLimits::new(&[(1, 84), (2, 180), (3, 800)]);
    // A small read buffer forces many refills and compactions during the measurement.
    let mut reader = FrameReader::with_capacity(2000, &bytes[..], pool()).with_limits(limits);
    for _ in 0..3 {
        block_on(reader.next_frame()).unwrap().unwrap();
    }
    let (allocs, frames) = allocations_during(|| {
        let mut n = 0;
        while let Some((type_id, payload)) = block_on(reader.next_frame()).unwrap() {
            assert_eq!(payload[0], type_id as u8);
            n += 1;
        }
        n
    });
    assert_eq!(frames, FRAMES - 3);
    assert_eq!(allocs, 0, "allocations over {frames} frames");
}

#[test]
fn prefilled_pool_allocates_nothing_from_the_first_frame() {
    let bytes = stream();
    let pool = BufferPool::builder()
        .with_size_class(128, 4)
        .with_size_class(256, 4)
        .with_size_class(1024, 4)
        .prefill(true)
        .build();
    let mut reader = FrameReader::new(&bytes[..], pool.clone());
    let mut held = Vec::with_capacity(4);
    let (allocs, frames) = allocations_during(|| {
        let mut n = 0;
        while let Some(frame) = block_on(reader.next_frame()).unwrap() {
            // Keep up to three frames alive, as a consumer that lags a little would.
            if held.len() == 3 {
                held.remove(0);
            }
            held.push(frame);
            n += 1;
        }
        n
    });
    assert_eq!(frames, FRAMES);
    assert_eq!(allocs, 0);
    assert!(pool.stats().iter().all(|s| s.misses == 0));
}

#[test]
fn shared_frames_allocate_nothing_per_frame() {
    let bytes = stream();
    let mut reader = FrameReader::new(&bytes[..], pool());
    let mut consumers: [Option<mycelium_contracts::runtime::SharedBuffer>; 3] = [None, None, None];
    let mut step = |reader: &mut FrameReader<&[u8]>| {
        let Some((type_id, payload)) = block_on(reader.next_frame()).unwrap() else { return false };
        let shared = payload.freeze();
        for consumer in consumers.iter_mut() {
            let mine = shared.clone();
            assert_eq!(mine[0], type_id as u8);
            // Each consumer keeps its frame until the next one arrives.
            *consumer = Some(mine);
        }
        true
    };
    // Warm up: one cycle through the three classes.
    for _ in 0..3 {
        assert!(step(&mut reader));
    }
    let (allocs, frames) = allocations_during(|| std::iter::from_fn(|| step(&mut reader).then_some(())).count());
    assert_eq!(frames, FRAMES - 3);
    assert_eq!(allocs, 0);
}

#[test]
fn bytes_conversion_costs_one_allocation() {
    let pool = pool();
    let shared = pool.acquire(84).unwrap().freeze();
    let (allocs, bytes) = allocations_during(|| shared.clone().into_bytes());
    assert_eq!(allocs, 1);
    let (allocs, _clones) = allocations_during(|| (bytes.clone(), bytes.slice(2..)));
    assert_eq!(allocs, 0);
}

#[test]
fn acquire_and_drop_allocate_nothing_once_warm() {
    let pool = pool();
    drop(pool.acquire(100).unwrap());
    let (allocs, ()) = allocations_during(|| {
        for len in 0..128 {
            let buf = pool.acquire(len).unwrap();
            assert!(buf.iter().all(|&b| b == 0));
        }
    });
    assert_eq!(allocs, 0);
}

#[cfg(feature = "codec")]
#[test]
fn tokio_codec_decode_allocates_nothing_per_frame() {
    use bytes::BytesMut;
    use mycelium_contracts::runtime::FrameCodec;
    use tokio_util::codec::Decoder;

    let bytes = stream();
    let mut codec = FrameCodec::new(pool());
    let mut src = BytesMut::with_capacity(bytes.len());
    src.extend_from_slice(&bytes);
    for _ in 0..3 {
        codec.decode(&mut src).unwrap().unwrap();
    }
    let (allocs, n) = allocations_during(|| {
        let mut n = 0;
        while let Some((_, payload)) = codec.decode(&mut src).unwrap() {
            std::hint::black_box(&payload[..]);
            n += 1;
        }
        n
    });
    assert_eq!(n, FRAMES - 3);
    assert_eq!(allocs, 0);
}
