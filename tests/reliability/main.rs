//! Reliability tests: the fuzz seed corpora replayed through the fuzz properties, the
//! hostile-document suite, the loopback soak test with injected faults (pool exhaustion under load is in
//! `tests/runtime/limit.rs`).
//!
//! The binary counts heap bytes (a counting global allocator): per thread, and for the whole
//! process with its peak. The tests that move a lot of memory hold [`HEAVY`], so a process-wide
//! peak taken under it counts the threads a check spawns and little else.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../../fuzz/props.rs"]
mod props;

mod corpus;
mod hostile;
mod soak;
mod soak_engine;

/// Serializes the tests that move a lot of memory, so process-wide heap figures mean something.
pub static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Counts live and peak heap bytes of the current thread, and live bytes of the whole process.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Live heap bytes of the whole process.
static PROCESS_LIVE: AtomicUsize = AtomicUsize::new(0);
/// Peak of `PROCESS_LIVE` since [`process_peak_during`] last reset it.
static PROCESS_PEAK: AtomicUsize = AtomicUsize::new(0);

fn track(delta: isize) {
    if delta > 0 {
        let now = PROCESS_LIVE.fetch_add(delta as usize, Ordering::Relaxed) + delta as usize;
        PROCESS_PEAK.fetch_max(now, Ordering::Relaxed);
    } else {
        PROCESS_LIVE.fetch_sub(delta.unsigned_abs(), Ordering::Relaxed);
    }
    // `try_with`: the thread-locals may be gone while a thread exits.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters do not
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's arguments.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the peak heap bytes of the whole process above what it
/// held when `f` started: with the threads `f` spawns, and whatever other tests allocate meanwhile
/// (hold [`HEAVY`] to keep that small).
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
