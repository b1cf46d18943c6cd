//! The generated large contract (`benches/tools/gen_contracts.rs`) loads in every format, to the same
//! value, with spans on its values.

#[allow(dead_code)]
#[path = "../../benches/tools/gen_contracts.rs"]
mod gen_contracts;

use gen_contracts::{Format, render};

use crate::{doc, key_text, value_text};

#[test]
fn the_three_formats_agree() {
    let yaml = doc("big.yaml", &render(300, 40, Format::Yaml));
    let json = doc("big.json", &render(300, 40, Format::Json));
    let toml = doc("big.toml", &render(300, 40, Format::Toml));
    assert_eq!(yaml.value, json.value);
    assert_eq!(yaml.value, toml.value);
    assert_eq!(yaml.value["messages"].as_array().unwrap().len(), 300);
    assert_eq!(yaml.value["services"].as_object().unwrap().len(), 40);
    for d in [&yaml, &json, &toml] {
        assert_eq!(value_text(d, "/messages/299/type_id"), "300");
        assert!(value_text(d, "/messages/9/fields/6/type").contains("CancelEvent9"));
        assert!(key_text(d, "/services/service-40").contains("service-40"));
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(render(50, 5, Format::Yaml), render(50, 5, Format::Yaml));
    assert_ne!(render(50, 5, Format::Yaml), render(51, 5, Format::Yaml));
}
