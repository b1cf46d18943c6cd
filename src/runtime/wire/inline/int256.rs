//! [`U256`] and [`I256`]: 256-bit integers held as 32 little-endian bytes, shown in decimal.

use core::fmt;
use core::str::FromStr;

use super::*;

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
