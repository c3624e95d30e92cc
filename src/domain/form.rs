//! HTML forms as input for the same [`Parse`](super::validation::Parse) types as JSON
//! bodies: each form value becomes the JSON type the body's schema declares for its field.

use serde_json::{Map, Number, Value};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaType, Type};

/// The JSON object a form stands for. Fields the schema does not declare are left out (a
/// form's buttons and hidden helpers are not part of the body); a nested object's fields
/// are named `outer.inner`. A value that does not convert stays text, so the parser names
/// the field with its usual message.
pub fn to_json(schema: &Schema, pairs: &[(String, String)]) -> Map<String, Value> {
    object(schema, "", pairs)
}

fn object(schema: &Schema, prefix: &str, pairs: &[(String, String)]) -> Map<String, Value> {
    let mut out = Map::new();
    let Schema::Object(o) = schema else { return out };
    for (name, property) in &o.properties {
        let RefOr::T(property) = property else { continue };
        let key = format!("{prefix}{name}");
        let values: Vec<&str> =
            pairs.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect();
        let value = match property {
            Schema::Array(a) => {
                let item_type = match &a.items {
                    ArrayItems::RefOrSchema(item) => match item.as_ref() {
                        RefOr::T(Schema::Object(i)) => main_type(&i.schema_type),
                        _ => None,
                    },
                    ArrayItems::False => None,
                };
                let present = pairs.iter().any(|(k, _)| *k == key);
                let items: Vec<&str> = if item_type == Some(Type::String) {
                    values
                        .iter()
                        .flat_map(|v| v.split(LIST_SEPARATORS))
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .collect()
                } else {
                    values
                };
                present.then(|| Value::Array(items.iter().map(|v| scalar(v, item_type.clone())).collect()))
            }
            Schema::Object(p) if main_type(&p.schema_type) == Some(Type::Object) => {
                let inner = object(property, &format!("{key}."), pairs);
                (!inner.is_empty()).then_some(Value::Object(inner))
            }
            Schema::Object(p) => {
                let kind = main_type(&p.schema_type);
                match values.last() {
                    Some(v) => Some(scalar(v, kind)),
                    // An unchecked checkbox sends nothing.
                    None if kind == Some(Type::Boolean) => Some(Value::Bool(false)),
                    None => None,
                }
            }
            _ => values.last().map(|v| Value::String(v.to_string())),
        };
        if let Some(value) = value {
            out.insert(name.clone(), value);
        }
    }
    out
}

/// A list of texts may come as one text field (`majors`: "机电一体化，数控技术"); these
/// separate its items. Repeated fields work too.
const LIST_SEPARATORS: &[char] = &[',', '，', '、', ';', '；', '\n', '\r'];

/// The declared type, ignoring `null`.
fn main_type(t: &SchemaType) -> Option<Type> {
    match t {
        SchemaType::Type(t) => Some(t.clone()),
        SchemaType::Array(ts) => ts.iter().find(|t| **t != Type::Null).cloned(),
        SchemaType::AnyValue => None,
    }
}

fn scalar(text: &str, kind: Option<Type>) -> Value {
    let converted = match kind {
        Some(Type::Integer) => text.parse::<i64>().ok().map(Value::from),
        Some(Type::Number) => text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number),
        Some(Type::Boolean) => match text {
            "true" | "on" | "1" | "yes" => Some(Value::Bool(true)),
            "false" | "off" | "0" | "no" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    converted.unwrap_or_else(|| Value::String(text.to_string()))
}
