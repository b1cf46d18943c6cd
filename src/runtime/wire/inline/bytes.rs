//! [`InlineBytes`] and [`InlineString`]: up to `N` bytes (of UTF-8), a u16 length prefix on
//! the wire.

use core::fmt;
use core::ops::{Deref, DerefMut};
use core::str::FromStr;

use super::*;

/// Up to `N` bytes held inline: a bounded `bytes` field (`max_len: N`).
///
/// On the wire: a u16 little-endian length, then `N` bytes, the unused part zero.
///
/// ```
/// use mycelium_contracts::runtime::InlineBytes;
///
/// let b = InlineBytes::<4>::try_from(&[1u8, 2][..])?;
/// assert_eq!(&*b, &[1, 2]);
/// assert!(InlineBytes::<1>::try_from(&[1u8, 2][..]).is_err());
/// # Ok::<(), mycelium_contracts::runtime::CapacityError>(())
/// ```
#[derive(Clone, Copy)]
pub struct InlineBytes<const N: usize> {
    len: usize,
    // Invariant: `buf[len..]` is zero and `len <= N`.
    pub(super) buf: [u8; N],
}

impl<const N: usize> InlineBytes<N> {
    /// The capacity `N`.
    pub const CAPACITY: usize = N;

    /// An empty value.
    pub const fn new() -> Self {
        InlineBytes { len: 0, buf: [0; N] }
    }

    /// The bytes held.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The bytes held, mutable (the length does not change).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.buf[..self.len]
    }

    /// The capacity `N`.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Appends `data`; fails (changing nothing) when the result would exceed `N`.
    pub fn try_extend_from_slice(&mut self, data: &[u8]) -> Result<(), CapacityError> {
        let end = self.len + data.len();
        if end > N {
            return Err(CapacityError { len: end, capacity: N });
        }
        self.buf[self.len..end].copy_from_slice(data);
        self.len = end;
        Ok(())
    }

    /// Empties the value.
    pub fn clear(&mut self) {
        self.buf[..self.len].fill(0);
        self.len = 0;
    }

    /// Replaces the bytes with `data` (at most `N`, checked by the caller), keeping the unused
    /// part zero without touching more of it than was used.
    fn set(&mut self, data: &[u8]) {
        let n = data.len().min(N);
        self.buf[..n].copy_from_slice(&data[..n]);
        if self.len > n {
            self.buf[n..self.len].fill(0);
        }
        self.len = n;
    }
}

impl<const N: usize> Default for InlineBytes<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Deref for InlineBytes<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl<const N: usize> DerefMut for InlineBytes<N> {
    fn deref_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
}

impl<const N: usize> AsRef<[u8]> for InlineBytes<N> {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl<const N: usize> TryFrom<&[u8]> for InlineBytes<N> {
    type Error = CapacityError;
    fn try_from(data: &[u8]) -> Result<Self, CapacityError> {
        let mut b = Self::new();
        b.try_extend_from_slice(data)?;
        Ok(b)
    }
}

impl<const N: usize> PartialEq for InlineBytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> Eq for InlineBytes<N> {}

impl<const N: usize> core::hash::Hash for InlineBytes<N> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<const N: usize> fmt::Debug for InlineBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        write_hex(f, self.as_slice())
    }
}

impl<const N: usize> WireField for InlineBytes<N> {
    const SIZE: usize = 2 + N;
    fn default_value() -> Self {
        Self::new()
    }
    fn put(&self, dst: &mut [u8]) {
        put_prefixed(dst, self.as_slice());
    }
    fn get(src: &[u8]) -> Result<Self, DecodeError> {
        let mut b = Self::new();
        b.read_from(src)?;
        Ok(b)
    }
    fn read_from(&mut self, src: &[u8]) -> Result<(), DecodeError> {
        let (len, data) = length_prefix(src, N)?;
        self.set(&data[..len]);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// InlineString

/// Up to `N` bytes of UTF-8 held inline: a bounded `string` field (`max_len: N`, in bytes).
///
/// On the wire: a u16 little-endian length in bytes, then `N` bytes, the unused part zero.
///
/// ```
/// use mycelium_contracts::runtime::InlineString;
///
/// let s = InlineString::<8>::try_from("WETH")?;
/// assert_eq!(s.as_str(), "WETH");
/// assert!(InlineString::<2>::try_from("WETH").is_err());
/// # Ok::<(), mycelium_contracts::runtime::CapacityError>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct InlineString<const N: usize> {
    // Invariant: valid UTF-8.
    pub(super) bytes: InlineBytes<N>,
}

impl<const N: usize> InlineString<N> {
    /// The capacity `N` in bytes.
    pub const CAPACITY: usize = N;

    /// An empty string.
    pub const fn new() -> Self {
        InlineString { bytes: InlineBytes::new() }
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        // Only valid UTF-8 is ever stored; the fallback is unreachable and avoids unsafe.
        core::str::from_utf8(self.bytes.as_slice()).unwrap_or_default()
    }

    /// The UTF-8 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The capacity `N` in bytes.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Appends `s`; fails (changing nothing) when the result would exceed `N` bytes.
    pub fn try_push_str(&mut self, s: &str) -> Result<(), CapacityError> {
        self.bytes.try_extend_from_slice(s.as_bytes())
    }

    /// Empties the string.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }
}

impl<const N: usize> Deref for InlineString<N> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> AsRef<str> for InlineString<N> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> TryFrom<&str> for InlineString<N> {
    type Error = CapacityError;
    fn try_from(s: &str) -> Result<Self, CapacityError> {
        Ok(InlineString { bytes: InlineBytes::try_from(s.as_bytes())? })
    }
}

impl<const N: usize> FromStr for InlineString<N> {
    type Err = CapacityError;
    fn from_str(s: &str) -> Result<Self, CapacityError> {
        Self::try_from(s)
    }
}

impl<const N: usize> PartialEq<str> for InlineString<N> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl<const N: usize> PartialEq<&str> for InlineString<N> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<const N: usize> fmt::Debug for InlineString<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for InlineString<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> WireField for InlineString<N> {
    const SIZE: usize = 2 + N;
    fn default_value() -> Self {
        Self::new()
    }
    fn put(&self, dst: &mut [u8]) {
        self.bytes.put(dst);
    }
    fn get(src: &[u8]) -> Result<Self, DecodeError> {
        let mut s = Self::new();
        s.read_from(src)?;
        Ok(s)
    }
    fn read_from(&mut self, src: &[u8]) -> Result<(), DecodeError> {
        let (len, data) = length_prefix(src, N)?;
        let data = &data[..len];
        if let Err(e) = core::str::from_utf8(data) {
            return Err(DecodeError::new(DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() }));
        }
        self.bytes.set(data);
        Ok(())
    }
}
