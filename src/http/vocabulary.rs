use super::AppState;
use crate::domain::labels::Label;
use crate::domain::{Benefit, Category, Education, GraduateStatus, OrgKind, PostingStatus, ProjectStage, Role};
use axum::Json;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vocabulary))
}

/// Every closed vocabulary with Chinese and English labels, in display order.
#[derive(Serialize, utoipa::ToSchema)]
struct Vocabulary {
    organization_kinds: Vec<Label>,
    roles: Vec<Label>,
    /// Ascending; high_school, secondary_vocational and technical_school rank equal.
    education_levels: Vec<Label>,
    categories: Vec<Label>,
    benefits: Vec<Label>,
    posting_statuses: Vec<Label>,
    project_stages: Vec<Label>,
    graduate_statuses: Vec<Label>,
}

/// Values and labels (取值与中英文标签).
#[utoipa::path(get, operation_id = "vocabulary_vocabulary", path = "/vocabulary", tag = "vocabulary", responses((status = 200, body = Vocabulary, description = "OK")))]
async fn vocabulary() -> Json<Vocabulary> {
    Json(Vocabulary {
        organization_kinds: OrgKind::labels(),
        roles: Role::labels(),
        education_levels: Education::labels(),
        categories: Category::labels(),
        benefits: Benefit::labels(),
        posting_statuses: PostingStatus::labels(),
        project_stages: ProjectStage::labels(),
        graduate_statuses: GraduateStatus::labels(),
    })
}
