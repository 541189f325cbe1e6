//! Reading plain YAML values: untagging, scalar text, and how to name a value in errors.

use crate::yaml::Value;

/// A value without its YAML tag (`!tag value`).
pub(super) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// Text of a scalar: strings as they are, numbers and booleans as written.
pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match untag(v) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "`true`/`false`",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::Tagged(t) => describe(&t.value),
    }
}
