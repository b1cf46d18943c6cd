//! The plain runtime: a buffer pool and an async TLV frame codec.
//!
//! Always compiled; depends on `tokio` (io-util) and `bytes` only (plus `serde_json` for
//! reading `pools.json`, behind the default `pools-json` feature, and `tokio-util` for the
//! `FrameCodec` behind the `codec` feature).
//!
//! # Wire format
//!
//! A frame is a 6-byte header, the message type and the payload length, both little-endian,
//! followed by the payload:
//!
//! ```text
//! | type_id: u16 LE | length: u32 LE | payload |
//! |     2 bytes     |     4 bytes    |  length  |
//! ```
//!
//! tokio-util's `LengthDelimitedCodec` reads the same frames when configured with
//! `length_field_offset(2)`, `length_field_length(4)`, `length_adjustment(6)`, `num_skip(0)`
//! and little-endian lengths (it then yields whole frames, header included).
//!
//! # Pieces
//!
//! 1. [`BufferPool`]: power-of-two size classes, each a bounded lock-free free list; O(1) class
//!    lookup; statistics per class ([`ClassStats`]); built by hand or from a service's
//!    generated [`ServiceConfig`] ([`BufferPool::from_service_config`]); an optional limit of
//!    buffers out per class, with a [`LimitPolicy`] at the limit (allocate anyway, refuse, or
//!    make the readers wait: backpressure).
//! 2. [`PooledBuffer`]: exactly the requested bytes, zeroed, back to the pool on drop (on any
//!    thread, also during a panic).
//! 3. [`SharedBuffer`]: a frozen buffer for several consumers, reference-counted inside the pool
//!    slot (no allocation per frame); [`SharedBuffer::into_bytes`] converts to `bytes::Bytes`.
//! 4. The codec: [`write_frame`] (header and payload in one write), [`read_frame_pooled`] over
//!    any `AsyncRead`, and [`FrameReader`], the buffered, cancel-safe reader to use on sockets.
//!    [`FrameLimits`] holds per-type maximum sizes; errors are `io::Error`s carrying a
//!    [`FrameError`]. [`FrameWriter`] is the sending side: messages encoded in place into its
//!    buffer, many frames per system call.
//! 5. Typed access for generated code: [`Message`] (encode, decode), [`ViewField`] and the view
//!    pieces ([`ViewBytes`], [`FieldChecker`], [`ArrayView`]) behind every generated `M::view`,
//!    `AnyMessage` and service `Inbound` enum.
//!
//! # Example
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use mycelium_contracts::runtime::{BufferPool, FrameReader, PooledBuffer, read_frame_pooled, write_frame};
//!
//! let pool = BufferPool::builder()
//!     .with_size_class(128, 1024) // (buffer size, capacity)
//!     .with_size_class(256, 512)
//!     .build();
//! let mut buf: PooledBuffer = pool.acquire(84)?; // Err(PoolError) when 84 exceeds the largest class
//! assert_eq!(buf.len(), 84); // Deref/DerefMut to exactly the requested bytes
//! assert_eq!(buf.capacity(), 128);
//! buf[0] = 1;
//!
//! let mut wire = Vec::new();
//! write_frame(&mut wire, 1, &buf).await?; // any AsyncWrite + Unpin
//! drop(buf); // back to its class
//!
//! let frame: Option<(u16, PooledBuffer)> = read_frame_pooled(&mut &wire[..], &pool).await?;
//! assert_eq!(frame.map(|(type_id, payload)| (type_id, payload[0])), Some((1, 1)));
//!
//! // On a socket, read through a `FrameReader`: many frames per system call.
//! let mut reader = FrameReader::new(&wire[..], pool.clone());
//! while let Some((_type_id, payload)) = reader.next_frame().await? {
//!     let shared = payload.freeze(); // for several consumers, no allocation
//!     let _for_recorder = shared.clone();
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

mod frame;
mod pool;
#[cfg(test)]
mod test_util;
mod view;
mod wire;

// `view.rs` reads the wire types by these paths.
use wire::{inline, message};

#[cfg(feature = "codec")]
pub use frame::FrameCodec;
pub use frame::{
    DEFAULT_READ_BUFFER, DEFAULT_WRITE_BUFFER, FrameError, FrameHeader, FrameLimits, FrameReader, FrameWriter,
    read_frame_pooled, read_frame_pooled_with_limits, write_frame,
};
#[cfg(feature = "pools-json")]
pub use pool::ConfigError;
pub use pool::{
    BufferPool, BufferPoolBuilder, ClassStats, LimitPolicy, MessageClass, PoolError, PoolErrorKind, PooledBuffer,
    ServiceConfig, SharedBuffer, SizeClassConfig,
};
pub use view::{ArrayIter, ArrayView, FieldChecker, ViewBytes, ViewField, any_checks_content};
#[cfg(feature = "serde")]
pub use wire::serde_array;
pub use wire::{
    Address, CapacityError, DecodeError, DecodeErrorKind, EncodeError, FieldReader, FieldWriter, Hash, I256,
    InlineBytes, InlineString, InlineVec, Message, ParseValueError, U256, WireField,
};
