use super::validation::Bound;
use super::{Benefit, Category, Education, Input, MAX_SALARY, Parse, PostingStatus};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

/// What a client may write about an opening.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PostingFields {
    pub project_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub category: Category,
    #[schema(value_type = Vec<String>)]
    pub majors: Json<Vec<String>>,
    pub education_min: Education,
    /// 1–10000
    pub headcount: i64,
    /// CNY per month
    pub salary_min: Option<i64>,
    /// CNY per month, at least `salary_min`
    pub salary_max: Option<i64>,
    pub location: Option<String>,
    #[schema(value_type = Vec<Benefit>)]
    pub benefits: Json<Vec<Benefit>>,
    pub starts_on: Option<NaiveDate>,
    /// After `starts_on`
    pub closes_on: Option<NaiveDate>,
    pub status: PostingStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Posting {
    pub id: i64,
    pub organization_id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub fields: PostingFields,
    /// Read-only: graduates placed by accepted offers; the posting is `filled` at its
    /// headcount.
    pub filled: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /postings`: a company's users post for their own company; coordinators name it.
pub type NewPosting = super::New<PostingFields>;

/// `PATCH /postings/{id}`: a JSON merge patch over the posting.
pub type PostingPatch = super::Patch<PostingFields>;

impl PostingFields {
    /// An open posting with only the required fields; everything optional is absent. Code
    /// that builds postings starts from this (`PostingFields { salary_min, ..new(…) }`), so
    /// a new optional field needs no change there.
    pub fn new(title: String, category: Category, education_min: Education, headcount: i64) -> Self {
        Self {
            project_id: None,
            title,
            description: None,
            category,
            majors: Json(Vec::new()),
            education_min,
            headcount,
            salary_min: None,
            salary_max: None,
            location: None,
            benefits: Json(Vec::new()),
            starts_on: None,
            closes_on: None,
            status: PostingStatus::Open,
        }
    }
}

impl Parse for PostingFields {
    const READ_ONLY: &'static [&'static str] = &["id", "organization_id", "created_at", "updated_at", "filled"];

    /// `salary_max` must be at least `salary_min`, and `closes_on` after `starts_on`.
    fn parse(input: &mut Input) -> Option<Self> {
        let project_id = input.int_in("project_id", 1, i64::MAX, false);
        let title = input.required_text("title", 100);
        let description = input.multiline_text("description", 5000);
        let category = input.required("category");
        let majors = input.text_list("majors", 20, 50);
        let education_min = input.required("education_min");
        let headcount = input.int_in("headcount", 1, 10_000, true);
        let salary_min = input.int_in("salary_min", 0, MAX_SALARY, false);
        let salary_max = input.int_in("salary_max", 0, MAX_SALARY, false);
        let message = "must be at least salary_min / 最高薪资不能低于最低薪资";
        input.bound_by("salary_max", salary_max, Bound::AtLeast, "salary_min", salary_min, message);
        let location = input.text("location", 100);
        let benefits = input.enum_list("benefits");
        let starts_on: Option<NaiveDate> = input.optional("starts_on");
        let closes_on: Option<NaiveDate> = input.optional("closes_on");
        let message = "must be after starts_on / 截止日期必须晚于开始日期";
        input.bound_by("closes_on", closes_on, Bound::After, "starts_on", starts_on, message);
        let status = input.optional("status").unwrap_or(PostingStatus::Open);
        Some(Self {
            project_id,
            title: title?,
            description,
            category: category?,
            majors: Json(majors),
            education_min: education_min?,
            headcount: headcount?,
            salary_min,
            salary_max,
            location,
            benefits: Json(benefits),
            starts_on,
            closes_on,
            status,
        })
    }
}
