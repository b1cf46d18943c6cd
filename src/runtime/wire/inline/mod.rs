//! Fixed-capacity inline types held by generated messages, so that encoding and decoding never
//! allocate: [`InlineString`], [`InlineBytes`], [`InlineVec`] for bounded `string`, `bytes` and
//! `max_count` fields, and the value types [`Address`] (20 bytes), [`U256`] / [`I256`]
//! (`uint256` / `int256`, 32 bytes little-endian) and [`Hash`] (32 bytes).
//!
//! Every type is `Default`, `Debug`, `Clone` and `PartialEq`; constructors that can exceed a
//! capacity are fallible ([`CapacityError`]) and nothing here panics on input. With the `serde`
//! feature they serialize to a readable JSON form: strings as strings, `bytes`, `Address` and
//! `Hash` as `0x`-prefixed hex, `U256`/`I256` as decimal strings, `InlineVec` as a sequence.
//!
//! One file per family: `bytes.rs` (`InlineBytes`, `InlineString`), `vec.rs`, `fixed.rs`
//! (`Address`, `Hash`), `int256.rs` (`U256`, `I256`) and `serde_impls.rs`.

use core::fmt;

use super::message::{DecodeError, DecodeErrorKind, WireField};

mod bytes;
mod fixed;
mod int256;
#[cfg(feature = "serde")]
mod serde_impls;
mod vec;

pub use self::bytes::{InlineBytes, InlineString};
pub use self::fixed::{Address, Hash};
pub use self::int256::{I256, U256};
#[cfg(feature = "serde")]
pub use self::serde_impls::serde_array;
pub use self::vec::InlineVec;

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
