//! Every field of postings and graduates survives the trip through the API and back: on
//! create, on patch, in search results, and through the bulk loader, which writes the same
//! row as a single insert. The fields come from the tables' column lists, so a field added
//! to a list and not to these bodies fails here.

use crate::helpers::{CODE_A, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::domain::graduate::GraduateFields;
use xiaoqi::domain::posting::PostingFields;
use xiaoqi::store::bulk;
use xiaoqi::store::columns::Columns;

on_both_backends!(every_posting_field_round_trips, every_graduate_field_round_trips);

async fn every_posting_field_round_trips(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "肇庆精密机械有限公司", CODE_A).await;
    let token = Some(company.token.as_str());
    let mut projects = Vec::new();
    for name in ["精密机械一期", "精密机械二期"] {
        let body = json!({"name": name, "park": "高新区", "stage": "production", "key_project": false, "shortage": 40});
        let project = app.post("/api/v1/projects", token, &body).await;
        assert_eq!(project.status, StatusCode::CREATED, "{:?}", project.body);
        projects.push(project.body["id"].clone());
    }
    let created = json!({
        "project_id": projects[0],
        "title": "数控车床操作工",
        "description": "操作数控车床，看懂图纸。",
        "category": "technician",
        "majors": ["数控技术", "机械制造"],
        "education_min": "associate",
        "headcount": 12,
        "salary_min": 5200,
        "salary_max": 7800,
        "location": "高要区",
        "benefits": ["training", "night_allowance"],
        "starts_on": "2027-03-01",
        "closes_on": "2027-04-15",
        "status": "draft"
    });
    let patched = json!({
        "project_id": projects[1],
        "title": "质检员",
        "description": "来料与成品检验。",
        "category": "quality",
        "majors": ["质量管理"],
        "education_min": "bachelor",
        "headcount": 3,
        "salary_min": 6000,
        "salary_max": 9000,
        "location": "端州区",
        "benefits": ["social_insurance"],
        "starts_on": "2027-05-01",
        "closes_on": "2027-06-30",
        "status": "filled"
    });
    every_field_set_then_changed::<PostingFields>(&created, &patched);

    let reply = app.post("/api/v1/postings", token, &created).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_fields::<PostingFields>("created", &reply.body, &created);
    let id = reply.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/postings/{id}");
    let read = app.get(&path, token).await;
    assert_fields::<PostingFields>("read after create", &read.body, &created);
    bulk_writes_the_same_row::<PostingFields>(&app, &read.body).await;

    let reply = app.patch(&path, token, &patched).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_fields::<PostingFields>("patched", &reply.body, &patched);
    let read = app.get(&path, token).await;
    assert_fields::<PostingFields>("read after patch", &read.body, &patched);
    bulk_writes_the_same_row::<PostingFields>(&app, &read.body).await;

    app.indexed().await;
    let found = app.get("/api/v1/postings?status=filled&per_page=100", token).await;
    assert_fields::<PostingFields>("search result", &item(&found.body, id), &patched);
}

async fn every_graduate_field_round_trips(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let token = Some(school.token.as_str());
    let created = json!({
        "name": "王芳",
        "student_no": "2022010315",
        "gender": "male",
        "id_number": "441202200403151237",
        "birth_date": "2004-03-15",
        "class_name": "数控2201班",
        "major": "数控技术",
        "education": "technical_school",
        "graduation_year": 2025,
        "skills": ["车床", "UG编程"],
        "certificates": ["数控中级"],
        "preferred_locations": ["高要区", "端州区"],
        "expected_salary": 6200,
        "available_from": "2026-09-01",
        "email": "wangfang@example.cn",
        "phone": "13912345678",
        "consent": true,
        "summary": "实习期间负责数控车床编程。",
        "status": "matched"
    });
    let patched = json!({
        "name": "王芳芳",
        "student_no": "2022010316",
        "gender": "female",
        "id_number": "440106200507202341",
        "birth_date": "2005-07-20",
        "class_name": "机制2202班",
        "major": "机械制造",
        "education": "bachelor",
        "graduation_year": 2026,
        "skills": ["CAD"],
        "certificates": ["电工证", "焊工证"],
        "preferred_locations": ["四会市"],
        "expected_salary": 7000,
        "available_from": "2026-10-15",
        "email": "wff@example.cn",
        "phone": "0758-2212345",
        "consent": false,
        "summary": "改学机械制造，熟悉CAD。",
        "status": "placed"
    });
    every_field_set_then_changed::<GraduateFields>(&created, &patched);

    let reply = app.post("/api/v1/graduates", token, &created).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_fields::<GraduateFields>("created", &reply.body, &created);
    let id = reply.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/graduates/{id}");
    let read = app.get(&path, token).await;
    assert_fields::<GraduateFields>("read after create", &read.body, &created);
    bulk_writes_the_same_row::<GraduateFields>(&app, &with_sent_id_number(&read.body, &created)).await;

    let reply = app.patch(&path, token, &patched).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_fields::<GraduateFields>("patched", &reply.body, &patched);
    let read = app.get(&path, token).await;
    assert_fields::<GraduateFields>("read after patch", &read.body, &patched);
    bulk_writes_the_same_row::<GraduateFields>(&app, &with_sent_id_number(&read.body, &patched)).await;
    let revealed = app.post(&format!("{path}/id_number"), token, &json!({})).await;
    assert_eq!(revealed.body["id_number"], patched["id_number"], "{:?}", revealed.body);

    app.indexed().await;
    let found = app.get("/api/v1/graduates?status=placed&per_page=100", token).await;
    let mut in_search = patched.clone();
    // The ID number is never in the index, not even masked.
    in_search["id_number"] = Value::Null;
    assert_fields::<GraduateFields>("search result", &item(&found.body, id), &in_search);
}

/// Answers show the ID number masked: `record` with the number as sent, for the bulk loader.
fn with_sent_id_number(record: &Value, sent: &Value) -> Value {
    let mut record = record.clone();
    record["id_number"] = sent["id_number"].clone();
    record
}

/// The bodies name exactly the list's fields; each created value is set (not null, empty
/// or false) and each patched value differs from it, so every column is written twice.
fn every_field_set_then_changed<C: Columns>(created: &Value, patched: &Value) {
    let fields: Vec<&str> = C::FIELDS.to_vec();
    for body in [created, patched] {
        let mut keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = fields.clone();
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected, "the test sets every field of {}", C::TABLE);
    }
    for field in fields {
        let value = &created[field];
        let unset = value.is_null() || *value == json!(false) || *value == json!("") || *value == json!([]);
        assert!(!unset, "{}.{field} is created with a value other than its default", C::TABLE);
        assert_ne!(value, &patched[field], "{}.{field} is changed by the patch", C::TABLE);
    }
}

/// `record` holds each field of `sent` with the value sent, and shows each read-only
/// column (a new record's: filled 0, no destination yet).
fn assert_fields<C: Columns>(what: &str, record: &Value, sent: &Value) {
    for (column, _) in C::READ {
        let value = record.get(*column).unwrap_or_else(|| panic!("{what}: {}.{column} in {record}", C::TABLE));
        assert!(value.is_null() || *value == json!(0), "{what}: {}.{column} is {value}", C::TABLE);
    }
    for field in C::FIELDS {
        let expected = match (*field, sent[field].as_str()) {
            ("id_number", Some(id)) => json!(format!("{}**********{}", &id[..4], &id[14..])),
            _ => sent[field].clone(),
        };
        assert_eq!(record[field], expected, "{what}: {}.{field} in {record}", C::TABLE);
    }
}

/// The item with `id` among a search page's items.
fn item(page: &Value, id: i64) -> Value {
    let items = page["items"].as_array().unwrap_or_else(|| panic!("{page}"));
    items.iter().find(|i| i["id"] == id).cloned().unwrap_or_else(|| panic!("no item {id} in {page}"))
}

/// Bulk-load `record`'s fields for its organisation, and compare the new row with the
/// record's row column by column (including the derived columns the API does not show).
async fn bulk_writes_the_same_row<C: BulkLoaded>(app: &TestApp, record: &Value) {
    let id = record["id"].as_i64().unwrap();
    let organization_id = record["organization_id"].as_i64().unwrap();
    let fields: C = serde_json::from_value(record.clone()).expect("a record's fields");
    let mut tx = app.db.begin().await.unwrap();
    // A column unique within an organisation cannot hold the same value twice: the original
    // row gives its value up to the copy, which must then hold exactly the record's value.
    for column in C::UNIQUE_PER_ORGANIZATION {
        let sql = format!("UPDATE {} SET {column} = NULL WHERE id = $1", C::TABLE);
        xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .execute(e)
            .await
            .map(|_| ()))
        .unwrap();
    }
    assert_eq!(C::load(&mut tx, vec![(organization_id, fields)]).await.unwrap(), 1);
    tx.commit().await.unwrap();

    let mut conn = app.db.read().await.unwrap();
    let newest = format!("SELECT MAX(id) FROM {}", C::TABLE);
    let loaded: i64 = xiaoqi::store::on_backend!(&mut conn, |e| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(newest.clone())).fetch_one(e).await
    })
    .unwrap();
    assert_ne!(loaded, id);
    for column in C::UNIQUE_PER_ORGANIZATION {
        let sql = format!("SELECT {column} FROM {} WHERE id = $1", C::TABLE);
        let value: Option<String> = xiaoqi::store::on_backend!(&mut conn, |e| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(loaded).fetch_one(e).await
        })
        .unwrap();
        assert_eq!(value.as_deref(), record[column].as_str(), "{}.{column} of the bulk-loaded row", C::TABLE);
        // Given back, so the original row is again as the API wrote it.
        let mut tx = app.db.begin().await.unwrap();
        for (row, value) in [(loaded, None), (id, value)] {
            let sql = format!("UPDATE {} SET {column} = $2 WHERE id = $1", C::TABLE);
            xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(row)
                .bind(value.clone())
                .execute(e)
                .await
                .map(|_| ()))
            .unwrap();
        }
        // (The updates log themselves: the index reads the row again once they commit.)
        tx.commit().await.unwrap();
    }
    let compared = C::FIELDS.iter().filter(|c| !C::UNIQUE_PER_ORGANIZATION.contains(c));
    for column in ["organization_id"].iter().chain(compared).chain(C::DERIVED) {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} a, {table} b \
             WHERE a.id = $1 AND b.id = $2 AND a.{column} IS NOT DISTINCT FROM b.{column}",
            table = C::TABLE
        );
        let same: i64 = xiaoqi::store::on_backend!(&mut conn, |e| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(id).bind(loaded).fetch_one(e).await
        })
        .unwrap();
        assert_eq!(same, 1, "{}.{column}: the bulk-loaded row {loaded} differs from row {id}", C::TABLE);
    }
}

/// Fields the bulk loader writes.
trait BulkLoaded: Columns + serde::de::DeserializeOwned {
    /// Text columns unique within an organisation.
    const UNIQUE_PER_ORGANIZATION: &'static [&'static str] = &[];
    async fn load(tx: &mut xiaoqi::store::Tx, rows: Vec<(i64, Self)>) -> sqlx::Result<u64>;
}

impl BulkLoaded for PostingFields {
    async fn load(tx: &mut xiaoqi::store::Tx, rows: Vec<(i64, Self)>) -> sqlx::Result<u64> {
        bulk::insert_postings(tx, rows).await
    }
}

impl BulkLoaded for GraduateFields {
    const UNIQUE_PER_ORGANIZATION: &'static [&'static str] = &["student_no"];
    async fn load(tx: &mut xiaoqi::store::Tx, rows: Vec<(i64, Self)>) -> sqlx::Result<u64> {
        bulk::insert_graduates(tx, rows).await
    }
}
