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

impl ServiceConfig {
    /// The size of the largest class (`0` without classes): the longest payload the service's
    /// pool hands out.
    pub fn max_buffer_size(&self) -> usize {
        self.size_classes.iter().map(|c| c.size).max().unwrap_or(0)
    }

    /// Reads the configuration of `service` from a generated `pools.json` document.
    ///
    /// ```
    /// use mycelium_contracts::runtime::{BufferPool, ServiceConfig};
    ///
    /// let json = r#"{"version": "1.2.0", "services": {"polygon-adapter": {"buffer_pool_enabled": true,
    ///     "size_classes": [{"size": 128, "capacity": 1024}, {"size": 256, "capacity": 512}],
    ///     "messages": {"SwapEvent": 128, "PoolStateUpdate": 256}}}}"#;
    /// let config = ServiceConfig::from_pools_json(json, "polygon-adapter")?;
    /// assert_eq!(config.size_classes.len(), 2);
    /// let pool = BufferPool::from_service_config(&config);
    /// assert_eq!(pool.max_size(), 256);
    ///
    /// let err = ServiceConfig::from_pools_json(json, "polygon-adaptr").unwrap_err();
    /// assert_eq!(err.to_string(), "service `polygon-adaptr` is not in pools.json (services: polygon-adapter)");
    /// # Ok::<(), mycelium_contracts::runtime::ConfigError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ConfigError`]: the document is not valid `pools.json` (with line and column), the
    /// service is not in it, or a size class is not a power of two.
    #[cfg(feature = "pools-json")]
    pub fn from_pools_json(json: &str, service: &str) -> Result<ServiceConfig, ConfigError> {
        let mut doc = pools_json::parse(json)?;
        match doc.services.remove(service) {
            Some(entry) => pools_json::convert(service, entry),
            None => Err(ConfigError::UnknownService {
                service: service.to_owned(),
                available: doc.services.into_keys().collect(),
            }),
        }
    }

    /// Reads every service's configuration from a generated `pools.json` document, sorted by
    /// service name.
    ///
    /// # Errors
    ///
    /// As [`from_pools_json`](ServiceConfig::from_pools_json), except for the unknown service.
    #[cfg(feature = "pools-json")]
    pub fn all_from_pools_json(json: &str) -> Result<Vec<ServiceConfig>, ConfigError> {
        let doc = pools_json::parse(json)?;
        doc.services.into_iter().map(|(name, entry)| pools_json::convert(&name, entry)).collect()
    }
}

/// Error reading a `pools.json` document.
#[cfg(feature = "pools-json")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The document is not valid JSON, or does not have the shape of `pools.json`.
    Json {
        /// What is wrong, from the JSON parser.
        message: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// The requested service is not in the document.
    UnknownService {
        /// The requested service.
        service: String,
        /// The services the document has, sorted.
        available: Vec<String>,
    },
    /// A size class of a service is not a power of two.
    InvalidSizeClass {
        /// The service.
        service: String,
        /// The offending size.
        size: usize,
    },
}

#[cfg(feature = "pools-json")]
impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Json { message, line, column } => {
                write!(f, "invalid pools.json at line {line}, column {column}: {message}")
            }
            ConfigError::UnknownService { service, available } if available.is_empty() => {
                write!(f, "service `{service}` is not in pools.json (it lists no services)")
            }
            ConfigError::UnknownService { service, available } => {
                write!(f, "service `{service}` is not in pools.json (services: {})", available.join(", "))
            }
            ConfigError::InvalidSizeClass { service, size } => {
                write!(f, "service `{service}` has a size class of {size} bytes, not a power of two")
            }
        }
    }
}

#[cfg(feature = "pools-json")]
impl std::error::Error for ConfigError {}

/// The serde shape of `pools.json` (`docs/reference/generated-code.md`).
#[cfg(feature = "pools-json")]
mod pools_json {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{ConfigError, MessageClass, ServiceConfig, SizeClassConfig};

    #[derive(Deserialize)]
    pub(super) struct Document {
        #[allow(dead_code)]
        pub(super) version: Option<String>,
        pub(super) services: BTreeMap<String, Service>,
    }

    #[derive(Deserialize)]
    pub(super) struct Service {
        #[serde(default = "yes")]
        buffer_pool_enabled: bool,
        #[serde(default)]
        size_classes: Vec<SizeClass>,
        #[serde(default)]
        messages: OrderedMessages,
    }

    /// The `messages` object in document order (the service's order), so a config read from
    /// `pools.json` equals the generated constant.
    #[derive(Default)]
    struct OrderedMessages(Vec<(String, usize)>);

    impl<'de> Deserialize<'de> for OrderedMessages {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = OrderedMessages;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object from message name to buffer class")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedMessages, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry::<String, usize>()? {
                        out.push(entry);
                    }
                    Ok(OrderedMessages(out))
                }
            }
            deserializer.deserialize_map(Visit)
        }
    }

    #[derive(Deserialize)]
    struct SizeClass {
        size: usize,
        capacity: usize,
    }

    fn yes() -> bool {
        true
    }

    pub(super) fn parse(json: &str) -> Result<Document, ConfigError> {
        serde_json::from_str(json).map_err(|e| ConfigError::Json {
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
            line: e.line(),
            column: e.column(),
        })
    }

    pub(super) fn convert(name: &str, service: Service) -> Result<ServiceConfig, ConfigError> {
        let mut size_classes = Vec::with_capacity(service.size_classes.len());
        for class in service.size_classes {
            if !class.size.is_power_of_two() {
                return Err(ConfigError::InvalidSizeClass { service: name.to_owned(), size: class.size });
            }
            size_classes.push(SizeClassConfig { size: class.size, capacity: class.capacity });
        }
        size_classes.sort_unstable_by_key(|c| c.size);
        Ok(ServiceConfig {
            name: name.to_owned().into(),
            buffer_pool_enabled: service.buffer_pool_enabled,
            size_classes: size_classes.into(),
            messages: service
                .messages
                .0
                .into_iter()
                .map(|(name, buffer_class)| MessageClass { name: name.into(), buffer_class })
                .collect::<Vec<_>>()
                .into(),
        })
    }
}
