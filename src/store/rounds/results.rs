//! A round's result rows: per graduate and per posting, the preferences the round used
//! (its inputs) and the outcome with its explanation. A run writes them in short
//! transactions (see `services::rounds`), so other writers get the database in between,
//! while the round is still `running`; the final flip to `done` is what makes them
//! results. So every reader here reads rows of finished rounds only ([`finished!`]): rows
//! of a run in progress, or left half-written by a run that died, are never read, and the
//! next run clears them first.

use crate::store::bulk::{MAX_BINDS, backend_of, builder};
use crate::store::{Access, Exec, PageRequest, Result, Tx, on_backend};
use sqlx::types::Json;

/// The condition, on a result table aliased `r`, that its round has finished (`done` or
/// `published`): what makes a round's rows readable.
macro_rules! finished {
    () => {
        " EXISTS (SELECT 1 FROM rounds rd WHERE rd.id = r.round_id AND rd.status IN ('done', 'published')) "
    };
}

/// Remove up to `limit` rows of a previous run's results (a round runs again from
/// scratch), graduates' first; returns how many went, 0 once none are left. Bounded, so a
/// large round's old rows are cleared in several short transactions.
pub async fn clear_results(db: &mut impl Access, id: i64, limit: i64) -> Result<u64> {
    let graduates = on_backend!(db, |e| sqlx::query(
        "DELETE FROM round_graduates WHERE round_id = $1 AND graduate_id IN \
         (SELECT graduate_id FROM round_graduates WHERE round_id = $1 LIMIT $2)"
    )
    .bind(id)
    .bind(limit)
    .execute(e)
    .await
    .map(|r| r.rows_affected()))?;
    if graduates > 0 {
        return Ok(graduates);
    }
    on_backend!(db, |e| sqlx::query(
        "DELETE FROM round_postings WHERE round_id = $1 AND posting_id IN \
         (SELECT posting_id FROM round_postings WHERE round_id = $1 LIMIT $2)"
    )
    .bind(id)
    .bind(limit)
    .execute(e)
    .await
    .map(|r| r.rows_affected()))
}

/// One graduate of a round's instance and its outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateRow {
    pub graduate_id: i64,
    pub school_id: i64,
    /// Ranked posting ids, JSON.
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub posting_id: Option<i64>,
    pub company_id: Option<i64>,
    /// 1-based rank the graduate gave its posting.
    pub graduate_rank: Option<i64>,
    /// 1-based rank the posting gave the graduate.
    pub posting_rank: Option<i64>,
    pub score: Option<Json<serde_json::Value>>,
    pub explanation: Json<serde_json::Value>,
}

/// One posting of a round's instance and its outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingRow {
    pub posting_id: i64,
    pub company_id: i64,
    pub project_id: Option<i64>,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub capacity: i64,
    pub filled: i64,
    pub explanation: Json<serde_json::Value>,
}

const GRADUATE_BINDS: usize = 12;
const POSTING_BINDS: usize = 10;

/// Rows per `INSERT … SELECT FROM UNNEST(…)` on PostgreSQL: one array per column, so the
/// statement has a dozen parameters however many rows it carries. A multi-row `VALUES` with
/// tens of thousands of parameters spent most of a large round's save in parsing and planning.
const UNNEST_ROWS: usize = 5_000;

pub async fn insert_graduate_rows(tx: &mut Tx, round_id: i64, rows: &[GraduateRow]) -> Result<()> {
    if let Exec::Postgres(e) = tx.exec() {
        for chunk in rows.chunks(UNNEST_ROWS) {
            let column = |f: fn(&GraduateRow) -> i64| chunk.iter().map(f).collect::<Vec<i64>>();
            let optional = |f: fn(&GraduateRow) -> Option<i64>| chunk.iter().map(f).collect::<Vec<Option<i64>>>();
            sqlx::query(
                "INSERT INTO round_graduates (round_id, graduate_id, school_id, preferences, lottery, posting_id, \
                 company_id, graduate_rank, posting_rank, score, explanation) \
                 SELECT $1, * FROM UNNEST($2::bigint[], $3::bigint[], $4::jsonb[], $5::bigint[], $6::bigint[], \
                 $7::bigint[], $8::bigint[], $9::bigint[], $10::jsonb[], $11::jsonb[])",
            )
            .bind(round_id)
            .bind(column(|r| r.graduate_id))
            .bind(column(|r| r.school_id))
            .bind(chunk.iter().map(|r| r.preferences.clone()).collect::<Vec<_>>())
            .bind(column(|r| r.lottery))
            .bind(optional(|r| r.posting_id))
            .bind(optional(|r| r.company_id))
            .bind(optional(|r| r.graduate_rank))
            .bind(optional(|r| r.posting_rank))
            .bind(chunk.iter().map(|r| r.score.clone()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.explanation.clone()).collect::<Vec<_>>())
            .execute(&mut *e)
            .await?;
        }
        return Ok(());
    }
    for chunk in rows.chunks(MAX_BINDS / GRADUATE_BINDS) {
        on_backend!(tx, |e| {
            let mut qb = builder(
                backend_of(&*e),
                "INSERT INTO round_graduates (round_id, graduate_id, school_id, preferences, lottery, posting_id, \
                 company_id, graduate_rank, posting_rank, score, explanation) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(round_id)
                    .push_bind(r.graduate_id)
                    .push_bind(r.school_id)
                    .push_bind(r.preferences.clone())
                    .push_bind(r.lottery)
                    .push_bind(r.posting_id)
                    .push_bind(r.company_id)
                    .push_bind(r.graduate_rank)
                    .push_bind(r.posting_rank)
                    .push_bind(r.score.clone())
                    .push_bind(r.explanation.clone());
            });
            qb.build().execute(&mut *e).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn insert_posting_rows(tx: &mut Tx, round_id: i64, rows: &[PostingRow]) -> Result<()> {
    if let Exec::Postgres(e) = tx.exec() {
        for chunk in rows.chunks(UNNEST_ROWS) {
            let column = |f: fn(&PostingRow) -> i64| chunk.iter().map(f).collect::<Vec<i64>>();
            sqlx::query(
                "INSERT INTO round_postings (round_id, posting_id, company_id, project_id, preferences, lottery, \
                 capacity, filled, explanation) \
                 SELECT $1, * FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[], $5::jsonb[], $6::bigint[], \
                 $7::bigint[], $8::bigint[], $9::jsonb[])",
            )
            .bind(round_id)
            .bind(column(|r| r.posting_id))
            .bind(column(|r| r.company_id))
            .bind(chunk.iter().map(|r| r.project_id).collect::<Vec<Option<i64>>>())
            .bind(chunk.iter().map(|r| r.preferences.clone()).collect::<Vec<_>>())
            .bind(column(|r| r.lottery))
            .bind(column(|r| r.capacity))
            .bind(column(|r| r.filled))
            .bind(chunk.iter().map(|r| r.explanation.clone()).collect::<Vec<_>>())
            .execute(&mut *e)
            .await?;
        }
        return Ok(());
    }
    for chunk in rows.chunks(MAX_BINDS / POSTING_BINDS) {
        on_backend!(tx, |e| {
            let mut qb = builder(
                backend_of(&*e),
                "INSERT INTO round_postings (round_id, posting_id, company_id, project_id, preferences, lottery, \
                 capacity, filled, explanation) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(round_id)
                    .push_bind(r.posting_id)
                    .push_bind(r.company_id)
                    .push_bind(r.project_id)
                    .push_bind(r.preferences.clone())
                    .push_bind(r.lottery)
                    .push_bind(r.capacity)
                    .push_bind(r.filled)
                    .push_bind(r.explanation.clone());
            });
            qb.build().execute(&mut *e).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Which rows of a round a reader may see.
#[derive(Debug, Clone, Default)]
pub struct RowFilter {
    /// Only this school's graduates.
    pub school_id: Option<i64>,
    /// Only graduates placed with this company (for postings: this company's postings).
    pub company_id: Option<i64>,
    /// Only matched (`Some(true)`) or unmatched (`Some(false)`) graduates.
    pub matched: Option<bool>,
    /// Only graduates placed with this posting, then in the order its company ranked them.
    pub posting_id: Option<i64>,
    /// Only this graduate.
    pub graduate_id: Option<i64>,
    /// Only graduates whose name holds this text (ASCII case folded).
    pub name: Option<String>,
}

impl RowFilter {
    /// `name` as a `LIKE` pattern: a substring, its own `%`, `_` and `\\` taken literally.
    fn name_pattern(&self) -> Option<String> {
        let name = self.name.as_deref()?.trim();
        (!name.is_empty()).then(|| {
            let escaped = name.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{}%", escaped.to_lowercase())
        })
    }
}

/// A graduate row with the names a reader needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateRowView {
    #[sqlx(flatten)]
    pub row: GraduateRow,
    /// Null when the graduate was erased since.
    pub graduate_name: Option<String>,
    pub graduate_major: Option<String>,
    pub graduate_consent: Option<bool>,
    pub school_name: Option<String>,
    pub posting_title: Option<String>,
    pub company_name: Option<String>,
    pub project_id: Option<i64>,
}

macro_rules! graduate_rows_where {
    () => {
        concat!(
            " FROM round_graduates r \
         LEFT JOIN graduates g ON g.id = r.graduate_id \
         LEFT JOIN organizations s ON s.id = r.school_id \
         LEFT JOIN postings p ON p.id = r.posting_id \
         LEFT JOIN organizations c ON c.id = r.company_id \
         WHERE r.round_id = $1 AND ($2 IS NULL OR r.school_id = $2) AND ($3 IS NULL OR r.company_id = $3) \
         AND ($4 IS NULL OR (r.posting_id IS NOT NULL) = $4) AND ($5 IS NULL OR r.posting_id = $5) \
         AND ($6 IS NULL OR lower(g.name) LIKE $6 ESCAPE '\\') AND ($7 IS NULL OR r.graduate_id = $7) AND",
            finished!()
        )
    };
}

/// Graduate rows in graduate id order; one posting's in its ranking's order (unranked
/// last), then by id.
pub async fn graduate_rows(
    db: &mut impl Access,
    round_id: i64,
    filter: RowFilter,
    page: PageRequest,
) -> Result<(Vec<GraduateRowView>, i64)> {
    let pattern = filter.name_pattern();
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT r.graduate_id, r.school_id, r.preferences, r.lottery, r.posting_id, r.company_id, r.graduate_rank, \
         r.posting_rank, r.score, r.explanation, g.name AS graduate_name, g.major AS graduate_major, \
         g.consent AS graduate_consent, \
         s.name AS school_name, p.title AS posting_title, c.name AS company_name, p.project_id AS project_id",
        graduate_rows_where!(),
        " ORDER BY CASE WHEN $5 IS NULL THEN 0 ELSE COALESCE(r.posting_rank, 2147483647) END, r.graduate_id \
         LIMIT $8 OFFSET $9"
    ))
    .bind(round_id)
    .bind(filter.school_id)
    .bind(filter.company_id)
    .bind(filter.matched)
    .bind(filter.posting_id)
    .bind(pattern.as_deref())
    .bind(filter.graduate_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", graduate_rows_where!()))
        .bind(round_id)
        .bind(filter.school_id)
        .bind(filter.company_id)
        .bind(filter.matched)
        .bind(filter.posting_id)
        .bind(pattern.as_deref())
        .bind(filter.graduate_id)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

/// A graduate's row in a published round, with the round's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnRowView {
    #[sqlx(flatten)]
    pub view: GraduateRowView,
    pub round_id: i64,
    pub round_name: String,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One graduate's rows in published rounds, the latest round first (what the graduate's
/// own page shows and their data download holds).
pub async fn published_rows_of(db: &mut impl Access, graduate_id: i64) -> Result<Vec<OwnRowView>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT r.graduate_id, r.school_id, r.preferences, r.lottery, r.posting_id, r.company_id, r.graduate_rank, \
         r.posting_rank, r.score, r.explanation, g.name AS graduate_name, g.major AS graduate_major, \
         g.consent AS graduate_consent, s.name AS school_name, p.title AS posting_title, c.name AS company_name, \
         p.project_id AS project_id, r.round_id, rd.name AS round_name, rd.published_at \
         FROM round_graduates r JOIN rounds rd ON rd.id = r.round_id \
         LEFT JOIN graduates g ON g.id = r.graduate_id \
         LEFT JOIN organizations s ON s.id = r.school_id \
         LEFT JOIN postings p ON p.id = r.posting_id \
         LEFT JOIN organizations c ON c.id = r.company_id \
         WHERE r.graduate_id = $1 AND rd.status = 'published' ORDER BY r.round_id DESC"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// A posting row with the names a reader needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingRowView {
    #[sqlx(flatten)]
    pub row: PostingRow,
    pub posting_title: String,
    pub company_name: String,
    pub project_name: Option<String>,
}

macro_rules! posting_rows_where {
    () => {
        concat!(
            " FROM round_postings r JOIN postings p ON p.id = r.posting_id \
         JOIN organizations c ON c.id = r.company_id LEFT JOIN projects pr ON pr.id = r.project_id \
         WHERE r.round_id = $1 AND ($2 IS NULL OR r.company_id = $2) AND",
            finished!()
        )
    };
}

/// Posting rows in posting id order.
pub async fn posting_rows(
    db: &mut impl Access,
    round_id: i64,
    company_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<PostingRowView>, i64)> {
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT r.posting_id, r.company_id, r.project_id, r.preferences, r.lottery, r.capacity, r.filled, \
         r.explanation, p.title AS posting_title, c.name AS company_name, pr.name AS project_name",
        posting_rows_where!(),
        " ORDER BY r.posting_id LIMIT $3 OFFSET $4"
    ))
    .bind(round_id)
    .bind(company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", posting_rows_where!()))
        .bind(round_id)
        .bind(company_id)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

/// Placed graduates of a round and, per posting, the seats they took (for a later round
/// over what is left).
pub async fn placements(db: &mut impl Access, round_id: i64) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT graduate_id, posting_id FROM round_graduates r WHERE round_id = $1 AND posting_id IS NOT NULL AND",
        finished!()
    ))
    .bind(round_id)
    .fetch_all(e)
    .await)
}

/// Titles and company names of postings, for explanations.
pub async fn posting_labels(db: &mut impl Access, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(db, |e| {
        let mut qb = builder(
            backend_of(&*e),
            "SELECT p.id, p.title, o.name FROM postings p JOIN organizations o ON o.id = p.organization_id WHERE p.id IN (",
        );
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build_query_as().fetch_all(e).await
    })
}

/// A graduate's part of a round's instance.
#[derive(Debug, sqlx::FromRow)]
pub struct GraduateInput {
    pub graduate_id: i64,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
}

/// A posting's part of a round's instance.
#[derive(Debug, sqlx::FromRow)]
pub struct PostingInput {
    pub posting_id: i64,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub capacity: i64,
}

/// The graduates' lists of a round, in id order (one school's when `school_id` is given).
pub async fn graduate_inputs(
    db: &mut impl Access,
    round_id: i64,
    school_id: Option<i64>,
) -> Result<Vec<GraduateInput>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT graduate_id, preferences, lottery FROM round_graduates r \
             WHERE round_id = $1 AND ($2 IS NULL OR school_id = $2) AND",
        finished!(),
        "ORDER BY graduate_id"
    ))
    .bind(round_id)
    .bind(school_id)
    .fetch_all(e)
    .await)
}

/// The postings' lists of a round, in id order (one company's when `company_id` is given).
pub async fn posting_inputs(db: &mut impl Access, round_id: i64, company_id: Option<i64>) -> Result<Vec<PostingInput>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT posting_id, preferences, lottery, capacity FROM round_postings r \
             WHERE round_id = $1 AND ($2 IS NULL OR company_id = $2) AND",
        finished!(),
        "ORDER BY posting_id"
    ))
    .bind(round_id)
    .bind(company_id)
    .fetch_all(e)
    .await)
}

/// Per organisation, what a published round means for it: schools (id, graduates, matched)
/// and companies with postings in the round (id, graduates placed with it, possibly 0).
pub async fn outcomes(db: &mut impl Access, round_id: i64) -> Result<(Vec<(i64, i64, i64)>, Vec<(i64, i64)>)> {
    let schools = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT school_id, COUNT(*), COUNT(posting_id) FROM round_graduates r WHERE round_id = $1 AND",
        finished!(),
        "GROUP BY school_id ORDER BY school_id"
    ))
    .bind(round_id)
    .fetch_all(e)
    .await)?;
    let companies = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT r.company_id, COUNT(g.graduate_id) FROM round_postings r LEFT JOIN round_graduates g \
             ON g.round_id = r.round_id AND g.posting_id = r.posting_id WHERE r.round_id = $1 AND",
        finished!(),
        "GROUP BY r.company_id ORDER BY r.company_id"
    ))
    .bind(round_id)
    .fetch_all(e)
    .await)?;
    Ok((schools, companies))
}

/// How many of a round's offers (made when it was published) stand in each status, by
/// status name: what the round's page counts and links to the offers page with.
pub async fn offer_counts(db: &mut impl Access, round_id: i64) -> Result<Vec<(String, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT status, COUNT(*) FROM offers WHERE round_id = $1 GROUP BY status ORDER BY status"
    )
    .bind(round_id)
    .fetch_all(e)
    .await)
}

/// How many placed graduates got their 1st, 2nd … preference: (rank, count), by rank.
pub async fn matched_ranks(db: &mut impl Access, round_id: i64) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT COALESCE(graduate_rank, 0), COUNT(*) FROM round_graduates r \
             WHERE round_id = $1 AND posting_id IS NOT NULL AND",
        finished!(),
        "GROUP BY graduate_rank ORDER BY graduate_rank"
    ))
    .bind(round_id)
    .fetch_all(e)
    .await)
}
