//! Request extractors whose failures are problem responses naming what was wrong.

use super::AppState;
use crate::domain::{Parse, Patch};
use crate::error::AppError;
use crate::services::{Actor, auth};
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
