//! A bounded, lock-free, multi-producer multi-consumer free list of slot pointers.
//!
//! Each size class of a [`BufferPool`](crate::runtime::BufferPool) keeps its idle buffers here. The
//! algorithm is Dmitry Vyukov's bounded array queue in the form crossbeam's `ArrayQueue` uses
//! (a `stamp` per entry that carries a lap number, so capacities need not be powers of two):
//!
//! * `push` and `pop` each cost one compare-and-swap on `tail` or `head` and one release store
//!   on the entry's stamp; there is no lock and no allocation after construction.
//! * The capacity bound is exact: a push into a full list fails and hands the pointer back.
//! * `head` and `tail` only move forward, so they double as the class's hit and return
//!   counters ([`FreeList::pops`], [`FreeList::pushes`]): the hot path updates no statistics
//!   counter of its own.
//! * `head` and `tail` sit on separate cache lines, so producers (threads returning buffers)
//!   and consumers (the reader acquiring them) do not share one.
//!
//! A pop that finds an entry claimed by a push that has not yet published its pointer waits
//! (spinning, then yielding) for that push; this is the usual trade of this queue.
//!
//! [`FreeList::close`] sets a bit in `tail`: every later push fails (its compare-and-swap sees
//! the changed word), and pops still drain what was pushed before. The pool closes its lists
//! when its last handle drops, so a buffer returned concurrently is either drained by the
//! closing thread or handed back to its owner to free, never stranded.
//!
//! Under `--cfg loom` the atomics come from loom, and the `loom` tests at the bottom explore
//! every interleaving of small scenarios.

#[cfg(loom)]
use loom::sync::atomic::{AtomicUsize, Ordering, fence};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering, fence};

/// Pads and aligns a value to 128 bytes, so two of them never share a cache line (nor a pair of
/// lines fetched together by the adjacent-line prefetcher).
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct CachePadded<T>(pub(crate) T);

impl<T> std::ops::Deref for CachePadded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// One entry of the ring: the pointer it holds and the stamp that says whose turn it is.
struct Entry<T> {
    /// `position + 1` when the entry holds a pointer pushed at `position`; `position` when it is
    /// free for a push at `position` (positions carry their lap in the high bits).
    stamp: AtomicUsize,
    /// The stored pointer.
    value: Value<T>,
}

/// The pointer of an entry. Relaxed atomic accesses suffice: the stamp's release/acquire pair
/// orders them.
#[cfg(not(loom))]
struct Value<T>(AtomicPtr<T>);

#[cfg(not(loom))]
impl<T> Value<T> {
    fn new() -> Self {
        Value(AtomicPtr::new(std::ptr::null_mut()))
    }

    #[inline]
    fn set(&self, value: *mut T) {
        self.0.store(value, Ordering::Relaxed);
    }

    #[inline]
    fn get(&self) -> *mut T {
        self.0.load(Ordering::Relaxed)
    }
}

/// Under loom the pointer sits in loom's `UnsafeCell`, which fails the model when a read is not
/// ordered after the write it reads (checking that the stamps alone order the accesses).
#[cfg(loom)]
struct Value<T>(loom::cell::UnsafeCell<*mut T>);

#[cfg(loom)]
impl<T> Value<T> {
    fn new() -> Self {
        Value(loom::cell::UnsafeCell::new(std::ptr::null_mut()))
    }

    fn set(&self, value: *mut T) {
        // SAFETY: only the push that claimed the entry writes it, before releasing its stamp.
        self.0.with_mut(|p| unsafe { *p = value });
    }

    fn get(&self) -> *mut T {
        // SAFETY: only the pop that claimed the entry reads it, after acquiring its stamp.
        self.0.with(|p| unsafe { *p })
    }
}

/// The bit of `tail` that marks a closed list.
const CLOSED: usize = 1 << (usize::BITS - 1);

/// A bounded lock-free MPMC queue of raw pointers (see the module docs).
pub(crate) struct FreeList<T> {
    /// Position of the next pop (lap in the high bits, index in the low bits).
    head: CachePadded<AtomicUsize>,
    /// Position of the next push.
    tail: CachePadded<AtomicUsize>,
    entries: Box<[Entry<T>]>,
    /// `one_lap - 1`: the mask of the index bits of a position.
    index_mask: usize,
    /// `log2(one_lap)`, where `one_lap` is the smallest power of two above the capacity.
    lap_shift: u32,
}

// SAFETY: outside loom these traits are derived (the values are `AtomicPtr`s). Under loom the
// values sit in loom's `UnsafeCell`, which is neither; the stamps' release/acquire protocol gives
// one thread at a time access to an entry's value, which is what the loom models check. This lets
// code that shares a pool between threads compile under `--cfg loom`.
#[cfg(loom)]
unsafe impl<T> Send for FreeList<T> {}
// SAFETY: as above.
#[cfg(loom)]
unsafe impl<T> Sync for FreeList<T> {}

impl<T> FreeList<T> {
    /// Creates an empty list that holds at most `capacity` pointers (`0` is allowed: every push
    /// then fails and every pop finds the list empty).
    pub(crate) fn new(capacity: usize) -> Self {
        let one_lap = (capacity + 1).next_power_of_two();
        let entries = (0..capacity).map(|i| Entry { stamp: AtomicUsize::new(i), value: Value::new() }).collect();
        FreeList {
            head: CachePadded(AtomicUsize::new(0)),
            tail: CachePadded(AtomicUsize::new(0)),
            entries,
            index_mask: one_lap - 1,
            lap_shift: one_lap.trailing_zeros(),
        }
    }

    /// The most pointers the list holds.
    pub(crate) fn capacity(&self) -> usize {
        self.entries.len()
    }

    /// The position after `pos`: the next index, or index 0 of the next lap.
    #[inline]
    fn next_position(&self, pos: usize) -> usize {
        let index = pos & self.index_mask;
        if index + 1 < self.entries.len() {
            pos + 1
        } else {
            (pos & !self.index_mask).wrapping_add(self.index_mask + 1)
        }
    }

    /// Adds `value`; hands it back when the list is full or closed.
    #[inline]
    pub(crate) fn push(&self, value: *mut T) -> Result<(), *mut T> {
        // SAFETY: `self` is valid for the whole call.
        unsafe { Self::push_raw(self, value) }
    }

    /// [`push`](FreeList::push) through a raw pointer, for callers whose list may be freed by
    /// another thread as soon as the pushed pointer is visible (a pool closing concurrently pops
    /// it, frees it and drops the last count on the pool). A `&self` argument would have to stay
    /// valid until the function returns; here nothing refers to the list after the publishing
    /// store.
    ///
    /// # Safety
    ///
    /// `this` points to a live list when the call starts.
    #[inline]
    pub(crate) unsafe fn push_raw(this: *const Self, value: *mut T) -> Result<(), *mut T> {
        // SAFETY: the caller guarantees the list is live now. This local reference is not used
        // after the publishing store below.
        let this = unsafe { &*this };
        if this.entries.is_empty() {
            return Err(value);
        }
        let mut backoff = Backoff::new();
        let mut tail = this.tail.load(Ordering::Relaxed);
        loop {
            if tail & CLOSED != 0 {
                return Err(value);
            }
            let entry = &this.entries[tail & this.index_mask];
            let stamp = entry.stamp.load(Ordering::Acquire);
            if tail == stamp {
                // The entry is free for this lap: claim the position.
                let next = this.next_position(tail);
                match this.tail.compare_exchange_weak(tail, next, Ordering::SeqCst, Ordering::Relaxed) {
                    Ok(_) => {
                        entry.value.set(value);
                        entry.stamp.store(tail + 1, Ordering::Release);
                        return Ok(());
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                    }
                }
            } else if stamp.wrapping_add(this.index_mask + 1) == tail + 1 {
                // The entry still holds the pointer of the previous lap: the list may be full.
                fence(Ordering::SeqCst);
                let head = this.head.load(Ordering::Relaxed);
                if head.wrapping_add(this.index_mask + 1) == tail {
                    return Err(value);
                }
                backoff.spin();
                tail = this.tail.load(Ordering::Relaxed);
            } else {
                // Another push claimed the position and is about to publish it.
                backoff.snooze();
                tail = this.tail.load(Ordering::Relaxed);
            }
        }
    }

    /// Removes a pointer, or returns `None` when the list is empty.
    #[inline]
    pub(crate) fn pop(&self) -> Option<*mut T> {
        if self.entries.is_empty() {
            return None;
        }
        let mut backoff = Backoff::new();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let entry = &self.entries[head & self.index_mask];
            let stamp = entry.stamp.load(Ordering::Acquire);
            if head + 1 == stamp {
                // The entry holds a pointer of this lap: claim it.
                let next = self.next_position(head);
                match self.head.compare_exchange_weak(head, next, Ordering::SeqCst, Ordering::Relaxed) {
                    Ok(_) => {
                        let value = entry.value.get();
                        entry.stamp.store(head.wrapping_add(self.index_mask + 1), Ordering::Release);
                        return Some(value);
                    }
                    Err(current) => {
                        head = current;
                        backoff.spin();
                    }
                }
            } else if stamp == head {
                // The entry is free for a push of this lap: the list may be empty.
                fence(Ordering::SeqCst);
                let tail = self.tail.load(Ordering::Relaxed) & !CLOSED;
                if tail == head {
                    return None;
                }
                backoff.spin();
                head = self.head.load(Ordering::Relaxed);
            } else {
                // A push claimed the entry but has not published it yet, or another pop won.
                backoff.snooze();
                head = self.head.load(Ordering::Relaxed);
            }
        }
    }

    /// Makes every later push fail; pops continue to drain what the list holds.
    pub(crate) fn close(&self) {
        self.tail.fetch_or(CLOSED, Ordering::SeqCst);
    }

    /// Whether [`close`](FreeList::close) was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.tail.load(Ordering::Relaxed) & CLOSED != 0
    }

    /// Converts a position into the number of operations that produced it.
    fn count(&self, pos: usize) -> u64 {
        let pos = pos & !CLOSED;
        let laps = (pos >> self.lap_shift) as u64;
        laps * self.entries.len() as u64 + (pos & self.index_mask) as u64
    }

    /// Successful pops since construction (exact when no operation is in flight).
    pub(crate) fn pops(&self) -> u64 {
        self.count(self.head.load(Ordering::Acquire))
    }

    /// Successful pushes since construction (exact when no operation is in flight).
    pub(crate) fn pushes(&self) -> u64 {
        self.count(self.tail.load(Ordering::Acquire))
    }

    /// Pointers held right now (a snapshot).
    pub(crate) fn len(&self) -> usize {
        loop {
            let tail = self.tail.load(Ordering::SeqCst);
            let head = self.head.load(Ordering::SeqCst);
            if self.tail.load(Ordering::SeqCst) == tail {
                return self.count(tail).saturating_sub(self.count(head)) as usize;
            }
        }
    }
}

impl<T> std::fmt::Debug for FreeList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreeList").field("capacity", &self.capacity()).field("len", &self.len()).finish()
    }
}

/// Exponential backoff for the retry loops: spin briefly, then yield the thread.
struct Backoff {
    step: u32,
}

impl Backoff {
    const SPIN_LIMIT: u32 = 6;

    #[inline]
    fn new() -> Self {
        Backoff { step: 0 }
    }

    /// Backs off after a lost compare-and-swap.
    #[inline]
    fn spin(&mut self) {
        #[cfg(loom)]
        loom::thread::yield_now();
        #[cfg(not(loom))]
        for _ in 0..1u32 << self.step.min(Self::SPIN_LIMIT) {
            std::hint::spin_loop();
        }
        self.step = (self.step + 1).min(Self::SPIN_LIMIT + 4);
    }

    /// Waits for another thread to finish its operation.
    #[inline]
    fn snooze(&mut self) {
        #[cfg(loom)]
        loom::thread::yield_now();
        #[cfg(not(loom))]
        if self.step <= Self::SPIN_LIMIT {
            for _ in 0..1u32 << self.step {
                std::hint::spin_loop();
            }
        } else {
            std::thread::yield_now();
        }
        self.step = (self.step + 1).min(Self::SPIN_LIMIT + 4);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::FreeList;

    fn p(i: usize) -> *mut u8 {
        std::ptr::without_provenance_mut(i)
    }

    #[test]
    fn capacity_is_exact_for_any_size() {
        for cap in [0, 1, 2, 3, 5, 8, 1000] {
            let list = FreeList::<u8>::new(cap);
            for i in 0..cap {
                assert_eq!(list.push(p(i + 1)), Ok(()), "cap {cap}");
            }
            assert_eq!(list.push(p(9999)), Err(p(9999)), "cap {cap}");
            assert_eq!(list.len(), cap);
            for i in 0..cap {
                assert_eq!(list.pop(), Some(p(i + 1)), "cap {cap}");
            }
            assert_eq!(list.pop(), None);
        }
    }

    #[test]
    fn closed_list_refuses_pushes_and_drains() {
        let list = FreeList::<u8>::new(4);
        list.push(p(1)).unwrap();
        list.close();
        assert!(list.is_closed());
        assert_eq!(list.push(p(2)), Err(p(2)));
        assert_eq!(list.pop(), Some(p(1)));
        assert_eq!(list.pop(), None);
        assert_eq!((list.pushes(), list.pops()), (1, 1));
    }

    #[test]
    fn counters_survive_many_laps() {
        let list = FreeList::<u8>::new(3);
        for round in 0..100 {
            list.push(p(round + 1)).unwrap();
            list.push(p(round + 2)).unwrap();
            assert_eq!(list.pop(), Some(p(round + 1)));
            assert_eq!(list.pop(), Some(p(round + 2)));
        }
        assert_eq!(list.pushes(), 200);
        assert_eq!(list.pops(), 200);
        assert_eq!(list.len(), 0);
    }

    #[test]
    fn threads_never_lose_or_duplicate_a_pointer() {
        use std::sync::Arc;
        let list = Arc::new(FreeList::<u8>::new(4));
        for i in 0..4 {
            list.push(p(i + 1)).unwrap();
        }
        let rounds = if cfg!(miri) { 50 } else { 20_000 };
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let list = Arc::clone(&list);
                std::thread::spawn(move || {
                    for _ in 0..rounds {
                        if let Some(v) = list.pop() {
                            list.push(v).unwrap();
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let mut seen: Vec<usize> = std::iter::from_fn(|| list.pop()).map(|v| v.addr()).collect();
        seen.sort_unstable();
        assert_eq!(seen, vec![1, 2, 3, 4]);
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::FreeList;
    use loom::sync::Arc;

    fn p(i: usize) -> *mut u8 {
        std::ptr::without_provenance_mut(i)
    }

    /// Two threads push into a list of capacity one: exactly one succeeds.
    #[test]
    fn loom_push_bound() {
        loom::model(|| {
            let list = Arc::new(FreeList::<u8>::new(1));
            let l2 = Arc::clone(&list);
            let t = loom::thread::spawn(move || l2.push(p(1)).is_ok());
            let mine = list.push(p(2)).is_ok();
            let theirs = t.join().unwrap();
            assert!(mine ^ theirs);
            assert!(list.pop().is_some());
            assert_eq!(list.pop(), None);
        });
    }

    /// A pop racing a push either sees the pointer or leaves it in the list.
    #[test]
    fn loom_push_pop() {
        loom::model(|| {
            let list = Arc::new(FreeList::<u8>::new(2));
            let l2 = Arc::clone(&list);
            let t = loom::thread::spawn(move || l2.push(p(7)).unwrap());
            let got = list.pop();
            t.join().unwrap();
            match got {
                Some(v) => {
                    assert_eq!(v, p(7));
                    assert_eq!(list.pop(), None);
                }
                None => assert_eq!(list.pop(), Some(p(7))),
            }
        });
    }

    /// A push racing `close` and a drain: the pointer is drained or handed back, exactly once.
    #[test]
    fn loom_push_close() {
        loom::model(|| {
            let list = Arc::new(FreeList::<u8>::new(2));
            let l2 = Arc::clone(&list);
            let t = loom::thread::spawn(move || l2.push(p(3)).is_err());
            list.close();
            let drained = std::iter::from_fn(|| list.pop()).count();
            let handed_back = t.join().unwrap();
            // A push that landed before `close` may still be publishing when the drain ran: the
            // drain waits for it, so it is counted by the drain.
            assert_eq!(usize::from(handed_back) + drained, 1);
        });
    }

    /// Two threads pop and push back the same two pointers; none is lost or duplicated.
    #[test]
    fn loom_pop_push_cycle() {
        loom::model(|| {
            let list = Arc::new(FreeList::<u8>::new(2));
            list.push(p(1)).unwrap();
            list.push(p(2)).unwrap();
            let l2 = Arc::clone(&list);
            let t = loom::thread::spawn(move || {
                if let Some(v) = l2.pop() {
                    l2.push(v).unwrap();
                }
            });
            if let Some(v) = list.pop() {
                list.push(v).unwrap();
            }
            t.join().unwrap();
            let mut seen = [list.pop().unwrap().addr(), list.pop().unwrap().addr()];
            seen.sort_unstable();
            assert_eq!(seen, [1, 2]);
            assert_eq!(list.pop(), None);
            assert_eq!(list.pushes(), list.pops());
        });
    }
}
