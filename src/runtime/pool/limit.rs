//! An optional bound on the buffers a size class has out, and what an acquisition does when the
//! class is at its bound ([`LimitPolicy`]).
//!
//! A class without a limit costs nothing here: the pool checks one `Option` on acquire and on
//! release. A limited class keeps an exact count of its buffers out (`out`), taken with one
//! atomic read-modify-write on acquire and one on release, and, for the [`Wait`](LimitPolicy::Wait)
//! policy, a FIFO queue of waiters behind a mutex that is only locked when someone waits.
//!
//! The limit knows nothing of slots: what a release hands to a waiter is a value of the type
//! parameter `S` (the pool's owned slot), kept until the waiter takes it or, when the waiter
//! leaves, handed back to the caller of [`Limit::cancel`] to return.
//!
//! # Waiting without lost wakeups
//!
//! A waiter registers itself in the queue (`waiting += 1`) under the lock, then tries once more to
//! take a place. A release first hands its slot straight to the oldest waiter when there is one;
//! otherwise it decrements `out` and then reads `waiting`. Both sides use sequentially consistent
//! operations, so either the waiter's second try sees the freed place, or the release sees the
//! waiter and grants it a place under the lock (Dekker's pattern). A granted waiter owns its place
//! (and, when it was handed one, the slot) until it takes it or is dropped; a dropped waiter gives
//! them back, which hands them on to the next waiter.
//!
//! # Closing
//!
//! Every way to wait ([`FrameReader`](crate::runtime::FrameReader), [`read_frame_pooled`](crate::runtime::read_frame_pooled),
//! [`BufferPool::acquire_async`](crate::runtime::BufferPool::acquire_async)) holds or borrows a
//! [`BufferPool`](crate::runtime::BufferPool) handle while it waits, so the pool cannot close
//! under a waiter: when every other handle drops, the waiter keeps waiting, and a buffer returned
//! later (buffers outlive the handles) still reaches it.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Poll, Waker};

use super::error::{LimitPolicy, PoolError, PoolErrorKind};
use super::free_list::CachePadded;
use super::stats::ClassStats;

/// A limit requested on the builder: for one class size, or for every class (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LimitSpec {
    pub(crate) size: Option<usize>,
    pub(crate) max_out: usize,
    pub(crate) policy: LimitPolicy,
}

/// Resolves the limit of a class of `size` bytes: its own, else the one for every class.
pub(crate) fn limit_for_class<S>(specs: &[LimitSpec], size: usize) -> Option<Arc<Limit<S>>> {
    let own = specs.iter().rev().find(|s| s.size == Some(size));
    let every = specs.iter().rev().find(|s| s.size.is_none());
    own.or(every).map(|s| Arc::new(Limit::new(size, s.max_out, s.policy)))
}

/// Panics when a per-class limit names a size that is not a class of the pool.
pub(crate) fn check_limit_sizes(specs: &[LimitSpec], sizes: &[usize]) {
    for spec in specs {
        if let Some(size) = spec.size {
            assert!(
                sizes.contains(&size),
                "buffer limit for a size class of {size} bytes, but the pool has no such class"
            );
        }
    }
}

/// One waiter's entry in the queue.
enum Entry<S> {
    /// Free for reuse.
    Vacant,
    /// Waiting; woken through this waker when granted.
    Waiting(Waker),
    /// Granted a place in `out`, with the slot of the release that granted it, if one did.
    Granted(Option<S>),
}

/// The waiters of a class: entries addressed by key, and the keys in arrival order.
struct Queue<S> {
    entries: Vec<Entry<S>>,
    vacant: Vec<usize>,
    order: VecDeque<usize>,
}

impl<S> Default for Queue<S> {
    fn default() -> Self {
        Queue { entries: Vec::new(), vacant: Vec::new(), order: VecDeque::new() }
    }
}

impl<S> Queue<S> {
    fn insert(&mut self, waker: Waker) -> usize {
        let key = match self.vacant.pop() {
            Some(key) => {
                self.entries[key] = Entry::Waiting(waker);
                key
            }
            None => {
                self.entries.push(Entry::Waiting(waker));
                self.entries.len() - 1
            }
        };
        self.order.push_back(key);
        key
    }

    fn remove(&mut self, key: usize) -> Entry<S> {
        self.vacant.push(key);
        std::mem::replace(&mut self.entries[key], Entry::Vacant)
    }
}

/// The limit of one class (see the module docs). `S` is what a release hands to a waiter.
pub(crate) struct Limit<S> {
    /// The class's buffer size.
    size: usize,
    max_out: usize,
    pub(crate) policy: LimitPolicy,
    /// Buffers of the class out right now (places taken).
    out: CachePadded<AtomicUsize>,
    /// Waiters in the queue (mirrors `queue.order.len()`, read without the lock).
    waiting: AtomicUsize,
    peak: AtomicUsize,
    waits: AtomicU64,
    refusals: AtomicU64,
    over_limit: AtomicU64,
    queue: Mutex<Queue<S>>,
}

impl<S> Limit<S> {
    fn new(size: usize, max_out: usize, policy: LimitPolicy) -> Limit<S> {
        Limit {
            size,
            max_out,
            policy,
            out: CachePadded(AtomicUsize::new(0)),
            waiting: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            waits: AtomicU64::new(0),
            refusals: AtomicU64::new(0),
            over_limit: AtomicU64::new(0),
            queue: Mutex::new(Queue::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<S>> {
        // The queue's invariants hold between statements that can panic (none do while locked,
        // except allocation failure, which aborts), so a poisoned lock is still consistent.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[inline]
    fn note_peak(&self, out: usize) {
        if out > self.peak.load(Ordering::Relaxed) {
            self.peak.fetch_max(out, Ordering::Relaxed);
        }
    }

    /// Takes a place when fewer than `max_out` are taken.
    #[inline]
    fn try_take(&self) -> bool {
        match self.out.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < self.max_out).then_some(n + 1)) {
            Ok(n) => {
                self.note_peak(n + 1);
                true
            }
            Err(_) => false,
        }
    }

    fn at_limit(&self, requested: usize, largest: usize) -> PoolError {
        PoolError {
            requested,
            largest,
            kind: PoolErrorKind::AtLimit { class: self.size, limit: self.max_out, policy: self.policy },
        }
    }

    /// The synchronous acquisition's check (`BufferPool::acquire`, the codec): takes a place, or
    /// refuses, following the policy. `largest` is the pool's largest class, for the error.
    #[inline]
    pub(crate) fn admit(&self, requested: usize, largest: usize) -> Result<(), PoolError> {
        if self.policy == LimitPolicy::Allocate {
            let out = self.out.fetch_add(1, Ordering::SeqCst) + 1;
            if out > self.max_out {
                self.over_limit.fetch_add(1, Ordering::Relaxed);
            }
            self.note_peak(out);
            return Ok(());
        }
        if self.try_take() {
            return Ok(());
        }
        if self.policy == LimitPolicy::Error {
            self.refusals.fetch_add(1, Ordering::Relaxed);
        }
        Err(self.at_limit(requested, largest))
    }

    /// Called by the release path before a slot of the class goes back to its free list: gives
    /// the place back, or hands the slot to the oldest waiter. Returns the slot when it should go
    /// on to the free list.
    #[inline]
    pub(crate) fn on_release(&self, slot: S) -> Option<S> {
        if self.waiting.load(Ordering::SeqCst) != 0 {
            return self.release_to_waiter(Some(slot));
        }
        self.give_back();
        Some(slot)
    }

    /// Gives a place back; grants it to a waiter that registered meanwhile.
    fn give_back(&self) {
        self.out.fetch_sub(1, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) != 0 {
            self.grant_places();
        }
    }

    /// Hands a place (and `slot`, when there is one) to the oldest waiter; when the queue turned
    /// out empty, gives the place back and returns the slot.
    #[cold]
    fn release_to_waiter(&self, slot: Option<S>) -> Option<S> {
        let mut queue = self.lock();
        let Some(key) = queue.order.pop_front() else {
            drop(queue);
            self.give_back();
            return slot;
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let Entry::Waiting(waker) = std::mem::replace(&mut queue.entries[key], Entry::Granted(slot)) else {
            unreachable!("a queued entry is waiting")
        };
        drop(queue);
        waker.wake();
        None
    }

    /// Grants free places to waiters, oldest first, for as long as there are both.
    #[cold]
    fn grant_places(&self) {
        loop {
            let mut queue = self.lock();
            if queue.order.is_empty() || !self.try_take() {
                return;
            }
            let key = queue.order.pop_front().unwrap_or_else(|| unreachable!());
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            let Entry::Waiting(waker) = std::mem::replace(&mut queue.entries[key], Entry::Granted(None)) else {
                unreachable!("a queued entry is waiting")
            };
            drop(queue);
            waker.wake();
        }
    }

    /// A waiter's first try: takes a place, or queues the waiter, to be woken through `waker`
    /// when it is granted one. `None` when a place was taken, else the waiter's key.
    #[cold]
    pub(crate) fn take_or_queue(&self, waker: &Waker) -> Option<usize> {
        if self.try_take() {
            return None;
        }
        let mut queue = self.lock();
        let key = queue.insert(waker.clone());
        self.waiting.fetch_add(1, Ordering::SeqCst);
        if self.try_take() {
            // A place came free between the first try and the registration.
            queue.order.pop_back();
            queue.remove(key);
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            drop(queue);
            return None;
        }
        drop(queue);
        self.waits.fetch_add(1, Ordering::Relaxed);
        Some(key)
    }

    /// Polls the queued waiter `key`: pending while it waits (woken through `waker` from now on),
    /// else ready with what it was granted (a place, and the slot of the release that granted it,
    /// if one did), its entry removed.
    #[cold]
    pub(crate) fn poll_granted(&self, key: usize, waker: &Waker) -> Poll<Option<S>> {
        let mut queue = self.lock();
        match &mut queue.entries[key] {
            Entry::Waiting(queued) => {
                if !queued.will_wake(waker) {
                    *queued = waker.clone();
                }
                Poll::Pending
            }
            Entry::Granted(_) => {
                let Entry::Granted(slot) = queue.remove(key) else { unreachable!() };
                drop(queue);
                Poll::Ready(slot)
            }
            Entry::Vacant => unreachable!("a queued waiter's entry is never vacant"),
        }
    }

    /// Removes a waiter's entry; gives back the place it was granted and did not take. Returns the
    /// slot it was handed with the place, if any: the caller returns it to the pool (which hands
    /// it on to the next waiter, or keeps it).
    #[must_use]
    pub(crate) fn cancel(&self, key: usize) -> Option<S> {
        let mut queue = self.lock();
        match queue.remove(key) {
            Entry::Waiting(_) => {
                if let Some(at) = queue.order.iter().position(|&k| k == key) {
                    queue.order.remove(at);
                }
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                None
            }
            Entry::Granted(Some(slot)) => {
                drop(queue);
                Some(slot)
            }
            Entry::Granted(None) => {
                drop(queue);
                if self.release_to_waiter(None).is_some() {
                    unreachable!("no slot was passed");
                }
                None
            }
            Entry::Vacant => None,
        }
    }

    /// Adds the limit's counters to a class's statistics.
    pub(crate) fn fill_stats(&self, stats: &mut ClassStats) {
        stats.limit = Some(self.max_out);
        stats.policy = Some(self.policy);
        stats.peak_out = self.peak.load(Ordering::Relaxed) as u64;
        stats.waiting = self.waiting.load(Ordering::Relaxed);
        stats.waits = self.waits.load(Ordering::Relaxed);
        stats.refusals = self.refusals.load(Ordering::Relaxed);
        stats.over_limit = self.over_limit.load(Ordering::Relaxed);
    }
}

impl<S> fmt::Debug for Limit<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limit")
            .field("max_out", &self.max_out)
            .field("policy", &self.policy)
            .field("out", &self.out.load(Ordering::Relaxed))
            .field("waiting", &self.waiting.load(Ordering::Relaxed))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::task::Context;

    use super::*;
    use crate::runtime::pool::{BufferPool, Waiter};
    use crate::runtime::test_util::block_on;

    fn pool(policy: LimitPolicy) -> BufferPool {
        BufferPool::builder().with_size_class(128, 4).with_size_class(256, 4).with_class_limit(128, 2, policy).build()
    }

    #[test]
    fn allocate_serves_over_the_limit_and_counts() {
        let pool = pool(LimitPolicy::Allocate);
        let bufs: Vec<_> = (0..5).map(|_| pool.acquire(10).unwrap()).collect();
        let s = pool.stats()[0];
        assert_eq!((s.limit, s.buffers_out, s.peak_out, s.over_limit, s.refusals), (Some(2), 5, 5, 3, 0));
        drop(bufs);
        let s = pool.stats()[0];
        assert_eq!((s.buffers_out, s.idle), (0, 4));
        assert_eq!(pool.stats()[1].limit, None);
    }

    #[test]
    fn error_refuses_at_the_limit_until_a_buffer_returns() {
        let pool = pool(LimitPolicy::Error);
        let a = pool.acquire(10).unwrap();
        let b = pool.acquire(128).unwrap();
        let err = pool.acquire(1).unwrap_err();
        assert_eq!(err.kind, PoolErrorKind::AtLimit { class: 128, limit: 2, policy: LimitPolicy::Error });
        assert_eq!(err.to_string(), "no buffer for 1 bytes: its size class of 128 bytes has 2 buffers out, its limit");
        // Other classes are not limited.
        let _big: Vec<_> = (0..5).map(|_| pool.acquire(200).unwrap()).collect();
        drop(a);
        let c = pool.acquire(1).unwrap();
        let s = pool.stats()[0];
        assert_eq!((s.buffers_out, s.peak_out, s.refusals), (2, 2, 1));
        drop((b, c));
        assert_eq!(pool.stats()[0].buffers_out, 0);
    }

    #[test]
    fn a_limit_of_zero_refuses_everything() {
        let pool = BufferPool::builder().with_size_class(128, 4).with_limit(0, LimitPolicy::Error).build();
        assert!(matches!(pool.acquire(1).unwrap_err().kind, PoolErrorKind::AtLimit { limit: 0, .. }));
    }

    #[test]
    fn shared_buffers_hold_their_place_until_the_last_clone() {
        let pool = pool(LimitPolicy::Error);
        let a = pool.acquire(1).unwrap().freeze();
        let a2 = a.clone();
        let _b = pool.acquire(1).unwrap();
        drop(a);
        assert!(pool.acquire(1).is_err());
        drop(a2);
        assert!(pool.acquire(1).is_ok());
    }

    /// Polls a future once with a waker that counts its wakes.
    struct CountingWaker(std::sync::atomic::AtomicUsize);

    impl std::task::Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting_waker() -> (Arc<CountingWaker>, Waker) {
        let counter = Arc::new(CountingWaker(std::sync::atomic::AtomicUsize::new(0)));
        (counter.clone(), Waker::from(counter))
    }

    #[test]
    fn waiters_are_handed_returned_slots_in_order() {
        let pool = pool(LimitPolicy::Wait);
        let a = pool.acquire(1).unwrap();
        let b = pool.acquire(1).unwrap();
        let (count1, waker1) = counting_waker();
        let (count2, waker2) = counting_waker();
        let (mut w1, mut w2) = (Waiter::default(), Waiter::default());
        let mut cx1 = Context::from_waker(&waker1);
        let mut cx2 = Context::from_waker(&waker2);
        assert!(pool.poll_acquire_for_overwrite(5, &mut cx1, &mut w1).is_pending());
        assert!(pool.poll_acquire_for_overwrite(6, &mut cx2, &mut w2).is_pending());
        assert!(pool.poll_acquire_for_overwrite(5, &mut cx1, &mut w1).is_pending()); // still waiting
        assert_eq!(pool.stats()[0].waiting, 2);
        let slot_of_a = a.as_ptr();
        drop(a);
        assert_eq!((count1.0.load(Ordering::SeqCst), count2.0.load(Ordering::SeqCst)), (1, 0));
        let got = match pool.poll_acquire_for_overwrite(5, &mut cx1, &mut w1) {
            Poll::Ready(r) => r.unwrap(),
            Poll::Pending => panic!("granted waiter must be ready"),
        };
        assert_eq!((got.len(), got.as_ptr()), (5, slot_of_a)); // the very slot, not a new one
        // The second waiter leaves; the next release goes to the list.
        drop(w2);
        drop(b);
        assert_eq!(count2.0.load(Ordering::SeqCst), 0);
        let s = pool.stats()[0];
        assert_eq!((s.buffers_out, s.waits, s.waiting, s.peak_out, s.misses), (1, 2, 0, 2, 2));
        drop(got);
        assert_eq!(pool.stats()[0].buffers_out, 0);
    }

    #[test]
    fn a_cancelled_granted_waiter_passes_its_slot_on() {
        let pool = pool(LimitPolicy::Wait);
        let a = pool.acquire(1).unwrap();
        let _b = pool.acquire(1).unwrap();
        let (_c1, waker1) = counting_waker();
        let (count2, waker2) = counting_waker();
        let (mut w1, mut w2) = (Waiter::default(), Waiter::default());
        assert!(pool.poll_acquire_for_overwrite(1, &mut Context::from_waker(&waker1), &mut w1).is_pending());
        assert!(pool.poll_acquire_for_overwrite(1, &mut Context::from_waker(&waker2), &mut w2).is_pending());
        drop(a); // granted to w1
        drop(w1); // cancelled before taking it: goes on to w2
        assert_eq!(count2.0.load(Ordering::SeqCst), 1);
        let got = pool.poll_acquire_for_overwrite(1, &mut Context::from_waker(&waker2), &mut w2);
        assert!(matches!(got, Poll::Ready(Ok(_))));
        drop(got);
        drop(w2);
        assert_eq!(pool.stats()[0].buffers_out, 1);
    }

    #[test]
    fn a_granted_slot_outlives_the_last_handle() {
        let pool = pool(LimitPolicy::Wait);
        let a = pool.acquire(1).unwrap();
        let b = pool.acquire(1).unwrap();
        let (_count, waker) = counting_waker();
        let mut w = Waiter::default();
        assert!(pool.poll_acquire_for_overwrite(1, &mut Context::from_waker(&waker), &mut w).is_pending());
        drop(a); // granted to `w`
        drop(pool); // the last handle: the pool closes
        drop(w); // gives the slot back to the closed pool, which frees it (Miri checks for leaks)
        drop(b);
    }

    #[test]
    fn acquire_async_waits_for_a_return_from_another_thread() {
        let pool = pool(LimitPolicy::Wait);
        let held: Vec<_> = (0..2).map(|_| pool.acquire(1).unwrap()).collect();
        let t = std::thread::spawn(move || drop(held));
        let bufs = block_on(async { (pool.acquire_async(3).await.unwrap(), pool.acquire_async(4).await.unwrap()) });
        t.join().unwrap();
        assert_eq!((bufs.0.len(), bufs.1.len()), (3, 4));
        assert_eq!(pool.stats()[0].buffers_out, 2);
    }

    #[test]
    fn concurrent_error_policy_never_exceeds_the_limit() {
        let pool = BufferPool::builder().with_size_class(128, 2).with_limit(3, LimitPolicy::Error).build();
        let ops = if cfg!(miri) { 50 } else { 20_000 };
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    for _ in 0..ops {
                        let a = pool.acquire(1);
                        let b = pool.acquire(1);
                        drop((a, b));
                    }
                });
            }
        });
        let s = pool.stats()[0];
        assert!(s.peak_out <= 3, "{s:?}");
        assert_eq!(s.buffers_out, 0);
    }

    /// Polls a future on this thread, parking between polls until its waker is called; a wakeup
    /// that never comes shows as a park that times out (counted in `lost`).
    fn block_on_parking<F: std::future::Future>(fut: F, lost: &std::sync::atomic::AtomicUsize) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut fut = std::pin::pin!(fut);
        loop {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return out;
            }
            let before = std::time::Instant::now();
            std::thread::park_timeout(std::time::Duration::from_secs(20));
            if before.elapsed() >= std::time::Duration::from_secs(20) {
                lost.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    #[test]
    fn concurrent_waiters_are_woken_and_all_complete() {
        let pool = BufferPool::builder().with_size_class(128, 2).with_limit(2, LimitPolicy::Wait).build();
        let ops = if cfg!(miri) { 20 } else { 5_000 };
        let lost = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..3 {
                let (pool, lost) = (&pool, &lost);
                s.spawn(move || {
                    for i in 0..ops {
                        let mut buf = block_on_parking(pool.acquire_async(8), lost).unwrap();
                        buf[0] = (t + i) as u8;
                        if i % 2 == 0 {
                            std::thread::yield_now();
                        }
                    }
                });
            }
        });
        let s = pool.stats()[0];
        assert_eq!(lost.load(Ordering::SeqCst), 0, "lost wakeups: {s:?}");
        assert!(s.peak_out <= 2, "{s:?}");
        assert_eq!((s.buffers_out, s.waiting), (0, 0), "{s:?}");
    }
}
