//! Accounts: coordinators create, disable and remove them; everyone may change their own
//! password (confirmed by the current one), or have a reset link mailed (a signed,
//! single-use link valid for a day). Every password change ends the account's other
//! sessions, in the transaction that changes it.

use super::auth::{PasswordCheck, Passwords};
use super::notices::Links;
use super::signing::{Claims, PASSWORD_RESET_LIFETIME, TokenError};
use super::{Actor, unique_as_taken};
use crate::domain::notice::{NoticePayload, Recipient};
use crate::domain::user::{NewUser, Password, TypedPassword, User, UserChange};
use crate::domain::{NoticeKind, Role};
use crate::error::{AppError, AppResult};
use crate::store::notices::{self as notices_store, NewNotice};
use crate::store::{Db, Page, PageRequest, audit, organizations, tokens, users};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Create an account (used by the API for coordinators, and by `xiaoqi user add`).
pub async fn create_unchecked(db: &Db, passwords: &Passwords, new: &NewUser, by: Option<&Actor>) -> AppResult<User> {
    let organization_id = new.organization_id;
    let hash = passwords.hash(&new.password).await?;
    let mut tx = db.begin().await?;
    match crate::store::organizations::kind_of(&mut tx, organization_id).await? {
        None => return Err(AppError::field("organization_id", "no such organisation / 机构不存在")),
        Some(kind) if kind != new.role.org_kind() => {
            return Err(AppError::field(
                "role",
                format!(
                    "a {} account must belong to a {} organisation / 角色与机构类型不符",
                    new.role,
                    new.role.org_kind()
                ),
            ));
        }
        Some(_) => {}
    }
    let user = users::insert(&mut tx, &new.email, &hash, new.role, organization_id)
        .await
        .map_err(|e| unique_as_taken(e, "email", "is already in use / 该邮箱已被使用"))?;
    audit::record(&mut tx, by.map(|a| a.user_id), Some(organization_id), "create", "user", Some(user.id)).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn create(db: &Db, passwords: &Passwords, actor: &Actor, new: NewUser) -> AppResult<User> {
    super::require_coordinator(actor)?;
    create_unchecked(db, passwords, &new, Some(actor)).await
}

fn may_see(actor: &Actor, user: &User) -> bool {
    actor.is_coordinator() || actor.organization_id == user.organization_id
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<User> {
    let user = users::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if may_see(actor, &user) { Ok(user) } else { Err(AppError::NotFound) }
}

pub async fn list(
    db: &Db,
    actor: &Actor,
    organization_id: Option<i64>,
    role: Option<Role>,
    page: PageRequest,
) -> AppResult<Page<User>> {
    let organization_id = if actor.is_coordinator() { organization_id } else { Some(actor.organization_id) };
    let (items, total) = users::list(&mut db.read().await?, organization_id, role, page).await?;
    Ok(Page::new(items, total, page))
}

/// Change an account: a password (your own, confirmed by `current_password`, or anyone's
/// if you are a coordinator), or disable / enable it (coordinators; not their own). A new
/// password revokes every other token and session of the account (all of them when a
/// coordinator sets someone else's), disabling revokes them all; both in the same
/// transaction as the change.
pub async fn update(
    db: &Db,
    check: &PasswordCheck<'_>,
    actor: &Actor,
    id: i64,
    change: UserChange,
    now: DateTime<Utc>,
) -> AppResult<User> {
    let UserChange { password, current_password, disabled } = change;
    let mut user = get(db, actor, id).await?;
    let own = actor.user_id == id;
    if !actor.is_coordinator() && (!own || disabled.is_some()) {
        return Err(AppError::Forbidden);
    }
    if disabled == Some(true) && own {
        return Err(AppError::Conflict("You cannot disable your own account. / 不能停用自己的账号。".into()));
    }
    // A token alone must not be enough to take the account over.
    let confirmed_hash = match &password {
        Some(_) if own => Some(confirm_current(db, check, &user, current_password.as_ref()).await?),
        _ => None,
    };
    let hash = match &password {
        Some(password) => Some(check.passwords.hash(password).await?),
        None => None,
    };
    let org = Some(user.organization_id);
    let mut tx = db.begin().await?;
    if let Some(hash) = &hash {
        let replaced = match &confirmed_hash {
            // Only if it is still the password just confirmed.
            Some(old) => users::replace_password(&mut tx, id, old, hash).await?,
            None => users::set_password(&mut tx, id, hash).await?,
        };
        if !replaced {
            // Changed meanwhile (so no longer the one confirmed), or deleted.
            return Err(if confirmed_hash.is_some() { wrong_current_password() } else { AppError::NotFound });
        }
        let revoked = tokens::revoke_all_of(&mut tx, id, own.then_some(actor.token_id), now).await?;
        let detail = format!("{revoked} other sessions revoked / 已撤销其他 {revoked} 个登录会话");
        audit::record_detail(&mut tx, Some(actor.user_id), org, "password", "user", Some(id), Some(&detail)).await?;
    }
    if let Some(disable) = disabled
        && disable != user.disabled
    {
        user = users::set_disabled(&mut tx, id, disable.then_some(now)).await?.ok_or(AppError::NotFound)?;
        if disable {
            let revoked = tokens::revoke_all_of(&mut tx, id, None, now).await?;
            audit::record_detail(
                &mut tx,
                Some(actor.user_id),
                org,
                "disable",
                "user",
                Some(id),
                Some(&format!("{revoked} sessions revoked / 已撤销 {revoked} 个登录会话")),
            )
            .await?;
        } else {
            audit::record(&mut tx, Some(actor.user_id), org, "enable", "user", Some(id)).await?;
        }
    }
    tx.commit().await?;
    if hash.is_some() || disabled == Some(true) {
        super::auth::tokens_revoked();
    }
    Ok(user)
}

/// The stored hash of `user`'s password once `typed` has proved to be it; otherwise a 422
/// naming `current_password` (or a 429 after too many wrong ones, as for signing in).
async fn confirm_current(
    db: &Db,
    check: &PasswordCheck<'_>,
    user: &User,
    typed: Option<&TypedPassword>,
) -> AppResult<String> {
    let Some(typed) = typed else {
        return Err(AppError::field(
            "current_password",
            "is required to change your own password / 修改自己的密码须填写当前密码",
        ));
    };
    let credentials = users::credentials_of(&mut db.read().await?, user.id).await?.ok_or(AppError::NotFound)?;
    let hash = credentials.password_hash;
    if check.confirm(user.email.as_str(), typed.expose(), hash.clone()).await? {
        Ok(hash)
    } else {
        Err(wrong_current_password())
    }
}

fn wrong_current_password() -> AppError {
    AppError::field("current_password", "is not your current password / 当前密码不正确")
}

/// A password-reset link and until when it works.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResetQueued {
    /// The address the link was mailed to.
    pub email: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a reset link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ResetProblem {
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The password changed since the link was made: it was used (or replaced).
    #[error("the link was already used / 该链接已使用过")]
    Used,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for ResetProblem {
    fn from(e: sqlx::Error) -> Self {
        ResetProblem::App(e.into())
    }
}

/// A digest of a password hash: what a reset link is bound to.
fn fingerprint(password_hash: &str) -> String {
    Sha256::digest(password_hash.as_bytes())[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// `POST /users/{id}/password_reset`: mail the account a signed link to `/reset/{token}`,
/// valid for [`PASSWORD_RESET_LIFETIME`] and once (coordinators for anyone, users for
/// themselves). A disabled account gets none (409).
pub async fn request_reset(
    db: &Db,
    links: &Links,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<ResetQueued> {
    let user = get(db, actor, id).await?;
    if !actor.is_coordinator() && actor.user_id != id {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let credentials = users::credentials_of(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if credentials.disabled_at.is_some() {
        return Err(AppError::Conflict("The account is disabled: enable it first. / 该账号已停用，请先启用。".into()));
    }
    let expires_at = now + PASSWORD_RESET_LIFETIME;
    let claims = Claims::PasswordReset {
        user: id,
        fingerprint: fingerprint(&credentials.password_hash),
        expires: expires_at.timestamp(),
    };
    let url = format!("{}/reset/{}", links.base_url.trim_end_matches('/'), links.signer.sign(&claims));
    let organization_name = organizations::get(&mut tx, user.organization_id).await?.map(|o| o.fields.name);
    let until = expires_at.with_timezone(&crate::domain::event::shanghai()).format("%Y-%m-%d %H:%M");
    let payload = NoticePayload {
        kind: NoticeKind::PasswordReset,
        event: None,
        recipient: Recipient {
            email: user.email.as_str().to_string(),
            name: None,
            organization_id: Some(user.organization_id),
            organization_name,
        },
        rsvp: None,
        unsubscribe_url: None,
        summary_zh: Some(format!(
            "我们收到了为账号 {} 重设密码的请求。请打开下面的链接设置新密码。\n\
             链接在 {until}（北京时间）前有效，只能使用一次。如果您没有提出此请求，请忽略本邮件，您的密码不会改变。",
            user.email.as_str()
        )),
        summary_en: Some(format!(
            "We received a request to reset the password of {}. Open the link below to set a new one.\n\
             The link works once, until {until} (Beijing time). If you did not ask for this, ignore this mail: your password stays as it is.",
            user.email.as_str()
        )),
        link: Some(url),
        checkin_qr: None,
    };
    let dedupe_key = format!("user:{id}:password_reset:{}", now.timestamp_millis());
    let notice = NewNotice {
        kind: NoticeKind::PasswordReset,
        event_id: None,
        round_id: None,
        revision: 0,
        graduate_id: None,
        dedupe_key: dedupe_key.clone(),
        payload: &payload,
    };
    notices_store::enqueue(&mut tx, &notice).await?;
    users::own_notice(&mut tx, &dedupe_key, id).await?;
    audit::record(
        &mut tx,
        Some(actor.user_id),
        Some(user.organization_id),
        "password_reset_requested",
        "user",
        Some(id),
    )
    .await?;
    tx.commit().await?;
    Ok(ResetQueued { email: user.email.as_str().to_string(), expires_at })
}

/// The account a reset link is for, if the link is still good at `now`.
pub async fn reset_target(db: &Db, links: &Links, token: &str, now: DateTime<Utc>) -> Result<User, ResetProblem> {
    let (user, _) = open_reset(&mut db.read().await?, links, token, now).await?;
    Ok(user)
}

async fn open_reset(
    db: &mut impl crate::store::Access,
    links: &Links,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(User, String), ResetProblem> {
    let Claims::PasswordReset { user, fingerprint: bound_to, .. } = links.signer.verify(token, now)? else {
        return Err(TokenError::Invalid.into());
    };
    let credentials = users::credentials_of(db, user).await?.ok_or(TokenError::Invalid)?;
    if credentials.disabled_at.is_some() {
        return Err(TokenError::Invalid.into());
    }
    if fingerprint(&credentials.password_hash) != bound_to {
        return Err(ResetProblem::Used);
    }
    let account = users::get(db, user).await?.ok_or(TokenError::Invalid)?;
    Ok((account, credentials.password_hash))
}

/// Set a new password through a reset link: the link dies with the old password, and every
/// session of the account is revoked.
pub async fn reset_password(
    db: &Db,
    passwords: &Passwords,
    links: &Links,
    token: &str,
    password: &Password,
    now: DateTime<Utc>,
) -> Result<User, ResetProblem> {
    reset_target(db, links, token, now).await?;
    let hash = passwords.hash(password).await?;
    let mut tx = db.begin().await?;
    let (user, old_hash) = open_reset(&mut tx, links, token, now).await?;
    if !users::replace_password(&mut tx, user.id, &old_hash, &hash).await? {
        return Err(ResetProblem::Used);
    }
    tokens::revoke_all_of(&mut tx, user.id, None, now).await?;
    audit::record(&mut tx, Some(user.id), Some(user.organization_id), "password_reset", "user", Some(user.id)).await?;
    tx.commit().await?;
    super::auth::tokens_revoked();
    Ok(user)
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let user = get(db, actor, id).await?;
    if !actor.is_coordinator() {
        return Err(AppError::Forbidden);
    }
    if actor.user_id == id {
        return Err(AppError::Conflict("You cannot delete your own account. / 不能删除自己的账号。".into()));
    }
    let mut tx = db.begin().await?;
    users::delete(&mut tx, id).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(user.organization_id), "delete", "user", Some(id)).await?;
    tx.commit().await?;
    // Its tokens went with it (ON DELETE CASCADE).
    super::auth::tokens_revoked();
    Ok(())
}
