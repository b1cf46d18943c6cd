//! One small document per finding code, written in YAML, JSON and TOML. `$0` marks where the
//! finding must point (the first character of the offending value or key); it is removed
//! before the document is checked. `duplicate-service` also has a service-config file (in the
//! same format), which holds the marker.

use mycelium_contracts::check::{self, Analysis, Input, Inputs};

/// A document per format for one code.
pub struct Case {
    /// The code that must be the only finding.
    pub code: &'static str,
    /// YAML, JSON and TOML versions of the contracts document.
    pub docs: [&'static str; 3],
    /// Service-config files for `duplicate-service` (same formats), else empty.
    pub services: [&'static str; 3],
}

/// File names of the three formats.
pub const NAMES: [&str; 3] = ["contracts.yaml", "contracts.json", "contracts.toml"];
/// Service-config file names of the three formats.
pub const SERVICE_NAMES: [&str; 3] = ["services.yaml", "services.json", "services.toml"];

pub const CASES: &[Case] = &[
    Case {
        code: "parse-error",
        docs: [
            "version: 1.0.0\nmessages:\n  - name: SwapEvent\n    type_id: 1\n   $0fields: []\n",
            "{\"version\": \"1.0.0\",\n \"messages\": [] $0\"services\": {}}\n",
            "version = \"1.0.0\"\nmessages = [\n$0= 1\n",
        ],
        services: ["", "", ""],
    },
    Case {
        code: "schema-violation",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    $0colour: red
    fields:
      - { name: pool_address, type: Address }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, $0"colour": "red",
   "fields": [{"name": "pool_address", "type": "Address"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
$0colour = "red"
fields = [{ name = "pool_address", type = "Address" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "invalid-version",
        docs: [
            "version: $0v1.2
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
",
            r#"{"version": $0"v1.2",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "pool_address", "type": "Address"}]}
 ]}
"#,
            r#"version = $0"v1.2"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [{ name = "pool_address", type = "Address" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "unknown-message",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
services:
  polygon-adapter:
    messages: [SwapEvent, $0SwapEvnt]
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "pool_address", "type": "Address"}]}
 ],
 "services": {"polygon-adapter": {"messages": ["SwapEvent", $0"SwapEvnt"]}}}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [{ name = "pool_address", type = "Address" }]
[services.polygon-adapter]
messages = ["SwapEvent", $0"SwapEvnt"]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "unknown-type",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - name: pool_address
        type: $0Adress
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1,
   "fields": [{"name": "pool_address", "type": $0"Adress"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
[[messages.fields]]
name = "pool_address"
type = $0"Adress"
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "duplicate-message",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
  - name: $0SwapEvent
    type_id: 2
    fields:
      - { name: pool_address, type: Address }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "pool_address", "type": "Address"}]},
  {"name": $0"SwapEvent", "type_id": 2, "fields": [{"name": "pool_address", "type": "Address"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [{ name = "pool_address", type = "Address" }]
[[messages]]
name = $0"SwapEvent"
type_id = 2
fields = [{ name = "pool_address", type = "Address" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "duplicate-type-id",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
  - name: PoolStateUpdate
    type_id: $01
    fields:
      - { name: pool_address, type: Address }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "pool_address", "type": "Address"}]},
  {"name": "PoolStateUpdate", "type_id": $01, "fields": [{"name": "pool_address", "type": "Address"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [{ name = "pool_address", type = "Address" }]
[[messages]]
name = "PoolStateUpdate"
type_id = $01
fields = [{ name = "pool_address", type = "Address" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "duplicate-field",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: amount, type: uint256 }
      - { name: $0amount, type: uint256 }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1,
   "fields": [{"name": "amount", "type": "uint256"}, {"name": $0"amount", "type": "uint256"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [
  { name = "amount", type = "uint256" },
  { name = $0"amount", type = "uint256" },
]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "duplicate-service",
        docs: [
            "version: 1.0.0
messages:
  - name: SwapEvent
    type_id: 1
    fields:
      - { name: pool_address, type: Address }
services:
  polygon-adapter:
    messages: [SwapEvent]
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "SwapEvent", "type_id": 1, "fields": [{"name": "pool_address", "type": "Address"}]}
 ],
 "services": {"polygon-adapter": {"messages": ["SwapEvent"]}}}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "SwapEvent"
type_id = 1
fields = [{ name = "pool_address", type = "Address" }]
[services.polygon-adapter]
messages = ["SwapEvent"]
"#,
        ],
        services: [
            "service:\n  $0polygon-adapter:\n    messages: [SwapEvent]\n    owner: team-a\n",
            "{\"service\": {$0\"polygon-adapter\": {\"messages\": [\"SwapEvent\"], \"owner\": \"team-a\"}}}\n",
            "[service.$0polygon-adapter]\nmessages = [\"SwapEvent\"]\nowner = \"team-a\"\n",
        ],
    },
    Case {
        code: "unbounded-field",
        docs: [
            "version: 1.0.0
messages:
  - name: PoolStateUpdate
    type_id: 2
    fields:
      - { name: symbol, type: $0string }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "PoolStateUpdate", "type_id": 2, "fields": [{"name": "symbol", "type": $0"string"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "PoolStateUpdate"
type_id = 2
fields = [{ name = "symbol", type = $0"string" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "recursive-message",
        docs: [
            "version: 1.0.0
messages:
  - name: Node
    type_id: 1
    fields:
      - { name: value, type: u64 }
      - { name: next, type: $0Node }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "Node", "type_id": 1,
   "fields": [{"name": "value", "type": "u64"}, {"name": "next", "type": $0"Node"}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "Node"
type_id = 1
fields = [{ name = "value", type = "u64" }, { name = "next", type = $0"Node" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "message-too-large",
        docs: [
            "version: 1.0.0
messages:
  - name: $0Snapshot
    type_id: 1
    fields:
      - { name: block_hash, type: Hash }
      - { name: reserves, type: uint256, count: 2048 }
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": $0"Snapshot", "type_id": 1,
   "fields": [{"name": "block_hash", "type": "Hash"}, {"name": "reserves", "type": "uint256", "count": 2048}]}
 ]}
"#,
            r#"version = "1.0.0"
[[messages]]
name = $0"Snapshot"
type_id = 1
fields = [
  { name = "block_hash", type = "Hash" },
  { name = "reserves", type = "uint256", count = 2048 },
]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "duplicate-enum-value",
        docs: [
            "version: 1.0.0
enums:
  - name: Side
    type: u8
    values: { Buy: 1, Sell: 2, Short: $02 }
messages:
  - name: Trade
    type_id: 1
    fields:
      - { name: side, type: Side }
",
            r#"{"version": "1.0.0",
 "enums": [{"name": "Side", "type": "u8", "values": {"Buy": 1, "Sell": 2, "Short": $02}}],
 "messages": [{"name": "Trade", "type_id": 1, "fields": [{"name": "side", "type": "Side"}]}]}
"#,
            r#"version = "1.0.0"
[[enums]]
name = "Side"
type = "u8"
values = { Buy = 1, Sell = 2, Short = $02 }
[[messages]]
name = "Trade"
type_id = 1
fields = [{ name = "side", type = "Side" }]
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "enum-value-out-of-range",
        docs: [
            "version: 1.0.0
enums:
  - name: Side
    type: uint16
    values: { Buy: 1, Sell: $070000 }
messages: []
",
            r#"{"version": "1.0.0",
 "enums": [{"name": "Side", "type": "uint16", "values": {"Buy": 1, "Sell": $070000}}],
 "messages": []}
"#,
            r#"version = "1.0.0"
messages = []
[[enums]]
name = "Side"
type = "uint16"
values = { Buy = 1, Sell = $070000 }
"#,
        ],
        services: ["", "", ""],
    },
    Case {
        code: "message-not-framed",
        docs: [
            "version: 1.0.0
messages:
  - name: Level
    fields:
      - { name: px, type: i64 }
  - name: Book
    type_id: 2
    fields:
      - { name: best, type: Level }
services:
  feed:
    messages: [Book, $0Level]
",
            r#"{"version": "1.0.0",
 "messages": [
  {"name": "Level", "fields": [{"name": "px", "type": "i64"}]},
  {"name": "Book", "type_id": 2, "fields": [{"name": "best", "type": "Level"}]}],
 "services": {"feed": {"messages": ["Book", $0"Level"]}}}
"#,
            r#"version = "1.0.0"
[[messages]]
name = "Level"
fields = [{ name = "px", type = "i64" }]
[[messages]]
name = "Book"
type_id = 2
fields = [{ name = "best", type = "Level" }]
[services.feed]
messages = ["Book", $0"Level"]
"#,
        ],
        services: ["", "", ""],
    },
];

/// Removes the `$0` marker; returns the text and the 1-based line and column of the marker.
pub fn strip_marker(text: &str) -> (String, Option<(usize, usize)>) {
    match text.find("$0") {
        Some(at) => {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (format!("{before}{}", &text[at + 2..]), Some((line, column)))
        }
        None => (text.to_string(), None),
    }
}

/// Checks `text` named `name` (no service-config file).
pub fn analyze_text(name: &str, text: &str) -> Analysis {
    analyze_with_services(name, text, &[])
}

/// Checks `text` named `name` with service-config files `(name, text)`.
pub fn analyze_with_services(name: &str, text: &str, services: &[(&str, &str)]) -> Analysis {
    let inputs = Inputs {
        contracts: Input::Bytes { name: name.into(), bytes: text.as_bytes().to_vec() },
        services: services
            .iter()
            .map(|(n, t)| Input::Bytes { name: (*n).into(), bytes: t.as_bytes().to_vec() })
            .collect(),
    };
    check::analyze(&inputs).expect("in-memory inputs are always readable")
}

/// The case of `code` in format `format` (0 YAML, 1 JSON, 2 TOML), checked: the analysis,
/// the name of the file holding the marker, and the marker's line and column.
pub fn run_case(case: &Case, format: usize) -> (Analysis, &'static str, (usize, usize)) {
    let (doc, doc_marker) = strip_marker(case.docs[format]);
    if case.services[format].is_empty() {
        let at = doc_marker.expect("fixture has a marker");
        (analyze_text(NAMES[format], &doc), NAMES[format], at)
    } else {
        let (svc, svc_marker) = strip_marker(case.services[format]);
        let at = svc_marker.expect("service fixture has a marker");
        (analyze_with_services(NAMES[format], &doc, &[(SERVICE_NAMES[format], &svc)]), SERVICE_NAMES[format], at)
    }
}
