//! Typed access end to end: views over pooled and shared frames, per-service dispatch, the
//! frame writer and the tokio-util encoder, and zero allocations per message on both sides of a
//! loopback TCP connection in steady state.

use std::io;
use std::net::{TcpListener, TcpStream};

use mycelium_contracts::generated::{AnyMessage, LargeMessage, PoolStateUpdate, SwapEvent, services};
use mycelium_contracts::runtime::{
    Address, DecodeErrorKind, FrameError, FrameHeader, FrameReader, FrameWriter, InlineString, InlineVec, Message, U256,
};

use crate::counting::allocations_during;
use crate::mock::block_on;

fn swap(i: u64) -> SwapEvent {
    SwapEvent { pool_address: Address([i as u8; 20]), amount_in: U256::from(i), amount_out: U256::from(i * 2) }
}

fn update(i: u64) -> PoolStateUpdate {
    PoolStateUpdate {
        pool_address: Address([1; 20]),
        reserves: [u128::from(i), 7],
        symbol: InlineString::try_from("WETH/USDC").unwrap(),
        ticks: InlineVec::try_from(&[-1, i as i32][..]).unwrap(),
    }
}

fn large(i: u64) -> LargeMessage {
    LargeMessage {
        block_number: i,
        timestamp_ns: i * 10,
        pools: InlineVec::try_from(&[Address([2; 20]); 24][..]).unwrap(),
        note: InlineString::try_from("snapshot").unwrap(),
        ..LargeMessage::default()
    }
}

#[test]
fn views_read_pooled_and_shared_frames_like_decode() {
    let mut wire = FrameWriter::new(Vec::new());
    block_on(async {
        wire.send(&swap(3)).await.unwrap();
        wire.send(&update(4)).await.unwrap();
        wire.send(&large(5)).await.unwrap();
        wire.flush().await.unwrap();
    });
    let wire = wire.into_inner();
    let pool = services::strategy_engine::buffer_pool();
    let mut reader = FrameReader::new(&wire[..], pool.clone()).with_limits(services::strategy_engine::frame_limits());

    let (t, payload) = block_on(reader.next_frame()).unwrap().unwrap();
    let v = SwapEvent::view(&payload).unwrap();
    assert_eq!((t, v.amount_out(), v.to_owned()), (SwapEvent::TYPE_ID, U256::from(6u64), swap(3)));
    drop(payload);

    let (t, payload) = block_on(reader.next_frame()).unwrap().unwrap();
    let shared = payload.freeze();
    let (a, b) = (shared.clone(), shared.clone());
    let first = std::thread::spawn(move || PoolStateUpdate::view(&a).unwrap().symbol().to_string());
    let second = std::thread::spawn(move || PoolStateUpdate::view(&b).unwrap().ticks().iter().sum::<i32>());
    assert_eq!((first.join().unwrap(), second.join().unwrap()), ("WETH/USDC".to_string(), 3));
    match services::strategy_engine::Inbound::view(t, &shared).unwrap() {
        services::strategy_engine::Inbound::PoolStateUpdate(v) => assert_eq!(v.to_owned(), update(4)),
        other => panic!("{other:?}"),
    }

    let (t, payload) = block_on(reader.next_frame()).unwrap().unwrap();
    let AnyMessage::LargeMessage(v) = AnyMessage::view(t, &payload).unwrap() else { panic!("type {t}") };
    assert_eq!((v.block_number(), v.pools().len(), v.note()), (5, 24, "snapshot"));
    assert_eq!(LargeMessage::decode(&payload).unwrap(), v.to_owned());
    drop((payload, shared));
    assert!(pool.stats().iter().all(|s| s.buffers_out == 0));
}

#[test]
fn a_service_reader_refuses_foreign_frame_types_before_allocating() {
    let mut wire = FrameWriter::new(Vec::new());
    block_on(async {
        wire.send(&swap(1)).await.unwrap();
        wire.send(&large(1)).await.unwrap(); // not a message of polygon-adapter
        wire.flush().await.unwrap();
    });
    let wire = wire.into_inner();
    let pool = services::polygon_adapter::buffer_pool();
    let mut reader = FrameReader::new(&wire[..], pool.clone()).with_limits(services::polygon_adapter::frame_limits());
    let (t, payload) = block_on(reader.next_frame()).unwrap().unwrap();
    assert!(matches!(
        services::polygon_adapter::Inbound::view(t, &payload),
        Ok(services::polygon_adapter::Inbound::SwapEvent(_))
    ));
    drop(payload);
    let err = block_on(reader.next_frame()).unwrap_err();
    assert_eq!(FrameError::from_io(&err), Some(&FrameError::UnknownType { type_id: LargeMessage::TYPE_ID }));
    assert_eq!(pool.stats().iter().map(|s| s.misses).sum::<u64>(), 1, "only the first frame took a buffer");

    // The dispatch enum itself names the type and the service.
    let e = services::polygon_adapter::Inbound::view(LargeMessage::TYPE_ID, &[]).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id: 3, service: Some("polygon-adapter") });
    // Per-service limits are the buffer classes, so a longer payload of a newer minor version passes.
    assert_eq!(services::polygon_adapter::LIMITS, &[(1, 128), (2, 256)]);
}

#[test]
fn frame_writer_allocates_nothing_per_message() {
    let mut out = FrameWriter::with_capacity(16 * 1024, tokio::io::sink());
    let (m1, m2, m3) = (swap(1), update(2), large(3));
    block_on(async {
        out.send(&m1).await.unwrap();
        out.flush().await.unwrap();
    });
    let (allocs, ()) = allocations_during(|| {
        block_on(async {
            for _ in 0..3000 {
                out.send(&m1).await.unwrap();
                out.send(&m2).await.unwrap();
                out.send(&m3).await.unwrap();
                out.send_raw(9, b"raw").await.unwrap();
            }
            out.flush().await.unwrap();
        })
    });
    assert_eq!(allocs, 0, "allocations over 12,000 frames");
}

#[test]
fn views_allocate_nothing() {
    let mut buf = [0u8; 1024];
    let n = large(7).encode(&mut buf).unwrap();
    let (allocs, sum) = allocations_during(|| {
        let mut sum = 0u64;
        for _ in 0..1000 {
            let v = LargeMessage::view(&buf[..n]).unwrap();
            sum += v.block_number() + v.pools().len() as u64 + v.note().len() as u64;
            if let Ok(AnyMessage::LargeMessage(v)) = AnyMessage::view(3, &buf[..n]) {
                sum += v.timestamp_ns();
            }
        }
        sum
    });
    assert_eq!((allocs, sum), (0, 1000 * (7 + 24 + 8 + 70)));
}

const WARM: u64 = 1_000;
const MEASURED: u64 = 20_000;

/// Writer → loopback TCP → `FrameReader` with the service's limits and pool → `Inbound` view →
/// three fields read. Each side runs on its own thread and counts its own allocations over the
/// messages after a warm-up.
#[test]
fn end_to_end_allocates_nothing_per_message_on_both_sides() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let writer = std::thread::spawn(move || -> io::Result<u64> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
        rt.block_on(async {
            let socket = tokio::net::TcpStream::from_std({
                let s = TcpStream::connect(addr)?;
                s.set_nonblocking(true)?;
                s
            })?;
            let mut out = FrameWriter::new(socket);
            for i in 0..WARM {
                send_one(&mut out, i).await?;
            }
            let mut allocs = 0;
            for i in WARM..WARM + MEASURED {
                let (n, r) = count_async(send_one(&mut out, i)).await;
                allocs += n;
                r?;
            }
            out.flush().await?;
            Ok(allocs)
        })
    });
    let (socket, _) = listener.accept()?;
    socket.set_nonblocking(true)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    let (reader_allocs, sum) = rt.block_on(async {
        let socket = tokio::net::TcpStream::from_std(socket)?;
        use services::strategy_engine::{Inbound, buffer_pool, frame_limits};
        let mut reader = FrameReader::new(socket, buffer_pool()).with_limits(frame_limits());
        let mut sum = 0u64;
        let mut allocs = 0;
        let mut seen = 0u64;
        loop {
            let (n, next) = count_async(async {
                let Some((type_id, payload)) = reader.next_frame().await? else { return Ok::<_, io::Error>(false) };
                sum += match Inbound::view(type_id, &payload).map_err(io::Error::other)? {
                    Inbound::SwapEvent(v) => u64::from(v.pool_address().0[0]) + v.amount_in().to_le_bytes()[0] as u64,
                    Inbound::PoolStateUpdate(v) => v.reserves().get(0).unwrap_or(0) as u64 + v.ticks().len() as u64,
                    Inbound::LargeMessage(v) => v.block_number() + v.timestamp_ns() + v.pools().len() as u64,
                    Inbound::BookUpdate(v) => v.side().value() as u64 + v.levels().len() as u64,
                };
                Ok(true)
            })
            .await;
            if !next? {
                break;
            }
            if seen >= WARM {
                allocs += n;
            }
            seen += 1;
        }
        assert_eq!(seen, WARM + MEASURED);
        Ok::<_, io::Error>((allocs, sum))
    })?;
    let writer_allocs = writer.join().unwrap()?;
    assert!(sum > 0);
    assert_eq!((writer_allocs, reader_allocs), (0, 0), "allocations over {MEASURED} messages (writer, reader)");
    Ok(())
}

async fn send_one(out: &mut FrameWriter<tokio::net::TcpStream>, i: u64) -> io::Result<()> {
    match i % 3 {
        0 => out.send(&swap(i)).await,
        1 => out.send(&update(i)).await,
        _ => out.send(&large(i)).await,
    }
}

/// Allocations of this thread while `fut` is polled (to completion).
async fn count_async<F: std::future::Future>(fut: F) -> (u64, F::Output) {
    let mut fut = std::pin::pin!(fut);
    let mut total = 0;
    loop {
        let (n, poll) = std::future::poll_fn(|cx| {
            let (n, poll) = allocations_during(|| fut.as_mut().poll(cx));
            std::task::Poll::Ready((n, poll))
        })
        .await;
        total += n;
        match poll {
            std::task::Poll::Ready(out) => return (total, out),
            std::task::Poll::Pending => yield_pending().await,
        }
    }
}

/// Returns `Pending` once: the inner future registered its waker, so the task is woken.
async fn yield_pending() {
    let mut yielded = false;
    std::future::poll_fn(|_| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            std::task::Poll::Pending
        }
    })
    .await
}

#[cfg(feature = "codec")]
#[test]
fn the_tokio_util_encoder_writes_generated_messages_in_place() {
    use bytes::BytesMut;
    use mycelium_contracts::runtime::FrameCodec;
    use tokio_util::codec::{Decoder, Encoder};

    let mut codec = FrameCodec::new(services::strategy_engine::buffer_pool());
    let mut wire = BytesMut::with_capacity(4096);
    codec.encode(&swap(9), &mut wire).unwrap();
    codec.encode(&large(2), &mut wire).unwrap();
    assert_eq!(wire.len(), 2 * FrameHeader::LEN + SwapEvent::MAX_SIZE + LargeMessage::MAX_SIZE);
    let (t, p) = codec.decode(&mut wire).unwrap().unwrap();
    assert_eq!((t, SwapEvent::view(&p).unwrap().to_owned()), (1, swap(9)));
    let (t, p) = codec.decode(&mut wire).unwrap().unwrap();
    assert_eq!((t, LargeMessage::decode(&p).unwrap()), (3, large(2)));
    let (allocs, ()) = allocations_during(|| {
        for i in 0..20 {
            codec.encode(&swap(i), &mut wire).unwrap();
        }
        wire.clear();
    });
    assert_eq!(allocs, 0);
}

/// A stream that takes up to `per_poll` bytes, then answers `Pending` until `open` is set again.
struct Gate {
    bytes: Vec<u8>,
    per_poll: usize,
    open: bool,
}

impl tokio::io::AsyncWrite for Gate {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        if !self.open {
            return std::task::Poll::Pending;
        }
        let n = buf.len().min(self.per_poll);
        self.bytes.extend_from_slice(&buf[..n]);
        self.open = false;
        std::task::Poll::Ready(Ok(n))
    }
    fn poll_flush(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// A `send` dropped while the buffer is being written (as `tokio::select!` or a timeout would)
/// did not queue its message and lost nothing queued before; a `flush` dropped midway continues.
#[test]
fn a_cancelled_send_or_flush_loses_nothing_and_queues_nothing() {
    use crate::mock::poll_once;

    let frame = 6 + SwapEvent::MAX_SIZE;
    let mut out = FrameWriter::with_capacity(2 * frame, Gate { bytes: Vec::new(), per_poll: 50, open: false });
    block_on(out.send(&swap(1))).unwrap();
    block_on(out.send(&swap(2))).unwrap();
    // The buffer is full: the third send must write, and the stream takes 50 bytes, then blocks.
    out.get_mut().open = true;
    let third_message = swap(3);
    {
        let mut third = Box::pin(out.send(&third_message));
        assert!(poll_once(&mut third).is_pending());
    } // dropped
    assert_eq!(out.get_ref().bytes.len(), 50);
    assert_eq!(out.buffered().len(), 2 * frame - 50, "the rest of both frames is still queued");
    {
        out.get_mut().open = true;
        let mut flush = Box::pin(out.flush());
        assert!(poll_once(&mut flush).is_pending());
    } // dropped midway too
    out.get_mut().per_poll = usize::MAX;
    // The stream now takes everything in one write, then blocks: poll until the buffer is empty.
    while !out.buffered().is_empty() {
        out.get_mut().open = true;
        let mut flush = Box::pin(out.flush());
        let _ = poll_once(&mut flush);
    }
    let wire = std::mem::take(&mut out.get_mut().bytes);
    assert_eq!(wire.len(), 2 * frame);
    for (i, chunk) in wire.chunks(frame).enumerate() {
        assert_eq!(FrameHeader::decode(chunk[..6].try_into().unwrap()).type_id, SwapEvent::TYPE_ID);
        assert_eq!(SwapEvent::view(&chunk[6..]).unwrap().to_owned(), swap(i as u64 + 1));
    }
}
