use super::columns::{self, Columns, Sql, columns};
use super::{Access, Result, on_backend};

use crate::domain::graduate::{Graduate, GraduateFields};
use chrono::Utc;

columns! {
    table: "graduates",
    record: Graduate,
    fields: GraduateFields {
        name, student_no, gender, id_number, birth_date, class_name, major, education, graduation_year, skills, certificates, preferred_locations, expected_salary,
        available_from, email, phone, consent, summary, status,
    },
    derived: { education_rank = education.rank() },
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
