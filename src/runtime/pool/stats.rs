//! The counters of a size class: [`ClassStats`], what [`BufferPool::stats`](crate::runtime::BufferPool::stats)
//! returns, and the atomic counters it is added up from.

use std::sync::atomic::{AtomicU64, Ordering};

use super::error::LimitPolicy;

/// Counters of one size class, as returned by [`BufferPool::stats`](crate::runtime::BufferPool::stats).
///
/// The counters are read one after the other without stopping the pool, so under concurrent use
/// they may be off by the operations in flight; at rest they are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClassStats {
    /// Buffer size of the class in bytes.
    pub size: usize,
    /// Idle buffers the class keeps at most.
    pub capacity: usize,
    /// Idle buffers in the class right now.
    pub idle: usize,
    /// Acquisitions served by an idle buffer.
    pub hits: u64,
    /// Acquisitions that found the class empty and allocated a buffer.
    pub misses: u64,
    /// Buffers returned to the class and kept idle.
    pub returns: u64,
    /// Buffers returned while the class already held `capacity` idle buffers, and freed.
    pub frees_over_capacity: u64,
    /// Buffers handed out and not yet returned (`hits + misses - returns - frees_over_capacity`).
    pub buffers_out: u64,
    /// The class's limit of buffers out, if it has one ([`BufferPoolBuilder::with_limit`](crate::runtime::BufferPoolBuilder::with_limit)).
    /// The counters below are kept only for a class with a limit (`0` otherwise).
    pub limit: Option<usize>,
    /// What an acquisition does at the limit, if the class has one.
    pub policy: Option<LimitPolicy>,
    /// The most buffers the class has had out at once.
    pub peak_out: u64,
    /// Readers waiting for a buffer of the class right now ([`LimitPolicy::Wait`]).
    pub waiting: usize,
    /// Times a reader had to wait for a buffer ([`LimitPolicy::Wait`]).
    pub waits: u64,
    /// Acquisitions refused at the limit ([`LimitPolicy::Error`]).
    pub refusals: u64,
    /// Acquisitions served over the limit ([`LimitPolicy::Allocate`]).
    pub over_limit: u64,
}

/// The slow-path counters of a class (the fast path's counts are the free list's positions).
#[derive(Debug, Default)]
pub(crate) struct SlowCounters {
    pub(crate) misses: AtomicU64,
    pub(crate) frees: AtomicU64,
}

/// The counters of a class's retired thread caches.
#[derive(Debug, Default)]
pub(crate) struct RetiredCaches {
    pub(crate) hits: AtomicU64,
    pub(crate) returns: AtomicU64,
    pub(crate) pulled: AtomicU64,
    pub(crate) pushed: AtomicU64,
}

/// The published counters of one thread's cache of one class.
///
/// The fast path publishes one word per operation: `state`, the buffers returned into the cache
/// times [`STATE_RETURN`] plus the slots in the cache now. Acquisitions served from the cache
/// follow: everything that came in (`pulled` + returns) went out (hits + `pushed`) or is still
/// there.
#[derive(Debug, Default)]
pub(crate) struct CacheCounters {
    /// `returns * STATE_RETURN + len`.
    pub(crate) state: AtomicU64,
    /// Slots moved from the shared list into the cache.
    pub(crate) pulled: AtomicU64,
    /// Slots moved from the cache to the shared list.
    pub(crate) pushed: AtomicU64,
}

/// The weight of one return in [`CacheCounters::state`] (above any cache length).
pub(crate) const STATE_RETURN: u64 = 64;

impl CacheCounters {
    /// `(hits, returns, len)` of the cache.
    pub(crate) fn read(&self) -> (u64, u64, usize) {
        let state = self.state.load(Ordering::Relaxed);
        let (returns, len) = (state / STATE_RETURN, state % STATE_RETURN);
        let hits =
            (self.pulled.load(Ordering::Relaxed) + returns).saturating_sub(self.pushed.load(Ordering::Relaxed) + len);
        (hits, returns, len as usize)
    }
}
