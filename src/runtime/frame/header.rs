//! The frame header, frame errors and per-type length limits.

use std::fmt;
use std::io;

use crate::runtime::pool::{PoolError, PoolErrorKind};

/// The 6-byte frame header: `type_id: u16` then payload `length: u32`, both little-endian.
///
/// ```
/// use mycelium_contracts::runtime::FrameHeader;
///
/// let header = FrameHeader { type_id: 1, length: 84 };
/// assert_eq!(header.encode(), [1, 0, 84, 0, 0, 0]);
/// assert_eq!(FrameHeader::decode([1, 0, 84, 0, 0, 0]), header);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameHeader {
    /// The message type (`Message::TYPE_ID`).
    pub type_id: u16,
    /// The payload length in bytes (the header not included).
    pub length: u32,
}

impl FrameHeader {
    /// The header's size on the wire.
    pub const LEN: usize = 6;

    /// The header's wire bytes.
    #[inline]
    pub fn encode(&self) -> [u8; Self::LEN] {
        let [t0, t1] = self.type_id.to_le_bytes();
        let [l0, l1, l2, l3] = self.length.to_le_bytes();
        [t0, t1, l0, l1, l2, l3]
    }

    /// Reads a header from its wire bytes.
    #[inline]
    pub fn decode(bytes: [u8; Self::LEN]) -> FrameHeader {
        FrameHeader {
            type_id: u16::from_le_bytes([bytes[0], bytes[1]]),
            length: u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]),
        }
    }
}

/// Why a frame was rejected; carried inside the `io::Error` the codec returns.
///
/// The readers return `io::Error` (so they compose with other I/O); its kind tells the class of
/// failure and [`FrameError::from_io`] recovers the details:
///
/// | variant | `io::ErrorKind` |
/// |---|---|
/// | [`Truncated`](FrameError::Truncated) | `UnexpectedEof` |
/// | [`TooLong`](FrameError::TooLong), [`UnknownType`](FrameError::UnknownType) | `InvalidData` |
/// | [`PayloadTooLarge`](FrameError::PayloadTooLarge) (writing) | `InvalidInput` |
/// | [`PoolLimit`](FrameError::PoolLimit) | `QuotaExceeded` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The stream ended inside a frame.
    Truncated {
        /// Bytes the frame needed (the header alone while the header was incomplete).
        expected: usize,
        /// Bytes of the frame that arrived.
        received: usize,
    },
    /// The header announced a payload longer than the limit; nothing was allocated.
    TooLong {
        /// The frame's type.
        type_id: u16,
        /// The announced payload length.
        length: usize,
        /// The limit: the type's maximum size, or the pool's largest class.
        limit: usize,
    },
    /// The type id is not in the reader's limits table.
    UnknownType {
        /// The frame's type.
        type_id: u16,
    },
    /// A payload to write does not fit the 32-bit length field.
    PayloadTooLarge {
        /// The payload's length.
        length: usize,
    },
    /// The pool class for the frame's payload is at its limit of buffers out, and its policy
    /// refuses ([`LimitPolicy::Error`](crate::runtime::LimitPolicy::Error), or
    /// [`Wait`](crate::runtime::LimitPolicy::Wait) in the synchronous codec). Nothing was consumed by
    /// [`FrameReader`](crate::runtime::FrameReader) or the codec: the frame is read again by the next call.
    /// [`read_frame_pooled`](crate::runtime::read_frame_pooled) has consumed the header: close that stream.
    PoolLimit {
        /// The frame's type.
        type_id: u16,
        /// The payload length.
        length: usize,
        /// The size of the class.
        class: usize,
        /// The class's limit of buffers out.
        limit: usize,
    },
}

impl FrameError {
    /// The frame error inside an `io::Error` returned by this module, if there is one.
    pub fn from_io(err: &io::Error) -> Option<&FrameError> {
        err.get_ref()?.downcast_ref::<FrameError>()
    }

    /// The `io::ErrorKind` this error maps to.
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            FrameError::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            FrameError::TooLong { .. } | FrameError::UnknownType { .. } => io::ErrorKind::InvalidData,
            FrameError::PayloadTooLarge { .. } => io::ErrorKind::InvalidInput,
            FrameError::PoolLimit { .. } => io::ErrorKind::QuotaExceeded,
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FrameError::Truncated { expected, received } => {
                write!(f, "stream ended inside a frame: {received} of {expected} bytes received")
            }
            FrameError::TooLong { type_id, length, limit } => {
                write!(f, "frame of type {type_id} announces {length} payload bytes, over the limit of {limit}")
            }
            FrameError::UnknownType { type_id } => write!(f, "frame of unknown type {type_id}"),
            FrameError::PayloadTooLarge { length } => {
                write!(f, "payload of {length} bytes does not fit the 32-bit length field")
            }
            FrameError::PoolLimit { type_id, length, class, limit } => write!(
                f,
                "no buffer for the {length}-byte payload of a frame of type {type_id}: its pool class of {class} bytes has {limit} buffers out, its limit"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

impl From<FrameError> for io::Error {
    fn from(err: FrameError) -> io::Error {
        io::Error::new(err.kind(), err)
    }
}

/// Largest payload per message type, checked before a payload is allocated.
///
/// The generated contracts provide the table (one `(TYPE_ID, MAX_SIZE)` per message). With a
/// table, a frame whose type is not in it is rejected ([`FrameError::UnknownType`]), and a
/// frame longer than its type's maximum is rejected ([`FrameError::TooLong`]).
///
/// ```
/// use mycelium_contracts::runtime::FrameLimits;
///
/// let limits = FrameLimits::new(&[(2, 300), (1, 84)]);
/// assert_eq!(limits.limit(1), Some(84));
/// assert_eq!(limits.limit(3), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameLimits {
    /// Sorted by type id, one entry per id.
    entries: Box<[(u16, usize)]>,
}

impl FrameLimits {
    /// Builds the table from `(type_id, max_size)` pairs in any order; a type listed twice keeps
    /// its smaller limit.
    pub fn new(table: &[(u16, usize)]) -> FrameLimits {
        let mut entries = table.to_vec();
        entries.sort_unstable();
        entries.dedup_by_key(|e| e.0);
        FrameLimits { entries: entries.into_boxed_slice() }
    }

    /// The limit of a type, or `None` for a type not in the table.
    #[inline]
    pub fn limit(&self, type_id: u16) -> Option<usize> {
        self.entries.binary_search_by_key(&type_id, |e| e.0).ok().map(|i| self.entries[i].1)
    }
}

/// Checks a header against the limits and the pool, before anything is allocated.
#[inline]
pub(crate) fn check_header(
    header: FrameHeader,
    limits: Option<&FrameLimits>,
    max_size: usize,
) -> Result<usize, FrameError> {
    let length = header.length as usize;
    let limit = match limits {
        Some(limits) => match limits.limit(header.type_id) {
            Some(limit) => limit.min(max_size),
            None => return Err(FrameError::UnknownType { type_id: header.type_id }),
        },
        None => max_size,
    };
    if length > limit {
        return Err(FrameError::TooLong { type_id: header.type_id, length, limit });
    }
    Ok(length)
}

/// Maps a pool refusal to the frame error: a class at its limit, or a length over the largest
/// class (which `check_header` should have prevented).
pub(crate) fn pool_refused(type_id: u16, err: PoolError) -> FrameError {
    match err.kind {
        PoolErrorKind::AtLimit { class, limit, .. } => {
            FrameError::PoolLimit { type_id, length: err.requested, class, limit }
        }
        _ => FrameError::TooLong { type_id, length: err.requested, limit: err.largest },
    }
}
