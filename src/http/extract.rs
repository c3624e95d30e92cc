//! Request extractors whose failures are problem responses naming what was wrong.

use super::AppState;
use crate::config::TrustedProxies;
use crate::domain::{Parse, Patch};
use crate::error::AppError;
use crate::services::Actor;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

const X_FORWARDED_FOR: &str = "x-forwarded-for";

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
        let actor = state.tokens.actor(&state.db, token).await?.ok_or(AppError::Unauthorized)?;
        Ok(Auth(actor))
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(None),
            Some(token) => {
                let actor = state.tokens.actor(&state.db, token).await?.ok_or(AppError::Unauthorized)?;
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

/// The client's address: the socket peer, or, when the peer is one of
/// `XIAOQI_TRUSTED_PROXIES`, the address its `X-Forwarded-For` names.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let forwarded = parts.headers.get_all(X_FORWARDED_FOR).iter().filter_map(|v| v.to_str().ok());
        Ok(ClientIp(client_address(peer, forwarded, &state.settings.trusted_proxies)))
    }
}

/// Walk `X-Forwarded-For` from the right (each proxy appends the address it saw) while the
/// hop is a trusted proxy: the first address not trusted is the client. Entries further
/// left were written by the client itself and prove nothing. An entry that is not an
/// address stops the walk at the proxy that wrote it.
fn client_address<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    client
}

/// `203.0.113.7`, `2001:db8::1`, and the forms with a port some proxies write
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip())).ok().map(|ip| ip.to_canonical())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn client(peer: &str, forwarded: &[&str], trusted: &str) -> String {
        let trusted = TrustedProxies::parse(trusted).unwrap();
        client_address(peer.parse().unwrap(), forwarded.iter().copied(), &trusted).to_string()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_peers() {
        // Nothing trusted (the default), or a peer that is not trusted: the header is ignored.
        assert_eq!(client("198.51.100.9", &["203.0.113.7"], ""), "198.51.100.9");
        assert_eq!(client("198.51.100.9", &["203.0.113.7"], "10.0.0.0/8"), "198.51.100.9");
        // A trusted peer: the right-most address that is not itself a trusted proxy.
        assert_eq!(client("10.0.0.2", &["203.0.113.7"], "10.0.0.0/8"), "203.0.113.7");
        assert_eq!(client("10.0.0.2", &["1.2.3.4, 203.0.113.7, 10.0.0.5"], "10.0.0.0/8"), "203.0.113.7");
        // Several headers are one list, in order.
        assert_eq!(client("10.0.0.2", &["1.2.3.4", "203.0.113.7", "10.0.0.5"], "10.0.0.0/8"), "203.0.113.7");
        // Ports and IPv4-mapped IPv6 addresses.
        assert_eq!(client("::ffff:10.0.0.2", &["203.0.113.7:4711"], "10.0.0.0/8"), "203.0.113.7");
        assert_eq!(client("10.0.0.2", &["[2001:db8::1]:4711"], "10.0.0.0/8"), "2001:db8::1");
        // No header, or only proxies in it: the farthest proxy known.
        assert_eq!(client("10.0.0.2", &[], "10.0.0.0/8"), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &["10.0.0.9"], "10.0.0.0/8"), "10.0.0.9");
        // Garbage stops the walk at the proxy that passed it on.
        assert_eq!(client("10.0.0.2", &["203.0.113.7, unknown"], "10.0.0.0/8"), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &["unknown, 203.0.113.7"], "10.0.0.0/8"), "203.0.113.7");
    }
}
