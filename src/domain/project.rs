use super::{Input, Parse, ProjectStage};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// An industrial project (e.g. 奥士康项目一期) that needs workers.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ProjectFields {
    pub name: String,
    /// Industrial park, e.g. 电子信息产业园
    pub park: Option<String>,
    pub stage: ProjectStage,
    /// 重点项目
    pub key_project: bool,
    /// Workers still missing (用工缺口).
    pub shortage: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Project {
    pub id: i64,
    pub organization_id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub fields: ProjectFields,
    /// Read-only: graduates placed on its postings (accepted offers).
    pub placed: i64,
    /// Read-only: the headcount of its open postings.
    pub seats: i64,
    /// Read-only: `shortage` less `placed`, never below zero.
    pub open_shortage: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /projects`: a company's users add their own; coordinators name the company.
pub type NewProject = super::New<ProjectFields>;

/// `PATCH /projects/{id}`: a JSON merge patch over the project.
pub type ProjectPatch = super::Patch<ProjectFields>;

impl Parse for ProjectFields {
    const READ_ONLY: &'static [&'static str] =
        &["id", "organization_id", "created_at", "updated_at", "placed", "seats", "open_shortage"];

    fn parse(input: &mut Input) -> Option<Self> {
        let name = input.required_text("name", 100);
        let park = input.text("park", 100);
        let stage = input.optional("stage").unwrap_or(ProjectStage::Construction);
        let key_project = input.optional("key_project").unwrap_or(false);
        let shortage = input.int_in("shortage", 0, 100_000, false).unwrap_or(0);
        Some(Self { name: name?, park, stage, key_project, shortage })
    }
}
