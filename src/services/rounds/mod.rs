//! Matching rounds ("two-way selection"): coordinators create, run and publish them;
//! once published, each company and school reads its own rows.

mod explain;
mod export;
mod graduate;
mod job;
mod load;
mod outcome;
mod prepare;
mod relevance;
mod results;
mod save;
mod supplement;

pub use graduate::{EntryOutcome, GraduateResult, LeftOut, ListEntry, graduate};
pub use job::sweep_stale;
pub use results::{AssignmentView, Explanation, PostingResultView, of_graduate};

use super::{Actor, require_coordinator};
use crate::domain::offer::{PublishRound, default_due};
use crate::domain::round::{NewRound, PublishedRound, Round, RoundSettings};
use crate::domain::{Role, RoundStatus};
use crate::error::{AppError, AppResult};
use crate::store::{Db, Page, PageRequest, audit, rounds as store};
use chrono::{DateTime, Utc};

/// Every id a scope names must exist (and schools must be schools); the error names the
/// position.
async fn check_scope(db: &Db, settings: &RoundSettings) -> AppResult<()> {
    let scope = &settings.scope;
    let mut conn = db.read().await?;
    let mut errors = crate::domain::FieldErrors::default();
    let named = [
        ("posting_ids", &scope.posting_ids, store::Known::Postings, "posting"),
        ("project_ids", &scope.project_ids, store::Known::Projects, "project"),
        ("school_ids", &scope.school_ids, store::Known::Schools, "school"),
        ("graduate_ids", &scope.graduate_ids, store::Known::Graduates, "graduate"),
    ];
    for (field, ids, kind, what) in named {
        let Some(ids) = ids else { continue };
        let known = store::ids(&mut conn, kind).await?;
        if let Some((at, id)) = ids.iter().enumerate().find(|(_, id)| !known.contains(id)) {
            errors.push(format!("scope.{field}[{at}]"), format!("no such {what}: {id} / 编号 {id} 不存在"));
        }
    }
    if let Some(event) = scope.event_id
        && crate::store::events::get(&mut conn, event).await?.is_none()
    {
        errors.push("scope.event_id", format!("no such event: {event} / 活动不存在"));
    }
    if let Some(previous) = scope.exclude_matched_in_round {
        match store::get(&mut conn, previous).await? {
            Some(r) if matches!(r.status, RoundStatus::Done | RoundStatus::Published) => {}
            Some(_) => errors.push(
                "scope.exclude_matched_in_round",
                format!("round {previous} has no results yet / 该轮次尚无结果"),
            ),
            None => errors.push("scope.exclude_matched_in_round", format!("no such round: {previous} / 轮次不存在")),
        }
    }
    errors.into_result(()).map_err(AppError::Validation)
}

pub async fn create(db: &Db, actor: &Actor, new: NewRound) -> AppResult<Round> {
    require_coordinator(actor)?;
    let settings = new.into_settings(|| (rand::random::<u64>() >> 1) as i64);
    check_scope(db, &settings).await?;
    let mut tx = db.begin().await?;
    let round = store::insert(&mut tx, &settings, actor.user_id).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "create", "round", Some(round.id)).await?;
    tx.commit().await?;
    Ok(round)
}

/// A round as its reader may see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum RoundView {
    Full(Box<Round>),
    Published(PublishedRound),
}

/// Coordinators see every round; companies and schools see published rounds only, without
/// settings or statistics across tenants.
async fn readable(db: &Db, actor: &Actor, id: i64) -> AppResult<Round> {
    let round = store::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if actor.is_coordinator() || round.status == RoundStatus::Published { Ok(round) } else { Err(AppError::NotFound) }
}

fn view(actor: &Actor, round: Round) -> RoundView {
    if actor.is_coordinator() { RoundView::Full(Box::new(round)) } else { RoundView::Published(round.into()) }
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<RoundView> {
    Ok(view(actor, readable(db, actor, id).await?))
}

pub async fn list(db: &Db, actor: &Actor, page: PageRequest) -> AppResult<Page<RoundView>> {
    let (rounds, total) = store::list(&mut db.read().await?, !actor.is_coordinator(), page).await?;
    Ok(Page::new(rounds.into_iter().map(|r| view(actor, r)).collect(), total, page))
}

/// Start a run in the background. A draft, failed or done round may run (a done one runs
/// again from scratch: same data and seed give the same result); a running or published
/// one may not. Its results are saved `save_rows` rows per transaction.
pub async fn run(db: &Db, actor: &Actor, id: i64, save_rows: usize) -> AppResult<Round> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    let round = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let stale_before = chrono::Utc::now() - job::STALE_AFTER;
    let Some(token) = store::claim(&mut tx, id, stale_before).await? else {
        return Err(AppError::Conflict(format!(
            "round {id} is {} and cannot run now / 该轮次当前状态为{}，不能运行",
            round.status,
            round.status.label_zh()
        )));
    };
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "run", "round", Some(id)).await?;
    let round = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    tokio::spawn(job::run(db.clone(), id, token, round.settings.clone(), save_rows));
    Ok(round)
}

/// Publish a done round: tenants can read their rows, each placement becomes an offer due
/// at `offers_due` (default: a week later, 23:59 Beijing time; it must be after `now`), and
/// each school and company taking part gets a result notice (all in one transaction).
pub async fn publish(
    db: &Db,
    links: &super::notices::Links,
    actor: &Actor,
    id: i64,
    request: PublishRound,
    now: DateTime<Utc>,
) -> AppResult<Round> {
    require_coordinator(actor)?;
    let due_at = request.offers_due.unwrap_or_else(|| default_due(now));
    if due_at <= now {
        return Err(AppError::field("offers_due", "must be in the future / 答复截止时间须晚于现在"));
    }
    let mut tx = db.begin().await?;
    let round = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !store::publish(&mut tx, id).await? {
        return Err(AppError::Conflict(format!(
            "only a done round can be published; round {id} is {} / 只有已完成的轮次可以发布",
            round.status
        )));
    }
    super::notices::queue_round_results(&mut tx, links, id, &round.settings.name).await?;
    super::offers::create_for_round(&mut tx, links, id, &round.settings.name, due_at, now).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "publish", "round", Some(id)).await?;
    let round = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(round)
}

/// Whose rows a reader sees: coordinators all (optionally filtered), companies the
/// graduates placed with them, schools their own graduates.
fn row_filter(actor: &Actor, requested: store::RowFilter) -> store::RowFilter {
    match actor.role {
        Role::Coordinator => requested,
        Role::Company => store::RowFilter { company_id: Some(actor.organization_id), school_id: None, ..requested },
        Role::School => store::RowFilter { school_id: Some(actor.organization_id), company_id: None, ..requested },
    }
}

/// Results exist once a round is done; tenants read them once it is published.
async fn with_results(db: &Db, actor: &Actor, id: i64) -> AppResult<Round> {
    let round = readable(db, actor, id).await?;
    if matches!(round.status, RoundStatus::Done | RoundStatus::Published) {
        Ok(round)
    } else {
        Err(AppError::Conflict(format!("round {id} has no results yet ({}) / 该轮次尚无结果", round.status)))
    }
}

pub async fn assignments(
    db: &Db,
    actor: &Actor,
    id: i64,
    requested: store::RowFilter,
    page: PageRequest,
) -> AppResult<Page<AssignmentView>> {
    with_results(db, actor, id).await?;
    results::assignments(db, id, row_filter(actor, requested), actor.role, page).await
}

pub async fn postings(db: &Db, actor: &Actor, id: i64, page: PageRequest) -> AppResult<Page<PostingResultView>> {
    with_results(db, actor, id).await?;
    if actor.role == Role::School {
        return Err(AppError::Forbidden);
    }
    results::postings(db, id, row_filter(actor, store::RowFilter::default()).company_id, page).await
}

/// The instance the solver used, in the `xiaoqi match solve` format. Tenants get their
/// own part: a school its graduates' lists, a company its postings' lists and capacities.
pub async fn inputs(db: &Db, actor: &Actor, id: i64) -> AppResult<String> {
    let round = with_results(db, actor, id).await?;
    let own = row_filter(actor, store::RowFilter::default());
    results::instance_json(db, &round, own.school_id, own.company_id).await
}

pub async fn export(db: &Db, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
    let round = with_results(db, actor, id).await?;
    export::workbook(db, &round, row_filter(actor, store::RowFilter::default()), actor.role).await
}

/// How many of a round's offers stand in each status (coordinators).
pub async fn offer_counts(db: &Db, actor: &Actor, id: i64) -> AppResult<Vec<(String, i64)>> {
    require_coordinator(actor)?;
    Ok(store::offer_counts(&mut db.read().await?, id).await?)
}

/// How many placed graduates got their 1st, 2nd … preference, as (rank, count) by rank
/// (coordinators; the round must have results).
pub async fn matched_ranks(db: &Db, actor: &Actor, id: i64) -> AppResult<Vec<(i64, i64)>> {
    require_coordinator(actor)?;
    with_results(db, actor, id).await?;
    Ok(store::matched_ranks(&mut db.read().await?, id).await?)
}
