//! Field-by-field parsing of client input.
//!
//! Requests are read as loose JSON objects and parsed one field at a time, so that a 422
//! names *every* invalid field rather than stopping at the first serde error.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One invalid field: `field` is the JSON name the client sent (or should have sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Every problem found in one input; empty means valid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

/// A value that can be parsed from one JSON field.
pub trait FromField: Sized {
    /// Parse `value`; the error is the message shown for the field.
    fn from_field(value: &Value) -> Result<Self, String>;
}

impl FromField for Value {
    fn from_field(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl FromField for String {
    fn from_field(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.trim().to_string()),
            _ => Err("must be a string / 必须是文本".into()),
        }
    }
}

impl FromField for i64 {
    fn from_field(value: &Value) -> Result<Self, String> {
        value.as_i64().ok_or_else(|| "must be an integer / 必须是整数".to_string())
    }
}

impl FromField for bool {
    fn from_field(value: &Value) -> Result<Self, String> {
        value.as_bool().ok_or_else(|| "must be true or false / 必须是布尔值".to_string())
    }
}

impl FromField for NaiveDate {
    fn from_field(value: &Value) -> Result<Self, String> {
        let text = value.as_str().ok_or_else(|| "must be a date string YYYY-MM-DD / 必须是日期".to_string())?;
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("`{text}` is not a date in the form YYYY-MM-DD / 日期格式应为 YYYY-MM-DD"))
    }
}

/// A JSON object being parsed into a domain value.
///
/// Each getter records a field error when the field is present but invalid (or missing
/// when required) and returns `None`; `finish` fails if anything was recorded, or if the
/// object carried a field nobody asked for (a typo should not be silently ignored).
pub struct Input {
    map: Map<String, Value>,
    known: BTreeSet<String>,
    pub errors: FieldErrors,
}

impl Input {
    pub fn new(map: Map<String, Value>) -> Self {
        Self { map, known: BTreeSet::new(), errors: FieldErrors::default() }
    }

    /// Parse a body that must be a JSON object.
    pub fn from_value(value: Value) -> Result<Self, FieldErrors> {
        match value {
            Value::Object(map) => Ok(Self::new(map)),
            _ => {
                let mut errors = FieldErrors::default();
                errors.push("body", "must be a JSON object / 请求体必须是 JSON 对象");
                Err(errors)
            }
        }
    }

    /// Accept a field without reading it (read-only fields echoed back by clients).
    pub fn ignore(&mut self, name: &str) {
        self.known.insert(name.to_string());
    }

    /// Look at a field without marking it as read.
    pub fn peek(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    fn raw(&mut self, name: &str) -> Option<Value> {
        self.known.insert(name.to_string());
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.clone()),
        }
    }

    /// An optional field: `None` when absent or null.
    pub fn optional<T: FromField>(&mut self, name: &str) -> Option<T> {
        let value = self.raw(name)?;
        match T::from_field(&value) {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(name, message);
                None
            }
        }
    }

    /// A required field: records "is required" when absent or null.
    pub fn required<T: FromField>(&mut self, name: &str) -> Option<T> {
        if self.raw(name).is_none() {
            self.errors.push(name, "is required / 必填");
            return None;
        }
        self.optional(name)
    }

    /// Optional text; blank text counts as absent. Longer than `max` chars is an error.
    pub fn text(&mut self, name: &str, max: usize) -> Option<String> {
        let value: String = self.optional(name)?;
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > max {
            self.errors.push(name, format!("must be at most {max} characters / 最多 {max} 个字符"));
            return None;
        }
        Some(value)
    }

    /// Required, non-blank text of at most `max` characters.
    pub fn required_text(&mut self, name: &str, max: usize) -> Option<String> {
        let value = self.text(name, max);
        if value.is_none() && !self.errors.has(name) {
            self.errors.push(name, "is required / 必填");
        }
        value
    }

    /// An integer within `min..=max`.
    pub fn int_in(&mut self, name: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        let value: i64 = if required { self.required(name)? } else { self.optional(name)? };
        if !(min..=max).contains(&value) {
            self.errors.push(name, format!("must be between {min} and {max} / 必须在 {min} 到 {max} 之间"));
            return None;
        }
        Some(value)
    }

    /// A list of short texts: trimmed, blanks dropped, duplicates removed (order kept).
    pub fn text_list(&mut self, name: &str, max_items: usize, max_len: usize) -> Vec<String> {
        let Some(value) = self.raw(name) else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.errors.push(name, "must be a list of strings / 必须是文本列表");
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for item in items {
            match item.as_str().map(str::trim) {
                Some("") => {}
                Some(s) if s.chars().count() > max_len => {
                    self.errors.push(
                        name,
                        format!("each item must be at most {max_len} characters / 每项最多 {max_len} 个字符"),
                    );
                    return Vec::new();
                }
                Some(s) => {
                    if !out.iter().any(|o| o == s) {
                        out.push(s.to_string());
                    }
                }
                None => {
                    self.errors.push(name, "must be a list of strings / 必须是文本列表");
                    return Vec::new();
                }
            }
        }
        if out.len() > max_items {
            self.errors.push(name, format!("must have at most {max_items} items / 最多 {max_items} 项"));
            return Vec::new();
        }
        out
    }

    /// A list of enum values, each parsed by `T`.
    pub fn enum_list<T: FromField + PartialEq>(&mut self, name: &str) -> Vec<T> {
        let Some(value) = self.raw(name) else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.errors.push(name, "must be a list / 必须是列表");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in &items {
            match T::from_field(item) {
                Ok(v) => {
                    if !out.contains(&v) {
                        out.push(v)
                    }
                }
                Err(message) => {
                    self.errors.push(name, message);
                    return Vec::new();
                }
            }
        }
        out
    }

    /// A ranked list of ids: positive integers, at most `max_items`, each at most once (a
    /// repeated id would make the ranking ambiguous, so it is an error, not silently dropped).
    pub fn id_list(&mut self, name: &str, max_items: usize) -> Option<Vec<i64>> {
        let value = self.raw(name)?;
        let Value::Array(items) = value else {
            self.errors.push(name, "must be a list of ids / 必须是编号列表");
            return None;
        };
        if items.len() > max_items {
            self.errors.push(name, format!("must have at most {max_items} items / 最多 {max_items} 项"));
            return None;
        }
        let mut out: Vec<i64> = Vec::with_capacity(items.len());
        let mut seen = std::collections::HashMap::with_capacity(items.len());
        for (at, item) in items.iter().enumerate() {
            match item.as_i64() {
                Some(id) if id >= 1 => {
                    if let Some(first) = seen.insert(id, at) {
                        self.errors.push(
                            format!("{name}[{at}]"),
                            format!("repeats id {id} (already at position {first}) / 编号 {id} 重复"),
                        );
                        return None;
                    }
                    out.push(id);
                }
                _ => {
                    self.errors.push(format!("{name}[{at}]"), "must be a positive integer id / 必须是正整数编号");
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A nested object, parsed by `parse` as its own input; its errors are reported as
    /// `name.field`.
    pub fn nested<T>(&mut self, name: &str, parse: impl FnOnce(&mut Input) -> Option<T>) -> Option<T> {
        let value = self.raw(name)?;
        let mut inner = match Input::from_value(value) {
            Ok(inner) => inner,
            Err(_) => {
                self.errors.push(name, "must be a JSON object / 必须是 JSON 对象");
                return None;
            }
        };
        let parsed = parse(&mut inner);
        match inner.finish(parsed) {
            Ok(v) => Some(v),
            Err(errors) => {
                for e in errors.0 {
                    self.errors.push(format!("{name}.{}", e.field), e.message);
                }
                None
            }
        }
    }

    /// Finish parsing: unknown fields are errors too.
    pub fn finish<T>(mut self, value: Option<T>) -> Result<T, FieldErrors> {
        let unknown: Vec<String> = self.map.keys().filter(|k| !self.known.contains(*k)).cloned().collect();
        for key in unknown {
            self.errors.push(key, "is not a known field / 未知字段");
        }
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => {
                if self.errors.is_empty() {
                    // A getter returned None without recording why; never let that pass as valid.
                    self.errors.push("body", "is invalid / 无效");
                }
                Err(self.errors)
            }
        }
    }
}

/// Apply an RFC 7396 JSON merge patch: PATCH bodies are merged over the current
/// representation and the result is validated exactly like a create.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.insert(k.clone(), Value::Null);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(v: Value) -> Input {
        Input::from_value(v).unwrap()
    }

    #[test]
    fn collects_every_invalid_field() {
        let mut i = input(json!({"a": "x", "b": 5, "extra": 1}));
        let a: Option<i64> = i.optional("a");
        let b = i.required_text("b", 10);
        let c = i.required_text("c", 10);
        assert!(a.is_none() && b.is_none() && c.is_none());
        let errors = i.finish(Some(())).unwrap_err();
        for field in ["a", "b", "c", "extra"] {
            assert!(errors.has(field), "{field} missing from {errors:?}");
        }
    }

    #[test]
    fn text_lists_are_trimmed_and_deduplicated() {
        let mut i = input(json!({"skills": [" PLC ", "PLC", "", "焊工"]}));
        assert_eq!(i.text_list("skills", 10, 20), vec!["PLC", "焊工"]);
    }

    #[test]
    fn merge_patch_replaces_and_removes() {
        let mut doc = json!({"a": 1, "b": {"c": 2, "d": 3}});
        merge_patch(&mut doc, &json!({"a": 5, "b": {"d": null}}));
        assert_eq!(doc, json!({"a": 5, "b": {"c": 2, "d": null}}));
    }
}
