//! Passwords, tokens and signing in (limited by `login_limit`).

use crate::domain::user::Password;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::{self, Db, audit, tokens};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

pub use super::login_limit::LoginLimiter;

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub organization_id: i64,
    pub token_id: i64,
}

impl Actor {
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }
}

/// Argon2id hashing off the async runtime, a few at a time so logins cannot starve it.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Default for Passwords {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self { permits: Arc::new(Semaphore::new(cores)) }
    }
}

/// A hash of a random password, verified against when the account does not exist so that
/// timing does not reveal which e-mails have accounts.
fn dummy_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let mut secret = [0u8; 16];
        rand::rng().fill_bytes(&mut secret);
        Argon2::default().hash_password(&secret).map(|h| h.to_string()).expect("hashing random bytes")
    })
    .clone()
}

impl Passwords {
    pub async fn hash(&self, password: &Password) -> AppResult<String> {
        let _permit = self.permits.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
        let password = password.clone();
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(password.expose().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
    }

    pub async fn verify(&self, password: &str, hash: Option<String>) -> AppResult<bool> {
        let _permit = self.permits.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
        let password = password.to_string();
        let exists = hash.is_some();
        let ok = tokio::task::spawn_blocking(move || {
            let hash = hash.unwrap_or_else(dummy_hash);
            Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        Ok(ok && exists)
    }
}

/// What checking a password a client typed needs: the hasher, and the limiter that counts
/// wrong ones against the account and the client exactly as it counts wrong sign-ins (so a
/// stolen token cannot be used to guess the password faster than signing in could).
#[derive(Clone, Copy)]
pub struct PasswordCheck<'a> {
    pub passwords: &'a Passwords,
    pub limiter: &'a LoginLimiter,
    pub client: IpAddr,
}

impl PasswordCheck<'_> {
    /// Whether `typed` is the password whose hash is `hash` (the account `email`'s); 429
    /// while the account and client are in a delay.
    pub async fn confirm(&self, email: &str, typed: &str, hash: String) -> AppResult<bool> {
        let attempt = self.limiter.admit(email, self.client).await?;
        let right = self.passwords.verify(typed, Some(hash)).await?;
        if right {
            attempt.succeeded()
        } else {
            attempt.failed()
        }
        Ok(right)
    }
}

/// A new bearer token: what the client gets, and what the database keeps.
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("xq_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Check an e-mail and password; on success store and return a new token. Both outcomes
/// are audited (`sign_in`, `sign_in_failed` naming the account when the e-mail has one); a
/// disabled account is refused exactly like a wrong password. Every refusal counts as a
/// failure for the (account, client) pair and the client, as soon as it is known.
pub async fn log_in(
    db: &Db,
    passwords: &Passwords,
    limiter: &LoginLimiter,
    email: &Email,
    password: &str,
    address: IpAddr,
    ttl: Duration,
) -> AppResult<IssuedToken> {
    let attempt = limiter.admit(email.as_str(), address).await?;
    let credentials = store::users::credentials(&mut db.read().await?, email).await?;
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = passwords.verify(password, hash).await?;
    let Some(account) = credentials else {
        // No account: nothing to name in the log (the e-mail typed may be anything).
        attempt.failed();
        return Err(AppError::Unauthorized);
    };
    let refusal = match (verified, account.disabled_at) {
        (false, _) => Some("wrong password / 密码错误"),
        (true, Some(_)) => Some("account disabled / 账号已停用"),
        (true, None) => None,
    };
    if let Some(why) = refusal {
        attempt.failed();
        let mut tx = db.begin().await?;
        let org = Some(account.organization_id);
        audit::record_detail(&mut tx, None, org, "sign_in_failed", "user", Some(account.id), Some(why)).await?;
        tx.commit().await?;
        return Err(AppError::Unauthorized);
    }
    attempt.succeeded();
    let token = new_token();
    let now = Utc::now();
    let expires_at = now + chrono::Duration::from_std(ttl).map_err(|e| AppError::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    tokens::insert(&mut tx, account.id, &hash_token(&token), expires_at).await?;
    tokens::purge_expired(&mut tx, now).await?;
    let org = Some(account.organization_id);
    audit::record(&mut tx, Some(account.id), org, "sign_in", "user", Some(account.id)).await?;
    tx.commit().await?;
    Ok(IssuedToken { token, expires_at })
}

/// The actor a bearer token stands for, if it is valid now.
pub async fn authenticate(db: &Db, token: &str) -> AppResult<Option<Actor>> {
    Ok(session(db, token).await?.map(|s| s.actor))
}

/// A signed-in user as the pages show them: the actor and whom it names.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub email: String,
    pub organization_name: String,
}

/// The session a token (a page's cookie holds the same tokens as the API) stands for.
pub async fn session(db: &Db, token: &str) -> AppResult<Option<Session>> {
    let owner = tokens::owner(&mut db.read().await?, &hash_token(token), Utc::now()).await?;
    Ok(owner.map(|o| Session {
        actor: Actor { user_id: o.user_id, role: o.role, organization_id: o.organization_id, token_id: o.token_id },
        email: o.email,
        organization_name: o.organization_name,
    }))
}

pub async fn log_out(db: &Db, actor: &Actor) -> AppResult<()> {
    let mut tx = db.begin().await?;
    tokens::revoke(&mut tx, actor.token_id).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(argon2::PasswordHash::new(&dummy_hash()).is_ok());
        assert!(!Passwords::default().verify("anything", None).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_verify() {
        let p = Passwords::default();
        let pw = Password::parse("correct horse").unwrap();
        let hash = p.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(p.verify("correct horse", Some(hash.clone())).await.unwrap());
        assert!(!p.verify("wrong horse!", Some(hash)).await.unwrap());
    }
}
