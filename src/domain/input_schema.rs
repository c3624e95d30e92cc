//! The documented shape of every request body, recorded from the same parse that checks it.
//!
//! A body type implements [`Parse`](super::validation::Parse) once. Documenting it runs that
//! parse against an [`Input`](super::Input) in recording mode: every getter declares its field
//! (type, limits, whether it is required) instead of reading a value, so the OpenAPI schema
//! can never drift from what the server enforces.
//!
//! Rules across fields are stated where JSON Schema can state them: a type's
//! `Parse::refine_schema` adds alternatives per kind or "at most one of" next to the parse
//! that checks them. A comparison of two fields (`ends_at` after `starts_at`) is beyond
//! JSON Schema: `Input::bound_by` records it in words and as an `x-after` / `x-at-least`
//! annotation naming the other field, for readers and test generators.

use utoipa::openapi::schema::{
    AdditionalProperties, AllOf, AnyOf, Array, ArrayItems, Object, ObjectBuilder, OneOf, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};

/// Rust's `char::is_whitespace` (what `trim` removes) as a regular-expression class, so
/// that "not blank" means the same to a schema validator as to the server.
pub const WHITE_SPACE: &str = r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Rust's `char::is_control` as a regular-expression class.
pub const CONTROL: &str = r"\x00-\x1f\x7f-\x9f";

/// [`CONTROL`] without tab, line feed and carriage return: what multi-line text refuses.
const CONTROL_BUT_LINE_BREAKS: &str = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f";

/// Which control characters (`char::is_control`) a text field may hold. None is stored
/// unchecked: PostgreSQL cannot store a NUL, and a line break in a name would reach the
/// one-line places names are written to (calendar parameters, mail headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One line (names, titles, places): no control characters at all.
    SingleLine,
    /// Paragraphs (descriptions, summaries): tab, line feed and carriage return (the CRLF
    /// line ends many clients write), no other control character.
    MultiLine,
}

impl Layout {
    /// Whether `c` may appear in text of this layout.
    pub fn allows(self, c: char) -> bool {
        !c.is_control() || (self == Layout::MultiLine && matches!(c, '\t' | '\n' | '\r'))
    }

    /// The error for text that holds a character this layout refuses.
    pub fn check(self, text: &str) -> Result<(), String> {
        if text.chars().all(|c| self.allows(c)) {
            return Ok(());
        }
        Err(match self {
            Layout::SingleLine => "must be one line without control characters / 必须是单行文本，不能含控制字符".into(),
            Layout::MultiLine => {
                "must not contain control characters other than line breaks and tabs / 除换行和制表符外不能含控制字符"
                    .into()
            }
        })
    }

    /// The characters this layout refuses, as a regular-expression class.
    fn refused(self) -> &'static str {
        match self {
            Layout::SingleLine => CONTROL,
            Layout::MultiLine => CONTROL_BUT_LINE_BREAKS,
        }
    }
}

/// One property as a getter declared it.
struct Declared {
    name: String,
    schema: Schema,
    required: bool,
    read_only: bool,
}

/// The properties of one object, in the order the parse declares them.
#[derive(Default)]
pub struct Recorder {
    properties: Vec<Declared>,
}

impl Recorder {
    /// Declare a field; the first declaration wins, so an outer getter (`required_text`)
    /// describes its field more precisely than the inner ones it calls (`text`, `optional`).
    pub fn declare(&mut self, name: &str, schema: impl FnOnce() -> Schema, required: bool) {
        if !self.properties.iter().any(|p| p.name == name) {
            self.properties.push(Declared { name: name.to_string(), schema: schema(), required, read_only: false });
        }
    }

    /// Annotate a declared field with `keyword: other` and a sentence for readers.
    pub fn annotate(&mut self, name: &str, keyword: &str, other: &str, sentence: &str) {
        if let Some(Declared { schema: Schema::Object(o), .. }) = self.properties.iter_mut().find(|p| p.name == name) {
            o.extensions.get_or_insert_with(Default::default).insert(keyword.to_string(), other.into());
            o.description = Some(match o.description.take() {
                Some(d) => format!("{d} {sentence}"),
                None => sentence.to_string(),
            });
        }
    }

    /// A field clients may echo back but not change.
    pub fn declare_read_only(&mut self, name: &str) {
        if !self.properties.iter().any(|p| p.name == name) {
            let schema = Schema::Object(Object::with_type(SchemaType::AnyValue));
            self.properties.push(Declared { name: name.to_string(), schema, required: false, read_only: true });
        }
    }

    /// The object schema: unknown fields are refused. As a merge patch, nothing is
    /// required, and a field that is required on create still may not be null.
    pub fn into_schema(self, as_patch: bool) -> Schema {
        let Schema::Object(mut object) = closed_object([]) else { unreachable!("closed_object is an object") };
        for p in self.properties {
            let mut schema = if p.required { p.schema } else { nullable(p.schema) };
            if p.read_only {
                schema = read_only(schema);
            }
            if p.required && !as_patch {
                object.required.push(p.name.clone());
            }
            object.properties.insert(p.name, RefOr::T(schema));
        }
        Schema::Object(object)
    }
}

/// An object of exactly these (optional, non-null) properties.
pub fn closed_object<'a>(properties: impl IntoIterator<Item = (&'a str, Schema)>) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    for (name, schema) in properties {
        object.properties.insert(name.to_string(), RefOr::T(schema));
    }
    Schema::Object(object)
}

fn read_only(schema: Schema) -> Schema {
    match schema {
        Schema::Object(mut o) => {
            o.read_only = Some(true);
            Schema::Object(o)
        }
        other => other,
    }
}

/// The same schema also accepting `null` (which the parsers read as "absent").
pub fn nullable(schema: Schema) -> Schema {
    fn with_null(t: SchemaType) -> SchemaType {
        match t {
            SchemaType::Type(t) => SchemaType::Array(vec![t, Type::Null]),
            SchemaType::Array(mut ts) => {
                if !ts.contains(&Type::Null) {
                    ts.push(Type::Null);
                }
                SchemaType::Array(ts)
            }
            SchemaType::AnyValue => SchemaType::AnyValue,
        }
    }
    match schema {
        Schema::Object(mut o) => {
            o.schema_type = with_null(o.schema_type);
            if let Some(values) = o.enum_values.as_mut() {
                values.push(serde_json::Value::Null);
            }
            Schema::Object(o)
        }
        Schema::Array(mut a) => {
            a.schema_type = with_null(a.schema_type);
            Schema::Array(a)
        }
        other => other,
    }
}

/// Any text.
pub fn string() -> Object {
    Object::with_type(Type::String)
}

fn laid_out_string(layout: Layout) -> Object {
    let mut o = string();
    o.pattern = Some(format!("^[^{}]*$", layout.refused()));
    o
}

/// Text of any length laid out as `layout` says.
pub fn laid_out(layout: Layout) -> Schema {
    Schema::Object(laid_out_string(layout))
}

/// Text of at most `max` characters (counted as Unicode code points, as JSON Schema does)
/// laid out as `layout` says.
pub fn text(max: usize, layout: Layout) -> Schema {
    let mut o = laid_out_string(layout);
    o.max_length = Some(max);
    Schema::Object(o)
}

/// One line of at most `max` characters with at least one that is not white space.
pub fn required_text(max: usize) -> Schema {
    let mut o = string();
    o.max_length = Some(max);
    o.min_length = Some(1);
    o.pattern = Some(format!("^[^{CONTROL}]*[^{WHITE_SPACE}{CONTROL}][^{CONTROL}]*$"));
    Schema::Object(o)
}

/// Text matching `pattern`, with a format hint.
pub fn patterned(pattern: &str, max: usize, format: Option<SchemaFormat>) -> Schema {
    let mut o = string();
    o.pattern = Some(pattern.to_string());
    o.max_length = Some(max);
    o.format = format;
    Schema::Object(o)
}

/// An integer within `min..=max`.
pub fn integer(min: i64, max: i64) -> Schema {
    let mut o = Object::with_type(Type::Integer);
    o.format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
    o.minimum = Some(min.into());
    o.maximum = Some(max.into());
    Schema::Object(o)
}

/// A number of at least `min`.
pub fn number(min: Option<f64>) -> Schema {
    let mut o = Object::with_type(Type::Number);
    o.minimum = min.map(Into::into);
    Schema::Object(o)
}

pub fn boolean() -> Schema {
    Schema::Object(Object::with_type(Type::Boolean))
}

/// One of the given strings.
pub fn one_of<S: Into<serde_json::Value>>(values: impl IntoIterator<Item = S>) -> Schema {
    let mut o = string();
    o.enum_values = Some(values.into_iter().map(Into::into).collect());
    Schema::Object(o)
}

/// A list of `items`, at most `max_items` long; `unique` when a repeat is refused.
pub fn list(items: Schema, max_items: Option<usize>, unique: bool) -> Schema {
    let mut a = Array::new(RefOr::T(items));
    a.max_items = max_items;
    a.unique_items = unique;
    Schema::Array(a)
}

/// Attach a description.
pub fn described(schema: Schema, description: &str) -> Schema {
    match schema {
        Schema::Object(mut o) => {
            o.description = Some(description.to_string());
            Schema::Object(o)
        }
        Schema::Array(mut a) => {
            a.description = Some(description.to_string());
            Schema::Array(a)
        }
        Schema::OneOf(mut one) => {
            one.description = Some(description.to_string());
            Schema::OneOf(one)
        }
        other => other,
    }
}

/// Every one of `parts`.
pub fn all_of(parts: impl IntoIterator<Item = Schema>) -> Schema {
    let mut all = AllOf::new();
    all.items = parts.into_iter().map(RefOr::T).collect();
    Schema::AllOf(all)
}

/// Exactly one of `alternatives`.
pub fn exactly_one_of(alternatives: impl IntoIterator<Item = Schema>) -> Schema {
    let mut one = OneOf::new();
    one.items = alternatives.into_iter().map(RefOr::T).collect();
    Schema::OneOf(one)
}

/// At least one of `alternatives`.
pub fn any_of(alternatives: impl IntoIterator<Item = Schema>) -> Schema {
    let mut any = AnyOf::new();
    any.items = alternatives.into_iter().map(RefOr::T).collect();
    Schema::AnyOf(any)
}

/// A constraint on an object's `properties`, where present; it says nothing of the value's
/// type or other properties, so it is meant as a part of [`all_of`] or [`any_of`].
pub fn where_properties<'a>(properties: impl IntoIterator<Item = (&'a str, Schema)>) -> Schema {
    let mut object = Object::new();
    object.schema_type = SchemaType::AnyValue;
    for (name, schema) in properties {
        object.properties.insert(name.to_string(), RefOr::T(schema));
    }
    Schema::Object(object)
}

/// "None of `names` is given": each is absent or null.
pub fn not_given(names: &[&str]) -> Schema {
    where_properties(names.iter().map(|name| (*name, Schema::Object(Object::with_type(Type::Null)))))
}

/// At most one of `names` is given (present and not null). JSON Schema has `not`, but
/// utoipa's model does not; "all but one are not given" for some one says the same.
pub fn at_most_one_given(names: &[&str]) -> Schema {
    any_of(names.iter().map(|given| {
        let others: Vec<&str> = names.iter().copied().filter(|n| n != given).collect();
        not_given(&others)
    }))
}

/// The property `name` of an object schema, to refine it.
pub fn property_mut<'a>(schema: &'a mut Schema, name: &str) -> Option<&'a mut Schema> {
    match schema {
        Schema::Object(o) => match o.properties.get_mut(name)? {
            RefOr::T(property) => Some(property),
            RefOr::Ref(_) => None,
        },
        _ => None,
    }
}

/// The item schema of an array schema, to refine it.
pub fn items_mut(schema: &mut Schema) -> Option<&mut Schema> {
    match schema {
        Schema::Array(a) => match &mut a.items {
            ArrayItems::RefOrSchema(item) => match item.as_mut() {
                RefOr::T(item) => Some(item),
                RefOr::Ref(_) => None,
            },
            ArrayItems::False => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::graduate::NewGraduate;
    use crate::domain::posting::{NewPosting, PostingPatch};
    use crate::domain::{Benefit, Input, Parse};
    use serde_json::{Value, json};
    use utoipa::PartialSchema;

    fn schema_json<T: PartialSchema>() -> Value {
        serde_json::to_value(T::schema()).unwrap()
    }

    #[test]
    fn a_create_schema_is_what_the_parser_enforces() {
        let s = schema_json::<NewPosting>();
        assert_eq!(s["additionalProperties"], json!(false));
        let required: Vec<&str> = s["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(required, ["title", "category", "education_min", "headcount"]);
        let p = &s["properties"];
        assert_eq!(p["title"]["maxLength"], json!(100));
        assert_eq!(p["headcount"]["minimum"], json!(1));
        assert_eq!(p["headcount"]["maximum"], json!(10_000));
        assert_eq!(p["salary_min"]["type"], json!(["integer", "null"]));
        assert_eq!(p["majors"]["maxItems"], json!(20));
        assert_eq!(p["majors"]["items"]["maxLength"], json!(50));
        let benefits = p["benefits"]["items"]["enum"].as_array().unwrap();
        assert_eq!(benefits.len(), Benefit::ALL.len());
        assert!(p["organization_id"].is_object(), "coordinators name the company");
        // The parser agrees at each boundary the schema states.
        let base = json!({"title": "操作工", "category": "operator", "education_min": "high_school", "headcount": 1});
        for (field, ok, bad) in [
            ("title", json!("焊".repeat(100)), json!("焊".repeat(101))),
            ("headcount", json!(10_000), json!(10_001)),
            ("majors", json!(vec!["数控"; 20]), json!(vec!["数控"; 21])),
        ] {
            let mut body = base.clone();
            body[field] = ok;
            assert!(NewPosting::from_json(body.clone()).is_ok(), "{field} at the limit");
            body[field] = bad;
            let errors = NewPosting::from_json(body).unwrap_err();
            assert!(errors.has(field), "{field} past the limit: {errors:?}");
        }
        // One line for a title, several for a description; control characters in neither.
        assert_ne!(p["title"]["pattern"], p["description"]["pattern"]);
        for (field, ok, bad) in [("title", "操作 工", "操作\t工"), ("description", "一\r\n\t二", "一\u{0}")] {
            let mut body = base.clone();
            body[field] = json!(ok);
            assert!(NewPosting::from_json(body.clone()).is_ok(), "{field}: {ok:?}");
            body[field] = json!(bad);
            assert!(NewPosting::from_json(body).unwrap_err().has(field), "{field}: {bad:?}");
        }
        let mut body = base;
        body["colour"] = json!("red");
        assert!(NewPosting::from_json(body).unwrap_err().has("colour"));
    }

    #[test]
    fn a_patch_schema_requires_nothing_and_marks_read_only_fields() {
        let s = schema_json::<PostingPatch>();
        assert!(s.get("required").is_none_or(|r| r.as_array().unwrap().is_empty()));
        assert_eq!(s["properties"]["id"]["readOnly"], json!(true));
        assert_eq!(s["properties"]["title"]["maxLength"], json!(100));
        assert_eq!(s["additionalProperties"], json!(false));
    }

    #[test]
    fn a_form_produces_the_same_input_as_json() {
        let pairs: Vec<(String, String)> = [
            ("title", "数控操作工"),
            ("category", "operator"),
            ("education_min", "secondary_vocational"),
            ("headcount", "12"),
            ("salary_min", ""),
            ("benefits", "dormitory"),
            ("benefits", "meals"),
            ("submit", "保存"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut input = Input::from_form::<NewPosting>(&pairs);
        let parsed = NewPosting::parse(&mut input);
        let from_form = input.finish(parsed).unwrap();
        let from_json = NewPosting::from_json(json!({
            "title": "数控操作工", "category": "operator", "education_min": "secondary_vocational",
            "headcount": 12, "benefits": ["dormitory", "meals"]
        }))
        .unwrap();
        assert_eq!(serde_json::to_value(&from_form.fields).unwrap(), serde_json::to_value(&from_json.fields).unwrap());

        // A value that is not a number keeps its text, so the field is named as usual.
        let bad: Vec<(String, String)> = vec![("headcount".into(), "十二".into())];
        let mut input = Input::from_form::<NewPosting>(&bad);
        let parsed = NewPosting::parse(&mut input);
        assert!(input.finish(parsed).unwrap_err().has("headcount"));
    }

    /// The documented schema of a create may add rules across fields (alternatives per
    /// kind); a form is still read by the fields the parse declares.
    #[test]
    fn a_form_is_read_by_the_recorded_fields_not_the_refined_schema() {
        use crate::domain::organization::NewOrganization;
        let documented = schema_json::<NewOrganization>();
        assert_eq!(documented["oneOf"].as_array().unwrap().len(), 3, "one alternative per kind");
        let pairs: Vec<(String, String)> =
            [("kind", "company"), ("name", "奥士康"), ("credit_code", "914403001922038216")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let mut input = Input::from_form::<NewOrganization>(&pairs);
        let parsed = NewOrganization::parse(&mut input);
        let organization = input.finish(parsed).unwrap();
        assert_eq!(organization.fields.name, "奥士康");
    }

    #[test]
    fn one_text_field_holds_a_list_and_an_empty_one_clears_it() {
        let pairs: Vec<(String, String)> = [
            ("title", "数控操作工"),
            ("category", "operator"),
            ("education_min", "secondary_vocational"),
            ("headcount", "2"),
            ("majors", "机电一体化，数控技术、 模具设计,"),
            ("benefits", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let posting = NewPosting::from_form(&pairs).unwrap();
        assert_eq!(posting.fields.majors.0, ["机电一体化", "数控技术", "模具设计"]);
        let patch = crate::domain::Patch::<crate::domain::posting::PostingFields>::from_form(&pairs);
        let current = json!({"title": "旧", "category": "operator", "education_min": "secondary_vocational",
            "headcount": 1, "benefits": ["dormitory"], "majors": []});
        let fields = patch.apply(current).unwrap();
        assert!(fields.benefits.0.is_empty(), "the hidden empty field clears the checkboxes");
        assert_eq!(fields.title, "数控操作工");
    }

    #[test]
    fn an_unchecked_checkbox_is_false() {
        let pairs: Vec<(String, String)> =
            [("name", "李明"), ("major", "机电一体化"), ("education", "associate"), ("graduation_year", "2026")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let mut input = Input::from_form::<NewGraduate>(&pairs);
        let parsed = NewGraduate::parse(&mut input);
        let graduate = input.finish(parsed).unwrap();
        assert!(!graduate.fields.consent);
        let mut with_consent = pairs.clone();
        with_consent.push(("consent".into(), "on".into()));
        let mut input = Input::from_form::<NewGraduate>(&with_consent);
        let parsed = NewGraduate::parse(&mut input);
        assert!(input.finish(parsed).unwrap().fields.consent);
    }
}
