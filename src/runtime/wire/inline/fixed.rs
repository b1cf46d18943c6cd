//! [`Address`] (20 bytes) and [`Hash`] (32 bytes): byte arrays written as they are, shown as hex.

use core::fmt;
use core::str::FromStr;

use super::*;

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
