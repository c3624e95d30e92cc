//! The data journeys start from, written through the JSON API as the real clients would.

use crate::helpers::{CODE_A, Session, TestApp, fair_at, graduate_with, posting_with, project_body};
use serde_json::json;

/// A company with a project, a school with graduates who fit the company's kind of work,
/// and an upcoming fair the company is invited to.
pub struct World {
    pub company: Session,
    pub project_id: i64,
    pub event_id: i64,
    pub event_title: String,
}

pub const COMPANY_NAME: &str = "肇庆宏达物流有限公司";
/// A graduate who fits the company's postings but did not consent to being shown.
pub const PRIVATE_GRADUATE: &str = "赵敏";

pub async fn world(app: &TestApp) -> World {
    let coordinator = app.coordinator().await;
    let company = app.company(&coordinator, COMPANY_NAME, CODE_A).await;
    let school = app.school(&coordinator, "肇庆技师学院").await;
    let project_id = app.create_project(&company.token, &project_body("新区智慧物流园")).await.created_id();
    for (name, major) in [("张伟", "物流管理"), ("王芳", "物流管理"), ("刘洋", "电子商务")] {
        let body = graduate_with(json!({"name": name, "major": major, "skills": ["仓储管理", "叉车"]}));
        app.create_graduate(&school.token, &body).await.created_id();
    }
    // Fits as well, but did not agree to be shown to companies.
    let body = graduate_with(json!({"name": PRIVATE_GRADUATE, "major": "物流管理", "consent": false}));
    app.create_graduate(&school.token, &body).await.created_id();
    let event_title = "2027肇庆新区物流企业专场招聘会".to_string();
    let fair = json!({"title": event_title, "description": "物流仓储企业集中招聘", "booth_capacity": 10});
    let event = app
        .create_event(
            &coordinator.token,
            &fair_at(10, ("14:00", "17:30"), &[company.organization_id, school.organization_id], fair),
        )
        .await
        .created();
    app.indexed().await;
    World { company, project_id, event_id: event["id"].as_i64().unwrap(), event_title }
}

/// Open postings for the public search: warehouse keepers (仓管) in two categories and
/// one unrelated opening. Returns the ids of the logistics ones.
pub async fn postings_to_search(app: &TestApp, company: &Session, project_id: i64) -> Vec<i64> {
    let logistics = [
        ("仓管员", "负责成品仓的收发存管理，熟悉仓管系统，包住宿。"),
        ("仓管主管", "带领仓管团队，负责库存盘点与出入库计划。"),
    ];
    let mut ids = Vec::new();
    for (title, description) in logistics {
        let body = posting_with(json!({
            "project_id": project_id, "title": title, "description": description,
            "category": "logistics", "majors": ["物流管理"],
        }));
        ids.push(app.create_posting(&company.token, &body).await.created_id());
    }
    let body = posting_with(json!({
        "project_id": project_id, "title": "物料员（兼仓管）", "description": "生产线物料配送，协助仓管盘点。",
        "category": "operator",
    }));
    app.create_posting(&company.token, &body).await.created_id();
    let body = posting_with(json!({"project_id": project_id, "title": "SMT操作工", "category": "operator"}));
    app.create_posting(&company.token, &body).await.created_id();
    app.indexed().await;
    ids
}
