//! [`InlineVec`]: up to `N` elements, a u16 count on the wire.

use core::fmt;
use core::ops::{Deref, DerefMut};

use super::*;

/// Up to `N` elements held inline: a bounded variable array (`max_count: N`).
///
/// On the wire: a u16 little-endian count, then `N` elements, the unused part zero. Unused slots
/// hold `T::default()`; they are not part of the value (equality, `Debug` and `Deref` see only
/// the first `len()` elements).
///
/// ```
/// use mycelium_contracts::runtime::InlineVec;
///
/// let mut v = InlineVec::<i32, 4>::new();
/// v.try_push(-1)?;
/// v.try_push(7)?;
/// assert_eq!(&*v, &[-1, 7]);
/// assert!(InlineVec::<i32, 1>::try_from(&[1, 2][..]).is_err());
/// # Ok::<(), mycelium_contracts::runtime::CapacityError>(())
/// ```
#[derive(Clone)]
pub struct InlineVec<T, const N: usize> {
    pub(super) len: usize,
    // Invariant: `len <= N`; `items[len..]` hold `T::default()`.
    pub(super) items: [T; N],
}

impl<T: Default, const N: usize> InlineVec<T, N> {
    /// The capacity `N`.
    pub const CAPACITY: usize = N;

    /// An empty vector.
    pub fn new() -> Self {
        InlineVec { len: 0, items: core::array::from_fn(|_| T::default()) }
    }

    /// Appends `value`; fails (changing nothing) when the vector is full.
    pub fn try_push(&mut self, value: T) -> Result<(), CapacityError> {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = value;
                self.len += 1;
                Ok(())
            }
            None => Err(CapacityError { len: self.len + 1, capacity: N }),
        }
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Option<T> {
        let last = self.len.checked_sub(1)?;
        self.len = last;
        Some(core::mem::take(&mut self.items[last]))
    }

    /// Shortens the vector to `len` elements (no effect when already shorter).
    pub fn truncate(&mut self, len: usize) {
        while self.len > len {
            self.pop();
        }
    }

    /// Empties the vector.
    pub fn clear(&mut self) {
        self.truncate(0);
    }
}

impl<T, const N: usize> InlineVec<T, N> {
    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }

    /// The elements, mutable (the length does not change).
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.items[..self.len]
    }

    /// The capacity `N`.
    pub const fn capacity(&self) -> usize {
        N
    }
}

impl<T: Default, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Deref for InlineVec<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T, const N: usize> DerefMut for InlineVec<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T: Default + Clone, const N: usize> TryFrom<&[T]> for InlineVec<T, N> {
    type Error = CapacityError;
    fn try_from(values: &[T]) -> Result<Self, CapacityError> {
        if values.len() > N {
            return Err(CapacityError { len: values.len(), capacity: N });
        }
        let mut v = Self::new();
        v.items[..values.len()].clone_from_slice(values);
        v.len = values.len();
        Ok(v)
    }
}

impl<T: PartialEq, const N: usize> PartialEq for InlineVec<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq, const N: usize> Eq for InlineVec<T, N> {}

impl<T: fmt::Debug, const N: usize> fmt::Debug for InlineVec<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<T: WireField + Default, const N: usize> WireField for InlineVec<T, N> {
    const SIZE: usize = 2 + T::SIZE * N;
    fn default_value() -> Self {
        Self::new()
    }
    fn put(&self, dst: &mut [u8]) {
        if let Some((prefix, rest)) = dst.split_first_chunk_mut::<2>() {
            *prefix = (self.len as u16).to_le_bytes();
            let used = (T::SIZE * self.len).min(rest.len());
            if T::SIZE > 0 {
                for (v, d) in self.as_slice().iter().zip(rest[..used].chunks_exact_mut(T::SIZE)) {
                    v.put(d);
                }
            }
            rest[used..].fill(0);
        }
    }
    fn get(src: &[u8]) -> Result<Self, DecodeError> {
        let mut v = Self::new();
        v.read_from(src)?;
        Ok(v)
    }
    fn read_from(&mut self, src: &[u8]) -> Result<(), DecodeError> {
        if src.len() < Self::SIZE {
            return Err(DecodeError::new(DecodeErrorKind::Truncated { needed: Self::SIZE, available: src.len() }));
        }
        let len = usize::from(u16::from_le_bytes([src[0], src[1]]));
        if len > N {
            return Err(DecodeError::new(DecodeErrorKind::LengthOverBound { len, max: N }));
        }
        // Slots past `len` must hold the default: reset the ones in use beyond the new length.
        self.truncate(len);
        self.len = len;
        if T::SIZE > 0 {
            for (slot, s) in self.items[..len].iter_mut().zip(src[2..].chunks_exact(T::SIZE)) {
                slot.read_from(s)?;
            }
        }
        Ok(())
    }
}
