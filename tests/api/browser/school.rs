//! Browser journeys of a school's teacher: sign in, open the roster, filter it, open a
//! graduate (and look at the whole ID number once), set three ranked choices from the
//! suggestions and put them in another order; the event the school is invited to.

use super::Browser;
use crate::helpers::{CODE_A, PASSWORD, Session, TestApp, graduate_with, posting_with};
use crate::in_browser;
use chrono::{Duration, Utc};
use serde_json::json;

in_browser!(teacher_filters_the_roster_and_ranks_choices);

const LOGIN_FORM: &str = "main form[action=\"/login\"]";
const FILTERS: &str = "main form.roster-filters";

/// The graduate the journey ranks choices for, and a valid ID number of his.
const GRADUATE: &str = "陈志强";
const ID_NUMBER: &str = "44120220040512331X";

struct SchoolWorld {
    teacher: Session,
    graduate: i64,
    postings: Vec<i64>,
    event: i64,
}

/// A school with a roster of two classes, a company with openings for its 机电 graduates,
/// and a fair the school is invited to.
async fn world(app: &TestApp) -> SchoolWorld {
    let coordinator = app.coordinator().await;
    let teacher = app.school(&coordinator, "肇庆技师学院").await;
    let company = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let mut postings = Vec::new();
    for (title, salary) in [("设备维修技术员", 6000), ("PLC调试技术员", 6500), ("自动化产线操作工", 5200)]
    {
        let body = posting_with(json!({
            "title": title, "category": "technician", "majors": ["机电一体化"], "salary_min": salary,
            "salary_max": salary + 1500, "description": "负责自动化设备的点检、维修与PLC程序调试。",
        }));
        postings.push(app.create_posting(&company.token, &body).await.created_id());
    }
    let roster = [
        ("陈志强", "机电一体化", "机电2301班", "male", true),
        ("林晓燕", "机电一体化", "机电2301班", "female", true),
        ("黄俊杰", "机电一体化", "机电2302班", "male", false),
        ("张丽华", "数控技术", "数控2301班", "female", true),
        ("梁伟明", "数控技术", "数控2301班", "male", true),
        ("何敏", "会计", "会计2301班", "female", true),
    ];
    let mut graduate = 0;
    for (at, (name, major, class, gender, consent)) in roster.into_iter().enumerate() {
        let mut body = graduate_with(json!({
            "name": name, "major": major, "class_name": class, "gender": gender, "consent": consent,
            "student_no": format!("2023010{:03}", at + 1), "skills": ["PLC", "电气控制"],
            "phone": format!("1380013{:04}", at + 1), "email": format!("s{}@example.cn", at + 1),
        }));
        if name == GRADUATE {
            body["id_number"] = json!(ID_NUMBER);
            body["birth_date"] = json!("2004-05-12");
        }
        let id = app.create_graduate(&teacher.token, &body).await.created_id();
        if name == GRADUATE {
            graduate = id;
        }
    }
    let day = (Utc::now() + Duration::days(10)).with_timezone(&xiaoqi::domain::event::shanghai()).date_naive();
    let event = app
        .create_event(
            &coordinator.token,
            &json!({
                "kind": "job_fair", "title": "2027肇庆新区春季校企双选会", "venue": "肇庆新区体育中心",
                "description": "智能制造企业集中招聘，学校带队参加。",
                "starts_at": format!("{day}T14:00"), "ends_at": format!("{day}T17:30"),
                "booth_capacity": 10, "seat_capacity": 80,
                "invited_organization_ids": [teacher.organization_id, company.organization_id]
            }),
        )
        .await
        .created_id();
    app.indexed().await;
    SchoolWorld { teacher, graduate, postings, event }
}

async fn teacher_filters_the_roster_and_ranks_choices(app: TestApp, browser: Browser) {
    let world = world(&app).await;

    browser.goto("/login").await;
    browser.fill(LOGIN_FORM, "email", &world.teacher.email).await;
    browser.fill(LOGIN_FORM, "password", PASSWORD).await;
    browser.submit(LOGIN_FORM).await;
    assert_eq!(browser.path().await, "/app");
    assert_eq!(browser.text("main [data-stat=total] .stat").await, "6");
    browser.assert_no_console_errors().await;
    browser.check_page("school-dashboard", "/app").await;

    // The roster, from the dashboard; then only 机电 graduates who consented.
    browser.click("main .dash-roster a[href=\"/app/graduates\"]").await;
    assert_eq!(browser.path().await, "/app/graduates");
    assert_eq!(browser.find_all("main table.roster tbody tr").await.len(), 6);
    browser.check_page("roster", "/app/graduates").await;
    browser.select(FILTERS, "major", "机电一体化").await;
    browser.select(FILTERS, "consent", "yes").await;
    browser.submit(FILTERS).await;
    let filtered = browser.path().await;
    assert!(filtered.contains("consent=yes") && filtered.contains("major="), "{filtered}");
    let names = browser.texts("main table.roster td.title a").await;
    assert_eq!(names, vec![GRADUATE.to_string(), "林晓燕".to_string()], "by 学号, consenting 机电 graduates");
    assert!(browser.text("main p.result-count").await.contains('2'));
    // The words box narrows it further, keeping the filters.
    browser.fill(FILTERS, "q", "2023010001").await;
    browser.submit(FILTERS).await;
    assert_eq!(browser.texts("main table.roster td.title a").await, vec![GRADUATE.to_string()]);
    browser.assert_no_console_errors().await;
    browser.check_page("roster-filtered", &browser.path().await).await;

    // The graduate: the ID number masked until the teacher asks, once, to see it.
    browser.click(&format!("main table.roster tr[data-graduate-id=\"{}\"] td.title a", world.graduate)).await;
    let graduate_path = format!("/app/graduates/{}", world.graduate);
    assert_eq!(browser.path().await, graduate_path);
    assert!(browser.text("main h1").await.contains(GRADUATE));
    let masked = browser.text("main .id-number").await;
    assert_eq!(masked, "4412**********331X");
    browser.submit("main form.reveal-id").await;
    assert_eq!(browser.text("main .id-number").await, ID_NUMBER);
    browser.assert_no_console_errors().await;
    browser.check_page("graduate", &graduate_path).await;
    assert_eq!(browser.text("main .id-number").await, masked, "a plain visit shows it masked again");

    // Three choices from the suggestions, each step back on the choices page.
    browser.click("main .head-actions a[href$=\"/choices\"]").await;
    let choices = format!("{graduate_path}/choices");
    assert_eq!(browser.path().await, choices);
    let suggested = browser.attrs("main ol.offers li.offer", "data-posting-id").await;
    let mut expected: Vec<String> = world.postings.iter().map(i64::to_string).collect();
    expected.sort();
    let mut offered = suggested.clone();
    offered.sort();
    assert_eq!(offered, expected, "the company's 机电 openings are suggested");
    for posting in &suggested {
        browser.submit(&format!("main ol.offers li.offer[data-posting-id=\"{posting}\"] form.add-choice")).await;
        assert_eq!(browser.path().await, choices, "each step comes back to the page");
        assert!(browser.exists("p.flash[role=status]").await);
    }
    let chosen = "main ol.chosen li[data-posting-id]";
    assert_eq!(browser.attrs(chosen, "data-posting-id").await, suggested);
    assert_eq!(browser.text("main #chosen-heading .count").await, "3/30");
    assert!(browser.find_all("main ol.offers form.add-choice").await.is_empty(), "every suggestion is chosen");

    // The third choice becomes the first: up twice. Then the first goes down one.
    let (first, second, third) = (&suggested[0], &suggested[1], &suggested[2]);
    browser.submit(&choice_op(third, "up")).await;
    assert_eq!(browser.attrs(chosen, "data-posting-id").await, vec![first.clone(), third.clone(), second.clone()]);
    browser.submit(&choice_op(third, "up")).await;
    assert_eq!(browser.attrs(chosen, "data-posting-id").await, vec![third.clone(), first.clone(), second.clone()]);
    browser.submit(&choice_op(first, "down")).await;
    let order = vec![third.clone(), second.clone(), first.clone()];
    assert_eq!(browser.attrs(chosen, "data-posting-id").await, order);
    let stored = app.get(&format!("/api/v1/graduates/{}/choices", world.graduate), Some(&world.teacher.token)).await;
    let stored: Vec<String> = stored.body["posting_ids"].as_array().unwrap().iter().map(|v| v.to_string()).collect();
    assert_eq!(stored, order, "what the page shows is what matching will use");
    browser.assert_no_console_errors().await;
    browser.check_page("choices", &choices).await;
    // Search: the words find an opening, marked with its rank.
    browser.goto(&format!("{choices}?q=PLC")).await;
    assert!(browser.exists(&format!("main ol.offers li.offer[data-posting-id=\"{}\"]", world.postings[1])).await);
    browser.check_page("choices-search", &format!("{choices}?q=PLC")).await;

    // The graduate's page lists them in the new order.
    browser.goto(&graduate_path).await;
    assert_eq!(browser.attrs("main ol.chosen-summary li", "data-posting-id").await, order);

    // The changing form, and the fair the school is invited to.
    browser.check_page("graduate-edit", &format!("{graduate_path}/edit")).await;
    let event = format!("/app/events/{}", world.event);
    browser.goto(&event).await;
    let register = format!("main form[action=\"/app/events/{}/register\"]", world.event);
    browser.fill(&register, "graduates", "30").await;
    browser.fill(&register, "teacher_name", "王老师").await;
    browser.fill(&register, "teacher_phone", "13800138000").await;
    browser.submit(&register).await;
    assert_eq!(browser.path().await, event);
    assert!(browser.text("main p.registration-party").await.contains("王老师"));
    browser.check_page("school-event", &event).await;

    browser.submit("header.site form.logout").await;
    assert_eq!(browser.path().await, "/");
    browser.assert_no_console_errors().await;
    browser.close().await;
}

/// The form that moves a chosen posting one place `op` ("up" or "down").
fn choice_op(posting: &str, op: &str) -> String {
    format!("main ol.chosen li[data-posting-id=\"{posting}\"] form:has(input[name=op][value={op}])")
}
