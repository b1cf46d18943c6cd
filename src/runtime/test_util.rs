//! Helpers for the runtime's unit tests (which also run under Miri): a minimal executor and a
//! scripted reader.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncRead, ReadBuf};

/// Polls a future to completion on this thread; the scripted reader wakes itself before it
/// returns `Pending`.
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// One step of a scripted reader.
pub(crate) enum Step {
    /// Bytes handed out, as many per `poll_read` as fit.
    Data(Vec<u8>),
    /// One `Pending`.
    Pending,
}

/// A reader that follows a script, then reports end of stream.
pub(crate) struct Script(pub(crate) VecDeque<Step>);

impl AsyncRead for Script {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.0.pop_front() {
            None => Poll::Ready(Ok(())),
            Some(Step::Pending) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(Step::Data(mut data)) => {
                let n = data.len().min(buf.remaining());
                buf.put_slice(&data[..n]);
                if n < data.len() {
                    self.0.push_front(Step::Data(data.split_off(n)));
                }
                Poll::Ready(Ok(()))
            }
        }
    }
}
