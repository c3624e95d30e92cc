//! Possible duplicates across schools: the same ID number, or the same name and phone.
//! Within one school the 学号 is unique, so duplicates there are refused, not listed.

use super::{Access, Result, on_backend};
use chrono::Utc;

/// Pairs of `a` (the graduates scanned) and `b` (any other school's graduate), stored lower
/// id first; a pair already known (in any status) is left alone.
fn pairs(scanned: &str) -> String {
    format!(
        "INSERT INTO graduate_duplicates (graduate_id, other_id, reason, found_at) \
         SELECT CASE WHEN a.id < b.id THEN a.id ELSE b.id END, CASE WHEN a.id < b.id THEN b.id ELSE a.id END, \
                CASE WHEN a.id_number = b.id_number THEN 'id_number' ELSE 'name_phone' END, $2 \
         FROM graduates a JOIN graduates b ON b.organization_id <> a.organization_id \
              AND (b.id_number = a.id_number OR (b.name = a.name AND b.phone = a.phone)) \
         WHERE {scanned} AND (a.id_number IS NOT NULL OR a.phone IS NOT NULL) \
         ON CONFLICT (graduate_id, other_id) DO NOTHING"
    )
}

static ONE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| pairs("a.id = $1"));
static SCHOOL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| pairs("a.organization_id = $1"));

/// Record the cross-school duplicate candidates of one graduate; the number of new pairs.
pub async fn scan_one(db: &mut impl Access, graduate_id: i64) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(sqlx::AssertSqlSafe(ONE.as_str()))
        .bind(graduate_id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}

/// Record the cross-school duplicate candidates of a whole school's roster (after an
/// import: one statement instead of one per row); the number of new pairs.
pub async fn scan_school(db: &mut impl Access, organization_id: i64) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(sqlx::AssertSqlSafe(SCHOOL.as_str()))
        .bind(organization_id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}
