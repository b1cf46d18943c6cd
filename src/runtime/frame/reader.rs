//! [`FrameReader`]: a buffered frame reader that parses many frames per `read` call.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, ReadBuf};

use super::header::{FrameError, FrameHeader, FrameLimits, check_header, pool_refused};
use crate::runtime::pool::{BufferPool, PooledBuffer, Waiter};

/// What `parse` returns instead of a byte count when the next frame's pool class is at its limit
/// with the `Wait` policy (a frame needs at least a header, so `0` is free).
const WAIT_FOR_BUFFER: usize = 0;

/// Default size of the read buffer (raised to hold at least one frame of the largest class).
pub const DEFAULT_READ_BUFFER: usize = 64 * 1024;

/// Reads frames from an `AsyncRead` through a read buffer it owns, copying each payload into a
/// buffer from a [`BufferPool`].
///
/// Each `read` call asks for as many bytes as the buffer has room for, so one system call
/// typically brings in many frames; frames are then parsed from the buffer without further
/// calls. Compared with [`read_frame_pooled`](crate::runtime::read_frame_pooled) on a socket (two system
/// calls per frame), this is the reader to use for streams.
///
/// The read buffer is allocated once, in the constructor, and holds at least one whole frame of
/// the largest class. Per frame the reader only copies the payload into a pooled buffer: in
/// steady state it allocates nothing.
///
/// # Cancel safety
///
/// [`next_frame`](FrameReader::next_frame) is cancel-safe: every byte read is kept in the
/// reader's own buffer, never in the future, so a `next_frame` dropped by `tokio::select!`
/// loses nothing and the next call continues where it stopped.
///
/// # Backpressure
///
/// With a [limit](crate::runtime::BufferPoolBuilder::with_limit) on a class and the
/// [`Wait`](crate::runtime::LimitPolicy::Wait) policy, a frame whose class is at its limit stays in the
/// read buffer and `next_frame` waits until a buffer of the class returns, reading nothing from
/// the stream meanwhile (the peer's writes then fill the socket buffers and stall). Still
/// cancel-safe: a `next_frame` dropped while waiting leaves the queue and keeps the frame.
/// With the [`Error`](crate::runtime::LimitPolicy::Error) policy the call fails with `QuotaExceeded`
/// ([`FrameError::PoolLimit`]); the frame is not consumed, so a later call, after buffers have
/// returned, reads it normally.
///
/// # Errors
///
/// A frame whose length is over its limit (the pool's largest class, or its type's limit in the
/// [`FrameLimits`] table) or whose type is not in the table is rejected before any allocation,
/// with `InvalidData`. The rejected header is not consumed, so calling again returns the same
/// error: after an error the stream cannot be resynchronized and should be closed.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mycelium_contracts::runtime::{BufferPool, FrameReader, write_frame};
///
/// let mut wire = Vec::new();
/// write_frame(&mut wire, 1, &[0xAB; 84]).await?;
/// write_frame(&mut wire, 2, &[0xCD; 180]).await?;
///
/// let pool = BufferPool::builder().with_size_class(128, 1024).with_size_class(256, 512).build();
/// let mut reader = FrameReader::new(&wire[..], pool);
/// while let Some((type_id, payload)) = reader.next_frame().await? {
///     assert_eq!(payload.len(), if type_id == 1 { 84 } else { 180 });
/// }
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap();
/// ```
pub struct FrameReader<R> {
    inner: R,
    pool: BufferPool,
    limits: Option<FrameLimits>,
    buf: Box<[u8]>,
    /// Start of the unparsed bytes in `buf`.
    start: usize,
    /// End of the bytes read into `buf`.
    end: usize,
    /// The reader's place in a class's wait queue, while it waits for a buffer (`limit.rs`).
    waiter: Waiter,
}

impl<R> FrameReader<R> {
    /// A reader with a read buffer of [`DEFAULT_READ_BUFFER`] bytes.
    pub fn new(inner: R, pool: BufferPool) -> FrameReader<R> {
        FrameReader::with_capacity(DEFAULT_READ_BUFFER, inner, pool)
    }

    /// A reader with a read buffer of `capacity` bytes, raised to hold at least one frame of the
    /// pool's largest class.
    pub fn with_capacity(capacity: usize, inner: R, pool: BufferPool) -> FrameReader<R> {
        let capacity = capacity.max(FrameHeader::LEN + pool.max_size());
        FrameReader {
            inner,
            pool,
            limits: None,
            buf: vec![0u8; capacity].into_boxed_slice(),
            start: 0,
            end: 0,
            waiter: Waiter::default(),
        }
    }

    /// Checks every frame against a per-type limits table; unknown types are rejected.
    pub fn with_limits(mut self, limits: FrameLimits) -> FrameReader<R> {
        self.limits = Some(limits);
        self
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The underlying reader. Reading from it directly skips the bytes this reader buffered.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The pool payloads are copied into.
    pub fn pool(&self) -> &BufferPool {
        &self.pool
    }

    /// Bytes read from the stream and not yet returned as frames.
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Returns the underlying reader; buffered bytes are lost.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Moves the unparsed bytes to the start of the buffer.
    fn compact(&mut self) {
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
    }

    /// Parses one frame from the buffered bytes, or returns how many bytes the next frame needs
    /// in total (header included), or [`WAIT_FOR_BUFFER`].
    #[inline]
    fn parse(&mut self) -> Result<Result<(u16, PooledBuffer), usize>, FrameError> {
        let avail = self.end - self.start;
        if avail < FrameHeader::LEN {
            return Ok(Err(FrameHeader::LEN));
        }
        let mut head = [0u8; FrameHeader::LEN];
        head.copy_from_slice(&self.buf[self.start..self.start + FrameHeader::LEN]);
        let header = FrameHeader::decode(head);
        let length = check_header(header, self.limits.as_ref(), self.pool.max_size())?;
        let total = FrameHeader::LEN + length;
        if avail < total {
            return Ok(Err(total));
        }
        if self.waiter.is_queued() {
            return Ok(Err(WAIT_FOR_BUFFER));
        }
        let payload = match self.pool.acquire_for_overwrite(length) {
            Ok(payload) => payload,
            Err(err) if err.would_wait() => return Ok(Err(WAIT_FOR_BUFFER)),
            Err(err) => return Err(pool_refused(header.type_id, err)),
        };
        Ok(Ok(self.consume(header.type_id, payload)))
    }

    /// Copies the payload of the buffered frame into `payload` and consumes the frame.
    #[inline]
    fn consume(&mut self, type_id: u16, mut payload: PooledBuffer) -> (u16, PooledBuffer) {
        let from = self.start + FrameHeader::LEN;
        let to = from + payload.len();
        // Overwrites the whole payload, so no earlier message shows through.
        payload.copy_from_slice(&self.buf[from..to]);
        self.start = to;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        (type_id, payload)
    }

    /// The buffered frame, once a buffer of its class is free: waits in the class's queue.
    #[cold]
    fn poll_wait_for_buffer(&mut self, cx: &mut Context<'_>) -> Poll<Result<(u16, PooledBuffer), FrameError>> {
        let mut head = [0u8; FrameHeader::LEN];
        head.copy_from_slice(&self.buf[self.start..self.start + FrameHeader::LEN]);
        let header = FrameHeader::decode(head);
        let length = header.length as usize; // checked by `parse`
        let payload = ready!(self.pool.poll_acquire_for_overwrite(length, cx, &mut self.waiter))
            .map_err(|e| pool_refused(header.type_id, e))?;
        Poll::Ready(Ok(self.consume(header.type_id, payload)))
    }
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// Polls for the next frame; see [`next_frame`](FrameReader::next_frame).
    ///
    /// A reader that returned `Pending` while waiting for a pool buffer keeps its place in the
    /// class's queue until it is polled again or dropped (a buffer granted to it meanwhile is
    /// kept for it); [`next_frame`](FrameReader::next_frame) leaves the queue when its future is
    /// dropped.
    pub fn poll_next_frame(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<(u16, PooledBuffer)>>> {
        loop {
            let needed = match self.parse()? {
                Ok(frame) => return Poll::Ready(Ok(Some(frame))),
                Err(WAIT_FOR_BUFFER) => return self.poll_wait_for_buffer(cx).map(|r| Ok(Some(r?))),
                Err(needed) => needed,
            };
            if self.buf.len() - self.start < needed {
                self.compact();
            }
            let mut read_buf = ReadBuf::new(&mut self.buf[self.end..]);
            ready!(Pin::new(&mut self.inner).poll_read(cx, &mut read_buf))?;
            let n = read_buf.filled().len();
            if n == 0 {
                let received = self.end - self.start;
                if received == 0 {
                    return Poll::Ready(Ok(None));
                }
                return Poll::Ready(Err(FrameError::Truncated { expected: needed, received }.into()));
            }
            self.end += n;
        }
    }

    /// Returns the next frame as `(type_id, payload)`, or `Ok(None)` when the stream ends
    /// cleanly between frames.
    ///
    /// Cancel-safe (see the type's docs). A stream that ends inside a frame is an
    /// `UnexpectedEof` error ([`FrameError::Truncated`]).
    pub async fn next_frame(&mut self) -> io::Result<Option<(u16, PooledBuffer)>> {
        /// Leaves the wait queue when the future is dropped before it completes.
        struct LeaveQueue<'a, R>(&'a mut FrameReader<R>);
        impl<R> Drop for LeaveQueue<'_, R> {
            fn drop(&mut self) {
                self.0.waiter.cancel();
            }
        }
        let guard = LeaveQueue(self);
        poll_fn(|cx| guard.0.poll_next_frame(cx)).await
    }
}

impl<R> fmt::Debug for FrameReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameReader")
            .field("buffered", &(self.end - self.start))
            .field("capacity", &self.buf.len())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_util::{Script, Step, block_on};
    use crate::runtime::write_frame;

    fn wire(frames: &[(u16, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (t, p) in frames {
            block_on(write_frame(&mut out, *t, p)).unwrap();
        }
        out
    }

    fn pool() -> BufferPool {
        BufferPool::builder().with_size_class(128, 4).with_size_class(256, 4).build()
    }

    #[test]
    fn frames_split_across_reads_and_pending() {
        let bytes = wire(&[(1, &[1; 84]), (2, &[2; 200]), (3, &[])]);
        let steps = bytes.chunks(5).flat_map(|c| [Step::Data(c.to_vec()), Step::Pending]).collect();
        let mut reader = FrameReader::with_capacity(0, Script(steps), pool());
        let mut got = Vec::new();
        while let Some((t, p)) = block_on(reader.next_frame()).unwrap() {
            got.push((t, p.to_vec()));
        }
        assert_eq!(got, vec![(1, vec![1; 84]), (2, vec![2; 200]), (3, vec![])]);
    }

    #[test]
    fn truncated_and_too_long_frames_are_errors() {
        let bytes = wire(&[(1, &[1; 10])]);
        let mut reader = FrameReader::new(&bytes[..9], pool());
        let err = block_on(reader.next_frame()).unwrap_err();
        assert_eq!(FrameError::from_io(&err), Some(&FrameError::Truncated { expected: 16, received: 9 }));

        let bytes = FrameHeader { type_id: 9, length: 257 }.encode();
        let mut reader = FrameReader::new(&bytes[..], pool());
        let err = block_on(reader.next_frame()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(reader.pool().stats()[1].misses, 0);
    }

    #[test]
    fn read_frame_pooled_round_trip() {
        let bytes = wire(&[(5, &[5; 300 - 44]), (6, b"x")]);
        let pool = pool();
        let mut r = &bytes[..];
        let (t, p) = block_on(crate::runtime::read_frame_pooled(&mut r, &pool)).unwrap().unwrap();
        assert_eq!((t, p.len(), p[0]), (5, 256, 5));
        let (t, p) = block_on(crate::runtime::read_frame_pooled(&mut r, &pool)).unwrap().unwrap();
        assert_eq!((t, &p[..]), (6, &b"x"[..]));
        assert!(block_on(crate::runtime::read_frame_pooled(&mut r, &pool)).unwrap().is_none());
    }
}
