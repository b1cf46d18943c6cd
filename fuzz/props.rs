//! The properties the fuzz targets check, in a form that needs no fuzzing library.
//!
//! Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, nightly) and by the regular test
//! `tests/reliability/corpus.rs` (stable), which replays every committed seed of
//! `fuzz/corpus/<target>/` through the same functions. Each function panics when its property
//! fails; returning normally means the input passed.

// Each target uses its own property and the replay test all of them.
#![allow(dead_code)]

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use mycelium_contracts::check::{Analysis, Input, Inputs, analyze};
use mycelium_contracts::compat::{self, ChangeLocation, Comparison, DocSide, Side};
use mycelium_contracts::diagnostic::{Code, Diagnostic};
use mycelium_contracts::generated::{
    AnyMessage, BookUpdate, LargeMessage, MESSAGE_LIMITS, PoolStateUpdate, PriceLevel, SwapEvent, services,
};
use mycelium_contracts::report::{self as check_report, HumanStyle, OutputFormat};
use mycelium_contracts::runtime::{
    BufferPool, DecodeErrorKind, FrameError, FrameHeader, FrameLimits, FrameReader, Message, PooledBuffer, ViewField,
    read_frame_pooled_with_limits,
};
use tokio::io::{AsyncRead, ReadBuf};

/// The formats a contracts document is read in, by extension.
pub const FORMATS: [&str; 3] = ["yaml", "json", "toml"];

/// Byte offsets of the line starts of a text, to check many findings in linear time.
pub fn line_starts(text: &[u8]) -> Vec<usize> {
    std::iter::once(0).chain(text.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1)).collect()
}

/// Checks that a finding's location lies inside its file: the span is a range of byte offsets
/// within the text, on character boundaries, and line and column agree with the span's start
/// (`lines` from [`line_starts`] of the same text).
pub fn assert_located_inside(d: &Diagnostic, len: usize, lines: &[usize]) {
    let Some(l) = &d.location else { return };
    let text = l.source.text();
    if text.is_empty() && l.span == (0..0) && (l.line, l.column) == (1, 1) {
        // A file refused before its text was kept (over `MAX_FILE_SIZE`): located at its start.
        return;
    }
    assert_eq!(text.len(), len, "{}: the finding's file is not the input ({d:?})", d.code);
    assert!(l.span.start <= l.span.end && l.span.end <= len, "{}: span {:?} outside 0..{len}", d.code, l.span);
    assert!(text.is_char_boundary(l.span.start) && text.is_char_boundary(l.span.end), "span off a char boundary");
    let line = lines.partition_point(|&s| s <= l.span.start);
    assert_eq!(l.line, line, "{}: line {} for span {:?}", d.code, l.line, l.span);
    let before = &text[lines[line - 1]..l.span.start];
    if before.len() <= 4096 {
        assert_eq!(l.column, before.chars().count() + 1, "{}: column for span {:?}", d.code, l.span);
    } else {
        assert!(l.column >= 1 && l.column <= before.len() + 1, "column {}", l.column);
    }
}

/// Analyzes `bytes` as a contracts document named `name` (the extension picks the format).
pub fn analyze_bytes(name: &str, bytes: &[u8]) -> Analysis {
    let input = Input::Bytes { name: name.to_string(), bytes: bytes.to_vec() };
    analyze(&Inputs::contracts_only(input)).expect("in-memory input is always readable")
}

/// `load_check`: `data` as YAML, JSON and TOML through the whole checker. No panic (rendering
/// the report included); every finding located inside the file; a document that did not load
/// has a located `parse-error`.
pub fn load_check(data: &[u8]) {
    for ext in FORMATS {
        check_one(&format!("fuzz.{ext}"), data);
    }
}

/// One document through the checker, with the properties of [`load_check`]; returns the
/// analysis for further checks.
pub fn check_one(name: &str, data: &[u8]) -> Analysis {
    let analysis = analyze_bytes(name, data);
    let len = match std::str::from_utf8(data) {
        Ok(_) => Some(data.len()),
        Err(_) => None,
    };
    let lines = line_starts(data);
    for d in &analysis.diagnostics {
        match (len, &d.location) {
            (Some(len), Some(_)) => assert_located_inside(d, len, &lines),
            // Not UTF-8: the file's text is lossy, so only the span bounds are checked.
            (None, Some(l)) => assert!(l.span.end <= l.source.text().len() && l.line >= 1 && l.column >= 1),
            (_, None) => {}
        }
    }
    if analysis.contracts_doc().is_none() {
        let parse = analysis.diagnostics.iter().find(|d| d.code == Code::ParseError);
        let parse =
            parse.unwrap_or_else(|| panic!("{name}: not loaded, but no parse-error: {:?}", analysis.diagnostics));
        assert!(parse.location.is_some(), "{name}: parse-error without a location: {parse:?}");
    }
    // The reports render: human (miette, where long lines once panicked), JSON, GitHub.
    let report = check_report::Report::from_analysis(&analysis);
    let _ = check_report::render_human(&report, HumanStyle::PLAIN);
    let _ = check_report::to_json(&report);
    let _ = check_report::render_github(&report);
    analysis
}

/// `compat_pair`: `data` split in two documents, base and new (the first two bytes choose the
/// split point and the formats), both checked as in [`load_check`] and, when both are valid
/// contracts, diffed: every change located inside its document, the report renders.
pub fn compat_pair(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let (head, rest) = data.split_at(2);
    let cut = usize::from(head[0]) * rest.len() / 256;
    let (base_bytes, new_bytes) = rest.split_at(cut);
    let base_name = format!("base.{}", FORMATS[usize::from(head[1] & 3) % 3]);
    let new_name = format!("new.{}", FORMATS[usize::from(head[1] >> 2 & 3) % 3]);
    let base = check_one(&base_name, base_bytes);
    let new = check_one(&new_name, new_bytes);
    let (Some(bc), Some(bl), Some(nc), Some(nl)) = (&base.contracts, &base.layout, &new.contracts, &new.layout) else {
        return;
    };
    let (bs, ns) = (Side::new(bc, bl), Side::new(nc, nl));
    let changes = compat::diff(bs, ns);
    let verdict = compat::verdict(&bc.version, &nc.version, &changes);
    let mut located = Vec::new();
    for c in changes {
        let (analysis, bytes) = if c.side == DocSide::Base { (&base, base_bytes) } else { (&new, new_bytes) };
        let location = compat::locate_place(analysis, &c.place);
        if let Some(l) = &location {
            // Both documents loaded, so both are UTF-8.
            let d = Diagnostic::error(Code::SchemaViolation, "probe").at(&l.source, l.span.clone());
            assert_located_inside(&d, bytes.len(), &line_starts(bytes));
        }
        let cl = location.map(|l| ChangeLocation {
            file: l.source.name().to_string(),
            line: l.line,
            column: l.column,
            in_base: c.side == DocSide::Base,
        });
        located.push((c, cl));
    }
    let mut report = check_report::Report::from_analysis(&new);
    report.compat = Some(Comparison::new("base", "new", bs, ns, located, verdict));
    for format in [OutputFormat::Human, OutputFormat::Json, OutputFormat::Github, OutputFormat::Markdown] {
        let _ = report.render(format, HumanStyle::PLAIN);
    }
}

/// An `AsyncRead` over bytes that hands them out in chunks of the sizes a schedule dictates,
/// and sometimes answers `Pending` first (waking itself), as a socket would.
pub struct Chunked<'a> {
    data: &'a [u8],
    schedule: &'a [u8],
    step: usize,
    pending: bool,
}

impl<'a> Chunked<'a> {
    /// Reads `data` in chunks sized by `schedule` (cycled; a 0 entry means "return Pending once").
    pub fn new(data: &'a [u8], schedule: &'a [u8]) -> Self {
        Chunked { data, schedule, step: 0, pending: false }
    }
}

impl AsyncRead for Chunked<'_> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let entry = if self.schedule.is_empty() { 255 } else { self.schedule[self.step % self.schedule.len()] };
        self.step += 1;
        if entry == 0 && !self.pending {
            self.pending = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.pending = false;
        let n = usize::from(entry.max(1)).min(self.data.len()).min(buf.remaining());
        buf.put_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Poll::Ready(Ok(()))
    }
}

/// Polls a future to completion on this thread (the readers here never wait on anything but
/// [`Chunked`], which wakes itself). Gives up after `budget` polls: a hang is a failure.
pub fn block_on<F: std::future::Future>(fut: F, budget: usize) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..budget {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("future still pending after {budget} polls: a hang");
}

/// What a stream must yield: its frames, then how it ends.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// Clean end between frames.
    Clean,
    /// Ended inside a frame.
    Truncated,
    /// A header over the limit (or of an unknown type).
    Refused,
}

/// The frames a reference parser finds in `stream` (type id and payload) and how it ends, for a
/// reader whose largest payload is `max` and optional per-type limits.
pub fn reference_frames<'s>(stream: &'s [u8], max: usize, limits: Option<&FrameLimits>) -> (Vec<(u16, &'s [u8])>, End) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.is_empty() {
            return (frames, End::Clean);
        }
        if rest.len() < FrameHeader::LEN {
            return (frames, End::Truncated);
        }
        let type_id = u16::from_le_bytes([rest[0], rest[1]]);
        let length = u32::from_le_bytes([rest[2], rest[3], rest[4], rest[5]]) as usize;
        let limit = match limits {
            Some(l) => match l.limit(type_id) {
                Some(t) => t.min(max),
                None => return (frames, End::Refused),
            },
            None => max,
        };
        if length > limit {
            return (frames, End::Refused);
        }
        if rest.len() < FrameHeader::LEN + length {
            return (frames, End::Truncated);
        }
        frames.push((type_id, &rest[FrameHeader::LEN..FrameHeader::LEN + length]));
        rest = &rest[FrameHeader::LEN + length..];
    }
}

fn classify(err: &io::Error) -> End {
    match FrameError::from_io(err) {
        Some(FrameError::Truncated { .. }) => End::Truncated,
        Some(FrameError::TooLong { .. } | FrameError::UnknownType { .. }) => End::Refused,
        other => panic!("unexpected reader error {err} ({other:?})"),
    }
}

/// `frame_reader`: the first byte picks the pool and limits, the next 8 bytes the read schedule
/// (chunk sizes, 0 = `Pending`), the rest is the stream. Both readers ([`FrameReader`] and
/// `read_frame_pooled`) must yield exactly the reference parser's frames and ending, and when
/// everything is dropped every pooled buffer is back (buffers out 0, idle within capacity).
pub fn frame_reader(data: &[u8]) {
    if data.len() < 9 {
        return;
    }
    let (config, schedule, stream) = (data[0], &data[1..9], &data[9..]);
    let pool = match config & 3 {
        0 => BufferPool::builder().with_size_class(16, 2).with_size_class(64, 1).build(),
        // Capacities of 32 and 64: these classes go through the per-thread cache.
        1 => BufferPool::builder().with_size_class(128, 32).with_size_class(256, 64).with_size_class(1024, 2).build(),
        2 => BufferPool::builder().with_size_class(32, 0).build(),
        _ => BufferPool::builder().with_size_class(8, 1).with_size_class(512, 1).prefill(true).build(),
    };
    let limits = (config & 4 != 0).then(|| FrameLimits::new(MESSAGE_LIMITS));
    let (expected, end) = reference_frames(stream, pool.max_size(), limits.as_ref());
    let budget = 4 * stream.len() + 64;
    // FrameReader, with a small read buffer so compaction happens often.
    {
        let mut reader =
            FrameReader::with_capacity(usize::from(config >> 3), Chunked::new(stream, schedule), pool.clone());
        if let Some(l) = &limits {
            reader = reader.with_limits(l.clone());
        }
        let mut got: Vec<(u16, PooledBuffer)> = Vec::new();
        let outcome = loop {
            match block_on(reader.next_frame(), budget) {
                Ok(Some(frame)) => got.push(frame),
                Ok(None) => break End::Clean,
                Err(e) => break classify(&e),
            }
            assert!(got.len() <= expected.len(), "FrameReader yields more frames than the stream holds");
        };
        assert_frames(&got, &expected, "FrameReader");
        assert_eq!(outcome, end, "FrameReader ending");
    }
    // read_frame_pooled, straight from the stream.
    {
        let mut src = Chunked::new(stream, schedule);
        let mut got = Vec::new();
        let outcome = loop {
            match block_on(read_frame_pooled_with_limits(&mut src, &pool, limits.as_ref()), budget) {
                Ok(Some(frame)) => got.push(frame),
                Ok(None) => break End::Clean,
                Err(e) => break classify(&e),
            }
            assert!(got.len() <= expected.len(), "read_frame_pooled yields more frames than the stream holds");
        };
        assert_frames(&got, &expected, "read_frame_pooled");
        assert_eq!(outcome, end, "read_frame_pooled ending");
        // Shared buffers return too.
        let shared: Vec<_> = got.into_iter().map(|(_, p)| p.freeze()).collect();
        let clones = shared.clone();
        drop(shared);
        drop(clones);
    }
    assert_pool_settled(&pool);
}

fn assert_frames(got: &[(u16, PooledBuffer)], expected: &[(u16, &[u8])], reader: &str) {
    assert_eq!(got.len(), expected.len(), "{reader}: frame count");
    for (i, ((t, p), (et, ep))) in got.iter().zip(expected).enumerate() {
        assert_eq!((*t, &p[..]), (*et, *ep), "{reader}: frame {i}");
    }
}

/// Every buffer of `pool` is back: buffers out 0 in every class, idle within capacity.
pub fn assert_pool_settled(pool: &BufferPool) {
    for s in pool.stats() {
        assert_eq!(s.buffers_out, 0, "class {}: buffers out {s:?}", s.size);
        assert!(s.idle <= s.capacity, "class {}: idle over capacity {s:?}", s.size);
    }
}

/// `decode`: `data` through every generated message's `decode`; what decodes re-encodes to
/// `MAX_SIZE` bytes that decode to the same value (and to the same bytes again).
pub fn decode(data: &[u8]) {
    decode_one::<SwapEvent>(data);
    decode_one::<PoolStateUpdate>(data);
    decode_one::<LargeMessage>(data);
    decode_one::<BookUpdate>(data);
}

fn decode_one<M: Message + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let Ok(value) = M::decode(data) else { return };
    let mut buf = vec![0u8; M::BUFFER_CLASS];
    let n = value.encode(&mut buf).expect("a decoded value encodes into its buffer class");
    assert_eq!(n, M::MAX_SIZE);
    let again = M::decode(&buf[..n]).expect("re-encoded bytes decode");
    assert_eq!(again, value);
    let mut buf2 = vec![0u8; M::BUFFER_CLASS];
    assert_eq!(again.encode(&mut buf2), Ok(n));
    assert_eq!(buf[..n], buf2[..n], "encoding is not canonical");
    // Too small a buffer is an error, never a partial write or a panic.
    assert!(value.encode(&mut buf2[..n - 1]).is_err());
}

/// `views`: the first two bytes are a frame type id (little-endian), the rest its payload.
/// Every generated message's view accepts exactly what its `decode` accepts, with the same
/// error, and reads the same values (`to_owned` is built from the accessors; `Debug` calls every
/// accessor once more); `AnyMessage` and each service's `Inbound` dispatch to the type the id
/// names, or refuse it naming the id (and the service).
pub fn views(data: &[u8]) {
    let (type_id, payload) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => (0, data),
    };
    // Every message of the bundled contracts, embedded-only ones included: a message added to
    // `contracts/contracts.yaml` is added here (and, when framed, to `decodes` and `handled`).
    view_matches_decode::<SwapEvent>(payload);
    view_matches_decode::<PoolStateUpdate>(payload);
    view_matches_decode::<LargeMessage>(payload);
    view_matches_decode::<BookUpdate>(payload);
    view_matches_decode::<PriceLevel>(payload);

    let decodes = |id: u16| match id {
        1 => Some(SwapEvent::decode(payload).map(drop)),
        2 => Some(PoolStateUpdate::decode(payload).map(drop)),
        3 => Some(LargeMessage::decode(payload).map(drop)),
        4 => Some(BookUpdate::decode(payload).map(drop)),
        _ => None,
    };
    let any = AnyMessage::view(type_id, payload);
    match decodes(type_id) {
        Some(decoded) => {
            assert_eq!(any.map(|v| v.type_id()).map_err(|e| e.kind()), decoded.map(|()| type_id).map_err(|e| e.kind()));
        }
        None => {
            let e = any.expect_err("an unknown type id is refused");
            assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id, service: None });
        }
    }
    let handled: &[u16] = &[1, 2];
    match services::polygon_adapter::Inbound::view(type_id, payload) {
        Ok(v) => assert!(handled.contains(&v.type_id()) && v.type_id() == type_id),
        Err(e) if handled.contains(&type_id) => assert_eq!(Some(Err(e)), decodes(type_id)),
        Err(e) => {
            assert_eq!(e.kind(), DecodeErrorKind::UnknownType { type_id, service: Some("polygon-adapter") });
        }
    }
}

/// `view` then `to_owned` equals `decode`, including the error; and formatting the view reads
/// every field without panicking. `decode` is `WireField::get`: a framed message's `decode`, and
/// the same reading for an embedded-only message (which has no `Message` impl), so every message
/// of the contracts can be listed in [`views`].
pub fn view_matches_decode<M: ViewField + PartialEq + std::fmt::Debug>(payload: &[u8]) {
    let viewed = M::view_payload(payload);
    if let Ok(view) = viewed {
        let _ = format!("{view:?}");
    }
    assert_eq!(viewed.map(M::from_view), M::get(payload));
}
