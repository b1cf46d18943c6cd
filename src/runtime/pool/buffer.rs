//! [`PooledBuffer`]: a buffer on loan from a [`BufferPool`](crate::runtime::BufferPool).

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use super::class::{SlotHeader, slot_capacity, slot_data};
use super::release::release;

/// A buffer of exactly [`len`](PooledBuffer::len) bytes from a [`BufferPool`](crate::runtime::BufferPool).
///
/// It dereferences to `[u8]` of the requested length (the rest of its class's capacity is not
/// visible), is `Send` and `Sync`, and returns to its class when dropped: on any thread, and also
/// when dropped while a panic unwinds. Freshly acquired buffers are zeroed.
///
/// To hand one frame to several consumers, [`freeze`](PooledBuffer::freeze) it into a
/// [`SharedBuffer`](crate::runtime::SharedBuffer).
///
/// ```
/// use mycelium_contracts::runtime::BufferPool;
///
/// let pool = BufferPool::builder().with_size_class(128, 16).build();
/// let mut buf = pool.acquire(4)?;
/// buf.copy_from_slice(b"ping");
/// assert_eq!(&buf[..], b"ping");
/// assert_eq!((buf.len(), buf.capacity()), (4, 128));
/// # Ok::<(), mycelium_contracts::runtime::PoolError>(())
/// ```
pub struct PooledBuffer {
    slot: NonNull<SlotHeader>,
    len: usize,
}

// SAFETY: a `PooledBuffer` owns its slot exclusively (like a `Box<[u8]>`), and returning the
// slot (`release`) is thread-safe.
unsafe impl Send for PooledBuffer {}
// SAFETY: a shared reference only gives out `&[u8]` and the capacity.
unsafe impl Sync for PooledBuffer {}

impl PooledBuffer {
    /// Wraps a slot.
    ///
    /// # Safety
    ///
    /// The caller owns `slot` exclusively (just popped or allocated) and `len` is at most its
    /// class's size.
    #[inline]
    pub(crate) unsafe fn from_slot(slot: NonNull<SlotHeader>, len: usize) -> PooledBuffer {
        debug_assert!(len <= slot_capacity(slot));
        PooledBuffer { slot, len }
    }

    /// The number of bytes the buffer dereferences to (the length passed to `acquire`).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size of the buffer's class: what the buffer occupies in the pool.
    #[inline]
    pub fn capacity(&self) -> usize {
        slot_capacity(self.slot)
    }

    /// Takes the slot out of the buffer without returning it: the caller owns the slot
    /// exclusively afterwards, with the buffer's `len`.
    #[inline]
    pub(crate) fn into_slot(self) -> (NonNull<SlotHeader>, usize) {
        let this = ManuallyDrop::new(self);
        (this.slot, this.len)
    }
}

impl Deref for PooledBuffer {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        // SAFETY: the slot's data holds at least `len` initialized bytes (slots are zeroed when
        // allocated) and we own the slot, so no one writes to it while `self` is borrowed.
        unsafe { std::slice::from_raw_parts(slot_data(self.slot), self.len) }
    }
}

impl DerefMut for PooledBuffer {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(slot_data(self.slot), self.len) }
    }
}

impl AsRef<[u8]> for PooledBuffer {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl AsMut<[u8]> for PooledBuffer {
    fn as_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl Drop for PooledBuffer {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: we own the slot exclusively and drop our handle to it now.
        unsafe { release(self.slot) }
    }
}

impl fmt::Debug for PooledBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PooledBuffer").field("len", &self.len).field("capacity", &self.capacity()).finish()
    }
}

impl PartialEq for PooledBuffer {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for PooledBuffer {}
