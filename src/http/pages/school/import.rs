//! `/app/graduates/import`: upload a roster (.xlsx, .xls or .csv), preview what it would
//! change and every error by row and column, then import it in the background, its
//! progress drawn on the same page (refreshed each second: no script needed).
//!
//! - `GET /app/graduates/import`: the form, the template link, the columns understood.
//! - `POST /app/graduates/import` (multipart: `file`, `mode`, coordinators `organization_id`):
//!   checks the file (a dry run), keeps it, and redirects to its page.
//! - `GET /app/graduates/import/{id}`: the preview (counts, errors 第N行 · 列 · 原因), the
//!   progress while it runs, the counts once done.
//! - `POST /app/graduates/import/{id}`: run it.
//! - `GET /app/graduates/import/{id}/errors.xlsx`: the rejected rows as uploaded, with
//!   a 错误原因 column, to fix and upload again.

use super::SchoolDesk;
use crate::domain::OrgKind;
use crate::domain::roster::{COLUMNS, ImportMode, ImportReport};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::graduate_import::{MAX_BODY, read_upload, xlsx};
use crate::http::pages::context::Page;
use crate::http::pages::desk::{OrRefused, Refused, path_id};
use crate::http::pages::form::FormView;
use crate::http::pages::i18n::Lang;
use crate::http::pages::pagination::{Pagination, page_href, page_request};
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::services::import::{self as service, Phase, State, TOO_LARGE};
use crate::services::{self, Actor};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/graduates/import", get(form).post(upload))
        .route("/app/graduates/import/{id}", get(show).post(start))
        .route("/app/graduates/import/{id}/errors.xlsx", get(errors_xlsx))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// Value and label of each option of a `<select>`.
type Choices = Vec<(String, String)>;

/// A column as the upload page explains it.
pub struct ColumnHelp {
    pub name: &'static str,
    /// The English header, and the other Chinese headers it goes by.
    pub also: String,
    pub note: &'static str,
    pub required: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/import.html")]
pub struct UploadPage {
    pub page: Page,
    pub form: FormView,
    /// For coordinators: the schools a roster may be for.
    pub schools: Choices,
    pub modes: Choices,
    pub columns: Vec<ColumnHelp>,
}

/// One problem as the preview lists it.
pub struct ErrorRow {
    /// 第N行 / Row N.
    pub row: String,
    pub column: String,
    pub message: String,
}

/// The counts of a preview or of a finished import.
pub struct Counts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
}

impl Counts {
    fn of(report: &ImportReport) -> Counts {
        Counts { new: report.new, updated: report.updated, unchanged: report.unchanged, invalid: report.invalid }
    }
}

/// A progress bar's values.
pub struct Progress {
    pub label: String,
    pub done: u64,
    pub total: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/import_preview.html")]
pub struct PreviewPage {
    pub page: Page,
    pub id: i64,
    pub file_name: String,
    /// The school (shown to coordinators, who import for many).
    pub school: Option<String>,
    pub mode: String,
    /// staged | running | done | failed | interrupted
    pub state: &'static str,
    pub counts: Counts,
    /// Rows the button would write (new and changed).
    pub to_write: u64,
    /// All-or-nothing with invalid rows: nothing can be imported until they are fixed.
    pub blocked: bool,
    pub errors: Vec<ErrorRow>,
    /// Problems found in all, and listed (the report keeps at most 10,000).
    pub errors_total: u64,
    pub errors_listed: usize,
    pub pagination: Pagination,
    pub progress: Option<Progress>,
    pub failure: String,
}

impl PreviewPage {
    /// While it runs the page reloads itself every second.
    pub fn refreshing(&self) -> bool {
        self.state == "running"
    }
}

/// Errors per page of the preview.
const ERRORS_PER_PAGE: i64 = 50;

/// The upload form's fields and the catalogue keys of their labels.
const FIELD_LABELS: &[(&str, &str)] = &[("file", "imp-file"), ("mode", "imp-mode"), ("organization_id", "imp-school")];

async fn schools(state: &AppState, actor: &Actor) -> Result<Choices, AppError> {
    if !actor.is_coordinator() {
        return Ok(Vec::new());
    }
    let all = PageRequest { page: 1, per_page: PageRequest::MAX_PER_PAGE };
    let list = services::organizations::list(
        &state.db,
        actor,
        services::organizations::ListFilter { kind: Some(OrgKind::School), ..Default::default() },
        all,
    )
    .await?;
    Ok(list.items.into_iter().map(|o| (o.id.to_string(), o.fields.name)).collect())
}

fn modes(page: &Page) -> Choices {
    ImportMode::ALL.iter().map(|m| (m.as_str().to_string(), page.t(mode_key(*m)))).collect()
}

fn mode_key(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::ValidRows => "imp-mode-valid-rows",
        ImportMode::AllOrNothing => "imp-mode-all-or-nothing",
    }
}

async fn form(AxumState(state): AxumState<AppState>, SchoolDesk(page, actor): SchoolDesk) -> Response {
    let form = FormView::new(&[("mode", ImportMode::ValidRows.as_str())]);
    render_form(&state, page, &actor, form, StatusCode::OK).await
}

async fn render_form(state: &AppState, page: Page, actor: &Actor, form: FormView, status: StatusCode) -> Response {
    let schools = match schools(state, actor).await {
        Ok(schools) => schools,
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let english = page.lang == Lang::En;
    let columns = COLUMNS
        .iter()
        .map(|c| {
            let mut also: Vec<&str> = vec![c.en];
            also.extend(c.other_names());
            ColumnHelp {
                name: c.zh,
                also: also.join("、"),
                note: if english { c.note_en } else { c.note },
                required: c.required,
            }
        })
        .collect();
    let form = form.labelled(&page, FIELD_LABELS);
    let modes = modes(&page);
    with_status(status, UploadPage { page, form, schools, modes, columns })
}

async fn upload(
    AxumState(state): AxumState<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else {
        return ErrorPage::from_error(page, AppError::UnsupportedMediaType);
    };
    let (upload, fields) = match read_upload(multipart).await {
        Ok(read) => read,
        Err(AppError::PayloadTooLarge) => {
            let form = FormView::new(&[]).with_error("file", page.pick(TOO_LARGE).to_string());
            return render_form(&state, page, &actor, form, StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Err(error) => return ErrorPage::from_error(page, error),
    };
    let value = |name: &str| fields.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string());
    let mut form = FormView::new(
        &fields
            .iter()
            .filter(|(k, _)| k == "mode" || k == "organization_id")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    );
    let mode = match value("mode").filter(|m| !m.is_empty()) {
        None => Some(ImportMode::default()),
        Some(text) => ImportMode::parse(&text),
    };
    if mode.is_none() {
        form = form.with_error("mode", page.t("imp-mode-invalid"));
    }
    let organization_id = match value("organization_id").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| ()),
    };
    if organization_id.is_err() {
        form = form.with_error("organization_id", page.t("imp-school-invalid"));
    }
    let upload = upload.filter(|u| !u.bytes.is_empty() || u.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    if upload.is_none() {
        form = form.with_error("file", page.t("imp-file-missing"));
    }
    let (Some(upload), Some(mode), Ok(organization_id)) = (upload, mode, organization_id) else {
        return render_form(&state, page, &actor, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match service::stage(&state.db, &actor, organization_id, upload, mode).await {
        Ok(id) => Redirect::to(&format!("/app/graduates/import/{id}")).into_response(),
        Err(AppError::Validation(errors)) => {
            for error in errors.0 {
                form = form.with_error(&error.field, page.pick(&error.message).to_string());
            }
            render_form(&state, page, &actor, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::PayloadTooLarge) => {
            let form = form.with_error("file", page.pick(TOO_LARGE).to_string());
            render_form(&state, page, &actor, form, StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn show(
    AxumState(state): AxumState<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let staged = service::staged(&state.db, &state.imports, &actor, id).await.or_refused(&page)?;
    let school = if actor.is_coordinator() {
        services::organizations::get(&state.db, &actor, staged.school).await.ok().map(|o| o.fields.name)
    } else {
        None
    };
    let (state_name, report, progress, failure) = match &staged.state {
        State::Staged => ("staged", &staged.preview, None, String::new()),
        State::Running(run) => {
            let progress = match run {
                Some(run) => Progress { label: page.t(phase_key(run.phase)), done: run.done, total: run.total },
                None => Progress { label: page.t("imp-phase-elsewhere"), done: 0, total: 0 },
            };
            ("running", &staged.preview, Some(progress), String::new())
        }
        State::Done(result) => ("done", result, None, String::new()),
        State::Failed(why) => ("failed", &staged.preview, None, page.pick(why).to_string()),
        State::Interrupted => ("interrupted", &staged.preview, None, String::new()),
    };
    let request = page_request(&page);
    let request = PageRequest { per_page: ERRORS_PER_PAGE, ..request };
    let base = format!("/app/graduates/import/{id}");
    let listed = report.errors.len();
    let errors = report
        .errors
        .iter()
        .skip(request.offset().max(0) as usize)
        .take(ERRORS_PER_PAGE as usize)
        .map(|e| ErrorRow {
            row: page.t1("imp-row", "row", e.row),
            column: if e.column.is_empty() { "—".into() } else { e.column.clone() },
            message: page.pick(&e.message).to_string(),
        })
        .collect();
    let pagination =
        Pagination::new(request.page, ERRORS_PER_PAGE, listed as i64, |n| page_href(&base, n, ERRORS_PER_PAGE));
    let view = PreviewPage {
        id,
        file_name: staged.file_name.clone(),
        school,
        mode: page.t(mode_key(staged.mode)),
        state: state_name,
        counts: Counts::of(report),
        to_write: report.new + report.updated,
        blocked: staged.mode == ImportMode::AllOrNothing && report.invalid > 0,
        errors,
        errors_total: report.errors_total.max(listed as u64),
        errors_listed: listed,
        pagination,
        progress,
        failure,
        page,
    };
    Ok(view.into_response())
}

fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Queued => "imp-phase-queued",
        Phase::Reading => "imp-phase-reading",
        Phase::Checking => "imp-phase-checking",
        Phase::Writing => "imp-phase-writing",
    }
}

async fn start(
    AxumState(state): AxumState<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    // Already running or done (a second click): the page shows where it is.
    service::start(&state.db, &state.imports, &actor, id).await.or_refused(&page)?;
    Ok(Redirect::to(&format!("/app/graduates/import/{id}")).into_response())
}

async fn errors_xlsx(
    AxumState(state): AxumState<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let id = path_id(&page, &id)?;
    let english = page.lang == Lang::En;
    let (file_name, bytes) =
        service::error_workbook(&state.db, &state.imports, &actor, id, english).await.or_refused(&page)?;
    Ok(xlsx(&file_name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lang: Lang) -> Page {
        Page { lang, session: None, uri: "/app/graduates/import/7".into(), flash: None }
    }

    fn preview(state: &'static str, progress: Option<Progress>) -> PreviewPage {
        PreviewPage {
            page: page(Lang::Zh),
            id: 7,
            file_name: "名单.xlsx".into(),
            school: None,
            mode: "导入正确的行".into(),
            state,
            counts: Counts { new: 3, updated: 1, unchanged: 0, invalid: 1 },
            to_write: 4,
            blocked: false,
            errors: vec![ErrorRow {
                row: "第5行".into(),
                column: "身份证号".into(),
                message: "请将该列设为文本后重新导出".into(),
            }],
            errors_total: 1,
            errors_listed: 1,
            pagination: Pagination::default(),
            progress,
            failure: String::new(),
        }
    }

    #[test]
    fn a_running_import_shows_its_progress_and_refreshes_itself() {
        let running = preview("running", Some(Progress { label: "正在写入名单".into(), done: 1200, total: 50_000 }));
        let html = running.render().unwrap();
        assert!(html.contains(r#"<meta http-equiv="refresh" content="1">"#), "{html}");
        assert!(html.contains(r#"<progress max="50000" value="1200">"#), "{html}");
        assert!(html.contains("第 1200 / 50000 行"));
        assert!(!html.contains("导入 4 条有效记录"), "no button while it runs");

        let staged = preview("staged", None).render().unwrap();
        assert!(!staged.contains("http-equiv"));
        assert!(staged.contains("导入 4 条有效记录") && staged.contains("第5行") && staged.contains("身份证号"));
    }
}
