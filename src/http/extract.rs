//! Request extractors whose failures are problem responses naming what was wrong.

use super::AppState;
use crate::domain::validation::FromField;
use crate::domain::{FieldErrors, Parse, Patch};
use crate::error::AppError;
use crate::services::{Actor, auth};
use crate::store::PageRequest;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A JSON body, read loosely so that the domain parsers can name every invalid field.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<Value>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// A request body parsed into its typed input; a 422 names every invalid field.
pub struct Parsed<T>(pub T);

impl<S: Send + Sync, T: Parse + Send> FromRequest<S> for Parsed<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(value) = JsonBody::from_request(req, state).await?;
        Ok(Parsed(T::from_json(value)?))
    }
}

/// A JSON merge patch body; it is parsed once merged over the current representation.
impl<S: Send + Sync, T: Parse + Send> FromRequest<S> for Patch<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(value) = JsonBody::from_request(req, state).await?;
        Ok(Patch::from_json(value)?)
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        JsonRejection::JsonSyntaxError(e) => {
            AppError::BadRequest(format!("The body is not valid JSON: {}", e.body_text()))
        }
        r => AppError::BadRequest(r.body_text()),
    }
}

/// The logged-in actor; 401 without a valid bearer token.
pub struct Auth(pub Actor);

/// The actor if a token was sent; a token that was sent but is invalid is still a 401.
pub struct MaybeAuth(pub Option<Actor>);

fn bearer(parts: &Parts) -> Result<Option<&str>, AppError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| AppError::Unauthorized)?;
    let token = text.strip_prefix("Bearer ").or_else(|| text.strip_prefix("bearer ")).ok_or(AppError::Unauthorized)?;
    Ok(Some(token.trim()))
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?.ok_or(AppError::Unauthorized)?;
        let actor = auth::authenticate(&state.db, token).await?.ok_or(AppError::Unauthorized)?;
        Ok(Auth(actor))
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(None),
            Some(token) => {
                let actor = auth::authenticate(&state.db, token).await?.ok_or(AppError::Unauthorized)?;
                Ok(Some(Auth(actor)))
            }
        }
    }
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = <Auth as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        Ok(MaybeAuth(auth.map(|Auth(a)| a)))
    }
}

/// The client's address (the socket peer; the service is meant to be reached directly or
/// through a proxy on the same host, in which case all clients share the proxy's address).
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        Ok(ClientIp(ip))
    }
}

/// Query-string parameters, parsed one at a time so that a 422 names each bad one.
/// Unknown parameters are ignored (caches and trackers add their own).
pub struct Query {
    pairs: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|_| AppError::BadRequest("The query string is not valid URL encoding.".into()))?;
        Ok(Query { pairs, errors: FieldErrors::default() })
    }
}

impl Query {
    fn first(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim())
    }

    /// A text or enum parameter.
    pub fn get<T: FromField>(&mut self, name: &str) -> Option<T> {
        let text = self.first(name)?.to_string();
        match T::from_field(&Value::String(text)) {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(name, message);
                None
            }
        }
    }

    /// Every value of a repeatable parameter.
    pub fn all<T: FromField>(&mut self, name: &str) -> Vec<T> {
        let values: Vec<String> = self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect();
        let mut out = Vec::new();
        for v in values {
            match T::from_field(&Value::String(v)) {
                Ok(x) => out.push(x),
                Err(message) => self.errors.push(name, message),
            }
        }
        out
    }

    /// An integer parameter within `min..=max`.
    pub fn int(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
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

    /// A `true` / `false` parameter.
    pub fn bool(&mut self, name: &str) -> Option<bool> {
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
        let page = self.int("page", 1, 1_000_000).unwrap_or(1);
        let per_page = self.int("per_page", 1, PageRequest::MAX_PER_PAGE).unwrap_or(PageRequest::DEFAULT_PER_PAGE);
        PageRequest { page, per_page }
    }

    /// Fail with a 422 if any parameter was invalid.
    pub fn finish(self) -> Result<(), AppError> {
        self.errors.into_result(()).map_err(AppError::Validation)
    }
}

/// A numeric id from the path; anything else names no resource (404).
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match <axum::extract::Path<i64> as FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Id(id)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}
