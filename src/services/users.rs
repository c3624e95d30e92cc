//! Accounts: coordinators create and remove them; everyone may change their own password.

use super::{Actor, auth::Passwords, organizations::kind_of, unique_as_taken};
use crate::domain::Role;
use crate::domain::user::{NewUser, PasswordChange, User};
use crate::error::{AppError, AppResult};
use crate::store::{Db, Page, PageRequest, audit, users};

/// Create an account (used by the API for coordinators, and by `xiaoqi user add`).
pub async fn create_unchecked(db: &Db, passwords: &Passwords, new: &NewUser, by: Option<&Actor>) -> AppResult<User> {
    let organization_id = new.organization_id;
    let hash = passwords.hash(&new.password).await?;
    let mut tx = db.begin().await?;
    match kind_of(&mut tx, organization_id).await? {
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

/// Change a password: your own, or anyone's if you are a coordinator.
pub async fn update(db: &Db, passwords: &Passwords, actor: &Actor, id: i64, change: PasswordChange) -> AppResult<User> {
    let PasswordChange { password } = change;
    let user = get(db, actor, id).await?;
    if !actor.is_coordinator() && actor.user_id != id {
        return Err(AppError::Forbidden);
    }
    let hash = passwords.hash(&password).await?;
    let mut tx = db.begin().await?;
    users::set_password(&mut tx, id, &hash).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(user.organization_id), "password", "user", Some(id)).await?;
    tx.commit().await?;
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
    Ok(())
}
