//! Field-by-field parsing of client input.
//!
//! Requests are read as loose JSON objects and parsed one field at a time, so that a 422
//! names *every* invalid field rather than stopping at the first serde error. Each request
//! body is a type implementing [`Parse`]; its OpenAPI schema is recorded from the same
//! parse (see [`super::input_schema`]), and an HTML form produces the same types through
//! [`Input::from_form`].

use super::input_schema::{self as schema, Layout, Recorder};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::marker::PhantomData;
use utoipa::openapi::schema::{Schema, SchemaFormat};

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

    /// What `from_field` accepts, as a JSON Schema.
    fn schema() -> Schema;
}

impl FromField for Value {
    fn from_field(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
    fn schema() -> Schema {
        Schema::Object(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::SchemaType::AnyValue))
    }
}

impl FromField for String {
    fn from_field(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.trim().to_string()),
            _ => Err("must be a string / 必须是文本".into()),
        }
    }
    fn schema() -> Schema {
        Schema::Object(schema::string())
    }
}

impl FromField for i64 {
    /// JSON Schema counts `3.0` as an integer, so the server does too.
    fn from_field(value: &Value) -> Result<Self, String> {
        value
            .as_i64()
            .or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
            .ok_or_else(|| "must be an integer / 必须是整数".to_string())
    }
    fn schema() -> Schema {
        schema::integer(i64::MIN, i64::MAX)
    }
}

impl FromField for f64 {
    fn from_field(value: &Value) -> Result<Self, String> {
        value.as_f64().ok_or_else(|| "must be a number / 必须是数字".to_string())
    }
    fn schema() -> Schema {
        schema::number(None)
    }
}

impl FromField for bool {
    fn from_field(value: &Value) -> Result<Self, String> {
        value.as_bool().ok_or_else(|| "must be true or false / 必须是布尔值".to_string())
    }
    fn schema() -> Schema {
        schema::boolean()
    }
}

/// A day of the (proleptic Gregorian) calendar as `YYYY-MM-DD`, as a regular expression
/// matching exactly the days chrono accepts: 30-day months, February's 28 days, and
/// February 29 in leap years (divisible by 4; centuries only when divisible by 400).
macro_rules! calendar_day {
    () => {
        concat!(
            "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
            "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
            "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
        )
    };
}
pub(crate) use calendar_day;

/// A calendar date written exactly `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = concat!("^", calendar_day!(), "$");

impl FromField for NaiveDate {
    fn from_field(value: &Value) -> Result<Self, String> {
        let text = value.as_str().ok_or_else(|| "must be a date string YYYY-MM-DD / 必须是日期".to_string())?;
        let shaped = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        shaped
            .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
            .ok_or_else(|| format!("`{text}` is not a date in the form YYYY-MM-DD / 日期格式应为 YYYY-MM-DD"))
    }
    fn schema() -> Schema {
        schema::patterned(DATE_PATTERN, 10, Some(SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date)))
    }
}

/// A request body: parsed from a JSON object (or an HTML form) one field at a time, and
/// documented by running the same parse in recording mode.
pub trait Parse: Sized {
    /// Read every field from `input`, recording each invalid one; `None` when something
    /// was invalid.
    fn parse(input: &mut Input) -> Option<Self>;

    /// Fields of the stored representation that a merge patch may echo back but not change.
    const READ_ONLY: &'static [&'static str] = &["id", "organization_id", "created_at", "updated_at"];

    /// Parse a JSON body; every invalid field is named.
    fn from_json(value: Value) -> Result<Self, FieldErrors> {
        let mut input = Input::from_value(value)?;
        let parsed = Self::parse(&mut input);
        input.finish(parsed)
    }

    /// Parse an HTML form's fields (see [`Input::from_form`]); every invalid field is named.
    fn from_form(pairs: &[(String, String)]) -> Result<Self, FieldErrors> {
        let mut input = Input::from_form::<Self>(pairs);
        let parsed = Self::parse(&mut input);
        input.finish(parsed)
    }

    /// The body's JSON Schema as documented, as a create (`as_patch = false`) or as a merge
    /// patch: the recorded fields, and for a create the rules across them.
    fn input_schema(as_patch: bool) -> Schema {
        let recorded = Self::recorded_schema(as_patch);
        if as_patch { recorded } else { Self::refine_schema(recorded) }
    }

    /// The fields as the parse declares them: one plain object, which an HTML form's
    /// values are converted by ([`Input::from_form`]).
    fn recorded_schema(as_patch: bool) -> Schema {
        let mut input = Input::recording();
        if as_patch && let Some(recorder) = input.recorder.as_mut() {
            for name in Self::READ_ONLY {
                recorder.declare_read_only(name);
            }
        }
        let _ = Self::parse(&mut input);
        input.recorder.take().unwrap_or_default().into_schema(as_patch)
    }

    /// Add the rules across fields that JSON Schema can state but a field-by-field
    /// recording cannot (a field required for one `kind` only, at most one of two fields),
    /// next to the parse that enforces them. Not applied to merge patches: a patch is
    /// checked merged over the stored row, which its schema cannot see.
    fn refine_schema(recorded: Schema) -> Schema {
        recorded
    }
}

/// Implements `utoipa::ToSchema` for request bodies from their [`Parse`] implementation.
macro_rules! request_schema {
    ($($name:ty),+ $(,)?) => {$(
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::RefOr::T(<$name as $crate::domain::validation::Parse>::input_schema(false))
            }
        }
        impl utoipa::ToSchema for $name {}
    )+};
}
pub(crate) use request_schema;

/// A new company- or school-owned record: its users create it for their own organisation;
/// coordinators name the organisation in `organization_id`.
#[derive(Debug, Clone)]
pub struct New<T> {
    pub organization_id: Option<i64>,
    pub fields: T,
}

impl<T: Parse> Parse for New<T> {
    fn parse(input: &mut Input) -> Option<Self> {
        let organization_id = input.int_in("organization_id", 1, i64::MAX, false);
        let fields = T::parse(input);
        Some(Self { organization_id, fields: fields? })
    }
}

impl<T: Parse> utoipa::PartialSchema for New<T> {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        utoipa::openapi::RefOr::T(Self::input_schema(false))
    }
}

impl<T: Parse> utoipa::ToSchema for New<T> {
    /// `New<PostingFields>` → `NewPosting`.
    fn name() -> std::borrow::Cow<'static, str> {
        format!("New{}", stem::<T>()).into()
    }
}

/// `PostingFields` → `Posting`, `NewEvent` → `Event`: the record a body type describes.
fn stem<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let short = full.rsplit("::").next().unwrap_or(full);
    short.strip_prefix("New").unwrap_or(short).trim_end_matches("Fields")
}

/// An RFC 7396 JSON merge patch for a `T`: merged over the current representation, the
/// result is parsed exactly like a create. Changing a read-only field is a 422.
#[derive(Debug)]
pub struct Patch<T> {
    body: Map<String, Value>,
    of: PhantomData<fn() -> T>,
}

impl<T: Parse> Patch<T> {
    pub fn from_json(value: Value) -> Result<Self, FieldErrors> {
        match value {
            Value::Object(body) => Ok(Self { body, of: PhantomData }),
            _ => Err(FieldErrors(vec![FieldError::new("body", "must be a JSON object / 请求体必须是 JSON 对象")])),
        }
    }

    /// An HTML edit form as a merge patch: the fields it sends, converted as for a create.
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        Self { body: super::form::to_json(&T::recorded_schema(false), pairs), of: PhantomData }
    }

    /// Treat `field` as not sent when it carries `shown`, the form answers show it in (a
    /// masked value echoed back by a client means "keep the stored one").
    pub fn unchanged_if_shown(&mut self, field: &str, shown: Option<&str>) {
        if shown.is_some_and(|shown| self.body.get(field).and_then(Value::as_str) == Some(shown)) {
            self.body.remove(field);
        }
    }

    /// Merge over `current` (the stored representation as JSON) and parse the result.
    pub fn apply(self, mut current: Value) -> Result<T, FieldErrors> {
        let mut errors = FieldErrors::default();
        for key in T::READ_ONLY {
            if let Some(new) = self.body.get(*key)
                && current.get(*key) != Some(new)
            {
                errors.push(*key, "is read-only / 不可修改");
            }
        }
        errors.into_result(())?;
        merge_patch(&mut current, &Value::Object(self.body));
        let mut input = Input::from_value(current)?;
        for key in T::READ_ONLY {
            input.ignore(key);
        }
        let parsed = T::parse(&mut input);
        input.finish(parsed)
    }
}

impl<T: Parse> utoipa::PartialSchema for Patch<T> {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        utoipa::openapi::RefOr::T(T::input_schema(true))
    }
}

impl<T: Parse> utoipa::ToSchema for Patch<T> {
    /// `PostingFields` → `PostingPatch`, `NewEvent` → `EventPatch`.
    fn name() -> std::borrow::Cow<'static, str> {
        format!("{}Patch", stem::<T>()).into()
    }
}

/// How a field compares with another: see [`Input::bound_by`].
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// Strictly later or greater.
    After,
    /// Not less.
    AtLeast,
}

impl Bound {
    fn keyword(self) -> &'static str {
        match self {
            Bound::After => "x-after",
            Bound::AtLeast => "x-at-least",
        }
    }
    fn words(self) -> &'static str {
        match self {
            Bound::After => "Must be after",
            Bound::AtLeast => "Must be at least",
        }
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
    /// Set when documenting: getters declare their fields here and read nothing.
    recorder: Option<Recorder>,
}

impl Input {
    pub fn new(map: Map<String, Value>) -> Self {
        Self { map, known: BTreeSet::new(), errors: FieldErrors::default(), recorder: None }
    }

    /// An input that reads nothing and records the schema of every field asked for.
    fn recording() -> Self {
        Self { recorder: Some(Recorder::default()), ..Self::new(Map::new()) }
    }

    fn declare(&mut self, name: &str, schema: impl FnOnce() -> Schema, required: bool) {
        if let Some(recorder) = &mut self.recorder {
            recorder.declare(name, schema, required);
        }
    }

    /// An HTML form as input for the same [`Parse`] types: each value is converted to the
    /// JSON type `T`'s schema declares for its field (numbers, booleans, lists from
    /// repeated fields); blank values count as absent, and an unchecked checkbox (a
    /// boolean field that was not sent) as `false`.
    pub fn from_form<T: Parse>(pairs: &[(String, String)]) -> Self {
        Self::new(super::form::to_json(&T::recorded_schema(false), pairs))
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
        if let Some(recorder) = &mut self.recorder {
            recorder.declare_read_only(name);
        }
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
        self.declare(name, T::schema, false);
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
        self.declare(name, T::schema, true);
        if self.raw(name).is_none() {
            self.errors.push(name, "is required / 必填");
            return None;
        }
        self.optional(name)
    }

    /// Optional single-line text, trimmed; blank text counts as absent. Longer than `max`
    /// characters or holding a control character (checked before trimming, as the schema's
    /// `maxLength` and `pattern` are) is an error.
    pub fn text(&mut self, name: &str, max: usize) -> Option<String> {
        self.laid_out_text(name, max, Layout::SingleLine)
    }

    /// [`Input::text`] that may run over several lines: line breaks and tabs are kept.
    pub fn multiline_text(&mut self, name: &str, max: usize) -> Option<String> {
        self.laid_out_text(name, max, Layout::MultiLine)
    }

    fn laid_out_text(&mut self, name: &str, max: usize, layout: Layout) -> Option<String> {
        self.declare(name, || schema::text(max, layout), false);
        if let Some(Value::String(raw)) = self.map.get(name) {
            let refused = if raw.chars().count() > max {
                Err(format!("must be at most {max} characters / 最多 {max} 个字符"))
            } else {
                layout.check(raw)
            };
            if let Err(message) = refused {
                self.known.insert(name.to_string());
                self.errors.push(name, message);
                return None;
            }
        }
        let value: String = self.optional(name)?;
        (!value.is_empty()).then_some(value)
    }

    /// Required, non-blank single-line text of at most `max` characters.
    pub fn required_text(&mut self, name: &str, max: usize) -> Option<String> {
        self.declare(name, || schema::required_text(max), true);
        let value = self.text(name, max);
        if value.is_none() && !self.errors.has(name) {
            self.errors.push(name, "is required / 必填");
        }
        value
    }

    /// An integer within `min..=max`.
    pub fn int_in(&mut self, name: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        self.declare(name, || schema::integer(min, max), required);
        let value: i64 = if required { self.required(name)? } else { self.optional(name)? };
        if !(min..=max).contains(&value) {
            self.errors.push(name, format!("must be between {min} and {max} / 必须在 {min} 到 {max} 之间"));
            return None;
        }
        Some(value)
    }

    /// A list of at most `max_items` short single-line texts: trimmed, blanks dropped,
    /// duplicates removed (order kept).
    pub fn text_list(&mut self, name: &str, max_items: usize, max_len: usize) -> Vec<String> {
        self.declare(name, || schema::list(schema::text(max_len, Layout::SingleLine), Some(max_items), false), false);
        let Some(value) = self.raw(name) else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.errors.push(name, "must be a list of strings / 必须是文本列表");
            return Vec::new();
        };
        if items.len() > max_items {
            self.errors.push(name, format!("must have at most {max_items} items / 最多 {max_items} 项"));
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for item in items {
            match item.as_str() {
                Some(s) if s.chars().count() > max_len => {
                    self.errors.push(
                        name,
                        format!("each item must be at most {max_len} characters / 每项最多 {max_len} 个字符"),
                    );
                    return Vec::new();
                }
                Some(s) if let Err(message) = Layout::SingleLine.check(s) => {
                    self.errors.push(name, format!("each item {message}"));
                    return Vec::new();
                }
                Some(s) => {
                    let s = s.trim();
                    if !s.is_empty() && !out.iter().any(|o| o == s) {
                        out.push(s.to_string());
                    }
                }
                None => {
                    self.errors.push(name, "must be a list of strings / 必须是文本列表");
                    return Vec::new();
                }
            }
        }
        out
    }

    /// A list of enum values, each parsed by `T`.
    pub fn enum_list<T: FromField + PartialEq>(&mut self, name: &str) -> Vec<T> {
        self.declare(name, || schema::list(T::schema(), None, false), false);
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
        self.declare(name, || schema::list(schema::integer(1, i64::MAX), Some(max_items), true), false);
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
            match i64::from_field(item).ok() {
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

    /// [`Input::id_list`], required.
    pub fn required_id_list(&mut self, name: &str, max_items: usize) -> Option<Vec<i64>> {
        self.declare(name, || schema::list(schema::integer(1, i64::MAX), Some(max_items), true), true);
        let ids = self.id_list(name, max_items);
        if ids.is_none() && !self.errors.0.iter().any(|e| e.field.starts_with(name)) {
            self.errors.push(name, "is required / 必填");
        }
        ids
    }

    /// When both are given, `value` must be after `other_value` ([`Bound::After`]) or not
    /// below it ([`Bound::AtLeast`]); the error names `name`. JSON Schema cannot compare two
    /// fields, so the schema of `name` says it in words and in an annotation naming the other
    /// field (`x-after` or `x-at-least`), which test generators can follow.
    pub fn bound_by<T: PartialOrd>(
        &mut self,
        name: &str,
        value: Option<T>,
        bound: Bound,
        other: &str,
        other_value: Option<T>,
        message: &str,
    ) {
        if let Some(recorder) = &mut self.recorder {
            recorder.annotate(
                name,
                bound.keyword(),
                other,
                &format!("{} `{other}` when both are given.", bound.words()),
            );
        }
        if let (Some(value), Some(other_value)) = (value, other_value) {
            let holds = match bound {
                Bound::After => value > other_value,
                Bound::AtLeast => value >= other_value,
            };
            if !holds {
                self.errors.push(name, message);
            }
        }
    }

    /// A required value of `T` that must be one of `allowed` (a subset of `T`'s values).
    pub fn required_among<T: FromField + PartialEq + Copy + std::fmt::Display>(
        &mut self,
        name: &str,
        allowed: &'static [T],
    ) -> Option<T> {
        let names = || allowed.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        self.declare(name, || schema::one_of(names()), true);
        let value: T = self.required(name)?;
        if allowed.contains(&value) {
            Some(value)
        } else {
            self.errors.push(name, format!("must be one of: {} / 取值无效", names().join(", ")));
            None
        }
    }

    /// A list of at most `max_items` objects, each parsed by `parse` as its own input; their
    /// errors are reported as `name[i].field`.
    pub fn nested_list<T>(
        &mut self,
        name: &str,
        max_items: usize,
        mut parse: impl FnMut(&mut Input) -> Option<T>,
    ) -> Option<Vec<T>> {
        if let Some(recorder) = &mut self.recorder {
            let mut inner = Input::recording();
            let _ = parse(&mut inner);
            let item = inner.recorder.take().unwrap_or_default().into_schema(false);
            recorder.declare(name, || schema::list(item, Some(max_items), false), false);
            return None;
        }
        let value = self.raw(name)?;
        let Value::Array(items) = value else {
            self.errors.push(name, "must be a list / 必须是列表");
            return None;
        };
        if items.len() > max_items {
            self.errors.push(name, format!("must have at most {max_items} items / 最多 {max_items} 项"));
            return None;
        }
        let before = self.errors.0.len();
        let mut out = Vec::with_capacity(items.len());
        for (at, item) in items.into_iter().enumerate() {
            let Ok(mut inner) = Input::from_value(item) else {
                self.errors.push(format!("{name}[{at}]"), "must be a JSON object / 必须是 JSON 对象");
                continue;
            };
            let parsed = parse(&mut inner);
            match inner.finish(parsed) {
                Ok(v) => out.push(v),
                Err(errors) => {
                    for e in errors.0 {
                        self.errors.push(format!("{name}[{at}].{}", e.field), e.message);
                    }
                }
            }
        }
        (self.errors.0.len() == before).then_some(out)
    }

    /// A nested object, parsed by `parse` as its own input; its errors are reported as
    /// `name.field`.
    pub fn nested<T>(&mut self, name: &str, parse: impl FnOnce(&mut Input) -> Option<T>) -> Option<T> {
        if let Some(recorder) = &mut self.recorder {
            let mut inner = Input::recording();
            let _ = parse(&mut inner);
            let object = inner.recorder.take().unwrap_or_default().into_schema(false);
            recorder.declare(name, || object, false);
            return None;
        }
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
