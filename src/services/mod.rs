//! Domain services: the rules of who may do what, and every write in one transaction.
//! HTTP handlers parse requests and call these; these call the store.

pub mod auth;
pub mod events;
pub mod graduates;
pub mod notices;
pub mod organizations;
pub mod postings;
pub mod preferences;
pub mod projects;
pub mod rounds;
pub mod signing;
pub mod users;

use crate::domain::{FieldErrors, Input};
use crate::error::{AppError, AppResult};
use serde::Serialize;
use serde_json::Value;

pub use auth::Actor;

/// Fields every representation carries that clients may echo back but never change.
const READ_ONLY: &[&str] = &["id", "organization_id", "created_at", "updated_at"];

/// Merge a PATCH body over the current representation (RFC 7396) and return the result as
/// input to validate exactly like a create. Changing a read-only field is a 422.
pub fn patch_input(current: &impl Serialize, patch: Value) -> AppResult<Input> {
    patch_input_keeping(current, patch, &[])
}

/// [`patch_input`] for a representation with more read-only fields than the common ones
/// (values the service derives, such as an event's revision).
pub fn patch_input_keeping(current: &impl Serialize, patch: Value, derived: &[&str]) -> AppResult<Input> {
    let Value::Object(patch_map) = patch else {
        return Err(FieldErrors(vec![crate::domain::FieldError::new(
            "body",
            "must be a JSON object / 请求体必须是 JSON 对象",
        )])
        .into());
    };
    let mut merged = serde_json::to_value(current).map_err(|e| AppError::Internal(e.into()))?;
    let mut errors = FieldErrors::default();
    for key in READ_ONLY.iter().chain(derived) {
        if let Some(new) = patch_map.get(*key)
            && merged.get(*key) != Some(new)
        {
            errors.push(*key, "is read-only / 不可修改");
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    crate::domain::validation::merge_patch(&mut merged, &Value::Object(patch_map));
    let mut input = Input::from_value(merged)?;
    for key in READ_ONLY.iter().chain(derived) {
        input.ignore(key);
    }
    Ok(input)
}

/// Only coordinators may do this; others get 403.
pub fn require_coordinator(actor: &Actor) -> AppResult<()> {
    if actor.is_coordinator() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Map a unique-constraint violation to a 422 on `field`; pass other errors through.
pub fn unique_as_field(error: sqlx::Error, field: &str, message: &str) -> AppError {
    if crate::store::unique_violation(&error).is_some() { AppError::field(field, message) } else { error.into() }
}

/// Resolve the organisation a new company- or school-owned object belongs to: the
/// actor's own, or for coordinators the `organization_id` they name, which must be an
/// organisation of `kind`. Other roles get 403.
pub async fn owning_org(
    tx: &mut crate::store::Tx,
    actor: &Actor,
    requested: Option<i64>,
    kind: crate::domain::OrgKind,
) -> AppResult<i64> {
    if actor.is_coordinator() {
        let id = requested.ok_or_else(|| AppError::field("organization_id", "is required / 必填"))?;
        return match organizations::kind_of(tx, id).await? {
            Some(k) if k == kind => Ok(id),
            Some(_) => Err(AppError::field("organization_id", format!("must be a {kind} / 机构类型不符"))),
            None => Err(AppError::field("organization_id", "no such organisation / 机构不存在")),
        };
    }
    if actor.role.org_kind() != kind {
        return Err(AppError::Forbidden);
    }
    match requested {
        Some(id) if id != actor.organization_id => {
            Err(AppError::field("organization_id", "must be your own organisation / 只能为本机构创建"))
        }
        _ => Ok(actor.organization_id),
    }
}

/// May `actor` change an object owned by `owner`? Coordinators may; the owner's users may;
/// a user of the right kind but another tenant gets 404 (the object is none of theirs);
/// other roles get 403.
pub fn check_write(actor: &Actor, owner: i64, kind: crate::domain::OrgKind) -> AppResult<()> {
    if actor.is_coordinator() || actor.organization_id == owner {
        Ok(())
    } else if actor.role.org_kind() == kind {
        Err(AppError::NotFound)
    } else {
        Err(AppError::Forbidden)
    }
}
