//! The roster: schools keep their own graduates. Companies see only graduates who
//! consented, and never their contact details.

use super::{Actor, check_write, owning_org, patched};
use crate::domain::graduate::{Graduate, GraduateFields, NewGraduate};
use crate::domain::{New, OrgKind, Patch, Role};
use crate::error::{AppError, AppResult};
use crate::search::SearchIndex;
use crate::search::listing::{self, GraduateFilters, GraduateReach, SearchPage};
use crate::search::suggest::{self, Suggestion};
use crate::store::changes::{self, Entity, Operation};
use crate::store::{Db, audit, graduates};

/// Coordinators see every graduate; schools their own; companies those who consented,
/// without contact details.
fn reach(actor: &Actor) -> GraduateReach {
    match actor.role {
        Role::Coordinator => GraduateReach::Everyone,
        Role::School => GraduateReach::School(actor.organization_id),
        Role::Company => GraduateReach::Consenting,
    }
}

/// What `actor` may see of `graduate`: all of it, all but contact details, or nothing.
fn visible(actor: &Actor, graduate: Graduate) -> Option<Graduate> {
    let reach = reach(actor);
    if !reach.admits(graduate.organization_id, graduate.fields.consent) {
        None
    } else if reach.shows_contact(graduate.organization_id) {
        Some(graduate)
    } else {
        Some(graduate.without_contact())
    }
}

pub async fn create(db: &Db, actor: &Actor, new: NewGraduate) -> AppResult<Graduate> {
    let New { organization_id, fields } = new;
    let mut tx = db.begin().await?;
    let org = owning_org(&mut tx, actor, organization_id, OrgKind::School).await?;
    let graduate = graduates::insert(&mut tx, org, &fields).await?;
    changes::record(&mut tx, Entity::Graduate, graduate.id, Operation::Create).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(org), "create", "graduate", Some(graduate.id)).await?;
    tx.commit().await?;
    Ok(graduate)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let graduate = graduates::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    visible(actor, graduate).ok_or(AppError::NotFound)
}

/// Graduate search under the tenancy rules: schools their own, companies consenting
/// graduates without contact details, coordinators everyone.
pub fn search(index: &SearchIndex, actor: &Actor, filters: &GraduateFilters) -> AppResult<SearchPage> {
    Ok(listing::search_graduates(index, reach(actor), filters)?)
}

/// The graduate, if `actor` may change it (its school, coordinators).
async fn writable(db: &mut impl crate::store::Access, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let current = graduates::get(db, id).await?.ok_or(AppError::NotFound)?;
    let owner = current.organization_id;
    let Some(current) = visible(actor, current) else {
        return Err(AppError::NotFound);
    };
    check_write(actor, owner, OrgKind::School)?;
    Ok(current)
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: Patch<GraduateFields>) -> AppResult<Graduate> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    let fields = patched(patch, &current)?;
    let graduate = graduates::update(&mut tx, id, &fields).await?.ok_or(AppError::NotFound)?;
    changes::record(&mut tx, Entity::Graduate, id, Operation::Update).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(graduate.organization_id), "update", "graduate", Some(id)).await?;
    tx.commit().await?;
    Ok(graduate)
}

/// Erase a graduate: personal data is deleted, not hidden.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    graduates::delete(&mut tx, id).await?;
    changes::record(&mut tx, Entity::Graduate, id, Operation::Delete).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(current.organization_id), "delete", "graduate", Some(id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Open postings that would suit a graduate (the graduate's school and coordinators).
pub async fn suggestions(
    db: &Db,
    index: &SearchIndex,
    actor: &Actor,
    id: i64,
    limit: usize,
) -> AppResult<Vec<Suggestion>> {
    let graduate = writable(&mut db.read().await?, actor, id).await?;
    Ok(suggest::postings_for(index, &graduate, limit)?)
}
