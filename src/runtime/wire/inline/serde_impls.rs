//! serde for the inline types (feature `serde`), and [`serde_array`] for fixed arrays.

use core::fmt;
use core::str::FromStr;

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

/// serde for fixed arrays `[T; N]` of any `N` (serde's own impls stop at 32): generated code puts
/// `#[serde(with = "::mycelium_contracts::runtime::serde_array")]` on fixed-array fields.
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
