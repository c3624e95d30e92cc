//! Signed links: one-click RSVP and unsubscribe links in e-mails carry a token that proves
//! the service issued it, so no login is needed. A token is `base64url(claims).base64url(mac)`
//! with HMAC-SHA-256 under a key generated once per installation and kept in the database
//! (so links survive restarts and work on every node).

use crate::store::{Db, settings};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const KEY_SETTING: &str = "link_signing_key";

/// What a link may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Claims {
    /// Answer an invitation to `event` for `organization`.
    Rsvp { event: i64, organization: i64, expires: i64 },
    /// Stop reminders to `email`.
    Unsubscribe { email: String },
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
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer { key: <hidden> }")
    }
}

impl Signer {
    pub fn new(key: Vec<u8>) -> Self {
        Signer { key }
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
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
        let tag = URL_SAFE_NO_PAD.encode(self.mac(body.as_bytes()).finalize().into_bytes());
        format!("{body}.{tag}")
    }

    /// The claims of a token this service signed, if it has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let (body, tag) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| TokenError::Invalid)?;
        self.mac(body.as_bytes()).verify_slice(&tag).map_err(|_| TokenError::Invalid)?;
        let bytes = URL_SAFE_NO_PAD.decode(body).map_err(|_| TokenError::Invalid)?;
        let claims: Claims = serde_json::from_slice(&bytes).map_err(|_| TokenError::Invalid)?;
        match claims {
            Claims::Rsvp { expires, .. } if now.timestamp() >= expires => Err(TokenError::Expired),
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
}
