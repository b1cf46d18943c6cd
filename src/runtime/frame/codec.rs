//! tokio-util [`Decoder`] and [`Encoder`] for the frame format (feature `codec`).

use std::io;

use bytes::{Buf, BufMut, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use super::header::{FrameError, FrameHeader, FrameLimits, check_header, pool_refused};
use crate::runtime::pool::{BufferPool, PooledBuffer};
use crate::runtime::wire::Message;

/// The frame format as a tokio-util codec, for users of `Framed`, `FramedRead` and
/// `FramedWrite`.
///
/// As an [`Encoder`] it takes `(type_id, payload)` pairs and, for any generated message,
/// `&message`: the header and `encode()` are written in place into the codec's write buffer.
/// With more than one item type, a `Sink` method that takes no item (`flush`, `close`) needs the
/// item type named: `SinkExt::<&SwapEvent>::flush(&mut framed)`.
///
/// Decoding yields `(type_id, PooledBuffer)`: the length is checked (against the pool's largest
/// class and the optional [`FrameLimits`]) before anything is allocated, and the payload is
/// copied out of the read buffer into a pooled buffer. Encoding accepts `(type_id, payload)` for
/// any payload that is `AsRef<[u8]>` (a slice, a [`PooledBuffer`], a
/// [`SharedBuffer`](crate::runtime::SharedBuffer), `Bytes`).
///
/// ```
/// use bytes::BytesMut;
/// use mycelium_contracts::runtime::{BufferPool, FrameCodec};
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = FrameCodec::new(BufferPool::builder().with_size_class(128, 16).build());
/// let mut wire = BytesMut::new();
/// codec.encode((1u16, &b"hi"[..]), &mut wire)?;
/// let (type_id, payload) = codec.decode(&mut wire)?.unwrap();
/// assert_eq!((type_id, &payload[..]), (1, &b"hi"[..]));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameCodec {
    pool: BufferPool,
    limits: Option<FrameLimits>,
}

impl FrameCodec {
    /// A codec decoding into buffers of `pool`.
    pub fn new(pool: BufferPool) -> FrameCodec {
        FrameCodec { pool, limits: None }
    }

    /// Checks every decoded frame against a per-type limits table; unknown types are rejected.
    pub fn with_limits(mut self, limits: FrameLimits) -> FrameCodec {
        self.limits = Some(limits);
        self
    }
}

impl Decoder for FrameCodec {
    type Item = (u16, PooledBuffer);
    type Error = io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> io::Result<Option<Self::Item>> {
        if src.len() < FrameHeader::LEN {
            src.reserve(FrameHeader::LEN - src.len());
            return Ok(None);
        }
        let mut head = [0u8; FrameHeader::LEN];
        head.copy_from_slice(&src[..FrameHeader::LEN]);
        let header = FrameHeader::decode(head);
        let length = check_header(header, self.limits.as_ref(), self.pool.max_size())?;
        let total = FrameHeader::LEN + length;
        if src.len() < total {
            src.reserve(total - src.len());
            return Ok(None);
        }
        let mut payload = self.pool.acquire_for_overwrite(length).map_err(|e| pool_refused(header.type_id, e))?;
        payload.copy_from_slice(&src[FrameHeader::LEN..total]);
        src.advance(total);
        Ok(Some((header.type_id, payload)))
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> io::Result<Option<Self::Item>> {
        match self.decode(buf)? {
            Some(frame) => Ok(Some(frame)),
            None if buf.is_empty() => Ok(None),
            None => {
                let expected = if buf.len() < FrameHeader::LEN {
                    FrameHeader::LEN
                } else {
                    let mut head = [0u8; FrameHeader::LEN];
                    head.copy_from_slice(&buf[..FrameHeader::LEN]);
                    FrameHeader::LEN + FrameHeader::decode(head).length as usize
                };
                Err(FrameError::Truncated { expected, received: buf.len() }.into())
            }
        }
    }
}

impl<T: AsRef<[u8]>> Encoder<(u16, T)> for FrameCodec {
    type Error = io::Error;

    fn encode(&mut self, (type_id, payload): (u16, T), dst: &mut BytesMut) -> io::Result<()> {
        let payload = payload.as_ref();
        let length = u32::try_from(payload.len()).map_err(|_| FrameError::PayloadTooLarge { length: payload.len() })?;
        dst.reserve(FrameHeader::LEN + payload.len());
        dst.put_slice(&FrameHeader { type_id, length }.encode());
        dst.put_slice(payload);
        Ok(())
    }
}

impl<M: Message> Encoder<&M> for FrameCodec {
    type Error = io::Error;

    fn encode(&mut self, msg: &M, dst: &mut BytesMut) -> io::Result<()> {
        let start = dst.len();
        dst.resize(start + FrameHeader::LEN + M::MAX_SIZE, 0);
        let n = msg.encode(&mut dst[start + FrameHeader::LEN..]).map_err(io::Error::other)?;
        let length = u32::try_from(n).map_err(|_| FrameError::PayloadTooLarge { length: n })?;
        dst[start..start + FrameHeader::LEN].copy_from_slice(&FrameHeader { type_id: M::TYPE_ID, length }.encode());
        dst.truncate(start + FrameHeader::LEN + n);
        Ok(())
    }
}
