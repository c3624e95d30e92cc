//! `POST /graduates/import` (a roster file as multipart field `file`) and
//! `GET /graduates/import/template.xlsx`. Files may be up to 20 MB here (the rest of the API
//! takes 1 MiB); over it, or over 100,000 rows, the answer is a 413 saying so.

use super::AppState;
use super::extract::Auth;
use super::openapi::PROBLEM_JSON;
use super::query::{FromQuery, Params, Query};
use crate::domain::roster::{ImportMode, ImportReport};
use crate::error::{AppError, Problem};
use crate::services::import::{self as service, Importer, MAX_BYTES, TOO_LARGE, Upload};
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(template))
        // The file and the few fields around it; multipart framing is small.
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// The largest request body: the file and a little for the multipart framing.
pub const MAX_BODY: usize = MAX_BYTES + 64 * 1024;

/// The multipart body of an import (documented; read by [`read_upload`]).
#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ImportUpload {
    /// The roster: `.xlsx`, `.xls` or `.csv` (UTF-8, with or without a BOM, or GBK), at
    /// most 20 MB and 100,000 rows. The first rows with column names (学号, 姓名, 专业, 学历,
    /// 毕业年份 …, Chinese or English) are the header; GET /graduates/import/template.xlsx
    /// has them all.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The school (coordinators; implied for school users).
    organization_id: Option<i64>,
}

struct ImportQuery {
    dry_run: bool,
    mode: ImportMode,
}

impl FromQuery for ImportQuery {
    fn from_query(query: &mut Query) -> Self {
        ImportQuery {
            dry_run: query
                .bool("dry_run", "true: only report what the import would do (default false)")
                .unwrap_or(false),
            mode: query
                .get(
                    "mode",
                    "valid_rows (default): import the valid rows, skip the others; all_or_nothing: nothing unless \
                     every row is valid",
                )
                .unwrap_or_default(),
        }
    }
}

/// Import a roster file: each row is checked as `POST /graduates` checks a body and
/// matched with the school's roster by 学号 (`student_no`, required in every row): new
/// rows are added, changed ones updated, all in one transaction; the same file again
/// changes nothing. Blank cells, and columns the file lacks, keep what is stored. Errors
/// name the row as Excel numbers it and the column as the file's header names it. With
/// `mode=all_or_nothing` and an invalid row, nothing is written and the answer is a 422
/// holding the same report.
#[utoipa::path(post, operation_id = "import_graduates", path = "/graduates/import", tag = "graduates", security(("bearer" = [])),
    params(Params<ImportQuery>),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ImportReport, description = "What was imported (or, for a dry run, would be)"),
        (status = 403, body = Problem, description = "Your role may not do this"),
        (status = 413, body = Problem, description = "The file is larger than 20 MB or has more than 100,000 rows"),
        (status = 415, body = Problem, description = "The body is not `multipart/form-data`"),
        (status = 422, body = Problem, description = "Invalid fields (`file`, `organization_id`), or all_or_nothing with invalid rows: the report's members beside the problem's")))]
async fn import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(ImportQuery { dry_run, mode }): Params<ImportQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type / 不支持的格式",
            "Send the file as `multipart/form-data`, in the field `file` / 请以 multipart/form-data 上传，文件字段名为 file",
        );
    };
    let answer = async {
        let (upload, fields) = read_upload(multipart).await?;
        let mut organization_id = None;
        for (name, value) in fields {
            match name.as_str() {
                "organization_id" => {
                    organization_id = Some(value.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
                        AppError::field("organization_id", "must be a positive integer id / 必须是正整数编号")
                    })?)
                }
                other => return Err(AppError::field(other, "is not a known field / 未知字段")),
            }
        }
        let upload = upload.ok_or_else(|| {
            AppError::field("file", "is required: send the roster as the multipart field `file` / 必填：请上传名单文件")
        })?;
        let importer = Importer::for_actor(&state.db, &actor, organization_id).await?;
        let report = service::run(&state.db, importer, upload, mode, dry_run, service::quiet()).await?;
        Ok::<_, AppError>(report)
    }
    .await;
    match answer {
        Ok(report) if !dry_run && !report.written => refused(report),
        Ok(report) => Json(report).into_response(),
        Err(AppError::PayloadTooLarge) => too_large(),
        Err(error) => error.into_response(),
    }
}

/// An upload's file and its other fields, read from a multipart body; a body over the
/// limit is [`AppError::PayloadTooLarge`].
pub(crate) async fn read_upload(mut multipart: Multipart) -> Result<(Option<Upload>, Vec<(String, String)>), AppError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(format!("The multipart body could not be read: {}", e.body_text()))
        }
    };
    let mut upload = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(broken)?;
            if bytes.len() > MAX_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            upload = Some(Upload { file_name, bytes: bytes.to_vec() });
        } else {
            let value = field.text().await.map_err(broken)?;
            fields.push((name, value));
        }
    }
    Ok((upload, fields))
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let slug = title.split(" /").next().unwrap_or(title).to_lowercase().replace(' ', "-");
    let body = Problem {
        kind: format!("https://xiaoqi.example/problems/{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail: detail.into(),
        errors: None,
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// A 413 that says which limits there are (the general one speaks of 1 MiB).
pub(crate) fn too_large() -> Response {
    let mut response = problem(StatusCode::PAYLOAD_TOO_LARGE, "Payload too large / 请求体过大", TOO_LARGE);
    // The rest of the body was never read: this connection cannot carry another request.
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// All-or-nothing with invalid rows: a 422 problem document that holds the report.
fn refused(report: ImportReport) -> Response {
    let mut body = serde_json::to_value(&report).unwrap_or_default();
    if let Some(members) = body.as_object_mut() {
        members.insert("type".into(), "https://xiaoqi.example/problems/invalid-rows".into());
        members.insert("title".into(), "Invalid rows / 有错误的行".into());
        members.insert("status".into(), 422.into());
        members.insert(
            "detail".into(),
            format!(
                "{} rows are invalid, so nothing was imported (mode all_or_nothing); see `errors` / 有 {} 行有错误，\
                 按“全部正确才导入”未导入任何数据",
                report.invalid, report.invalid
            )
            .into(),
        );
    }
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// The roster template: every column the import understands, a notes row, text-formatted
/// columns (so ID numbers and leading zeros survive), dropdowns for 学历, 性别, 同意推荐
/// and 状态.
#[utoipa::path(get, operation_id = "graduates_import_template", path = "/graduates/import/template.xlsx", tag = "graduates", security(()),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook")))]
async fn template() -> Result<Response, AppError> {
    Ok(xlsx("毕业生名单模板.xlsx", service::template()?))
}

/// An `.xlsx` download named `file_name`.
pub(crate) fn xlsx(file_name: &str, bytes: Vec<u8>) -> Response {
    let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response()
}
