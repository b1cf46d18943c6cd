//! The TLV frame codec: the header and its limits ([`header`]), reading a frame from any
//! `AsyncRead` ([`read`]), the buffered reader for sockets ([`reader`]), writing one frame
//! ([`write`]) or many encoded in place ([`writer`]), and the tokio-util codec ([`codec`]).
//!
//! Payloads are read into buffers of the [pool](super::pool); the writers encode
//! [messages](super::wire).

#[cfg(feature = "codec")]
mod codec;
mod header;
mod read;
mod reader;
mod write;
mod writer;

#[cfg(feature = "codec")]
pub use self::codec::FrameCodec;
pub use self::header::{FrameError, FrameHeader, FrameLimits};
pub use self::read::{read_frame_pooled, read_frame_pooled_with_limits};
pub use self::reader::{DEFAULT_READ_BUFFER, FrameReader};
pub use self::write::write_frame;
pub use self::writer::{DEFAULT_WRITE_BUFFER, FrameWriter};
