//! Pages: me area — the graduate's own page behind their personal link, the download of
//! everything held about them, and the school's consent page that hands the link out.

use crate::helpers::{CODE_A, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoqi::domain::consent::CURRENT_TEXT;
use xiaoqi::services::signing::{Claims, Signer};

on_both_backends!(
    the_graduate_sees_their_page_and_withdraws_consent,
    the_download_holds_everything_and_is_audited,
    altered_expired_and_erased_links_open_nothing,
    the_school_records_consent_and_hands_out_the_link,
    companies_see_what_graduates_consented_to,
);

const ID_NUMBER: &str = "441202200403151237";

struct World {
    coordinator: Session,
    school: Session,
    company: Session,
    graduate: i64,
    postings: [i64; 2],
}

async fn world(app: &TestApp) -> World {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let first =
        app.create_posting(&company.token, &posting_with(json!({"title": "设备维护技术员"}))).await.created_id();
    let second = app.create_posting(&company.token, &posting_with(json!({"title": "SMT操作工"}))).await.created_id();
    let body = graduate_with(json!({"name": "陈嘉欣", "student_no": "2022010315", "id_number": ID_NUMBER,
        "gender": "male", "birth_date": "2004-03-15", "class_name": "机电2201班", "phone": "13912345678"}));
    let graduate = app.create_graduate(&school.token, &body).await.created_id();
    let chosen = app.set_choices(&school.token, graduate, &json!({"posting_ids": [second, first]})).await;
    assert_eq!(chosen.status, StatusCode::OK, "{:?}", chosen.body);
    World { coordinator, school, company, graduate, postings: [first, second] }
}

/// The graduate's page path (`/me/{token}`), as the school hands it out.
async fn my_page(app: &TestApp, school: &Session, graduate: i64) -> String {
    let link = app.get(&format!("/api/v1/graduates/{graduate}/link"), Some(&school.token)).await;
    assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
    let url = link.body["url"].as_str().unwrap();
    assert!(url.starts_with("http"), "an absolute link to send: {url}");
    url.split_once("/me/").map(|(_, token)| format!("/me/{token}")).unwrap()
}

/// Answers behind a personal link are never cached or indexed.
fn private(headers: &reqwest::header::HeaderMap) {
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert!(headers.get("x-robots-tag").is_some());
}

async fn the_graduate_sees_their_page_and_withdraws_consent(app: TestApp) {
    let w = world(&app).await;
    let me = my_page(&app, &w.school, w.graduate).await;

    let page = app.page(&me, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    private(&page.headers);
    let body = &page.body;
    for shown in ["陈嘉欣", "肇庆技师学院", "2022010315", "机电2201班", "13912345678", "4412**********1237"]
    {
        assert!(body.contains(shown), "the page shows {shown}");
    }
    assert!(!body.contains(ID_NUMBER), "the ID number is masked on the page");
    assert!(body.contains(CURRENT_TEXT.purpose_zh), "the purpose of consent");
    assert!(body.contains("consent-given") && body.contains("已同意推荐"));
    assert!(body.contains("学校老师录入"), "how it was recorded");
    // Choices, in the school's ranking.
    let second = body.find("SMT操作工").expect("second posting listed");
    let first = body.find("设备维护技术员").expect("first posting listed");
    assert!(second < first, "ranked as chosen");
    assert!(body.contains("第 1 志愿"));
    assert!(body.contains(&format!("action=\"{me}/consent\"")));
    assert!(body.contains(&format!("href=\"{me}/data.json\"")));

    let english = app.page(&format!("{me}?lang=en"), None).await;
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Withdraw my consent") && english.body.contains(CURRENT_TEXT.purpose_en));

    // Withdraw: recorded as the graduate's own, through the link, with no user.
    let posted = app.submit(&format!("{me}/consent"), None, &[("given", "false")], &[]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    assert_eq!(posted.location(), format!("{me}#consent"));
    let flash = posted.cookie("xiaoqi_flash").expect("a message for the next page");
    let flash = flash.split(';').next().unwrap().to_string();
    let after = app.page_with(&me, None, &[("Cookie", &flash)]).await;
    assert!(after.body.contains("已撤回您的同意"), "the flash says so");
    assert!(after.body.contains("consent-withdrawn") && after.body.contains("同意向园区企业推荐"));
    assert!(after.body.contains("本人通过个人链接") && after.body.contains("本人"));
    let history = app.get(&format!("/api/v1/graduates/{}/consent", w.graduate), Some(&w.school.token)).await;
    let latest = &history.body["items"][0];
    assert_eq!(latest["given"], false);
    assert_eq!(latest["method"], "graduate_link");
    assert_eq!(latest["user_id"], Value::Null);
    assert_eq!(latest["recorded_by"], Value::Null);

    // Give it again, and a nonsense answer names the field.
    let given = app.submit(&format!("{me}/consent"), None, &[("given", "true")], &[]).await;
    assert_eq!(given.status, StatusCode::SEE_OTHER);
    let grad = app.get(&format!("/api/v1/graduates/{}", w.graduate), Some(&w.school.token)).await;
    assert_eq!(grad.body["consent"], true);
    let bad = app.submit(&format!("{me}/consent"), None, &[("given", "maybe")], &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("推荐同意：") && bad.body.contains("role=\"alert\""), "{}", bad.body);
    let history = app.get(&format!("/api/v1/graduates/{}/consent", w.graduate), Some(&w.school.token)).await;
    assert_eq!(history.body["total"], 3);
}

async fn the_download_holds_everything_and_is_audited(app: TestApp) {
    let w = world(&app).await;
    let listed = app.set_shortlist(&w.company.token, w.postings[1], &json!({"graduate_ids": [w.graduate]})).await;
    assert_eq!(listed.status, StatusCode::OK);
    // A published round placing the graduate.
    let round = app
        .create_round(&w.coordinator.token, &json!({"name": "第一轮双选", "seed": 3, "fill_from_scores": false}))
        .await;
    let round = round.body["id"].as_i64().unwrap();
    assert_eq!(app.start_round(&w.coordinator.token, round).await.status, StatusCode::ACCEPTED);
    for _ in 0..200 {
        let r = app.get(&format!("/api/v1/rounds/{round}"), Some(&w.coordinator.token)).await;
        if r.body["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let me = my_page(&app, &w.school, w.graduate).await;
    let before = app.page(&me, None).await;
    assert!(before.body.contains("暂时没有已发布的匹配结果"), "an unpublished round is not shown");
    assert_eq!(app.publish_round(&w.coordinator.token, round).await.status, StatusCode::OK);
    let page = app.page(&me, None).await;
    assert!(
        page.body.contains("第一轮双选") && page.body.contains("匹配到：SMT操作工 · 奥士康科技股份有限公司"),
        "{}",
        page.body
    );

    let download = app.get(&format!("{me}/data.json"), None).await;
    assert_eq!(download.status, StatusCode::OK, "{:?}", download.body);
    assert!(download.content_type.starts_with("application/json"));
    let disposition = download.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(download.headers.get("cache-control").unwrap(), "no-store");
    let data = &download.body;
    assert_eq!(data["graduate"]["id"], w.graduate);
    assert_eq!(data["graduate"]["id_number"], ID_NUMBER, "the whole ID number, for its owner");
    assert_eq!(data["graduate"]["phone"], "13912345678");
    assert_eq!(data["school"]["name"], "肇庆技师学院");
    assert_eq!(data["consent"]["current"], true);
    assert_eq!(data["consent"]["records"].as_array().unwrap().len(), 1);
    assert_eq!(data["consent"]["records"][0]["purpose"], CURRENT_TEXT.purpose_zh);
    let choices: Vec<&Value> = data["choices"].as_array().unwrap().iter().map(|c| &c["posting_id"]).collect();
    assert_eq!(choices, [&json!(w.postings[1]), &json!(w.postings[0])]);
    assert_eq!(data["shortlisted_by_postings"], 1);
    assert_eq!(data["rounds"][0]["round_name"], "第一轮双选");
    assert_eq!(data["rounds"][0]["posting_id"], w.postings[1]);
    assert!(data["rounds"][0]["explanation"]["zh"].is_string());
    let actions: Vec<&str> = data["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"create") && actions.contains(&"set_choices"), "{actions:?}");
    assert!(actions.contains(&"export_own_data"), "this download is in the trail: {actions:?}");

    // Every download is audited, with no user (the graduate did it).
    app.get(&format!("{me}/data.json"), None).await;
    let mut conn = app.db.read().await.unwrap();
    let exports: Vec<(Option<i64>, Option<i64>)> = xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_as(
        "SELECT user_id, organization_id FROM audit_entries WHERE action = 'export_own_data' AND entity_id = $1"
    )
    .bind(w.graduate)
    .fetch_all(e)
    .await)
    .unwrap();
    assert_eq!(exports, vec![(None, Some(w.school.organization_id)); 2]);
}

async fn altered_expired_and_erased_links_open_nothing(app: TestApp) {
    let w = world(&app).await;
    let me = my_page(&app, &w.school, w.graduate).await;

    // Altered: one character changed.
    let mut altered = me.clone().into_bytes();
    let at = altered.len() - 3;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    for path in [altered.clone(), format!("{altered}/data.json"), "/me/nonsense".to_string()] {
        let page = app.page(&path, None).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.body.contains("链接无效") && !page.body.contains("陈嘉欣"), "{path}");
        private(&page.headers);
    }
    let posted = app.submit(&format!("{altered}/consent"), None, &[("given", "false")], &[]).await;
    assert_eq!(posted.status, StatusCode::BAD_REQUEST);

    // Expired, and another kind of signed link: never a graduate's page.
    let signer = Signer::load_or_create(&app.db).await.unwrap();
    let created = {
        let g = app.get(&format!("/api/v1/graduates/{}", w.graduate), Some(&w.school.token)).await;
        chrono::DateTime::parse_from_rfc3339(g.body["created_at"].as_str().unwrap()).unwrap().timestamp_millis()
    };
    let expired =
        signer.sign(&Claims::Graduate { graduate: w.graduate, created, expires: chrono::Utc::now().timestamp() - 1 });
    let page = app.page(&format!("/me/{expired}"), None).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("链接已过期") && !page.body.contains("陈嘉欣"));
    let unsubscribe = signer.sign(&Claims::Unsubscribe { email: "chen@example.cn".into() });
    assert_eq!(app.page(&format!("/me/{unsubscribe}"), None).await.status, StatusCode::BAD_REQUEST);
    // A link made for an earlier record under the same id (SQLite may reuse an erased id).
    let other_record = signer.sign(&Claims::Graduate {
        graduate: w.graduate,
        created: created - 1,
        expires: chrono::Utc::now().timestamp() + 60,
    });
    assert_eq!(app.page(&format!("/me/{other_record}"), None).await.status, StatusCode::GONE);

    // Erased: the link opens nothing, and the download neither.
    assert_eq!(
        app.delete(&format!("/api/v1/graduates/{}", w.graduate), Some(&w.school.token)).await.status,
        StatusCode::NO_CONTENT
    );
    let gone = app.page(&me, None).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("记录已不存在"));
    assert_eq!(app.page(&format!("{me}/data.json"), None).await.status, StatusCode::GONE);
    let english = app.page(&format!("{me}?lang=en"), None).await;
    assert!(english.body.contains("Record no longer exists"));
}

async fn the_school_records_consent_and_hands_out_the_link(app: TestApp) {
    let w = world(&app).await;
    let path = format!("/app/graduates/{}/consent", w.graduate);

    let page = app.page(&path, Some(&w.school)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    assert!(
        body.contains("已同意推荐") && body.contains(CURRENT_TEXT.purpose_zh) && body.contains(CURRENT_TEXT.version)
    );
    assert!(body.contains(&w.school.email), "who recorded it");
    assert!(body.contains("学校老师录入"));
    let link_at = body.find("id=\"personal-link\"").expect("the link to copy");
    let link = &body[link_at..];
    let value = link.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(value.contains("/me/"), "{value}");
    let me = format!("/me/{}", value.split("/me/").nth(1).unwrap());
    assert_eq!(app.page(&me, None).await.status, StatusCode::OK, "the link on the page opens the graduate's page");
    assert!(body.contains("action=\"/app/graduates/links\""), "send it by e-mail");
    let english = app.page(&format!("{path}?lang=en"), Some(&w.school)).await;
    assert!(english.body.contains("Record: consent withdrawn") && english.body.contains("Copy link"));

    // Record a withdrawal; the history grows.
    let saved = app.submit(&path, Some(&w.school), &[("given", "false")], &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), path);
    assert!(saved.cookies().iter().any(|c| c.starts_with("xiaoqi_flash=me-flash-consent-withdrawn")));
    let after = app.page(&path, Some(&w.school)).await;
    assert!(after.body.contains("已撤回同意") && after.body.contains("同意记录（共 2 条）"));
    let unchanged = app.submit(&path, Some(&w.school), &[("given", "false")], &[]).await;
    assert!(unchanged.cookies().iter().any(|c| c.starts_with("xiaoqi_flash=me-flash-consent-unchanged")));
    let bad = app.submit(&path, Some(&w.school), &[("given", "perhaps")], &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("role=\"alert\""));

    // Send the link by e-mail: back to this page with the counts.
    let back = path.as_str();
    let id = w.graduate.to_string();
    let sent = app.submit("/app/graduates/links", Some(&w.school), &[("graduate_ids", &id), ("back", back)], &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), back);
    let flash = sent.cookie("xiaoqi_flash").unwrap();
    assert!(flash.starts_with("xiaoqi_flash=me-flash-links-sent.1.0.0;"), "{flash}");
    let shown = app.page_with(back, Some(&w.school), &[("Cookie", "xiaoqi_flash=me-flash-links-sent.1.0.0")]).await;
    assert!(shown.body.contains("已将 1 名学生的个人链接加入邮件发送队列。"), "{}", shown.body);
    let twice = app
        .page_with(
            back,
            Some(&w.school),
            &[("Cookie", "xiaoqi_flash=me-flash-links-sent.0.2.1"), ("Cookie", "lang=en")],
        )
        .await;
    assert!(
        twice.body.contains("2 have no e-mail address") && twice.body.contains("1 were already sent today"),
        "{}",
        twice.body
    );

    // From the roster's bulk form: back to the roster; nothing ticked is a 422; a foreign
    // address is never where it goes back to.
    let roster = app.submit("/app/graduates/links", Some(&w.school), &[("graduate_ids", &id)], &[]).await;
    assert_eq!(roster.location(), "/app/graduates");
    for evil in ["https://evil.example/", "//evil.example/app/graduates/1", "/app/graduates/1/../../x"] {
        let sent =
            app.submit("/app/graduates/links", Some(&w.school), &[("graduate_ids", &id), ("back", evil)], &[]).await;
        assert_eq!(sent.location(), "/app/graduates", "{evil}");
    }
    let none = app.submit("/app/graduates/links", Some(&w.school), &[("back", back)], &[]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("请先勾选要发送个人链接的学生"));

    // Others: another school's user gets a 404 page, a company a 403 page.
    let other = app.school(&w.coordinator, "肇庆工商职业技术学院").await;
    assert_eq!(app.page(&path, Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.submit(&path, Some(&other), &[("given", "true")], &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.page(&path, Some(&w.company)).await.status, StatusCode::FORBIDDEN);
    let refused = app.submit("/app/graduates/links", Some(&other), &[("graduate_ids", &id)], &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The coordinator sees the same page for any school.
    assert_eq!(app.page(&path, Some(&w.coordinator)).await.status, StatusCode::OK);
    // Signed out: to the sign-in page.
    assert_eq!(app.page(&path, None).await.status, StatusCode::SEE_OTHER);
}

async fn companies_see_what_graduates_consented_to(app: TestApp) {
    let w = world(&app).await;
    app.indexed().await;
    let page = app.page(&format!("/app/postings/{}/candidates", w.postings[0]), Some(&w.company)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("陈嘉欣"), "{}", page.body);
    assert!(page.body.contains(&format!("同意用途：{}", CURRENT_TEXT.purpose_zh)));
    let english = app.page(&format!("/app/postings/{}/candidates?lang=en", w.postings[0]), Some(&w.company)).await;
    assert!(english.body.contains(&format!("Consented to: {}", CURRENT_TEXT.purpose_en)));
    // No ID number or contact detail reaches the company's page.
    for private in [ID_NUMBER, "4412**********1237", "13912345678", "2022010315"] {
        assert!(!page.body.contains(private), "{private}");
    }
}
