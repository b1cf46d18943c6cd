//! Fixed-capacity inline types held by generated messages, so that encoding and decoding never
//! allocate: [`InlineString`], [`InlineBytes`], [`InlineVec`] for bounded `string`, `bytes` and
//! `max_count` fields, and the value types [`Address`] (20 bytes), [`U256`] / [`I256`]
//! (`uint256` / `int256`, 32 bytes little-endian) and [`Hash`] (32 bytes).
//!
//! Every type is `Default`, `Debug`, `Clone` and `PartialEq`; constructors that can exceed a
//! capacity are fallible ([`CapacityError`]) and nothing here panics on input. With the `serde`
//! feature they serialize to a readable JSON form: strings as strings, `bytes`, `Address` and
//! `Hash` as `0x`-prefixed hex, `U256`/`I256` as decimal strings, `InlineVec` as a sequence.

use core::fmt;
use core::ops::{Deref, DerefMut};
use core::str::FromStr;

use super::message::{DecodeError, DecodeErrorKind, WireField};

/// A value does not fit an inline type's capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityError {
    len: usize,
    capacity: usize,
}

impl CapacityError {
    /// The length that was asked for (bytes or elements).
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a capacity error is about a non-empty value (kept for API symmetry).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The capacity of the type.
    pub const fn capacity(&self) -> usize {
        self.capacity
    }
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "length {} exceeds the capacity {}", self.len, self.capacity)
    }
}

impl std::error::Error for CapacityError {}

/// A value could not be parsed from text (hex or decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseValueError {
    what: &'static str,
}

impl fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}", self.what)
    }
}

impl std::error::Error for ParseValueError {}

#[inline]
pub(in crate::runtime) fn length_prefix(src: &[u8], capacity: usize) -> Result<(usize, &[u8]), DecodeError> {
    let needed = 2 + capacity;
    if src.len() < needed {
        return Err(DecodeError::new(DecodeErrorKind::Truncated { needed, available: src.len() }));
    }
    let len = usize::from(u16::from_le_bytes([src[0], src[1]]));
    if len > capacity {
        return Err(DecodeError::new(DecodeErrorKind::LengthOverBound { len, max: capacity }));
    }
    Ok((len, &src[2..]))
}

fn put_prefixed(dst: &mut [u8], data: &[u8]) {
    if let Some((prefix, rest)) = dst.split_first_chunk_mut::<2>() {
        *prefix = (data.len() as u16).to_le_bytes();
        let n = data.len().min(rest.len());
        rest[..n].copy_from_slice(&data[..n]);
        rest[n..].fill(0);
    }
}

// ---------------------------------------------------------------------------------------------
// InlineBytes

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
    buf: [u8; N],
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
    bytes: InlineBytes<N>,
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

// ---------------------------------------------------------------------------------------------
// InlineVec

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
    len: usize,
    // Invariant: `len <= N`; `items[len..]` hold `T::default()`.
    items: [T; N],
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

// ---------------------------------------------------------------------------------------------
// Fixed-size value types

fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        let pair = [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]];
        f.write_str(core::str::from_utf8(&pair).unwrap_or("??"))?;
    }
    Ok(())
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses `0x` + exactly `2 * out.len()` hex digits into `out`, in the order written.
fn parse_hex_exact(s: &str, out: &mut [u8], what: &'static str) -> Result<(), ParseValueError> {
    let err = ParseValueError { what };
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")).unwrap_or(s).as_bytes();
    if digits.len() != out.len() * 2 {
        return Err(err);
    }
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *o = (hex_value(pair[0]).ok_or(err)? << 4) | hex_value(pair[1]).ok_or(err)?;
    }
    Ok(())
}

macro_rules! byte_array_type {
    ($(#[$doc:meta])* $name:ident, $n:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; $n]);

        impl $name {
            /// All zeros.
            pub const ZERO: Self = $name([0; $n]);

            /// The bytes.
            pub const fn as_bytes(&self) -> &[u8; $n] {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::ZERO
            }
        }

        impl From<[u8; $n]> for $name {
            fn from(bytes: [u8; $n]) -> Self {
                $name(bytes)
            }
        }

        impl From<$name> for [u8; $n] {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }

        /// `0x` and the bytes in hex, in order.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("0x")?;
                write_hex(f, &self.0)
            }
        }

        /// Parses `0x` (optional) and exactly the right number of hex digits.
        impl FromStr for $name {
            type Err = ParseValueError;
            fn from_str(s: &str) -> Result<Self, ParseValueError> {
                let mut out = [0u8; $n];
                parse_hex_exact(s, &mut out, $what)?;
                Ok($name(out))
            }
        }

        impl WireField for $name {
            const SIZE: usize = $n;
            fn default_value() -> Self {
                Self::ZERO
            }
            fn put(&self, dst: &mut [u8]) {
                if let Some(d) = dst.first_chunk_mut::<$n>() {
                    *d = self.0;
                }
            }
            fn get(src: &[u8]) -> Result<Self, DecodeError> {
                match src.first_chunk::<$n>() {
                    Some(b) => Ok($name(*b)),
                    None => Err(DecodeError::new(DecodeErrorKind::Truncated { needed: $n, available: src.len() })),
                }
            }
        }
    };
}

byte_array_type!(
    /// An `Address`: 20 bytes, written on the wire as they are. Shown as `0x` and 40 hex digits.
    ///
    /// ```
    /// use mycelium_contracts::runtime::Address;
    ///
    /// let a: Address = "0x00000000000000000000000000000000000000ff".parse()?;
    /// assert_eq!(a.0[19], 0xff);
    /// # Ok::<(), mycelium_contracts::runtime::ParseValueError>(())
    /// ```
    Address, 20, "address"
);

byte_array_type!(
    /// A `Hash`: 32 bytes, written on the wire as they are. Shown as `0x` and 64 hex digits.
    Hash, 32, "hash"
);

/// A `uint256`: an unsigned 256-bit integer, held and written as 32 little-endian bytes.
///
/// Shown and parsed in decimal (parsing also takes `0x` and big-endian hex digits).
///
/// ```
/// use mycelium_contracts::runtime::U256;
///
/// let v = U256::from(1_000_000u64);
/// assert_eq!(v.to_le_bytes()[..3], [0x40, 0x42, 0x0f]);
/// assert_eq!(v.to_string(), "1000000");
/// assert_eq!("1000000".parse::<U256>()?, v);
/// assert_eq!(u128::try_from(v), Ok(1_000_000));
/// # Ok::<(), mycelium_contracts::runtime::ParseValueError>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct U256([u8; 32]);

/// An `int256`: a signed 256-bit integer, held and written as 32 little-endian bytes of two's
/// complement. Shown and parsed in decimal with an optional `-`.
///
/// ```
/// use mycelium_contracts::runtime::I256;
///
/// let v = I256::from(-2i64);
/// assert_eq!(v.to_le_bytes(), {
///     let mut b = [0xff; 32];
///     b[0] = 0xfe;
///     b
/// });
/// assert_eq!(v.to_string(), "-2");
/// assert_eq!("-2".parse::<I256>()?, v);
/// # Ok::<(), mycelium_contracts::runtime::ParseValueError>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct I256([u8; 32]);

/// Four little-endian u64 limbs of 32 little-endian bytes.
fn limbs(bytes: &[u8; 32]) -> [u64; 4] {
    core::array::from_fn(|i| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    })
}

fn from_limbs(l: [u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, limb) in l.iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
    }
    out
}

/// Two's complement negation of 32 little-endian bytes (wrapping).
fn negate(bytes: [u8; 32]) -> [u8; 32] {
    let mut l = limbs(&bytes).map(|x| !x);
    for limb in &mut l {
        let (v, carry) = limb.overflowing_add(1);
        *limb = v;
        if !carry {
            break;
        }
    }
    from_limbs(l)
}

/// Writes the unsigned value of `bytes` in decimal, without allocating.
fn write_decimal(f: &mut fmt::Formatter<'_>, bytes: &[u8; 32], negative: bool) -> fmt::Result {
    const CHUNK: u64 = 10_000_000_000_000_000_000; // 10^19
    let mut l = limbs(bytes);
    let mut digits = [0u8; 80];
    let mut start = digits.len();
    loop {
        // Divide the 256-bit value by 10^19, high limb first.
        let mut rem: u128 = 0;
        for limb in l.iter_mut().rev() {
            let cur = (rem << 64) | u128::from(*limb);
            *limb = (cur / u128::from(CHUNK)) as u64;
            rem = cur % u128::from(CHUNK);
        }
        let mut chunk = rem as u64;
        let done = l.iter().all(|&x| x == 0);
        for _ in 0..19 {
            start -= 1;
            digits[start] = b'0' + (chunk % 10) as u8;
            chunk /= 10;
            if done && chunk == 0 {
                break;
            }
        }
        if done {
            break;
        }
    }
    let text = core::str::from_utf8(&digits[start..]).unwrap_or("?");
    f.pad_integral(!negative, "", text)
}

/// Parses decimal digits (or `0x` and big-endian hex digits) into a 256-bit magnitude.
fn parse_magnitude(s: &str, what: &'static str) -> Result<[u8; 32], ParseValueError> {
    let err = ParseValueError { what };
    let (digits, radix) = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => (hex, 16u64),
        None => (s, 10u64),
    };
    if digits.is_empty() {
        return Err(err);
    }
    let mut l = [0u64; 4];
    for c in digits.bytes() {
        let d = match radix {
            16 => hex_value(c),
            _ => c.is_ascii_digit().then(|| c - b'0'),
        }
        .ok_or(err)?;
        // l = l * radix + d, failing on overflow.
        let mut carry = u128::from(d);
        for limb in &mut l {
            let cur = u128::from(*limb) * u128::from(radix) + carry;
            *limb = cur as u64;
            carry = cur >> 64;
        }
        if carry != 0 {
            return Err(err);
        }
    }
    Ok(from_limbs(l))
}

impl U256 {
    /// Zero.
    pub const ZERO: Self = U256([0; 32]);
    /// `2^256 - 1`.
    pub const MAX: Self = U256([0xff; 32]);

    /// From 32 little-endian bytes.
    pub const fn from_le_bytes(bytes: [u8; 32]) -> Self {
        U256(bytes)
    }

    /// The 32 little-endian bytes.
    pub const fn to_le_bytes(self) -> [u8; 32] {
        self.0
    }
}

impl I256 {
    /// Zero.
    pub const ZERO: Self = I256([0; 32]);

    /// From 32 little-endian bytes of two's complement.
    pub const fn from_le_bytes(bytes: [u8; 32]) -> Self {
        I256(bytes)
    }

    /// The 32 little-endian bytes of two's complement.
    pub const fn to_le_bytes(self) -> [u8; 32] {
        self.0
    }

    /// Whether the value is below zero.
    pub const fn is_negative(&self) -> bool {
        self.0[31] & 0x80 != 0
    }
}

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for U256 {
            fn from(v: $t) -> Self {
                let mut b = [0u8; 32];
                b[..core::mem::size_of::<$t>()].copy_from_slice(&v.to_le_bytes());
                U256(b)
            }
        }
        impl From<$t> for I256 {
            fn from(v: $t) -> Self {
                I256(U256::from(v).0)
            }
        }
    )*};
}

from_unsigned!(u8, u16, u32, u64, u128);

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for I256 {
            fn from(v: $t) -> Self {
                let mut b = if v < 0 { [0xffu8; 32] } else { [0u8; 32] };
                b[..core::mem::size_of::<$t>()].copy_from_slice(&v.to_le_bytes());
                I256(b)
            }
        }
    )*};
}

from_signed!(i8, i16, i32, i64, i128);

impl TryFrom<U256> for u128 {
    type Error = CapacityError;
    /// The value when it fits 128 bits.
    fn try_from(v: U256) -> Result<Self, CapacityError> {
        if v.0[16..].iter().any(|&b| b != 0) {
            return Err(CapacityError { len: 32, capacity: 16 });
        }
        let mut b = [0u8; 16];
        b.copy_from_slice(&v.0[..16]);
        Ok(u128::from_le_bytes(b))
    }
}

impl TryFrom<I256> for i128 {
    type Error = CapacityError;
    /// The value when it fits 128 bits.
    fn try_from(v: I256) -> Result<Self, CapacityError> {
        let fill = if v.0[15] & 0x80 != 0 { 0xff } else { 0 };
        if v.0[16..].iter().any(|&b| b != fill) {
            return Err(CapacityError { len: 32, capacity: 16 });
        }
        let mut b = [0u8; 16];
        b.copy_from_slice(&v.0[..16]);
        Ok(i128::from_le_bytes(b))
    }
}

impl fmt::Display for U256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, &self.0, false)
    }
}

impl fmt::Debug for U256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for I256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_negative() { write_decimal(f, &negate(self.0), true) } else { write_decimal(f, &self.0, false) }
    }
}

impl fmt::Debug for I256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for U256 {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Self, ParseValueError> {
        parse_magnitude(s, "uint256").map(U256)
    }
}

impl FromStr for I256 {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Self, ParseValueError> {
        let err = ParseValueError { what: "int256" };
        let (negative, digits) = match s.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, s),
        };
        let mag = parse_magnitude(digits, "int256")?;
        let top_set = mag[31] & 0x80 != 0;
        if negative {
            // The magnitude may be at most 2^255.
            let min = {
                let mut b = [0u8; 32];
                b[31] = 0x80;
                b
            };
            if top_set && mag != min {
                return Err(err);
            }
            Ok(I256(negate(mag)))
        } else if top_set {
            Err(err)
        } else {
            Ok(I256(mag))
        }
    }
}

macro_rules! wire_32 {
    ($($name:ident),*) => {$(
        impl WireField for $name {
            const SIZE: usize = 32;
            fn default_value() -> Self {
                $name([0; 32])
            }
            fn put(&self, dst: &mut [u8]) {
                if let Some(d) = dst.first_chunk_mut::<32>() {
                    *d = self.0;
                }
            }
            fn get(src: &[u8]) -> Result<Self, DecodeError> {
                match src.first_chunk::<32>() {
                    Some(b) => Ok($name(*b)),
                    None => Err(DecodeError::new(DecodeErrorKind::Truncated { needed: 32, available: src.len() })),
                }
            }
        }
    )*};
}

wire_32!(U256, I256);

// ---------------------------------------------------------------------------------------------
// serde

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;
    use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeSeq, Serializer};

    struct FromStrVisitor<T>(core::marker::PhantomData<T>, &'static str);

    impl<T: FromStr> Visitor<'_> for FromStrVisitor<T>
    where
        T::Err: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.1)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.parse().map_err(E::custom)
        }
    }

    macro_rules! serde_text {
        ($($name:ident, $expect:literal;)*) => {$(
            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_str(self)
                }
            }
            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    d.deserialize_str(FromStrVisitor(core::marker::PhantomData, $expect))
                }
            }
        )*};
    }

    serde_text! {
        Address, "a 0x-prefixed 20-byte hex string";
        Hash, "a 0x-prefixed 32-byte hex string";
        U256, "a decimal uint256 string";
        I256, "a decimal int256 string";
    }

    impl<const N: usize> Serialize for InlineString<N> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl<'de, const N: usize> Deserialize<'de> for InlineString<N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(FromStrVisitor(core::marker::PhantomData, "a string within its max_len"))
        }
    }

    impl<const N: usize> Serialize for InlineBytes<N> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                s.collect_str(&HexText(self.as_slice()))
            } else {
                s.serialize_bytes(self.as_slice())
            }
        }
    }

    struct HexText<'a>(&'a [u8]);

    impl fmt::Display for HexText<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("0x")?;
            write_hex(f, self.0)
        }
    }

    struct BytesVisitor<const N: usize>;

    impl<const N: usize> Visitor<'_> for BytesVisitor<N> {
        type Value = InlineBytes<N>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a 0x-prefixed hex string of at most {N} bytes")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let digits = v.strip_prefix("0x").unwrap_or(v);
            if !digits.len().is_multiple_of(2) || digits.len() / 2 > N {
                return Err(E::custom(format_args!("expected at most {N} bytes of hex")));
            }
            let mut b = InlineBytes::<N>::new();
            for pair in digits.as_bytes().chunks_exact(2) {
                let (Some(hi), Some(lo)) = (hex_value(pair[0]), hex_value(pair[1])) else {
                    return Err(E::custom("invalid hex digit"));
                };
                b.try_extend_from_slice(&[(hi << 4) | lo]).map_err(E::custom)?;
            }
            Ok(b)
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            InlineBytes::try_from(v).map_err(E::custom)
        }
    }

    impl<'de, const N: usize> Deserialize<'de> for InlineBytes<N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            if d.is_human_readable() {
                d.deserialize_str(BytesVisitor::<N>)
            } else {
                d.deserialize_bytes(BytesVisitor::<N>)
            }
        }
    }

    impl<T: Serialize, const N: usize> Serialize for InlineVec<T, N> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.len))?;
            for v in self.as_slice() {
                seq.serialize_element(v)?;
            }
            seq.end()
        }
    }

    struct VecVisitor<T, const N: usize>(core::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de> + Default, const N: usize> Visitor<'de> for VecVisitor<T, N> {
        type Value = InlineVec<T, N>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a sequence of at most {N} elements")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut v = InlineVec::new();
            while let Some(x) = seq.next_element()? {
                v.try_push(x).map_err(de::Error::custom)?;
            }
            Ok(v)
        }
    }

    impl<'de, T: Deserialize<'de> + Default, const N: usize> Deserialize<'de> for InlineVec<T, N> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(VecVisitor::<T, N>(core::marker::PhantomData))
        }
    }
}

/// serde for fixed arrays `[T; N]` of any `N` (serde's own impls stop at 32): generated code puts
/// `#[serde(with = "::mycelium_contracts::runtime::serde_array")]` on fixed-array fields.
#[cfg(feature = "serde")]
pub mod serde_array {
    use core::fmt;
    use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeTuple, Serializer};

    use super::WireField;

    /// Serializes `[T; N]` as a tuple (a JSON array).
    pub fn serialize<S: Serializer, T: Serialize, const N: usize>(v: &[T; N], s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(N)?;
        for x in v {
            t.serialize_element(x)?;
        }
        t.end()
    }

    struct ArrayVisitor<T, const N: usize>(core::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de> + WireField, const N: usize> Visitor<'de> for ArrayVisitor<T, N> {
        type Value = [T; N];
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an array of exactly {N} elements")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[T; N], A::Error> {
            let mut out = <[T; N] as WireField>::default_value();
            for (i, slot) in out.iter_mut().enumerate() {
                *slot = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(i, &self))?;
            }
            if seq.next_element::<de::IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(N + 1, &self));
            }
            Ok(out)
        }
    }

    /// Deserializes exactly `N` elements into `[T; N]`.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de> + WireField, const N: usize>(
        d: D,
    ) -> Result<[T; N], D::Error> {
        d.deserialize_tuple(N, ArrayVisitor::<T, N>(core::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_check_capacity_and_utf8() {
        let s = InlineString::<4>::try_from("héé").unwrap_err();
        assert_eq!((s.len(), s.capacity()), (5, 4));
        let mut wire = [0u8; 6];
        InlineString::<4>::try_from("hé").unwrap().put(&mut wire);
        assert_eq!(wire, [3, 0, b'h', 0xc3, 0xa9, 0]);
        wire[3] = 0xff;
        let e = InlineString::<4>::get(&wire).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::InvalidUtf8 { valid_up_to: 1 });
        wire[0] = 5;
        assert_eq!(
            InlineString::<4>::get(&wire).unwrap_err().kind(),
            DecodeErrorKind::LengthOverBound { len: 5, max: 4 }
        );
    }

    #[test]
    fn vec_round_trips_and_zeroes_the_tail() {
        let v = InlineVec::<u16, 3>::try_from(&[7u16][..]).unwrap();
        let mut wire = [0xaau8; 8];
        v.put(&mut wire);
        assert_eq!(wire, [1, 0, 7, 0, 0, 0, 0, 0]);
        assert_eq!(InlineVec::<u16, 3>::get(&wire).unwrap(), v);
        let mut v = v;
        assert_eq!(v.pop(), Some(7));
        assert_eq!(v.pop(), None);
        assert!(InlineVec::<u16, 1>::try_from(&[1, 2][..]).is_err());
    }

    #[test]
    fn reading_in_place_resets_what_the_new_value_does_not_use() {
        let mut wire3 = [0u8; 8];
        InlineVec::<u16, 3>::try_from(&[1u16, 2, 3][..]).unwrap().put(&mut wire3);
        let mut wire1 = [0u8; 8];
        InlineVec::<u16, 3>::try_from(&[9u16][..]).unwrap().put(&mut wire1);
        let mut v = InlineVec::<u16, 3>::new();
        v.read_from(&wire3).unwrap();
        assert_eq!(&*v, &[1, 2, 3]);
        v.read_from(&wire1).unwrap();
        assert_eq!(&*v, &[9]);
        assert_eq!(v.items, [9, 0, 0], "slots past len hold the default");

        let mut s = InlineString::<6>::try_from("abcdef").unwrap();
        let mut wire = [0u8; 8];
        InlineString::<6>::try_from("xy").unwrap().put(&mut wire);
        s.read_from(&wire).unwrap();
        assert_eq!(s.as_str(), "xy");
        assert_eq!(s.bytes.buf, *b"xy\0\0\0\0", "bytes past len are zero");
    }

    #[test]
    fn u256_decimal_text() {
        assert_eq!(U256::ZERO.to_string(), "0");
        assert_eq!(
            U256::MAX.to_string(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        assert_eq!(U256::MAX.to_string().parse::<U256>().unwrap(), U256::MAX);
        assert!(
            "115792089237316195423570985008687907853269984665640564039457584007913129639936".parse::<U256>().is_err()
        );
        assert_eq!(U256::from(u128::MAX).to_string(), u128::MAX.to_string());
        assert_eq!(U256::from(10_000_000_000_000_000_000u64).to_string(), "10000000000000000000");
        assert_eq!("0xff".parse::<U256>().unwrap(), U256::from(255u8));
        assert!("".parse::<U256>().is_err());
        assert!("12a".parse::<U256>().is_err());
        assert_eq!(format!("{:>5}", U256::from(7u8)), "    7");
    }

    #[test]
    fn i256_decimal_text_and_extremes() {
        assert_eq!(I256::from(i128::MIN).to_string(), i128::MIN.to_string());
        assert_eq!(i128::try_from(I256::from(-5i32)), Ok(-5));
        let min = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";
        assert_eq!(min.parse::<I256>().unwrap().to_string(), min);
        let max = "57896044618658097711785492504343953926634992332820282019728792003956564819967";
        assert_eq!(max.parse::<I256>().unwrap().to_string(), max);
        assert!(
            "57896044618658097711785492504343953926634992332820282019728792003956564819968".parse::<I256>().is_err()
        );
        assert!(
            "-57896044618658097711785492504343953926634992332820282019728792003956564819969".parse::<I256>().is_err()
        );
    }

    #[test]
    fn address_hex_text() {
        let a: Address = "0x000102030405060708090a0b0c0d0e0f10111213".parse().unwrap();
        assert_eq!(a.0[19], 0x13);
        assert_eq!(a.to_string(), "0x000102030405060708090a0b0c0d0e0f10111213");
        assert!("0x00".parse::<Address>().is_err());
        assert!("0xzz0102030405060708090a0b0c0d0e0f10111213".parse::<Address>().is_err());
    }
}
