//! Pages: `/app/reports` by role — the figures in its tables are the API's, each chart is
//! an accessible SVG beside its table, filters are a GET form, the export is the workbook.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::reports::world;
use reqwest::StatusCode;

on_both_backends!(reports_show_charts_and_tables_by_role, bad_filters_are_shown_on_the_form);

/// The text of the table row whose first cell is `first`, tags removed.
fn row_text(body: &str, first: &str) -> String {
    let at = body.find(&format!(">{first}</th>")).unwrap_or_else(|| panic!("a row for {first}"));
    let end = at + body[at..].find("</tr>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in body[at + 1..end].chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn reports_show_charts_and_tables_by_role(app: TestApp) {
    let w = world(&app).await;
    let coordinator = &w.coordinator;

    // Every signed-in page links to the reports.
    let dashboard = app.page("/app", Some(coordinator)).await;
    assert!(dashboard.body.contains("href=\"/app/reports\""));

    let page = app.page("/app/reports", Some(coordinator)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // Each figure in the table is the API's.
    let api = app.report(&coordinator.token, "fill", "").await.body;
    let first = &api["rows"][0];
    let expected = format!(
        "{} {} {} {} {} {} {} {}",
        first["project_name"].as_str().unwrap(),
        first["company_name"].as_str().unwrap(),
        first["park"].as_str().unwrap(),
        first["shortage"],
        first["seats"],
        first["offers"],
        first["placed"],
        first["open_shortage"]
    );
    assert_eq!(row_text(body, first["project_name"].as_str().unwrap()), expected);
    // Charts: SVG scaled by viewBox, named for screen readers, every bar labelled in text.
    assert!(body.contains("<svg") && body.contains("viewBox=\"0 0 340"), "an SVG chart");
    assert!(body.contains("role=\"img\" aria-labelledby=\"rep-fill-t rep-fill-d\""));
    assert!(body.contains(&format!(
        "<title>{}：用工缺口 {}</title>",
        first["project_name"].as_str().unwrap(),
        first["shortage"]
    )));
    assert!(body.contains("<polyline"), "the series over time");
    assert!(body.contains("href=\"/app/reports?report=destinations\""), "coordinators have every tab");
    assert!(!body.contains("<script>"), "no inline script");

    // The export is the workbook of what is on screen.
    let export = app.page("/app/reports/export?report=fill", Some(coordinator)).await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.content_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    // Destinations: the rates as percentages, the rule stated.
    let page = app.page("/app/reports?report=destinations", Some(coordinator)).await;
    let api = app.report(&coordinator.token, "destinations", "").await.body;
    let school = &api["rows"][0];
    let employment = format!("{:.1}%", school["employment_rate"].as_f64().unwrap() * 100.0);
    assert!(row_text(&page.body, school["school_name"].as_str().unwrap()).contains(&employment));
    assert!(page.body.contains("就业率 = 除“待就业”“暂不就业”外所有去向"));

    // Turnout: a past fair's no-show, a coming one "not ended".
    let page = app.page("/app/reports?report=turnout", Some(coordinator)).await;
    assert!(row_text(&page.body, "双选会（已结束）").ends_with(" 1"), "{}", row_text(&page.body, "双选会（已结束）"));
    assert!(row_text(&page.body, "双选会（下周）").ends_with("未结束"));

    // A company: its own projects; no destinations tab, and the page itself refused.
    let company = &w.companies[0];
    let page = app.page("/app/reports", Some(company)).await;
    assert!(page.body.contains("奥士康研发中心") && !page.body.contains("维珍妮智能制造基地"));
    assert!(!page.body.contains("report=destinations"));
    let refused = app.page("/app/reports?report=destinations", Some(company)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Placements: offers and placed per school, charted.
    let page = app.page("/app/reports?report=placements", Some(coordinator)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("aria-labelledby=\"rep-placements-t rep-placements-d\""), "{}", page.body);

    // A school: its own graduates only.
    let school = &w.schools[0];
    let page = app.page("/app/reports?report=placements", Some(school)).await;
    assert!(page.body.contains("肇庆技师学院") && !page.body.contains("肇庆工商职业技术学院"));

    // In English too.
    let page = app.page("/app/reports?report=fill&lang=en", Some(coordinator)).await;
    assert!(page.body.contains("Shortage and placements per project") && page.body.contains("Export Excel"));

    // Nobody signed in: to the login page.
    let anonymous = app.page("/app/reports", None).await;
    assert_ne!(anonymous.status, StatusCode::OK);
}

async fn bad_filters_are_shown_on_the_form(app: TestApp) {
    let coordinator = app.coordinator().await;
    let page = app.page("/app/reports?report=fill&from=2026-11-30&to=2026-11-01", Some(&coordinator)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"form-errors\" role=\"alert\""));
    assert!(page.body.contains("结束日期不能早于开始日期"));
    assert!(page.body.contains("value=\"2026-11-30\""), "the input kept");
    let page = app.page("/app/reports?report=destinations&graduation_year=abc", Some(&coordinator)).await;
    assert!(page.body.contains("必须是整数"));
    let empty = app.page("/app/reports?report=placements", Some(&coordinator)).await;
    assert!(empty.body.contains("暂无数据"));
}
