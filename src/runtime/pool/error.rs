//! [`PoolError`], why the pool refused a buffer, and the [`LimitPolicy`] a refusal at a limit
//! reports.

use std::fmt;

/// Error of [`BufferPool::acquire`](crate::runtime::BufferPool::acquire): the requested length
/// does not fit any size class, or its class is at its limit of buffers out
/// ([`kind`](PoolError::kind)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolError {
    /// The requested length in bytes.
    pub requested: usize,
    /// The size of the pool's largest class (`0` for a pool without classes).
    pub largest: usize,
    /// Why the buffer was refused.
    pub kind: PoolErrorKind,
}

/// Why [`BufferPool::acquire`](crate::runtime::BufferPool::acquire) refused a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoolErrorKind {
    /// The requested length exceeds the largest class.
    TooLarge,
    /// The class that serves the length has `limit` buffers out, its limit (see
    /// [`BufferPoolBuilder::with_limit`](crate::runtime::BufferPoolBuilder::with_limit)), and its policy refuses
    /// ([`LimitPolicy::Error`], or [`LimitPolicy::Wait`] asked synchronously). Buffers of the
    /// class that return make room again.
    AtLimit {
        /// The class's buffer size.
        class: usize,
        /// The class's limit of buffers out.
        limit: usize,
        /// The class's policy.
        policy: LimitPolicy,
    },
}

impl PoolError {
    /// The error for a length over the largest class.
    pub fn too_large(requested: usize, largest: usize) -> PoolError {
        PoolError { requested, largest, kind: PoolErrorKind::TooLarge }
    }
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PoolErrorKind::TooLarge => write!(
                f,
                "requested buffer of {} bytes exceeds the pool's largest size class ({} bytes)",
                self.requested, self.largest
            ),
            PoolErrorKind::AtLimit { class, limit, .. } => write!(
                f,
                "no buffer for {} bytes: its size class of {class} bytes has {limit} buffers out, its limit",
                self.requested
            ),
        }
    }
}

impl std::error::Error for PoolError {}

impl PoolError {
    /// Whether the refusal came from a class with the `Wait` policy (which the readers wait on).
    #[inline]
    pub(crate) fn would_wait(&self) -> bool {
        matches!(self.kind, PoolErrorKind::AtLimit { policy: LimitPolicy::Wait, .. })
    }
}

/// What an acquisition does when its size class already has its limit of buffers out (see
/// [`BufferPoolBuilder::with_limit`](crate::runtime::BufferPoolBuilder::with_limit)).
///
/// | policy | [`acquire`](crate::runtime::BufferPool::acquire), `FrameCodec` (feature `codec`) | [`FrameReader`](crate::runtime::FrameReader), [`read_frame_pooled`](crate::runtime::read_frame_pooled), [`acquire_async`](crate::runtime::BufferPool::acquire_async) |
/// |---|---|---|
/// | `Allocate` | served anyway, counted in `over_limit` | the same |
/// | `Error` | `Err(PoolError)`, kind [`AtLimit`](PoolErrorKind::AtLimit), counted in `refusals` | an `io::Error` ([`FrameError::PoolLimit`](crate::runtime::FrameError::PoolLimit)), counted in `refusals` |
/// | `Wait` | `Err(PoolError)` as with `Error` (a synchronous call cannot wait), not counted | waits until a buffer of the class returns, counted in `waits` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitPolicy {
    /// Serve the acquisition anyway, as a pool without a limit does (an idle buffer if there is
    /// one, else a new allocation), and count it in [`ClassStats::over_limit`](crate::runtime::ClassStats::over_limit). A soft limit:
    /// buffers out may exceed it, and the count says by how much traffic.
    Allocate,
    /// Refuse the acquisition: [`PoolError`] of kind [`PoolErrorKind::AtLimit`], counted in
    /// [`ClassStats::refusals`](crate::runtime::ClassStats::refusals). A hard limit.
    Error,
    /// Make the asynchronous readers wait until a buffer of the class comes back: real
    /// backpressure, they stop reading their stream meanwhile. Waiters are served in arrival
    /// order; each wait is counted in [`ClassStats::waits`](crate::runtime::ClassStats::waits). A hard limit. Synchronous calls
    /// (`acquire`, the tokio-util codec) cannot wait and are refused as with `Error` (not
    /// counted in `refusals`).
    Wait,
}
