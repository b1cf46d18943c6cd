//! Zero-copy access: [`ViewField`], the borrowed form of every field type, and the pieces a
//! generated view is made of ([`ViewBytes`], [`FieldChecker`], [`ArrayView`]).
//!
//! A generated message `Trade` has a view type `TradeView<'a>`, made by `Trade::view(payload)`:
//! the payload is checked once, field by field, exactly as [`Message::decode`] checks it (same
//! acceptance, same [`DecodeError`]), and then every accessor reads its field at a fixed offset
//! straight from the payload. Nothing is copied and nothing is allocated.
//!
//! | field type | accessor returns |
//! |---|---|
//! | `bool`, integers, floats | the value |
//! | `Address`, `Hash`, `uint256`, `int256` | the value ([`Address`](super::Address), ...) |
//! | `string` | `&'a str` |
//! | `bytes` | `&'a [u8]` |
//! | a fixed or variable array | an [`ArrayView`] of its elements |
//! | an embedded message | that message's view |
//! | an enum | the value (an enum is `Copy`) |
//!
//! A payload from an older contract version ends before some fields: their accessors return the
//! field's default (zero, empty, all defaults). Bytes after the last known field (a newer
//! version) are ignored.
//!
//! ```
//! use mycelium_contracts::runtime::{ArrayView, DecodeError, ViewField};
//!
//! // A fixed array of three u16 and a bounded string, as they sit on the wire.
//! let wire = [1u8, 0, 2, 0, 3, 0];
//! <[u16; 3]>::check(&wire)?;
//! let numbers: ArrayView<'_, u16> = <[u16; 3]>::read_view(&wire);
//! assert_eq!(numbers.iter().collect::<Vec<_>>(), [1, 2, 3]);
//! assert_eq!(numbers.get(1), Some(2));
//! # Ok::<(), DecodeError>(())
//! ```
//!
//! [`Message::decode`]: super::Message::decode

use core::fmt;
use core::marker::PhantomData;

use super::inline::{Address, Hash, I256, InlineBytes, InlineString, InlineVec, U256, length_prefix};
use super::message::{DecodeError, DecodeErrorKind, WireField};

/// A field type that can be read in place: the borrowed counterpart of [`WireField`].
///
/// Implemented for every type [`WireField`] is implemented for, and by generated code for every
/// message and enum. `check` and `read_view` receive the field's bytes, exactly [`WireField::SIZE`] of them
/// (a message's own `check` and `read_view` also take a whole payload, shorter or longer).
pub trait ViewField: WireField {
    /// What an accessor returns: the value itself for fixed-size scalars, a borrow otherwise.
    type View<'a>: Copy + fmt::Debug;

    /// Whether [`check`](ViewField::check) can refuse bytes of the right length: false for
    /// numbers and byte arrays, whose every bit pattern is a value, so that checking an array of
    /// them is one length comparison instead of a loop over its elements.
    const CHECKS_CONTENT: bool = true;

    /// Whether [`read_view`](ViewField::read_view) of `SIZE` zero bytes is the
    /// [`default_view`](ViewField::default_view) (true for numbers, byte arrays and `bool`), so
    /// that an accessor can read a missing field from zeros instead of choosing between two
    /// values.
    const ZERO_IS_DEFAULT: bool = false;

    /// Checks the field's bytes: `Err` exactly where [`WireField::get`] fails, with the same
    /// error.
    fn check(src: &[u8]) -> Result<(), DecodeError>;

    /// Reads the view of bytes that passed [`check`](ViewField::check). Given bytes that did
    /// not, it returns some value of the type and never panics.
    fn read_view(src: &[u8]) -> Self::View<'_>;

    /// The view of the default value: what an accessor returns for a field missing from an
    /// older payload.
    fn default_view<'a>() -> Self::View<'a>;

    /// The owned value of a view (`to_owned`).
    fn from_view(view: Self::View<'_>) -> Self;

    /// Checks a whole payload and returns its view: what a generated `M::view` calls.
    #[inline]
    fn view_payload(payload: &[u8]) -> Result<Self::View<'_>, DecodeError> {
        Self::check(payload)?;
        Ok(Self::read_view(payload))
    }
}

/// Whether any of a message's fields checks its content ([`ViewField::CHECKS_CONTENT`]): what a
/// generated message's own `CHECKS_CONTENT` is.
pub const fn any_checks_content(fields: &[bool]) -> bool {
    let mut i = 0;
    while i < fields.len() {
        if fields[i] {
            return true;
        }
        i += 1;
    }
    false
}

const fn truncated(needed: usize, available: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Truncated { needed, available })
}

#[inline]
fn check_len<T: WireField>(src: &[u8]) -> Result<(), DecodeError> {
    if src.len() < T::SIZE { Err(truncated(T::SIZE, src.len())) } else { Ok(()) }
}

macro_rules! view_by_value {
    ($($t:ty),*) => {$(
        impl ViewField for $t {
            type View<'a> = $t;
            const CHECKS_CONTENT: bool = false;
            const ZERO_IS_DEFAULT: bool = true;
            #[inline]
            fn check(src: &[u8]) -> Result<(), DecodeError> {
                check_len::<$t>(src)
            }
            #[inline]
            fn read_view(src: &[u8]) -> $t {
                match src.first_chunk::<{ <$t as WireField>::SIZE }>() {
                    Some(bytes) => <$t>::from_le_bytes(*bytes),
                    None => <$t as WireField>::default_value(),
                }
            }
            #[inline]
            fn default_view<'a>() -> Self::View<'a> {
                <$t as WireField>::default_value()
            }
            #[inline]
            fn from_view(view: $t) -> $t {
                view
            }
        }
    )*};
}

view_by_value!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, f32, f64, U256, I256);

macro_rules! view_byte_array {
    ($($t:ident),*) => {$(
        impl ViewField for $t {
            type View<'a> = $t;
            const CHECKS_CONTENT: bool = false;
            const ZERO_IS_DEFAULT: bool = true;
            #[inline]
            fn check(src: &[u8]) -> Result<(), DecodeError> {
                check_len::<$t>(src)
            }
            #[inline]
            fn read_view(src: &[u8]) -> $t {
                match src.first_chunk() {
                    Some(bytes) => $t(*bytes),
                    None => $t::ZERO,
                }
            }
            #[inline]
            fn default_view<'a>() -> Self::View<'a> {
                $t::ZERO
            }
            #[inline]
            fn from_view(view: $t) -> $t {
                view
            }
        }
    )*};
}

view_byte_array!(Address, Hash);

impl ViewField for bool {
    type View<'a> = bool;
    const ZERO_IS_DEFAULT: bool = true;
    #[inline]
    fn check(src: &[u8]) -> Result<(), DecodeError> {
        bool::get(src).map(drop)
    }
    #[inline]
    fn read_view(src: &[u8]) -> bool {
        src.first() == Some(&1)
    }
    #[inline]
    fn default_view<'a>() -> Self::View<'a> {
        false
    }
    #[inline]
    fn from_view(view: bool) -> bool {
        view
    }
}

/// The used part of a length-prefixed field whose prefix was checked (clamped, never panics).
#[inline]
fn prefixed(src: &[u8], capacity: usize) -> &[u8] {
    match src.split_first_chunk::<2>() {
        Some((prefix, data)) => {
            let len = usize::from(u16::from_le_bytes(*prefix)).min(capacity);
            data.get(..len).unwrap_or(&[])
        }
        None => &[],
    }
}

impl<const N: usize> ViewField for InlineBytes<N> {
    type View<'a> = &'a [u8];
    #[inline]
    fn check(src: &[u8]) -> Result<(), DecodeError> {
        length_prefix(src, N).map(drop)
    }
    #[inline]
    fn read_view(src: &[u8]) -> &[u8] {
        prefixed(src, N)
    }
    #[inline]
    fn default_view<'a>() -> Self::View<'a> {
        &[]
    }
    fn from_view(view: &[u8]) -> Self {
        InlineBytes::try_from(view).unwrap_or_default()
    }
}

impl<const N: usize> ViewField for InlineString<N> {
    type View<'a> = &'a str;
    #[inline]
    fn check(src: &[u8]) -> Result<(), DecodeError> {
        let (len, data) = length_prefix(src, N)?;
        let data = &data[..len];
        // ASCII is UTF-8: short strings are mostly ASCII, and this test is much cheaper than
        // `from_utf8`, which still decides (and describes) everything else.
        if data.is_ascii() {
            return Ok(());
        }
        match core::str::from_utf8(data) {
            Ok(_) => Ok(()),
            Err(e) => Err(DecodeError::new(DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() })),
        }
    }
    #[inline]
    fn read_view(src: &[u8]) -> &str {
        // Checked bytes are UTF-8; the fallback only serves bytes that were not checked.
        core::str::from_utf8(prefixed(src, N)).unwrap_or_default()
    }
    #[inline]
    fn default_view<'a>() -> Self::View<'a> {
        ""
    }
    fn from_view(view: &str) -> Self {
        InlineString::try_from(view).unwrap_or_default()
    }
}

impl<T: ViewField, const N: usize> ViewField for [T; N] {
    type View<'a> = ArrayView<'a, T>;
    const CHECKS_CONTENT: bool = T::CHECKS_CONTENT;
    #[inline]
    fn check(src: &[u8]) -> Result<(), DecodeError> {
        check_len::<Self>(src)?;
        check_elements::<T>(src, N)
    }
    #[inline]
    fn read_view(src: &[u8]) -> ArrayView<'_, T> {
        ArrayView::new(src, N)
    }
    #[inline]
    fn default_view<'a>() -> Self::View<'a> {
        ArrayView::new(&[], N)
    }
    fn from_view(view: ArrayView<'_, T>) -> Self {
        let mut items = view.iter();
        core::array::from_fn(|_| items.next().map_or_else(T::default_value, T::from_view))
    }
}

impl<T: ViewField + Default, const N: usize> ViewField for InlineVec<T, N> {
    type View<'a> = ArrayView<'a, T>;
    #[inline]
    fn check(src: &[u8]) -> Result<(), DecodeError> {
        check_len::<Self>(src)?;
        let len = usize::from(u16::from_le_bytes([src[0], src[1]]));
        if len > N {
            return Err(DecodeError::new(DecodeErrorKind::LengthOverBound { len, max: N }));
        }
        check_elements::<T>(&src[2..], len)
    }
    #[inline]
    fn read_view(src: &[u8]) -> ArrayView<'_, T> {
        match src.split_first_chunk::<2>() {
            Some((prefix, data)) => {
                let len = usize::from(u16::from_le_bytes(*prefix)).min(N);
                ArrayView::new(data.get(..len * T::SIZE).unwrap_or(&[]), len)
            }
            None => ArrayView::new(&[], 0),
        }
    }
    #[inline]
    fn default_view<'a>() -> Self::View<'a> {
        ArrayView::new(&[], 0)
    }
    fn from_view(view: ArrayView<'_, T>) -> Self {
        let mut out = InlineVec::new();
        for item in view.iter().take(N) {
            // At most `N` items: cannot fail.
            let _ = out.try_push(T::from_view(item));
        }
        out
    }
}

/// Checks the first `count` elements of `src` (which holds at least that many).
#[inline]
fn check_elements<T: ViewField>(src: &[u8], count: usize) -> Result<(), DecodeError> {
    if T::SIZE == 0 || !T::CHECKS_CONTENT {
        return Ok(());
    }
    for element in src.chunks_exact(T::SIZE).take(count) {
        T::check(element)?;
    }
    Ok(())
}

/// The bytes a missing field of a [`ViewField::ZERO_IS_DEFAULT`] type is read from (the widest
/// such type is 32 bytes).
static ZEROS: [u8; 32] = [0; 32];

/// The bytes of a checked payload, as a generated view holds them: each accessor calls
/// [`field`](ViewBytes::field) with its field's type and offset.
///
/// ```
/// use mycelium_contracts::runtime::ViewBytes;
///
/// let payload = [7u8, 0, 9, 0, 0, 0];
/// let view = ViewBytes::new(&payload);
/// assert_eq!(view.field::<u16>(0), 7);
/// assert_eq!(view.field::<u32>(2), 9);
/// assert_eq!(view.field::<u64>(6), 0); // past the end: an older payload, the default
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ViewBytes<'a> {
    bytes: &'a [u8],
}

impl<'a> ViewBytes<'a> {
    /// Wraps a payload that passed its message's [`ViewField::check`].
    #[inline]
    pub const fn new(bytes: &'a [u8]) -> Self {
        ViewBytes { bytes }
    }

    /// The field of type `T` at `offset`: read in place, or its default when the payload ends
    /// before it.
    #[inline(always)]
    pub fn field<T: ViewField>(self, offset: usize) -> T::View<'a> {
        if T::ZERO_IS_DEFAULT && T::SIZE <= ZEROS.len() {
            // One read from either place, instead of a read and a default to choose between.
            return T::read_view(self.bytes.get(offset..offset + T::SIZE).unwrap_or(&ZEROS[..T::SIZE]));
        }
        match self.bytes.get(offset..offset + T::SIZE) {
            Some(src) => T::read_view(src),
            None => T::default_view(),
        }
    }

    /// The whole payload, trailing bytes of a newer version included.
    #[inline]
    pub const fn as_bytes(self) -> &'a [u8] {
        self.bytes
    }
}

impl fmt::Debug for ViewBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewBytes").field("len", &self.bytes.len()).finish()
    }
}

/// Checks a payload field by field: what a generated [`ViewField::check`] calls, the
/// counterpart of [`FieldReader`](super::FieldReader).
///
/// A field that starts at the end of the payload and every later one are absent (an older
/// payload: they read as defaults); a payload that ends inside a field is an error.
///
/// ```
/// use mycelium_contracts::runtime::{DecodeErrorKind, FieldChecker};
///
/// let payload = [1u8, 0, 2];
/// let mut c = FieldChecker::new(&payload, "Example");
/// c.check::<u16>("a")?;
/// let e = c.check::<u16>("b").unwrap_err();
/// assert_eq!(e.kind(), DecodeErrorKind::Truncated { needed: 2, available: 1 });
/// assert_eq!((e.message(), e.field()), ("Example", "b"));
/// # Ok::<(), mycelium_contracts::runtime::DecodeError>(())
/// ```
#[derive(Debug)]
pub struct FieldChecker<'a> {
    rest: &'a [u8],
    message: &'static str,
}

impl<'a> FieldChecker<'a> {
    /// A checker over `payload` of the message type named `message` (used in errors).
    #[inline]
    pub fn new(payload: &'a [u8], message: &'static str) -> Self {
        FieldChecker { rest: payload, message }
    }

    /// Checks the next field, named `name` (used in errors).
    #[inline(always)]
    pub fn check<T: ViewField>(&mut self, name: &'static str) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            return Ok(());
        }
        match self.rest.split_at_checked(T::SIZE) {
            Some((src, rest)) => {
                self.rest = rest;
                T::check(src).map_err(|e| e.in_field(self.message, name))
            }
            None => Err(truncated(T::SIZE, self.rest.len()).in_field(self.message, name)),
        }
    }
}

/// A fixed or variable array read in place: its elements as views, by index or by iteration.
///
/// For a field missing from an older payload, a fixed array has its `count` default elements
/// and a variable array is empty.
///
/// ```
/// use mycelium_contracts::runtime::{InlineVec, ViewField, WireField};
///
/// let ticks = InlineVec::<i32, 4>::try_from(&[-5, 7][..])?;
/// let mut wire = [0u8; 2 + 4 * 4];
/// ticks.put(&mut wire);
/// let view = <InlineVec<i32, 4>>::view_payload(&wire)?;
/// assert_eq!(view.len(), 2);
/// assert_eq!(view.iter().sum::<i32>(), 2);
/// assert_eq!(view.get(2), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ArrayView<'a, T> {
    /// The elements' bytes: `len * T::SIZE` of them, or none for a missing field.
    bytes: &'a [u8],
    len: usize,
    element: PhantomData<fn() -> T>,
}

impl<T> Clone for ArrayView<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ArrayView<'_, T> {}

impl<'a, T: ViewField> ArrayView<'a, T> {
    #[inline]
    const fn new(bytes: &'a [u8], len: usize) -> Self {
        ArrayView { bytes, len, element: PhantomData }
    }

    /// The number of elements.
    #[inline]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The element at `index`, or `None` past the end.
    #[inline]
    pub fn get(&self, index: usize) -> Option<T::View<'a>> {
        if index >= self.len {
            return None;
        }
        let start = index * T::SIZE;
        Some(match self.bytes.get(start..start + T::SIZE) {
            Some(src) => T::read_view(src),
            None => T::default_view(),
        })
    }

    /// The elements in order.
    #[inline]
    pub fn iter(&self) -> ArrayIter<'a, T> {
        ArrayIter { bytes: self.bytes, remaining: self.len, element: PhantomData }
    }
}

impl<'a, T: ViewField> IntoIterator for ArrayView<'a, T> {
    type Item = T::View<'a>;
    type IntoIter = ArrayIter<'a, T>;
    fn into_iter(self) -> ArrayIter<'a, T> {
        self.iter()
    }
}

impl<'a, T: ViewField> IntoIterator for &ArrayView<'a, T> {
    type Item = T::View<'a>;
    type IntoIter = ArrayIter<'a, T>;
    fn into_iter(self) -> ArrayIter<'a, T> {
        self.iter()
    }
}

impl<T: ViewField> fmt::Debug for ArrayView<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T: ViewField> PartialEq for ArrayView<'a, T>
where
    T::View<'a>: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

/// The iterator of an [`ArrayView`].
pub struct ArrayIter<'a, T> {
    bytes: &'a [u8],
    remaining: usize,
    element: PhantomData<fn() -> T>,
}

impl<'a, T: ViewField> Iterator for ArrayIter<'a, T> {
    type Item = T::View<'a>;

    #[inline]
    fn next(&mut self) -> Option<T::View<'a>> {
        self.remaining = self.remaining.checked_sub(1)?;
        Some(match self.bytes.split_at_checked(T::SIZE) {
            Some((src, rest)) => {
                self.bytes = rest;
                T::read_view(src)
            }
            None => T::default_view(),
        })
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T: ViewField> ExactSizeIterator for ArrayIter<'_, T> {}

impl<T> fmt::Debug for ArrayIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArrayIter").field("remaining", &self.remaining).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_get<T: ViewField + fmt::Debug + PartialEq>(src: &[u8])
    where
        for<'a> T::View<'a>: PartialEq,
    {
        match (T::get(src), T::check(src)) {
            (Ok(value), Ok(())) => {
                assert_eq!(T::from_view(T::read_view(src)), value);
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!("get {a:?} but check {b:?} on {src:?}"),
        }
    }

    #[test]
    fn check_fails_where_get_fails() {
        let cases: &[&[u8]] = &[
            &[],
            &[1],
            &[2],
            &[0, 0],
            &[1, 0, 0xff],
            &[3, 0, b'a', b'b', b'c'],
            &[4, 0, b'a', b'b', b'c', b'd'],
            &[2, 0, 0xc3, 0x28, 0],
            &[2, 0, 0xc3, 0xa9, 0],
            &[3, 0, b'a', 0xe2, 0x82],
            &[3, 0, 0x7f, 0x80, b'a'],
            &[1, 0, 1, 2, 0, 0],
            &[2, 0, 1, 1, 0],
        ];
        for src in cases {
            same_as_get::<bool>(src);
            same_as_get::<u16>(src);
            same_as_get::<InlineString<3>>(src);
            same_as_get::<InlineBytes<3>>(src);
            same_as_get::<InlineVec<bool, 3>>(src);
            same_as_get::<[bool; 2]>(src);
            same_as_get::<[InlineString<1>; 1]>(src);
        }
    }

    #[test]
    fn missing_fields_read_as_defaults() {
        let view = ViewBytes::new(&[5, 0]);
        assert_eq!(view.field::<u16>(0), 5);
        assert_eq!(view.field::<InlineString<4>>(2), "");
        assert_eq!(view.field::<InlineVec<u8, 4>>(8).len(), 0);
        let fixed = view.field::<[u32; 3]>(8);
        assert_eq!(fixed.iter().collect::<Vec<_>>(), [0, 0, 0]);
        assert_eq!(fixed.get(2), Some(0));
    }

    fn zero_is_default<T: ViewField>()
    where
        for<'a> T::View<'a>: PartialEq,
    {
        assert!(T::ZERO_IS_DEFAULT);
        assert!(T::SIZE <= ZEROS.len(), "a missing field is read from `ZEROS`");
        assert!(T::read_view(&ZEROS[..T::SIZE]) == T::default_view());
        let short = ViewBytes::new(&[0xff; 3]);
        assert!(short.field::<T>(3) == T::default_view());
    }

    #[test]
    fn zero_bytes_read_as_the_default() {
        zero_is_default::<bool>();
        zero_is_default::<u8>();
        zero_is_default::<i16>();
        zero_is_default::<u32>();
        zero_is_default::<i64>();
        zero_is_default::<u128>();
        zero_is_default::<i128>();
        zero_is_default::<f32>();
        zero_is_default::<f64>();
        zero_is_default::<U256>();
        zero_is_default::<I256>();
        zero_is_default::<Address>();
        zero_is_default::<Hash>();
        const { assert!(!<InlineString<4>>::ZERO_IS_DEFAULT && !<[u8; 2]>::ZERO_IS_DEFAULT) };
    }

    #[test]
    fn fields_cut_by_the_end_read_as_defaults() {
        let payload = [1u8, 2, 3, 4, 5, 6, 7, 8, 1];
        let view = ViewBytes::new(&payload);
        assert_eq!(view.field::<u64>(0), 0x0807_0605_0403_0201);
        assert_eq!(view.field::<u64>(1), 0x0108_0706_0504_0302);
        assert_eq!(view.field::<u64>(2), 0);
        assert!(view.field::<bool>(8));
        assert!(!view.field::<bool>(9));
        assert_eq!(view.field::<Address>(0), Address::ZERO);
    }

    #[test]
    fn unchecked_bytes_never_panic() {
        let junk = [0xffu8; 7];
        assert_eq!(<InlineString<4>>::read_view(&junk), "");
        assert_eq!(<InlineBytes<9>>::read_view(&junk).len(), 0);
        assert_eq!(<InlineVec<u16, 2>>::read_view(&junk).iter().count(), 2);
        assert_eq!(<[u64; 2]>::read_view(&junk).iter().collect::<Vec<_>>(), [0, 0]);
        assert!(!bool::read_view(&junk));
    }
}
