//! Reports: fill, placements, destinations, turnout; JSON or .xlsx (part D).

use crate::http::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
