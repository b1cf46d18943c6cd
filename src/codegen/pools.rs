//! `pools.json`: every service's buffer-pool plan, in the format of `docs/reference/generated-code.md`.
//!
//! Written by hand rather than through a serializer so that the key order is fixed
//! (`version`, `services`; per service `buffer_pool_enabled`, `size_classes`, `messages`),
//! services sorted by name, messages in the service's order, two-space indentation.

use std::fmt::Write;

use crate::model::{Contracts, Layout};

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The `pools.json` text for `contracts`.
pub(super) fn pools_json(contracts: &Contracts, layout: &Layout) -> String {
    let mut out = String::new();
    out.push_str("{\n");
    let _ = writeln!(out, "  \"version\": {},", json_str(&contracts.version));
    if contracts.services.is_empty() {
        out.push_str("  \"services\": {}\n}\n");
        return out;
    }
    out.push_str("  \"services\": {\n");
    let count = contracts.services.len();
    for (i, name) in contracts.services.keys().enumerate() {
        let Some(plan) = layout.pool_plan(contracts, name) else { continue };
        let _ = writeln!(out, "    {}: {{", json_str(name));
        let _ = writeln!(out, "      \"buffer_pool_enabled\": {},", plan.enabled);
        if plan.classes.is_empty() {
            out.push_str("      \"size_classes\": [],\n");
        } else {
            out.push_str("      \"size_classes\": [\n");
            for (k, c) in plan.classes.iter().enumerate() {
                let comma = if k + 1 < plan.classes.len() { "," } else { "" };
                let _ = writeln!(out, "        {{\"size\": {}, \"capacity\": {}}}{comma}", c.size, c.capacity);
            }
            out.push_str("      ],\n");
        }
        if plan.messages.is_empty() {
            out.push_str("      \"messages\": {}\n");
        } else {
            out.push_str("      \"messages\": {\n");
            for (k, (m, class)) in plan.messages.iter().enumerate() {
                let comma = if k + 1 < plan.messages.len() { "," } else { "" };
                let _ = writeln!(out, "        {}: {class}{comma}", json_str(m));
            }
            out.push_str("      }\n");
        }
        out.push_str(if i + 1 < count { "    },\n" } else { "    }\n" });
    }
    out.push_str("  }\n}\n");
    out
}
