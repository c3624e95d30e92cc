//! `/app/graduates/import`: upload a roster (.xlsx or .csv), preview what it would change
//! and every error by row and column, then import.

use crate::http::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
