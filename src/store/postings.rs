use super::{Access, Result, on_backend};
use crate::domain::posting::{Posting, PostingFields};

use chrono::Utc;

macro_rules! columns {
    () => {
        "id, organization_id, project_id, title, description, category, majors, education_min, headcount, \
         salary_min, salary_max, location, benefits, starts_on, closes_on, status, created_at, updated_at"
    };
}

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &PostingFields) -> Result<Posting> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "INSERT INTO postings (organization_id, project_id, title, description, category, majors, education_min, \
         education_min_rank, headcount, salary_min, salary_max, location, benefits, starts_on, closes_on, status, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING ",
        columns!()
    ))
    .bind(organization_id)
    .bind(f.project_id)
    .bind(&f.title)
    .bind(&f.description)
    .bind(f.category)
    .bind(&f.majors)
    .bind(f.education_min)
    .bind(f.education_min.rank())
    .bind(f.headcount)
    .bind(f.salary_min)
    .bind(f.salary_max)
    .bind(&f.location)
    .bind(&f.benefits)
    .bind(f.starts_on)
    .bind(f.closes_on)
    .bind(f.status)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Posting>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM postings WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &PostingFields) -> Result<Option<Posting>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE postings SET project_id = $2, title = $3, description = $4, category = $5, majors = $6, \
         education_min = $7, education_min_rank = $8, headcount = $9, salary_min = $10, salary_max = $11, \
         location = $12, benefits = $13, starts_on = $14, closes_on = $15, status = $16, updated_at = $17 \
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(f.project_id)
    .bind(&f.title)
    .bind(&f.description)
    .bind(f.category)
    .bind(&f.majors)
    .bind(f.education_min)
    .bind(f.education_min.rank())
    .bind(f.headcount)
    .bind(f.salary_min)
    .bind(f.salary_max)
    .bind(&f.location)
    .bind(&f.benefits)
    .bind(f.starts_on)
    .bind(f.closes_on)
    .bind(f.status)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)
}

/// How many postings reference a project (a project in use is not deleted).
pub async fn count_for_project(db: &mut impl Access, project_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM postings WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(e)
        .await)
}
