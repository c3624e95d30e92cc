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
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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

/// What the database keeps of a token: its SHA-256, in hex.
pub fn hash_token(token: &str) -> String {
    hex(&digest(token))
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn hex(digest: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    digest.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
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

/// A signed-in user as the pages show them: the actor and whom it names.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub email: String,
    pub organization_name: String,
}

/// The session and the token's expiry, if the token with this digest is valid now.
async fn verified(db: &Db, digest: &[u8; 32]) -> AppResult<Option<(Session, DateTime<Utc>)>> {
    let owner = tokens::owner(&mut db.read().await?, &hex(digest), Utc::now()).await?;
    Ok(owner.map(|o| {
        let actor =
            Actor { user_id: o.user_id, role: o.role, organization_id: o.organization_id, token_id: o.token_id };
        (Session { actor, email: o.email, organization_name: o.organization_name }, o.expires_at)
    }))
}

/// Revoke the token `actor` came with; this process stops accepting it at once.
pub async fn log_out(db: &Db, actor: &Actor) -> AppResult<()> {
    let mut tx = db.begin().await?;
    tokens::revoke(&mut tx, actor.token_id).await?;
    tx.commit().await?;
    tokens_revoked();
    Ok(())
}

/// Revocations committed by this process so far. Every function that revokes a token or
/// disables or deletes an account counts one *after* its commit ([`tokens_revoked`]); a
/// cached verification is good only while the count is what it was before the database
/// read that made it, so no request on this node is let in by a token revoked before it
/// started, whichever path (API, page, reset link) revoked it. A process-wide count
/// rather than a reference to each [`VerifiedTokens`], so that the revoking services need
/// nothing but the database handle they already take; a count that also drops other
/// applications' entries in the same process (tests run many) only costs them a read.
static REVOCATIONS: AtomicU64 = AtomicU64::new(0);

/// Call after committing any revocation (log out, password change, disabling or deleting
/// an account): every cached verification in this process is dropped.
pub fn tokens_revoked() {
    REVOCATIONS.fetch_add(1, Ordering::AcqRel);
}

/// Verified bearer tokens (and page sessions: the same tokens), so that a request does
/// not pay a database round trip (a pool connection, a three-table join) to learn who it
/// is from. Keyed by the token's SHA-256, never the token. An entry is good for
/// `XIAOQI_TOKEN_CACHE_SECONDS` (default 5, `0` turns the cache off), never past the
/// token's expiry, and never past a revocation in this process ([`tokens_revoked`]). What
/// another node, or a `xiaoqi` command run beside the server, revoked is refused here
/// within that many seconds: the price of the cache, accepted because revocations are rare
/// and a few seconds is less than anyone acting on one (signing out on a shared computer,
/// disabling a leaver) can tell apart from at once. Only valid tokens are kept: an invalid
/// one is read from the database each time.
#[derive(Clone)]
pub struct VerifiedTokens {
    entries: Arc<Mutex<HashMap<[u8; 32], Verified>>>,
    ttl: Duration,
}

struct Verified {
    session: Session,
    revocations: u64,
    until: Instant,
    expires_at: DateTime<Utc>,
}

/// Enough for every token active within a few seconds on a node; ~250 bytes each.
const VERIFIED_TOKENS_CAPACITY: usize = 10_000;

impl VerifiedTokens {
    pub fn new(ttl: Duration) -> Self {
        Self { entries: Arc::default(), ttl }
    }

    /// The actor a bearer token stands for, if it is valid now.
    pub async fn actor(&self, db: &Db, token: &str) -> AppResult<Option<Actor>> {
        let digest = digest(token);
        if let Some(actor) = self.cached(&digest, |v| v.session.actor.clone()) {
            return Ok(Some(actor));
        }
        Ok(self.verify(db, digest).await?.map(|s| s.actor))
    }

    /// The session a token (a page's cookie) stands for, if it is valid now.
    pub async fn session(&self, db: &Db, token: &str) -> AppResult<Option<Session>> {
        let digest = digest(token);
        if let Some(session) = self.cached(&digest, |v| v.session.clone()) {
            return Ok(Some(session));
        }
        self.verify(db, digest).await
    }

    fn cached<T>(&self, digest: &[u8; 32], read: impl FnOnce(&Verified) -> T) -> Option<T> {
        if self.ttl.is_zero() {
            return None;
        }
        let revocations = REVOCATIONS.load(Ordering::Acquire);
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let entry = entries.get(digest)?;
        entry.fresh(revocations, Instant::now(), Utc::now()).then(|| read(entry))
    }

    async fn verify(&self, db: &Db, digest: [u8; 32]) -> AppResult<Option<Session>> {
        // Read before the database: a revocation committed meanwhile makes the entry stale.
        let revocations = REVOCATIONS.load(Ordering::Acquire);
        let Some((session, expires_at)) = verified(db, &digest).await? else {
            return Ok(None);
        };
        if !self.ttl.is_zero() {
            let now = Instant::now();
            let entry = Verified { session: session.clone(), revocations, until: now + self.ttl, expires_at };
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if entries.len() >= VERIFIED_TOKENS_CAPACITY {
                let (current, wall) = (REVOCATIONS.load(Ordering::Acquire), Utc::now());
                entries.retain(|_, v| v.fresh(current, now, wall));
                if entries.len() >= VERIFIED_TOKENS_CAPACITY {
                    entries.clear();
                }
            }
            entries.insert(digest, entry);
        }
        Ok(Some(session))
    }
}

impl Verified {
    fn fresh(&self, revocations: u64, now: Instant, wall: DateTime<Utc>) -> bool {
        self.revocations == revocations && now < self.until && wall < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_verification_ends_at_the_first_of_its_lifetime_the_expiry_and_a_revocation() {
        let actor = Actor { user_id: 1, role: Role::Coordinator, organization_id: 1, token_id: 1 };
        let session = Session { actor, email: "a@example.cn".into(), organization_name: "中心".into() };
        let (now, wall) = (Instant::now(), Utc::now());
        let entry = Verified {
            session,
            revocations: 7,
            until: now + Duration::from_secs(5),
            expires_at: wall + chrono::Duration::seconds(60),
        };
        assert!(entry.fresh(7, now, wall));
        assert!(!entry.fresh(8, now, wall), "a revocation since");
        assert!(!entry.fresh(7, now + Duration::from_secs(5), wall), "its lifetime is over");
        assert!(!entry.fresh(7, now, wall + chrono::Duration::seconds(60)), "the token expired");
    }

    #[test]
    fn token_hashes_are_lowercase_hex_sha256() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

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
