//! Typed access, side by side with its baselines in one run (see `docs/benchmarks-typed.md`):
//!
//! * `view-read-all/<message>`: every field of a bundled message read through its view
//!   (`b-view`, `view()` included), against hand-written `from_le_bytes` reads of the same fields
//!   at constant offsets from the same buffer (`a-hand-written`); `c-view-check-only` is `view()`
//!   alone, the one-time check;
//! * `large-3-fields`: `LargeMessage::view` + three fields (`b-view`) against `decode` by value +
//!   the same three fields (`a-decode`);
//! * `writer-tcp/84`: 84-byte `SwapEvent`s to loopback TCP, the writing thread's CPU time per
//!   message: encode into a stack buffer + `write_frame` per message (`a-write-frame`), tokio-util
//!   `FramedWrite` with the crate's `Encoder` (`b-framed-write`), `FrameWriter` (`c-frame-writer`);
//! * `end-to-end/<message>`: a `FrameWriter` thread → loopback TCP → the reading thread's CPU time
//!   per message: a naive reader (three `Vec`s per frame, behind a `BufReader`)
//!   and `decode` by value (`a-naive-decode`), against `FrameReader` with the service's limits and
//!   pool, the `Inbound` view and three fields read (`b-frame-reader-view`), and the floor: the
//!   same socket read into one reused buffer, nothing parsed (`c-floor-read-only`).
//!
//! Every iteration is one message. Ratios and the chart: `python3 benches/report_typed.py`.

use std::hint::black_box;
use std::io::{self, Read};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::SinkExt;
use mycelium_contracts::generated::services::strategy_engine;
use mycelium_contracts::generated::{LargeMessage, PoolStateUpdate, SwapEvent};
use mycelium_contracts::runtime::{FrameCodec, FrameReader, FrameWriter, Message, write_frame};
use tokio::io::{AsyncRead, AsyncReadExt, BufReader};
use tokio_util::codec::FramedWrite;

#[path = "support/typed_reads.rs"]
mod reads;
use reads::{
    check_large, check_swap, check_update, decode_large_3, encoded, hand_large, hand_swap, hand_update, large, swap,
    update, view_large, view_large_3, view_swap, view_update,
};

/// This thread's CPU time.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn views(c: &mut Criterion) {
    let mut group = c.benchmark_group("view-read-all");
    group.throughput(Throughput::Elements(1));
    type Read = fn(&[u8]);
    let cases: [(&str, Vec<u8>, Read, Read, Read); 3] = [
        ("SwapEvent", encoded(&swap()), hand_swap, view_swap, check_swap),
        ("PoolStateUpdate", encoded(&update()), hand_update, view_update, check_update),
        ("LargeMessage", encoded(&large()), hand_large, view_large, check_large),
    ];
    for (name, payload, hand, view, check) in &cases {
        group.bench_function(BenchmarkId::new("a-hand-written", name), |b| b.iter(|| hand(black_box(payload))));
        group.bench_function(BenchmarkId::new("b-view", name), |b| b.iter(|| view(black_box(payload))));
        group.bench_function(BenchmarkId::new("c-view-check-only", name), |b| b.iter(|| check(black_box(payload))));
    }
    group.finish();

    let mut group = c.benchmark_group("large-3-fields");
    group.throughput(Throughput::Elements(1));
    let payload = encoded(&large());
    group.bench_function(BenchmarkId::new("a-decode", "LargeMessage"), |b| {
        b.iter(|| decode_large_3(black_box(&payload)))
    });
    group.bench_function(BenchmarkId::new("b-view", "LargeMessage"), |b| b.iter(|| view_large_3(black_box(&payload))));
    group.finish();
}

// ----- writing to loopback TCP -----

/// A loopback connection whose other end a thread drains; returns the writing end.
fn drained_socket() -> (std::net::TcpStream, std::thread::JoinHandle<u64>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let writer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut reader, _) = listener.accept().unwrap();
    let drain = std::thread::spawn(move || {
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0u64;
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => return total,
                Ok(n) => total += n as u64,
            }
        }
    });
    (writer, drain)
}

#[derive(Clone, Copy)]
enum Sender {
    WriteFrame,
    FramedWrite,
    FrameWriter,
}

fn write_messages(kind: Sender, iters: u64) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let (socket, drain) = drained_socket();
    socket.set_nonblocking(true).unwrap();
    let msg = swap();
    let elapsed = rt.block_on(async {
        let socket = tokio::net::TcpStream::from_std(socket).unwrap();
        match kind {
            Sender::WriteFrame => {
                let mut socket = socket;
                let start = thread_cpu();
                for _ in 0..iters {
                    let mut buf = [0u8; SwapEvent::MAX_SIZE];
                    let n = black_box(&msg).encode(&mut buf).unwrap();
                    write_frame(&mut socket, SwapEvent::TYPE_ID, &buf[..n]).await.unwrap();
                }
                thread_cpu() - start
            }
            Sender::FramedWrite => {
                let mut framed = FramedWrite::new(socket, FrameCodec::new(strategy_engine::buffer_pool()));
                let start = thread_cpu();
                for _ in 0..iters {
                    framed.feed(black_box(&msg)).await.unwrap();
                }
                // The codec encodes several item types: name the one this sink takes.
                SinkExt::<&SwapEvent>::flush(&mut framed).await.unwrap();
                thread_cpu() - start
            }
            Sender::FrameWriter => {
                let mut out = FrameWriter::new(socket);
                let start = thread_cpu();
                for _ in 0..iters {
                    out.send(black_box(&msg)).await.unwrap();
                }
                out.flush().await.unwrap();
                thread_cpu() - start
            }
        }
    });
    assert_eq!(drain.join().unwrap(), iters * (6 + SwapEvent::MAX_SIZE as u64));
    elapsed
}

fn writer(c: &mut Criterion) {
    let mut group = c.benchmark_group("writer-tcp");
    group.throughput(Throughput::Elements(1));
    for (name, kind) in [
        ("a-write-frame", Sender::WriteFrame),
        ("b-framed-write", Sender::FramedWrite),
        ("c-frame-writer", Sender::FrameWriter),
    ] {
        group.bench_function(BenchmarkId::new(name, 84), |b| b.iter_custom(|iters| write_messages(kind, iters)));
    }
    group.finish();
}

// ----- end to end -----

/// A naive reader: a header `Vec`, a payload `Vec`, and a third `Vec` both are copied into.
async fn naive_frame<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut header = vec![0u8; 6];
    r.read_exact(&mut header).await?;
    let len = u32::from_le_bytes([header[2], header[3], header[4], header[5]]) as usize;
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload).await?;
    let mut frame = Vec::with_capacity(6 + len);
    frame.extend_from_slice(&header);
    frame.extend_from_slice(&payload);
    Ok(frame)
}

#[derive(Clone, Copy)]
enum Reader {
    NaiveDecode,
    FrameReaderView,
    Floor,
}

fn read_messages(kind: Reader, message: u16, iters: u64) -> Duration {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let writer = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
        rt.block_on(async {
            let mut out = FrameWriter::new(tokio::net::TcpStream::connect(addr).await.unwrap());
            let (s, u, l) = (swap(), update(), large());
            for _ in 0..iters {
                match message {
                    1 => out.send(&s).await.unwrap(),
                    2 => out.send(&u).await.unwrap(),
                    _ => out.send(&l).await.unwrap(),
                }
            }
            out.flush().await.unwrap();
        })
    });
    let (socket, _) = listener.accept().unwrap();
    socket.set_nonblocking(true).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let elapsed = rt.block_on(async {
        let socket = tokio::net::TcpStream::from_std(socket).unwrap();
        match kind {
            Reader::NaiveDecode => {
                let mut r = BufReader::new(socket);
                let start = thread_cpu();
                for _ in 0..iters {
                    let frame = naive_frame(&mut r).await.unwrap();
                    let type_id = u16::from_le_bytes([frame[0], frame[1]]);
                    let payload = &frame[6..];
                    match type_id {
                        1 => {
                            let m = SwapEvent::decode(payload).unwrap();
                            black_box((m.pool_address, m.amount_in, m.amount_out));
                        }
                        2 => {
                            let m = PoolStateUpdate::decode(payload).unwrap();
                            black_box((m.reserves[0], m.ticks.len(), m.symbol.len()));
                        }
                        _ => {
                            let m = LargeMessage::decode(payload).unwrap();
                            black_box((m.block_number, m.timestamp_ns, m.reserves[0]));
                        }
                    }
                }
                thread_cpu() - start
            }
            Reader::Floor => {
                let mut socket = socket;
                let mut buf = vec![0u8; 64 * 1024];
                let frame_len = 6 + [SwapEvent::MAX_SIZE, PoolStateUpdate::MAX_SIZE, LargeMessage::MAX_SIZE]
                    [usize::from(message.clamp(1, 3)) - 1] as u64;
                let (total, mut got) = (iters * frame_len, 0);
                let start = thread_cpu();
                while got < total {
                    let n = socket.read(&mut buf).await.unwrap();
                    assert!(n > 0, "the writer stopped early");
                    black_box(&buf[..n]);
                    got += n as u64;
                }
                thread_cpu() - start
            }
            Reader::FrameReaderView => {
                use strategy_engine::{Inbound, buffer_pool, frame_limits};
                let mut reader = FrameReader::new(socket, buffer_pool()).with_limits(frame_limits());
                let start = thread_cpu();
                for _ in 0..iters {
                    let (type_id, payload) = reader.next_frame().await.unwrap().unwrap();
                    match Inbound::view(type_id, &payload).unwrap() {
                        Inbound::SwapEvent(v) => {
                            black_box((v.pool_address(), v.amount_in(), v.amount_out()));
                        }
                        Inbound::PoolStateUpdate(v) => {
                            black_box((v.reserves().get(0), v.ticks().len(), v.symbol().len()));
                        }
                        Inbound::LargeMessage(v) => {
                            black_box((v.block_number(), v.timestamp_ns(), v.reserves().get(0)));
                        }
                        Inbound::BookUpdate(v) => {
                            black_box((v.pool_address(), v.side(), v.levels().len()));
                        }
                    }
                }
                thread_cpu() - start
            }
        }
    });
    writer.join().unwrap();
    elapsed
}

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("end-to-end");
    group.throughput(Throughput::Elements(1));
    for (message, name) in [(1u16, "SwapEvent"), (2, "PoolStateUpdate"), (3, "LargeMessage")] {
        for (variant, kind) in [
            ("a-naive-decode", Reader::NaiveDecode),
            ("b-frame-reader-view", Reader::FrameReaderView),
            ("c-floor-read-only", Reader::Floor),
        ] {
            group.bench_function(BenchmarkId::new(variant, name), |b| {
                b.iter_custom(|iters| read_messages(kind, message, iters))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = views, writer, end_to_end
}
criterion_main!(benches);
