//! [`write_frame`]: one frame, header and payload, in one write.

use std::io::{self, IoSlice};

use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::header::{FrameError, FrameHeader};

/// Frames up to this many bytes (header included) are copied into one stack buffer and written
/// with a single `write_all`; longer ones are written with vectored writes.
const STACK_FRAME: usize = 256;

/// Writes one frame: the 6-byte header (`type_id`, payload length) and `payload`.
///
/// Header and payload go out in one write call, not two: a frame of up to 256 bytes is copied
/// into a stack buffer (cheaper than a second system call, and than `writev` for small frames),
/// a longer one is sent with vectored writes (`writev` on sockets). A writer that accepts only
/// part of the bytes gets further calls, as with `write_all`. Nothing is flushed.
///
/// # Errors
///
/// The writer's errors, `WriteZero` when it accepts no bytes, and
/// [`FrameError::PayloadTooLarge`] (kind `InvalidInput`) for a payload over `u32::MAX` bytes.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use mycelium_contracts::runtime::write_frame;
///
/// let mut out = Vec::new();
/// write_frame(&mut out, 1, b"abc").await?;
/// assert_eq!(out, [1, 0, 3, 0, 0, 0, b'a', b'b', b'c']);
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap();
/// ```
pub async fn write_frame<W>(writer: &mut W, type_id: u16, payload: &[u8]) -> io::Result<()>
where
    W: AsyncWrite + Unpin + ?Sized,
{
    let length = u32::try_from(payload.len()).map_err(|_| FrameError::PayloadTooLarge { length: payload.len() })?;
    let header = FrameHeader { type_id, length }.encode();
    let total = FrameHeader::LEN + payload.len();
    if total <= STACK_FRAME {
        let mut frame = [0u8; STACK_FRAME];
        frame[..FrameHeader::LEN].copy_from_slice(&header);
        frame[FrameHeader::LEN..total].copy_from_slice(payload);
        return writer.write_all(&frame[..total]).await;
    }
    let mut slices = [IoSlice::new(&header), IoSlice::new(payload)];
    let mut rest: &mut [IoSlice<'_>] = &mut slices;
    while !rest.is_empty() {
        let n = writer.write_vectored(rest).await?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        IoSlice::advance_slices(&mut rest, n);
    }
    Ok(())
}
