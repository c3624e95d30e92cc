//! Domain services: the rules of who may do what, and every write in one transaction.
//! HTTP handlers parse requests and call these; these call the store.

pub mod audit;
pub mod auth;
pub mod checkin;
pub mod client;
pub mod consent;
pub mod duplicates;
pub mod events;
pub mod graduates;
pub mod import;
pub mod login_limit;
pub mod notices;
pub mod offers;
pub mod organizations;
pub mod outcomes;
pub mod personal;
pub mod personal_link;
pub mod postings;
pub mod preferences;
pub mod projects;
pub mod reports;
pub mod roster;
pub mod rounds;
pub mod search_pool;
pub mod search_rate;
pub mod signing;
pub mod sweep;
pub mod users;

use crate::domain::{Parse, Patch};
use crate::error::{AppError, AppResult};
use serde::Serialize;

pub use auth::Actor;

/// Apply a merge patch over `current` (what a GET answers) and parse the result exactly
/// like a create.
pub fn patched<T: Parse>(patch: Patch<T>, current: &impl Serialize) -> AppResult<T> {
    let current = serde_json::to_value(current).map_err(|e| AppError::Internal(e.into()))?;
    Ok(patch.apply(current)?)
}

/// Only coordinators may do this; others get 403.
pub fn require_coordinator(actor: &Actor) -> AppResult<()> {
    if actor.is_coordinator() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Map a unique-constraint violation to a 409 naming `field`; pass other errors through.
pub fn unique_as_taken(error: sqlx::Error, field: &str, message: &str) -> AppError {
    if crate::store::unique_violation(&error).is_some() {
        let mut errors = crate::domain::FieldErrors::default();
        errors.push(field, message);
        AppError::Taken(errors)
    } else {
        error.into()
    }
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
        return match crate::store::organizations::kind_of(tx, id).await? {
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
