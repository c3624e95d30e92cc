//! Matching rounds through the API: choices and shortlists → round → inputs → assignments
//! (stable against the inputs) → publish → each role sees only what it may → a second
//! round over what is left; same seed, same result.

use crate::helpers::{CODE_A, CODE_B, Reply, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

on_both_backends!(
    round_story,
    round_requests_are_checked,
    preferences_are_checked,
    a_round_over_an_event,
    the_supplementary_pass_fills_free_seats_and_every_unplaced_graduate_is_explained
);

async fn posting(app: &TestApp, company: &Session, title: &str, headcount: i64) -> i64 {
    app.create_posting(&company.token, &posting_with(json!({"title": title, "headcount": headcount})))
        .await
        .created_id()
}

async fn graduate(app: &TestApp, school: &Session, name: &str, consent: bool) -> i64 {
    app.create_graduate(&school.token, &graduate_with(json!({"name": name, "consent": consent}))).await.created_id()
}

/// Expect a ranked list stored and answered back.
#[track_caller]
fn assert_ranked(reply: &Reply, field: &str, ids: &[i64]) {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body[field], json!(ids));
}

async fn choose(app: &TestApp, school: &Session, graduate: i64, postings: &[i64]) {
    let reply = app.set_choices(&school.token, graduate, &json!({"posting_ids": postings})).await;
    assert_ranked(&reply, "posting_ids", postings);
}

async fn shortlist(app: &TestApp, company: &Session, posting: i64, graduates: &[i64]) {
    let reply = app.set_shortlist(&company.token, posting, &json!({"graduate_ids": graduates})).await;
    assert_ranked(&reply, "graduate_ids", graduates);
}

/// Create and run a round; wait until it is done and return it.
async fn run_round(app: &TestApp, coordinator: &Session, body: Value) -> Value {
    let created = app.create_round(&coordinator.token, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["status"], "draft");
    let id = created.body["id"].as_i64().unwrap();
    let started = app.start_round(&coordinator.token, id).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{:?}", started.body);
    for _ in 0..200 {
        let round = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
        match round.body["status"].as_str() {
            Some("done") => return round.body,
            Some("failed") => panic!("round failed: {:?}", round.body),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    panic!("round {id} did not finish within 10 s");
}

/// Every assignment row of a round (all pages) as graduate → row.
async fn assignment_rows(app: &TestApp, token: &str, round: i64) -> HashMap<i64, Value> {
    let mut rows = HashMap::new();
    for page in 1.. {
        let reply = app.get(&format!("/api/v1/rounds/{round}/assignments?per_page=2&page={page}"), Some(token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let items = reply.body["items"].as_array().unwrap().clone();
        for item in &items {
            rows.insert(item["graduate_id"].as_i64().unwrap(), item.clone());
        }
        if items.len() < 2 {
            assert_eq!(reply.body["total"].as_i64().unwrap() as usize, rows.len());
            break;
        }
    }
    rows
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// Check, independently of the service, that an assignment is a stable matching of the
/// instance: only mutually listed pairs, capacities respected, no blocking pair.
fn assert_stable(inputs: &Value, assignment: &HashMap<String, Option<String>>) {
    let graduates: HashMap<String, Vec<String>> =
        inputs["graduates"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), ids(v))).collect();
    let postings: HashMap<String, Vec<String>> =
        inputs["postings"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), ids(v))).collect();
    let capacity: HashMap<String, usize> = inputs["capacities"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap() as usize))
        .collect();
    let rank = |list: &[String], id: &str| list.iter().position(|x| x == id);
    let mut held: HashMap<String, Vec<String>> = HashMap::new();
    for (g, p) in assignment {
        if let Some(p) = p {
            assert!(rank(&graduates[g], p).is_some() && rank(&postings[p], g).is_some(), "{g}–{p} not mutually listed");
            held.entry(p.clone()).or_default().push(g.clone());
        }
    }
    for (p, gs) in &held {
        assert!(gs.len() <= capacity[p], "{p} over capacity");
    }
    for (g, list) in &graduates {
        let current = assignment[g].as_ref().and_then(|p| rank(list, p)).unwrap_or(usize::MAX);
        for p in &list[..current.min(list.len())] {
            let Some(their_rank_of_g) = rank(&postings[p], g) else { continue };
            let holders = held.get(p).cloned().unwrap_or_default();
            let full = holders.len() >= capacity[p];
            let worst = holders.iter().filter_map(|h| rank(&postings[p], h)).max();
            assert!(
                full && worst.is_none_or(|w| w < their_rank_of_g),
                "{g} and {p} block: {g} prefers {p}, and {p} has room or holds someone it ranks lower"
            );
        }
    }
}

async fn round_story(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company_a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let company_b = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school_1 = app.school(&coordinator, "肇庆技师学院").await;
    let school_2 = app.school(&coordinator, "肇庆工商职业技术学院").await;

    let p1 = posting(&app, &company_a, "SMT操作工", 1).await;
    let p2 = posting(&app, &company_a, "设备维护技术员", 2).await;
    let p3 = posting(&app, &company_b, "机电维修工", 1).await;
    let g1 = graduate(&app, &school_1, "李明", true).await;
    let g2 = graduate(&app, &school_1, "王芳", true).await;
    let g3 = graduate(&app, &school_2, "陈伟", true).await;
    let g4 = graduate(&app, &school_2, "张丽", true).await;
    let g5 = graduate(&app, &school_2, "刘洋", false).await;

    choose(&app, &school_1, g1, &[p1, p2]).await;
    choose(&app, &school_1, g2, &[p1]).await;
    choose(&app, &school_2, g3, &[p1, p3]).await;
    choose(&app, &school_2, g4, &[p3, p2]).await;
    choose(&app, &school_2, g5, &[p1]).await;
    shortlist(&app, &company_a, p1, &[g3, g1, g2]).await;
    shortlist(&app, &company_b, p3, &[g4, g3]).await;

    let settings = json!({"name": "第一轮双选", "seed": 42, "fill_from_scores": false});
    let round = run_round(&app, &coordinator, settings.clone()).await;
    let id = round["id"].as_i64().unwrap();
    let stats = &round["stats"];
    assert_eq!(stats["graduates"], 5);
    assert_eq!(stats["postings"], 3);
    assert_eq!(stats["seats"], 4);
    assert_eq!(stats["matched"], 3);
    assert_eq!(stats["unmatched"], 2);
    assert_eq!(stats["dropped_choices"], 1, "g5's choice: no consent");

    // The inputs are the instance the solver used; the result is stable against them.
    let inputs = app.get(&format!("/api/v1/rounds/{id}/inputs"), Some(&coordinator.token)).await;
    assert_eq!(inputs.status, StatusCode::OK);
    let inputs = inputs.body;
    assert_eq!(ids(&inputs["graduates"][g1.to_string()]), vec![p1.to_string(), p2.to_string()]);
    assert_eq!(ids(&inputs["postings"][p1.to_string()]), vec![g3.to_string(), g1.to_string(), g2.to_string()]);
    assert_eq!(inputs["capacities"][p2.to_string()], 2);
    assert_eq!(inputs["seed"], 42);
    assert!(inputs["lottery"]["graduates"][g1.to_string()].is_i64(), "the lottery draw is recorded");

    let rows = assignment_rows(&app, &coordinator.token, id).await;
    assert_eq!(rows.len(), 5);
    let assignment: HashMap<String, Option<String>> =
        rows.iter().map(|(g, r)| (g.to_string(), r["posting_id"].as_i64().map(|p| p.to_string()))).collect();
    assert_stable(&inputs, &assignment);
    // Anyone can recheck: the inputs fed to the command's solver give the same assignment.
    let named = xiaoqi::matching::NamedInstance::from_json(inputs.to_string().as_bytes()).expect("inputs parse");
    let solved = xiaoqi::matching::solve(named.instance(), xiaoqi::matching::Proposing::Graduates);
    assert!(xiaoqi::matching::blocking_pairs(named.instance(), &solved).is_empty());
    let output: Value = serde_json::from_str(&named.assignment_json(&solved)).unwrap();
    for (g, p) in &assignment {
        assert_eq!(output["assignment"].get(g).and_then(|p| p.as_str()).map(str::to_string), *p, "graduate {g}");
    }
    // Graduate-proposing deferred acceptance by hand: p1 keeps g3 (its first), g1 falls
    // back to p2, g4 gets p3, g2 (only p1) and g5 (no consent) stay unmatched.
    assert_eq!(rows[&g3]["posting_id"], p1);
    assert_eq!(rows[&g1]["posting_id"], p2);
    assert_eq!(rows[&g1]["graduate_rank"], 2);
    assert_eq!(rows[&g4]["posting_id"], p3);
    assert_eq!(rows[&g4]["posting_rank"], 1);
    assert!(rows[&g4]["score"]["total"].is_f64());
    assert_eq!(rows[&g2]["posting_id"], Value::Null);
    // Why g2 did not get p1: full with a graduate the company ranks higher, named for the coordinator.
    let above = &rows[&g2]["explanation"]["reasons"]["above"][0];
    assert_eq!(above["code"], "full");
    assert_eq!(above["posting_id"], p1);
    assert_eq!(above["lowest_admitted_graduate_id"], g3);
    assert_eq!(above["lowest_admitted_rank"], 1);
    assert_eq!(above["your_rank"], 3);
    assert_eq!(rows[&g3]["posting_id"], p1, "the named graduate really holds the seat");
    assert!(rows[&g2]["explanation"]["zh"].as_str().unwrap().contains("已招满"), "{:?}", rows[&g2]["explanation"]);
    assert!(rows[&g2]["explanation"]["en"].as_str().unwrap().contains("full"));
    assert_eq!(rows[&g5]["explanation"]["reasons"]["dropped"][0]["code"], "no_consent");

    // Same data, same seed: the same result (before publishing: offers then hold the seats).
    let twin = run_round(&app, &coordinator, settings).await;
    let twin_rows = assignment_rows(&app, &coordinator.token, twin["id"].as_i64().unwrap()).await;
    for (g, row) in &rows {
        assert_eq!(twin_rows[g]["posting_id"], row["posting_id"]);
        assert_eq!(twin_rows[g]["explanation"]["reasons"], row["explanation"]["reasons"]);
    }

    // Not published yet: tenants see nothing of it.
    for session in [&company_a, &school_1] {
        let reply = app.get(&format!("/api/v1/rounds/{id}/assignments"), Some(&session.token)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let reply = app.publish_round(&company_a.token, id).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let published = app.publish_round(&coordinator.token, id).await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["status"], "published");
    let again = app.start_round(&coordinator.token, id).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a published round does not run again");
    // Publishing queued one result notice per user of each school and company taking part.
    let mut conn = app.db.read().await.unwrap();
    let results: Vec<(String, String)> = xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT recipient_email, kind FROM notices WHERE round_id = $1 AND kind = 'round_result' ORDER BY recipient_email"
    )
    .bind(id)
    .fetch_all(e)
    .await)
    .unwrap();
    drop(conn);
    let mut expected: Vec<String> =
        [&company_a, &company_b, &school_1, &school_2].iter().map(|s| s.email.to_lowercase()).collect();
    expected.sort();
    assert_eq!(results.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>(), expected);
    assert!(results.iter().all(|(_, k)| k == "round_result"));

    // Each tenant sees its own rows only.
    let seen = |rows: &HashMap<i64, Value>| rows.keys().copied().collect::<HashSet<i64>>();
    let company_rows = assignment_rows(&app, &company_a.token, id).await;
    assert_eq!(seen(&company_rows), HashSet::from([g1, g3]));
    assert_eq!(
        company_rows[&g1]["explanation"]["reasons"].get("above"),
        None,
        "a company is not told the graduate's other choices"
    );
    assert!(!company_rows[&g1]["explanation"]["zh"].as_str().unwrap().contains("已招满"));
    assert_eq!(seen(&assignment_rows(&app, &company_b.token, id).await), HashSet::from([g4]));
    let school_rows = assignment_rows(&app, &school_1.token, id).await;
    assert_eq!(seen(&school_rows), HashSet::from([g1, g2]));
    assert_eq!(
        school_rows[&g2]["explanation"]["reasons"]["above"][0]["lowest_admitted_graduate_id"],
        Value::Null,
        "a school is not told which other school's graduate took the seat"
    );
    assert_eq!(seen(&assignment_rows(&app, &school_2.token, id).await), HashSet::from([g3, g4, g5]));
    let filtered = app
        .get(&format!("/api/v1/rounds/{id}/assignments?school_id={}", school_2.organization_id), Some(&school_1.token))
        .await;
    assert!(filtered.body["items"].as_array().unwrap().iter().all(|r| r["school_id"] == school_1.organization_id));
    let view = app.get(&format!("/api/v1/rounds/{id}"), Some(&school_1.token)).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.body.get("stats").is_none() && view.body.get("scope").is_none(), "{:?}", view.body);
    let school_inputs = app.get(&format!("/api/v1/rounds/{id}/inputs"), Some(&school_1.token)).await.body;
    let listed: HashSet<String> = school_inputs["graduates"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(listed, HashSet::from([g1.to_string(), g2.to_string()]));
    assert!(school_inputs["postings"].as_object().unwrap().is_empty());
    let posting_rows = app.get(&format!("/api/v1/rounds/{id}/postings"), Some(&company_b.token)).await;
    assert_eq!(posting_rows.body["total"], 1);
    assert_eq!(posting_rows.body["items"][0]["posting_id"], p3);

    // The workbook.
    let export = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/rounds/{id}/export.xlsx")))
        .bearer_auth(&coordinator.token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = export.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04") && bytes.len() > 1000, "an xlsx is a zip file");

    // A second round over what is left: p1 has no seat left, p2 one; g2 gets p2 from scores.
    let second =
        run_round(&app, &coordinator, json!({"name": "第二轮", "seed": 7, "scope": {"exclude_matched_in_round": id}}))
            .await;
    let second_id = second["id"].as_i64().unwrap();
    assert_eq!(second["stats"]["graduates"], 2, "g2 and g5 are left");
    assert_eq!(second["stats"]["seats"], 1, "p2 has one seat left");
    let second_rows = assignment_rows(&app, &coordinator.token, second_id).await;
    assert_eq!(second_rows[&g2]["posting_id"], p2, "{:?}", second_rows[&g2]);
    assert_eq!(second_rows[&g2]["explanation"]["reasons"]["dropped"][0]["code"], "no_seats_left");
    let second_inputs = app.get(&format!("/api/v1/rounds/{second_id}/inputs"), Some(&coordinator.token)).await.body;
    let second_assignment: HashMap<String, Option<String>> =
        second_rows.iter().map(|(g, r)| (g.to_string(), r["posting_id"].as_i64().map(|p| p.to_string()))).collect();
    assert_stable(&second_inputs, &second_assignment);

    // A third round excludes the second and, through it, the first: only g5 is left, and
    // no seat (p1 and p3 were filled in round one, p2's two seats in rounds one and two).
    let third = run_round(
        &app,
        &coordinator,
        json!({"name": "第三轮", "seed": 7, "scope": {"exclude_matched_in_round": second_id}}),
    )
    .await;
    assert_eq!(third["stats"]["graduates"], 1);
    assert_eq!(third["stats"]["seats"], 0);
}

async fn round_requests_are_checked(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    let reply = app.create_round(&school.token, &json!({"name": "x"})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.create_round(&company.token, &json!({"name": "x"})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let bad = json!({
        "name": "",
        "proposing": "companies",
        "candidates_per_graduate": 0,
        "weights": {"text": -1},
        "seed": "abc",
        "supplementary": "maybe",
        "scope": {"posting_ids": [1, 1], "school_ids": [99999], "colour": "red"},
        "extra": true
    });
    let reply = app.create_round(&coordinator.token, &bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", reply.body);
    let fields = reply.error_fields();
    for field in [
        "name",
        "proposing",
        "candidates_per_graduate",
        "weights",
        "seed",
        "supplementary",
        "scope.posting_ids[1]",
        "scope.colour",
        "extra",
    ] {
        assert!(fields.contains(&field.to_string()), "{field} not named in {fields:?}");
    }
    let reply = app.create_round(&coordinator.token, &json!({"name": "x", "scope": {"school_ids": [99999]}})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_fields(), vec!["scope.school_ids[0]"]);
    let reply = app
        .create_round(&coordinator.token, &json!({"name": "x", "scope": {"exclude_matched_in_round": 424242}}))
        .await;
    assert_eq!(reply.error_fields(), vec!["scope.exclude_matched_in_round"]);

    let draft = app.create_round(&coordinator.token, &json!({"name": "草稿"})).await;
    assert_eq!(draft.status, StatusCode::CREATED);
    assert_eq!(draft.body["proposing"], "graduates");
    assert_eq!(draft.body["fill_from_scores"], true);
    assert_eq!(draft.body["candidates_per_graduate"], 20);
    assert_eq!(draft.body["supplementary"], true);
    assert!(draft.body["seed"].is_i64(), "a seed is drawn and recorded");
    let id = draft.body["id"].as_i64().unwrap();
    let reply = app.start_round(&school.token, id).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.get(&format!("/api/v1/rounds/{id}/assignments"), Some(&coordinator.token)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "no results before a run");
    let reply = app.publish_round(&coordinator.token, id).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "a draft cannot be published");
    let reply = app.get(&format!("/api/v1/rounds/{id}"), Some(&school.token)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "drafts are the coordinators' business");
    let list = app.get("/api/v1/rounds", Some(&school.token)).await;
    assert_eq!(list.body["total"], 0);
    let list = app.get("/api/v1/rounds", Some(&coordinator.token)).await;
    assert_eq!(list.body["total"], 1);
    let reply =
        app.get(&format!("/api/v1/rounds/{id}/assignments?matched=maybe&per_page=500"), Some(&coordinator.token)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_fields(), vec!["matched", "per_page"]);
}

async fn preferences_are_checked(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company_a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let company_b = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school_1 = app.school(&coordinator, "肇庆技师学院").await;
    let school_2 = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let p1 = posting(&app, &company_a, "SMT操作工", 1).await;
    let g1 = graduate(&app, &school_1, "李明", true).await;
    let hidden = graduate(&app, &school_2, "刘洋", false).await;
    let choices = format!("/api/v1/graduates/{g1}/choices");

    let reply = app.set_choices(&school_2.token, g1, &json!({"posting_ids": [p1]})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "another school's graduate");
    let reply = app.set_choices(&company_a.token, g1, &json!({"posting_ids": [p1]})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.set_choices(&school_1.token, g1, &json!({"posting_ids": [p1, p1]})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids[1]"]);
    let many: Vec<i64> = (1..=31).collect();
    let reply = app.set_choices(&school_1.token, g1, &json!({"posting_ids": many})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids"]);
    let reply = app.set_choices(&school_1.token, g1, &json!({"posting_ids": [p1, 999999]})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids[1]"]);
    let reply = app.set_choices(&school_1.token, g1, &json!({})).await;
    assert_eq!(reply.error_fields(), vec!["posting_ids"]);
    let reply = app.get(&choices, Some(&school_1.token)).await;
    assert_eq!(reply.body["posting_ids"], json!([]), "nothing was written by the failed calls");
    choose(&app, &school_1, g1, &[p1]).await;
    assert_eq!(app.get(&choices, Some(&school_1.token)).await.body["posting_ids"], json!([p1]));

    let list = format!("/api/v1/postings/{p1}/shortlist");
    let reply = app.set_shortlist(&company_b.token, p1, &json!({"graduate_ids": [g1]})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "another company's posting");
    let reply = app.set_shortlist(&school_1.token, p1, &json!({"graduate_ids": [g1]})).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.set_shortlist(&company_a.token, p1, &json!({"graduate_ids": [g1, hidden]})).await;
    assert_eq!(
        reply.error_fields(),
        vec!["graduate_ids[1]"],
        "a graduate who did not consent is not there for companies"
    );
    shortlist(&app, &company_a, p1, &[g1]).await;
    assert_eq!(app.get(&list, Some(&company_a.token)).await.body["graduate_ids"], json!([g1]));

    // Erasing a graduate erases its choices and its places on shortlists.
    let reply = app.delete(&format!("/api/v1/graduates/{g1}"), Some(&school_1.token)).await;
    assert!(reply.status.is_success(), "{:?}", reply.body);
    assert_eq!(app.get(&list, Some(&company_a.token)).await.body["graduate_ids"], json!([]));
}

on_both_backends!(an_interrupted_round_fails_and_runs_again);

/// Set a round's status and heartbeat directly, as a process that died mid-run leaves it.
async fn leave_running(app: &TestApp, id: i64, heartbeat_age_secs: i64) {
    let heartbeat = chrono::Utc::now() - chrono::Duration::seconds(heartbeat_age_secs);
    let mut tx = app.db.begin().await.unwrap();
    xiaoqi::store::on_backend!(&mut tx, |e| sqlx::query(
        "UPDATE rounds SET status = 'running', phase = 'candidates', heartbeat_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(heartbeat)
    .execute(e)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
}

async fn an_interrupted_round_fails_and_runs_again(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let p = posting(&app, &company, "SMT操作工", 2).await;
    for name in ["李明", "王芳", "陈伟"] {
        let g = graduate(&app, &school, name, true).await;
        choose(&app, &school, g, &[p]).await;
    }
    let round = run_round(&app, &coordinator, json!({"name": "第一轮", "seed": 3})).await;
    let id = round["id"].as_i64().unwrap();
    let before = assignment_rows(&app, &coordinator.token, id).await;

    // Running and alive: a second run is refused.
    leave_running(&app, id, 0).await;
    let reply = app.start_round(&coordinator.token, id).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    let reply = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
    assert_eq!(reply.body["progress"]["phase"], "candidates");

    // The process died mid-run (no heartbeat for minutes) and the service restarts.
    leave_running(&app, id, 600).await;
    let app = app.restart(|_| {}).await;
    let coordinator_token = app.log_in("coordinator@xinqu.gov.cn", crate::helpers::PASSWORD).await.body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut status = Value::Null;
    for _ in 0..100 {
        status = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator_token)).await.body;
        if status["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status["status"], "failed", "{status:?}");
    assert!(status["error"].as_str().unwrap().contains("interrupted"));

    // It runs again from scratch, to the same result, with no rows left over.
    let started = app.start_round(&coordinator_token, id).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{:?}", started.body);
    for _ in 0..200 {
        if app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator_token)).await.body["status"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = assignment_rows(&app, &coordinator_token, id).await;
    assert_eq!(after.len(), 3);
    for (g, row) in &before {
        assert_eq!(after[g]["posting_id"], row["posting_id"]);
    }
}

async fn a_round_over_an_event(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company_a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let company_b = app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await;
    let school_1 = app.school(&coordinator, "肇庆技师学院").await;
    let school_2 = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let at_fair = posting(&app, &company_b, "机电维修工", 1).await;
    let elsewhere = posting(&app, &company_a, "SMT操作工", 5).await;
    let g1 = graduate(&app, &school_1, "李明", true).await;
    let g2 = graduate(&app, &school_2, "王芳", true).await;
    choose(&app, &school_1, g1, &[at_fair]).await;
    choose(&app, &school_2, g2, &[at_fair, elsewhere]).await;

    let day = (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d");
    let event = app
        .create_event(
            &coordinator.token,
            &json!({"kind": "job_fair", "title": "双选会", "venue": "体育中心", "starts_at": format!("{day}T09:00"),
                    "ends_at": format!("{day}T12:00"), "booth_capacity": 5, "seat_capacity": 50,
                    "invited_organization_ids": [company_a.organization_id, company_b.organization_id, school_2.organization_id]}),
        )
        .await;
    let event_id = event.body["id"].as_i64().unwrap();
    let reply = app.register(&company_b.token, event_id, &json!({"posting_ids": [at_fair]})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let reply = app.register(&school_2.token, event_id, &json!({"graduates": 1, "teacher_name": "王老师"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    // The round takes approved registrations.
    let path = format!("/api/v1/events/{event_id}/registrations");
    for registration in app.get(&path, Some(&coordinator.token)).await.body["items"].as_array().unwrap() {
        let id = registration["id"].as_i64().unwrap();
        let reply = app.decide_registration(&coordinator.token, event_id, id, &json!({"status": "approved"})).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }

    let reply = app
        .create_round(&coordinator.token, &json!({"name": "x", "scope": {"event_id": event_id, "project_ids": [1]}}))
        .await;
    assert_eq!(reply.error_fields(), vec!["scope.posting_ids"], "one way to choose postings");
    let reply = app.create_round(&coordinator.token, &json!({"name": "x", "scope": {"event_id": 99999}})).await;
    assert_eq!(reply.error_fields(), vec!["scope.event_id"]);

    // Only what the fair brings: company B's posting and school 2's graduates.
    let round = run_round(
        &app,
        &coordinator,
        json!({"name": "双选会现场匹配", "seed": 1, "fill_from_scores": false, "scope": {"event_id": event_id}}),
    )
    .await;
    assert_eq!(round["stats"]["postings"], 1);
    assert_eq!(round["stats"]["graduates"], 1);
    let rows = assignment_rows(&app, &coordinator.token, round["id"].as_i64().unwrap()).await;
    assert_eq!(rows.keys().copied().collect::<HashSet<_>>(), HashSet::from([g2]));
    assert_eq!(rows[&g2]["posting_id"], at_fair);
    assert_eq!(
        rows[&g2]["explanation"]["reasons"]["dropped"][0]["code"], "out_of_scope",
        "the other posting is not at the fair"
    );
}

/// One well-paid posting everyone wants (one seat) and a plainer one with room: with one
/// suggestion each, the main solve places one graduate; the supplementary pass offers the
/// others the free seats and places them, stable against the final inputs. Those left out
/// say why: no consent, or no eligible posting (education, location).
async fn the_supplementary_pass_fills_free_seats_and_every_unplaced_graduate_is_explained(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let wanted = app
        .create_posting(
            &company.token,
            &posting_with(json!({"title": "SMT操作工", "headcount": 1, "salary_max": 9000})),
        )
        .await
        .created_id();
    let plain = app
        .create_posting(
            &company.token,
            &posting_with(json!({"title": "仓库管理员", "headcount": 5, "majors": ["会计"], "salary_max": 4500,
                                 "benefits": []})),
        )
        .await
        .created_id();
    let mut seeking = Vec::new();
    for name in ["李明", "王芳", "陈伟", "张丽"] {
        seeking.push(graduate(&app, &school, name, true).await);
    }
    let hidden = graduate(&app, &school, "刘洋", false).await;
    let too_young = app
        .create_graduate(&school.token, &graduate_with(json!({"name": "赵强", "education": "junior_high"})))
        .await
        .created_id();
    let elsewhere = app
        .create_graduate(&school.token, &graduate_with(json!({"name": "孙悦", "preferred_locations": ["四会市"]})))
        .await
        .created_id();

    let settings = json!({"name": "补录", "seed": 5, "candidates_per_graduate": 1});
    let round = run_round(&app, &coordinator, settings).await;
    let id = round["id"].as_i64().unwrap();
    let stats = &round["stats"];
    assert_eq!(stats["seats"], 6);
    assert_eq!(stats["placeable"], 4, "{stats:?}");
    assert_eq!(stats["matched"], 4, "{stats:?}");
    assert_eq!(stats["placed_by_supplementary"], 3);
    assert_eq!(stats["supplementary_passes"], 1);
    assert_eq!(stats["moved"], 0);
    assert_eq!(stats["fill_rate"], 1.0);
    assert_eq!(stats["unmatched_by_reason"], json!({"no_consent": 1, "no_eligible_posting": 2}));
    assert!(stats["timings_ms"]["supplementary"].is_u64(), "{stats:?}");

    let inputs = app.get(&format!("/api/v1/rounds/{id}/inputs"), Some(&coordinator.token)).await.body;
    let rows = assignment_rows(&app, &coordinator.token, id).await;
    let assignment: HashMap<String, Option<String>> =
        rows.iter().map(|(g, r)| (g.to_string(), r["posting_id"].as_i64().map(|p| p.to_string()))).collect();
    assert_stable(&inputs, &assignment);
    let holder = *seeking.iter().find(|g| rows[g]["posting_id"] == wanted).expect("one holds the wanted seat");
    for g in seeking.iter().filter(|g| **g != holder) {
        // The offer came after the graduate's own list, and the posting ranks it too.
        assert_eq!(ids(&inputs["graduates"][g.to_string()]), vec![wanted.to_string(), plain.to_string()]);
        assert!(ids(&inputs["postings"][plain.to_string()]).contains(&g.to_string()));
        assert_eq!(rows[g]["posting_id"], plain);
        assert_eq!(rows[g]["graduate_rank"], 2);
        assert_eq!(rows[g]["explanation"]["reasons"]["offered_from"], 2);
        let zh = rows[g]["explanation"]["zh"].as_str().unwrap();
        assert!(zh.contains("补录") && zh.contains("已招满"), "{zh}");
        assert!(rows[g]["explanation"]["en"].as_str().unwrap().contains("supplementary offer"));
    }
    let reason = |g: i64| rows[&g]["explanation"]["reasons"]["unplaced"].clone();
    assert_eq!(reason(hidden), json!({"code": "no_consent"}));
    assert_eq!(reason(too_young), json!({"code": "no_eligible_posting", "excluded_by": "education"}));
    assert_eq!(reason(elsewhere), json!({"code": "no_eligible_posting", "excluded_by": "location"}));
    assert!(rows[&too_young]["explanation"]["zh"].as_str().unwrap().contains("学历低于所有岗位的要求"));
    assert!(rows[&elsewhere]["explanation"]["en"].as_str().unwrap().contains("no posting is in a preferred location"));
    let named = xiaoqi::matching::NamedInstance::from_json(inputs.to_string().as_bytes()).expect("inputs parse");
    let solved = xiaoqi::matching::solve(named.instance(), xiaoqi::matching::Proposing::Graduates);
    let output: Value = serde_json::from_str(&named.assignment_json(&solved)).unwrap();
    for (g, p) in &assignment {
        assert_eq!(output["assignment"].get(g).and_then(|p| p.as_str()).map(str::to_string), *p, "graduate {g}");
    }

    // Without the pass, the others are left out, and told that free seats were not offered.
    let round = run_round(
        &app,
        &coordinator,
        json!({"name": "不补录", "seed": 5, "candidates_per_graduate": 1,
                                                     "supplementary": false}),
    )
    .await;
    assert_eq!(round["stats"]["matched"], 1);
    assert_eq!(round["stats"]["fill_rate"], 0.25);
    assert_eq!(round["stats"]["unmatched_by_reason"]["not_offered"], 3);
    let rows = assignment_rows(&app, &coordinator.token, round["id"].as_i64().unwrap()).await;
    let left = seeking.iter().find(|g| rows[g]["posting_id"].is_null()).unwrap();
    assert_eq!(rows[left]["explanation"]["reasons"]["unplaced"]["code"], "not_offered");
    assert!(rows[left]["explanation"]["zh"].as_str().unwrap().contains("补录"));
}
