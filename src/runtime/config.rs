//! Pool configuration of a service, as generated from the contracts.

use std::borrow::Cow;

/// One size class of a pool: buffers of `size` bytes, at most `capacity` of them kept idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SizeClassConfig {
    /// Buffer size in bytes (a power of two, at least 128).
    pub size: usize,
    /// Idle buffers the class keeps at most.
    pub capacity: usize,
}

/// A message a service handles and the size class it uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageClass {
    /// Message name, as in the contracts.
    pub name: Cow<'static, str>,
    /// The message's `BUFFER_CLASS`.
    pub buffer_class: usize,
}

/// The generated pool configuration of one service: what `pools.json` holds for it, and what
/// the generated `buffer_pool()` constants hold. Constructible in `const` context (borrowed
/// data) by generated code, and owned when read from `pools.json`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceConfig {
    /// Service name (kebab-case).
    pub name: Cow<'static, str>,
    /// Whether the service uses a pool at all.
    pub buffer_pool_enabled: bool,
    /// Size classes, ascending by size (empty when the pool is disabled).
    pub size_classes: Cow<'static, [SizeClassConfig]>,
    /// Messages the service handles, with their classes.
    pub messages: Cow<'static, [MessageClass]>,
}
