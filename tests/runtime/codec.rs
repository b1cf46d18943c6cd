//! Frame codec edge cases, each named after its case, over a scripted reader.

use std::io;
use std::task::Poll;

use mycelium_contracts::runtime::{
    BufferPool, FrameError, FrameHeader, FrameLimits, FrameReader, read_frame_pooled, read_frame_pooled_with_limits,
    write_frame,
};

use crate::mock::{Recorder, Script, Step, block_on, poll_once, wire};

fn pool() -> BufferPool {
    BufferPool::builder().with_size_class(128, 8).with_size_class(256, 8).build()
}

fn frame_error(err: &io::Error) -> FrameError {
    *FrameError::from_io(err).unwrap_or_else(|| panic!("not a frame error: {err:?}"))
}

/// Frames read, as `(type_id, payload)`.
type Frames = Vec<(u16, Vec<u8>)>;

/// Runs both readers (unbuffered and buffered) over the same script.
fn both(steps: impl Fn() -> Vec<Step>) -> [io::Result<Frames>; 2] {
    let pool = pool();
    let mut script = Script::new(steps());
    let unbuffered = block_on(async {
        let mut frames = Vec::new();
        while let Some((t, p)) = read_frame_pooled(&mut script, &pool).await? {
            frames.push((t, p.to_vec()));
        }
        Ok(frames)
    });
    let mut reader = FrameReader::new(Script::new(steps()), pool.clone());
    let buffered = block_on(async {
        let mut frames = Vec::new();
        while let Some((t, p)) = reader.next_frame().await? {
            frames.push((t, p.to_vec()));
        }
        Ok(frames)
    });
    [unbuffered, buffered]
}

#[test]
fn clean_eof_between_frames() {
    let bytes = wire(&[(1, b"ab"), (2, b"")]);
    for result in both(|| vec![Step::Data(bytes.clone())]) {
        assert_eq!(result.unwrap(), vec![(1, b"ab".to_vec()), (2, vec![])]);
    }
}

#[test]
fn empty_stream_is_clean_eof() {
    for result in both(Vec::new) {
        assert_eq!(result.unwrap(), vec![]);
    }
}

#[test]
fn read_incomplete_head() {
    // Three header bytes, a pause, then the stream ends.
    for result in both(|| vec![Step::Data(vec![1, 0, 5]), Step::Pending]) {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(frame_error(&err), FrameError::Truncated { expected: 6, received: 3 });
    }
}

#[test]
fn head_split_across_reads() {
    let bytes = wire(&[(0x0102, b"xyz")]);
    let steps = || bytes.iter().map(|&b| Step::Data(vec![b])).collect();
    for result in both(steps) {
        assert_eq!(result.unwrap(), vec![(0x0102, b"xyz".to_vec())]);
    }
}

#[test]
fn eof_inside_payload() {
    let bytes = wire(&[(1, &[7; 100])]);
    for result in both(|| vec![Step::Data(bytes[..50].to_vec())]) {
        let err = result.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(frame_error(&err), FrameError::Truncated { expected: 106, received: 50 });
    }
}

#[test]
fn eof_after_full_frame_then_partial_head() {
    let mut bytes = wire(&[(1, b"ok")]);
    bytes.extend_from_slice(&[2, 0]);
    for result in both(|| vec![Step::Data(bytes.clone())]) {
        let err = result.unwrap_err();
        assert_eq!(frame_error(&err), FrameError::Truncated { expected: 6, received: 2 });
    }
}

#[test]
fn length_over_limit() {
    // 257 bytes announced, largest class 256: rejected from the header alone, before any
    // allocation (no payload byte is even sent).
    let head = FrameHeader { type_id: 4, length: 257 }.encode();
    let pool = pool();
    let err = block_on(read_frame_pooled(&mut Script::data(&head), &pool)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 4, length: 257, limit: 256 });
    let mut reader = FrameReader::new(Script::data(&head), pool.clone());
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 4, length: 257, limit: 256 });
    assert!(pool.stats().iter().all(|s| s.misses == 0 && s.hits == 0), "nothing may be acquired");
    // The header stays unconsumed: the reader reports the same error again.
    let again = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(frame_error(&again), frame_error(&err));
}

#[test]
fn length_u32_max_is_rejected_without_allocating() {
    let head = FrameHeader { type_id: 1, length: u32::MAX }.encode();
    let mut reader = FrameReader::new(Script::data(&head), pool());
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 1, length: u32::MAX as usize, limit: 256 });
}

#[test]
fn length_over_type_limit() {
    let limits = FrameLimits::new(&[(1, 84), (2, 200)]);
    let bytes = wire(&[(1, &[0; 84]), (1, &[0; 85])]);
    let pool = pool();
    let mut r = &bytes[..];
    assert!(block_on(read_frame_pooled_with_limits(&mut r, &pool, Some(&limits))).unwrap().is_some());
    let err = block_on(read_frame_pooled_with_limits(&mut r, &pool, Some(&limits))).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 1, length: 85, limit: 84 });

    let mut reader = FrameReader::new(&bytes[..], pool).with_limits(limits);
    assert!(block_on(reader.next_frame()).unwrap().is_some());
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 1, length: 85, limit: 84 });
}

#[test]
fn type_limit_above_the_pool_is_capped_by_the_pool() {
    let limits = FrameLimits::new(&[(1, 10_000)]);
    let head = FrameHeader { type_id: 1, length: 300 }.encode();
    let mut reader = FrameReader::new(Script::data(&head), pool()).with_limits(limits);
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 1, length: 300, limit: 256 });
}

#[test]
fn unknown_type_rejected() {
    let limits = FrameLimits::new(&[(1, 84)]);
    let bytes = wire(&[(9, b"")]);
    let mut reader = FrameReader::new(&bytes[..], pool()).with_limits(limits.clone());
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert_eq!(frame_error(&err), FrameError::UnknownType { type_id: 9 });
    assert_eq!(err.to_string(), "frame of unknown type 9");
    let err = block_on(read_frame_pooled_with_limits(&mut &bytes[..], &pool(), Some(&limits))).unwrap_err();
    assert_eq!(frame_error(&err), FrameError::UnknownType { type_id: 9 });
}

#[test]
fn reader_error_is_passed_through_and_reading_resumes() {
    let bytes = wire(&[(1, b"abc")]);
    let mut reader = FrameReader::new(
        Script::new([
            Step::Data(bytes[..4].to_vec()),
            Step::Error(io::ErrorKind::ConnectionReset),
            Step::Data(bytes[4..].to_vec()),
        ]),
        pool(),
    );
    assert_eq!(block_on(reader.next_frame()).unwrap_err().kind(), io::ErrorKind::ConnectionReset);
    let (t, p) = block_on(reader.next_frame()).unwrap().unwrap();
    assert_eq!((t, &p[..]), (1, &b"abc"[..]));
}

#[test]
fn many_frames_per_read_call() {
    let frames: Vec<(u16, &[u8])> = (0..100).map(|i| (i as u16, &b"0123456789"[..])).collect();
    let bytes = wire(&frames);
    let mut reader = FrameReader::new(Script::data(&bytes), pool());
    let mut n = 0;
    while let Some((t, p)) = block_on(reader.next_frame()).unwrap() {
        assert_eq!((t, &p[..]), (n, &b"0123456789"[..]));
        n += 1;
    }
    assert_eq!(n, 100);
    assert_eq!(reader.get_ref().reads, 1, "one read call for 100 frames");
}

#[test]
fn frame_larger_than_read_buffer_remainder_is_compacted() {
    // A 10-byte read buffer is raised to 6 + 256; frames of 200 bytes straddle its end.
    let payload = [9u8; 200];
    let frames: Vec<(u16, &[u8])> = (0..10).map(|i| (i, &payload[..])).collect();
    let bytes = wire(&frames);
    let steps = bytes.chunks(77).map(|c| Step::Data(c.to_vec())).collect::<Vec<_>>();
    let mut reader = FrameReader::with_capacity(10, Script::new(steps), pool());
    for i in 0..10 {
        let (t, p) = block_on(reader.next_frame()).unwrap().unwrap();
        assert_eq!((t, p.len(), p[199]), (i, 200, 9));
    }
    assert!(block_on(reader.next_frame()).unwrap().is_none());
}

#[test]
fn next_frame_is_cancel_safe() {
    let bytes = wire(&[(1, &[1; 50]), (2, &[2; 50])]);
    let steps = vec![
        Step::Data(bytes[..30].to_vec()),
        Step::Pending,
        Step::Data(bytes[30..70].to_vec()),
        Step::Pending,
        Step::Data(bytes[70..].to_vec()),
    ];
    let mut reader = FrameReader::new(Script::new(steps), pool());
    // Each attempt is polled once and dropped when it is pending, as `select!` does when
    // another branch wins.
    let mut frames = Vec::new();
    let mut cancelled = 0;
    loop {
        let mut fut = Box::pin(reader.next_frame());
        match poll_once(&mut fut) {
            Poll::Pending => cancelled += 1,
            Poll::Ready(Ok(Some((t, p)))) => frames.push((t, p.to_vec())),
            Poll::Ready(Ok(None)) => break,
            Poll::Ready(Err(e)) => panic!("{e}"),
        }
    }
    assert_eq!(cancelled, 2);
    assert_eq!(frames, vec![(1, vec![1; 50]), (2, vec![2; 50])]);
}

#[test]
fn next_frame_in_select_loses_nothing() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let (mut tx, rx) = tokio::io::duplex(7);
        let writer = tokio::spawn(async move {
            for i in 0..200u16 {
                write_frame(&mut tx, i, &i.to_le_bytes().repeat(i as usize % 40)).await.unwrap();
                tokio::task::yield_now().await;
            }
        });
        let mut reader = FrameReader::new(rx, pool());
        let mut next = 0u16;
        let mut cancelled = 0;
        loop {
            tokio::select! {
                biased;
                frame = reader.next_frame() => match frame.unwrap() {
                    Some((t, p)) => {
                        assert_eq!(t, next);
                        assert_eq!(&p[..], &t.to_le_bytes().repeat(t as usize % 40)[..]);
                        next += 1;
                    }
                    None => break,
                },
                () = tokio::task::yield_now() => cancelled += 1,
            }
        }
        writer.await.unwrap();
        assert_eq!(next, 200);
        assert!(cancelled > 0);
    });
}

#[test]
fn write_frame_is_one_write_call() {
    for vectored in [false, true] {
        for len in [0, 84, 180, 250, 800, 70_000] {
            let payload = vec![5u8; len];
            let mut out = Recorder::new(usize::MAX, vectored);
            block_on(write_frame(&mut out, 3, &payload)).unwrap();
            assert_eq!(out.calls, 1, "len {len}, vectored {vectored}");
            assert_eq!(out.bytes[..6], FrameHeader { type_id: 3, length: len as u32 }.encode());
            assert_eq!(out.bytes[6..], payload[..]);
        }
    }
}

#[test]
fn write_frame_survives_partial_writes() {
    for len in [10, 800] {
        let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let mut out = Recorder::new(7, true);
        block_on(write_frame(&mut out, 1, &payload)).unwrap();
        assert_eq!(out.bytes, wire(&[(1, &payload)]));
    }
}

#[test]
fn write_zero_is_an_error() {
    let mut out = Recorder::new(0, true);
    let err = block_on(write_frame(&mut out, 1, &[1; 300])).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WriteZero);
}

#[cfg(feature = "codec")]
mod tokio_codec {
    use bytes::BytesMut;
    use mycelium_contracts::runtime::{FrameCodec, FrameError, FrameLimits};
    use tokio_util::codec::{Decoder, Encoder};

    use super::{frame_error, pool};

    #[test]
    fn decode_waits_for_whole_frame_then_yields_it() {
        let mut codec = FrameCodec::new(pool());
        let mut wire = BytesMut::new();
        codec.encode((7u16, &[1u8, 2, 3][..]), &mut wire).unwrap();
        let mut src = BytesMut::new();
        for (i, b) in wire.iter().enumerate() {
            assert!(codec.decode(&mut src).unwrap().is_none(), "byte {i}");
            src.extend_from_slice(&[*b]);
        }
        let (t, p) = codec.decode(&mut src).unwrap().unwrap();
        assert_eq!((t, &p[..]), (7, &[1, 2, 3][..]));
        assert!(src.is_empty());
        assert!(codec.decode_eof(&mut src).unwrap().is_none());
    }

    #[test]
    fn decode_eof_inside_payload() {
        let mut codec = FrameCodec::new(pool());
        let mut src = BytesMut::from(&[1u8, 0, 4, 0, 0, 0, 9][..]);
        let err = codec.decode_eof(&mut src).unwrap_err();
        assert_eq!(frame_error(&err), FrameError::Truncated { expected: 10, received: 7 });
    }

    #[test]
    fn decode_length_over_limit_and_unknown_type() {
        let mut codec = FrameCodec::new(pool()).with_limits(FrameLimits::new(&[(1, 4)]));
        let mut src = BytesMut::from(&[1u8, 0, 5, 0, 0, 0][..]);
        let err = codec.decode(&mut src).unwrap_err();
        assert_eq!(frame_error(&err), FrameError::TooLong { type_id: 1, length: 5, limit: 4 });
        let mut src = BytesMut::from(&[2u8, 0, 0, 0, 0, 0][..]);
        assert_eq!(frame_error(&codec.decode(&mut src).unwrap_err()), FrameError::UnknownType { type_id: 2 });
    }

    #[test]
    fn encode_shared_and_pooled_payloads() {
        let pool = pool();
        let mut codec = FrameCodec::new(pool.clone());
        let mut buf = pool.acquire(2).unwrap();
        buf.copy_from_slice(b"hi");
        let shared = buf.freeze();
        let mut dst = BytesMut::new();
        codec.encode((1u16, shared.clone()), &mut dst).unwrap();
        codec.encode((2u16, shared.into_bytes()), &mut dst).unwrap();
        assert_eq!(&dst[..], &[1, 0, 2, 0, 0, 0, b'h', b'i', 2, 0, 2, 0, 0, 0, b'h', b'i']);
    }
}

mod prop {
    use mycelium_contracts::runtime::{BufferPool, FrameReader, read_frame_pooled};
    use proptest::prelude::*;

    use crate::mock::{Script, Step, block_on, wire};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any sequence of frames, split into reads of any size with pauses between them, reads
        /// back unchanged through both readers.
        #[test]
        fn any_frames_any_chunking(
            frames in proptest::collection::vec((any::<u16>(), proptest::collection::vec(any::<u8>(), 0..300)), 0..12),
            chunk in 1usize..80,
            pause in any::<bool>(),
        ) {
            let borrowed: Vec<(u16, &[u8])> = frames.iter().map(|(t, p)| (*t, &p[..])).collect();
            let bytes = wire(&borrowed);
            let steps = || {
                bytes.chunks(chunk).flat_map(|c| {
                    let mut s = vec![Step::Data(c.to_vec())];
                    if pause {
                        s.push(Step::Pending);
                    }
                    s
                }).collect::<Vec<_>>()
            };
            let pool = BufferPool::builder().with_size_class(128, 2).with_size_class(512, 2).build();
            let mut reader = FrameReader::with_capacity(64, Script::new(steps()), pool.clone());
            let mut got = Vec::new();
            while let Some((t, p)) = block_on(reader.next_frame()).unwrap() {
                got.push((t, p.to_vec()));
            }
            prop_assert_eq!(&got, &frames);
            let mut script = Script::new(steps());
            let mut got = Vec::new();
            while let Some((t, p)) = block_on(read_frame_pooled(&mut script, &pool)).unwrap() {
                got.push((t, p.to_vec()));
            }
            prop_assert_eq!(&got, &frames);
        }

        /// Arbitrary bytes never panic either reader, and every outcome is a frame, a clean end
        /// or an error of the documented kinds.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let pool = BufferPool::builder().with_size_class(128, 2).build();
            let mut reader = FrameReader::new(&bytes[..], pool.clone());
            loop {
                match block_on(reader.next_frame()) {
                    Ok(Some(_)) => continue,
                    Ok(None) => break,
                    Err(e) => {
                        prop_assert!(matches!(e.kind(), std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData));
                        break;
                    }
                }
            }
        }
    }
}
