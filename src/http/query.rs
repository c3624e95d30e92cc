//! Query-string parameters: each list operation reads its parameters into one type
//! implementing [`FromQuery`], and the same reading, run in recording mode, documents them,
//! so the OpenAPI parameters state exactly the limits the server enforces.
//!
//! An empty value (`?role=`) is the same as leaving the parameter out: HTML forms send
//! their empty fields and selects that way. The documented schemas say so: an enum lists
//! `""`, and an integer or boolean parameter also accepts the empty string. Only text
//! parameters are trimmed; any other value is read exactly as sent.

use crate::domain::FieldErrors;
use crate::domain::input_schema::{Layout, integer, laid_out, list, one_of, text};
use crate::domain::search_words;
use crate::domain::validation::FromField;
use crate::error::AppError;
use crate::store::PageRequest;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::Value;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::{RefOr, Required};

/// The parameters of one operation, read from a [`Query`].
pub trait FromQuery: Sized {
    /// Read every parameter; an invalid one is recorded in `query.errors`.
    fn from_query(query: &mut Query) -> Self;
}

/// The query string read into `T`; a 422 names every invalid parameter.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: FromQuery> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Query::read(parts.uri.query().unwrap_or("")).map(Params)
    }
}

/// Documents `T`'s parameters by reading an empty query in recording mode.
impl<T: FromQuery> utoipa::IntoParams for Params<T> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut query = Query { pairs: Vec::new(), errors: FieldErrors::default(), declared: Some(Vec::new()) };
        let _ = T::from_query(&mut query);
        query.declared.unwrap_or_default()
    }
}

/// Query-string parameters, read one at a time so that a 422 names each bad one. Unknown
/// parameters are ignored (caches and trackers add their own).
pub struct Query {
    pairs: Vec<(String, String)>,
    pub errors: FieldErrors,
    /// Set when documenting: each getter declares its parameter here.
    declared: Option<Vec<Parameter>>,
}

impl Query {
    /// Read `T` from a raw query string (the part after `?`): a 400 when it is not URL
    /// encoding, a 422 naming every invalid parameter. Pages read their URLs this way too,
    /// so a page and the API agree on what a parameter means.
    pub(crate) fn read<T: FromQuery>(raw: &str) -> Result<T, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|_| AppError::BadRequest("The query string is not valid URL encoding.".into()))?;
        let mut query = Query { pairs, errors: FieldErrors::default(), declared: None };
        let value = T::from_query(&mut query);
        query.errors.into_result(value).map_err(AppError::Validation)
    }

    fn declare(&mut self, name: &str, schema: impl FnOnce() -> Schema, description: &str) {
        if let Some(declared) = &mut self.declared {
            let parameter = ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description((!description.is_empty()).then(|| description.to_string()))
                .schema(Some(RefOr::T(empty_allowed(schema()))))
                .build();
            declared.push(parameter);
        }
    }

    /// The first non-empty value of `name`.
    fn first(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    fn parsed<T: FromField>(&mut self, name: &str, text: &str) -> Option<T> {
        match T::from_field(&Value::String(text.to_string())) {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(name, message);
                None
            }
        }
    }

    /// One line of text, trimmed; blank text counts as absent. A control character (say a
    /// `%00` or `%0A`) is an error, as in a body's single-line text.
    pub fn text(&mut self, name: &str, description: &str) -> Option<String> {
        self.declare(name, || laid_out(Layout::SingleLine), description);
        let text = self.first(name)?.to_string();
        if let Err(message) = Layout::SingleLine.check(&text) {
            self.errors.push(name, message);
            return None;
        }
        let value: String = self.parsed(name, &text)?;
        (!value.is_empty()).then_some(value)
    }

    /// A search's words (`q`): one line of text within [`search_words`]' bounds, checked
    /// before trimming as `maxLength` is; blank is no words. The word bound, beyond JSON
    /// Schema, is stated as `x-max-words` for test generators to follow.
    pub fn words(&mut self, name: &str, description: &str) -> String {
        self.declare(
            name,
            || {
                let mut schema = text(search_words::MAX_CHARS, Layout::SingleLine);
                if let Schema::Object(o) = &mut schema {
                    o.extensions
                        .get_or_insert_with(Default::default)
                        .insert("x-max-words".into(), search_words::MAX_WORDS.into());
                }
                schema
            },
            &format!(
                "{description} (at most {} characters and {} words)",
                search_words::MAX_CHARS,
                search_words::MAX_WORDS
            ),
        );
        let Some(raw) = self.first(name).map(str::to_string) else { return String::new() };
        if let Err(message) = search_words::check(&raw) {
            self.errors.push(name, message);
            return String::new();
        }
        self.text(name, "").unwrap_or_default()
    }

    /// A value of `T`, e.g. one of an enum's values.
    pub fn get<T: FromField>(&mut self, name: &str, description: &str) -> Option<T> {
        self.declare(name, T::schema, description);
        let text = self.first(name)?.to_string();
        self.parsed(name, &text)
    }

    /// Every value of a repeatable parameter (`?benefit=a&benefit=b`).
    pub fn all<T: FromField>(&mut self, name: &str, description: &str) -> Vec<T> {
        self.declare(name, || list(empty_allowed(T::schema()), None, false), description);
        let values: Vec<String> =
            self.pairs.iter().filter(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.clone()).collect();
        values.iter().filter_map(|v| self.parsed(name, v)).collect()
    }

    /// An integer within `min..=max`.
    pub fn int(&mut self, name: &str, min: i64, max: i64, description: &str) -> Option<i64> {
        self.declare(name, || integer(min, max), description);
        let text = self.first(name)?;
        match text.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Some(v),
            Ok(_) => {
                self.errors.push(name, format!("must be between {min} and {max} / 必须在 {min} 到 {max} 之间"));
                None
            }
            Err(_) => {
                self.errors.push(name, "must be an integer / 必须是整数");
                None
            }
        }
    }

    /// The id of a row (a positive integer).
    pub fn id(&mut self, name: &str, description: &str) -> Option<i64> {
        self.int(name, 1, i64::MAX, description)
    }

    /// `true` or `false` (`1` and `0` are read the same way).
    pub fn bool(&mut self, name: &str, description: &str) -> Option<bool> {
        self.declare(name, || one_of(["true", "false", "1", "0"]), description);
        match self.first(name)? {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                self.errors.push(name, "must be true or false / 必须是 true 或 false");
                None
            }
        }
    }

    /// `page` (from 1) and `per_page` (1–100, default 20).
    pub fn page(&mut self) -> PageRequest {
        let depth = PageRequest::MAX_DEPTH;
        let page = self.int("page", 1, 1_000_000, &format!("from 1; page × per_page at most {depth}")).unwrap_or(1);
        let per_page = self
            .int("per_page", 1, PageRequest::MAX_PER_PAGE, &format!("default {}", PageRequest::DEFAULT_PER_PAGE))
            .unwrap_or(PageRequest::DEFAULT_PER_PAGE);
        // A deep page costs the search (and OFFSET) as much as every page before it: a
        // client may not page past the first MAX_DEPTH results.
        if page.saturating_mul(per_page) > depth {
            self.errors.push(
                "page",
                format!(
                    "goes past the first {depth} results; narrow the search instead / 最多只能翻看前 {depth} 条结果，请缩小搜索范围"
                ),
            );
        }
        PageRequest { page, per_page }
    }
}

/// The same schema also accepting the empty string, which means "not given": an enum
/// lists `""`; a number or boolean may also be a string of length 0 (`maxLength` applies
/// to strings only); a string with a pattern (a date) also matches "". Any other text
/// already includes the empty string.
fn empty_allowed(schema: Schema) -> Schema {
    let Schema::Object(mut o) = schema else { return schema };
    if let Some(values) = o.enum_values.as_mut() {
        values.push(Value::String(String::new()));
    } else if let (SchemaType::Type(Type::String), Some(pattern)) = (&o.schema_type, o.pattern.as_mut()) {
        // A patterned string (a date) does not match "" by itself.
        *pattern = format!("^$|{pattern}");
    } else if let SchemaType::Type(t @ (Type::Integer | Type::Number | Type::Boolean)) = o.schema_type {
        o.schema_type = SchemaType::Array(vec![t, Type::String]);
        o.max_length = Some(0);
        // `int64` describes the number; it would say nothing true of the empty string.
        o.format = None;
    } else if let Some(pattern) = o.pattern.take() {
        // A patterned text (a date): the empty string, like an absent parameter, too.
        o.pattern = Some(format!("^$|{pattern}"));
        o.min_length = None;
        o.format = None;
    }
    Schema::Object(o)
}

/// `?page=&per_page=`: a page of a list that has no other parameters.
pub struct PageQuery(pub PageRequest);

impl FromQuery for PageQuery {
    fn from_query(query: &mut Query) -> Self {
        PageQuery(query.page())
    }
}

/// `?limit=`: how many suggestions, 1–50 (default 10).
pub struct LimitQuery(pub usize);

impl LimitQuery {
    const DEFAULT: i64 = 10;
}

impl FromQuery for LimitQuery {
    fn from_query(query: &mut Query) -> Self {
        let limit = query.int("limit", 1, 50, &format!("default {}", Self::DEFAULT)).unwrap_or(Self::DEFAULT);
        // Within 1..=50, so it fits.
        LimitQuery(limit as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::IntoParams;

    #[derive(Debug)]
    struct Example {
        role: Option<crate::domain::Role>,
        flag: Option<bool>,
        page: PageRequest,
    }

    impl FromQuery for Example {
        fn from_query(query: &mut Query) -> Self {
            Example { role: query.get("role", ""), flag: query.bool("flag", ""), page: query.page() }
        }
    }

    fn read(raw: &str) -> Result<Example, FieldErrors> {
        let pairs = serde_urlencoded::from_str(raw).unwrap();
        let mut query = Query { pairs, errors: FieldErrors::default(), declared: None };
        let value = Example::from_query(&mut query);
        query.errors.into_result(value)
    }

    #[test]
    fn an_empty_value_is_absent_and_documented_so() {
        let example = read("role=&flag=&page=&per_page=").unwrap();
        assert!(example.role.is_none() && example.flag.is_none());
        assert_eq!((example.page.page, example.page.per_page), (1, PageRequest::DEFAULT_PER_PAGE));

        let params = serde_json::to_value(Params::<Example>::into_params(|| None)).unwrap();
        let schema =
            |name: &str| params.as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
        assert!(schema("role")["enum"].as_array().unwrap().contains(&Value::from("")));
        assert_eq!(schema("per_page")["type"], serde_json::json!(["integer", "string"]));
        assert_eq!(schema("per_page")["maxLength"], 0);
        assert_eq!(
            (schema("per_page")["minimum"].clone(), schema("per_page")["maximum"].clone()),
            (1.into(), 100.into())
        );
    }

    #[test]
    fn values_other_than_text_are_read_exactly() {
        assert!(read("per_page= 5").unwrap_err().has("per_page"));
        assert!(read("role=%20").unwrap_err().has("role"));
        assert!(read("per_page=101&page=0").is_err_and(|e| e.has("per_page") && e.has("page")));
        assert_eq!(read("flag=1").unwrap().flag, Some(true));
    }
}
