//! Organisations are managed by coordinators; others may read their own.

use super::{Actor, auth::Passwords, patched, unique_as_taken};
use crate::domain::OrgKind;
use crate::domain::organization::{NewOrganization, Organization, OrganizationFields, OrganizationPatch};
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::store::{self, Db, Page, PageRequest, audit, organizations, users};

pub async fn create(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    new: NewOrganization,
) -> AppResult<(Organization, Vec<User>)> {
    super::require_coordinator(actor)?;
    let mut hashes = Vec::with_capacity(new.users.len());
    for u in &new.users {
        hashes.push(passwords.hash(&u.password).await?);
    }
    let mut tx = db.begin().await?;
    let org = organizations::insert(&mut tx, &new.fields)
        .await
        .map_err(|e| unique_as_taken(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?;
    let mut created = Vec::new();
    for (i, (u, hash)) in new.users.iter().zip(&hashes).enumerate() {
        let user = users::insert(&mut tx, &u.email, hash, u.role, org.id)
            .await
            .map_err(|e| unique_as_taken(e, &format!("users[{i}].email"), "is already in use / 该邮箱已被使用"))?;
        created.push(user);
    }
    audit::record(&mut tx, Some(actor.user_id), Some(org.id), "create", "organization", Some(org.id)).await?;
    tx.commit().await?;
    Ok((org, created))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Organization> {
    if !actor.is_coordinator() && actor.organization_id != id {
        return Err(AppError::NotFound);
    }
    organizations::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)
}

pub async fn list(db: &Db, actor: &Actor, kind: Option<OrgKind>, page: PageRequest) -> AppResult<Page<Organization>> {
    let filter = organizations::Filter { kind, only_id: (!actor.is_coordinator()).then_some(actor.organization_id) };
    let (items, total) = organizations::list(&mut db.read().await?, &filter, page).await?;
    Ok(Page::new(items, total, page))
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: OrganizationPatch) -> AppResult<Organization> {
    if !actor.is_coordinator() {
        // Readers of their own organisation learn it exists; others do not.
        return Err(if actor.organization_id == id { AppError::Forbidden } else { AppError::NotFound });
    }
    let mut tx = db.begin().await?;
    let current = organizations::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    // The kind is read-only in a patch, so `fields.kind` is the stored one.
    let fields = patched(patch, &current)?;
    let org = organizations::update(&mut tx, id, &fields)
        .await
        .map_err(|e| unique_as_taken(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?
        .ok_or(AppError::NotFound)?;
    audit::record(&mut tx, Some(actor.user_id), Some(id), "update", "organization", Some(id)).await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    if !actor.is_coordinator() {
        return Err(if actor.organization_id == id { AppError::Forbidden } else { AppError::NotFound });
    }
    if id == actor.organization_id {
        return Err(AppError::Conflict("You cannot delete your own organisation. / 不能删除自己所在的机构。".into()));
    }
    let mut tx = db.begin().await?;
    let deleted = organizations::delete(&mut tx, id).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::Conflict(
            "The organisation still has accounts, projects, postings or graduates. / 该机构仍有账号、项目、岗位或毕业生，无法删除。".into(),
        ),
        _ => e.into(),
    })?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    audit::record(&mut tx, Some(actor.user_id), Some(id), "delete", "organization", Some(id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Does this organisation exist with this kind? (For checks that name a field.)
pub async fn kind_of(db: &mut impl store::Access, id: i64) -> AppResult<Option<OrgKind>> {
    Ok(organizations::get(db, id).await?.map(|o| o.fields.kind))
}

/// The coordinators' organisation: the first one on record, created on first need.
pub async fn service_centre(db: &Db) -> AppResult<i64> {
    let mut tx = db.begin().await?;
    let filter = organizations::Filter { kind: Some(OrgKind::Coordinator), only_id: None };
    let (existing, _) = organizations::list(&mut tx, &filter, PageRequest { page: 1, per_page: 1 }).await?;
    if let Some(org) = existing.first() {
        return Ok(org.id);
    }
    let fields = OrganizationFields {
        kind: OrgKind::Coordinator,
        name: "肇庆新区企业发展服务中心".into(),
        credit_code: None,
        contact_name: None,
        contact_email: None,
        contact_phone: None,
        district: Some("肇庆新区".into()),
        address: None,
    };
    let org = organizations::insert(&mut tx, &fields).await?;
    audit::record(&mut tx, None, Some(org.id), "create", "organization", Some(org.id)).await?;
    tx.commit().await?;
    Ok(org.id)
}
