use super::columns::{self, Columns, Sql, columns};
use super::{Access, Result, on_backend};
use crate::domain::posting::{Posting, PostingFields};

use chrono::Utc;

columns! {
    table: "postings",
    record: Posting,
    fields: PostingFields {
        project_id, title, description, category, majors, education_min, headcount, salary_min, salary_max,
        location, benefits, starts_on, closes_on, status,
    },
    derived: { education_min_rank = education_min.rank() },
}

static INSERT: Sql = Sql::new(columns::insert::<PostingFields>);
static GET: Sql = Sql::new(columns::select_by_id::<PostingFields>);
static UPDATE: Sql = Sql::new(columns::update::<PostingFields>);

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &PostingFields) -> Result<Posting> {
    on_backend!(db, |e| f.bind(sqlx::query_as(INSERT.get()).bind(organization_id)).bind(Utc::now()).fetch_one(e).await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Posting>> {
    on_backend!(db, |e| sqlx::query_as(GET.get()).bind(id).fetch_optional(e).await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &PostingFields) -> Result<Option<Posting>> {
    on_backend!(db, |e| f.bind(sqlx::query_as(UPDATE.get()).bind(id)).bind(Utc::now()).fetch_optional(e).await)
}

/// How many postings reference a project (a project in use is not deleted).
pub async fn count_for_project(db: &mut impl Access, project_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM postings WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(e)
        .await)
}
