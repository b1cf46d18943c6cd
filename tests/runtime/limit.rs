//! Pool exhaustion and backpressure: the per-class limit of buffers out and its policies under
//! load (threads, a multi-thread tokio runtime, loopback TCP), the readers' behaviour at the
//! limit, cancellation while waiting, and the last pool handle dropping while a reader waits.
//!
//! The `tokio::time::timeout`s below are deadlock guards (generous, never reached in a healthy
//! run), not speed assertions.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mycelium_contracts::runtime::{
    BufferPool, FrameError, FrameReader, LimitPolicy, PoolErrorKind, PooledBuffer, read_frame_pooled, write_frame,
};

/// Counts buffers held by the test right now and the most ever held at once.
#[derive(Default)]
struct Observed {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Observed {
    fn hold(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }

    fn release(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }

    fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

/// A buffer the test holds, counted in `Observed` until dropped (the count drops before the
/// buffer returns, so the observed figure never exceeds the pool's real one).
struct Held<'a>(Option<PooledBuffer>, &'a Observed);

impl<'a> Held<'a> {
    fn new(buf: PooledBuffer, observed: &'a Observed) -> Self {
        observed.hold();
        Held(Some(buf), observed)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.1.release();
        drop(self.0.take());
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn frame(seq: u32) -> (u16, Vec<u8>) {
    // 8 to 127 bytes: sequence number, then bytes derived from it.
    let len = 8 + (seq as usize * 37) % 120;
    let mut payload = vec![0u8; len];
    payload[..4].copy_from_slice(&seq.to_le_bytes());
    for (i, b) in payload.iter_mut().enumerate().skip(4) {
        *b = (seq as usize).wrapping_mul(31).wrapping_add(i) as u8;
    }
    ((seq % 3) as u16 + 1, payload)
}

async fn wire(frames: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Vec::new();
    for seq in frames {
        let (t, p) = frame(seq);
        write_frame(&mut out, t, &p).await.unwrap();
    }
    out
}

fn check(seq: u32, type_id: u16, payload: &[u8]) {
    let (t, p) = frame(seq);
    assert_eq!((type_id, payload), (t, &p[..]), "frame {seq}");
}

#[test]
fn error_limit_is_never_exceeded_by_four_threads() {
    const LIMIT: usize = 6;
    let pool = BufferPool::builder().with_size_class(128, 4).with_class_limit(128, LIMIT, LimitPolicy::Error).build();
    let observed = Observed::default();
    let refused = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for t in 0..4 {
            let (pool, observed, refused) = (&pool, &observed, &refused);
            s.spawn(move || {
                let mut held: Vec<Held<'_>> = Vec::new();
                for i in 0..100_000usize {
                    // Hold up to three buffers per thread: twelve wanted, six allowed.
                    if held.len() == 3 || (!held.is_empty() && (i + t) % 5 == 0) {
                        held.remove(0);
                    }
                    match pool.acquire(1 + i % 128) {
                        Ok(buf) => held.push(Held::new(buf, observed)),
                        Err(err) => {
                            assert!(matches!(err.kind, PoolErrorKind::AtLimit { class: 128, limit: LIMIT, .. }));
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    let s = pool.stats()[0];
    eprintln!("error policy, 4 threads x 100k: {s:?}, observed max {}", observed.max());
    assert!(observed.max() <= LIMIT && s.peak_out <= LIMIT as u64, "{s:?}");
    assert_eq!(s.refusals, refused.load(Ordering::Relaxed) as u64);
    assert!(s.refusals > 0, "the load never reached the limit: {s:?}");
    assert_eq!((s.buffers_out, s.waiting), (0, 0));
    assert!(s.idle <= s.capacity);
}

#[test]
fn allocate_limit_serves_everything_and_counts_the_excess() {
    let pool = BufferPool::builder().with_size_class(128, 4).with_limit(2, LimitPolicy::Allocate).build();
    let observed = Observed::default();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let (pool, observed) = (&pool, &observed);
            s.spawn(move || {
                for _ in 0..100_000 {
                    let a = Held::new(pool.acquire(8).unwrap(), observed);
                    let b = Held::new(pool.acquire(8).unwrap(), observed);
                    drop((a, b));
                }
            });
        }
    });
    let s = pool.stats()[0];
    eprintln!("allocate policy, 4 threads x 100k: {s:?}");
    assert_eq!(s.hits + s.misses, 800_000);
    assert!(s.peak_out as usize >= observed.max());
    assert!(s.peak_out <= 8 && (s.over_limit > 0) == (s.peak_out > 2), "{s:?}");
    assert_eq!((s.buffers_out, s.refusals, s.waits), (0, 0, 0));
}

#[test]
fn wait_limit_under_load_on_a_multi_thread_runtime() {
    const LIMIT: usize = 8;
    const PRODUCERS: usize = 32;
    const PER_PRODUCER: usize = 2_000;
    let pool = BufferPool::builder().with_size_class(128, 16).with_limit(LIMIT, LimitPolicy::Wait).build();
    let observed = Arc::new(Observed::default());
    let rt = runtime();
    let received = rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::channel::<(usize, PooledBuffer)>(1024);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let consumers: Vec<_> = (0..4)
            .map(|_| {
                let (rx, observed) = (rx.clone(), observed.clone());
                tokio::spawn(async move {
                    let mut got = 0usize;
                    loop {
                        let next = rx.lock().await.recv().await;
                        let Some((producer, buf)) = next else { return got };
                        assert_eq!(buf[0] as usize, producer);
                        got += 1;
                        if got.is_multiple_of(16) {
                            tokio::task::yield_now().await; // a slow consumer now and then
                        }
                        observed.release();
                        drop(buf);
                    }
                })
            })
            .collect();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let (pool, tx, observed) = (pool.clone(), tx.clone(), observed.clone());
                tokio::spawn(async move {
                    for _ in 0..PER_PRODUCER {
                        let mut buf = pool.acquire_async(16).await.unwrap();
                        observed.hold();
                        buf[0] = p as u8;
                        tx.send((p, buf)).await.unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let all = async {
            for p in producers {
                p.await.unwrap();
            }
            let mut received = 0;
            for c in consumers {
                received += c.await.unwrap();
            }
            received
        };
        tokio::time::timeout(Duration::from_secs(120), all).await.expect("deadlock: producers or consumers stuck")
    });
    let s = pool.stats()[0];
    eprintln!("wait policy, {PRODUCERS} producers x {PER_PRODUCER}, 4 consumers: {s:?}");
    assert_eq!(received, PRODUCERS * PER_PRODUCER);
    assert!(observed.max() <= LIMIT && s.peak_out <= LIMIT as u64, "{s:?}");
    assert!(s.waits > 0, "no producer ever waited: {s:?}");
    assert_eq!((s.buffers_out, s.waiting), (0, 0));
    assert!(s.idle <= s.capacity);
    // Returns go straight to waiters or to the list, which has room for all of them, so the class
    // allocates about its limit of buffers: a release gives its place back just before its slot
    // reaches the list, so an acquisition in that window allocates one more (at most one per
    // thread releasing at that moment: two workers and the test thread).
    assert!(s.misses <= LIMIT as u64 + 3, "{s:?}");
}

#[test]
fn tcp_backpressure_with_a_slow_consumer() {
    const LIMIT: usize = 4;
    const FRAMES: u32 = 20_000;
    let pool = BufferPool::builder().with_size_class(128, 8).with_limit(LIMIT, LimitPolicy::Wait).build();
    let rt = runtime();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let writer = tokio::spawn(async move {
            let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
            let bytes = wire(0..FRAMES).await;
            for chunk in bytes.chunks(4096) {
                tokio::io::AsyncWriteExt::write_all(&mut socket, chunk).await.unwrap();
            }
        });
        let (socket, _) = listener.accept().await.unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u16, PooledBuffer)>();
        let reader_pool = pool.clone();
        let reader = tokio::spawn(async move {
            let mut frames = FrameReader::new(socket, reader_pool);
            let mut n = 0u32;
            while let Some(frame) = frames.next_frame().await.unwrap() {
                tx.send(frame).unwrap();
                n += 1;
            }
            n
        });
        // The consumer first holds everything the reader hands over: the reader must stop at the
        // limit and wait, with the next frame left in its buffer.
        let mut held = Vec::new();
        let stuck = async {
            loop {
                while let Ok(frame) = rx.try_recv() {
                    held.push(frame);
                }
                if pool.stats()[0].waiting == 1 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), stuck).await.expect("the reader never waited");
        while let Ok(frame) = rx.try_recv() {
            held.push(frame);
        }
        assert_eq!(held.len(), LIMIT, "the reader handed out more than the limit");
        assert_eq!(pool.stats()[0].buffers_out, LIMIT as u64);
        let mut seq = 0u32;
        for (t, p) in held.drain(..) {
            check(seq, t, &p);
            seq += 1;
        }
        // Then a slow consumer: the reader never has more than the limit out, every frame
        // arrives intact and in order.
        let drain = async {
            while let Some((t, p)) = rx.recv().await {
                check(seq, t, &p);
                assert!(pool.stats()[0].buffers_out <= LIMIT as u64);
                seq += 1;
                if seq.is_multiple_of(1000) {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(120), drain).await.expect("deadlock");
        assert_eq!(seq, FRAMES);
        assert_eq!(reader.await.unwrap(), FRAMES);
        writer.await.unwrap();
    });
    let s = pool.stats()[0];
    eprintln!("tcp backpressure, {FRAMES} frames, limit {LIMIT}: {s:?}");
    assert!(s.peak_out <= LIMIT as u64 && s.waits > 0, "{s:?}");
    assert_eq!((s.buffers_out, s.waiting), (0, 0));
    assert!(s.misses <= LIMIT as u64 + 3, "{s:?}"); // as in the test above
}

#[test]
fn next_frame_waiting_is_cancel_safe() {
    let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, LimitPolicy::Wait).build();
    let rt = runtime();
    rt.block_on(async {
        let bytes = wire(0..50).await;
        let mut reader = FrameReader::with_capacity(0, &bytes[..], pool.clone());
        let (t, first) = reader.next_frame().await.unwrap().unwrap();
        check(0, t, &first);
        for _ in 0..5 {
            tokio::select! {
                frame = reader.next_frame() => panic!("got {frame:?} while the only buffer is out"),
                () = tokio::time::sleep(Duration::from_millis(5)) => {}
            }
            // The dropped call left the queue, and the frame is still buffered.
            assert_eq!(pool.stats()[0].waiting, 0);
            assert!(reader.buffered().len() >= 6 + frame(1).1.len());
        }
        // A waiting call completes once the buffer comes back from another task.
        let returner = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            drop(first);
        });
        let mut seq = 1;
        while let Some((t, p)) = reader.next_frame().await.unwrap() {
            check(seq, t, &p);
            seq += 1;
        }
        assert_eq!(seq, 50);
        returner.await.unwrap();
    });
    let s = pool.stats()[0];
    assert!(s.waits >= 6, "{s:?}");
    assert_eq!((s.buffers_out, s.waiting, s.peak_out), (0, 0, 1));
}

#[test]
fn error_policy_in_the_readers() {
    let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, LimitPolicy::Error).build();
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let bytes = wire(0..3).await;
        // FrameReader: a clear error, the frame stays buffered, and reading resumes once a buffer
        // is back.
        let mut reader = FrameReader::new(&bytes[..], pool.clone());
        let (t, first) = reader.next_frame().await.unwrap().unwrap();
        check(0, t, &first);
        let buffered = reader.buffered().len();
        let err = reader.next_frame().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::QuotaExceeded);
        let len = frame(1).1.len();
        assert_eq!(
            FrameError::from_io(&err),
            Some(&FrameError::PoolLimit { type_id: frame(1).0, length: len, class: 128, limit: 1 })
        );
        assert_eq!(
            err.to_string(),
            format!(
                "no buffer for the {len}-byte payload of a frame of type 2: its pool class of 128 bytes has 1 buffers out, its limit"
            )
        );
        assert_eq!(reader.buffered().len(), buffered);
        drop(first);
        for seq in 1..3 {
            let (t, p) = reader.next_frame().await.unwrap().unwrap();
            check(seq, t, &p);
        }
        assert!(reader.next_frame().await.unwrap().is_none());

        // read_frame_pooled: the same error, but the header is consumed: the stream is left at
        // the start of the refused frame's payload.
        let held = pool.acquire(1).unwrap();
        let mut stream = &bytes[..];
        let err = read_frame_pooled(&mut stream, &pool).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::QuotaExceeded);
        assert_eq!(stream.len(), bytes.len() - 6);
        drop(held);
    });
    let s = pool.stats()[0];
    assert_eq!((s.refusals, s.buffers_out, s.peak_out), (2, 0, 1));
}

#[cfg(feature = "codec")]
#[test]
fn codec_at_the_limit_refuses_and_keeps_the_frame() {
    use bytes::BytesMut;
    use mycelium_contracts::runtime::FrameCodec;
    use tokio_util::codec::Decoder;

    for policy in [LimitPolicy::Error, LimitPolicy::Wait] {
        let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, policy).build();
        let bytes = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(wire(0..2));
        let mut src = BytesMut::from(&bytes[..]);
        let mut codec = FrameCodec::new(pool.clone());
        let (_, first) = codec.decode(&mut src).unwrap().unwrap();
        let left = src.len();
        let err = codec.decode(&mut src).unwrap_err();
        assert!(matches!(FrameError::from_io(&err), Some(FrameError::PoolLimit { limit: 1, .. })), "{policy:?}");
        assert_eq!(src.len(), left);
        drop(first);
        let (t, p) = codec.decode(&mut src).unwrap().unwrap();
        check(1, t, &p);
    }
}

#[test]
fn a_reader_keeps_waiting_when_every_other_pool_handle_drops() {
    let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, LimitPolicy::Wait).build();
    let rt = runtime();
    rt.block_on(async {
        let bytes = wire(0..3).await;
        let held = pool.acquire(1).unwrap();
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let mut reader = FrameReader::new(std::io::Cursor::new(bytes), pool.clone());
        let task = tokio::spawn(async move {
            let _ = started_tx.send(());
            let mut seq = 0;
            while let Some((t, p)) = reader.next_frame().await.unwrap() {
                check(seq, t, &p);
                seq += 1;
            }
            seq
            // The reader, now the last pool handle, drops here and closes the pool.
        });
        started_rx.await.unwrap();
        // Wait until the reader waits, then drop every handle but the reader's.
        let stats = pool.clone();
        tokio::time::timeout(Duration::from_secs(60), async {
            while stats.stats()[0].waiting == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("the reader never waited");
        drop(stats);
        drop(pool);
        // The buffer outlives the handles; its return wakes the reader.
        drop(held);
        let seq = tokio::time::timeout(Duration::from_secs(60), task).await.expect("reader stuck").unwrap();
        assert_eq!(seq, 3);
    });
}

#[test]
fn a_cancelled_waiter_and_the_last_handle_drop_cleanly() {
    let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, LimitPolicy::Wait).build();
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    rt.block_on(async {
        let held = pool.acquire(1).unwrap();
        let wait = pool.acquire_async(1);
        let timed_out = tokio::time::timeout(Duration::from_millis(5), wait).await;
        assert!(timed_out.is_err());
        assert_eq!(pool.stats()[0].waiting, 0);
        drop(pool); // the last handle: the pool closes with a buffer out
        drop(held); // freed, not kept
    });
}
