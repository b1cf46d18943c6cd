//! [`read_frame_pooled`]: one frame from any `AsyncRead`, into a pooled buffer.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::header::{FrameError, FrameHeader, FrameLimits, check_header, pool_refused};
use crate::runtime::pool::{BufferPool, PooledBuffer};

/// Reads one frame from `reader` into a buffer from `pool`.
///
/// Returns `Ok(Some((type_id, payload)))`, or `Ok(None)` when the stream ends cleanly between
/// frames. The announced length is checked against the pool's largest class before anything is
/// allocated.
///
/// This reads the header and then the payload straight from `reader`: two `read` calls per
/// frame, which on a socket means two system calls. Over a socket or pipe, prefer
/// [`FrameReader`](crate::runtime::FrameReader), which reads many frames per call; or wrap the reader in
/// a `tokio::io::BufReader`.
///
/// Not cancel-safe: a frame partly read when the future is dropped is lost (use
/// [`FrameReader::next_frame`](crate::runtime::FrameReader::next_frame) in `select!`).
///
/// With a [limit](crate::runtime::BufferPoolBuilder::with_limit) on the payload's class and the
/// [`Wait`](crate::runtime::LimitPolicy::Wait) policy, it waits after the header until a buffer of the
/// class returns, and reads nothing from `reader` meanwhile.
///
/// # Errors
///
/// The reader's errors; `UnexpectedEof` ([`FrameError::Truncated`]) when the stream ends inside
/// a frame; `InvalidData` ([`FrameError::TooLong`]) for a length over the largest class;
/// `QuotaExceeded` ([`FrameError::PoolLimit`]) when the class is at its limit with the
/// [`Error`](crate::runtime::LimitPolicy::Error) policy. In that last case the header has been read and
/// the payload has not: the stream is inside a frame and cannot be resynchronized, so close it
/// (a [`FrameReader`](crate::runtime::FrameReader) leaves the frame in its buffer instead).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mycelium_contracts::runtime::{BufferPool, read_frame_pooled};
///
/// let pool = BufferPool::builder().with_size_class(128, 16).build();
/// let mut wire: &[u8] = &[7, 0, 2, 0, 0, 0, 0xAA, 0xBB];
/// let (type_id, payload) = read_frame_pooled(&mut wire, &pool).await?.unwrap();
/// assert_eq!((type_id, &payload[..]), (7, &[0xAA, 0xBB][..]));
/// assert!(read_frame_pooled(&mut wire, &pool).await?.is_none()); // clean end of stream
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap();
/// ```
pub async fn read_frame_pooled<R>(reader: &mut R, pool: &BufferPool) -> io::Result<Option<(u16, PooledBuffer)>>
where
    R: AsyncRead + Unpin + ?Sized,
{
    read_frame_pooled_with_limits(reader, pool, None).await
}

/// [`read_frame_pooled`] with a per-type limits table (see [`FrameLimits`]): unknown types and
/// lengths over their type's limit are rejected before anything is allocated.
pub async fn read_frame_pooled_with_limits<R>(
    reader: &mut R,
    pool: &BufferPool,
    limits: Option<&FrameLimits>,
) -> io::Result<Option<(u16, PooledBuffer)>>
where
    R: AsyncRead + Unpin + ?Sized,
{
    let mut head = [0u8; FrameHeader::LEN];
    let mut filled = 0;
    while filled < FrameHeader::LEN {
        let n = reader.read(&mut head[filled..]).await?;
        if n == 0 {
            if filled == 0 {
                return Ok(None);
            }
            return Err(FrameError::Truncated { expected: FrameHeader::LEN, received: filled }.into());
        }
        filled += n;
    }
    let header = FrameHeader::decode(head);
    let length = check_header(header, limits, pool.max_size())?;
    let mut payload = match pool.acquire_for_overwrite(length) {
        Ok(payload) => payload,
        Err(err) => pool.wait_if_allowed(length, err).await.map_err(|e| pool_refused(header.type_id, e))?,
    };
    // The whole payload is overwritten below before the buffer is handed out.
    let mut got = 0;
    while got < length {
        let n = reader.read(&mut payload[got..]).await?;
        if n == 0 {
            let expected = FrameHeader::LEN + length;
            return Err(FrameError::Truncated { expected, received: FrameHeader::LEN + got }.into());
        }
        got += n;
    }
    Ok(Some((header.type_id, payload)))
}
