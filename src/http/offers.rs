//! Offers: a published round's placements and both sides' answers (part A).

use crate::http::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
