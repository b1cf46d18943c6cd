//! What a payload holds: the [`Message`] trait and the field codec ([`message`]), and the
//! fixed-capacity inline types generated messages are made of ([`inline`]). Depends on nothing
//! else in the runtime.

pub(super) mod inline;
pub(super) mod message;

#[cfg(feature = "serde")]
pub use self::inline::serde_array;
pub use self::inline::{
    Address, CapacityError, Hash, I256, InlineBytes, InlineString, InlineVec, ParseValueError, U256,
};
pub use self::message::{DecodeError, DecodeErrorKind, EncodeError, FieldReader, FieldWriter, Message, WireField};
