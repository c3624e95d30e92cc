//! Signing a graduate's personal link (`/me/{token}`): the personal page's key, also put in
//! the mails that ask the graduate to act (an offer to answer). Kept apart from the page's
//! service so services that mail graduates need not depend on it.

use super::notices::Links;
use super::signing::{Claims, GRADUATE_LINK_LIFETIME};
use crate::domain::graduate::Graduate;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A graduate's personal link and until when it works.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonalLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// Sign a personal link for `graduate` (as stored: its creation time binds the link).
pub fn link(links: &Links, graduate: &Graduate, now: DateTime<Utc>) -> PersonalLink {
    let expires_at = now + GRADUATE_LINK_LIFETIME;
    let claims = Claims::Graduate {
        graduate: graduate.id,
        created: graduate.created_at.timestamp_millis(),
        expires: expires_at.timestamp(),
    };
    let url = format!("{}/me/{}", links.base_url.trim_end_matches('/'), links.signer.sign(&claims));
    PersonalLink { url, expires_at }
}
