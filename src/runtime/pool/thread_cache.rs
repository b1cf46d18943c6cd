//! A per-thread cache of idle slots in front of each class's shared free list.
//!
//! # Why
//!
//! The shared free list costs one atomic read-modify-write per acquire and one per return. On
//! x86 each is a locked instruction that also waits for the thread's pending stores (the payload
//! it just copied) to drain, which in the frame readers costs more than the instruction itself.
//! A thread that acquires and drops buffers of a class keeps a few of them here instead, in a
//! plain array: in the steady state an acquire plus a drop on the same thread touches no shared
//! cache line and executes no atomic read-modify-write (the magazines of Bonwick's slab allocator
//! and tcmalloc's per-thread caches).
//!
//! # The capacity bound stays exact: permits
//!
//! A class of capacity `C` has `C` *permits*. Every idle buffer holds one, wherever it is: in the
//! shared list or in a thread's cache. The rest sit in the class's `room` counter or, unused, in
//! a thread's cache (at most [`MAX_DEPTH`] per thread and class). So the buffers idle in a class
//! never exceed `C`; a returned buffer that finds no permit (none in its thread's cache, none in
//! `room`) is freed and counted in `frees_over_capacity`.
//!
//! * Acquire: take a slot from the thread's cache (its permit stays in the cache). An empty cache
//!   first gives its unused permits back to `room`, then pulls up to a batch of slots (with their
//!   permits) from the shared list; if that is empty too the acquire is a miss and allocates.
//! * Return: keep the slot in the cache if the cache holds an unused permit; else take a batch of
//!   permits from `room`; if the cache is full, first move a batch of slots (with their permits)
//!   to the shared list.
//!
//! The cost of this: a class may free a returned buffer while other threads' caches hold unused
//! permits, that is while fewer than `C` buffers are idle (by at most `MAX_DEPTH` per thread that
//! uses the class). Classes with a capacity under [`MIN_CAPACITY`] have no thread cache at all,
//! so their bound and their frees are exact, as are the counters of every class at rest.
//!
//! # Lifetime
//!
//! A cache entry holds a strong count on the pool state of its class, so the class it points to
//! stays valid; it gives its slots back (or frees them, if the pool has closed) and drops that
//! count when it is *retired*: when the thread exits, when the entry is evicted to make room for
//! another class, when the thread returns a buffer of a closed pool, and, for the thread that drops
//! the last [`BufferPool`](crate::runtime::BufferPool) handle, at once. A thread that used a pool and never
//! touches it again keeps at most `MAX_DEPTH` idle buffers per class until it exits.
//!
//! # Counters
//!
//! Each entry publishes its counters in a [`CacheCounters`] block registered with the class
//! (single writer, relaxed stores: no read-modify-write on the fast path), which
//! [`BufferPool::stats`](crate::runtime::BufferPool::stats) adds up.

use std::cell::UnsafeCell;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::class::{Class, Inner, SlotHeader, free_slot};
use super::free_list::CachePadded;
use super::stats::{CacheCounters, STATE_RETURN};

/// Slots one thread caches per class at most.
pub(crate) const MAX_DEPTH: usize = 32;
/// Classes with a smaller capacity have no thread cache.
pub(crate) const MIN_CAPACITY: usize = 32;
/// Classes one thread caches at once; a further class evicts one (round robin).
const WAYS: usize = 4;

/// The cache depth of a class of `capacity`: an eighth of it, at most [`MAX_DEPTH`], even;
/// `0` (no cache) under [`MIN_CAPACITY`].
pub(crate) fn depth_for(capacity: usize) -> usize {
    if capacity < MIN_CAPACITY { 0 } else { (capacity / 8).min(MAX_DEPTH) & !1 }
}

const _: () = assert!(MAX_DEPTH < STATE_RETURN as usize);

/// Adds `n` to a counter that only this thread writes (no read-modify-write needed).
#[inline]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
}

/// One class's cache in one thread.
struct Entry {
    /// The cached class; null when the entry is unused.
    class: *const Class,
    /// The strong count on the class's pool state this entry holds (null when unused).
    pin: *const Inner,
    counters: Option<Arc<CachePadded<CacheCounters>>>,
    len: usize,
    permits: usize,
    depth: usize,
    batch: usize,
    slots: [*mut SlotHeader; MAX_DEPTH],
}

impl Entry {
    const EMPTY: Entry = Entry {
        class: ptr::null(),
        pin: ptr::null(),
        counters: None,
        len: 0,
        permits: 0,
        depth: 0,
        batch: 0,
        slots: [ptr::null_mut(); MAX_DEPTH],
    };

    #[inline]
    fn counters(&self) -> &CacheCounters {
        // Only called on bound entries, which always have counters.
        self.counters.as_deref().map(|c| &c.0).unwrap_or_else(|| unreachable!("a bound cache entry has counters"))
    }

    /// Publishes the state after a change of `len` by `delta_len` and of the returns by `returns`.
    #[inline]
    fn publish(&self, returns: u64, delta_len: i64) {
        let state = &self.counters().state;
        let value = state.load(Ordering::Relaxed) + returns * STATE_RETURN;
        state.store(value.wrapping_add_signed(delta_len), Ordering::Relaxed);
    }

    /// Starts caching `class`.
    ///
    /// # Safety
    ///
    /// The entry is unused; `class` is alive (the caller holds a slot of it or a pool handle).
    unsafe fn bind(&mut self, class: &Class) {
        let depth = class.cache_depth();
        let counters = Arc::new(CachePadded(CacheCounters::default()));
        class.register_cache(&counters);
        *self = Entry {
            class,
            pin: class.pin_pool(),
            counters: Some(counters),
            len: 0,
            permits: 0,
            depth,
            batch: depth / 2,
            slots: [ptr::null_mut(); MAX_DEPTH],
        };
    }

    /// Gives every slot and permit back to the class (or frees the slots of a closed pool),
    /// folds the counters into the class and drops the pin. The entry is unused afterwards.
    fn retire(&mut self) {
        if self.class.is_null() {
            return;
        }
        // SAFETY: the entry's pin keeps the class alive until `unpin` below.
        let class = unsafe { &*self.class };
        self.flush(class, self.len);
        // What is left are permits no slot holds.
        class.give_room(self.permits);
        if let Some(counters) = self.counters.take() {
            class.retire_cache(&counters);
        }
        let pin = self.pin;
        *self = Entry::EMPTY;
        // SAFETY: the pin is the strong count taken in `bind`; nothing refers into the pool state
        // after this call.
        unsafe { Inner::unpin(pin) };
    }

    /// Moves the last `n` slots, with their permits, to the shared list (freeing them if the pool
    /// closed).
    fn flush(&mut self, class: &Class, n: usize) {
        let keep = self.len - n;
        let mut pushed = 0;
        for &slot in &self.slots[keep..self.len] {
            if class.push_shared(slot).is_ok() {
                pushed += 1;
            } else {
                // SAFETY: the push failed (the pool closed), so we own the slot; the entry's pin
                // keeps the state alive across the call.
                unsafe { free_slot(class, NonNull::new_unchecked(slot)) };
            }
        }
        self.permits -= n;
        self.len = keep;
        bump(&self.counters().pushed, pushed);
        self.publish(0, -(n as i64));
    }
}

/// The cache of one thread: a few entries, one per class in use.
struct ThreadCache {
    entries: UnsafeCell<[Entry; WAYS]>,
    /// The next entry to evict.
    victim: UnsafeCell<usize>,
}

impl Drop for ThreadCache {
    fn drop(&mut self) {
        for entry in self.entries.get_mut() {
            entry.retire();
        }
    }
}

thread_local! {
    static CACHE: ThreadCache = const {
        ThreadCache { entries: UnsafeCell::new([Entry::EMPTY; WAYS]), victim: UnsafeCell::new(0) }
    };
}

/// Runs `f` on this thread's entry for `class` (binding one, evicting another if needed), or
/// returns `None` when the thread's cache is gone (the thread is exiting).
#[inline]
fn with_entry<R>(class: &Class, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
    CACHE
        .try_with(|cache| {
            // SAFETY: the cache is only reached through this function and `retire_classes`,
            // neither of which re-enters the other or itself while the borrow is live (they call
            // only the class's shared list, counters, allocator and mutex, never the cache).
            let entries = unsafe { &mut *cache.entries.get() };
            let class_ptr: *const Class = class;
            if let Some(entry) = entries.iter_mut().find(|e| e.class == class_ptr) {
                return f(entry);
            }
            let index = match entries.iter().position(|e| e.class.is_null()) {
                Some(index) => index,
                None => {
                    // SAFETY: as above; `victim` is only touched here.
                    let victim = unsafe { &mut *cache.victim.get() };
                    let index = *victim;
                    *victim = (index + 1) % WAYS;
                    entries[index].retire();
                    index
                }
            };
            let entry = &mut entries[index];
            // SAFETY: the entry is unused, and the caller holds a slot of `class` or a handle to
            // its pool, so the class is alive.
            unsafe { entry.bind(class) };
            f(entry)
        })
        .ok()
}

/// Takes a slot of `class` (a class with a cache) from this thread's cache, refilling it from the
/// shared list; `None` when both are empty (the caller allocates).
#[inline]
pub(crate) fn acquire(class: &Class) -> Option<NonNull<SlotHeader>> {
    let slot = with_entry(class, |entry| {
        if entry.len == 0 {
            refill(entry, class);
            if entry.len == 0 {
                return None;
            }
        }
        entry.len -= 1;
        entry.publish(0, -1);
        Some(entry.slots[entry.len])
    })
    .unwrap_or_else(|| class.pop_shared_uncached());
    // SAFETY: caches and the shared list only hold non-null slot pointers.
    slot.map(|slot| unsafe { NonNull::new_unchecked(slot) })
}

/// Gives the entry's unused permits back and pulls a batch of slots from the shared list.
#[cold]
#[inline(never)]
fn refill(entry: &mut Entry, class: &Class) {
    class.give_room(entry.permits);
    entry.permits = 0;
    let mut pulled = 0;
    while entry.len < entry.batch {
        let Some(slot) = class.pop_shared() else { break };
        entry.slots[entry.len] = slot;
        entry.len += 1;
        entry.permits += 1;
        pulled += 1;
    }
    bump(&entry.counters().pulled, pulled);
    entry.publish(0, pulled as i64);
}

/// Returns a slot of `class` (a class with a cache) into this thread's cache; `false` when it was
/// not stored (no permit, a closed pool, or no cache on this thread) and the caller still owns it.
///
/// Takes the class as a raw pointer: when the slot is not stored, the caller may go on to push it
/// to the shared list, after which the pool state may be freed at once by a closing pool; no
/// reference into the state may outlive this call.
///
/// # Safety
///
/// `slot` is a live slot of the class `class_ptr`, exclusively owned by the caller.
#[inline]
pub(crate) unsafe fn release(class_ptr: *const Class, slot: NonNull<SlotHeader>) -> bool {
    // SAFETY: the caller's slot holds a strong count on the pool state that owns the class, for
    // the whole call (the slot is either stored, or still the caller's afterwards).
    let class = unsafe { &*class_ptr };
    with_entry(class, |entry| {
        if class.is_closed() {
            entry.retire();
            return false;
        }
        if entry.len == entry.permits && !take_permits(entry, class) {
            return false;
        }
        entry.slots[entry.len] = slot.as_ptr();
        entry.len += 1;
        entry.publish(1, 1);
        true
    })
    .unwrap_or(false)
}

/// Gets a permit for one more slot: a batch from `room`, after moving a batch of slots to the
/// shared list if the cache is full. `false` when the class has none to give.
#[cold]
#[inline(never)]
fn take_permits(entry: &mut Entry, class: &Class) -> bool {
    if entry.len == entry.depth {
        entry.flush(class, entry.batch);
    }
    let got = class.take_room(entry.batch.min(entry.depth - entry.permits));
    entry.permits += got;
    got > 0
}

/// Retires this thread's entries of `classes` (the pool that owns them is closing).
pub(crate) fn retire_classes(classes: &[Class]) {
    let _ = CACHE.try_with(|cache| {
        // SAFETY: see `with_entry`.
        let entries = unsafe { &mut *cache.entries.get() };
        let range = classes.as_ptr_range();
        for entry in entries.iter_mut() {
            if range.contains(&entry.class) {
                entry.retire();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::runtime::{BufferPool, ClassStats};

    fn stats(pool: &BufferPool) -> ClassStats {
        pool.stats()[0]
    }

    #[test]
    fn depth_follows_capacity() {
        assert_eq!([0, 31, 32, 64, 100, 255, 256, 4096].map(super::depth_for), [0, 0, 4, 8, 12, 30, 32, 32]);
    }

    #[test]
    fn same_thread_reuse_stays_in_the_cache() {
        let pool = BufferPool::builder().with_size_class(128, 64).build();
        for i in 0..100u8 {
            let mut buf = pool.acquire(100).unwrap();
            assert!(buf.iter().all(|&b| b == 0));
            buf.fill(i);
        }
        let s = stats(&pool);
        assert_eq!((s.hits, s.misses, s.returns, s.frees_over_capacity, s.idle, s.buffers_out), (99, 1, 100, 0, 1, 0));
        // No slot went through the shared list.
        let class = &pool.inner().classes[0];
        assert_eq!((class.free.pops(), class.free.pushes()), (0, 0));
    }

    #[test]
    fn capacity_bound_is_exact_through_the_cache() {
        // Capacity 32: a cache of depth 4 that moves batches of 2 to the shared list.
        let pool = BufferPool::builder().with_size_class(128, 32).build();
        let held: Vec<_> = (0..100).map(|_| pool.acquire(1).unwrap()).collect();
        drop(held);
        let s = stats(&pool);
        assert_eq!((s.misses, s.returns, s.frees_over_capacity, s.idle, s.buffers_out), (100, 32, 68, 32, 0));
        // All 32 come back: 4 from the cache, the rest pulled from the shared list in batches.
        let again: Vec<_> = (0..33).map(|_| pool.acquire(1).unwrap()).collect();
        let s = stats(&pool);
        assert_eq!((s.hits, s.misses, s.idle, s.buffers_out), (32, 101, 0, 33));
        drop(again);
        let s = stats(&pool);
        assert_eq!((s.returns, s.frees_over_capacity, s.idle, s.buffers_out), (64, 69, 32, 0));
    }

    #[test]
    fn a_thread_that_exits_gives_its_cache_back() {
        let pool = BufferPool::builder().with_size_class(128, 64).build();
        let p = pool.clone();
        std::thread::spawn(move || {
            let held: Vec<_> = (0..10).map(|_| p.acquire(8).unwrap()).collect();
            drop(held);
            assert_eq!(p.stats()[0].idle, 10);
        })
        .join()
        .unwrap();
        let class = &pool.inner().classes[0];
        assert_eq!(class.free.len(), 10, "the exiting thread pushed its cache to the shared list");
        let s = stats(&pool);
        assert_eq!((s.misses, s.returns, s.idle, s.buffers_out), (10, 10, 10, 0));
        let again: Vec<_> = (0..10).map(|_| pool.acquire(8).unwrap()).collect();
        let s = stats(&pool);
        assert_eq!((s.hits, s.misses, s.idle, s.buffers_out), (10, 10, 0, 10));
        drop(again);
    }

    #[test]
    fn a_buffer_dropped_on_another_thread_is_cached_there() {
        let pool = BufferPool::builder().with_size_class(128, 64).build();
        let bufs: Vec<_> = (0..5).map(|_| pool.acquire(8).unwrap()).collect();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            drop(bufs);
            done_tx.send(()).unwrap();
            rx.recv().unwrap();
        });
        done_rx.recv().unwrap();
        // Idle in the other thread's cache, and counted.
        let s = stats(&pool);
        assert_eq!((s.returns, s.idle, s.buffers_out), (5, 5, 0));
        tx.send(()).unwrap();
        t.join().unwrap();
        assert_eq!(stats(&pool).idle, 5);
    }

    #[test]
    fn closing_the_pool_frees_other_threads_caches_when_they_next_return() {
        let pool = BufferPool::builder().with_size_class(128, 64).build();
        let state = pool.state();
        let mut bufs: Vec<_> = (0..4).map(|_| pool.acquire(8).unwrap()).collect();
        let last = bufs.pop().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            drop(bufs); // cached in this thread
            done_tx.send(()).unwrap();
            rx.recv().unwrap();
            // The pool has closed: this return retires the cache, freeing all four.
            drop(last);
            done_tx.send(()).unwrap();
            rx.recv().unwrap();
        });
        done_rx.recv().unwrap();
        drop(pool);
        // The other thread's cache still holds three slots and a pin on the closed pool.
        assert!(state.strong_count() > 0);
        tx.send(()).unwrap();
        done_rx.recv().unwrap();
        // Its next return freed them all, before the thread exits.
        assert_eq!(state.strong_count(), 0, "slots or a pin of the closed pool remain");
        tx.send(()).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn eviction_keeps_every_pool_exact() {
        // More pools than a thread caches at once: entries are evicted round robin.
        let pools: Vec<_> =
            (0..super::WAYS + 2).map(|_| BufferPool::builder().with_size_class(64, 32).build()).collect();
        let rounds = if cfg!(miri) { 20 } else { 500 };
        for round in 0..rounds {
            for (i, pool) in pools.iter().enumerate() {
                let held: Vec<_> = (0..(round + i) % 7).map(|_| pool.acquire(3).unwrap()).collect();
                drop(held);
            }
        }
        for (i, pool) in pools.iter().enumerate() {
            let s = stats(pool);
            let acquired: u64 = (0..rounds).map(|round| ((round + i) % 7) as u64).sum();
            assert_eq!(s.hits + s.misses, acquired, "pool {i}: {s:?}");
            assert_eq!(s.returns + s.frees_over_capacity, acquired, "pool {i}: {s:?}");
            assert_eq!(s.buffers_out, 0);
            assert!(s.idle <= s.capacity && s.idle >= 1, "pool {i}: {s:?}");
        }
    }

    #[test]
    fn threads_racing_the_last_handle_drop() {
        // Two threads hold the last two handles and drop them at the same moment: either may be
        // the one that closes the pool. The closing thread gives its cache back at once; the
        // other keeps its cache until it next returns or exits.
        for _ in 0..if cfg!(miri) { 3 } else { 100 } {
            // Room for both threads' buffers in their caches and in the permits: no contention
            // decides what a cache holds, so the count below is exact.
            let pool = BufferPool::builder().with_size_class(128, 256).build();
            assert!(super::depth_for(256) >= 21);
            let state = pool.state();
            let start = std::sync::Arc::new(std::sync::Barrier::new(3));
            let dropped = std::sync::Arc::new(std::sync::Barrier::new(3));
            let checked = std::sync::Arc::new(std::sync::Barrier::new(3));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let (p, start, dropped, checked) = (pool.clone(), start.clone(), dropped.clone(), checked.clone());
                    std::thread::spawn(move || {
                        let bufs: Vec<_> = (0..20).map(|_| p.acquire(8).unwrap()).collect();
                        start.wait();
                        drop(bufs);
                        drop(p.acquire(1).unwrap());
                        drop(p);
                        dropped.wait();
                        checked.wait();
                    })
                })
                .collect();
            // This thread never caches (it acquired nothing) and lets go of its handle first.
            drop(pool);
            start.wait();
            dropped.wait();
            // Both racers are alive: only the cache of the one that did not close remains, its 20
            // slots and its entry each pinning the state (this thread never cached anything).
            assert_eq!(state.strong_count(), 20 + 1, "the closing thread kept its cache, or the other lost it");
            checked.wait();
            for t in racers {
                t.join().unwrap();
            }
            assert_eq!(state.strong_count(), 0, "a slot or a cache pin outlived both threads");
        }
    }
}
