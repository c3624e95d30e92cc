//! The roster: schools keep their own graduates. Companies see only graduates who
//! consented, and never their contact details.

use super::search_pool::SearchPool;
use super::{Actor, check_write, consent, duplicates, owning_org, patched, unique_as_taken};
use crate::domain::graduate::{Graduate, GraduateFields, NewGraduate};
use crate::domain::{IdNumber, New, OrgKind, Patch, Role};
use crate::error::{AppError, AppResult};
use crate::search::listing::{self, GraduateFilters, GraduateReach, Hit, SearchPage};
use crate::search::suggest::{self, Suggestion};
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

/// What `actor` may see of `graduate`: all of it (the ID number masked), all but contact
/// and identity details, or nothing.
pub fn visible(actor: &Actor, graduate: Graduate) -> Option<Graduate> {
    let reach = reach(actor);
    if !reach.admits(graduate.organization_id, graduate.fields.consent) {
        None
    } else if reach.shows_contact(graduate.organization_id) {
        Some(graduate.with_id_number_masked())
    } else {
        Some(graduate.without_contact())
    }
}

pub async fn create(db: &Db, actor: &Actor, new: NewGraduate) -> AppResult<Graduate> {
    let New { organization_id, fields } = new;
    let mut tx = db.begin().await?;
    let org = owning_org(&mut tx, actor, organization_id, OrgKind::School).await?;
    let graduate = graduates::insert(&mut tx, org, &fields).await.map_err(student_no_taken)?;
    audit::record(&mut tx, Some(actor.user_id), Some(org), "create", "graduate", Some(graduate.id)).await?;
    consent::record_initial(&mut tx, actor, &graduate, consent::method_of(actor)).await?;
    duplicates::scan(&mut tx, &[graduate.id]).await?;
    tx.commit().await?;
    Ok(graduate.with_id_number_masked())
}

fn student_no_taken(error: sqlx::Error) -> AppError {
    unique_as_taken(error, "student_no", "is already on this school's roster / 本校已有该学号")
}

/// The whole ID number, for the graduate's school and coordinators; each reveal is audited.
pub async fn reveal_id_number(db: &Db, actor: &Actor, id: i64) -> AppResult<Option<String>> {
    let mut tx = db.begin().await?;
    let graduate = writable(&mut tx, actor, id).await?;
    let number = graduate.fields.id_number.as_ref().and_then(|n| n.reveal()).map(str::to_string);
    audit::record(
        &mut tx,
        Some(actor.user_id),
        Some(graduate.organization_id),
        "reveal_id_number",
        "graduate",
        Some(id),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let graduate = graduates::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    visible(actor, graduate).ok_or(AppError::NotFound)
}

/// [`get`] for someone reading the record itself (`GET /graduates/{id}`, the graduate's
/// page): when it shows contact details (its school, coordinators), the read is audited as
/// `read_contact`.
pub async fn read(db: &Db, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let graduate = get(db, actor, id).await?;
    let has_contact = graduate.fields.email.is_some() || graduate.fields.phone.is_some();
    if has_contact && reach(actor).shows_contact(graduate.organization_id) {
        let mut tx = db.begin().await?;
        let org = Some(graduate.organization_id);
        audit::record(&mut tx, Some(actor.user_id), org, "read_contact", "graduate", Some(id)).await?;
        tx.commit().await?;
    }
    Ok(graduate)
}

/// Graduate search under the tenancy rules: schools their own, companies consenting
/// graduates without contact details, coordinators everyone.
pub async fn search(db: &Db, searches: &SearchPool, actor: &Actor, filters: &GraduateFilters) -> AppResult<SearchPage> {
    let (reach, filters) = (reach(actor), filters.clone());
    let mut page = searches.run(move |index| listing::search_graduates(index, reach, &filters)).await?;
    if reach == GraduateReach::Consenting {
        // The index may not have seen a withdrawal (or an erasure) yet; the database has.
        // Those left out shorten the page rather than shift the next one, and leave the total.
        let left_out = graduates::retain_consenting(&mut db.read().await?, &mut page.items, Hit::id).await?;
        page.total -= left_out as i64;
    }
    Ok(page)
}

/// The stored graduate (nothing masked: for the service's own use), if `actor` may change
/// it (its school, coordinators).
pub async fn writable(db: &mut impl crate::store::Access, actor: &Actor, id: i64) -> AppResult<Graduate> {
    let current = graduates::get(db, id).await?.ok_or(AppError::NotFound)?;
    if !reach(actor).admits(current.organization_id, current.fields.consent) {
        return Err(AppError::NotFound);
    }
    check_write(actor, current.organization_id, OrgKind::School)?;
    Ok(current)
}

pub async fn update(db: &Db, actor: &Actor, id: i64, mut patch: Patch<GraduateFields>) -> AppResult<Graduate> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    let shown = current.fields.id_number.as_ref().map(IdNumber::masked);
    patch.unchanged_if_shown("id_number", shown.as_ref().map(IdNumber::as_shown));
    let fields = patched(patch, &current)?;
    let graduate =
        graduates::update(&mut tx, id, &fields).await.map_err(student_no_taken)?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, Some(actor.user_id), Some(graduate.organization_id), "update", "graduate", Some(id)).await?;
    if graduate.fields.consent != current.fields.consent {
        consent::record_change(&mut tx, actor, &graduate, consent::method_of(actor)).await?;
    }
    duplicates::scan(&mut tx, &[id]).await?;
    tx.commit().await?;
    Ok(graduate.with_id_number_masked())
}

/// Erase a graduate: personal data is deleted, not hidden.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    duplicates::forget(&mut tx, id).await?;
    graduates::delete(&mut tx, id).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(current.organization_id), "delete", "graduate", Some(id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Open postings that would suit a graduate (the graduate's school and coordinators).
pub async fn suggestions(
    db: &Db,
    searches: &SearchPool,
    actor: &Actor,
    id: i64,
    limit: usize,
) -> AppResult<Vec<Suggestion>> {
    let graduate = writable(&mut db.read().await?, actor, id).await?;
    searches.run(move |index| suggest::postings_for(index, &graduate, limit)).await
}
