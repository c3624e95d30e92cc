//! One error type for the whole service; it becomes an RFC 9457 problem response.
//! Internal errors are logged with their cause and shown to clients only as a generic 500.

use crate::domain::{FieldError, FieldErrors};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// A browser sent an unsafe request from another site (CSRF).
    #[error("cross-site request refused")]
    CrossSite,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value that must be unique (a credit code, an e-mail address) is already taken: a
    /// conflict with what is stored, not an invalid request, so 409 with the field named.
    #[error("already taken")]
    Taken(FieldErrors),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Anonymous searches from one address beyond their rate: 429 until the wait is over
    /// (signing in lifts the limit).
    #[error("too many searches")]
    SearchRate { retry_after_secs: u64 },
    /// Too much work waiting already (searches past their queue): 503, try again shortly.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// What a client is told to wait before trying a busy database again (seconds).
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.push(field, message);
        AppError::Validation(errors)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) | AppError::Taken(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } | AppError::SearchRate { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title_and_detail(&self) -> (&'static str, String) {
        match self {
            AppError::Validation(_) => {
                ("Invalid input / 输入有误", "One or more fields are invalid; see `errors`.".into())
            }
            AppError::BadRequest(d) => ("Bad request / 请求无效", d.clone()),
            AppError::Unauthorized => (
                "Authentication required / 需要登录",
                "Send `Authorization: Bearer <token>` from POST /api/v1/auth/token; the token may have expired.".into(),
            ),
            AppError::Forbidden => ("Forbidden / 无权操作", "Your role may not do this.".into()),
            AppError::CrossSite => (
                "Cross-site request refused / 已拒绝跨站请求",
                "The request came from another site; send it from xiaoqi's own pages.".into(),
            ),
            AppError::NotFound => ("Not found / 未找到", "No such resource.".into()),
            AppError::MethodNotAllowed => {
                ("Method not allowed / 不支持该请求方法", "This path does not accept this method.".into())
            }
            AppError::Conflict(d) => ("Conflict / 冲突", d.clone()),
            AppError::Taken(errors) => {
                let named: Vec<String> = errors.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                (
                    "Conflict / 冲突",
                    format!("Conflicts with what is stored / 与已保存的数据冲突 — {}", named.join("; ")),
                )
            }
            AppError::PayloadTooLarge => {
                ("Payload too large / 请求体过大", "The body exceeds the limit of 1 MiB.".into())
            }
            AppError::UnsupportedMediaType => {
                ("Unsupported media type / 不支持的格式", "Send the body as `Content-Type: application/json`.".into())
            }
            AppError::TooManyRequests { .. } => {
                ("Too many requests / 请求过于频繁", "Too many failed attempts; wait before trying again.".into())
            }
            AppError::Unavailable(d) => ("Service unavailable / 服务暂不可用", d.clone()),
            AppError::SearchRate { .. } => (
                "Too many searches / 搜索过于频繁",
                "Too many searches from this address; wait `Retry-After` seconds, or sign in. / 此地址搜索过于频繁，请按 Retry-After 等待几秒，或登录后再搜索。".into(),
            ),
            AppError::Busy { .. } => (
                "Busy / 服务器繁忙",
                "The server is busy with other searches; try again in a moment. / 服务器正忙于其他搜索，请稍后再试。".into(),
            ),
            AppError::Internal(_) => {
                ("Internal error / 服务器内部错误", "Something went wrong on our side; it has been logged.".into())
            }
        }
    }
}

/// A busy or unreachable database is a 503 the client may retry (with Retry-After), not a
/// 500: waiting for the SQLite writer behind a long write, a pool with no connection free
/// within `XIAOQI_DB_WAIT_MS`, PostgreSQL restarting.
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if busy(&error) {
            tracing::warn!(%error, "database busy; answered 503");
            AppError::Unavailable("the database is busy; try again shortly / 数据库繁忙，请稍后重试".into())
        } else {
            AppError::Internal(anyhow::Error::new(error))
        }
    }
}

/// Errors from code that returns `anyhow` keep the database's busy answer a 503 too.
impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        match error.chain().find_map(|cause| cause.downcast_ref::<sqlx::Error>()) {
            Some(cause) if busy(cause) => {
                tracing::warn!(error = format!("{error:#}"), "database busy; answered 503");
                AppError::Unavailable("the database is busy; try again shortly / 数据库繁忙，请稍后重试".into())
            }
            _ => AppError::Internal(error),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors)
    }
}

/// Is this error the database being busy rather than wrong: no connection free within
/// the wait (`PoolTimedOut`), SQLite's "database is locked" (busy or locked, another
/// process holding the write lock past the busy timeout), or the database unreachable or
/// shutting down? Such a request may simply be tried again.
pub fn busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or("");
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Extended codes keep the primary one in the low byte: 5 SQLITE_BUSY,
                // 6 SQLITE_LOCKED.
                matches!(code.parse::<i64>().map(|c| c & 0xff), Ok(5 | 6))
            } else {
                // Class 57P: the server is shutting down or restarting; 53300: too many
                // connections.
                code.starts_with("57P") || code == "53300"
            }
        }
        _ => false,
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The fields at fault: every invalid one (422), or the one whose value is already
    /// taken (409).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "internal error");
        }
        let (title, detail) = self.title_and_detail();
        let slug = title.split(" /").next().unwrap_or(title).to_lowercase().replace(' ', "-");
        let problem = Problem {
            kind: format!("https://xiaoqi.example/problems/{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors: match &self {
                AppError::Validation(errors) | AppError::Taken(errors) => Some(errors.0.clone()),
                _ => None,
            },
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let AppError::TooManyRequests { retry_after_secs }
        | AppError::SearchRate { retry_after_secs }
        | AppError::Busy { retry_after_secs } = self
        {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(BUSY_RETRY_AFTER_SECS));
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body was never read, so this connection cannot carry another
            // request; say so, or a client may reuse it and lose its next request.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};

    fn answered(error: AppError) -> (StatusCode, Option<String>) {
        let response = error.into_response();
        let retry = response.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_string());
        (response.status(), retry)
    }

    #[test]
    fn no_connection_in_time_is_a_503_with_retry_after_however_it_arrives() {
        let busy = (StatusCode::SERVICE_UNAVAILABLE, Some(BUSY_RETRY_AFTER_SECS.to_string()));
        assert_eq!(answered(sqlx::Error::PoolTimedOut.into()), busy);
        let wrapped = anyhow::Error::new(sqlx::Error::PoolTimedOut).context("loading the round");
        assert_eq!(answered(wrapped.into()), busy);
        assert_eq!(answered(sqlx::Error::RowNotFound.into()), (StatusCode::INTERNAL_SERVER_ERROR, None));
    }

    #[tokio::test]
    async fn sqlite_locked_by_another_process_is_a_503() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new().filename(dir.path().join("db")).create_if_missing(true);
        let mut holder = options.clone().connect().await.unwrap();
        sqlx::query("CREATE TABLE t (x)").execute(&mut holder).await.unwrap();
        sqlx::query("BEGIN IMMEDIATE").execute(&mut holder).await.unwrap();
        let mut waiter = options.busy_timeout(std::time::Duration::ZERO).connect().await.unwrap();
        let error = sqlx::query("BEGIN IMMEDIATE").execute(&mut waiter).await.unwrap_err();
        assert!(error.to_string().contains("locked"), "{error}");
        assert_eq!(answered(error.into()).0, StatusCode::SERVICE_UNAVAILABLE);
        waiter.close().await.unwrap();
        holder.close().await.unwrap();
    }
}
