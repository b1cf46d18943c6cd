//! `decode`: a stream of frames to JSON lines, with the contracts read at run time.
//!
//! Each frame is the runtime's wire format — `type_id: u16`, payload `length: u32`, both
//! little-endian, then the payload — and becomes one line:
//!
//! ```text
//! {"offset": 0, "type_id": 10, "message": "Trade", "fields": {"symbol": "BTC-USDT", "price_e8": 9700000000000}}
//! ```
//!
//! A frame that cannot be decoded becomes a line with an `"error"` and decoding goes on with
//! the next frame: an unknown `type_id`, a type outside the chosen service, a length over the
//! type's limit (its `BUFFER_CLASS`, as a reader generated from the same contracts applies), or
//! a payload the codec rejects. A payload that is skipped is read and dropped in chunks, never
//! held: a hostile length costs no memory. A stream that ends inside a frame ends with an error
//! line, and [`Summary::truncated`] is set.
//!
//! The output is flushed before every read of the input that may wait (when everything read so
//! far is decoded): on a live stream each line comes out as soon as its frame has arrived, and on
//! a file the output still goes out in large writes.

use std::fmt::Write as _;
use std::io::{self, Read, Write};

use super::Codec;
use super::json::string;

/// What `decode` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Frames decoded.
    pub decoded: u64,
    /// Frames printed as error lines (the truncated tail included).
    pub errors: u64,
    /// The stream ended inside a frame.
    pub truncated: bool,
}

/// Which frame types a reader accepts: every framed message, or one service's.
#[derive(Debug, Clone)]
pub struct Accept {
    /// Message index by `type_id`.
    by_type: Vec<Option<u32>>,
    /// The service, for error texts.
    service: Option<String>,
}

impl Accept {
    /// Every message of the contracts.
    pub fn all(codec: &Codec) -> Self {
        let mut by_type = vec![None; 1 << 16];
        for (k, m) in codec.messages().iter().enumerate().rev() {
            if let Some(id) = m.type_id {
                by_type[usize::from(id)] = Some(k as u32);
            }
        }
        Accept { by_type, service: None }
    }

    /// Only the messages `service` handles (by name).
    pub fn service(codec: &Codec, service: &str, messages: &[String]) -> Self {
        let mut by_type = vec![None; 1 << 16];
        for name in messages {
            if let Some(k) = codec.message_index(name)
                && let Some(id) = codec.message(k).type_id
            {
                by_type[usize::from(id)] = Some(k as u32);
            }
        }
        Accept { by_type, service: Some(service.to_string()) }
    }
}

/// The input, with its own read buffer, so that the output is flushed exactly before a read
/// that may wait.
struct Input<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
}

impl<R: Read> Input<R> {
    /// The bytes read and not consumed yet; when there are none, flushes `out` and reads more
    /// (empty at the end of the input).
    fn fill<W: Write>(&mut self, out: &mut W) -> io::Result<&[u8]> {
        if self.pos == self.len {
            out.flush()?;
            self.pos = 0;
            self.len = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
        }
        Ok(&self.buf[self.pos..self.len])
    }

    /// Reads until `dst` is full or the input ends; returns the bytes read.
    fn read_up_to<W: Write>(&mut self, out: &mut W, dst: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < dst.len() {
            let available = self.fill(out)?;
            if available.is_empty() {
                break;
            }
            let n = available.len().min(dst.len() - filled);
            dst[filled..filled + n].copy_from_slice(&available[..n]);
            self.pos += n;
            filled += n;
        }
        Ok(filled)
    }

    /// Reads and drops up to `len` bytes in the read buffer; returns how many there were.
    fn skip<W: Write>(&mut self, out: &mut W, len: u64) -> io::Result<u64> {
        let mut left = len;
        while left > 0 {
            let available = self.fill(out)?.len();
            if available == 0 {
                break;
            }
            let n = available.min(usize::try_from(left).unwrap_or(usize::MAX));
            self.pos += n;
            left -= n as u64;
        }
        Ok(len - left)
    }
}

/// Decodes every frame of `input` and writes one JSON line per frame to `out`.
///
/// `input` is read through a buffer of its own (64 KiB): it need not be buffered. `Err` only for
/// I/O errors of `input` or `out`; everything wrong with the stream itself is an error line.
pub fn decode_stream<R: Read, W: Write>(codec: &Codec, accept: &Accept, input: R, out: &mut W) -> io::Result<Summary> {
    let mut input = Input { inner: input, buf: vec![0u8; 1 << 16].into_boxed_slice(), pos: 0, len: 0 };
    let mut summary = Summary::default();
    let mut offset: u64 = 0;
    let mut line = String::with_capacity(4096);
    let mut payload: Vec<u8> = Vec::new();
    loop {
        let mut header = [0u8; 6];
        let got = input.read_up_to(out, &mut header)?;
        if got == 0 {
            break;
        }
        line.clear();
        if got < header.len() {
            let _ = write!(
                line,
                "{{\"offset\": {offset}, \"type_id\": null, \"length\": null, \"error\": \"the stream ends inside a frame header ({got} of 6 bytes)\"}}"
            );
            finish_line(out, &mut line)?;
            summary.errors += 1;
            summary.truncated = true;
            break;
        }
        let type_id = u16::from_le_bytes([header[0], header[1]]);
        let len = u32::from_le_bytes([header[2], header[3], header[4], header[5]]);
        let frame_offset = offset;
        offset += 6;
        let index = accept.by_type[usize::from(type_id)].map(|k| k as usize);
        let refusal = match index {
            None => Some(match (&accept.service, codec.by_type_id(type_id)) {
                (Some(s), Some(k)) => {
                    format!("`{}` (type_id {type_id}) is not handled by service `{s}`", codec.message(k).name)
                }
                (Some(s), None) => format!("unknown type_id {type_id} (service `{s}`)"),
                (None, _) => format!("unknown type_id {type_id}"),
            }),
            Some(k) if len as usize > codec.message(k).buffer_class => Some(format!(
                "`{}`: {len} payload bytes, over the limit of {}",
                codec.message(k).name,
                codec.message(k).buffer_class
            )),
            Some(_) => None,
        };
        if let Some(mut why) = refusal {
            let skipped = input.skip(out, u64::from(len))?;
            offset += skipped;
            let cut = skipped < u64::from(len);
            if cut {
                let _ = write!(why, "; the stream ends inside its payload ({skipped} of {len} bytes)");
            }
            error_line(&mut line, frame_offset, type_id, len, &why);
            finish_line(out, &mut line)?;
            summary.errors += 1;
            if cut {
                summary.truncated = true;
                break;
            }
            continue;
        }
        let k = index.unwrap_or(0);
        // Within the type's limit (at most 64 KiB): the buffer is reused across frames.
        payload.resize(len as usize, 0);
        let got = input.read_up_to(out, &mut payload)?;
        offset += got as u64;
        if got < payload.len() {
            let why = format!("`{}`: the stream ends inside the payload ({got} of {len} bytes)", codec.message(k).name);
            error_line(&mut line, frame_offset, type_id, len, &why);
            finish_line(out, &mut line)?;
            summary.errors += 1;
            summary.truncated = true;
            break;
        }
        let _ = write!(line, "{{\"offset\": {frame_offset}, \"type_id\": {type_id}, \"message\": ");
        string(&mut line, &codec.message(k).name);
        line.push_str(", \"fields\": ");
        match codec.decode_json(k, &payload, &mut line) {
            Ok(()) => {
                line.push('}');
                summary.decoded += 1;
            }
            Err(e) => {
                line.clear();
                error_line(&mut line, frame_offset, type_id, len, &e.to_string());
                summary.errors += 1;
            }
        }
        finish_line(out, &mut line)?;
    }
    out.flush()?;
    Ok(summary)
}

fn error_line(line: &mut String, offset: u64, type_id: u16, len: u32, why: &str) {
    line.clear();
    let _ = write!(line, "{{\"offset\": {offset}, \"type_id\": {type_id}, \"length\": {len}, \"error\": ");
    string(line, why);
    line.push('}');
}

fn finish_line<W: Write>(out: &mut W, line: &mut String) -> io::Result<()> {
    line.push('\n');
    out.write_all(line.as_bytes())
}
