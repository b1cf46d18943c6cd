//! Frame reading, side by side on the same bytes (`docs/benchmarks.md` describes the method):
//!
//! * (a) `a-naive`: a straightforward reader, per frame a header `Vec`, a payload `Vec` and a third
//!   `Vec` the two are copied into (3 allocations + 1 copy);
//! * (b) `b-mutex-pool`: a straightforward pool, `Mutex<HashMap<usize, Vec<Vec<u8>>>>`, each
//!   buffer holding an `Arc` of the pool;
//! * (c) `c-framed-read`: tokio-util `FramedRead` + `LengthDelimitedCodec` (configured for this wire format);
//! * (d) `d-floor`: one reused buffer, copy only;
//! * (e) `e-read-frame-pooled`: `read_frame_pooled`;
//! * (f) `f-frame-reader`: `FrameReader`.
//!
//! Groups: `memory` (an in-memory reader that replays a block of frames; one consumer),
//! `memory-3-consumers` (each frame shared with three consumers), `tcp` (loopback TCP, the
//! writer on another thread; `+bufreader` wraps the reader in tokio's `BufReader`; timed by the
//! reading thread's CPU time), `tcp-wall` (variants (a)+`BufReader` and (f) of `tcp`, by wall-clock time) and
//! `pool` (acquire + drop, through the thread cache and through the shared list alone). Every iteration is one frame (or one acquire + drop). Ratios:
//! `python3 benches/report.py`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::hint::black_box;
use std::io::{self, Write};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use mycelium_contracts::runtime::{BufferPool, FrameReader, PooledBuffer, read_frame_pooled, write_frame};
use tokio::io::{AsyncRead, AsyncReadExt, BufReader, ReadBuf};
use tokio_util::codec::{FramedRead, LengthDelimitedCodec};

const SIZES: [usize; 3] = [84, 180, 800];
/// Frames in the replayed block.
const BLOCK: usize = 1024;
/// Bytes per `write` of the TCP writer thread.
const WRITE_CHUNK: usize = 64 * 1024;

// ----- shared helpers -----

fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn block(size: usize) -> Arc<[u8]> {
    let payload: Vec<u8> = (0..size).map(|i| i as u8).collect();
    let mut out = Vec::new();
    for i in 0..BLOCK {
        block_on(write_frame(&mut out, (i % 3 + 1) as u16, &payload)).unwrap();
    }
    out.into()
}

/// An in-memory reader that replays a block of frames forever (never `Pending`).
struct Replay {
    data: Arc<[u8]>,
    pos: usize,
}

impl AsyncRead for Replay {
    fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let n = (self.data.len() - self.pos).min(buf.remaining());
        let pos = self.pos;
        buf.put_slice(&self.data[pos..pos + n]);
        self.pos = if pos + n == self.data.len() { 0 } else { pos + n };
        Poll::Ready(Ok(()))
    }
}

fn spec_pool() -> BufferPool {
    BufferPool::builder().with_size_class(128, 1024).with_size_class(256, 512).with_size_class(1024, 128).build()
}

fn spec_codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .length_field_offset(2)
        .length_field_length(4)
        .length_adjustment(6)
        .num_skip(0)
        .little_endian()
        .new_codec()
}

// ----- (a) a naive reader -----

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

// ----- (b) a mutex-guarded pool -----

#[derive(Default)]
struct MutexPool {
    buffers: Mutex<HashMap<usize, Vec<Vec<u8>>>>,
}

struct MutexBuffer {
    buf: Vec<u8>,
    class: usize,
    pool: Arc<MutexPool>,
}

impl MutexPool {
    fn acquire(self: &Arc<Self>, len: usize) -> MutexBuffer {
        let class = len.max(128).next_power_of_two();
        let buf = self.buffers.lock().unwrap().entry(class).or_default().pop();
        let mut buf = buf.unwrap_or_else(|| Vec::with_capacity(class));
        buf.clear();
        buf.resize(len, 0);
        MutexBuffer { buf, class, pool: Arc::clone(self) }
    }
}

impl Drop for MutexBuffer {
    fn drop(&mut self) {
        let capacity = (131_072 / self.class).max(1);
        let mut map = self.pool.buffers.lock().unwrap();
        let list = map.entry(self.class).or_default();
        if list.len() < capacity {
            list.push(std::mem::take(&mut self.buf));
        }
    }
}

async fn mutex_pool_frame<R: AsyncRead + Unpin>(r: &mut R, pool: &Arc<MutexPool>) -> io::Result<MutexBuffer> {
    let mut header = [0u8; 6];
    r.read_exact(&mut header).await?;
    let len = u32::from_le_bytes([header[2], header[3], header[4], header[5]]) as usize;
    let mut buf = pool.acquire(len);
    r.read_exact(&mut buf.buf).await?;
    Ok(buf)
}

// ----- (d) the floor -----

async fn floor_frame<'a, R: AsyncRead + Unpin>(r: &mut R, buf: &'a mut [u8]) -> io::Result<&'a [u8]> {
    let mut header = [0u8; 6];
    r.read_exact(&mut header).await?;
    let len = u32::from_le_bytes([header[2], header[3], header[4], header[5]]) as usize;
    r.read_exact(&mut buf[..len]).await?;
    Ok(&buf[..len])
}

// ----- clocks -----

/// What a benchmark's time is: wall-clock time, or the CPU time of the reading thread (user and
/// system), which leaves out the time it waits for the writer thread or for a core.
#[derive(Clone, Copy, PartialEq)]
enum Clock {
    Wall,
    ReaderCpu,
}

impl Clock {
    fn now(self) -> Duration {
        match self {
            Clock::Wall => EPOCH.with(|epoch| epoch.elapsed()),
            Clock::ReaderCpu => {
                let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
                // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of libc.
                let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
                assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
                Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
            }
        }
    }
}

thread_local! {
    static EPOCH: Instant = Instant::now();
}

// ----- the variants, generic over the reader -----

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Naive,
    MutexPool,
    FramedRead,
    Floor,
    ReadFramePooled,
    FrameReader,
}

impl Variant {
    const ALL: [Variant; 6] = [
        Variant::Naive,
        Variant::MutexPool,
        Variant::FramedRead,
        Variant::Floor,
        Variant::ReadFramePooled,
        Variant::FrameReader,
    ];

    fn name(self) -> &'static str {
        match self {
            Variant::Naive => "a-naive",
            Variant::MutexPool => "b-mutex-pool",
            Variant::FramedRead => "c-framed-read",
            Variant::Floor => "d-floor",
            Variant::ReadFramePooled => "e-read-frame-pooled",
            Variant::FrameReader => "f-frame-reader",
        }
    }
}

/// Reads `iters` frames with `variant`, handing each to `consumers` consumers, and returns the
/// time taken. One consumer reads the frame; more share it (clone the handle, read, drop).
async fn run<R: AsyncRead + Unpin>(variant: Variant, mut r: R, iters: u64, consumers: usize, clock: Clock) -> Duration {
    fn consume(bytes: &[u8]) {
        black_box(bytes[bytes.len() - 1]);
    }
    match variant {
        Variant::Naive => {
            let start = clock.now();
            for _ in 0..iters {
                let frame = naive_frame(&mut r).await.unwrap();
                if consumers == 1 {
                    consume(&frame);
                } else {
                    let shared = Arc::new(frame);
                    for _ in 0..consumers {
                        consume(&black_box(Arc::clone(&shared)));
                    }
                }
            }
            clock.now() - start
        }
        Variant::MutexPool => {
            let pool = Arc::new(MutexPool::default());
            let start = clock.now();
            for _ in 0..iters {
                let buf = mutex_pool_frame(&mut r, &pool).await.unwrap();
                if consumers == 1 {
                    consume(&buf.buf);
                } else {
                    let shared = Arc::new(buf);
                    for _ in 0..consumers {
                        consume(&black_box(Arc::clone(&shared)).buf);
                    }
                }
            }
            clock.now() - start
        }
        Variant::FramedRead => {
            let mut framed = FramedRead::new(r, spec_codec());
            let start = clock.now();
            for _ in 0..iters {
                let frame = framed.next().await.unwrap().unwrap();
                if consumers == 1 {
                    consume(&frame);
                } else {
                    let shared: Bytes = frame.freeze();
                    for _ in 0..consumers {
                        consume(&black_box(shared.clone()));
                    }
                }
            }
            clock.now() - start
        }
        Variant::Floor => {
            let mut buf = vec![0u8; 1024];
            let start = clock.now();
            for _ in 0..iters {
                let frame = floor_frame(&mut r, &mut buf).await.unwrap();
                if consumers == 1 {
                    consume(frame);
                } else {
                    for _ in 0..consumers {
                        consume(black_box(frame));
                    }
                }
            }
            clock.now() - start
        }
        Variant::ReadFramePooled => {
            let pool = spec_pool();
            let start = clock.now();
            for _ in 0..iters {
                let (_, payload) = read_frame_pooled(&mut r, &pool).await.unwrap().unwrap();
                share(payload, consumers, consume);
            }
            clock.now() - start
        }
        Variant::FrameReader => {
            let mut reader = FrameReader::new(r, spec_pool());
            let start = clock.now();
            for _ in 0..iters {
                let (_, payload) = reader.next_frame().await.unwrap().unwrap();
                share(payload, consumers, consume);
            }
            clock.now() - start
        }
    }
}

fn share(payload: PooledBuffer, consumers: usize, consume: fn(&[u8])) {
    if consumers == 1 {
        consume(&payload);
    } else {
        let shared = payload.freeze();
        for _ in 0..consumers {
            consume(&black_box(shared.clone()));
        }
    }
}

// ----- benchmarks -----

fn memory(c: &mut Criterion) {
    for (group_name, consumers, sizes) in [("memory", 1, &SIZES[..]), ("memory-3-consumers", 3, &SIZES[..1])] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(1));
        for &size in sizes {
            let data = block(size);
            for variant in Variant::ALL {
                group.bench_with_input(BenchmarkId::new(variant.name(), size), &size, |b, _| {
                    b.iter_custom(|iters| {
                        let reader = Replay { data: Arc::clone(&data), pos: 0 };
                        block_on(run(variant, reader, iters, consumers, Clock::Wall))
                    })
                });
            }
        }
        group.finish();
    }
}

fn tcp(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let listener = rt.block_on(async { tokio::net::TcpListener::from_std(listener) }).unwrap();
    let all: &[(&str, Variant, bool)] = &[
        ("a-naive", Variant::Naive, false),
        ("a-naive+bufreader", Variant::Naive, true),
        ("b-mutex-pool+bufreader", Variant::MutexPool, true),
        ("c-framed-read", Variant::FramedRead, false),
        ("d-floor+bufreader", Variant::Floor, true),
        ("e-read-frame-pooled", Variant::ReadFramePooled, false),
        ("e-read-frame-pooled+bufreader", Variant::ReadFramePooled, true),
        ("f-frame-reader", Variant::FrameReader, false),
    ];
    // `tcp`: the reading thread's CPU time, the reader's own cost per frame (system calls
    // included). `tcp-wall`: wall-clock time of (a)+`BufReader` and (f), which also counts waiting for
    // the writer thread and for a core (2 cores shared with other work on the bench machine).
    for (group_name, clock, cases) in [("tcp", Clock::ReaderCpu, all), ("tcp-wall", Clock::Wall, &[all[1], all[7]])] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(1));
        for size in SIZES {
            let data = block(size);
            let frame_len = 6 + size;
            for &(name, variant, buffered) in cases {
                group.bench_with_input(BenchmarkId::new(name, size), &size, |b, _| {
                    b.iter_custom(|iters| {
                        let data = Arc::clone(&data);
                        let writer = std::thread::spawn(move || {
                            // The stream is encoded once (`block`): the writer only copies it into
                            // the socket in 64 KiB chunks, cycling through the block, so frames
                            // straddle chunk boundaries and the writer costs well under the reader.
                            let mut stream = std::net::TcpStream::connect(addr).unwrap();
                            let mut left = iters as usize * frame_len;
                            let mut pos = 0;
                            while left > 0 {
                                let n = left.min(WRITE_CHUNK).min(data.len() - pos);
                                stream.write_all(&data[pos..pos + n]).unwrap();
                                pos = if pos + n == data.len() { 0 } else { pos + n };
                                left -= n;
                            }
                        });
                        let elapsed = rt.block_on(async {
                            let (stream, _) = listener.accept().await.unwrap();
                            if buffered {
                                run(variant, BufReader::new(stream), iters, 1, clock).await
                            } else {
                                run(variant, stream, iters, 1, clock).await
                            }
                        });
                        writer.join().unwrap();
                        elapsed
                    })
                });
            }
        }
        group.finish();
    }
}

/// A single-threaded `Vec` free list with the same service as the pool: a zeroed buffer of the
/// requested length, returned on drop.
struct VecFreeList {
    free: RefCell<Vec<Box<[u8]>>>,
}

struct VecBuffer<'a> {
    buf: Option<Box<[u8]>>,
    len: usize,
    list: &'a VecFreeList,
}

impl VecFreeList {
    fn acquire(&self, len: usize) -> VecBuffer<'_> {
        let mut buf = self.free.borrow_mut().pop().unwrap_or_else(|| vec![0u8; 128].into_boxed_slice());
        buf[..len].fill(0);
        VecBuffer { buf: Some(buf), len, list: self }
    }
}

impl Drop for VecBuffer<'_> {
    fn drop(&mut self) {
        let mut free = self.list.free.borrow_mut();
        if free.len() < 1024 {
            free.push(self.buf.take().unwrap());
        }
    }
}

fn pool(c: &mut Criterion) {
    let mut group = c.benchmark_group("pool");
    group.throughput(Throughput::Elements(1));
    let pool = spec_pool();
    group.bench_function(BenchmarkId::new("buffer-pool", 84), |b| {
        b.iter(|| {
            let buf = pool.acquire(black_box(84)).unwrap();
            black_box(buf[83]);
        })
    });
    // A class under the thread cache's minimum capacity: every acquire and drop goes through the
    // shared lock-free list (one compare-and-swap each), which is what the cache saves.
    let shared_only = BufferPool::builder().with_size_class(128, 16).build();
    group.bench_function(BenchmarkId::new("buffer-pool-shared-list", 84), |b| {
        b.iter(|| {
            let buf = shared_only.acquire(black_box(84)).unwrap();
            black_box(buf[83]);
        })
    });
    let list = VecFreeList { free: RefCell::new(Vec::new()) };
    group.bench_function(BenchmarkId::new("vec-free-list", 84), |b| {
        b.iter(|| {
            let buf = list.acquire(black_box(84));
            black_box(buf.buf.as_ref().unwrap()[buf.len - 1]);
        })
    });
    // The same loop written inline, without a guard type: the cheapest single-threaded form.
    let mut free: Vec<Box<[u8]>> = Vec::new();
    group.bench_function(BenchmarkId::new("vec-free-list-inline", 84), |b| {
        b.iter(|| {
            let mut buf = free.pop().unwrap_or_else(|| vec![0u8; 128].into_boxed_slice());
            let len = black_box(84);
            buf[..len].fill(0);
            black_box(buf[len - 1]);
            free.push(buf);
        })
    });
    let mutex_pool = Arc::new(MutexPool::default());
    group.bench_function(BenchmarkId::new("b-mutex-pool", 84), |b| {
        b.iter(|| {
            let buf = mutex_pool.acquire(black_box(84));
            black_box(buf.buf[83]);
        })
    });
    group.bench_function(BenchmarkId::new("malloc", 84), |b| {
        b.iter(|| {
            let buf = vec![0u8; black_box(84)];
            black_box(buf[83]);
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = pool, memory, tcp
}
criterion_main!(benches);
