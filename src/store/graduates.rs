use super::columns::{self, Columns, Sql, columns};
use super::{Access, PageRequest, Result, on_backend};

use crate::domain::graduate::{Graduate, GraduateFields};
use crate::domain::{Education, GraduateStatus};
use chrono::Utc;

columns! {
    table: "graduates",
    record: Graduate,
    fields: GraduateFields {
        name, student_no, gender, id_number, birth_date, class_name, major, education, graduation_year, skills, certificates, preferred_locations, expected_salary,
        available_from, email, phone, consent, summary, status,
    },
    derived: { education_rank = education.rank() },
    // The latest destination recorded (`store::outcomes::latest` reads the same row).
    read: {
        destination = "(SELECT o.destination FROM graduate_outcomes o WHERE o.graduate_id = {row}id \
                       ORDER BY o.effective_on DESC, o.id DESC LIMIT 1)",
        destination_date = "(SELECT o.effective_on FROM graduate_outcomes o WHERE o.graduate_id = {row}id \
                            ORDER BY o.effective_on DESC, o.id DESC LIMIT 1)",
    },
}

static INSERT: Sql = Sql::new(columns::insert::<GraduateFields>);
static GET: Sql = Sql::new(columns::select_by_id::<GraduateFields>);
static UPDATE: Sql = Sql::new(columns::update::<GraduateFields>);

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &GraduateFields) -> Result<Graduate> {
    on_backend!(db, |e| f.bind(sqlx::query_as(INSERT.get()).bind(organization_id)).bind(Utc::now()).fetch_one(e).await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Graduate>> {
    on_backend!(db, |e| sqlx::query_as(GET.get()).bind(id).fetch_optional(e).await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &GraduateFields) -> Result<Option<Graduate>> {
    on_backend!(db, |e| f.bind(sqlx::query_as(UPDATE.get()).bind(id)).bind(Utc::now()).fetch_optional(e).await)
}

pub async fn delete(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("DELETE FROM graduates WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

/// What the roster pages filter a school's graduates by, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterFilter {
    /// The school (`None`: every school, for coordinators).
    pub organization_id: Option<i64>,
    /// Words in the name, 学号, major or class (a substring, ASCII case folded).
    pub q: Option<String>,
    /// Exactly this major.
    pub major: Option<String>,
    pub graduation_year: Option<i64>,
    pub education: Option<Education>,
    pub consent: Option<bool>,
    pub status: Option<GraduateStatus>,
    /// With at least one ranked choice (`true`) or none yet (`false`).
    pub has_choices: Option<bool>,
}

impl RosterFilter {
    /// `q` as a `LIKE` pattern: a substring, its own `%`, `_` and `\` taken literally.
    fn pattern(&self) -> Option<String> {
        let q = self.q.as_deref()?.trim();
        (!q.is_empty()).then(|| {
            let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{}%", escaped.to_lowercase())
        })
    }
}

/// The conditions of [`RosterFilter`], `$1`–`$8`, shared by the page query and its count.
/// `lower()` folds ASCII on both backends (SQLite's `LIKE` would fold it anyway; PostgreSQL's
/// would not), so "zq" finds 学号 "ZQ2023001" on both.
const ROSTER_WHERE: &str = "($1 IS NULL OR organization_id = $1) \
     AND ($2 IS NULL OR lower(name) LIKE $2 ESCAPE '\\' OR lower(COALESCE(student_no, '')) LIKE $2 ESCAPE '\\' \
          OR lower(major) LIKE $2 ESCAPE '\\' OR lower(COALESCE(class_name, '')) LIKE $2 ESCAPE '\\') \
     AND ($3 IS NULL OR major = $3) AND ($4 IS NULL OR graduation_year = $4) AND ($5 IS NULL OR education = $5) \
     AND ($6 IS NULL OR consent = $6) AND ($7 IS NULL OR status = $7) \
     AND ($8 IS NULL OR (EXISTS (SELECT 1 FROM graduate_choices c WHERE c.graduate_id = graduates.id)) = $8)";

static ROSTER: Sql = Sql::new(|| {
    format!(
        "SELECT {} FROM graduates WHERE {ROSTER_WHERE} \
         ORDER BY (student_no IS NULL), student_no, id LIMIT $9 OFFSET $10",
        columns::record::<GraduateFields>("")
    )
    .into()
});

static ROSTER_COUNT: Sql = Sql::new(|| format!("SELECT COUNT(*) FROM graduates WHERE {ROSTER_WHERE}").into());

/// A page of the roster as stored (ID numbers whole), by 学号 (those without one last),
/// with the total over all pages.
pub async fn roster(db: &mut impl Access, filter: &RosterFilter, page: PageRequest) -> Result<(Vec<Graduate>, i64)> {
    let pattern = filter.pattern();
    // The filter's values, `$1`–`$8` of `ROSTER_WHERE`, bound to either query.
    macro_rules! filtered {
        ($query:expr) => {
            $query
                .bind(filter.organization_id)
                .bind(pattern.as_deref())
                .bind(filter.major.as_deref())
                .bind(filter.graduation_year)
                .bind(filter.education)
                .bind(filter.consent)
                .bind(filter.status)
                .bind(filter.has_choices)
        };
    }
    let items = on_backend!(db, |e| filtered!(sqlx::query_as(ROSTER.get()))
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?;
    let total = on_backend!(db, |e| filtered!(sqlx::query_scalar(ROSTER_COUNT.get())).fetch_one(e).await)?;
    Ok((items, total))
}

/// How many of a school's graduates (every school's with `None`) are in each status, by
/// consent: (status, consent, count) for the combinations that occur.
pub async fn roster_counts(
    db: &mut impl Access,
    organization_id: Option<i64>,
) -> Result<Vec<(GraduateStatus, bool, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT status, consent, COUNT(*) FROM graduates WHERE ($1 IS NULL OR organization_id = $1) \
         GROUP BY status, consent"
    )
    .bind(organization_id)
    .fetch_all(e)
    .await)
}

/// The majors and graduation years a school's roster holds (every school's with `None`),
/// each sorted, for the roster's filters; at most `limit` majors.
pub async fn roster_values(
    db: &mut impl Access,
    organization_id: Option<i64>,
    limit: i64,
) -> Result<(Vec<String>, Vec<i64>)> {
    let majors = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT DISTINCT major FROM graduates WHERE ($1 IS NULL OR organization_id = $1) ORDER BY major LIMIT $2"
    )
    .bind(organization_id)
    .bind(limit)
    .fetch_all(e)
    .await)?;
    let years = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT DISTINCT graduation_year FROM graduates WHERE ($1 IS NULL OR organization_id = $1) \
         ORDER BY graduation_year DESC"
    )
    .bind(organization_id)
    .fetch_all(e)
    .await)?;
    Ok((majors, years))
}

/// How many of a school's seeking graduates have no ranked choice yet.
pub async fn seeking_without_choices(db: &mut impl Access, organization_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM graduates g WHERE g.organization_id = $1 AND g.status = $2 \
         AND NOT EXISTS (SELECT 1 FROM graduate_choices c WHERE c.graduate_id = g.id)"
    )
    .bind(organization_id)
    .bind(GraduateStatus::Seeking)
    .fetch_one(e)
    .await)
}

/// How many ranked choices each of `ids` has (those with none are absent).
pub async fn choice_counts(db: &mut impl Access, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(db, |e| {
        let mut query =
            sqlx::QueryBuilder::new("SELECT graduate_id, COUNT(*) FROM graduate_choices WHERE graduate_id IN (");
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        query.push(") GROUP BY graduate_id");
        query.build_query_as().fetch_all(e).await
    })
}

/// The student numbers on a school's roster.
pub async fn student_nos(db: &mut impl Access, organization_id: i64) -> Result<Vec<String>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT student_no FROM graduates WHERE organization_id = $1 AND student_no IS NOT NULL"
    )
    .bind(organization_id)
    .fetch_all(e)
    .await)
}

/// Keep of `items` (search hits, each naming a graduate by its `id`) those who exist and
/// consent now: what a company may be shown, whatever the search index still holds.
/// Returns how many were left out.
pub async fn retain_consenting<T>(db: &mut impl Access, items: &mut Vec<T>, id: impl Fn(&T) -> i64) -> Result<usize> {
    let ids: Vec<i64> = items.iter().map(&id).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let consenting: std::collections::HashSet<i64> = on_backend!(db, |e| {
        let mut qb =
            super::bulk::builder(super::bulk::backend_of(&*e), "SELECT id FROM graduates WHERE consent AND id IN (");
        let mut list = qb.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        qb.push(")");
        let found: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *e).await?;
        Ok::<_, sqlx::Error>(found.into_iter().collect())
    })?;
    let before = items.len();
    items.retain(|item| consenting.contains(&id(item)));
    Ok(before - items.len())
}
