//! A scripted reader and a recording writer, and a minimal executor that allocates nothing.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use mycelium_contracts::runtime::write_frame;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Polls a future to completion on this thread with a no-op waker (the mocks wake themselves
/// before returning `Pending`). Allocates nothing.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Polls a future once.
pub fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

/// One step of a [`Script`].
#[derive(Debug)]
pub enum Step {
    /// Bytes handed out, as many per read as fit.
    Data(Vec<u8>),
    /// One `Poll::Pending` (after waking the task).
    Pending,
    /// One error of this kind.
    Error(io::ErrorKind),
}

/// A reader that plays a script of data, `Pending` and errors, then reports end of stream.
#[derive(Debug, Default)]
pub struct Script {
    steps: VecDeque<Step>,
    /// `poll_read` calls that returned data.
    pub reads: usize,
}

impl Script {
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Script {
        Script { steps: steps.into_iter().collect(), reads: 0 }
    }

    /// The bytes in one step.
    pub fn data(bytes: &[u8]) -> Script {
        Script::new([Step::Data(bytes.to_vec())])
    }
}

impl AsyncRead for Script {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.steps.pop_front() {
            None => Poll::Ready(Ok(())),
            Some(Step::Pending) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(Step::Error(kind)) => Poll::Ready(Err(kind.into())),
            Some(Step::Data(mut data)) => {
                let n = data.len().min(buf.remaining());
                buf.put_slice(&data[..n]);
                if n < data.len() {
                    self.steps.push_front(Step::Data(data.split_off(n)));
                }
                self.reads += 1;
                Poll::Ready(Ok(()))
            }
        }
    }
}

/// A writer that records every write call, accepting at most `max_per_write` bytes per call.
#[derive(Debug)]
pub struct Recorder {
    pub bytes: Vec<u8>,
    pub calls: usize,
    pub max_per_write: usize,
    pub vectored: bool,
}

impl Recorder {
    pub fn new(max_per_write: usize, vectored: bool) -> Recorder {
        Recorder { bytes: Vec::new(), calls: 0, max_per_write, vectored }
    }
}

impl AsyncWrite for Recorder {
    fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = buf.len().min(self.max_per_write);
        self.bytes.extend_from_slice(&buf[..n]);
        self.calls += 1;
        Poll::Ready(Ok(n))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.calls += 1;
        let mut budget = self.max_per_write;
        let mut n = 0;
        for b in bufs {
            let take = b.len().min(budget);
            self.bytes.extend_from_slice(&b[..take]);
            budget -= take;
            n += take;
        }
        Poll::Ready(Ok(n))
    }

    fn is_write_vectored(&self) -> bool {
        self.vectored
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The wire bytes of `frames`.
pub fn wire(frames: &[(u16, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (type_id, payload) in frames {
        block_on(write_frame(&mut out, *type_id, payload)).unwrap();
    }
    out
}
