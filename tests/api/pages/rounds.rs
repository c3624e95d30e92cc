//! Page tests: the coordinator's round pages. Setting a round up on `/app/rounds/new`
//! (the API's parse, refused forms drawn again), progress while it runs, statistics, the
//! graduates' list and one graduate's explanation, publishing with the offers' deadline,
//! the export, and the offers counted by status.

use crate::helpers::{CODE_A, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(setting_up_a_round, running_and_reading_a_round, publishing_a_round);

/// Form fields built from values computed in the test.
fn fields<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

/// The id at the end of a redirect to `/app/rounds/{id}`.
fn round_id(location: &str) -> i64 {
    location.strip_prefix("/app/rounds/").and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("{location}"))
}

async fn round_json(app: &TestApp, coordinator: &Session, id: i64) -> Value {
    let reply = app.get(&format!("/api/v1/rounds/{id}"), Some(&coordinator.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn until_done(app: &TestApp, coordinator: &Session, id: i64) {
    for _ in 0..400 {
        if round_json(app, coordinator, id).await["status"] == "done" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("round {id} did not finish");
}

async fn setting_up_a_round(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let school_id = school.organization_id;
    let first = app.create_posting(&company.token, &posting_with(json!({"title": "SMT操作工"}))).await.created_id();
    let second = app.create_posting(&company.token, &posting_with(json!({"title": "仓管员"}))).await.created_id();

    // Every setting is on the form, each with its explanation; others may not come here.
    let form = app.page("/app/rounds/new", Some(&coordinator)).await;
    assert_eq!(form.status, StatusCode::OK);
    for name in [
        "name",
        "scope.event_id",
        "scope.posting_ids",
        "scope.school_ids",
        "scope.exclude_matched_in_round",
        "proposing",
        "fill_from_scores",
        "candidates_per_graduate",
        "weights.text",
        "weights.benefits",
        "seed",
    ] {
        assert!(form.body.contains(&format!("name=\"{name}\"")), "no field {name}");
        assert!(form.body.contains(&format!("id=\"hint-{name}\"")), "no explanation for {name}");
    }
    assert!(form.body.contains(&format!("value=\"{school_id}\"")) && form.body.contains("肇庆技师学院"));
    let english = app.page_with("/app/rounds/new", Some(&coordinator), &[("Cookie", "lang=en")]).await;
    assert!(english.body.contains("Whose optimum"), "{}", english.body);
    assert_eq!(app.page("/app/rounds/new", Some(&company)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.page("/app/rounds/new", Some(&school)).await.status, StatusCode::FORBIDDEN);

    // Refused: drawn again with each error beside its field and the input kept; nothing saved.
    let refused = app
        .submit(
            "/app/rounds/new",
            Some(&coordinator),
            &[
                ("name", ""),
                ("candidates_per_graduate", "500"),
                ("scope.posting_ids", "12, abc"),
                ("weights.text", "-1"),
                ("seed", "42"),
            ],
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "candidates_per_graduate", "scope.posting_ids", "weights"] {
        assert!(refused.body.contains(&format!("id=\"error-{field}\"")), "no error beside {field}: {}", refused.body);
    }
    assert!(refused.body.contains("value=\"12, abc\"") && refused.body.contains("value=\"42\""));
    let listed = app.get("/api/v1/rounds", Some(&coordinator.token)).await;
    assert_eq!(listed.body["total"], 0);

    // Rules across fields and stored rows, named as the API names them.
    let both = app
        .submit(
            "/app/rounds/new",
            Some(&coordinator),
            &fields(&[
                ("name", "两种来源".into()),
                ("scope.posting_ids", first.to_string()),
                ("scope.event_id", "1".into()),
                ("scope.school_ids", "999999".into()),
            ]),
            &[],
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both.body.contains("id=\"error-scope.posting_ids\""), "{}", both.body);

    let unknown = app
        .submit(
            "/app/rounds/new",
            Some(&coordinator),
            &fields(&[("name", "未知学校".into()), ("scope.school_ids", "999999".into())]),
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("id=\"error-scope.school_ids\""), "{}", unknown.body);
    assert!(unknown.body.contains("编号 999999 不存在"), "{}", unknown.body);

    // Saved: the same settings as a JSON body would give, then to the round's page.
    let saved = app
        .submit(
            "/app/rounds/new",
            Some(&coordinator),
            &fields(&[
                ("name", "第一轮双选".into()),
                ("scope.posting_ids", format!("{first}，{second}")),
                ("scope.school_ids", school_id.to_string()),
                ("scope.event_id", "".into()),
                ("proposing", "postings".into()),
                ("candidates_per_graduate", "5".into()),
                ("weights.text", "0.5".into()),
                ("seed", "7".into()),
            ]),
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = round_id(saved.location());
    let round = round_json(&app, &coordinator, id).await;
    assert_eq!(round["status"], "draft");
    assert_eq!(round["scope"], json!({"posting_ids": [first, second], "school_ids": [school_id]}));
    assert_eq!(round["proposing"], "postings");
    assert_eq!(round["fill_from_scores"], false, "an unticked box is false");
    assert_eq!(round["candidates_per_graduate"], 5);
    assert_eq!(round["weights"]["text"], 0.5);
    assert_eq!(round["weights"]["major"], 0.25, "a blank weight takes its default");
    assert_eq!(round["seed"], 7);

    // The draft's page says what to do next: run it.
    let shown = app.page(saved.location(), Some(&coordinator)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains(&format!("action=\"/app/rounds/{id}/run\"")), "{}", shown.body);
    assert!(!shown.body.contains("http-equiv=\"refresh\""));
}

/// Two graduates want one seat; the company ranks 陈伟 first.
async fn contested_seat(app: &TestApp, coordinator: &Session) -> (Session, Session, i64, i64, i64) {
    let company = app.company(coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(coordinator, "肇庆技师学院").await;
    let posting = app
        .create_posting(&company.token, &posting_with(json!({"title": "SMT操作工", "headcount": 1})))
        .await
        .created_id();
    let mut ids = Vec::new();
    for name in ["陈伟", "李娜"] {
        let graduate = app
            .create_graduate(&school.token, &graduate_with(json!({"name": name, "consent": true})))
            .await
            .created_id();
        let chosen = app.set_choices(&school.token, graduate, &json!({"posting_ids": [posting]})).await;
        assert_eq!(chosen.status, StatusCode::OK);
        ids.push(graduate);
    }
    let listed = app.set_shortlist(&company.token, posting, &json!({"graduate_ids": ids})).await;
    assert_eq!(listed.status, StatusCode::OK);
    (company, school, posting, ids[0], ids[1])
}

async fn create_on_page(app: &TestApp, coordinator: &Session, name: &str) -> i64 {
    let saved = app
        .submit(
            "/app/rounds/new",
            Some(coordinator),
            &[("name", name), ("seed", "42"), ("proposing", "graduates"), ("candidates_per_graduate", "20")],
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    round_id(saved.location())
}

async fn running_and_reading_a_round(app: TestApp) {
    let coordinator = app.coordinator().await;
    let (company, school, posting, placed, unplaced) = contested_seat(&app, &coordinator).await;

    // While a round runs, its page shows the phase and percent and reloads itself.
    let watched = create_on_page(&app, &coordinator, "运行中的轮次").await;
    {
        let mut tx = app.db.begin().await.unwrap();
        let token = xiaoqi::store::rounds::claim(&mut tx, watched, Utc::now() - Duration::minutes(5))
            .await
            .unwrap()
            .expect("claimed");
        xiaoqi::store::rounds::progress(&mut tx, watched, token, "solving", 70).await.unwrap();
        tx.commit().await.unwrap();
    }
    let running = app.page(&format!("/app/rounds/{watched}"), Some(&coordinator)).await;
    assert_eq!(running.status, StatusCode::OK);
    assert!(running.body.contains("<meta http-equiv=\"refresh\" content=\"2\">"), "{}", running.body);
    assert!(running.body.contains("<progress id=\"round-progress-bar\" max=\"100\" value=\"70\">"), "{}", running.body);
    assert!(running.body.contains("匹配计算") && running.body.contains("70%"));
    assert!(!running.body.contains(&format!("/app/rounds/{watched}/run")), "no run button while running");

    // Run from the page; when done, statistics, the export and the publish form.
    let id = create_on_page(&app, &coordinator, "第一轮双选").await;
    let started = app.submit(&format!("/app/rounds/{id}/run"), Some(&coordinator), &[], &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    assert_eq!(started.location(), format!("/app/rounds/{id}"));
    until_done(&app, &coordinator, id).await;
    let done = app.page(&format!("/app/rounds/{id}"), Some(&coordinator)).await;
    assert!(!done.body.contains("http-equiv=\"refresh\""));
    let stats =
        done.body.split("class=\"panel round-stats\"").nth(1).expect("statistics").split("</section>").next().unwrap();
    assert!(stats.contains("<dt>已匹配</dt><dd>1</dd>") && stats.contains("<dt>未匹配</dt><dd>1</dd>"), "{stats}");
    assert!(stats.contains("<dt>匹配到第一志愿的比例</dt><dd>100.0%</dd>"), "{stats}");
    assert!(done.body.contains(&format!("href=\"/app/rounds/{id}/export.xlsx\"")));
    assert!(done.body.contains(&format!("action=\"/app/rounds/{id}/publish\"")));
    let due = (Utc::now() + Duration::hours(8) + Duration::days(7)).date_naive();
    assert!(done.body.contains(&format!("name=\"offers_due\" type=\"date\" value=\"{due}\"")), "{}", done.body);

    let export = app.page(&format!("/app/rounds/{id}/export.xlsx"), Some(&coordinator)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.content_type().contains("spreadsheetml"));
    assert_eq!(app.page(&format!("/app/rounds/{id}/export.xlsx"), Some(&company)).await.status, StatusCode::NOT_FOUND);

    // The graduates, searched by name and filtered by outcome, a page at a time.
    let base = format!("/app/rounds/{id}/graduates");
    let all = app.page(&base, Some(&coordinator)).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains(&format!("data-graduate-id=\"{placed}\"")));
    assert!(all.body.contains(&format!("data-graduate-id=\"{unplaced}\"")));
    let named = app.page(&format!("{base}?q=%E6%9D%8E"), Some(&coordinator)).await; // 李
    assert!(named.body.contains("李娜") && !named.body.contains(&format!("data-graduate-id=\"{placed}\"")));
    let left = app.page(&format!("{base}?matched=no"), Some(&coordinator)).await;
    assert!(left.body.contains(&format!("data-graduate-id=\"{unplaced}\"")));
    assert!(!left.body.contains(&format!("data-graduate-id=\"{placed}\"")));
    let paged = app.page(&format!("{base}?per_page=1&page=2"), Some(&coordinator)).await;
    assert!(paged.body.contains(&format!("data-graduate-id=\"{unplaced}\"")), "{}", paged.body);
    assert!(paged.body.contains("rel=\"prev\""));
    assert_eq!(app.page(&base, Some(&school)).await.status, StatusCode::FORBIDDEN);

    // One graduate: the list the round used and why, entry by entry.
    let winner = app.page(&format!("{base}/{placed}"), Some(&coordinator)).await;
    assert_eq!(winner.status, StatusCode::OK);
    assert!(
        winner.body.contains(&format!("data-posting-id=\"{posting}\" data-outcome=\"matched\"")),
        "{}",
        winner.body
    );
    let loser = app.page(&format!("{base}/{unplaced}"), Some(&coordinator)).await;
    assert!(loser.body.contains(&format!("data-posting-id=\"{posting}\" data-outcome=\"full\"")), "{}", loser.body);
    assert!(loser.body.contains("最后录取者第 1 位，本人第 2 位"), "{}", loser.body);
    assert!(loser.body.contains("本人志愿"));
    // A school reads its own graduate's (once published); a company never reads the list.
    assert_eq!(app.page(&format!("{base}/{unplaced}"), Some(&school)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.page(&format!("{base}/999999"), Some(&coordinator)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.publish_round(&coordinator.token, id).await.status, StatusCode::OK);
    assert_eq!(app.page(&format!("{base}/{unplaced}"), Some(&school)).await.status, StatusCode::OK);
    assert_eq!(app.page(&format!("{base}/{placed}"), Some(&company)).await.status, StatusCode::FORBIDDEN);
    let other = app.school(&coordinator, "肇庆学院").await;
    assert_eq!(app.page(&format!("{base}/{unplaced}"), Some(&other)).await.status, StatusCode::NOT_FOUND);
}

async fn publishing_a_round(app: TestApp) {
    let coordinator = app.coordinator().await;
    let (company, _school, posting, placed, _) = contested_seat(&app, &coordinator).await;
    let id = create_on_page(&app, &coordinator, "第一轮双选").await;
    let path = format!("/app/rounds/{id}/publish");

    // Not done yet: nothing to publish.
    let early = app.submit(&path, Some(&coordinator), &[("offers_due", "2099-01-01")], &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(app.start_round(&coordinator.token, id).await.status, StatusCode::ACCEPTED);
    until_done(&app, &coordinator, id).await;

    // A deadline in the past, or none, is refused beside the date; the round stays done.
    let yesterday = (Utc::now() + Duration::hours(8) - Duration::days(1)).date_naive().to_string();
    for sent in [yesterday.as_str(), "", "明天"] {
        let refused = app.submit(&path, Some(&coordinator), &[("offers_due", sent)], &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{sent}");
        assert!(refused.body.contains("id=\"error-offers_due\""), "{}", refused.body);
    }
    assert_eq!(round_json(&app, &coordinator, id).await["status"], "done");
    assert_eq!(
        app.submit(&path, Some(&company), &[("offers_due", "2099-01-01")], &[]).await.status,
        StatusCode::FORBIDDEN
    );

    let due = (Utc::now() + Duration::hours(8) + Duration::days(3)).date_naive().to_string();
    let published = app.submit(&path, Some(&coordinator), &[("offers_due", due.as_str())], &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert_eq!(published.location(), format!("/app/rounds/{id}"));
    assert_eq!(round_json(&app, &coordinator, id).await["status"], "published");
    let again = app.submit(&path, Some(&coordinator), &[("offers_due", due.as_str())], &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Publishing made the placement an offer, due at 23:59 Beijing time on the day chosen;
    // the round page counts offers by status, each linking to the round's offers page.
    let offers = app.get(&format!("/api/v1/offers?round_id={id}"), Some(&coordinator.token)).await;
    let items = offers.body["items"].as_array().expect("offers").clone();
    assert_eq!(items.len(), 1, "{}", offers.body);
    assert_eq!(items[0]["graduate_id"], placed);
    assert_eq!(items[0]["posting_id"], posting);
    let due_at: chrono::DateTime<Utc> = items[0]["due_at"].as_str().unwrap().parse().unwrap();
    let beijing = due_at + Duration::hours(8);
    assert_eq!(beijing.date_naive().to_string(), due);
    assert_eq!(beijing.format("%H:%M").to_string(), "23:59");
    let shown = app.page(&format!("/app/rounds/{id}"), Some(&coordinator)).await;
    assert!(!shown.body.contains(&format!("action=\"{path}\"")), "no publish form once published");
    let offers =
        shown.body.split("class=\"panel round-offers\"").nth(1).expect("offers").split("</section>").next().unwrap();
    assert!(
        offers.contains(&format!(
            "href=\"/app/offers?round_id={id}&#38;status=pending\">待答复 <span class=\"count\">1</span>"
        )),
        "{offers}"
    );
    assert!(offers.contains(&format!("href=\"/app/offers?round_id={id}\"")), "{offers}");
}
