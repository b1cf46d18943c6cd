//! [`FrameWriter`]: a buffered frame writer that encodes messages straight into its buffer.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::AsyncWrite;

use super::header::{FrameError, FrameHeader};
use super::write::write_frame;
use crate::runtime::wire::Message;

/// Default size of the write buffer.
pub const DEFAULT_WRITE_BUFFER: usize = 64 * 1024;

/// Writes frames to an `AsyncWrite` through a write buffer it owns: the sending side's
/// counterpart of [`FrameReader`](crate::runtime::FrameReader).
///
/// [`send`](FrameWriter::send) encodes a message in place, header and payload, at the end of the
/// buffer; [`send_raw`](FrameWriter::send_raw) copies an encoded payload there. Nothing reaches
/// the stream until the buffer has no room for the next frame or [`flush`](FrameWriter::flush)
/// is called: then the whole buffer goes out, typically in one `write` system call for hundreds
/// of small frames. The buffer is allocated once, in the constructor; per frame the writer
/// allocates nothing.
///
/// Frames are written in the order they were sent. Dropping the writer drops the frames still in
/// its buffer: call `flush` first.
///
/// # Cancellation
///
/// A `send` or `send_raw` future that is dropped before it completes (in `tokio::select!`, or by
/// a timeout) did not queue its frame, and lost nothing queued before: a frame enters the buffer
/// whole, only after there is room for it, and the buffer remembers how much of it the stream has
/// taken, so the next call continues where the dropped one stopped. The same holds for `flush`.
/// The one exception is a `send_raw` frame larger than the whole buffer, which is written to the
/// stream directly: dropping that future can leave part of the frame written, and the stream
/// should then be closed.
///
/// # Errors
///
/// The stream's errors, `WriteZero` when it accepts no bytes, and
/// [`FrameError::PayloadTooLarge`] (`InvalidInput`) for a payload over `u32::MAX` bytes. After an
/// error the buffered frames are still there; a later call tries to write them again.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mycelium_contracts::generated::SwapEvent;
/// use mycelium_contracts::runtime::{BufferPool, FrameReader, FrameWriter};
///
/// let mut out = FrameWriter::new(Vec::new());
/// out.send(&SwapEvent::default()).await?; // header + encode() in place, no allocation
/// out.send_raw(9, b"raw").await?;
/// out.flush().await?; // one write for both frames
/// let wire = out.into_inner();
/// assert_eq!(wire.len(), (6 + 84) + (6 + 3));
///
/// let pool = BufferPool::builder().with_size_class(128, 16).build();
/// let mut reader = FrameReader::new(&wire[..], pool);
/// let (type_id, payload) = reader.next_frame().await?.unwrap();
/// assert_eq!((type_id, SwapEvent::view(&payload)?.to_owned()), (1, SwapEvent::default()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub struct FrameWriter<W> {
    inner: W,
    buf: Box<[u8]>,
    /// Start of the bytes the stream has not taken yet.
    start: usize,
    /// End of the queued frames.
    end: usize,
}

impl<W> FrameWriter<W> {
    /// A writer with a buffer of [`DEFAULT_WRITE_BUFFER`] bytes.
    pub fn new(inner: W) -> FrameWriter<W> {
        FrameWriter::with_capacity(DEFAULT_WRITE_BUFFER, inner)
    }

    /// A writer with a buffer of `capacity` bytes (at least a frame header's).
    ///
    /// A message whose frame (`6 + MAX_SIZE` bytes) is larger than the buffer grows the buffer
    /// once, to that frame's size.
    pub fn with_capacity(capacity: usize, inner: W) -> FrameWriter<W> {
        let capacity = capacity.max(FrameHeader::LEN);
        FrameWriter { inner, buf: vec![0u8; capacity].into_boxed_slice(), start: 0, end: 0 }
    }

    /// The underlying writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The underlying writer. Writing to it directly puts bytes before the buffered frames.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The frames queued and not yet written to the stream.
    pub fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The size of the write buffer.
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Returns the underlying writer; buffered frames are lost (call `flush` first).
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: AsyncWrite + Unpin> FrameWriter<W> {
    /// Queues one frame of `msg`: the header and `msg.encode()`, written in place into the
    /// buffer. Writes the buffer to the stream first when it has no room for the frame.
    ///
    /// Cancel-safe; see the type's docs.
    pub async fn send<M: Message>(&mut self, msg: &M) -> io::Result<()> {
        let total = FrameHeader::LEN.saturating_add(M::MAX_SIZE);
        if self.buf.len() - self.end < total {
            self.make_room(total).await?;
        }
        // `make_room` left room for the frame.
        let frame = &mut self.buf[self.end..self.end + total];
        let (head, payload) = frame.split_at_mut(FrameHeader::LEN);
        let n = msg.encode(payload).map_err(io::Error::other)?;
        let length = u32::try_from(n).map_err(|_| FrameError::PayloadTooLarge { length: n })?;
        head.copy_from_slice(&FrameHeader { type_id: M::TYPE_ID, length }.encode());
        self.end += FrameHeader::LEN + n;
        Ok(())
    }

    /// Queues one frame of an encoded `payload` of type `type_id` (copied into the buffer). A
    /// frame larger than the whole buffer is written to the stream directly, after the buffered
    /// frames.
    ///
    /// Cancel-safe except for that direct write; see the type's docs.
    pub async fn send_raw(&mut self, type_id: u16, payload: &[u8]) -> io::Result<()> {
        let length = u32::try_from(payload.len()).map_err(|_| FrameError::PayloadTooLarge { length: payload.len() })?;
        let total = FrameHeader::LEN + payload.len();
        if total > self.buf.len() {
            self.write_buffered().await?;
            return write_frame(&mut self.inner, type_id, payload).await;
        }
        if self.buf.len() - self.end < total {
            self.write_buffered().await?;
        }
        // An empty buffer has room for a frame no larger than it.
        let frame = &mut self.buf[self.end..self.end + total];
        frame[..FrameHeader::LEN].copy_from_slice(&FrameHeader { type_id, length }.encode());
        frame[FrameHeader::LEN..].copy_from_slice(payload);
        self.end += total;
        Ok(())
    }

    /// Writes every queued frame to the stream, then flushes the stream.
    ///
    /// Cancel-safe: a dropped `flush` leaves the frames not yet taken by the stream in the
    /// buffer.
    pub async fn flush(&mut self) -> io::Result<()> {
        self.write_buffered().await?;
        poll_fn(|cx| Pin::new(&mut self.inner).poll_flush(cx)).await
    }

    /// Empties the buffer into the stream, then grows it when `total` is more than it holds.
    #[cold]
    async fn make_room(&mut self, total: usize) -> io::Result<()> {
        self.write_buffered().await?;
        if total > self.buf.len() {
            self.buf = vec![0u8; total].into_boxed_slice();
        }
        Ok(())
    }

    async fn write_buffered(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_write_buffered(cx)).await
    }

    /// Writes the buffered bytes until the buffer is empty.
    fn poll_write_buffered(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.start < self.end {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.buf[self.start..self.end]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.start += n;
        }
        self.start = 0;
        self.end = 0;
        Poll::Ready(Ok(()))
    }
}

impl<W> fmt::Debug for FrameWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameWriter")
            .field("buffered", &(self.end - self.start))
            .field("capacity", &self.buf.len())
            .finish_non_exhaustive()
    }
}

// The tests write the example contracts' generated messages.
#[cfg(all(test, feature = "demo"))]
mod tests {
    use super::*;
    use crate::generated::{LargeMessage, SwapEvent};
    use crate::runtime::test_util::block_on;

    /// A stream that takes at most `chunk` bytes per write and counts the write calls.
    #[derive(Default)]
    struct Chunky {
        data: Vec<u8>,
        chunk: usize,
        writes: usize,
    }

    impl AsyncWrite for Chunky {
        fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            let n = buf.len().min(self.chunk);
            self.data.extend_from_slice(&buf[..n]);
            self.writes += 1;
            Poll::Ready(Ok(n))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    fn frames(wire: &[u8]) -> Vec<(u16, Vec<u8>)> {
        let mut out = Vec::new();
        let mut rest = wire;
        while !rest.is_empty() {
            let header = FrameHeader::decode(rest[..6].try_into().unwrap());
            let end = 6 + header.length as usize;
            out.push((header.type_id, rest[6..end].to_vec()));
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn many_frames_per_write_and_a_write_when_full() {
        let mut w = FrameWriter::with_capacity(1000, Chunky { chunk: usize::MAX, ..Chunky::default() });
        for _ in 0..11 {
            block_on(w.send(&SwapEvent::default())).unwrap();
        }
        // 11 frames of 90 bytes fit in 1000: nothing written yet.
        assert_eq!((w.get_ref().writes, w.buffered().len()), (0, 990));
        block_on(w.send(&SwapEvent::default())).unwrap();
        assert_eq!((w.get_ref().writes, w.buffered().len()), (1, 90));
        block_on(w.flush()).unwrap();
        let wire = &w.get_ref().data;
        assert_eq!(w.get_ref().writes, 2);
        let got = frames(wire);
        assert_eq!(got.len(), 12);
        assert!(got.iter().all(|(t, p)| *t == 1 && p.len() == 84));
    }

    #[test]
    fn partial_writes_continue_where_they_stopped() {
        let mut w = FrameWriter::with_capacity(64, Chunky { chunk: 7, ..Chunky::default() });
        block_on(w.send_raw(3, b"abcdefghij")).unwrap();
        block_on(w.send_raw(4, &[9; 40])).unwrap();
        block_on(w.send_raw(5, b"z")).unwrap();
        block_on(w.flush()).unwrap();
        assert_eq!(frames(&w.get_ref().data), vec![(3, b"abcdefghij".to_vec()), (4, vec![9; 40]), (5, b"z".to_vec())]);
    }

    #[test]
    fn frames_larger_than_the_buffer() {
        let mut w = FrameWriter::with_capacity(100, Chunky { chunk: usize::MAX, ..Chunky::default() });
        block_on(w.send_raw(1, b"first")).unwrap();
        block_on(w.send_raw(2, &[2; 500])).unwrap();
        assert_eq!(w.capacity(), 100);
        block_on(w.send(&LargeMessage::default())).unwrap();
        assert_eq!(w.capacity(), 6 + 788);
        block_on(w.flush()).unwrap();
        let got = frames(&w.get_ref().data);
        assert_eq!(got.iter().map(|(t, p)| (*t, p.len())).collect::<Vec<_>>(), [(1, 5), (2, 500), (3, 788)]);
    }

    #[test]
    fn a_stream_that_takes_nothing_is_an_error_and_keeps_the_frames() {
        let mut w = FrameWriter::with_capacity(10, Chunky { chunk: 0, ..Chunky::default() });
        block_on(w.send_raw(1, b"abcd")).unwrap();
        let err = block_on(w.flush()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
        assert_eq!(w.buffered().len(), 10);
        w.get_mut().chunk = 3;
        block_on(w.flush()).unwrap();
        assert_eq!(frames(&w.get_ref().data), vec![(1, b"abcd".to_vec())]);
    }
}
