//! Offers, their history, and the counts rounds and pages read of them.

use super::columns::Sql;
use super::{Access, PageRequest, Result, on_backend};
use crate::domain::offer::{Offer, OfferEvent};
use crate::domain::{OfferAnswer, OfferStatus};
use chrono::{DateTime, Utc};

/// An offer with the names of its graduate, school, posting and company; then `filter`.
fn select(filter: &str) -> std::sync::Arc<str> {
    format!(
        "SELECT o.id, o.round_id, o.graduate_id, g.name AS graduate_name, o.school_id, \
         COALESCE(s.name, '') AS school_name, o.posting_id, COALESCE(p.title, '') AS posting_title, o.company_id, \
         COALESCE(c.name, '') AS company_name, o.project_id, o.status, o.company_answer, o.company_reason, \
         o.company_answered_at, o.graduate_answer, o.graduate_reason, o.graduate_answered_by, \
         o.graduate_answered_at, o.due_at, o.decided_at, o.created_at \
         FROM offers o JOIN graduates g ON g.id = o.graduate_id LEFT JOIN organizations s ON s.id = o.school_id \
         LEFT JOIN postings p ON p.id = o.posting_id LEFT JOIN organizations c ON c.id = o.company_id {filter}"
    )
    .into()
}

static GET: Sql = Sql::new(|| select("WHERE o.id = $1"));
static LIST: Sql = Sql::new(|| {
    select(&format!(
        "{WHERE} ORDER BY CASE WHEN o.status = 'pending' THEN 0 ELSE 1 END, \
         CASE WHEN o.status = 'pending' THEN o.due_at END, o.id DESC LIMIT $7 OFFSET $8"
    ))
});
static COUNT: Sql = Sql::new(|| format!("SELECT COUNT(*) FROM offers o {WHERE}").into());
static OF_GRADUATE: Sql = Sql::new(|| select("WHERE o.graduate_id = $1 ORDER BY o.id DESC LIMIT 20"));

/// Turn a published round's placements into pending offers due at `due_at`: one per placed
/// graduate still seeking work (a graduate placed or matched elsewhere meanwhile gets
/// none). Returns the new offers' (id, graduate id).
pub async fn create_for_round(
    db: &mut impl Access,
    round_id: i64,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>> {
    let created: Vec<(i64, i64)> = on_backend!(db, |e| sqlx::query_as(
        "INSERT INTO offers (round_id, graduate_id, posting_id, company_id, school_id, project_id, status, due_at, \
         created_at) \
         SELECT rg.round_id, rg.graduate_id, rg.posting_id, p.organization_id, g.organization_id, p.project_id, \
         'pending', $2, $3 FROM round_graduates rg JOIN graduates g ON g.id = rg.graduate_id \
         JOIN postings p ON p.id = rg.posting_id \
         WHERE rg.round_id = $1 AND rg.posting_id IS NOT NULL AND g.status = 'seeking' \
         ORDER BY rg.graduate_id RETURNING id, graduate_id"
    )
    .bind(round_id)
    .bind(due_at)
    .bind(now)
    .fetch_all(e)
    .await)?;
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO offer_history (offer_id, at, side, action) \
         SELECT id, $2, 'system', 'created' FROM offers WHERE round_id = $1"
    )
    .bind(round_id)
    .bind(now)
    .execute(e)
    .await
    .map(|_| ()))?;
    Ok(created)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Offer>> {
    on_backend!(db, |e| sqlx::query_as(GET.get()).bind(id).fetch_optional(e).await)
}

/// Which offers a list shows; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub company_id: Option<i64>,
    pub school_id: Option<i64>,
    pub round_id: Option<i64>,
    pub status: Option<OfferStatus>,
    pub posting_id: Option<i64>,
    pub graduate_id: Option<i64>,
}

const WHERE: &str = "WHERE ($1 IS NULL OR o.company_id = $1) AND ($2 IS NULL OR o.school_id = $2) \
    AND ($3 IS NULL OR o.round_id = $3) AND ($4 IS NULL OR o.status = $4) AND ($5 IS NULL OR o.posting_id = $5) \
    AND ($6 IS NULL OR o.graduate_id = $6)";

/// Offers under `filter`, the soonest due first among pending ones, then newest; with the
/// total over all pages.
pub async fn list(db: &mut impl Access, filter: &Filter, page: PageRequest) -> Result<(Vec<Offer>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(LIST.get())
        .bind(filter.company_id)
        .bind(filter.school_id)
        .bind(filter.round_id)
        .bind(filter.status)
        .bind(filter.posting_id)
        .bind(filter.graduate_id)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(COUNT.get())
        .bind(filter.company_id)
        .bind(filter.school_id)
        .bind(filter.round_id)
        .bind(filter.status)
        .bind(filter.posting_id)
        .bind(filter.graduate_id)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}

pub async fn history(db: &mut impl Access, offer_id: i64) -> Result<Vec<OfferEvent>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT at, side, action, reason FROM offer_history WHERE offer_id = $1 ORDER BY id"
    )
    .bind(offer_id)
    .fetch_all(e)
    .await)
}

pub async fn add_history(
    db: &mut impl Access,
    offer_id: i64,
    at: DateTime<Utc>,
    side: &str,
    action: &str,
    reason: Option<&str>,
    user_id: Option<i64>,
) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO offer_history (offer_id, at, side, action, reason, user_id) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(offer_id)
    .bind(at)
    .bind(side)
    .bind(action)
    .bind(reason)
    .bind(user_id)
    .execute(e)
    .await
    .map(|_| ()))
}

/// Record the company's answer if the offer is still pending, not yet due and not yet
/// answered by the company; whether it was recorded. The update locks the row, so two
/// sides answering at once are decided one after the other.
pub async fn answer_for_company(
    db: &mut impl Access,
    id: i64,
    answer: OfferAnswer,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE offers SET company_answer = $2, company_reason = $3, company_answered_at = $4 \
         WHERE id = $1 AND status = 'pending' AND due_at >= $4 AND company_answer IS NULL"
    )
    .bind(id)
    .bind(answer)
    .bind(reason)
    .bind(now)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// [`answer_for_company`] for the graduate's side; `by` is who answered.
pub async fn answer_for_graduate(
    db: &mut impl Access,
    id: i64,
    answer: OfferAnswer,
    reason: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE offers SET graduate_answer = $2, graduate_reason = $3, graduate_answered_by = $4, \
         graduate_answered_at = $5 WHERE id = $1 AND status = 'pending' AND due_at >= $5 AND graduate_answer IS NULL"
    )
    .bind(id)
    .bind(answer)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Decide a pending offer.
pub async fn decide(db: &mut impl Access, id: i64, status: OfferStatus, now: DateTime<Utc>) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE offers SET status = $2, decided_at = $3 WHERE id = $1 AND status = 'pending'"
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(e)
    .await
    .map(|_| ()))
}

/// Pending offers due before `now` become expired; returns their ids.
pub async fn expire_due(db: &mut impl Access, now: DateTime<Utc>) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "UPDATE offers SET status = 'expired', decided_at = $1 WHERE status = 'pending' AND due_at < $1 RETURNING id"
    )
    .bind(now)
    .fetch_all(e)
    .await)
}

/// Pending offers per posting (seats they hold until answered).
pub async fn pending_by_posting(db: &mut impl Access) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT posting_id, COUNT(*) FROM offers WHERE status = 'pending' GROUP BY posting_id"
    )
    .fetch_all(e)
    .await)
}

/// Seats already filled per posting (accepted offers), for postings with any.
pub async fn filled_by_posting(db: &mut impl Access) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as("SELECT id, filled FROM postings WHERE filled > 0").fetch_all(e).await)
}

/// How many pending offers wait for `side`'s answer: the company's (`company_id`) or the
/// graduate side's of a school (`school_id`).
pub async fn waiting(db: &mut impl Access, company_id: Option<i64>, school_id: Option<i64>) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM offers WHERE status = 'pending' \
         AND (($1 IS NOT NULL AND company_id = $1 AND company_answer IS NULL) \
           OR ($2 IS NOT NULL AND school_id = $2 AND graduate_answer IS NULL))"
    )
    .bind(company_id)
    .bind(school_id)
    .fetch_one(e)
    .await)
}

/// The graduate's offers, newest first (for their personal page).
pub async fn of_graduate(db: &mut impl Access, graduate_id: i64) -> Result<Vec<Offer>> {
    on_backend!(db, |e| sqlx::query_as(OF_GRADUATE.get()).bind(graduate_id).fetch_all(e).await)
}

/// A graduate's status moves from `from` to `to`.
pub async fn set_graduate_status(
    db: &mut impl Access,
    graduate_id: i64,
    from: &[&str],
    to: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    // At most three statuses are named; unused placeholders repeat the first.
    let at = |i: usize| from.get(i).or(from.first()).copied().unwrap_or("");
    on_backend!(db, |e| sqlx::query(
        "UPDATE graduates SET status = $2, updated_at = $3 WHERE id = $1 AND status IN ($4, $5, $6)"
    )
    .bind(graduate_id)
    .bind(to)
    .bind(now)
    .bind(at(0))
    .bind(at(1))
    .bind(at(2))
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// One more seat of a posting filled; the posting becomes `filled` once it reaches its
/// headcount. Returns whether its status changed.
pub async fn fill_seat(db: &mut impl Access, posting_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let status: Option<String> = on_backend!(db, |e| sqlx::query_scalar(
        "UPDATE postings SET filled = filled + 1, \
         status = CASE WHEN status = 'open' AND filled + 1 >= headcount THEN 'filled' ELSE status END, \
         updated_at = $2 WHERE id = $1 RETURNING status"
    )
    .bind(posting_id)
    .bind(now)
    .fetch_optional(e)
    .await)?;
    Ok(status.as_deref() == Some("filled"))
}
