//! Page tests: the school's pages. The roster read from the database (fresh, filtered, a
//! page at a time, exported), a graduate (added, shown with the ID number masked and an
//! audited reveal, changed, erased after a confirmation), ranked choices kept by forms, the
//! dashboard, and the school's side of events and published rounds.

use crate::helpers::{CODE_A, Session, TestApp, fair_at, graduate_with, posting_with};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_roster_reads_the_database_filters_and_pages,
    the_export_is_the_filtered_roster_with_whole_ids_and_is_audited,
    a_graduate_is_added_shown_changed_and_erased,
    choices_are_found_added_reordered_and_capped,
    the_school_dashboard_says_what_to_do_next,
    a_school_registers_for_an_event_with_its_party,
    a_school_reads_its_graduates_outcomes_in_a_published_round,
);

/// A valid 18-character ID number for `body` (17 digits): the GB 11643 check character added.
fn id_number(body: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// Form fields built from values computed in the test.
fn fields<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    pairs.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

/// The graduates listed on a roster page, in order.
fn roster_rows(html: &str) -> Vec<i64> {
    let table = html.split("<table class=\"cards roster\">").nth(1).unwrap_or("");
    table.split("<tr data-graduate-id=\"").skip(1).filter_map(|row| row.split('"').next()?.parse().ok()).collect()
}

/// How many audit entries record `action`.
async fn audited(app: &TestApp, action: &'static str) -> i64 {
    let mut conn = app.db.read().await.unwrap();
    xiaoqi::store::on_backend!(&mut conn, |e| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_entries WHERE action = $1"
    )
    .bind(action)
    .fetch_one(e)
    .await)
    .unwrap()
}

/// A school with `n` graduates: 学号 ZQ2026001…, classes 机电2301班 and 数控2301班 taking
/// turns, every third one not consenting; returns their ids in 学号 order.
async fn roster_of(app: &TestApp, school: &Session, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let (major, class) =
            if i % 2 == 1 { ("机电一体化", "机电2301班") } else { ("数控技术", "数控2301班") };
        let body = graduate_with(json!({
            "name": format!("学生{i:02}"), "student_no": format!("ZQ2026{i:03}"), "class_name": class,
            "major": major, "consent": i % 3 != 0, "gender": if i % 2 == 1 { "male" } else { "female" },
            "phone": format!("138{i:08}"), "email": format!("s{i}@example.cn"),
        }));
        ids.push(app.create_graduate(&school.token, &body).await.created_id());
    }
    ids
}

async fn the_roster_reads_the_database_filters_and_pages(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other = app.school(&coordinator, "肇庆市高级技工学校").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let ids = roster_of(&app, &school, 23).await;
    let theirs = app.create_graduate(&other.token, &graduate_with(json!({"name": "外校学生"}))).await.created_id();

    // Right after the writes, without waiting for the search index: the roster is the
    // database's, by 学号, a page at a time.
    let first = app.page("/app/graduates", Some(&school)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(roster_rows(&first.body), ids[..20].to_vec());
    assert!(first.body.contains("共 23 名毕业生") && !first.body.contains("外校学生"));
    assert!(first.body.contains("<a class=\"button primary\" href=\"/app/graduates/import\">导入名单</a>"));
    assert!(first.body.contains("href=\"/app/graduates/new\""));
    assert!(first.body.contains("<form class=\"bulk\" method=\"post\" action=\"/app/graduates/links\">"));
    assert!(first.body.contains(&format!("name=\"graduate_ids\" value=\"{}\"", ids[0])));
    assert!(first.body.contains("data-label=\"学号\" class=\"nowrap\">ZQ2026001<"));
    assert!(first.body.contains("href=\"/app/graduates/export.xlsx\""));
    let second = app.page("/app/graduates?page=2", Some(&school)).await;
    assert_eq!(roster_rows(&second.body), ids[20..].to_vec());
    let beyond = app.page("/app/graduates?major=%E6%95%B0%E6%8E%A7%E6%8A%80%E6%9C%AF&page=9", Some(&school)).await;
    assert_eq!(beyond.status, StatusCode::SEE_OTHER);
    assert_eq!(beyond.location(), "/app/graduates?major=%E6%95%B0%E6%8E%A7%E6%8A%80%E6%9C%AF");

    // Words find a name, a 学号 (ASCII case aside), a class or a major.
    let search = |q: &str| {
        format!("/app/graduates?q={}", url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>())
    };
    assert_eq!(roster_rows(&app.page(&search("学生07"), Some(&school)).await.body), vec![ids[6]]);
    assert_eq!(roster_rows(&app.page(&search("zq2026012"), Some(&school)).await.body), vec![ids[11]]);
    assert_eq!(roster_rows(&app.page(&search("数控2301"), Some(&school)).await.body).len(), 11);
    assert_eq!(roster_rows(&app.page(&search("机电"), Some(&school)).await.body).len(), 12);
    let none = app.page(&search("100%"), Some(&school)).await;
    assert!(roster_rows(&none.body).is_empty() && none.body.contains("没有符合这些条件的毕业生"), "% is literal");
    assert!(roster_rows(&app.page(&search("外校"), Some(&school)).await.body).is_empty(), "another school's");

    // Filters, each as the API names it, kept in the export link and the pages.
    let consenting = app.page("/app/graduates?consent=no", Some(&school)).await;
    assert_eq!(
        roster_rows(&consenting.body),
        ids.iter().enumerate().filter(|(i, _)| (i + 1) % 3 == 0).map(|(_, id)| *id).collect::<Vec<_>>()
    );
    assert!(consenting.body.contains("href=\"/app/graduates/export.xlsx?consent=no\""));
    assert!(consenting.body.contains("<option value=\"no\" selected>"), "the filter shows what is set");
    let changed =
        app.update_graduate(&school.token, ids[0], &json!({"status": "placed", "graduation_year": 2025})).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(roster_rows(&app.page("/app/graduates?status=placed", Some(&school)).await.body), vec![ids[0]]);
    assert_eq!(roster_rows(&app.page("/app/graduates?graduation_year=2025", Some(&school)).await.body), vec![ids[0]]);
    assert_eq!(
        roster_rows(&app.page("/app/graduates?education=bachelor", Some(&school)).await.body),
        Vec::<i64>::new()
    );
    assert_eq!(
        roster_rows(
            &app.page(
                "/app/graduates?education=associate&major=%E6%9C%BA%E7%94%B5%E4%B8%80%E4%BD%93%E5%8C%96",
                Some(&school)
            )
            .await
            .body
        )
        .len(),
        12
    );

    // A hand-edited URL: the filters again with what is wrong, never a 500.
    let bad = app.page("/app/graduates?education=phd&consent=maybe&graduation_year=soon", Some(&school)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["education", "consent", "graduation_year"] {
        assert!(bad.body.contains(&format!("href=\"#field-{field}\"")), "{field} named: {}", bad.body);
    }

    // Coordinators see every school and may pick one; companies have no roster.
    let all = app.page("/app/graduates", Some(&coordinator)).await;
    assert!(all.body.contains("共 24 名毕业生") && all.body.contains("name=\"organization_id\""));
    let theirs_only =
        app.page(&format!("/app/graduates?organization_id={}", other.organization_id), Some(&coordinator)).await;
    assert_eq!(roster_rows(&theirs_only.body), vec![theirs]);
    let own_only = app.page(&format!("/app/graduates?organization_id={}", other.organization_id), Some(&school)).await;
    assert!(!roster_rows(&own_only.body).contains(&theirs), "a school's roster is its own, whatever it asks");
    assert_eq!(app.page("/app/graduates", Some(&company)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.page("/app/graduates/export.xlsx", Some(&company)).await.status, StatusCode::FORBIDDEN);
    let signed_out = app.page("/app/graduates", None).await;
    assert_eq!((signed_out.status, signed_out.location()), (StatusCode::SEE_OTHER, "/login?next=%2Fapp%2Fgraduates"));

    // An empty roster says how to fill it.
    let empty_school = app.school(&coordinator, "肇庆医学高等专科学校").await;
    let empty = app.page("/app/graduates", Some(&empty_school)).await;
    assert!(empty.body.contains("名单还是空的") && roster_rows(&empty.body).is_empty());

    let english = app.page("/app/graduates?lang=en", Some(&school)).await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("23 graduates"));
}

/// The export's rows as text, header first.
async fn exported(app: &TestApp, session: &Session, query: &str) -> (StatusCode, String, Vec<Vec<String>>) {
    use calamine::Reader;
    let reply = reqwest::Client::new()
        .get(app.url(&format!("/app/graduates/export.xlsx{query}")))
        .header("Cookie", format!("xiaoqi_session={}", session.token))
        .send()
        .await
        .unwrap();
    let status = reply.status();
    let kind = reply.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = reply.bytes().await.unwrap();
    if status != StatusCode::OK {
        return (status, kind, Vec::new());
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("毕业生名单").unwrap();
    let rows = sheet.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect();
    (status, kind, rows)
}

async fn the_export_is_the_filtered_roster_with_whole_ids_and_is_audited(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other = app.school(&coordinator, "肇庆市高级技工学校").await;
    let whole = id_number("44120220040512331");
    let body = graduate_with(json!({"name": "陈伟", "student_no": "0012", "id_number": whole, "gender": "male",
        "birth_date": "2004-05-12", "class_name": "机电2301班", "skills": ["PLC", "CAD"]}));
    app.create_graduate(&school.token, &body).await.created_id();
    let body = graduate_with(json!({"name": "王芳", "student_no": "0013", "major": "会计", "consent": false}));
    app.create_graduate(&school.token, &body).await.created_id();
    app.create_graduate(&other.token, &graduate_with(json!({"name": "外校学生", "student_no": "0012"})))
        .await
        .created_id();

    let (status, kind, rows) = exported(&app, &school, "?major=%E6%9C%BA%E7%94%B5%E4%B8%80%E4%BD%93%E5%8C%96").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let header = &rows[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    assert_eq!(rows.len(), 2, "the filter holds: {rows:?}");
    let row = &rows[1];
    assert_eq!(row[at("姓名")], "陈伟");
    assert_eq!(row[at("学号")], "0012", "the leading zeros stay");
    assert_eq!(row[at("身份证号")], whole, "the school's own export has the whole number");
    assert_eq!(
        (row[at("性别")].as_str(), row[at("学历")].as_str(), row[at("同意推荐")].as_str()),
        ("男", "大专", "是")
    );
    assert_eq!((row[at("班级")].as_str(), row[at("技能")].as_str()), ("机电2301班", "PLC、CAD"));
    assert_eq!(audited(&app, "export").await, 1, "each export is audited");

    let (_, _, all) = exported(&app, &school, "").await;
    assert_eq!(all.len(), 3, "the school's two graduates, never another school's");
    let (_, _, everyone) = exported(&app, &coordinator, "").await;
    assert_eq!(everyone.len(), 4);
    assert_eq!(audited(&app, "export").await, 3);
    let (status, _, _) = exported(&app, &school, "?education=phd").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A complete, valid graduate form; tests change fields by name.
fn graduate_form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "陈伟"),
        ("student_no", "2023010007"),
        ("class_name", "机电2301班"),
        ("gender", "male"),
        ("id_number", ""),
        ("birth_date", ""),
        ("major", "机电一体化"),
        ("education", "associate"),
        ("graduation_year", "2026"),
        ("status", "seeking"),
        ("skills", "PLC编程、CAD制图"),
        ("certificates", "电工证"),
        ("preferred_locations", "肇庆新区，端州区"),
        ("expected_salary", "5500"),
        ("available_from", "2026-07-01"),
        ("phone", "13800138000"),
        ("email", "chenwei@example.cn"),
        ("summary", "在校期间参加技能竞赛。"),
        ("consent", "true"),
    ];
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        if !value.is_empty() {
            fields.push((name, value));
        }
    }
    fields
}

async fn a_graduate_is_added_shown_changed_and_erased(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other = app.school(&coordinator, "肇庆市高级技工学校").await;
    let whole = id_number("44120220040512331");

    let blank = app.page("/app/graduates/new", Some(&school)).await;
    assert_eq!(blank.status, StatusCode::OK);
    for field in
        ["name=\"student_no\"", "name=\"gender\"", "name=\"id_number\"", "name=\"class_name\"", "name=\"consent\""]
    {
        assert!(blank.body.contains(field), "the form has {field}");
    }
    assert!(!blank.body.contains("name=\"organization_id\""), "a school adds to its own roster");

    // Errors come back beside their fields, the input kept, nothing saved.
    let wrong_check = format!("{}0", &whole[..17]);
    let bad = app
        .submit(
            "/app/graduates/new",
            Some(&school),
            &graduate_form(&[("id_number", wrong_check.as_str()), ("graduation_year", "明年")]),
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"error-id_number\"") && bad.body.contains("校验码不符"), "{}", bad.body);
    assert!(bad.body.contains("id=\"error-graduation_year\"") && bad.body.contains("value=\"陈伟\""));
    assert!(bad.body.contains("<a href=\"#field-id_number\">身份证号："), "the summary names the field");
    assert_eq!(app.count_rows("graduates").await, 0);
    let mismatch = app
        .submit(
            "/app/graduates/new",
            Some(&school),
            &graduate_form(&[("id_number", whole.as_str()), ("gender", "female")]),
            &[],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("id=\"error-gender\""));

    let saved = app
        .submit(
            "/app/graduates/new",
            Some(&school),
            &graduate_form(&[("id_number", whole.as_str()), ("birth_date", "2004-05-12")]),
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id: i64 = saved.location().strip_prefix("/app/graduates/").and_then(|s| s.parse().ok()).expect("its page");
    assert!(saved.cookies().iter().any(|c| c.starts_with("xiaoqi_flash=sc-flash-graduate-created")));
    let stored = app.get(&format!("/api/v1/graduates/{id}"), Some(&school.token)).await.body;
    assert_eq!(stored["skills"], json!(["PLC编程", "CAD制图"]));
    assert_eq!((stored["consent"].as_bool(), stored["class_name"].as_str()), (Some(true), Some("机电2301班")));
    let again = app.submit("/app/graduates/new", Some(&school), &graduate_form(&[("name", "陈伟二")]), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "the 学号 is taken");
    assert!(again.body.contains("id=\"error-student_no\"") && again.body.contains("本校已有该学号"));

    // The page: the ID masked with a form to show it, consent with its page, choices.
    let path = format!("/app/graduates/{id}");
    let shown = app.page(&path, Some(&school)).await;
    assert_eq!(shown.status, StatusCode::OK);
    let masked = format!("{}**********{}", &whole[..4], &whole[14..]);
    assert!(shown.body.contains(&masked) && !shown.body.contains(&whole), "masked");
    assert!(shown.body.contains(&format!("<form method=\"post\" action=\"/app/graduates/{id}/id_number\"")));
    assert!(shown.body.contains(&format!("href=\"/app/graduates/{id}/consent\"")) && shown.body.contains("已同意推荐"));
    assert!(
        shown.body.contains(&format!("href=\"/app/graduates/{id}/choices\"")) && shown.body.contains("还没有填报志愿")
    );
    assert!(shown.body.contains(&format!("href=\"/app/graduates/{id}/erase\"")));
    let revealed = app.submit(&format!("{path}/id_number"), Some(&school), &[], &[]).await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert!(revealed.body.contains(&whole) && revealed.body.contains("本次查看已记入操作日志"));
    assert_eq!(revealed.headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert_eq!(audited(&app, "reveal_id_number").await, 1);

    // Changing: the form holds the stored values (the ID masked). Sent back as shown, the
    // number is kept; consent is not the form's (it has its own page and records).
    let edit = app.page(&format!("{path}/edit"), Some(&school)).await;
    assert!(edit.body.contains(&format!("value=\"{masked}\"")) && edit.body.contains("value=\"机电2301班\""));
    assert!(!edit.body.contains("name=\"consent\""));
    let keep = graduate_form(&[
        ("id_number", masked.as_str()),
        ("birth_date", "2004-05-12"),
        ("class_name", ""),
        ("consent", ""),
    ]);
    let changed = app.submit(&format!("{path}/edit"), Some(&school), &keep, &[]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let stored = app.get(&path.replace("/app/", "/api/v1/"), Some(&school.token)).await.body;
    assert_eq!(
        (stored["class_name"].clone(), stored["consent"].clone()),
        (Value::Null, json!(true)),
        "cleared; consent kept"
    );
    let number = app.post(&format!("/api/v1/graduates/{id}/id_number"), Some(&school.token), &json!({})).await;
    assert_eq!(number.body["id_number"], whole.as_str(), "the masked number sent back keeps the stored one");
    let bad_email =
        app.submit(&format!("{path}/edit"), Some(&school), &graduate_form(&[("email", "not-an-address")]), &[]).await;
    assert_eq!(bad_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_email.body.contains("id=\"error-email\""));
    let cleared = app.submit(&format!("{path}/edit"), Some(&school), &graduate_form(&[]), &[]).await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER, "{}", cleared.body);
    let stored = app.get(&path.replace("/app/", "/api/v1/"), Some(&school.token)).await.body;
    assert!(stored.get("id_number").is_none_or(Value::is_null), "a blank ID field removes the number: {stored}");

    // Another school's graduate does not exist for this one.
    for page in [path.clone(), format!("{path}/edit"), format!("{path}/choices"), format!("{path}/erase")] {
        assert_eq!(app.page(&page, Some(&other)).await.status, StatusCode::NOT_FOUND, "{page}");
    }
    assert_eq!(app.submit(&format!("{path}/id_number"), Some(&other), &[], &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.submit(&format!("{path}/erase"), Some(&other), &[("confirm", "yes")], &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.page("/app/graduates/abc", Some(&school)).await.status, StatusCode::NOT_FOUND);

    // Erasing asks first; only the confirmed form erases.
    let confirm = app.page(&format!("{path}/erase"), Some(&school)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("删除陈伟？") && confirm.body.contains("name=\"confirm\" value=\"yes\""));
    let unconfirmed = app.submit(&format!("{path}/erase"), Some(&school), &[], &[]).await;
    assert_eq!((unconfirmed.status, unconfirmed.location()), (StatusCode::SEE_OTHER, format!("{path}/erase").as_str()));
    assert_eq!(app.count_rows("graduates").await, 1);
    let erased = app.submit(&format!("{path}/erase"), Some(&school), &[("confirm", "yes")], &[]).await;
    assert_eq!((erased.status, erased.location()), (StatusCode::SEE_OTHER, "/app/graduates"));
    assert_eq!(app.count_rows("graduates").await, 0);
    assert_eq!(app.page(&path, Some(&school)).await.status, StatusCode::NOT_FOUND);

    // Coordinators add to a school they name.
    let unnamed = app.submit("/app/graduates/new", Some(&coordinator), &graduate_form(&[]), &[]).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("id=\"error-organization_id\""));
    let org = school.organization_id.to_string();
    let named = app
        .submit("/app/graduates/new", Some(&coordinator), &graduate_form(&[("organization_id", org.as_str())]), &[])
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
}

async fn choices_of(app: &TestApp, school: &Session, graduate: i64) -> Value {
    let reply = app.get(&format!("/api/v1/graduates/{graduate}/choices"), Some(&school.token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["posting_ids"].clone()
}

/// Where each posting stands in the page's list of choices, in order.
fn chosen_rows(html: &str) -> Vec<i64> {
    let list = html.split("<ol class=\"chosen\"").nth(1).and_then(|rest| rest.split("</ol>").next()).unwrap_or("");
    list.split("<li data-posting-id=\"").skip(1).filter_map(|item| item.split('"').next()?.parse().ok()).collect()
}

async fn choices_are_found_added_reordered_and_capped(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let mut postings = Vec::new();
    for title in ["SMT操作工", "设备维修技术员", "仓管员", "数控车工"] {
        postings.push(app.create_posting(&company.token, &posting_with(json!({"title": title}))).await.created_id());
    }
    let graduate = app.create_graduate(&school.token, &graduate_with(json!({"name": "陈伟"}))).await.created_id();
    app.indexed().await;

    // Without words: suggestions for the graduate, with the parts of the score.
    let path = format!("/app/graduates/{graduate}/choices");
    let shown = app.page(&path, Some(&school)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    for id in &postings {
        assert!(shown.body.contains(&format!("id=\"offer-{id}\" data-posting-id=\"{id}\"")), "posting {id} suggested");
    }
    assert!(shown.body.contains("data-part=\"major\" data-level=\"good\"") && shown.body.contains("匹配度"));
    // With words: the open postings found.
    let found = app.page(&format!("{path}?q=%E4%BB%93%E7%AE%A1"), Some(&school)).await;
    assert!(
        found.body.contains(&format!("id=\"offer-{}\"", postings[2]))
            && !found.body.contains(&format!("id=\"offer-{}\"", postings[0]))
    );
    assert!(
        found.body.contains("找到 1 个岗位")
            && found.body.contains("<input type=\"hidden\" name=\"q\" value=\"仓管\">")
    );

    // Each operation answers 303 back to the page and is stored as the API's choices.
    let op = |op: &str, id: i64| vec![("op", op.to_string()), ("posting_id", id.to_string())];
    for id in &postings[..3] {
        let added = app.submit(&path, Some(&school), &fields(&op("add", *id)), &[]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(added.location(), format!("{path}#offer-{id}"));
    }
    assert_eq!(choices_of(&app, &school, graduate).await, json!(postings[..3]));
    let (a, b, c) = (postings[0], postings[1], postings[2]);
    assert_eq!(app.submit(&path, Some(&school), &fields(&op("up", c)), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(choices_of(&app, &school, graduate).await, json!([a, c, b]));
    assert_eq!(app.submit(&path, Some(&school), &fields(&op("down", a)), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(choices_of(&app, &school, graduate).await, json!([c, a, b]));
    let page = app.page(&path, Some(&school)).await;
    assert_eq!(chosen_rows(&page.body), vec![c, a, b]);
    assert!(page.body.contains("已是第 1 志愿"), "the suggestions say which are chosen");
    let again = app.submit(&path, Some(&school), &fields(&op("add", a)), &[]).await;
    assert!(again.cookies().iter().any(|k| k.starts_with("xiaoqi_flash=sc-flash-choices-already")));
    assert_eq!(app.submit(&path, Some(&school), &fields(&op("remove", a)), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(choices_of(&app, &school, graduate).await, json!([c, b]));
    // From the graduate's page, back to it.
    let from_page = vec![("op", "add".to_string()), ("posting_id", a.to_string()), ("back", "graduate".to_string())];
    let added = app.submit(&path, Some(&school), &fields(&from_page), &[]).await;
    assert_eq!(added.location(), format!("/app/graduates/{graduate}#suggestions"));
    let graduate_page = app.page(&format!("/app/graduates/{graduate}"), Some(&school)).await;
    let summary = graduate_page.body.split("<ol class=\"chosen-summary\">").nth(1).unwrap_or("");
    let order: Vec<usize> =
        [c, b, a].iter().map(|id| summary.find(&format!("data-posting-id=\"{id}\"")).expect("listed")).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in rank order");

    // Refused, never a 500, nothing changed: a closed posting, nonsense.
    app.update_posting(&company.token, postings[3], &json!({"status": "closed"})).await;
    let closed = app.submit(&path, Some(&school), &fields(&op("add", postings[3])), &[]).await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(closed.body.contains("class=\"form-errors\"") && closed.body.contains("已停止招聘"));
    for nonsense in [op("up", 999_999), op("jump", a), vec![("op", "add".into()), ("posting_id", "x".into())]] {
        let refused = app.submit(&path, Some(&school), &fields(&nonsense), &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{nonsense:?}");
    }
    assert_eq!(choices_of(&app, &school, graduate).await, json!([c, b, a]));

    // A chosen posting that closes is marked, and leaves the list at the next change.
    app.update_posting(&company.token, b, &json!({"status": "closed"})).await;
    let marked = app.page(&path, Some(&school)).await;
    assert!(marked.body.contains("已停止招聘") && chosen_rows(&marked.body) == vec![c, b, a]);
    let moved = app.submit(&path, Some(&school), &fields(&op("up", a)), &[]).await;
    assert!(moved.cookies().iter().any(|k| k.starts_with("xiaoqi_flash=sc-flash-choices-dropped-closed")));
    assert_eq!(choices_of(&app, &school, graduate).await, json!([c, a]), "[c, a, b] without b");

    // At most 30.
    let mut many = Vec::new();
    for i in 0..31 {
        let body = posting_with(json!({"title": format!("普工{i:02}")}));
        many.push(app.create_posting(&company.token, &body).await.created_id());
    }
    assert_eq!(
        app.set_choices(&school.token, graduate, &json!({"posting_ids": many[..30]})).await.status,
        StatusCode::OK
    );
    let full = app.submit(&path, Some(&school), &fields(&op("add", many[30])), &[]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(full.body.contains("最多可以填报 30 个志愿"), "{}", full.body);
    assert!(full.body.contains("已填满 30 个志愿") && !full.body.contains("class=\"add-choice\""), "no add buttons");
    assert_eq!(choices_of(&app, &school, graduate).await.as_array().unwrap().len(), 30);
    let company_page = app.page(&path, Some(&company)).await;
    assert_eq!(company_page.status, StatusCode::FORBIDDEN);
}

fn event_body(title: &str, invited: &[i64], seats: i64) -> Value {
    fair_at(
        10,
        ("14:00", "17:30"),
        invited,
        json!({"title": title, "description": null, "booth_capacity": 5, "seat_capacity": seats}),
    )
}

async fn the_school_dashboard_says_what_to_do_next(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;

    let empty = app.page("/app", Some(&school)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty.body.contains("<a class=\"button primary\" href=\"/app/graduates/import\">导入名单</a>"),
        "{}",
        empty.body
    );

    let ids = roster_of(&app, &school, 6).await;
    let dashboard = app.page("/app", Some(&school)).await;
    let html = &dashboard.body;
    assert!(html.contains("data-stat=\"total\"><span class=\"stat\">6</span>"), "{html}");
    assert!(html.contains("data-stat=\"consenting\"><span class=\"stat\">4</span>"));
    assert!(html.contains("href=\"/app/graduates?consent=yes\""));
    assert!(
        html.contains("6 名求职中的毕业生还没有填报志愿")
            && html.contains("href=\"/app/graduates?status=seeking&#38;choices=no\""),
        "{html}"
    );
    let without = app.page("/app/graduates?status=seeking&choices=no", Some(&school)).await;
    assert_eq!(roster_rows(&without.body), ids);

    let posting = app.create_posting(&company.token, &posting_with(json!({}))).await.created_id();
    for id in &ids {
        assert_eq!(
            app.set_choices(&school.token, *id, &json!({"posting_ids": [posting]})).await.status,
            StatusCode::OK
        );
    }
    let next = app.page("/app", Some(&school)).await;
    assert!(
        next.body.contains("2 名毕业生还没有同意向企业推荐")
            && next.body.contains("href=\"/app/graduates?consent=no\"")
    );
    let chosen = app.page("/app/graduates?choices=yes", Some(&school)).await;
    assert_eq!(roster_rows(&chosen.body).len(), 6);
    assert!(chosen.body.contains(&format!("href=\"/app/graduates/{}/choices\"", ids[0])));

    let event = app
        .create_event(&coordinator.token, &event_body("冬季双选会", &[school.organization_id], 40))
        .await
        .created_id();
    let invited = app.page("/app", Some(&school)).await;
    assert!(
        invited.body.contains("有 1 个招聘活动邀请本校参加")
            && invited.body.contains(&format!("href=\"/app/events/{event}\""))
    );

    let english = app.page("/app?lang=en", Some(&school)).await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("On the roster"));
    // Coordinators keep their page of links, now with the roster.
    assert!(app.page("/app", Some(&coordinator)).await.body.contains("href=\"/app/graduates\""));
}

async fn a_school_registers_for_an_event_with_its_party(app: TestApp) {
    let coordinator = app.coordinator().await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let event = app
        .create_event(&coordinator.token, &event_body("冬季双选会", &[school.organization_id], 20))
        .await
        .created_id();

    let path = format!("/app/events/{event}");
    let shown = app.page(&path, Some(&school)).await;
    assert_eq!(shown.status, StatusCode::OK);
    for field in ["name=\"graduates\"", "name=\"teacher_name\"", "name=\"teacher_phone\""] {
        assert!(shown.body.contains(field), "{field}");
    }
    assert!(!shown.body.contains("name=\"posting_ids\""), "postings are for companies");
    assert!(shown.body.contains("<dl class=\"facts event-facts\">"));

    let form = format!("{path}/register");
    let missing = app.submit(&form, Some(&school), &[("graduates", "12"), ("teacher_name", "")], &[]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"error-teacher_name\"") && missing.body.contains("value=\"12\""));
    let too_many = app.submit(&form, Some(&school), &[("graduates", "25"), ("teacher_name", "王老师")], &[]).await;
    assert_eq!(too_many.status, StatusCode::CONFLICT);
    assert!(too_many.body.contains("座位不足：剩余 20 个"), "{}", too_many.body);
    let bad_phone = app
        .submit(&form, Some(&school), &[("graduates", "12"), ("teacher_name", "王老师"), ("teacher_phone", "12")], &[])
        .await;
    assert_eq!(bad_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_phone.body.contains("id=\"error-teacher_phone\""));

    let fields = [("graduates", "12"), ("teacher_name", "王老师"), ("teacher_phone", "13800138000")];
    let sent = app.submit(&form, Some(&school), &fields, &[]).await;
    assert_eq!((sent.status, sent.location()), (StatusCode::SEE_OTHER, path.as_str()));
    let registered = app.page(&path, Some(&school)).await;
    assert!(registered.body.contains("data-status=\"pending\""));
    assert!(registered.body.contains("带队学生 12 人，带队老师：王老师（13800138000）"), "{}", registered.body);
    // Until the service centre decides, the form stays to edit what is registered.
    assert!(registered.body.contains("name=\"teacher_name\" type=\"text\" value=\"王老师\""), "{}", registered.body);
    let english = app.page(&format!("{path}?lang=en"), Some(&school)).await;
    assert!(english.body.contains("12 graduates coming, with 王老师 (13800138000)"));
}

async fn a_school_reads_its_graduates_outcomes_in_a_published_round(app: TestApp) {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let other = app.school(&coordinator, "肇庆市高级技工学校").await;
    let posting = app
        .create_posting(&company.token, &posting_with(json!({"title": "SMT操作工", "headcount": 1})))
        .await
        .created_id();
    let placed = app.create_graduate(&school.token, &graduate_with(json!({"name": "陈伟"}))).await.created_id();
    let left = app.create_graduate(&school.token, &graduate_with(json!({"name": "王芳"}))).await.created_id();
    let elsewhere = app.create_graduate(&other.token, &graduate_with(json!({"name": "外校学生"}))).await.created_id();
    for (who, g) in [(&school, placed), (&school, left), (&other, elsewhere)] {
        assert_eq!(app.set_choices(&who.token, g, &json!({"posting_ids": [posting]})).await.status, StatusCode::OK);
    }
    let listed = app.set_shortlist(&company.token, posting, &json!({"graduate_ids": [placed, left, elsewhere]})).await;
    assert_eq!(listed.status, StatusCode::OK);
    let round = app
        .create_round(&coordinator.token, &json!({"name": "第一轮双选", "seed": 42, "fill_from_scores": false}))
        .await
        .created_id();
    assert_eq!(app.start_round(&coordinator.token, round).await.status, StatusCode::ACCEPTED);
    for _ in 0..200 {
        if app.get(&format!("/api/v1/rounds/{round}"), Some(&coordinator.token)).await.body["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let path = format!("/app/rounds/{round}");
    assert_eq!(app.page(&path, Some(&school)).await.status, StatusCode::NOT_FOUND, "not published yet");
    assert_eq!(app.publish_round(&coordinator.token, round).await.status, StatusCode::OK);

    let shown = app.page(&path, Some(&school)).await;
    assert_eq!(shown.status, StatusCode::OK);
    let html = &shown.body;
    assert!(html.contains("本校 2 名毕业生参加本轮，1 人匹配成功"), "{html}");
    assert!(!html.contains("外校学生"), "another school's graduate");
    let row = |id: i64| {
        html.split(&format!("data-graduate-id=\"{id}\""))
            .nth(1)
            .and_then(|r| r.split("</li>").next())
            .unwrap_or("")
            .to_string()
    };
    let placed_row = row(placed);
    assert!(
        placed_row.contains("data-placed=\"true\"") && placed_row.contains("SMT操作工 · 奥士康科技股份有限公司"),
        "{placed_row}"
    );
    assert!(
        placed_row.contains(&format!("href=\"/app/graduates/{placed}\""))
            && placed_row.contains("class=\"explanation\"")
    );
    assert!(!placed_row.contains("肇庆技师学院"), "the school does not read its own name on every line");
    let left_row = row(left);
    assert!(left_row.contains("data-placed=\"false\"") && left_row.contains("未匹配"));

    let unplaced = app.page(&format!("{path}?matched=no"), Some(&school)).await;
    assert!(
        unplaced.body.contains(&format!("data-graduate-id=\"{left}\""))
            && !unplaced.body.contains(&format!("data-graduate-id=\"{placed}\""))
    );
    assert!(unplaced.body.contains("aria-current=\"page\" class=\"current\">未匹配 <span class=\"count\">1</span>"));
    let dashboard = app.page("/app", Some(&school)).await;
    assert!(dashboard.body.contains(&format!("href=\"/app/rounds/{round}\">第一轮双选</a>")));
    assert!(dashboard.body.contains("本校 2 人参加，1 人匹配成功"));
}
