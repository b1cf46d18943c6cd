//! [`BufferPool`]: size classes of reusable buffers, each a bounded lock-free free list.
//!
//! # Lifetime
//!
//! Every slot, idle or handed out, holds one strong count on the pool's shared state, so a buffer
//! may outlive every [`BufferPool`] handle and still return safely. When the last handle drops,
//! the pool is *closed*: its idle buffers are freed, and buffers returned later are freed instead
//! of kept. The strong counts are taken and released only when a slot is allocated or freed,
//! never on the hot path.
//!
//! # Modules
//!
//! Each module uses only those before it in this list (their unit tests aside):
//!
//! 1. `free_list`, `config`, `error`, `stats`: the free list and plain data.
//! 2. `limit`: the bound on buffers out and its wait queue, generic over the slot it hands on.
//! 3. `class`: the shared state (`Inner`, `Class`, slot headers), allocating and freeing slots.
//! 4. `thread_cache`: the per-thread cache in front of each class's free list.
//! 5. `release`: the way back of a returned slot (limit, thread cache, free list, allocator).
//! 6. `buffer` ([`PooledBuffer`]), then `shared` ([`SharedBuffer`], and freezing a buffer).
//! 7. This module: [`BufferPool`], acquiring and waiting at a limit (`Waiter`), the builder,
//!    closing.

use std::fmt;
use std::future::poll_fn;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll, ready};

mod buffer;
mod class;
mod config;
mod error;
mod free_list;
mod limit;
mod release;
mod shared;
mod stats;
mod thread_cache;

pub use self::buffer::PooledBuffer;
#[cfg(feature = "pools-json")]
pub use self::config::ConfigError;
pub use self::config::{MessageClass, ServiceConfig, SizeClassConfig};
pub use self::error::{LimitPolicy, PoolError, PoolErrorKind};
pub use self::shared::SharedBuffer;
pub use self::stats::ClassStats;

use self::class::{Class, Inner, OwnedSlot, free_slot};
use self::limit::{Limit, LimitSpec, check_limit_sizes, limit_for_class};
use self::release::release;

/// The error for a length over the largest class, out of the hot path.
#[cold]
#[inline(never)]
fn too_large(requested: usize, largest: usize) -> PoolError {
    PoolError::too_large(requested, largest)
}

/// A pool of reusable byte buffers in power-of-two size classes.
///
/// `BufferPool` is a cheap handle (an `Arc`): clone it to share the pool between tasks and
/// threads. [`acquire`](BufferPool::acquire) takes a buffer from the smallest class that fits,
/// in O(1) (an index computed from the length's power of two, no map lookup), without a lock:
/// each class is a bounded lock-free free list. When the class is empty a new buffer is
/// allocated (a *miss*), so the pool never blocks; when a [`PooledBuffer`] drops it returns to
/// its class, or is freed if the class already keeps `capacity` idle buffers.
///
/// ```
/// use mycelium_contracts::runtime::{BufferPool, PooledBuffer};
///
/// let pool = BufferPool::builder()
///     .with_size_class(128, 1024) // (buffer size, capacity)
///     .with_size_class(256, 512)
///     .build();
/// let buf: PooledBuffer = pool.acquire(84)?;
/// assert_eq!(buf.len(), 84);
/// assert_eq!(buf.capacity(), 128);
/// drop(buf); // back to its class
/// assert_eq!(pool.stats()[0].returns, 1);
/// # Ok::<(), mycelium_contracts::runtime::PoolError>(())
/// ```
pub struct BufferPool {
    inner: Arc<Inner>,
}

impl BufferPool {
    /// Starts a pool with no size classes.
    pub fn builder() -> BufferPoolBuilder {
        BufferPoolBuilder::default()
    }

    /// Builds the pool of a service from its generated configuration (see
    /// [`BufferPoolBuilder::with_service_config`]).
    pub fn from_service_config(config: &ServiceConfig) -> BufferPool {
        BufferPool::builder().with_service_config(config).build()
    }

    /// Builds the pool of `service` from a generated `pools.json` document (see
    /// [`ServiceConfig::from_pools_json`]).
    ///
    /// # Errors
    ///
    /// [`ConfigError`](crate::runtime::ConfigError) when the document is invalid or lacks the service.
    #[cfg(feature = "pools-json")]
    pub fn from_pools_json(json: &str, service: &str) -> Result<BufferPool, ConfigError> {
        ServiceConfig::from_pools_json(json, service).map(|config| BufferPool::from_service_config(&config))
    }

    /// Takes a buffer of exactly `len` bytes, all zero, from the smallest class that fits.
    ///
    /// Fails only when `len` exceeds the largest class; an empty class allocates.
    #[inline]
    pub fn acquire(&self, len: usize) -> Result<PooledBuffer, PoolError> {
        let mut buf = self.acquire_for_overwrite(len)?;
        buf.fill(0);
        Ok(buf)
    }

    /// Like [`acquire`](BufferPool::acquire) but leaves an earlier message's bytes in the
    /// buffer: for the frame readers, which overwrite all `len` bytes before handing it out.
    /// (Slot memory is always initialized: it is zeroed when allocated.)
    #[inline]
    pub(crate) fn acquire_for_overwrite(&self, len: usize) -> Result<PooledBuffer, PoolError> {
        let inner = &*self.inner;
        // The errors are built out of line: the hot path only tests and branches.
        let Some(class) = inner.class_for(len) else { return Err(too_large(len, inner.max_size)) };
        if let Some(limit) = class.limit.as_deref() {
            limit.admit(len, inner.max_size)?;
        }
        Ok(self.take(class, len))
    }

    /// The class that serves `len` bytes.
    #[inline]
    pub(crate) fn class_for(&self, len: usize) -> Result<&Class, PoolError> {
        let inner = &*self.inner;
        inner.class_for(len).ok_or_else(|| too_large(len, inner.max_size))
    }

    /// Takes a buffer of `len` bytes (at most the class's size) from `class` of this pool (this
    /// thread's cache, the shared list, or a new allocation), without looking at the class's limit.
    #[inline]
    pub(crate) fn take(&self, class: &Class, len: usize) -> PooledBuffer {
        let popped = if class.cache_depth != 0 {
            thread_cache::acquire(class)
        } else {
            class.free.pop().map(|slot|
            // SAFETY: the free list only holds non-null slot pointers.
            unsafe { NonNull::new_unchecked(slot) })
        };
        let slot = match popped {
            Some(slot) => slot,
            None => {
                class.counters.misses.fetch_add(1, Ordering::Relaxed);
                class.allocate(&self.inner)
            }
        };
        // SAFETY: the slot was just popped or allocated, so we own it exclusively, and `len` fits
        // its class.
        unsafe { PooledBuffer::from_slot(slot, len) }
    }

    #[cfg(test)]
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The pool state, weakly: it is gone once every handle, slot and thread-cache pin is.
    #[cfg(test)]
    pub(crate) fn state(&self) -> Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    /// The size of the largest class: the longest buffer [`acquire`](BufferPool::acquire) hands
    /// out (`0` without classes).
    pub fn max_size(&self) -> usize {
        self.inner.max_size
    }

    /// The class sizes, ascending.
    pub fn class_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.inner.classes.iter().map(|c| c.size)
    }

    /// Counters of every class, ascending by size.
    pub fn stats(&self) -> Vec<ClassStats> {
        self.inner.classes.iter().map(Class::stats).collect()
    }
}

impl BufferPool {
    /// Like [`acquire`](BufferPool::acquire), but when the class has a limit with the
    /// [`Wait`](LimitPolicy::Wait) policy and is at it, waits until one of its buffers returns.
    ///
    /// Cancel-safe: dropping the future leaves the queue, and a buffer granted to it meanwhile
    /// goes on to the next waiter.
    ///
    /// # Errors
    ///
    /// As `acquire`: `len` over the largest class, or the class at its limit with the
    /// [`Error`](LimitPolicy::Error) policy.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use mycelium_contracts::runtime::{BufferPool, LimitPolicy};
    ///
    /// let pool = BufferPool::builder().with_size_class(128, 4).with_limit(1, LimitPolicy::Wait).build();
    /// let first = pool.acquire_async(10).await?;
    /// assert!(pool.acquire(10).is_err()); // a synchronous call cannot wait
    /// let returner = std::thread::spawn(move || drop(first));
    /// let second = pool.acquire_async(10).await?; // waits until `first` is back
    /// returner.join().unwrap();
    /// assert_eq!(second.len(), 10);
    /// # Ok::<(), mycelium_contracts::runtime::PoolError>(())
    /// # }).unwrap();
    /// ```
    pub async fn acquire_async(&self, len: usize) -> Result<PooledBuffer, PoolError> {
        let mut waiter = Waiter::default();
        let mut buf = poll_fn(|cx| self.poll_acquire_for_overwrite(len, cx, &mut waiter)).await?;
        buf.fill(0);
        Ok(buf)
    }

    /// After `acquire_for_overwrite` refused with `err`: waits for a buffer when the class's
    /// policy is `Wait` (leaving the queue if the future is dropped), else returns `err`.
    #[cold]
    pub(crate) async fn wait_if_allowed(&self, len: usize, err: PoolError) -> Result<PooledBuffer, PoolError> {
        if !err.would_wait() {
            return Err(err);
        }
        let mut waiter = Waiter::default();
        poll_fn(|cx| self.poll_acquire_for_overwrite(len, cx, &mut waiter)).await
    }

    /// The readers' acquisition: as `acquire_for_overwrite`, but waits in `waiter` when the class
    /// is at a limit with the `Wait` policy.
    #[inline]
    pub(crate) fn poll_acquire_for_overwrite(
        &self,
        len: usize,
        cx: &mut Context<'_>,
        waiter: &mut Waiter,
    ) -> Poll<Result<PooledBuffer, PoolError>> {
        let class = match self.class_for(len) {
            Ok(class) => class,
            Err(err) => return Poll::Ready(Err(err)),
        };
        match class.limit.as_deref() {
            None => Poll::Ready(Ok(self.take(class, len))),
            Some(limit) if limit.policy == LimitPolicy::Wait => self.poll_wait(class, len, cx, waiter),
            Some(limit) => Poll::Ready(limit.admit(len, self.max_size()).map(|()| self.take(class, len))),
        }
    }

    #[cold]
    fn poll_wait(
        &self,
        class: &Class,
        len: usize,
        cx: &mut Context<'_>,
        waiter: &mut Waiter,
    ) -> Poll<Result<PooledBuffer, PoolError>> {
        let Some(limit) = class.limit.as_ref() else { unreachable!("called for a limited class") };
        if waiter.entry.as_ref().is_some_and(|(queued, _)| !Arc::ptr_eq(queued, limit)) {
            waiter.cancel();
        }
        if let Some((_, key)) = waiter.entry {
            let slot = ready!(limit.poll_granted(key, cx.waker()));
            waiter.entry = None;
            return Poll::Ready(Ok(match slot {
                // SAFETY: the slot was handed over by a release of this class, so it is owned by
                // us alone and `len` fits it.
                Some(slot) => unsafe { PooledBuffer::from_slot(slot.0, len) },
                None => self.take(class, len),
            }));
        }
        match limit.take_or_queue(cx.waker()) {
            None => Poll::Ready(Ok(self.take(class, len))),
            Some(key) => {
                waiter.entry = Some((Arc::clone(limit), key));
                Poll::Pending
            }
        }
    }
}

/// A reader's place in a class's wait queue. Dropping it leaves the queue (and gives back
/// whatever it was granted).
#[derive(Default)]
pub(crate) struct Waiter {
    entry: Option<(Arc<Limit<OwnedSlot>>, usize)>,
}

impl Waiter {
    /// Whether the waiter is in a queue (waiting, or granted and not yet served).
    #[inline]
    pub(crate) fn is_queued(&self) -> bool {
        self.entry.is_some()
    }

    /// Leaves the queue, if in one.
    #[inline]
    pub(crate) fn cancel(&mut self) {
        if let Some((limit, key)) = self.entry.take()
            && let Some(slot) = limit.cancel(key)
        {
            // SAFETY: the slot was handed to this waiter by a release and nobody else holds it; it
            // goes through the release path again (to the next waiter, or the list).
            unsafe { release(slot.0) };
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl fmt::Debug for Waiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter").field("queued", &self.is_queued()).finish()
    }
}

impl Clone for BufferPool {
    fn clone(&self) -> Self {
        self.inner.handles.fetch_add(1, Ordering::Relaxed);
        BufferPool { inner: Arc::clone(&self.inner) }
    }
}

impl Drop for BufferPool {
    fn drop(&mut self) {
        if self.inner.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            close(&self.inner);
        }
    }
}

/// Closes the pool (its last handle dropped): later returns are freed, and so are the idle
/// buffers, including those in this thread's cache (other threads' caches free theirs when they
/// next return a buffer of the pool, or exit).
fn close(inner: &Arc<Inner>) {
    inner.mark_closed();
    thread_cache::retire_classes(&inner.classes);
    inner.close_shared();
}

impl fmt::Debug for BufferPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BufferPool").field("classes", &self.inner.classes).finish()
    }
}

/// Builder of a [`BufferPool`], from [`BufferPool::builder`].
#[derive(Debug, Clone, Default)]
pub struct BufferPoolBuilder {
    /// `(size, capacity)`, sizes already rounded to powers of two.
    classes: Vec<(usize, usize)>,
    prefill: bool,
    /// Limits of buffers out, applied at `build` (`limit.rs`).
    limits: Vec<LimitSpec>,
}

impl BufferPoolBuilder {
    /// Adds a class of buffers of `size` bytes that keeps at most `capacity` of them idle.
    ///
    /// A `size` that is not a power of two is rounded up to the next one (class lookup is an
    /// index by power of two). Adding a size twice keeps the later capacity. A capacity of `0`
    /// makes a class that keeps nothing: every acquire allocates and every drop frees.
    pub fn with_size_class(mut self, size: usize, capacity: usize) -> Self {
        let size = size.max(1).checked_next_power_of_two().unwrap_or(1 << (usize::BITS - 1));
        match self.classes.iter_mut().find(|(s, _)| *s == size) {
            Some(class) => class.1 = capacity,
            None => self.classes.push((size, capacity)),
        }
        self
    }

    /// Adds the classes of a service's generated configuration.
    ///
    /// A service with `buffer_pool_enabled: false` gets one class per distinct
    /// `BUFFER_CLASS` of its messages with capacity `0`: buffers are plain allocations, freed on
    /// drop, and the code that reads frames stays the same.
    pub fn with_service_config(mut self, config: &ServiceConfig) -> Self {
        if config.buffer_pool_enabled {
            for class in config.size_classes.iter() {
                self = self.with_size_class(class.size, class.capacity);
            }
        } else {
            for message in config.messages.iter() {
                self = self.with_size_class(message.buffer_class, 0);
            }
        }
        self
    }

    /// Fills every class to its capacity when the pool is built, so the steady state (no
    /// allocation per message) holds from the first message.
    pub fn prefill(mut self, prefill: bool) -> Self {
        self.prefill = prefill;
        self
    }

    /// Bounds the buffers every class may have out at once to `max_out`, with `policy` for an
    /// acquisition at the bound (see [`LimitPolicy`]). A class's own
    /// [`with_class_limit`](BufferPoolBuilder::with_class_limit) takes precedence; the later call
    /// wins. Without a limit (the default) a class hands out buffers without bound and never
    /// waits, and the limit costs nothing.
    ///
    /// Applies to every class of the pool, also those added afterwards or from
    /// [`with_service_config`](BufferPoolBuilder::with_service_config):
    ///
    /// ```
    /// use mycelium_contracts::runtime::{BufferPool, LimitPolicy, PoolErrorKind, ServiceConfig, SizeClassConfig};
    ///
    /// let config = ServiceConfig {
    ///     name: "adapter".into(),
    ///     buffer_pool_enabled: true,
    ///     size_classes: vec![SizeClassConfig { size: 128, capacity: 2 }].into(),
    ///     messages: vec![].into(),
    /// };
    /// let pool = BufferPool::builder().with_service_config(&config).with_limit(2, LimitPolicy::Error).build();
    /// let held = (pool.acquire(84)?, pool.acquire(84)?);
    /// let err = pool.acquire(84).unwrap_err();
    /// assert!(matches!(err.kind, PoolErrorKind::AtLimit { class: 128, limit: 2, .. }));
    /// drop(held);
    /// assert_eq!(pool.stats()[0].refusals, 1);
    /// # Ok::<(), mycelium_contracts::runtime::PoolError>(())
    /// ```
    pub fn with_limit(mut self, max_out: usize, policy: LimitPolicy) -> Self {
        self.limits.push(LimitSpec { size: None, max_out, policy });
        self
    }

    /// Bounds the buffers the class of `size` bytes (rounded up to a power of two, as in
    /// [`with_size_class`](BufferPoolBuilder::with_size_class)) may have out at once; see
    /// [`with_limit`](BufferPoolBuilder::with_limit). The class must exist when the pool is
    /// built.
    pub fn with_class_limit(mut self, size: usize, max_out: usize, policy: LimitPolicy) -> Self {
        let size = size.max(1).checked_next_power_of_two().unwrap_or(1 << (usize::BITS - 1));
        self.limits.push(LimitSpec { size: Some(size), max_out, policy });
        self
    }

    /// Builds the pool.
    ///
    /// # Panics
    ///
    /// When a class's buffers (size plus a 16-byte header) cannot be laid out in the address
    /// space (a size above `isize::MAX / 2`), when a [`with_class_limit`](BufferPoolBuilder::with_class_limit)
    /// names a size that is not a class, or, with prefill, when memory runs out.
    pub fn build(self) -> BufferPool {
        let mut classes = self.classes;
        classes.sort_unstable();
        check_limit_sizes(&self.limits, &classes.iter().map(|&(size, _)| size).collect::<Vec<_>>());
        let mut lookup = [u8::MAX; usize::BITS as usize + 1];
        for (bucket, slot) in lookup.iter_mut().enumerate() {
            let len = 1usize.checked_shl(bucket as u32).unwrap_or(usize::MAX);
            if let Some(index) = classes.iter().position(|&(size, _)| size >= len) {
                *slot = u8::try_from(index).unwrap_or(u8::MAX);
            }
        }
        let max_size = classes.last().map_or(0, |&(size, _)| size);
        let inner = Arc::new_cyclic(|weak: &Weak<Inner>| Inner {
            classes: classes
                .iter()
                .map(|&(size, capacity)| {
                    let limit = limit_for_class(&self.limits, size);
                    Class::new(size, capacity, limit, thread_cache::depth_for(capacity), self.prefill, weak.clone())
                })
                .collect(),
            lookup,
            max_size,
            handles: AtomicUsize::new(1),
        });
        if self.prefill {
            for class in inner.classes.iter() {
                for _ in 0..class.free.capacity() {
                    let slot = class.allocate(&inner);
                    if class.free.push(slot.as_ptr()).is_err() {
                        // SAFETY: the push failed, so we still own the new slot.
                        unsafe { free_slot(class, slot) };
                    }
                }
            }
        }
        BufferPool { inner }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> BufferPool {
        BufferPool::builder().with_size_class(128, 2).with_size_class(256, 1).build()
    }

    #[test]
    fn picks_the_smallest_class_that_fits() {
        let pool = pool();
        for (len, cap) in [(0, 128), (1, 128), (84, 128), (128, 128), (129, 256), (256, 256)] {
            let buf = pool.acquire(len).unwrap();
            assert_eq!((buf.len(), buf.capacity()), (len, cap), "len {len}");
        }
        assert_eq!(pool.acquire(257).unwrap_err(), PoolError::too_large(257, 256));
        assert_eq!(pool.acquire(usize::MAX).unwrap_err().largest, 256);
    }

    #[test]
    fn a_pool_without_classes_refuses_everything() {
        let pool = BufferPool::builder().build();
        assert_eq!(pool.acquire(0).unwrap_err(), PoolError::too_large(0, 0));
    }

    #[test]
    fn sizes_round_up_to_powers_of_two() {
        let pool = BufferPool::builder().with_size_class(100, 1).with_size_class(128, 3).build();
        assert_eq!(pool.class_sizes().collect::<Vec<_>>(), vec![128]);
        assert_eq!(pool.stats()[0].capacity, 3);
    }

    #[test]
    fn acquired_buffers_are_zeroed() {
        let pool = pool();
        let mut buf = pool.acquire(100).unwrap();
        buf.fill(0xAB);
        drop(buf);
        let buf = pool.acquire(128).unwrap();
        assert!(buf.iter().all(|&b| b == 0));
        assert_eq!(pool.stats()[0].hits, 1);
    }

    #[test]
    fn capacity_bounds_idle_buffers() {
        let pool = pool();
        let bufs: Vec<_> = (0..5).map(|_| pool.acquire(10).unwrap()).collect();
        drop(bufs);
        let s = pool.stats()[0];
        assert_eq!((s.misses, s.returns, s.frees_over_capacity, s.idle, s.buffers_out), (5, 2, 3, 2, 0));
    }

    #[test]
    fn prefill_fills_every_class() {
        let pool = BufferPool::builder().with_size_class(128, 3).with_size_class(512, 2).prefill(true).build();
        let stats = pool.stats();
        assert_eq!((stats[0].idle, stats[1].idle), (3, 2));
        let _a = pool.acquire(1).unwrap();
        let s = pool.stats()[0];
        assert_eq!((s.hits, s.misses, s.returns, s.buffers_out), (1, 0, 0, 1));
    }

    #[test]
    fn buffers_outlive_the_pool() {
        let pool = pool();
        let clone = pool.clone();
        let mut a = pool.acquire(5).unwrap();
        let b = clone.acquire(5).unwrap();
        drop(b);
        drop(pool);
        drop(clone);
        a[4] = 9;
        assert_eq!(&a[..], &[0, 0, 0, 0, 9]);
        drop(a);
    }

    #[test]
    fn cross_thread_return() {
        let pool = pool();
        let buf = pool.acquire(64).unwrap();
        std::thread::spawn(move || drop(buf)).join().unwrap();
        assert_eq!(pool.stats()[0].returns, 1);
    }

    #[test]
    fn returns_racing_the_last_handle_drop() {
        for _ in 0..if cfg!(miri) { 4 } else { 200 } {
            let pool = BufferPool::builder().with_size_class(128, 2).prefill(true).build();
            let bufs: Vec<_> = (0..3).map(|_| pool.acquire(8).unwrap()).collect();
            let t = std::thread::spawn(move || drop(bufs));
            drop(pool);
            t.join().unwrap();
        }
    }

    #[test]
    fn zero_capacity_class_allocates_and_frees() {
        let pool = BufferPool::builder().with_size_class(128, 0).build();
        drop(pool.acquire(3).unwrap());
        drop(pool.acquire(3).unwrap());
        let s = pool.stats()[0];
        assert_eq!((s.misses, s.hits, s.frees_over_capacity, s.buffers_out), (2, 0, 2, 0));
    }
}
