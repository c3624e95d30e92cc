//! What every page knows about its request: the language, who is signed in, the URL (for
//! the language switch and the way back after sign-in) and a message left by the last
//! form. [`Page`] is the extractor; [`SignedIn`] is a page that needs a session.

use super::i18n::{self, Lang};
use crate::http::AppState;
use crate::services::Actor;
use crate::services::auth::Session;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;

pub const SESSION_COOKIE: &str = "xiaoqi_session";
pub const LANG_COOKIE: &str = "lang";
pub const FLASH_COOKIE: &str = "xiaoqi_flash";

/// The request as a page sees it.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    pub session: Option<Session>,
    /// Path and query of this request.
    pub uri: String,
    /// Catalogue key of a message the previous request left (a saved form).
    pub flash: Option<String>,
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `?lang=` wins, then the `lang` cookie, then `Accept-Language`; Chinese otherwise.
pub fn language(headers: &HeaderMap, query: Option<&str>) -> Lang {
    query_language(query)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

/// The language a `?lang=` parameter asks for.
pub fn query_language(query: Option<&str>) -> Option<Lang> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        i18n::message(self.lang, key, &[])
    }

    pub fn t1<'a>(&self, key: &str, name: &str, value: impl Into<FluentValue<'a>>) -> String {
        i18n::message(self.lang, key, &[(name, value.into())])
    }

    pub fn t2<'a>(
        &self,
        key: &str,
        name: &str,
        value: impl Into<FluentValue<'a>>,
        name2: &str,
        value2: impl Into<FluentValue<'a>>,
    ) -> String {
        i18n::message(self.lang, key, &[(name, value.into()), (name2, value2.into())])
    }

    /// This page in the other language: the same path and query with `lang` replaced.
    pub fn switch_href(&self) -> String {
        let (path, query) = self.uri.split_once('?').unwrap_or((&self.uri, ""));
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != "lang")
            .collect();
        pairs.push(("lang".into(), self.lang.other().code().into()));
        format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.actor)
    }

    /// A vocabulary value's label in this page's language.
    pub fn label(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.lang.label(zh, en)
    }

    /// The page's half of a bilingual domain message.
    pub fn pick<'a>(&self, bilingual: &'a str) -> &'a str {
        self.lang.pick(bilingual)
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) if !token.is_empty() => state.tokens.session(&state.db, token).await?,
            _ => None,
        };
        Ok(Page {
            lang: language(&parts.headers, parts.uri.query()),
            session,
            uri: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
            flash: cookie(&parts.headers, FLASH_COOKIE).filter(|k| is_catalogue_key(k)).map(str::to_string),
        })
    }
}

/// Flash cookies carry a catalogue key, never text; anything else is ignored. A key may
/// carry counts for its message (`key.3.1`, read as `$n1`, `$n2`).
fn is_catalogue_key(text: &str) -> bool {
    let mut parts = text.split('.');
    let key = parts.next().unwrap_or_default();
    !key.is_empty()
        && text.len() <= 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && parts.all(|n| !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
}

impl Page {
    /// A flash message in this page's language, with the counts it carries.
    pub fn flash_message(&self, flash: &str) -> String {
        let mut parts = flash.split('.');
        let key = parts.next().unwrap_or_default();
        let names = ["n1", "n2", "n3", "n4"];
        let args: Vec<(&str, FluentValue)> = names
            .iter()
            .zip(parts)
            .filter_map(|(name, n)| Some((*name, FluentValue::from(n.parse::<i64>().ok()?))))
            .collect();
        i18n::message(self.lang, key, &args)
    }
}

/// A page for signed-in users; without a session the browser is sent to sign in and
/// brought back afterwards.
pub struct SignedIn {
    pub page: Page,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let page = Page::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match page.actor().cloned() {
            Some(actor) => Ok(SignedIn { page, actor }),
            None => {
                let next = serde_urlencoded::to_string([("next", page.uri.as_str())]).unwrap_or_default();
                Err(Redirect::to(&format!("/login?{next}")).into_response())
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        let page = Page::from_request_parts(parts, state).await?;
        Ok(page.actor().cloned().map(|actor| SignedIn { page, actor }))
    }
}
