//! The tenant matrix: each role × each resource × read and write, allowed or refused.
//!
//! One world — a coordinator, companies A and B, schools X and Y — and a table of
//! requests with the status each must answer. Refusals run first; then the test proves
//! they wrote nothing, and runs the allowed writes. Every failing row is reported by
//! its label, all at once.
//!
//! Lists of postings and graduates are served by the search index, which follows the
//! database within a second: every list read here comes after `app.indexed()`. A posting
//! list shows open postings unless it asks for a `status`; a company that asks sees only
//! its own postings of that status, a coordinator everyone's, anyone else none.

use crate::helpers::{
    CODE_A, CODE_B, PASSWORD, Session, TestApp, graduate_body, graduate_with, posting_body, posting_with, project_body,
    user_body,
};
use crate::on_both_backends;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_backends!(tenant_matrix, hidden_contacts_and_filtered_lists);

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
enum Who {
    Anonymous,
    /// A bearer token that is no token at all.
    BadToken,
    Coordinator,
    CompanyA,
    CompanyB,
    SchoolX,
    SchoolY,
}
use Who::*;

/// What the table is played against.
struct World {
    coordinator: Session,
    a: Session,
    b: Session,
    x: Session,
    y: Session,
    /// An organisation with no accounts, for the coordinator to edit and delete.
    z: i64,
    /// Each company: a project with postings, a spare project without, an open posting
    /// under the first project and a draft.
    project_a: i64,
    spare_project_a: i64,
    open_a: i64,
    draft_a: i64,
    project_b: i64,
    spare_project_b: i64,
    open_b: i64,
    draft_b: i64,
    /// Each school: a graduate who consented to be seen by companies, one who did not,
    /// and a spare (not consenting) to erase.
    consenting_x: i64,
    private_x: i64,
    spare_x: i64,
    consenting_y: i64,
    private_y: i64,
    spare_y: i64,
}

impl World {
    fn token(&self, who: Who) -> Option<&str> {
        match who {
            Anonymous => None,
            BadToken => Some("not-a-real-token"),
            Coordinator => Some(&self.coordinator.token),
            CompanyA => Some(&self.a.token),
            CompanyB => Some(&self.b.token),
            SchoolX => Some(&self.x.token),
            SchoolY => Some(&self.y.token),
        }
    }
}

/// One request and what it must answer.
struct Row {
    label: &'static str,
    who: Who,
    method: Method,
    path: String,
    body: Option<Value>,
    status: StatusCode,
    /// For lists: the `total` the actor must see.
    total: Option<i64>,
    /// For lists: exactly the ids the actor must see (in any order).
    ids: Option<Vec<i64>>,
    /// For 422s: the fields the answer must name.
    fields: Option<Vec<&'static str>>,
}

fn row(label: &'static str, who: Who, method: Method, path: String, body: Option<Value>, status: u16) -> Row {
    Row {
        label,
        who,
        method,
        path,
        body,
        status: StatusCode::from_u16(status).unwrap(),
        total: None,
        ids: None,
        fields: None,
    }
}
fn get(label: &'static str, who: Who, path: String, status: u16) -> Row {
    row(label, who, Method::GET, path, None, status)
}
fn post(label: &'static str, who: Who, path: String, body: Value, status: u16) -> Row {
    row(label, who, Method::POST, path, Some(body), status)
}
fn patch(label: &'static str, who: Who, path: String, body: Value, status: u16) -> Row {
    row(label, who, Method::PATCH, path, Some(body), status)
}
fn delete(label: &'static str, who: Who, path: String, status: u16) -> Row {
    row(label, who, Method::DELETE, path, None, status)
}

impl Row {
    fn total(mut self, total: i64) -> Self {
        self.total = Some(total);
        self
    }
    fn ids(mut self, ids: &[i64]) -> Self {
        let mut ids = ids.to_vec();
        ids.sort();
        self.total = Some(ids.len() as i64);
        self.ids = Some(ids);
        self
    }
    fn naming(mut self, fields: &[&'static str]) -> Self {
        self.fields = Some(fields.to_vec());
        self
    }
}

/// Play every row; panic once with every row that answered otherwise.
async fn play(app: &TestApp, world: &World, table: &str, rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in rows {
        let path = format!("/api/v1{}", r.path);
        let reply = app.request(r.method.clone(), &path, world.token(r.who), r.body.as_ref()).await;
        let what = format!("[{}] {:?} {} {}", r.label, r.who, r.method, r.path);
        if reply.status != r.status {
            failures.push(format!("{what}: expected {}, got {} {}", r.status, reply.status, reply.body));
            continue;
        }
        if let Some(total) = r.total
            && reply.body["total"] != total
        {
            failures.push(format!("{what}: expected total {total}, got {}", reply.body["total"]));
        }
        if let Some(ids) = r.ids {
            let mut got = listed_ids(&reply.body);
            got.sort();
            if got != ids {
                failures.push(format!("{what}: expected ids {ids:?}, got {got:?}"));
            }
        }
        if let Some(fields) = r.fields
            && reply.error_fields() != fields
        {
            failures.push(format!("{what}: expected 422 naming {fields:?}, got {:?}", reply.error_fields()));
        }
    }
    assert!(failures.is_empty(), "{table}: {} row(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The ids of a list's items (none when the answer is not a list).
fn listed_ids(body: &Value) -> Vec<i64> {
    body["items"].as_array().map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect()).unwrap_or_default()
}

/// An open posting under a project.
fn posting_under(project_id: i64) -> Value {
    posting_with(json!({"project_id": project_id}))
}

async fn build_world(app: &TestApp) -> World {
    let coordinator = app.coordinator().await;
    let a = app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await;
    let b = app.company(&coordinator, "风华高新科技股份有限公司", CODE_B).await;
    let x = app.school(&coordinator, "肇庆技师学院").await;
    let y = app.school(&coordinator, "肇庆工商职业技术学院").await;
    let z =
        app.create_organization(&coordinator.token, &json!({"kind": "school", "name": "空壳学校"})).await.created_id();

    let mut ids = Vec::new();
    for company in [&a, &b] {
        let project = app.create_project(&company.token, &project_body("一期")).await.created_id();
        let spare = app.create_project(&company.token, &project_body("备用")).await.created_id();
        let open = app.create_posting(&company.token, &posting_under(project)).await.created_id();
        let draft = app.create_posting(&company.token, &posting_with(json!({"status": "draft"}))).await.created_id();
        ids.push([project, spare, open, draft]);
    }
    let [[project_a, spare_project_a, open_a, draft_a], [project_b, spare_project_b, open_b, draft_b]] = ids[..] else {
        unreachable!()
    };

    let mut grads = Vec::new();
    for school in [&x, &y] {
        let consenting = app.create_graduate(&school.token, &graduate_with(json!({"name": "李明"}))).await.created_id();
        let private = app
            .create_graduate(&school.token, &graduate_with(json!({"name": "王芳", "consent": false})))
            .await
            .created_id();
        let spare = app
            .create_graduate(&school.token, &graduate_with(json!({"name": "张伟", "consent": false})))
            .await
            .created_id();
        grads.push([consenting, private, spare]);
    }
    let [[consenting_x, private_x, spare_x], [consenting_y, private_y, spare_y]] = grads[..] else { unreachable!() };

    World {
        coordinator,
        a,
        b,
        x,
        y,
        z,
        project_a,
        spare_project_a,
        open_a,
        draft_a,
        project_b,
        spare_project_b,
        open_b,
        draft_b,
        consenting_x,
        private_x,
        spare_x,
        consenting_y,
        private_y,
        spare_y,
    }
}

/// Everything on record, as the coordinator sees it (postings of every status), and the
/// change log's length. It waits for the index first, so a write the index has not yet
/// applied still shows.
async fn snapshot(app: &TestApp, world: &World) -> Vec<Value> {
    app.indexed().await;
    let mut all = Vec::new();
    for list in [
        "organizations",
        "users",
        "projects",
        "postings?status=open",
        "postings?status=draft",
        "postings?status=closed",
        "postings?status=filled",
        "graduates",
    ] {
        let sep = if list.contains('?') { '&' } else { '?' };
        let reply = app.get(&format!("/api/v1/{list}{sep}per_page=100"), world.token(Coordinator)).await;
        assert_eq!(reply.status, StatusCode::OK, "{list}: {:?}", reply.body);
        all.push(reply.body);
    }
    all.push(json!(app.count_rows("changes").await));
    all
}

async fn tenant_matrix(app: TestApp) {
    let w = build_world(&app).await;
    let (org_a, org_b, org_x, org_y, org_z) =
        (w.a.organization_id, w.b.organization_id, w.x.organization_id, w.y.organization_id, w.z);
    let org_c = w.coordinator.organization_id;
    let org = |id: i64| format!("/organizations/{id}");
    let user = |id: i64| format!("/users/{id}");
    let project = |id: i64| format!("/projects/{id}");
    let posting = |id: i64| format!("/postings/{id}");
    let grad = |id: i64| format!("/graduates/{id}");
    let list = |name: &str| format!("/{name}");
    let drafts = || "/postings?status=draft".to_string();
    let closed = || "/postings?status=closed".to_string();

    let new_school = json!({"kind": "school", "name": "新学校"});
    let rename_org = json!({"contact_name": "陈经理"});
    let new_user =
        |org_id: i64, role: &str| user_body(&format!("new-{role}-{org_id}@example.cn"), PASSWORD, role, org_id);
    let rename_project = json!({"name": "被改名的项目"});
    let retitle = json!({"title": "被篡改的岗位"});
    let rename_grad = json!({"name": "被改名的毕业生"});
    let with_org = |mut body: Value, id: i64| {
        body["organization_id"] = json!(id);
        body
    };

    let before = snapshot(&app, &w).await;
    let refusals_and_reads = vec![
        // ── Anonymous: every authenticated route is 401; open postings are public. ──
        get("anon lists orgs", Anonymous, list("organizations"), 401),
        get("anon reads org", Anonymous, org(org_a), 401),
        post("anon creates org", Anonymous, list("organizations"), new_school.clone(), 401),
        patch("anon edits org", Anonymous, org(org_a), rename_org.clone(), 401),
        delete("anon deletes org", Anonymous, org(org_z), 401),
        post("anon creates user", Anonymous, list("users"), new_user(org_a, "company"), 401),
        get("anon lists users", Anonymous, list("users"), 401),
        get("anon reads user", Anonymous, user(w.a.user_id), 401),
        get("anon lists projects", Anonymous, list("projects"), 401),
        get("anon reads project", Anonymous, project(w.project_a), 401),
        post("anon creates project", Anonymous, list("projects"), project_body("匿名"), 401),
        patch("anon edits project", Anonymous, project(w.project_a), rename_project.clone(), 401),
        delete("anon deletes project", Anonymous, project(w.spare_project_a), 401),
        get("anon lists postings: open only", Anonymous, list("postings"), 200).ids(&[w.open_a, w.open_b]),
        get("anon lists drafts: none", Anonymous, drafts(), 200).total(0),
        get("anon reads open posting", Anonymous, posting(w.open_b), 200),
        get("anon reads draft", Anonymous, posting(w.draft_b), 404),
        post("anon creates posting", Anonymous, list("postings"), posting_body(), 401),
        patch("anon edits posting", Anonymous, posting(w.open_b), retitle.clone(), 401),
        delete("anon closes posting", Anonymous, posting(w.open_b), 401),
        get("anon lists graduates", Anonymous, list("graduates"), 401),
        get("anon reads graduate", Anonymous, grad(w.consenting_x), 401),
        post("anon creates graduate", Anonymous, list("graduates"), graduate_body(true), 401),
        patch("anon edits graduate", Anonymous, grad(w.consenting_x), rename_grad.clone(), 401),
        delete("anon erases graduate", Anonymous, grad(w.consenting_x), 401),
        get("bad token on public list", BadToken, list("postings"), 401),
        get("bad token on open posting", BadToken, posting(w.open_b), 401),
        get("bad token on projects", BadToken, list("projects"), 401),
        // ── Company A: organisations and users. ──
        get("A lists orgs: own only", CompanyA, list("organizations"), 200).total(1),
        get("A reads own org", CompanyA, org(org_a), 200),
        get("A reads B's org", CompanyA, org(org_b), 404),
        get("A reads school's org", CompanyA, org(org_x), 404),
        post("A creates org", CompanyA, list("organizations"), new_school.clone(), 403),
        patch("A edits own org", CompanyA, org(org_a), rename_org.clone(), 403),
        patch("A edits B's org", CompanyA, org(org_b), rename_org.clone(), 404),
        delete("A deletes own org", CompanyA, org(org_a), 403),
        delete("A deletes empty org", CompanyA, org(org_z), 404),
        post("A creates user in own org", CompanyA, list("users"), new_user(org_a, "company"), 403),
        get("A lists users: own org's", CompanyA, list("users"), 200).total(1),
        get("A reads own account", CompanyA, user(w.a.user_id), 200),
        get("A reads B's account", CompanyA, user(w.b.user_id), 404),
        // ── Company A: projects. ──
        get("A lists projects: own only", CompanyA, list("projects"), 200).total(2),
        get("A reads own project", CompanyA, project(w.project_a), 200),
        get("A reads B's project", CompanyA, project(w.project_b), 404),
        patch("A edits B's project", CompanyA, project(w.project_b), rename_project.clone(), 404),
        delete("A deletes B's project", CompanyA, project(w.spare_project_b), 404),
        post("A creates project for B", CompanyA, list("projects"), with_org(project_body("越权"), org_b), 422)
            .naming(&["organization_id"]),
        // ── Company A: postings. ──
        get("A lists postings: open only", CompanyA, list("postings"), 200).ids(&[w.open_a, w.open_b]),
        get("A lists drafts: own only", CompanyA, drafts(), 200).ids(&[w.draft_a]),
        get("A lists B's drafts by filter", CompanyA, format!("{}&organization_id={org_b}", drafts()), 200).total(0),
        get("A reads own draft", CompanyA, posting(w.draft_a), 200),
        get("A reads B's open posting", CompanyA, posting(w.open_b), 200),
        get("A reads B's draft", CompanyA, posting(w.draft_b), 404),
        patch("A edits B's open posting", CompanyA, posting(w.open_b), retitle.clone(), 404),
        patch("A edits B's draft", CompanyA, posting(w.draft_b), retitle.clone(), 404),
        delete("A closes B's open posting", CompanyA, posting(w.open_b), 404),
        delete("A closes B's draft", CompanyA, posting(w.draft_b), 404),
        post("A posts for B", CompanyA, list("postings"), with_org(posting_body(), org_b), 422)
            .naming(&["organization_id"]),
        post("A posts under B's project", CompanyA, list("postings"), posting_under(w.project_b), 422)
            .naming(&["project_id"]),
        // ── Company B, the mirror image. ──
        get("B reads A's project", CompanyB, project(w.project_a), 404),
        patch("B edits A's project", CompanyB, project(w.project_a), rename_project.clone(), 404),
        patch("B edits A's open posting", CompanyB, posting(w.open_a), retitle.clone(), 404),
        get("B reads A's draft", CompanyB, posting(w.draft_a), 404),
        get("B lists drafts: own only", CompanyB, drafts(), 200).ids(&[w.draft_b]),
        // ── Company A: graduates (consenting only, read only). ──
        post("A creates graduate", CompanyA, list("graduates"), graduate_body(true), 403),
        get("A lists graduates: consenting only", CompanyA, list("graduates"), 200)
            .ids(&[w.consenting_x, w.consenting_y]),
        get("A reads consenting graduate", CompanyA, grad(w.consenting_x), 200),
        get("A reads private graduate", CompanyA, grad(w.private_x), 404),
        patch("A edits consenting graduate", CompanyA, grad(w.consenting_x), rename_grad.clone(), 403),
        patch("A edits private graduate", CompanyA, grad(w.private_x), rename_grad.clone(), 404),
        delete("A erases consenting graduate", CompanyA, grad(w.consenting_y), 403),
        delete("A erases private graduate", CompanyA, grad(w.private_y), 404),
        // ── School X: organisations and users. ──
        get("X lists orgs: own only", SchoolX, list("organizations"), 200).total(1),
        get("X reads own org", SchoolX, org(org_x), 200),
        get("X reads Y's org", SchoolX, org(org_y), 404),
        get("X reads company's org", SchoolX, org(org_a), 404),
        post("X creates org", SchoolX, list("organizations"), new_school.clone(), 403),
        patch("X edits own org", SchoolX, org(org_x), rename_org.clone(), 403),
        patch("X edits company's org", SchoolX, org(org_a), rename_org.clone(), 404),
        delete("X deletes own org", SchoolX, org(org_x), 403),
        delete("X deletes Y's org", SchoolX, org(org_y), 404),
        post("X creates user in own org", SchoolX, list("users"), new_user(org_x, "school"), 403),
        get("X lists users: own org's", SchoolX, list("users"), 200).total(1),
        get("X reads Y's account", SchoolX, user(w.y.user_id), 404),
        // ── School X: projects and postings (read, never write). ──
        get("X lists projects: all", SchoolX, list("projects"), 200).total(4),
        get("X reads a company's project", SchoolX, project(w.project_b), 200),
        post("X creates project", SchoolX, list("projects"), project_body("学校项目"), 403),
        patch("X edits company's project", SchoolX, project(w.project_a), rename_project.clone(), 403),
        delete("X deletes company's project", SchoolX, project(w.spare_project_a), 403),
        get("X lists postings: open only", SchoolX, list("postings"), 200).ids(&[w.open_a, w.open_b]),
        get("X lists drafts: none", SchoolX, drafts(), 200).total(0),
        get("X reads open posting", SchoolX, posting(w.open_a), 200),
        get("X reads draft", SchoolX, posting(w.draft_a), 404),
        post("X creates posting", SchoolX, list("postings"), posting_body(), 403),
        patch("X edits open posting", SchoolX, posting(w.open_a), retitle.clone(), 403),
        delete("X closes open posting", SchoolX, posting(w.open_a), 403),
        patch("X edits draft", SchoolX, posting(w.draft_a), retitle.clone(), 404),
        // ── School X: graduates (own only). ──
        get("X lists graduates: own only", SchoolX, list("graduates"), 200).ids(&[
            w.consenting_x,
            w.private_x,
            w.spare_x,
        ]),
        get("X reads own private graduate", SchoolX, grad(w.private_x), 200),
        get("X reads Y's consenting graduate", SchoolX, grad(w.consenting_y), 404),
        get("X reads Y's private graduate", SchoolX, grad(w.private_y), 404),
        patch("X edits Y's consenting graduate", SchoolX, grad(w.consenting_y), rename_grad.clone(), 404),
        patch("X edits Y's private graduate", SchoolX, grad(w.private_y), rename_grad.clone(), 404),
        delete("X erases Y's consenting graduate", SchoolX, grad(w.consenting_y), 404),
        delete("X erases Y's private graduate", SchoolX, grad(w.private_y), 404),
        post("X adds graduate to Y", SchoolX, list("graduates"), with_org(graduate_body(true), org_y), 422)
            .naming(&["organization_id"]),
        get("Y reads X's graduate", SchoolY, grad(w.consenting_x), 404),
        // ── Coordinator: reads everything; creations must name a fitting organisation. ──
        get("C lists orgs: all", Coordinator, list("organizations"), 200).total(6),
        get("C reads a company", Coordinator, org(org_a), 200),
        get("C lists users: all", Coordinator, list("users"), 200).total(5),
        get("C reads a school account", Coordinator, user(w.x.user_id), 200),
        get("C lists projects: all", Coordinator, list("projects"), 200).total(4),
        get("C reads a project", Coordinator, project(w.project_b), 200),
        get("C lists postings: all open", Coordinator, list("postings"), 200).ids(&[w.open_a, w.open_b]),
        get("C lists drafts: all", Coordinator, drafts(), 200).ids(&[w.draft_a, w.draft_b]),
        get("C reads a draft", Coordinator, posting(w.draft_b), 200),
        get("C lists graduates: all", Coordinator, list("graduates"), 200).ids(&[
            w.consenting_x,
            w.private_x,
            w.spare_x,
            w.consenting_y,
            w.private_y,
            w.spare_y,
        ]),
        get("C reads a private graduate", Coordinator, grad(w.private_y), 200),
        post("C posts without organisation", Coordinator, list("postings"), posting_body(), 422)
            .naming(&["organization_id"]),
        post("C posts for a school", Coordinator, list("postings"), with_org(posting_body(), org_x), 422)
            .naming(&["organization_id"]),
        post(
            "C posts for A under B's project",
            Coordinator,
            list("postings"),
            with_org(posting_under(w.project_b), org_a),
            422,
        )
        .naming(&["project_id"]),
        post("C creates project without organisation", Coordinator, list("projects"), project_body("无主"), 422)
            .naming(&["organization_id"]),
        post(
            "C creates project for a school",
            Coordinator,
            list("projects"),
            with_org(project_body("无主"), org_x),
            422,
        )
        .naming(&["organization_id"]),
        post("C adds graduate to a company", Coordinator, list("graduates"), with_org(graduate_body(true), org_a), 422)
            .naming(&["organization_id"]),
        delete("C deletes own org", Coordinator, org(org_c), 409),
        delete("C deletes org with accounts", Coordinator, org(org_a), 409),
        delete("C deletes project with postings", Coordinator, project(w.project_a), 409),
    ];
    play(&app, &w, "reads and refusals", refusals_and_reads).await;

    // Nothing the refusals touched changed: not a field, not a row, not the change log.
    let after = snapshot(&app, &w).await;
    assert_eq!(before, after, "a refused request changed something");
    let b_open = app.get(&format!("/api/v1/postings/{}", w.open_b), None).await;
    assert_eq!(b_open.body["title"], "SMT操作工", "B's posting kept its title after A's refused PATCH");
    assert_eq!(b_open.body["status"], "open", "B's posting is still open after A's refused DELETE");

    let allowed_writes = vec![
        // ── Coordinator manages organisations and users, and writes anyone's objects. ──
        post("C creates org", Coordinator, list("organizations"), new_school.clone(), 201),
        patch("C edits empty org", Coordinator, org(org_z), rename_org.clone(), 200),
        delete("C deletes empty org", Coordinator, org(org_z), 204),
        patch("C edits a company", Coordinator, org(org_b), rename_org.clone(), 200),
        post("C creates user for A", Coordinator, list("users"), new_user(org_a, "company"), 201),
        post("C creates project for B", Coordinator, list("projects"), with_org(project_body("代建"), org_b), 201),
        patch("C edits B's project", Coordinator, project(w.project_b), rename_project.clone(), 200),
        delete("C deletes B's spare project", Coordinator, project(w.spare_project_b), 204),
        post(
            "C posts for B under B's project",
            Coordinator,
            list("postings"),
            with_org(posting_under(w.project_b), org_b),
            201,
        ),
        patch("C edits B's open posting", Coordinator, posting(w.open_b), retitle.clone(), 200),
        delete("C closes B's draft", Coordinator, posting(w.draft_b), 200),
        post("C adds graduate to Y", Coordinator, list("graduates"), with_org(graduate_body(true), org_y), 201),
        patch("C edits Y's private graduate", Coordinator, grad(w.private_y), rename_grad.clone(), 200),
        delete("C erases Y's spare graduate", Coordinator, grad(w.spare_y), 204),
        // ── Company A writes its own. ──
        post("A creates project", CompanyA, list("projects"), project_body("二期"), 201),
        post("A creates project naming itself", CompanyA, list("projects"), with_org(project_body("三期"), org_a), 201),
        patch("A edits own project", CompanyA, project(w.project_a), rename_project.clone(), 200),
        delete("A deletes own spare project", CompanyA, project(w.spare_project_a), 204),
        post("A posts under own project", CompanyA, list("postings"), posting_under(w.project_a), 201),
        post("A posts naming itself", CompanyA, list("postings"), with_org(posting_body(), org_a), 201),
        patch("A edits own draft", CompanyA, posting(w.draft_a), retitle.clone(), 200),
        delete("A closes own open posting", CompanyA, posting(w.open_a), 200),
        // ── School X writes its own graduates. ──
        post("X adds graduate", SchoolX, list("graduates"), graduate_body(false), 201),
        patch("X edits own graduate", SchoolX, grad(w.consenting_x), rename_grad.clone(), 200),
        delete("X erases own graduate", SchoolX, grad(w.spare_x), 204),
    ];
    play(&app, &w, "allowed writes", allowed_writes).await;

    // And the effects are visible, in the records and (once the index has caught up) in lists.
    app.indexed().await;
    let effects = vec![
        get("erased org is gone", Coordinator, org(org_z), 404),
        get("closed posting is no longer public", Anonymous, posting(w.open_a), 404),
        get("closed posting stays with its company", CompanyA, posting(w.open_a), 200),
        get("erased graduate is gone", SchoolX, grad(w.spare_x), 404),
        // Open: B's (edited), the coordinator's new one for B, and A's two new ones.
        get("anon sees the new open postings", Anonymous, list("postings"), 200).total(4),
        get("closed postings are not public", Anonymous, closed(), 200).total(0),
        get("A lists closed: own only", CompanyA, closed(), 200).ids(&[w.open_a]),
        get("B lists closed: own only", CompanyB, closed(), 200).ids(&[w.draft_b]),
        get("X lists closed: none", SchoolX, closed(), 200).total(0),
        get("C lists closed: all", Coordinator, closed(), 200).ids(&[w.open_a, w.draft_b]),
        get("C lists drafts: what is left", Coordinator, drafts(), 200).ids(&[w.draft_a]),
        // X: the renamed and the private graduate and the new one; the erased one is gone.
        get("X's list follows its writes", SchoolX, list("graduates"), 200).total(3),
        // Consenting: X's and Y's, and the one the coordinator added to Y.
        get("A sees the new consenting graduate", CompanyA, list("graduates"), 200).total(3),
        get("C lists graduates: all", Coordinator, list("graduates"), 200).total(6),
    ];
    play(&app, &w, "effects", effects).await;

    let b_open = app.get(&format!("/api/v1/postings/{}", w.open_b), None).await;
    assert_eq!(b_open.body["title"], "被篡改的岗位", "the coordinator's PATCH did land");
}

/// What the matrix does not show: contact fields a company never sees, and lists whose
/// filters must not reach past the tenant boundary.
async fn hidden_contacts_and_filtered_lists(app: TestApp) {
    let w = build_world(&app).await;
    app.indexed().await;

    let listed = app.get("/api/v1/graduates?per_page=100", w.token(CompanyA)).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let items = listed.body["items"].as_array().unwrap();
    let mut ids: Vec<i64> = items.iter().map(|g| g["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec![w.consenting_x, w.consenting_y], "companies list only consenting graduates");
    for g in items {
        assert_eq!(g["email"], json!(null), "listed graduate {} shows an email", g["id"]);
        assert_eq!(g["phone"], json!(null), "listed graduate {} shows a phone", g["id"]);
        assert_eq!(g["consent"], json!(true));
        let snippet = g["snippet"].as_str().unwrap_or_default();
        assert!(
            !snippet.contains("liming@example.cn") && !snippet.contains("13800138000"),
            "listed graduate {} shows a contact in its snippet: {snippet}",
            g["id"]
        );
    }

    // Searching is no way around it: not for a private graduate by name, nor anyone by a
    // contact detail the company may not see.
    for q in ["王芳", "13800138000", "liming@example.cn"] {
        let found = app.get(&format!("/api/v1/graduates?q={q}"), w.token(CompanyA)).await;
        assert_eq!(found.status, StatusCode::OK, "{q}: {:?}", found.body);
        assert_eq!(found.body["total"], 0, "a company found graduates by searching {q}: {}", found.body);
    }
    // A school searching by name finds its own graduate, not the other school's namesake.
    let found = app.get("/api/v1/graduates?q=王芳", w.token(SchoolX)).await;
    assert_eq!(listed_ids(&found.body), vec![w.private_x], "{}", found.body);

    let one = app.get(&format!("/api/v1/graduates/{}", w.consenting_y), w.token(CompanyB)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["name"], "李明");
    assert_eq!((&one.body["email"], &one.body["phone"]), (&json!(null), &json!(null)));

    // The school and the coordinator see the contacts the company does not.
    for who in [SchoolY, Coordinator] {
        let full = app.get(&format!("/api/v1/graduates/{}", w.consenting_y), w.token(who)).await;
        assert_eq!(full.body["email"], "liming@example.cn", "{who:?}");
        assert_eq!(full.body["phone"], "13800138000", "{who:?}");
    }

    // A school's list is its own roster, contacts and all, whatever the filter asks for.
    let own = app.get("/api/v1/graduates?per_page=100", w.token(SchoolX)).await;
    let mut ids: Vec<i64> = own.body["items"].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec![w.consenting_x, w.private_x, w.spare_x]);
    let asks_for_y =
        app.get(&format!("/api/v1/graduates?organization_id={}", w.y.organization_id), w.token(SchoolX)).await;
    let leaked: Vec<&Value> = asks_for_y.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["organization_id"] == w.y.organization_id)
        .collect();
    assert!(leaked.is_empty(), "a school listed another school's roster by filter: {leaked:?}");

    // A company cannot reach private graduates through a filter either.
    let filtered =
        app.get(&format!("/api/v1/graduates?organization_id={}", w.x.organization_id), w.token(CompanyA)).await;
    assert_eq!(filtered.body["total"], 1);
    assert_eq!(filtered.body["items"][0]["id"], w.consenting_x);

    // Nor a company another's projects, nor anyone a draft, by filtering lists.
    let projects =
        app.get(&format!("/api/v1/projects?organization_id={}", w.b.organization_id), w.token(CompanyA)).await;
    let leaked: Vec<&Value> = projects.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["organization_id"] == w.b.organization_id)
        .collect();
    assert!(leaked.is_empty(), "A listed B's projects by filter: {leaked:?}");
    let drafts = app
        .get(&format!("/api/v1/postings?status=draft&organization_id={}", w.b.organization_id), w.token(CompanyA))
        .await;
    assert_eq!(drafts.body["total"], 0, "A cannot list B's drafts");
    let drafts = app.get("/api/v1/postings?status=draft", None).await;
    assert_eq!(drafts.body["total"], 0, "anonymous readers cannot list drafts");
}
