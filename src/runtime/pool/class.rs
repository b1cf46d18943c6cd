//! Size classes and their slots: the state that a pool's handles, its buffers and the thread
//! caches share ([`Inner`], one [`Class`] per size), how a slot is allocated and freed, and the
//! class's idle permits (`room`) and pins for the thread caches.
//!
//! # Memory layout
//!
//! Every buffer is one heap allocation, a *slot*: a 16-byte header (a pointer to its class and
//! the reference count used by [`SharedBuffer`](crate::runtime::SharedBuffer)) followed by the class's
//! `size` bytes. Slots are 64-byte aligned, so two buffers never share a cache line.
//!
//! ```text
//! slot:  | class: *const Class | refs: AtomicUsize | data: [u8; size] ........ |
//!        0                     8                  16
//! ```
//!
//! The slot keeps its class alive: every slot, idle or handed out, holds one strong count on the
//! pool state that owns the class ([`Class::allocate`], [`free_slot`]).

use std::alloc::{self, Layout};
use std::fmt;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::free_list::{CachePadded, FreeList};
use super::limit::Limit;
use super::stats::{CacheCounters, ClassStats, RetiredCaches, SlowCounters};

/// Bytes before a slot's data: the class pointer and the reference count.
pub(crate) const SLOT_HEADER: usize = 16;
/// Alignment of a slot: a cache line.
const SLOT_ALIGN: usize = 64;

/// The header at the start of every slot.
#[repr(C)]
pub(crate) struct SlotHeader {
    /// The class the slot belongs to (inside the pool's `Inner`, which the slot keeps alive).
    pub(crate) class: *const Class,
    /// Clones of the [`SharedBuffer`](crate::runtime::SharedBuffer) that owns the slot, once frozen.
    pub(crate) refs: AtomicUsize,
}

const _: () = assert!(size_of::<SlotHeader>() == SLOT_HEADER);

/// Returns a pointer to the first data byte of a slot.
#[inline]
pub(crate) fn slot_data(slot: NonNull<SlotHeader>) -> *mut u8 {
    // SAFETY: every slot is an allocation of `SLOT_HEADER + size` bytes (`Class::allocate`), so
    // the offset stays inside it; the pointer keeps the provenance of the whole allocation.
    unsafe { slot.as_ptr().cast::<u8>().add(SLOT_HEADER) }
}

/// The size of the data of a slot (its class's size).
#[inline]
pub(crate) fn slot_capacity(slot: NonNull<SlotHeader>) -> usize {
    // SAFETY: a live slot's header is initialized and its class outlives it (the slot holds a
    // strong count on the pool state that owns the class).
    unsafe { (*(*slot.as_ptr()).class).size }
}

/// A slot owned by whoever holds this value: what a class's limit hands to a waiter.
pub(crate) struct OwnedSlot(pub(crate) NonNull<SlotHeader>);

// SAFETY: a slot is owned exclusively by whoever holds it (like a `Box`), and `PooledBuffer`,
// which owns one the same way, is `Send`.
unsafe impl Send for OwnedSlot {}

/// One size class: buffers of `size` bytes and their idle list.
pub(crate) struct Class {
    pub(crate) size: usize,
    /// The bound on buffers out and its policy, if any (`limit.rs`).
    pub(crate) limit: Option<Arc<Limit<OwnedSlot>>>,
    layout: Layout,
    /// Slots a thread caches at most (`thread_cache.rs`); `0`: this class has no thread cache.
    pub(crate) cache_depth: usize,
    /// Set when the pool closes (read on the thread cache's return path).
    closed: AtomicBool,
    /// Slots pushed by the prefill (not counted as returns).
    prefilled: u64,
    /// The pool state this class lives in; `Weak::as_ptr` is its address.
    pool: Weak<Inner>,
    pub(crate) free: FreeList<SlotHeader>,
    pub(crate) counters: CachePadded<SlowCounters>,
    /// Idle permits held by neither the shared list nor a thread cache (classes with a cache).
    room: CachePadded<AtomicUsize>,
    /// Counters of the thread caches of this class that are alive.
    caches: Mutex<Vec<Arc<CachePadded<CacheCounters>>>>,
    /// Counters of thread caches that were retired.
    retired: RetiredCaches,
}

impl Class {
    /// A class of buffers of `size` bytes that keeps at most `capacity` of them idle, with its
    /// limit, a thread cache of `cache_depth` slots (`0`: none), in the pool state `pool`. With
    /// `prefill`, the caller fills its shared list to `capacity` before anything else touches it.
    ///
    /// # Panics
    ///
    /// When a slot of `size` bytes cannot be laid out in the address space.
    pub(crate) fn new(
        size: usize,
        capacity: usize,
        limit: Option<Arc<Limit<OwnedSlot>>>,
        cache_depth: usize,
        prefill: bool,
        pool: Weak<Inner>,
    ) -> Class {
        Class {
            size,
            limit,
            layout: Layout::from_size_align(SLOT_HEADER + size, SLOT_ALIGN)
                .expect("size class too large for the address space"),
            cache_depth,
            closed: AtomicBool::new(false),
            prefilled: if prefill { capacity as u64 } else { 0 },
            pool,
            free: FreeList::new(capacity),
            counters: CachePadded(SlowCounters::default()),
            room: CachePadded(AtomicUsize::new(if prefill { 0 } else { capacity })),
            caches: Mutex::new(Vec::new()),
            retired: RetiredCaches::default(),
        }
    }

    /// Allocates a zeroed slot of this class; the caller takes over one strong count on the pool
    /// state, passed in as `inner` (the state this class lives in).
    #[cold]
    #[inline(never)]
    pub(crate) fn allocate(&self, inner: &Arc<Inner>) -> NonNull<SlotHeader> {
        // SAFETY: the layout has a non-zero size (it includes the header).
        let ptr = unsafe { alloc::alloc_zeroed(self.layout) };
        let Some(slot) = NonNull::new(ptr.cast::<SlotHeader>()) else { alloc::handle_alloc_error(self.layout) };
        // SAFETY: the allocation is large and aligned enough for the header, and not shared yet.
        unsafe {
            slot.as_ptr().write(SlotHeader { class: self, refs: AtomicUsize::new(0) });
        }
        // The slot keeps the pool state (and so `self`) alive until it is freed.
        std::mem::forget(Arc::clone(inner));
        slot
    }
}

/// The thread cache's view of a class.
impl Class {
    #[inline]
    pub(crate) fn cache_depth(&self) -> usize {
        self.cache_depth
    }

    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    /// Takes a strong count on the pool state, for a thread cache entry ([`Inner::unpin`]).
    pub(crate) fn pin_pool(&self) -> *const Inner {
        // Whoever calls this holds a slot of the class or a pool handle, so the state is alive.
        let inner = self.pool.upgrade().unwrap_or_else(|| unreachable!("a class in use has a live pool state"));
        Arc::into_raw(inner)
    }

    pub(crate) fn register_cache(&self, counters: &Arc<CachePadded<CacheCounters>>) {
        self.caches.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::clone(counters));
    }

    /// Folds a retiring cache's counters into `retired` and forgets the cache (under the lock, so
    /// that `stats` never counts them twice or not at all).
    pub(crate) fn retire_cache(&self, counters: &Arc<CachePadded<CacheCounters>>) {
        let mut caches = self.caches.lock().unwrap_or_else(PoisonError::into_inner);
        let (hits, returns, _) = counters.read();
        let retired = &self.retired;
        retired.hits.fetch_add(hits, Ordering::Relaxed);
        retired.returns.fetch_add(returns, Ordering::Relaxed);
        retired.pulled.fetch_add(counters.pulled.load(Ordering::Relaxed), Ordering::Relaxed);
        retired.pushed.fetch_add(counters.pushed.load(Ordering::Relaxed), Ordering::Relaxed);
        caches.retain(|c| !Arc::ptr_eq(c, counters));
    }

    /// Pushes a slot that carries its permit to the shared list; hands it back when the pool
    /// closed (the list never fills up: it has room for every permit).
    #[inline]
    pub(crate) fn push_shared(&self, slot: *mut SlotHeader) -> Result<(), *mut SlotHeader> {
        self.free.push(slot)
    }

    /// Pops a slot (and its permit) from the shared list.
    #[inline]
    pub(crate) fn pop_shared(&self) -> Option<*mut SlotHeader> {
        self.free.pop()
    }

    /// Pops a slot for a thread without a cache: its permit goes back to `room`.
    #[cold]
    pub(crate) fn pop_shared_uncached(&self) -> Option<*mut SlotHeader> {
        let slot = self.free.pop()?;
        self.give_room(1);
        Some(slot)
    }

    #[inline]
    pub(crate) fn give_room(&self, permits: usize) {
        if permits > 0 {
            self.room.fetch_add(permits, Ordering::Relaxed);
        }
    }

    /// Takes up to `max` permits from `room`; returns how many.
    pub(crate) fn take_room(&self, max: usize) -> usize {
        let mut room = self.room.load(Ordering::Relaxed);
        loop {
            let take = room.min(max);
            if take == 0 {
                return 0;
            }
            match self.room.compare_exchange_weak(room, room - take, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return take,
                Err(current) => room = current,
            }
        }
    }
}

impl Class {
    /// The class's counters, for [`BufferPool::stats`](crate::runtime::BufferPool::stats).
    pub(crate) fn stats(&self) -> ClassStats {
        let caches = self.caches.lock().unwrap_or_else(PoisonError::into_inner);
        let retired = &self.retired;
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let (mut cache_hits, mut cache_returns) = (load(&retired.hits), load(&retired.returns));
        let (mut pulled, mut pushed, mut cached) = (load(&retired.pulled), load(&retired.pushed), 0);
        for c in caches.iter() {
            let (hits, returns, len) = c.read();
            cache_hits += hits;
            cache_returns += returns;
            pulled += c.pulled.load(Ordering::Relaxed);
            pushed += c.pushed.load(Ordering::Relaxed);
            cached += len;
        }
        drop(caches);
        let misses = self.counters.misses.load(Ordering::Relaxed);
        let frees_over_capacity = self.counters.frees.load(Ordering::Relaxed);
        // Slots moved between the shared list and the caches are neither hits nor returns.
        let hits = self.free.pops().saturating_sub(pulled) + cache_hits;
        let returns = self.free.pushes().saturating_sub(self.prefilled + pushed) + cache_returns;
        let mut stats = ClassStats {
            size: self.size,
            capacity: self.free.capacity(),
            idle: self.free.len() + cached,
            hits,
            misses,
            returns,
            frees_over_capacity,
            buffers_out: (hits + misses).saturating_sub(returns + frees_over_capacity),
            ..ClassStats::default()
        };
        if let Some(limit) = &self.limit {
            limit.fill_stats(&mut stats);
        }
        stats
    }
}

impl fmt::Debug for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Class").field("size", &self.size).field("free", &self.free).finish()
    }
}

/// Frees a slot and drops the strong count it held on its pool state.
///
/// # Safety
///
/// `slot` is a live slot of `class`, owned by the caller and in no free list. No reference into
/// the pool state may be held across this call: it may free the state (and `class`).
pub(crate) unsafe fn free_slot(class: *const Class, slot: NonNull<SlotHeader>) {
    // SAFETY: the slot holds a strong count, so `class` is alive until the decrement below.
    let (layout, inner) = unsafe { ((*class).layout, (*class).pool.as_ptr()) };
    // SAFETY: the slot was allocated with this layout and the caller owns it.
    unsafe { alloc::dealloc(slot.as_ptr().cast(), layout) };
    // SAFETY: the slot held one strong count, taken in `Class::allocate`; nothing refers into the
    // state any more when the count is released.
    unsafe { Arc::decrement_strong_count(inner) };
}

/// The state shared by the handles of a pool and its slots.
pub(crate) struct Inner {
    pub(crate) classes: Box<[Class]>,
    /// Class index for each `ceil(log2(len))`, `u8::MAX` where no class is large enough.
    pub(crate) lookup: [u8; usize::BITS as usize + 1],
    pub(crate) max_size: usize,
    /// [`BufferPool`](crate::runtime::BufferPool) handles alive; the pool closes when the last one
    /// drops.
    pub(crate) handles: AtomicUsize,
}

impl Inner {
    /// Drops the strong count taken by [`Class::pin_pool`].
    ///
    /// # Safety
    ///
    /// `pin` came from `Class::pin_pool` and is dropped once; nothing refers into the state
    /// afterwards.
    pub(crate) unsafe fn unpin(pin: *const Inner) {
        // SAFETY: the caller guarantees the pin is a strong count of an `Arc<Inner>`.
        unsafe { Arc::decrement_strong_count(pin) };
    }

    /// Marks every class closed: from now on a thread cache retires when it is handed a slot of
    /// the pool, instead of keeping it.
    pub(crate) fn mark_closed(&self) {
        for class in self.classes.iter() {
            class.closed.store(true, Ordering::Relaxed);
        }
    }

    /// Closes every class's shared list (later pushes fail, so the slots returned later are
    /// freed) and frees the idle slots in it.
    ///
    /// Takes the state by an `Arc`: that strong count keeps the state alive while its slots, and
    /// the counts they hold, are freed.
    pub(crate) fn close_shared(self: &Arc<Self>) {
        for class in self.classes.iter() {
            class.free.close();
            while let Some(slot) = class.free.pop() {
                // SAFETY: popped slots are live and owned by us now, and `self` is a strong count
                // on the state, so freeing them cannot free the state.
                unsafe { free_slot(class, NonNull::new_unchecked(slot)) };
            }
        }
    }

    #[inline]
    pub(crate) fn class_for(&self, len: usize) -> Option<&Class> {
        let bucket = if len <= 1 { 0 } else { (usize::BITS - (len - 1).leading_zeros()) as usize };
        self.classes.get(usize::from(self.lookup[bucket]))
    }
}
