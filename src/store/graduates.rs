use super::{Access, Result, on_backend};

use crate::domain::graduate::{Graduate, GraduateFields};
use chrono::Utc;

macro_rules! columns {
    () => {
        "id, organization_id, name, major, education, graduation_year, skills, certificates, preferred_locations, \
         expected_salary, available_from, email, phone, consent, summary, status, created_at, updated_at"
    };
}

pub async fn insert(db: &mut impl Access, organization_id: i64, f: &GraduateFields) -> Result<Graduate> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "INSERT INTO graduates (organization_id, name, major, education, education_rank, graduation_year, skills, \
         certificates, preferred_locations, expected_salary, available_from, email, phone, consent, summary, status, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING ",
        columns!()
    ))
    .bind(organization_id)
    .bind(&f.name)
    .bind(&f.major)
    .bind(f.education)
    .bind(f.education.rank())
    .bind(f.graduation_year)
    .bind(&f.skills)
    .bind(&f.certificates)
    .bind(&f.preferred_locations)
    .bind(f.expected_salary)
    .bind(f.available_from)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(f.consent)
    .bind(&f.summary)
    .bind(f.status)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Graduate>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM graduates WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

pub async fn update(db: &mut impl Access, id: i64, f: &GraduateFields) -> Result<Option<Graduate>> {
    on_backend!(db, |e| sqlx::query_as(concat!(
        "UPDATE graduates SET name = $2, major = $3, education = $4, education_rank = $5, graduation_year = $6, \
         skills = $7, certificates = $8, preferred_locations = $9, expected_salary = $10, available_from = $11, \
         email = $12, phone = $13, consent = $14, summary = $15, status = $16, updated_at = $17 \
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(&f.name)
    .bind(&f.major)
    .bind(f.education)
    .bind(f.education.rank())
    .bind(f.graduation_year)
    .bind(&f.skills)
    .bind(&f.certificates)
    .bind(&f.preferred_locations)
    .bind(f.expected_salary)
    .bind(f.available_from)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(f.consent)
    .bind(&f.summary)
    .bind(f.status)
    .bind(Utc::now())
    .fetch_optional(e)
    .await)
}

pub async fn delete(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("DELETE FROM graduates WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}
