//! A small example change for each rule that affects the wire, so `--explain` can show its
//! witness: computed by encoding with one version and decoding with the other, like every
//! witness of a real comparison.

use crate::model::{Contracts, EnumValue, FieldDef, Layout, MessageDef};

/// The base of every example: a trade with a side, a price level, a book that embeds a level,
/// and an embedded-only fill.
const BASE: &str = r#"{"version": "1.0.0",
  "enums": [{"name": "Side", "type": "u8", "values": {"Buy": 1, "Sell": 2}}],
  "messages": [
  {"name": "Trade", "type_id": 10, "fields": [
    {"name": "side", "type": "Side"},
    {"name": "symbol", "type": "string", "max_len": 8},
    {"name": "price_e8", "type": "i64"},
    {"name": "qty", "type": "u32"}]},
  {"name": "Level", "type_id": 11, "fields": [{"name": "px", "type": "i64"}, {"name": "size", "type": "u32"}]},
  {"name": "Book", "type_id": 12, "fields": [{"name": "best", "type": "Level"}, {"name": "seq", "type": "u64"}]},
  {"name": "Fill", "fields": [{"name": "px", "type": "i64"}, {"name": "qty", "type": "u32"}]}],
  "services": {"feed": {"messages": ["Trade", "Book"]}}}"#;

fn field(name: &str, ty: &str) -> FieldDef {
    FieldDef { name: name.into(), ty: ty.into(), count: None, max_count: None, max_len: None, description: None }
}

/// The example change of rule `code`, applied to a copy of the base; `None` for rules that do
/// not affect the wire.
fn apply(code: &str, c: &mut Contracts) -> Option<()> {
    let trade = &mut c.messages[0];
    match code {
        "message-removed" => {
            c.messages.remove(0);
            c.services.values_mut().for_each(|s| s.messages.retain(|m| m != "Trade"));
        }
        "message-type-id-changed" => trade.type_id = Some(13),
        "field-removed" => {
            trade.fields.remove(2);
        }
        "field-type-changed" => trade.fields[2].ty = "i32".into(),
        "field-inserted" => trade.fields.insert(2, field("venue", "u16")),
        "field-moved" => trade.fields.swap(2, 3),
        "field-bound-narrowed" => trade.fields[1].max_len = Some(4),
        "field-bound-widened" => trade.fields[1].max_len = Some(12),
        "size-class-grew" => {
            let mut note = field("note", "string");
            note.max_len = Some(120);
            trade.fields.push(note);
        }
        "message-added" => c.messages.push(MessageDef {
            name: "Halt".into(),
            type_id: Some(14),
            description: None,
            fields: vec![field("reason", "u8")],
        }),
        "field-appended" => trade.fields.push(field("venue", "u8")),
        "enum-removed" => {
            c.enums.clear();
            c.messages[0].fields[0].ty = "u8".into();
        }
        "enum-value-removed" => {
            c.enums[0].values.0.pop();
        }
        "enum-value-changed" => {
            // Buy and Sell swap numbers.
            c.enums[0].values.0[0].value = 2;
            c.enums[0].values.0[1].value = 1;
        }
        "enum-type-changed" => c.enums[0].ty = "u16".into(),
        "enum-value-added" => c.enums[0].values.0.push(EnumValue { name: "Cross".into(), value: 3 }),
        "message-framing-changed" => c.messages[1].type_id = None,
        "message-framed" => c.messages[3].type_id = Some(13),
        _ => return None,
    }
    Some(())
}

/// The witness of the example change of rule `code`, and the change's own text.
pub fn witness(code: &str) -> Option<(String, String)> {
    let base: Contracts = serde_json::from_str(BASE).ok()?;
    let mut new = base.clone();
    new.version = "1.1.0".into();
    apply(code, &mut new)?;
    let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
    let changes = super::super::diff(super::super::Side::new(&base, &bl), super::super::Side::new(&new, &nl));
    let change = changes.into_iter().find(|ch| ch.rule.code == code)?;
    Some((change.text, change.witness?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule that affects the wire has an example that raises exactly that rule, with a
    /// witness; the others have none.
    #[test]
    fn every_wire_rule_has_an_example_with_a_witness() {
        for r in super::super::RULES {
            let wire = crate::compat::diff::affects_wire(r);
            assert_eq!(witness(r.code).is_some(), wire, "{}", r.code);
        }
        let (change, w) = witness("field-bound-widened").unwrap();
        assert_eq!(change, "Trade.symbol: max_len 8 -> 12");
        assert_eq!(
            w,
            "a 1.0.0 reader decodes a 1.1.0 Trade {symbol: \"BTC-USDT\", price_e8: 9700000000003} as price_e8: 8434652776717352960"
        );
        let (_, w) = witness("field-appended").unwrap();
        assert_eq!(w, "a 1.0.0 reader decodes a 1.1.0 Trade {venue: 21} with every common field equal (venue ignored)");
        let (change, w) = witness("enum-value-added").unwrap();
        assert_eq!(change, "Side.Cross = 3 added");
        assert_eq!(w, "a 1.0.0 reader rejects a 1.1.0 Trade: Trade.side: 3 is not a value of enum `Side`");
        let (change, w) = witness("enum-value-changed").unwrap();
        assert_eq!(change, "Side.Buy: value 1 -> 2");
        assert_eq!(w, "a 1.0.0 reader decodes a 1.1.0 Trade {side: Buy} as side: Sell");
    }
}
