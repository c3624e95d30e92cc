//! Organisations are managed by coordinators; others may read their own.

use super::{Actor, auth::Passwords, patch_input, unique_as_field};
use crate::domain::organization::{Organization, OrganizationFields};
use crate::domain::user::{NewUser, User};
use crate::domain::{Input, OrgKind, Role};
use crate::error::{AppError, AppResult};
use crate::store::{self, Db, Page, PageRequest, audit, organizations, users};
use serde_json::Value;

/// A new organisation, optionally with its first accounts (onboarded in one transaction:
/// if any account cannot be created, neither is the organisation).
pub struct NewOrganization {
    pub fields: OrganizationFields,
    pub users: Vec<NewUser>,
}

fn parse_new(body: Value) -> AppResult<NewOrganization> {
    let mut input = Input::from_value(body)?;
    let fields = OrganizationFields::parse(&mut input);
    let kind = fields.as_ref().map(|f| f.kind).or_else(|| kind_named(&input));
    let mut users = Vec::new();
    if let Some(list) = input.optional::<Value>("users") {
        match list {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    let mut user_input = match Input::from_value(item) {
                        Ok(u) => u,
                        Err(_) => {
                            input.errors.push(format!("users[{i}]"), "must be an object / 必须是对象");
                            continue;
                        }
                    };
                    user_input.ignore("organization_id");
                    let role = user_input.peek("role").and_then(Value::as_str).and_then(Role::parse);
                    if let (Some(kind), Some(role)) = (kind, role)
                        && kind != role.org_kind()
                    {
                        input.errors.push(
                            format!("users[{i}].role"),
                            "does not fit the organisation's kind / 角色与机构类型不符",
                        );
                    }
                    let parsed = NewUser::parse(&mut user_input);
                    match user_input.finish(parsed) {
                        Ok(u) => users.push(u),
                        Err(errs) => {
                            for e in errs.0 {
                                input.errors.push(format!("users[{i}].{}", e.field), e.message);
                            }
                        }
                    }
                }
            }
            _ => input.errors.push("users", "must be a list / 必须是列表"),
        }
    }
    let fields = input.finish(fields)?;
    Ok(NewOrganization { fields, users })
}

/// The organisation kind a body names, even when other fields are invalid.
fn kind_named(input: &Input) -> Option<OrgKind> {
    input.peek("kind").and_then(|v| v.as_str()).and_then(OrgKind::parse)
}

pub async fn create(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    body: Value,
) -> AppResult<(Organization, Vec<User>)> {
    super::require_coordinator(actor)?;
    let new = parse_new(body)?;
    let mut hashes = Vec::with_capacity(new.users.len());
    for u in &new.users {
        hashes.push(passwords.hash(&u.password).await?);
    }
    let mut tx = db.begin().await?;
    let org = organizations::insert(&mut tx, &new.fields)
        .await
        .map_err(|e| unique_as_field(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?;
    let mut created = Vec::new();
    for (i, (u, hash)) in new.users.iter().zip(&hashes).enumerate() {
        let user = users::insert(&mut tx, &u.email, hash, u.role, org.id)
            .await
            .map_err(|e| unique_as_field(e, &format!("users[{i}].email"), "is already in use / 该邮箱已被使用"))?;
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

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: Value) -> AppResult<Organization> {
    if !actor.is_coordinator() {
        // Readers of their own organisation learn it exists; others do not.
        return Err(if actor.organization_id == id { AppError::Forbidden } else { AppError::NotFound });
    }
    let mut tx = db.begin().await?;
    let current = organizations::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut input = patch_input(&current, patch)?;
    let fields = OrganizationFields::parse(&mut input);
    let fields = input.finish(fields)?;
    if fields.kind != current.fields.kind {
        return Err(AppError::field("kind", "cannot be changed / 机构类型不可修改"));
    }
    let org = organizations::update(&mut tx, id, &fields)
        .await
        .map_err(|e| unique_as_field(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?
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
