//! [`SharedBuffer`]: a frozen pooled buffer shared by several consumers.

use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::{Ordering, fence};

use bytes::Bytes;

use super::buffer::PooledBuffer;
use super::class::{SlotHeader, slot_capacity, slot_data};
use super::release::release;

/// A read-only, cheaply cloneable handle to a frozen [`PooledBuffer`]
/// (from [`PooledBuffer::freeze`]).
///
/// `SharedBuffer` is `Send + Sync`; clones share the bytes, and the buffer returns to its pool
/// when the last clone drops. The reference count lives in the pool slot itself, so freezing
/// and cloning allocate nothing: a clone is one atomic increment, a drop one atomic decrement.
///
/// ```
/// use mycelium_contracts::runtime::BufferPool;
///
/// let pool = BufferPool::builder().with_size_class(128, 16).build();
/// let mut buf = pool.acquire(3)?;
/// buf.copy_from_slice(b"abc");
/// let frame = buf.freeze();
/// let for_recorder = frame.clone();
/// let t = std::thread::spawn(move || assert_eq!(&for_recorder[..], b"abc"));
/// assert_eq!(&frame[..], b"abc");
/// t.join().unwrap();
/// # Ok::<(), mycelium_contracts::runtime::PoolError>(())
/// ```
pub struct SharedBuffer {
    slot: NonNull<SlotHeader>,
    len: usize,
}

// SAFETY: the bytes are never written while shared, and the count is atomic.
unsafe impl Send for SharedBuffer {}
// SAFETY: as above: `&SharedBuffer` only reads the bytes.
unsafe impl Sync for SharedBuffer {}

/// Clones beyond this count abort the process, as `Arc` does: the count would be near overflow.
const MAX_REFS: usize = isize::MAX as usize;

impl SharedBuffer {
    /// Wraps a frozen slot.
    ///
    /// # Safety
    ///
    /// The slot's `refs` counts this new handle, and `len` is at most its class's size.
    #[inline]
    unsafe fn from_slot(slot: NonNull<SlotHeader>, len: usize) -> SharedBuffer {
        SharedBuffer { slot, len }
    }

    #[inline]
    fn refs(&self) -> &std::sync::atomic::AtomicUsize {
        // SAFETY: the slot is alive while a handle exists; the header is never written while
        // shared except through this atomic.
        unsafe { &(*self.slot.as_ptr()).refs }
    }

    /// The number of bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size of the buffer's pool class.
    #[inline]
    pub fn capacity(&self) -> usize {
        slot_capacity(self.slot)
    }

    /// Handles sharing the buffer right now (a snapshot, like `Arc::strong_count`).
    pub fn ref_count(&self) -> usize {
        self.refs().load(Ordering::Acquire)
    }

    /// Gets the writable buffer back when this is the only handle.
    pub fn try_into_mut(self) -> Result<PooledBuffer, SharedBuffer> {
        if self.refs().compare_exchange(1, 0, Ordering::Acquire, Ordering::Relaxed).is_err() {
            return Err(self);
        }
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: the count was 1 and no clone can appear (cloning needs a handle, and this is
        // the only one), so we own the slot exclusively.
        Ok(unsafe { PooledBuffer::from_slot(this.slot, this.len) })
    }

    /// Converts into [`Bytes`] without copying the payload.
    ///
    /// Cost: `Bytes::from_owner` allocates one small block (the `SharedBuffer` plus a reference
    /// count, about 40 bytes) per call, so this is one heap allocation per converted frame; the
    /// pool slot returns when the `Bytes` and all its clones (and all other `SharedBuffer`
    /// clones) drop. Keep frames as `SharedBuffer` where you can.
    pub fn into_bytes(self) -> Bytes {
        Bytes::from_owner(self)
    }
}

impl PooledBuffer {
    /// Turns the buffer into a read-only handle that can be cloned cheaply and sent to other
    /// threads; the buffer returns to the pool when the last clone drops.
    ///
    /// This allocates nothing: the reference count lives in the buffer's pool slot.
    #[inline]
    pub fn freeze(self) -> SharedBuffer {
        let (slot, len) = self.into_slot();
        // SAFETY: we own the slot exclusively (`into_slot`), and its header is initialized.
        unsafe { (*slot.as_ptr()).refs.store(1, Ordering::Relaxed) };
        // SAFETY: the slot's count is 1 and ownership moves to the new handle.
        unsafe { SharedBuffer::from_slot(slot, len) }
    }
}

impl From<PooledBuffer> for SharedBuffer {
    fn from(buf: PooledBuffer) -> Self {
        buf.freeze()
    }
}

impl From<SharedBuffer> for Bytes {
    fn from(buf: SharedBuffer) -> Self {
        buf.into_bytes()
    }
}

impl Clone for SharedBuffer {
    #[inline]
    fn clone(&self) -> Self {
        // Relaxed suffices to take another count while holding one (as in `Arc::clone`).
        let old = self.refs().fetch_add(1, Ordering::Relaxed);
        if old > MAX_REFS {
            std::process::abort();
        }
        SharedBuffer { slot: self.slot, len: self.len }
    }
}

impl Drop for SharedBuffer {
    #[inline]
    fn drop(&mut self) {
        if self.refs().fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        // Synchronizes with the other handles' releases (as in `Arc::drop`).
        fence(Ordering::Acquire);
        // SAFETY: the count reached zero, so this was the last handle and we own the slot.
        unsafe { release(self.slot) }
    }
}

impl Deref for SharedBuffer {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        // SAFETY: the slot's data holds `len` initialized bytes, written before the freeze and
        // never written while shared.
        unsafe { std::slice::from_raw_parts(slot_data(self.slot), self.len) }
    }
}

impl AsRef<[u8]> for SharedBuffer {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl fmt::Debug for SharedBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedBuffer")
            .field("len", &self.len)
            .field("capacity", &self.capacity())
            .field("ref_count", &self.ref_count())
            .finish()
    }
}

impl PartialEq for SharedBuffer {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SharedBuffer {}

#[cfg(test)]
mod tests {
    use crate::runtime::BufferPool;

    #[test]
    fn last_clone_returns_the_buffer() {
        let pool = BufferPool::builder().with_size_class(128, 4).build();
        let mut buf = pool.acquire(2).unwrap();
        buf.copy_from_slice(&[1, 2]);
        let a = buf.freeze();
        let b = a.clone();
        let c = b.clone();
        assert_eq!(a.ref_count(), 3);
        let t = std::thread::spawn(move || {
            assert_eq!(&c[..], &[1, 2]);
        });
        drop(a);
        t.join().unwrap();
        assert_eq!(pool.stats()[0].returns, 0);
        drop(b);
        assert_eq!(pool.stats()[0].returns, 1);
    }

    #[test]
    fn unique_handle_turns_back_into_a_buffer() {
        let pool = BufferPool::builder().with_size_class(128, 4).build();
        let shared = pool.acquire(2).unwrap().freeze();
        let other = shared.clone();
        let shared = shared.try_into_mut().unwrap_err();
        drop(other);
        let mut buf = shared.try_into_mut().unwrap();
        buf[0] = 7;
        assert_eq!(&buf[..], &[7, 0]);
        let again = buf.freeze();
        assert_eq!(again.ref_count(), 1);
    }

    #[test]
    fn bytes_conversion_keeps_the_slot_until_dropped() {
        let pool = BufferPool::builder().with_size_class(128, 4).build();
        let mut buf = pool.acquire(3).unwrap();
        buf.copy_from_slice(b"xyz");
        let shared = buf.freeze();
        let bytes = shared.clone().into_bytes();
        let bytes2 = bytes.slice(1..);
        drop(shared);
        drop(bytes);
        assert_eq!(pool.stats()[0].buffers_out, 1);
        assert_eq!(&bytes2[..], b"yz");
        drop(bytes2);
        assert_eq!(pool.stats()[0].buffers_out, 0);
    }
}
