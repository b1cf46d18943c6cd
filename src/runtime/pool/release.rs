//! The return path of a slot: its class's limit (which may hand it to a waiter), this thread's
//! cache, the class's shared list, or, when there is no room (or the pool closed), the
//! allocator.

use std::ptr::NonNull;
use std::sync::atomic::Ordering;

use super::class::{OwnedSlot, SlotHeader, free_slot};
use super::free_list::FreeList;
use super::thread_cache;

/// Returns a slot to its class, or frees it when the class is full or the pool closed.
///
/// # Safety
///
/// `slot` is a live slot, exclusively owned by the caller (no other handle to it remains), in no
/// free list.
#[inline]
pub(crate) unsafe fn release(slot: NonNull<SlotHeader>) {
    // SAFETY: a live slot's header is initialized.
    let class_ptr = unsafe { (*slot.as_ptr()).class };
    // SAFETY: the slot holds a strong count on the state that owns the class.
    let slot = match unsafe { (*class_ptr).limit.as_deref() } {
        None => slot,
        Some(limit) => match limit.on_release(OwnedSlot(slot)) {
            Some(slot) => slot.0,
            None => return, // handed to a waiter
        },
    };
    // SAFETY: as above.
    let cached = unsafe { (*class_ptr).cache_depth } != 0;
    // SAFETY: the caller owns the slot; when it is not stored we still do.
    if cached && unsafe { thread_cache::release(class_ptr, slot) } {
        return;
    }
    // A class with thread caches keeps an idle buffer only with a permit from `room` (without a
    // cache the list's own capacity is the bound).
    // SAFETY: the slot holds a strong count on the state that owns the class.
    let permit = !cached || unsafe { (*class_ptr).take_room(1) } == 1;
    let pushed = if permit {
        // SAFETY: the slot holds a strong count on the state that owns the class, so the list is
        // live when the push starts. Once the push succeeds the slot belongs to the list, and a
        // closing pool may free the state at once: nothing below touches it in that case.
        unsafe { FreeList::push_raw(&raw const (*class_ptr).free, slot.as_ptr()) }
    } else {
        Err(slot.as_ptr())
    };
    if let Err(slot) = pushed {
        // SAFETY: the push failed, so we still own the slot and its strong count.
        let class = unsafe { &*class_ptr };
        if !class.free.is_closed() {
            class.counters.frees.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the push failed, so the caller still owns the slot (non-null: it came from a
        // `NonNull`); nothing refers into the state after this call.
        unsafe { free_slot(class_ptr, NonNull::new_unchecked(slot)) };
    }
}
