//! The `pool-setting-changed` rule (patch): `buffer_pool_enabled` of a service was toggled.

use super::{Bump, Rule};

/// `pool-setting-changed`: `buffer_pool_enabled` of a service was toggled.
pub const RULE: Rule = Rule {
    code: "pool-setting-changed",
    name: "pool setting changed",
    description: "`buffer_pool_enabled` of a service was toggled",
    bump: Bump::Patch,
    breaks: "The wire format is unchanged; the service allocates per message (pool disabled) or keeps a pool of idle buffers (pool enabled), which changes its memory use and allocation profile.",
    noun: "pool-setting change of",
};
