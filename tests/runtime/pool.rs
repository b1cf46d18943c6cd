//! The pool: capacity bound, statistics, panic and cross-thread return, concurrent integrity,
//! construction from a service's configuration.

use std::collections::VecDeque;
use std::sync::mpsc;

use mycelium_contracts::runtime::{BufferPool, ConfigError, PoolError, ServiceConfig, SizeClassConfig};

#[test]
fn spec_example() {
    let pool = BufferPool::builder().with_size_class(128, 1024).with_size_class(256, 512).build();
    let buf = pool.acquire(84).unwrap();
    assert_eq!(buf.len(), 84);
    assert_eq!(buf.capacity(), 128);
    drop(buf);
    assert_eq!(pool.acquire(300).unwrap_err(), PoolError::too_large(300, 256));
    assert_eq!(
        PoolError::too_large(300, 256).to_string(),
        "requested buffer of 300 bytes exceeds the pool's largest size class (256 bytes)"
    );
}

#[test]
fn capacity_bound_frees_extra_returns() {
    let pool = BufferPool::builder().with_size_class(128, 3).build();
    let held: Vec<_> = (0..10).map(|_| pool.acquire(128).unwrap()).collect();
    let s = pool.stats()[0];
    assert_eq!((s.misses, s.buffers_out, s.idle), (10, 10, 0));
    drop(held);
    let s = pool.stats()[0];
    assert_eq!((s.returns, s.frees_over_capacity, s.idle, s.buffers_out), (3, 7, 3, 0));
    // The three idle buffers serve the next three acquisitions; the fourth misses.
    let again: Vec<_> = (0..4).map(|_| pool.acquire(1).unwrap()).collect();
    let s = pool.stats()[0];
    assert_eq!((s.hits, s.misses, s.idle, s.buffers_out), (3, 11, 0, 4));
    drop(again);
}

#[test]
fn buffer_dropped_during_panic_returns() {
    let pool = BufferPool::builder().with_size_class(128, 4).build();
    let p = pool.clone();
    let result = std::panic::catch_unwind(move || {
        let mut buf = p.acquire(10).unwrap();
        buf[0] = 1;
        panic!("consumer failed");
    });
    assert!(result.is_err());
    let s = pool.stats()[0];
    assert_eq!((s.returns, s.idle, s.buffers_out), (1, 1, 0));
}

#[test]
fn buffer_dropped_on_another_thread_returns() {
    let pool = BufferPool::builder().with_size_class(128, 4).build();
    let (tx, rx) = mpsc::channel();
    let mut buf = pool.acquire(5).unwrap();
    buf.copy_from_slice(b"hello");
    tx.send(buf).unwrap();
    std::thread::spawn(move || {
        let buf = rx.recv().unwrap();
        assert_eq!(&buf[..], b"hello");
    })
    .join()
    .unwrap();
    let s = pool.stats()[0];
    assert_eq!((s.returns, s.buffers_out), (1, 0));
    // The returned buffer is zeroed when acquired again.
    assert_eq!(&pool.acquire(5).unwrap()[..], &[0; 5]);
}

/// Two threads acquire, fill, hold, hand over and drop buffers of one pool; every buffer must
/// arrive zeroed and keep exactly the bytes its owner wrote. Small classes: no thread cache, every
/// buffer goes through the shared free lists.
#[test]
fn two_threads_hammer_one_pool() {
    hammer(BufferPool::builder().with_size_class(128, 8).with_size_class(256, 4).build());
}

/// The same with classes large enough for thread caches (depth 8 and 16): buffers move between
/// three threads' caches and the shared lists, and the counters still add up exactly at rest.
#[test]
fn two_threads_hammer_one_pool_through_thread_caches() {
    hammer(BufferPool::builder().with_size_class(128, 64).with_size_class(256, 128).build());
}

fn hammer(pool: BufferPool) {
    const ROUNDS: u32 = 50_000;
    let (tx, rx) = mpsc::sync_channel::<(u32, mycelium_contracts::runtime::PooledBuffer)>(16);

    let worker = |id: u8, pool: BufferPool, tx: Option<mpsc::SyncSender<_>>| {
        move || {
            let mut held: VecDeque<(u32, mycelium_contracts::runtime::PooledBuffer)> = VecDeque::new();
            let mut seed = 0x9E37_79B9u32 ^ u32::from(id);
            for round in 0..ROUNDS {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let len = (seed % 256) as usize + 1;
                let mut buf = pool.acquire(len).unwrap();
                assert!(buf.iter().all(|&b| b == 0), "thread {id} got a dirty buffer");
                let stamp = round.to_le_bytes();
                for (i, b) in buf.iter_mut().enumerate() {
                    *b = stamp[i % 4] ^ id;
                }
                if let (Some(tx), true) = (&tx, round % 3 == 0) {
                    tx.send((round, buf)).unwrap();
                    continue;
                }
                held.push_back((round, buf));
                if held.len() > (seed % 6) as usize {
                    let (r, buf) = held.pop_front().unwrap();
                    check(&buf, r, id);
                }
            }
            for (r, buf) in held {
                check(&buf, r, id);
            }
        }
    };
    fn check(buf: &[u8], round: u32, id: u8) {
        let stamp = round.to_le_bytes();
        for (i, &b) in buf.iter().enumerate() {
            assert_eq!(b, stamp[i % 4] ^ id, "buffer of round {round} of thread {id} was overwritten");
        }
    }

    let a = std::thread::spawn(worker(1, pool.clone(), Some(tx)));
    let b = std::thread::spawn(worker(2, pool.clone(), None));
    // This thread receives thread 1's hand-overs, checks and drops them: returns from a third thread.
    for (round, buf) in rx {
        check(&buf, round, 1);
    }
    a.join().unwrap();
    b.join().unwrap();
    let stats = pool.stats();
    for s in &stats {
        assert_eq!(s.buffers_out, 0, "{s:?}");
        assert_eq!(s.hits + s.misses, s.returns + s.frees_over_capacity, "{s:?}");
        assert!(s.idle <= s.capacity);
    }
    let acquired: u64 = stats.iter().map(|s| s.hits + s.misses).sum();
    assert_eq!(acquired, 2 * u64::from(ROUNDS));
}

#[test]
fn buffers_returned_after_the_pool_is_dropped_are_freed() {
    let pool = BufferPool::builder().with_size_class(128, 4).prefill(true).build();
    let bufs: Vec<_> = (0..6).map(|_| pool.acquire(1).unwrap()).collect();
    drop(pool);
    let t = std::thread::spawn(move || drop(bufs));
    t.join().unwrap();
}

const POOLS_JSON: &str = r#"{"version": "1.2.0",
 "services": {"polygon-adapter": {"buffer_pool_enabled": true,
                                  "size_classes": [{"size": 128, "capacity": 1024}, {"size": 256, "capacity": 512}],
                                  "messages": {"SwapEvent": 128, "PoolStateUpdate": 256}},
              "recorder": {"buffer_pool_enabled": false, "size_classes": [],
                           "messages": {"SwapEvent": 128}}}}"#;

#[test]
fn pool_from_pools_json() {
    let config = ServiceConfig::from_pools_json(POOLS_JSON, "polygon-adapter").unwrap();
    assert_eq!(
        config.size_classes[..],
        [SizeClassConfig { size: 128, capacity: 1024 }, SizeClassConfig { size: 256, capacity: 512 }]
    );
    assert_eq!(config.messages.len(), 2);
    let pool = BufferPool::from_service_config(&config);
    let stats = pool.stats();
    assert_eq!(stats.iter().map(|s| (s.size, s.capacity)).collect::<Vec<_>>(), vec![(128, 1024), (256, 512)]);
    assert_eq!(pool.acquire(180).unwrap().capacity(), 256);
    let direct = BufferPool::from_pools_json(POOLS_JSON, "polygon-adapter").unwrap();
    assert_eq!(direct.class_sizes().collect::<Vec<_>>(), vec![128, 256]);
    assert!(BufferPool::from_pools_json(POOLS_JSON, "nope").is_err());
}

#[test]
fn disabled_pool_allocates_per_buffer() {
    let config = ServiceConfig::from_pools_json(POOLS_JSON, "recorder").unwrap();
    assert!(!config.buffer_pool_enabled);
    let pool = BufferPool::from_service_config(&config);
    drop(pool.acquire(84).unwrap());
    let s = pool.stats()[0];
    assert_eq!((s.size, s.capacity, s.misses, s.frees_over_capacity, s.idle), (128, 0, 1, 1, 0));
}

#[test]
fn unknown_service_names_the_known_ones() {
    let err = ServiceConfig::from_pools_json(POOLS_JSON, "polygon-adaptr").unwrap_err();
    assert_eq!(
        err,
        ConfigError::UnknownService {
            service: "polygon-adaptr".into(),
            available: vec!["polygon-adapter".into(), "recorder".into()]
        }
    );
    assert_eq!(err.to_string(), "service `polygon-adaptr` is not in pools.json (services: polygon-adapter, recorder)");
}

#[test]
fn malformed_pools_json_reports_line_and_column() {
    let err = ServiceConfig::from_pools_json("{\"services\": {\"a\": {\"size_classes\": 5}}}", "a").unwrap_err();
    let ConfigError::Json { line, column, ref message } = err else { panic!("{err:?}") };
    assert_eq!((line, column), (1, 37));
    assert!(message.contains("invalid type"), "{message}");
    assert!(!err.to_string().ends_with('.'));

    let err =
        ServiceConfig::from_pools_json(r#"{"services": {"a": {"size_classes": [{"size": 100, "capacity": 1}]}}}"#, "a")
            .unwrap_err();
    assert_eq!(err, ConfigError::InvalidSizeClass { service: "a".into(), size: 100 });
}

#[test]
fn all_services_from_pools_json() {
    let all = ServiceConfig::all_from_pools_json(POOLS_JSON).unwrap();
    assert_eq!(all.iter().map(|c| &*c.name).collect::<Vec<_>>(), vec!["polygon-adapter", "recorder"]);
}
