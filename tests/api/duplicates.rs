//! Cross-school duplicates: found on write and import, listed for coordinators, merged or dismissed.
//! Within one school the 学号 is the key, so a second graduate with it is refused (409).

use crate::helpers::{CODE_A, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    pairs_are_found_when_graduates_are_written,
    a_student_number_is_unique_within_a_school,
    a_merge_keeps_choices_shortlists_and_history,
    a_merge_takes_the_latest_consent,
    a_dismissed_pair_stays_closed,
    erasing_a_graduate_removes_its_open_pairs,
    only_coordinators_handle_duplicates,
    concurrent_merges_never_collide,
);

/// A valid ID number (GB 11643: check character computed) for a person born on `born`
/// (YYYYMMDD) with sequence `seq` (odd for men).
pub fn id_number(born: &str, seq: u32) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let body = format!("440106{born}{seq:03}");
    let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

/// The masked form answers show: the first four and last four characters.
pub fn masked(number: &str) -> String {
    format!("{}**********{}", &number[..4], &number[14..])
}

struct Schools {
    coordinator: Session,
    a: Session,
    b: Session,
}

async fn two_schools(app: &TestApp) -> Schools {
    let coordinator = app.coordinator().await;
    let a = app.school(&coordinator, "肇庆技师学院").await;
    let b = app.school(&coordinator, "肇庆工商职业技术学院").await;
    Schools { coordinator, a, b }
}

async fn graduate(app: &TestApp, school: &Session, changes: Value) -> i64 {
    app.create_graduate(&school.token, &graduate_with(changes)).await.created_id()
}

/// The open pairs, as (pair id, [graduate ids]).
async fn open_pairs(app: &TestApp, coordinator: &Session) -> Vec<(i64, Vec<i64>)> {
    let reply = app.duplicates(&coordinator.token, "open").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ids = p["graduates"].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()).collect();
            (p["id"].as_i64().unwrap(), ids)
        })
        .collect()
}

/// Rows of a query straight from the database, for what no endpoint shows (audit, records).
async fn scalar(app: &TestApp, sql: &'static str, id: i64) -> i64 {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(e).await).unwrap()
}

async fn pairs_are_found_when_graduates_are_written(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let number = id_number("20040517", 123);

    // The same ID number at two schools, under different names and phones.
    let at_a = graduate(&app, &a, json!({"name": "陈晓东", "phone": "13500000001", "id_number": number})).await;
    let at_b = graduate(&app, &b, json!({"name": "陈小东", "phone": "13500000002", "id_number": number})).await;
    // Within one school the same person twice is no cross-school pair.
    graduate(&app, &a, json!({"name": "陈晓东", "phone": "13500000009", "id_number": number, "student_no": "X9"}))
        .await;

    let reply = app.duplicates(&coordinator.token, "open").await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["total"], 2, "each of school A's two records pairs with school B's: {:?}", reply.body);
    let pair = reply.body["items"].as_array().unwrap().iter().find(|p| p["graduates"][0]["id"] == at_a).unwrap();
    assert_eq!(pair["reason"], "id_number");
    assert_eq!(pair["status"], "open");
    assert_eq!(pair["graduates"][1]["id"], at_b, "lower id first");
    assert_eq!(pair["graduates"][0]["school_name"], "肇庆技师学院");
    assert_eq!(pair["graduates"][1]["school_name"], "肇庆工商职业技术学院");
    assert_eq!(pair["graduates"][1]["graduate"]["name"], "陈小东");
    assert_eq!(pair["graduates"][1]["graduate"]["phone"], "13500000002", "coordinators see contact details");
    assert_eq!(pair["graduates"][0]["graduate"]["id_number"], masked(&number));
    assert!(!reply.body.to_string().contains(&number), "the whole ID number is never listed");

    // Same name and phone: found when an update makes them so, once however often written.
    let wang_a = graduate(&app, &a, json!({"name": "王芳", "phone": "13700000001"})).await;
    let wang_b = graduate(&app, &b, json!({"name": "王芳", "phone": "13700000002"})).await;
    graduate(&app, &b, json!({"name": "王芳芳", "phone": "13700000001"})).await;
    assert_eq!(open_pairs(&app, &coordinator).await.len(), 2, "a name alone or a phone alone is no pair");
    let same_phone = json!({"phone": "13700000001"});
    assert_eq!(app.update_graduate(&b.token, wang_b, &same_phone).await.status, StatusCode::OK);
    assert_eq!(app.update_graduate(&b.token, wang_b, &json!({"summary": "再保存一次"})).await.status, StatusCode::OK);
    let pairs = open_pairs(&app, &coordinator).await;
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs.iter().filter(|(_, ids)| *ids == vec![wang_a, wang_b]).count(), 1);
    let reply = app.duplicates(&coordinator.token, "open").await;
    let pair = reply.body["items"].as_array().unwrap().iter().find(|p| p["graduates"][0]["id"] == wang_a).unwrap();
    assert_eq!(pair["reason"], "name_phone");

    // Nothing merged or dismissed yet; a bad status is named.
    assert_eq!(app.duplicates(&coordinator.token, "merged").await.body["total"], 0);
    let bad = app.duplicates(&coordinator.token, "closed").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["status"]);
    let paged = app.get("/api/v1/duplicates?per_page=1&page=2", Some(&coordinator.token)).await;
    assert_eq!((paged.body["total"].as_i64(), paged.body["items"].as_array().map(Vec::len)), (Some(3), Some(1)));
}

async fn a_student_number_is_unique_within_a_school(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    graduate(&app, &a, json!({"name": "张伟", "student_no": "2023010101"})).await;

    let again =
        app.create_graduate(&a.token, &graduate_with(json!({"name": "张伟", "student_no": "2023010101"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(again.error_fields(), vec!["student_no"]);
    let by_coordinator = app
        .create_graduate(
            &coordinator.token,
            &graduate_with(json!({"organization_id": a.organization_id, "student_no": "2023010101"})),
        )
        .await;
    assert_eq!(by_coordinator.status, StatusCode::CONFLICT);

    // Another school numbers its students itself.
    graduate(&app, &b, json!({"name": "张伟", "student_no": "2023010101"})).await;

    let other = graduate(&app, &a, json!({"name": "李娜", "student_no": "2023010102"})).await;
    let taken = app.update_graduate(&a.token, other, &json!({"student_no": "2023010101"})).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.error_fields(), vec!["student_no"]);
    assert_eq!(app.count_rows("graduates").await, 3, "nothing half-written");
}

async fn a_merge_keeps_choices_shortlists_and_history(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let mut postings = Vec::new();
    for title in ["SMT操作工", "设备维护技术员", "仓管员", "质检员"] {
        let reply = app.create_posting(&company.token, &posting_with(json!({"title": title}))).await;
        postings.push(reply.created_id());
    }
    let [p1, p2, p3, p4] = postings[..] else { unreachable!() };
    let number = id_number("20030902", 246);

    // Kept: school A's record, with a 学号, a phone, no e-mail and no skills.
    let keep = graduate(
        &app,
        &a,
        json!({"name": "黄嘉怡", "student_no": "A-001", "id_number": number, "phone": "13600000001",
               "email": null, "skills": [], "class_name": "机电2301"}),
    )
    .await;
    // Merged away: school B's record of her, with an e-mail and skills.
    let other = graduate(
        &app,
        &b,
        json!({"name": "黄嘉怡", "student_no": "B-777", "id_number": number, "phone": "13600000002",
               "email": "jiayi@example.cn", "skills": ["PLC", "钳工"], "class_name": "数控2302"}),
    )
    .await;
    let someone = graduate(&app, &b, json!({"name": "周杰"})).await;

    for (school, graduate, choices) in [(&a, keep, vec![p1, p2]), (&b, other, vec![p2, p3, p4])] {
        let reply = app.set_choices(&school.token, graduate, &json!({"posting_ids": choices})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    for (posting, ranked) in [(p1, vec![other, someone, keep]), (p2, vec![keep, other]), (p3, vec![someone, other])] {
        let reply = app.set_shortlist(&company.token, posting, &json!({"graduate_ids": ranked})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    // School B records the consent being withdrawn and given again.
    for consent in [false, true] {
        assert_eq!(app.update_graduate(&b.token, other, &json!({"consent": consent})).await.status, StatusCode::OK);
    }
    let records_before = scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", other).await;
    assert_eq!(records_before, 3);

    let pairs = open_pairs(&app, &coordinator).await;
    let pair = pairs.iter().find(|(_, ids)| *ids == vec![keep, other]).expect("the pair is listed").0;

    // Refusals first: a graduate outside the pair, a pair that does not exist.
    let outside = app.merge_duplicate(&coordinator.token, pair, someone).await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.error_fields(), vec!["keep"]);
    assert_eq!(app.merge_duplicate(&coordinator.token, 999_999, keep).await.status, StatusCode::NOT_FOUND);
    let no_keep = app.post(&format!("/api/v1/duplicates/{pair}/merge"), Some(&coordinator.token), &json!({})).await;
    assert_eq!(no_keep.error_fields(), vec!["keep"]);

    let merged = app.merge_duplicate(&coordinator.token, pair, keep).await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(merged.body["status"], "merged");
    assert_eq!(merged.body["kept_id"], keep);
    assert_eq!(merged.body["resolved_by"], coordinator.user_id);
    assert_eq!(merged.body["graduates"][1]["id"], other);
    assert_eq!(merged.body["graduates"][1]["graduate"], Value::Null, "the other record is gone");

    // The other record is erased; the kept one has its own roster fields and the other's
    // details where it had none.
    assert_eq!(
        app.get(&format!("/api/v1/graduates/{other}"), Some(&coordinator.token)).await.status,
        StatusCode::NOT_FOUND
    );
    let kept = app.get(&format!("/api/v1/graduates/{keep}"), Some(&a.token)).await.body;
    assert_eq!(kept["student_no"], "A-001");
    assert_eq!(kept["class_name"], "机电2301");
    assert_eq!(kept["phone"], "13600000001");
    assert_eq!(kept["email"], "jiayi@example.cn");
    assert_eq!(kept["skills"], json!(["PLC", "钳工"]));
    assert_eq!(kept["id_number"], masked(&number));

    // Choices: its own first, then the other's it lacked.
    let choices = app.get(&format!("/api/v1/graduates/{keep}/choices"), Some(&a.token)).await;
    assert_eq!(choices.body["posting_ids"], json!([p1, p2, p3, p4]));
    // Shortlists: the kept record in the better of the two places, never twice.
    for (posting, ranked) in [(p1, vec![keep, someone]), (p2, vec![keep]), (p3, vec![someone, keep])] {
        let reply = app.get(&format!("/api/v1/postings/{posting}/shortlist"), Some(&company.token)).await;
        assert_eq!(reply.body["graduate_ids"], json!(ranked), "posting {posting}");
    }
    // History: the other's consent records belong to the kept graduate now.
    let records = scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", keep).await;
    assert_eq!(records, 1 + records_before);
    // Audited: the merge, and what became of each school's record.
    for (sql, id) in [
        (
            "SELECT COUNT(*) FROM audit_entries WHERE action = 'merge' AND entity = 'graduate_duplicate' AND entity_id = $1",
            pair,
        ),
        ("SELECT COUNT(*) FROM audit_entries WHERE action = 'merge_keep' AND entity_id = $1", keep),
        ("SELECT COUNT(*) FROM audit_entries WHERE action = 'merge_erase' AND entity_id = $1", other),
    ] {
        assert_eq!(scalar(&app, sql, id).await, 1, "{sql}");
    }
    // Erased through the change log: search no longer finds it.
    let deletes =
        scalar(&app, "SELECT COUNT(*) FROM changes WHERE operation = 'delete' AND entity_id = $1", other).await;
    assert_eq!(deletes, 1);
    app.indexed().await;
    let found = app.get("/api/v1/graduates?q=PLC", Some(&coordinator.token)).await;
    let ids: Vec<i64> = found.body["items"].as_array().unwrap().iter().filter_map(|i| i["id"].as_i64()).collect();
    assert!(ids.contains(&keep) && !ids.contains(&other), "{ids:?}");

    // The pair is listed as merged, and cannot be merged or dismissed again.
    assert!(open_pairs(&app, &coordinator).await.iter().all(|(id, _)| *id != pair));
    let listed = app.duplicates(&coordinator.token, "merged").await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["graduates"][0]["graduate"]["email"], "jiayi@example.cn");
    assert_eq!(app.merge_duplicate(&coordinator.token, pair, keep).await.status, StatusCode::CONFLICT);
    assert_eq!(app.dismiss_duplicate(&coordinator.token, pair).await.status, StatusCode::CONFLICT);
}

async fn a_merge_takes_the_latest_consent(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    // School A never recorded her consent; school B did, later.
    let keep = graduate(&app, &a, json!({"name": "林静", "phone": "13900000001", "consent": false})).await;
    let other = graduate(&app, &b, json!({"name": "林静", "phone": "13900000001", "consent": true})).await;
    let pair = open_pairs(&app, &coordinator).await[0].0;
    let merged = app.merge_duplicate(&coordinator.token, pair, keep).await;
    assert_eq!(merged.status, StatusCode::OK, "{:?}", merged.body);
    assert_eq!(merged.body["graduates"][0]["graduate"]["consent"], true, "the latest record counts");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1", keep).await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM graduates WHERE id = $1", other).await, 0);
}

async fn a_dismissed_pair_stays_closed(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let one = graduate(&app, &a, json!({"name": "刘洋", "phone": "13800000011"})).await;
    let two = graduate(&app, &b, json!({"name": "刘洋", "phone": "13800000011"})).await;
    let pair = open_pairs(&app, &coordinator).await[0].0;

    let dismissed = app.dismiss_duplicate(&coordinator.token, pair).await;
    assert_eq!(dismissed.status, StatusCode::OK, "{:?}", dismissed.body);
    assert_eq!(dismissed.body["status"], "dismissed");
    assert!(dismissed.body["resolved_at"].is_string());
    assert_eq!(dismissed.body["graduates"][1]["graduate"]["name"], "刘洋", "both records remain");
    let audited = "SELECT COUNT(*) FROM audit_entries WHERE action = 'dismiss' AND entity_id = $1";
    assert_eq!(scalar(&app, audited, pair).await, 1);

    // Writing either again does not bring it back.
    assert_eq!(app.update_graduate(&a.token, one, &json!({"summary": "更新"})).await.status, StatusCode::OK);
    assert_eq!(app.update_graduate(&b.token, two, &json!({"summary": "更新"})).await.status, StatusCode::OK);
    assert!(open_pairs(&app, &coordinator).await.is_empty());
    assert_eq!(app.duplicates(&coordinator.token, "dismissed").await.body["total"], 1);
    assert_eq!(app.dismiss_duplicate(&coordinator.token, pair).await.status, StatusCode::CONFLICT);
    assert_eq!(app.merge_duplicate(&coordinator.token, pair, one).await.status, StatusCode::CONFLICT);
    assert_eq!(app.dismiss_duplicate(&coordinator.token, 424_242).await.status, StatusCode::NOT_FOUND);
}

async fn erasing_a_graduate_removes_its_open_pairs(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let number = id_number("20050101", 357);
    graduate(&app, &a, json!({"name": "郑毅", "id_number": number})).await;
    let two = graduate(&app, &b, json!({"name": "郑毅", "id_number": number})).await;
    assert_eq!(open_pairs(&app, &coordinator).await.len(), 1);
    assert_eq!(app.delete(&format!("/api/v1/graduates/{two}"), Some(&b.token)).await.status, StatusCode::NO_CONTENT);
    assert!(open_pairs(&app, &coordinator).await.is_empty());
    let left = scalar(&app, "SELECT COUNT(*) FROM graduate_duplicates WHERE other_id = $1", two).await;
    assert_eq!(left, 0, "no pair keeps an erased graduate's id");
}

async fn only_coordinators_handle_duplicates(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let one = graduate(&app, &a, json!({"name": "何敏", "phone": "13800000021"})).await;
    graduate(&app, &b, json!({"name": "何敏", "phone": "13800000021"})).await;
    let pair = open_pairs(&app, &coordinator).await[0].0;

    for session in [&a, &b, &company] {
        assert_eq!(app.duplicates(&session.token, "open").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.merge_duplicate(&session.token, pair, one).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.dismiss_duplicate(&session.token, pair).await.status, StatusCode::FORBIDDEN);
        let page = app.page("/app/duplicates", Some(session)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.body.contains("何敏"));
        let form = app.submit(&format!("/app/duplicates/{pair}/dismiss"), Some(session), &[], &[]).await;
        assert_eq!(form.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.get("/api/v1/duplicates", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.page("/app/duplicates", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(open_pairs(&app, &coordinator).await.len(), 1, "still open");
}

async fn concurrent_merges_never_collide(app: TestApp) {
    let Schools { coordinator, a, b } = two_schools(&app).await;
    let c = app.school(&coordinator, "肇庆医学院").await;
    let number = id_number("20020220", 111);
    let mut ids = Vec::new();
    for school in [&a, &b, &c] {
        ids.push(graduate(&app, school, json!({"name": "孙悦", "id_number": number})).await);
    }
    let pairs = open_pairs(&app, &coordinator).await;
    assert_eq!(pairs.len(), 3, "each two of the three records pair");
    let pair_of = |x: i64, y: i64| pairs.iter().find(|(_, g)| *g == vec![x.min(y), x.max(y)]).unwrap().0;

    // Two coordinators merge the first record away into each of the others at once: one
    // wins, the other finds its pair gone or closed. Never both, never a 500.
    let (one, two) = tokio::join!(
        app.merge_duplicate(&coordinator.token, pair_of(ids[0], ids[1]), ids[1]),
        app.merge_duplicate(&coordinator.token, pair_of(ids[0], ids[2]), ids[2]),
    );
    let statuses = [one.status.as_u16(), two.status.as_u16()];
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}: {:?} {:?}", one.body, two.body);
    assert!(statuses.iter().all(|s| matches!(s, 200 | 404 | 409)), "{statuses:?}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM graduates WHERE id = $1", ids[0]).await, 0);

    // The same pair merged twice at once: once.
    let last = open_pairs(&app, &coordinator).await;
    assert_eq!(last.len(), 1, "the two records left still pair: {last:?}");
    let (pair, kept) = (last[0].0, last[0].1[0]);
    let (one, two) = tokio::join!(
        app.merge_duplicate(&coordinator.token, pair, kept),
        app.merge_duplicate(&coordinator.token, pair, kept),
    );
    let mut statuses = [one.status.as_u16(), two.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{:?} {:?}", one.body, two.body);
    assert_eq!(app.count_rows("graduates").await, 1);
}
