//! HTML forms: the posted fields, read into the same typed inputs as JSON bodies
//! ([`Parse::from_form`]), and the state a form is drawn with — the user's values and each
//! field's error in the page's language.

use super::context::Page;
use super::i18n::Lang;
use crate::domain::{FieldErrors, Parse, Patch};
use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::Serialize;
use serde_json::{Map, Value};

/// The fields of a posted `application/x-www-form-urlencoded` form, in order.
pub struct FormData(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| AppError::PayloadTooLarge)?;
        let pairs = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest("The form is not valid URL encoding.".into()))?;
        Ok(FormData(pairs))
    }
}

impl FormData {
    /// The first value of `name`, trimmed; empty counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
    }

    /// The form read as `T`, as a JSON body of the same fields would be.
    pub fn parse<T: Parse>(&self) -> Result<T, FieldErrors> {
        T::from_form(&self.0)
    }
}

/// A form as drawn: values to show, errors to show beside them, and the fields' labels
/// that the summary above the form names its errors by ("岗位类别：必填").
#[derive(Debug, Clone, Default)]
pub struct FormView {
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    labels: Vec<(String, String)>,
}

impl FormView {
    /// A blank form, or one with defaults (`[("status", "open")]`).
    pub fn new(defaults: &[(&str, &str)]) -> Self {
        Self { values: defaults.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), ..Self::default() }
    }

    /// An edit form filled from what a GET of the object answers: lists become repeated
    /// values, numbers and dates their text, `null` nothing.
    pub fn from_record(record: &impl Serialize) -> Self {
        let mut values = Vec::new();
        if let Ok(Value::Object(map)) = serde_json::to_value(record) {
            for (name, value) in map {
                match value {
                    Value::Array(items) => values.extend(items.iter().filter_map(text).map(|t| (name.clone(), t))),
                    other => values.extend(text(&other).map(|t| (name.clone(), t))),
                }
            }
        }
        Self { values, ..Self::default() }
    }

    /// The form as the user sent it, with the parse's errors in `lang`.
    pub fn rejected(form: &FormData, errors: &FieldErrors, lang: Lang) -> Self {
        Self {
            values: form.0.clone(),
            errors: errors.0.iter().map(|e| (e.field.clone(), lang.pick(&e.message).to_string())).collect(),
            labels: Vec::new(),
        }
    }

    /// A refused save drawn again: the input kept, each error beside its field, and the
    /// status to answer (422 for invalid fields, 409 for a value already taken). A refusal
    /// that is not about what was sent comes back as it was, for an error page.
    pub fn refused(form: &FormData, error: AppError, lang: Lang) -> Result<(StatusCode, Self), AppError> {
        let (status, errors) = match error {
            AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
            AppError::Taken(errors) => (StatusCode::CONFLICT, errors),
            error => return Err(error),
        };
        Ok((status, Self::rejected(form, &errors, lang)))
    }

    /// Add an error not tied to one field (`field` = "") or to a named one.
    pub fn with_error(mut self, field: &str, message: String) -> Self {
        self.errors.push((field.to_string(), message));
        self
    }

    /// The fields' labels, as (field, catalogue key) pairs, for the error summary.
    pub fn labelled(mut self, page: &Page, fields: &[(&str, &str)]) -> Self {
        self.labels = fields.iter().map(|(field, key)| (field.to_string(), page.t(key))).collect();
        self
    }

    /// One more field's label, as written.
    pub fn with_label(mut self, field: &str, label: String) -> Self {
        self.labels.push((field.to_string(), label));
        self
    }

    /// A field's label, as the summary names it.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.iter().find(|(k, _)| k == name).map(|(_, label)| label.as_str())
    }

    /// The same form without a field's values (a password is never sent back).
    pub fn without(mut self, field: &str) -> Self {
        self.values.retain(|(k, _)| k != field);
        self
    }

    /// The field's value; a list's items joined with "、" (how a text field shows a list).
    pub fn value(&self, name: &str) -> String {
        let values: Vec<&str> = self.values.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        values.into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join("、")
    }

    /// Is `value` among the field's values (a checked box, a selected option)?
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.iter().find(|(k, _)| k == name).map(|(_, m)| m.as_str())
    }

    /// Is any error about a field (rather than the form as a whole, like a wrong password)?
    pub fn has_field_errors(&self) -> bool {
        self.errors.iter().any(|(field, _)| !field.is_empty())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every error as (field, message), for the summary above the form.
    pub fn errors(&self) -> &[(String, String)] {
        &self.errors
    }
}

/// An edit form replaces every field it shows: a field left blank is cleared, which a
/// merge patch of only the sent values would keep. So the form is parsed like a create
/// (the same errors) and handed to the service as a patch naming every field.
pub fn replacing<T: Parse + Serialize>(fields: &T) -> Result<Patch<T>, AppError> {
    replacing_but(fields, |_| {})
}

/// [`replacing`], after `adjust` took out (or set) the fields the form does not replace.
pub fn replacing_but<T: Parse + Serialize>(
    fields: &T,
    adjust: impl FnOnce(&mut Map<String, Value>),
) -> Result<Patch<T>, AppError> {
    let mut body = serde_json::to_value(fields).map_err(|e| AppError::Internal(e.into()))?;
    if let Value::Object(map) = &mut body {
        adjust(map);
    }
    Ok(Patch::from_json(body)?)
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "true".into() } else { "false".into() }),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_record_fills_an_edit_form() {
        let view =
            FormView::from_record(&json!({"title": "仓管员", "headcount": 3, "benefits": ["meals", "dormitory"],
            "majors": ["物流管理", "电子商务"], "salary_min": null, "key_project": true}));
        assert_eq!(view.value("title"), "仓管员");
        assert_eq!(view.value("headcount"), "3");
        assert!(view.has("benefits", "meals") && !view.has("benefits", "shuttle"));
        assert_eq!(view.value("majors"), "物流管理、电子商务");
        assert_eq!(view.value("salary_min"), "");
        assert!(view.has("key_project", "true"));
    }

    #[test]
    fn a_rejected_form_keeps_the_input_and_speaks_the_page_language() {
        let form = FormData(vec![("title".into(), "仓管员".into()), ("headcount".into(), "很多".into())]);
        let mut errors = FieldErrors::default();
        errors.push("headcount", "must be an integer / 必须是整数");
        let zh = FormView::rejected(&form, &errors, Lang::Zh);
        assert_eq!(zh.value("headcount"), "很多");
        assert_eq!(zh.error("headcount"), Some("必须是整数"));
        assert_eq!(FormView::rejected(&form, &errors, Lang::En).error("headcount"), Some("must be an integer"));
        assert_eq!(zh.error("title"), None);
    }
}
