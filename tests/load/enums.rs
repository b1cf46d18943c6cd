//! Enum values keep the order the document wrote them in, in every format: the first value is
//! the enum's default, so the order is part of the contract.

use mycelium_contracts::check::{Input, Inputs, analyze};

fn values_of(name: &str, text: &str) -> Vec<(String, i128)> {
    let inputs = Inputs::contracts_only(Input::Bytes { name: name.into(), bytes: text.as_bytes().to_vec() });
    let analysis = analyze(&inputs).unwrap();
    assert!(analysis.is_ok(), "{name}: {:#?}", analysis.diagnostics);
    let contracts = analysis.contracts.unwrap();
    assert_eq!(contracts.messages[0].type_id, None, "{name}: the first message is embedded-only");
    contracts.enums[0].values.0.iter().map(|v| (v.name.clone(), v.value)).collect()
}

#[test]
fn enum_values_keep_document_order_in_every_format() {
    let yaml_flow = "version: 1.0.0
enums:
  - { name: Side, type: u8, values: { Sell: 2, Buy: 1, Hold: 0 } }
messages:
  - { name: Level, fields: [{ name: side, type: Side }] }
";
    let yaml_block = "version: 1.0.0
enums:
  - name: Side
    type: uint8
    values:
      Sell: 2
      Buy: 1
      Hold: 0
messages:
  - name: Level
    fields:
      - { name: side, type: Side }
";
    let json = r#"{"version": "1.0.0",
 "enums": [{"name": "Side", "type": "u8", "values": {"Sell": 2, "Buy": 1, "Hold": 0}}],
 "messages": [{"name": "Level", "fields": [{"name": "side", "type": "Side"}]}]}"#;
    let toml_inline = r#"version = "1.0.0"
[[enums]]
name = "Side"
type = "u8"
values = { Sell = 2, Buy = 1, Hold = 0 }
[[messages]]
name = "Level"
fields = [{ name = "side", type = "Side" }]
"#;
    let toml_table = r#"version = "1.0.0"
[[enums]]
name = "Side"
type = "u8"
[enums.values]
Sell = 2
Buy = 1
Hold = 0
[[messages]]
name = "Level"
fields = [{ name = "side", type = "Side" }]
"#;
    let expected = vec![("Sell".to_string(), 2), ("Buy".to_string(), 1), ("Hold".to_string(), 0)];
    for (name, text) in [
        ("flow.yaml", yaml_flow),
        ("block.yml", yaml_block),
        ("c.json", json),
        ("inline.toml", toml_inline),
        ("table.toml", toml_table),
    ] {
        assert_eq!(values_of(name, text), expected, "{name}");
    }
}
