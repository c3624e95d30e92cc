//! Duplicates across schools (the same person on two rosters) are listed for coordinators,
//! found whenever a graduate is written. A coordinator merges a pair — one record kept, the
//! other's choices, shortlist places and consent records moved to it, its empty fields
//! filled from the other, the other erased — or dismisses it as two different people.

use super::{Actor, require_coordinator};
use crate::domain::GraduateStatus;
use crate::domain::duplicate::{DuplicateReason, DuplicateStatus, MergeDuplicate};
use crate::domain::graduate::{Graduate, GraduateFields};
use crate::domain::preference::MAX_CHOICES;
use crate::error::{AppError, AppResult};
use crate::store::duplicates::{self, Pair};
use crate::store::{Access, Db, Page, PageRequest, Tx, audit, graduates, organizations, preferences};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Look for other schools' graduates that may be the same person as each of `graduate_ids`.
pub async fn scan(tx: &mut Tx, graduate_ids: &[i64]) -> AppResult<()> {
    for id in graduate_ids {
        duplicates::scan_one(tx, *id).await?;
    }
    Ok(())
}

/// The same for a school's whole roster, after an import.
pub async fn scan_school(tx: &mut Tx, organization_id: i64) -> AppResult<()> {
    duplicates::scan_school(tx, organization_id).await?;
    Ok(())
}

/// A graduate is being erased (not merged): its open and dismissed pairs, and the merges it
/// had absorbed, go with it.
pub async fn forget(tx: &mut Tx, graduate_id: i64) -> AppResult<()> {
    duplicates::forget(tx, graduate_id, None).await?;
    Ok(())
}

/// A possible duplicate as coordinators see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DuplicatePair {
    pub id: i64,
    pub reason: DuplicateReason,
    pub status: DuplicateStatus,
    pub found_at: DateTime<Utc>,
    /// When it was merged or dismissed.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The coordinator (user id) who merged or dismissed it.
    pub resolved_by: Option<i64>,
    /// Once merged: the graduate kept. The other was erased.
    pub kept_id: Option<i64>,
    /// The two graduates, lower id first.
    pub graduates: Vec<PairMember>,
}

/// One graduate of a pair.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PairMember {
    pub id: i64,
    /// The school's name; null once the record is erased.
    pub school_name: Option<String>,
    /// The record as coordinators see it (the ID number masked); null once erased (the
    /// record a merge went out of).
    pub graduate: Option<Graduate>,
}

impl DuplicatePair {
    /// The member with this id.
    pub fn member(&self, id: i64) -> Option<&PairMember> {
        self.graduates.iter().find(|m| m.id == id)
    }
}

/// The pair as answered: both records read now (masked), with their schools' names.
async fn view(db: &mut impl Access, pair: Pair, schools: &mut HashMap<i64, String>) -> AppResult<DuplicatePair> {
    let mut members = Vec::with_capacity(2);
    for id in [pair.graduate_id, pair.other_id] {
        // A merged-away record is gone; its id may even be taken again (SQLite reuses the
        // highest), so only the kept side of a merged pair is read.
        let readable = pair.status != DuplicateStatus::Merged || pair.kept_id == Some(id);
        let graduate = if readable { graduates::get(db, id).await? } else { None };
        let school_name = match &graduate {
            Some(g) => Some(school_name(db, g.organization_id, schools).await?),
            None => None,
        };
        members.push(PairMember { id, school_name, graduate: graduate.map(Graduate::with_id_number_masked) });
    }
    Ok(DuplicatePair {
        id: pair.id,
        reason: pair.reason,
        status: pair.status,
        found_at: pair.found_at,
        resolved_at: pair.resolved_at,
        resolved_by: pair.resolved_by,
        kept_id: pair.kept_id,
        graduates: members,
    })
}

async fn school_name(db: &mut impl Access, id: i64, schools: &mut HashMap<i64, String>) -> AppResult<String> {
    if let Some(name) = schools.get(&id) {
        return Ok(name.clone());
    }
    let name = organizations::get(db, id).await?.map(|o| o.fields.name).unwrap_or_default();
    schools.insert(id, name.clone());
    Ok(name)
}

/// The pairs in `status` (coordinators only).
pub async fn list(
    db: &Db,
    actor: &Actor,
    status: DuplicateStatus,
    page: PageRequest,
) -> AppResult<Page<DuplicatePair>> {
    require_coordinator(actor)?;
    let mut conn = db.read().await?;
    let (pairs, total) = duplicates::list(&mut conn, status, page).await?;
    let mut schools = HashMap::new();
    let mut items = Vec::with_capacity(pairs.len());
    for pair in pairs {
        items.push(view(&mut conn, pair, &mut schools).await?);
    }
    Ok(Page::new(items, total, page))
}

/// How many pairs are open, merged and dismissed (coordinators only).
pub async fn counts(db: &Db, actor: &Actor) -> AppResult<Vec<(DuplicateStatus, i64)>> {
    require_coordinator(actor)?;
    let stored = duplicates::counts(&mut db.read().await?).await?;
    Ok(DuplicateStatus::ALL.iter().map(|s| (*s, stored.iter().find(|(t, _)| t == s).map_or(0, |(_, n)| *n))).collect())
}

/// One pair (coordinators only).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<DuplicatePair> {
    require_coordinator(actor)?;
    let mut conn = db.read().await?;
    let pair = duplicates::get(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    view(&mut conn, pair, &mut HashMap::new()).await
}

/// What merging a pair keeping one graduate does, worked out before anything is written:
/// the merge writes exactly this, and the confirmation page shows it.
#[derive(Debug, Clone)]
pub struct MergePlan {
    pub keep: Graduate,
    pub other: Graduate,
    /// The kept record's fields after the merge.
    pub fields: GraduateFields,
    /// Fields of the kept record filled from the other, by their JSON names.
    pub filled: Vec<&'static str>,
    /// The kept graduate's choices after the merge: its own, then the other's it did not
    /// have, at most [`MAX_CHOICES`].
    pub choices: Vec<i64>,
    /// Of the other's choices: how many are added, and how many did not fit.
    pub choices_added: usize,
    pub choices_dropped: usize,
    /// Each shortlist ranking the other, as it will read (the kept graduate in the better
    /// of the two places).
    pub shortlists: Vec<(i64, Vec<i64>)>,
    /// The other's consent records, which move to the kept graduate.
    pub consent_records: i64,
}

/// The kept record's empty fields filled from the other's. Fields that belong to one
/// school's roster (学号, 班级) are not carried over, nor an identity that contradicts the
/// kept record's (an ID number whose gender or birth date disagrees with it). "Seeking",
/// the default status, gives way to the other record's news (placed, withdrawn …).
pub fn filled(keep: &GraduateFields, other: &GraduateFields) -> (GraduateFields, Vec<&'static str>) {
    let mut f = keep.clone();
    let mut names = Vec::new();
    if f.id_number.is_none()
        && let Some(id) = &other.id_number
        && f.gender.is_none_or(|g| id.gender() == Some(g))
        && f.birth_date.is_none_or(|d| id.birth_date() == Some(d))
    {
        f.id_number = Some(id.clone());
        names.push("id_number");
    }
    if f.gender.is_none()
        && let Some(g) = other.gender
        && f.id_number.as_ref().is_none_or(|id| id.gender() == Some(g))
    {
        f.gender = Some(g);
        names.push("gender");
    }
    if f.birth_date.is_none()
        && let Some(d) = other.birth_date
        && f.id_number.as_ref().is_none_or(|id| id.birth_date() == Some(d))
    {
        f.birth_date = Some(d);
        names.push("birth_date");
    }
    macro_rules! fill {
        ($($field:ident),+) => {$(
            if f.$field.is_none() && other.$field.is_some() {
                f.$field = other.$field.clone();
                names.push(stringify!($field));
            }
        )+};
    }
    fill!(email, phone, expected_salary, available_from, summary);
    macro_rules! fill_list {
        ($($field:ident),+) => {$(
            if f.$field.0.is_empty() && !other.$field.0.is_empty() {
                f.$field = other.$field.clone();
                names.push(stringify!($field));
            }
        )+};
    }
    fill_list!(skills, certificates, preferred_locations);
    if f.status == GraduateStatus::Seeking && other.status != GraduateStatus::Seeking {
        f.status = other.status;
        names.push("status");
    }
    (f, names)
}

/// `keep`'s choices, then `other`'s that `keep` does not have, at most [`MAX_CHOICES`];
/// with how many of `other`'s were added and how many did not fit.
pub fn combined_choices(keep: &[i64], other: &[i64]) -> (Vec<i64>, usize, usize) {
    let mut choices = keep.to_vec();
    let (mut added, mut dropped) = (0, 0);
    for posting in other {
        if choices.contains(posting) {
            continue;
        }
        if choices.len() < MAX_CHOICES {
            choices.push(*posting);
            added += 1;
        } else {
            dropped += 1;
        }
    }
    (choices, added, dropped)
}

/// A shortlist ranking `other`, with `keep` in the better of the two places and `other`
/// gone.
pub fn shortlist_with(list: &[i64], keep: i64, other: i64) -> Vec<i64> {
    let mut list = list.to_vec();
    let Some(at_other) = list.iter().position(|g| *g == other) else { return list };
    match list.iter().position(|g| *g == keep) {
        None => list[at_other] = keep,
        Some(at_keep) if at_other < at_keep => {
            list[at_other] = keep;
            list.remove(at_keep);
        }
        Some(_) => {
            list.remove(at_other);
        }
    }
    list
}

/// The open pair `id` and the graduate kept and merged away, or why not: 404 for no pair,
/// 409 for a pair already merged or dismissed, 422 naming `keep` for a graduate not in it.
async fn open_pair(db: &mut impl Access, id: i64, keep: i64) -> AppResult<(Pair, i64)> {
    let pair = duplicates::get(db, id).await?.ok_or(AppError::NotFound)?;
    if pair.status != DuplicateStatus::Open {
        return Err(already_resolved());
    }
    let other = if keep == pair.graduate_id {
        pair.other_id
    } else if keep == pair.other_id {
        pair.graduate_id
    } else {
        return Err(AppError::field("keep", "must be one of the pair's two graduates / 须为该组中的一名毕业生"));
    };
    Ok((pair, other))
}

fn already_resolved() -> AppError {
    AppError::Conflict(
        "This pair was already merged or dismissed. / 该组疑似重复记录已处理（已合并或已标记为不是同一人）。".into(),
    )
}

async fn plan(db: &mut impl Access, keep_id: i64, other_id: i64) -> AppResult<MergePlan> {
    // Both exist while their pair is open (erasing one removes its open pairs).
    let missing = || AppError::Internal(anyhow::anyhow!("a graduate of an open duplicate pair is missing"));
    let keep = graduates::get(db, keep_id).await?.ok_or_else(missing)?;
    let other = graduates::get(db, other_id).await?.ok_or_else(missing)?;
    let (fields, filled) = filled(&keep.fields, &other.fields);
    let own = preferences::choices_of(db, keep_id).await?;
    let theirs = preferences::choices_of(db, other_id).await?;
    let (choices, choices_added, choices_dropped) = combined_choices(&own, &theirs);
    let mut shortlists = Vec::new();
    for posting in duplicates::shortlisted_on(db, other_id).await? {
        let list = preferences::shortlist_of(db, posting, false).await?;
        shortlists.push((posting, shortlist_with(&list, keep_id, other_id)));
    }
    let consent_records = duplicates::consent_records(db, other_id).await?;
    Ok(MergePlan { keep, other, fields, filled, choices, choices_added, choices_dropped, shortlists, consent_records })
}

/// What merging pair `id` keeping `keep` would do, without doing it (coordinators only).
pub async fn preview(db: &Db, actor: &Actor, id: i64, merge: MergeDuplicate) -> AppResult<(DuplicatePair, MergePlan)> {
    require_coordinator(actor)?;
    let mut conn = db.read().await?;
    let (pair, other) = open_pair(&mut conn, id, merge.keep).await?;
    let plan = plan(&mut conn, merge.keep, other).await?;
    let pair = view(&mut conn, pair, &mut HashMap::new()).await?;
    Ok((pair, plan))
}

/// Merge pair `id` into `keep` (coordinators only), in one transaction: the other's choices
/// are appended to the kept graduate's, its shortlist places taken by the kept graduate
/// (the better rank where both were listed), its consent records moved (the latest record
/// of the combined history is the kept graduate's answer), the kept record's empty fields
/// filled from it; then it is erased through the change log. Audited for the pair and for
/// each graduate's school.
pub async fn merge(db: &Db, actor: &Actor, id: i64, merge: MergeDuplicate) -> AppResult<DuplicatePair> {
    require_coordinator(actor)?;
    let keep = merge.keep;
    let mut tx = db.begin().await?;
    let (pair, other) = open_pair(&mut tx, id, keep).await?;
    // Two merges touching one graduate at once run one after the other; the second then
    // finds its pair gone or closed.
    if duplicates::lock_graduates(&mut tx, keep, other).await? < 2
        || !duplicates::resolve(&mut tx, pair.id, DuplicateStatus::Merged, Some(keep), actor.user_id).await?
    {
        return Err(already_resolved());
    }
    let plan = plan(&mut tx, keep, other).await?;

    preferences::replace_choices(&mut tx, keep, &plan.choices).await?;
    for (posting, list) in &plan.shortlists {
        preferences::replace_shortlist(&mut tx, *posting, list).await?;
    }
    duplicates::move_consent_records(&mut tx, other, keep).await?;
    let mut fields = plan.fields;
    if let Some(given) = duplicates::latest_consent(&mut tx, keep).await? {
        fields.consent = given;
    }
    graduates::update(&mut tx, keep, &fields).await?.ok_or(AppError::NotFound)?;

    duplicates::forget(&mut tx, other, Some(keep)).await?;
    graduates::delete(&mut tx, other).await?;

    let user = Some(actor.user_id);
    audit::record(&mut tx, user, None, "merge", "graduate_duplicate", Some(id)).await?;
    audit::record(&mut tx, user, Some(plan.keep.organization_id), "merge_keep", "graduate", Some(keep)).await?;
    audit::record(&mut tx, user, Some(plan.other.organization_id), "merge_erase", "graduate", Some(other)).await?;
    // The kept record may now match others (an ID number or phone it took over).
    duplicates::scan_one(&mut tx, keep).await?;
    let merged = duplicates::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let answer = view(&mut tx, merged, &mut HashMap::new()).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Mark pair `id` as two different people (coordinators only); it is not listed as open
/// again, however often the two are written.
pub async fn dismiss(db: &Db, actor: &Actor, id: i64) -> AppResult<DuplicatePair> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    let pair = duplicates::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !duplicates::resolve(&mut tx, id, DuplicateStatus::Dismissed, None, actor.user_id).await? {
        return Err(already_resolved());
    }
    audit::record(&mut tx, Some(actor.user_id), None, "dismiss", "graduate_duplicate", Some(id)).await?;
    let dismissed = duplicates::get(&mut tx, pair.id).await?.ok_or(AppError::NotFound)?;
    let answer = view(&mut tx, dismissed, &mut HashMap::new()).await?;
    tx.commit().await?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Education, Email, Gender, IdNumber, Phone};
    use chrono::NaiveDate;
    use sqlx::types::Json;

    fn fields(name: &str) -> GraduateFields {
        GraduateFields::new(name.into(), "机电一体化".into(), Education::Associate, 2026)
    }

    #[test]
    fn empty_fields_are_filled_and_roster_fields_are_not() {
        let mut keep = fields("李明");
        keep.student_no = Some("A001".into());
        keep.phone = Some(Phone::parse("13800138000").unwrap());
        let mut other = fields("李明");
        other.student_no = Some("B777".into());
        other.class_name = Some("机电2301".into());
        other.phone = Some(Phone::parse("13900139000").unwrap());
        other.email = Some(Email::parse("li@example.cn").unwrap());
        other.skills = Json(vec!["PLC".into()]);
        other.status = GraduateStatus::Placed;
        let (merged, names) = filled(&keep, &other);
        assert_eq!(merged.student_no.as_deref(), Some("A001"));
        assert_eq!(merged.class_name, None, "the other school's class is not ours");
        assert_eq!(merged.phone, keep.phone, "a field the kept record has stays");
        assert_eq!(merged.email, other.email);
        assert_eq!(merged.skills.0, vec!["PLC".to_string()]);
        assert_eq!(merged.status, GraduateStatus::Placed);
        assert_eq!(names, vec!["email", "skills", "status"]);
    }

    #[test]
    fn an_identity_that_contradicts_the_kept_record_is_not_taken() {
        // GB 11643's example: a woman born 1949-12-31.
        let id = IdNumber::parse("11010519491231002X").unwrap();
        let mut other = fields("李明");
        other.id_number = Some(id.clone());
        other.gender = Some(Gender::Female);
        other.birth_date = NaiveDate::from_ymd_opt(1949, 12, 31);

        let mut keep = fields("李明");
        keep.gender = Some(Gender::Male);
        let (merged, names) = filled(&keep, &other);
        assert_eq!((merged.id_number, merged.gender), (None, Some(Gender::Male)));
        assert_eq!(names, vec!["birth_date"]);

        let (merged, names) = filled(&fields("李明"), &other);
        assert_eq!(merged.id_number.as_ref().and_then(IdNumber::reveal), Some("11010519491231002X"));
        assert_eq!(names, vec!["id_number", "gender", "birth_date"]);
    }

    #[test]
    fn choices_are_appended_without_repeats_up_to_the_limit() {
        assert_eq!(combined_choices(&[3, 1], &[1, 7, 3, 9]), (vec![3, 1, 7, 9], 2, 0));
        let full: Vec<i64> = (1..=29).collect();
        let (choices, added, dropped) = combined_choices(&full, &[100, 101, 5]);
        assert_eq!((choices.len(), added, dropped), (MAX_CHOICES, 1, 1));
        assert_eq!(choices.last(), Some(&100));
    }

    #[test]
    fn a_shortlist_keeps_the_better_place() {
        // Only the other listed: the kept graduate takes its place.
        assert_eq!(shortlist_with(&[5, 9, 6], 1, 9), vec![5, 1, 6]);
        // Both listed, the other higher: the kept graduate moves up to it.
        assert_eq!(shortlist_with(&[9, 5, 1, 6], 1, 9), vec![1, 5, 6]);
        // Both listed, the kept graduate higher: the other just goes.
        assert_eq!(shortlist_with(&[1, 5, 9, 6], 1, 9), vec![1, 5, 6]);
        // Neither moved when the other is not listed.
        assert_eq!(shortlist_with(&[1, 5], 1, 9), vec![1, 5]);
    }
}
