//! Graduates' destinations (毕业去向) in the Ministry of Education's categories (part A).

use crate::http::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
