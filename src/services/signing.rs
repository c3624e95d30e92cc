//! Signed links: one-click RSVP and unsubscribe links in e-mails, and a graduate's personal
//! page (`/me/{token}`), carry a token that proves
//! the service issued it, so no login is needed. A token is
//! `key_id.base64url(claims).base64url(mac)`, the MAC (HMAC-SHA-256) covering the key id
//! and the claims, under a key generated once per installation and kept in the database (so
//! links survive restarts and work on every node). The key id names the key a link was
//! signed with, so that a new key can take over while links signed with an older one are
//! still recognised.
//!
//! Links issued before key ids (`base64url(claims).base64url(mac)`, signed with the
//! installation's first and so far only key) are still accepted: unsubscribe links among
//! them carry no issue time and so never expire, as they promised when they were sent.

use crate::store::{Db, settings};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const KEY_SETTING: &str = "link_signing_key";

/// How long an unsubscribe link works: over a year, so a yearly event's reminders can be
/// stopped from last year's e-mail; a leaked link does not stay usable forever.
pub const UNSUBSCRIBE_LINK_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(400);

/// How long a graduate's personal link works: about half a year, a graduating class's
/// season of fairs and rounds; the school sends a fresh one after that.
pub const GRADUATE_LINK_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(180);

/// How long a password-reset link works.
pub const PASSWORD_RESET_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// What a link may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Claims {
    /// Answer an invitation to `event` for `organization`.
    Rsvp { event: i64, organization: i64, expires: i64 },
    /// Stop reminders to `email`.
    Unsubscribe { email: String },
    /// Graduate `graduate`'s own page: see what is held, give or withdraw consent, download
    /// it all. `created` is the record's creation time (Unix milliseconds): a link never
    /// opens a later record that took an erased one's id (SQLite may reuse the highest id).
    Graduate { graduate: i64, created: i64, expires: i64 },
    /// Set a new password for `user`. `fingerprint` is a digest of the password hash the
    /// link was made under: once the password changes (the link used, or any other
    /// change), the link no longer matches and is dead.
    PasswordReset { user: i64, fingerprint: String, expires: i64 },
    /// Check registration `registration` in at event `event` (the QR code of an approved
    /// registration); no expiry: the event's end makes it useless.
    Checkin { event: i64, registration: i64 },
}

/// What a token carries: the claims and when they were signed.
#[derive(Serialize, Deserialize)]
struct Signed {
    #[serde(flatten)]
    claims: Claims,
    /// Unix seconds; absent in links issued before key ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the link is not valid (altered or incomplete) / 链接无效")]
    Invalid,
    #[error("the link has expired / 链接已过期")]
    Expired,
}

#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
    /// Names the key in tokens without revealing it: a prefix of its SHA-256.
    key_id: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer { key: <hidden> }")
    }
}

impl Signer {
    pub fn new(key: Vec<u8>) -> Self {
        let key_id = URL_SAFE_NO_PAD.encode(&Sha256::digest(&key)[..6]);
        Signer { key, key_id }
    }

    /// The installation's key, created on first use. Two nodes starting together may both
    /// try to create it; the insert keeps the first and both read that one back.
    pub async fn load_or_create(db: &Db) -> anyhow::Result<Signer> {
        if let Some(hex) = settings::get(&mut db.read().await?, KEY_SETTING).await? {
            return Ok(Signer::new(URL_SAFE_NO_PAD.decode(hex)?));
        }
        let key: [u8; 32] = rand::random();
        let mut tx = db.begin().await?;
        settings::set_if_absent(&mut tx, KEY_SETTING, &URL_SAFE_NO_PAD.encode(key)).await?;
        let stored = settings::get(&mut tx, KEY_SETTING).await?.unwrap_or_default();
        tx.commit().await?;
        Ok(Signer::new(URL_SAFE_NO_PAD.decode(stored)?))
    }

    fn mac(&self, data: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(data);
        mac
    }

    pub fn sign(&self, claims: &Claims) -> String {
        self.sign_at(claims, Utc::now())
    }

    fn sign_at(&self, claims: &Claims, now: DateTime<Utc>) -> String {
        let signed = Signed { claims: claims.clone(), issued: Some(now.timestamp()) };
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&signed).expect("claims serialise"));
        let signed_part = format!("{}.{body}", self.key_id);
        let tag = URL_SAFE_NO_PAD.encode(self.mac(signed_part.as_bytes()).finalize().into_bytes());
        format!("{signed_part}.{tag}")
    }

    /// The claims of a token this service signed, if it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let (signed_part, tag) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        let body = match signed_part.split_once('.') {
            Some((key_id, body)) if key_id == self.key_id => body,
            Some(_) => return Err(TokenError::Invalid),
            None => signed_part, // issued before key ids
        };
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| TokenError::Invalid)?;
        self.mac(signed_part.as_bytes()).verify_slice(&tag).map_err(|_| TokenError::Invalid)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| TokenError::Invalid)?;
        let Signed { claims, issued } = serde_json::from_slice(&bytes).map_err(|_| TokenError::Invalid)?;
        let unsubscribe_expired =
            issued.is_some_and(|issued| now.timestamp() >= issued + UNSUBSCRIBE_LINK_LIFETIME.num_seconds());
        match claims {
            Claims::Rsvp { expires, .. } | Claims::Graduate { expires, .. } | Claims::PasswordReset { expires, .. }
                if now.timestamp() >= expires =>
            {
                Err(TokenError::Expired)
            }
            Claims::Unsubscribe { .. } if unsubscribe_expired => Err(TokenError::Expired),
            claims => Ok(claims),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_any_change_breaks_them() {
        let signer = Signer::new(b"test key".to_vec());
        let now = Utc::now();
        let claims = Claims::Rsvp { event: 7, organization: 3, expires: now.timestamp() + 60 };
        let token = signer.sign(&claims);
        assert_eq!(signer.verify(&token, now), Ok(claims));
        // Flip each character of the token: never valid.
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(bytes).unwrap();
            if altered != token {
                assert_eq!(signer.verify(&altered, now), Err(TokenError::Invalid), "{altered}");
            }
        }
        assert_eq!(Signer::new(b"other key".to_vec()).verify(&token, now), Err(TokenError::Invalid));
        assert_eq!(signer.verify(&token, now + chrono::Duration::seconds(61)), Err(TokenError::Expired));
        assert_eq!(signer.verify("", now), Err(TokenError::Invalid));
    }

    #[test]
    fn graduate_links_expire_and_name_their_record() {
        let signer = Signer::new(b"test key".to_vec());
        let now = Utc::now();
        let expires = (now + GRADUATE_LINK_LIFETIME).timestamp();
        let claims = Claims::Graduate { graduate: 12, created: 1_700_000_000_123, expires };
        let token = signer.sign(&claims);
        assert_eq!(signer.verify(&token, now), Ok(claims.clone()));
        assert_eq!(signer.verify(&token, now + GRADUATE_LINK_LIFETIME), Err(TokenError::Expired));
        // Another kind of link is never a graduate's: the claims say what they are for.
        let rsvp = signer.sign(&Claims::Rsvp { event: 12, organization: 1, expires });
        assert!(!matches!(signer.verify(&rsvp, now), Ok(Claims::Graduate { .. })));
    }

    #[test]
    fn unsubscribe_links_expire_after_their_lifetime() {
        let signer = Signer::new(b"test key".to_vec());
        let issued = Utc::now();
        let claims = Claims::Unsubscribe { email: "hr@example.cn".into() };
        let token = signer.sign_at(&claims, issued);
        let almost = issued + UNSUBSCRIBE_LINK_LIFETIME - chrono::TimeDelta::seconds(1);
        assert_eq!(signer.verify(&token, almost), Ok(claims.clone()));
        assert_eq!(signer.verify(&token, issued + UNSUBSCRIBE_LINK_LIFETIME), Err(TokenError::Expired));
    }

    #[test]
    fn tokens_name_their_key_and_links_from_before_key_ids_still_work() {
        let signer = Signer::new(b"test key".to_vec());
        let now = Utc::now();
        let claims = Claims::Unsubscribe { email: "hr@example.cn".into() };
        let token = signer.sign(&claims);
        let (key_id, rest) = token.split_once('.').unwrap();
        assert_eq!(key_id, signer.key_id);
        let other = Signer::new(b"other key".to_vec());
        assert_ne!(other.key_id, signer.key_id);
        assert_eq!(signer.verify(&format!("{}.{rest}", other.key_id), now), Err(TokenError::Invalid));
        // Signed as before key ids: `base64url(claims).base64url(mac)`, no issue time.
        let body = URL_SAFE_NO_PAD.encode(br#"{"for":"unsubscribe","email":"hr@example.cn"}"#);
        let tag = URL_SAFE_NO_PAD.encode(signer.mac(body.as_bytes()).finalize().into_bytes());
        let legacy = format!("{body}.{tag}");
        assert_eq!(signer.verify(&legacy, now + chrono::TimeDelta::days(4000)), Ok(claims));
    }
}
