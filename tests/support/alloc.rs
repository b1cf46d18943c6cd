//! A counting global allocator, shared by the test binaries that measure heap use.
//!
//! A binary installs it with
//!
//! ```ignore
//! #[path = "../support/alloc.rs"]
//! mod counting;
//! ```
//!
//! It forwards every call to the system allocator and counts, per thread, the allocations made
//! and the bytes they request (so tests running in parallel do not disturb each other's counts),
//! and, for the whole process, the live heap bytes and their peak. The counters never allocate.

// Each binary uses the part it measures.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

thread_local! {
    /// Allocations (including reallocations) made by this thread.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    /// Bytes those allocations requested.
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

/// Live heap bytes of the whole process.
static PROCESS_LIVE: AtomicUsize = AtomicUsize::new(0);
/// Peak of `PROCESS_LIVE` since [`process_peak_during`] last reset it.
static PROCESS_PEAK: AtomicUsize = AtomicUsize::new(0);

/// One allocation of `requested` bytes by this thread.
fn count(requested: usize) {
    // `try_with`: the thread-locals may be gone while a thread exits.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + requested as u64));
}

/// The process's live heap grew (or shrank) by `delta` bytes.
fn track(delta: isize) {
    if delta > 0 {
        let now = PROCESS_LIVE.fetch_add(delta as usize, Ordering::Relaxed) + delta as usize;
        PROCESS_PEAK.fetch_max(now, Ordering::Relaxed);
    } else {
        PROCESS_LIVE.fetch_sub(delta.unsigned_abs(), Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; counting touches only
// atomics and thread-local `Cell`s without destructors (it never allocates).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: forwarded with the caller's arguments.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations (including reallocations) made by this thread while `f` runs, with `f`'s
/// result.
pub fn allocations_during<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let ((allocations, _), out) = allocated_during(f);
    (allocations, out)
}

/// `(allocations, bytes requested)` by this thread while `f` runs, with `f`'s result.
pub fn allocated_during<T>(f: impl FnOnce() -> T) -> ((u64, u64), T) {
    let before = (ALLOCATIONS.with(Cell::get), BYTES.with(Cell::get));
    let out = f();
    let after = (ALLOCATIONS.with(Cell::get), BYTES.with(Cell::get));
    ((after.0 - before.0, after.1 - before.1), out)
}

/// Runs `f` and returns its result with the peak heap bytes of the whole process above what it
/// held when `f` started: with the threads `f` spawns, and whatever other tests allocate
/// meanwhile (serialize the tests that move a lot of memory to keep that small).
pub fn process_peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = PROCESS_LIVE.load(Ordering::Relaxed);
    PROCESS_PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PROCESS_PEAK.load(Ordering::Relaxed);
    (out, peak.saturating_sub(base))
}

/// Live heap bytes of the whole process.
pub fn process_heap() -> usize {
    PROCESS_LIVE.load(Ordering::Relaxed)
}
