use super::{Destination, Education, Email, Gender, GraduateStatus, IdNumber, Input, MAX_SALARY, Parse, Phone};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

/// What a school may write about one of its graduates.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct GraduateFields {
    pub name: String,
    /// 学号: unique within the school; re-imports update by it.
    pub student_no: Option<String>,
    pub gender: Option<Gender>,
    /// 身份证号: the school's and coordinators' only. Answers carry it masked
    /// (`4401**********123X`; sending that back keeps the number); `POST
    /// /graduates/{id}/id_number` reveals it, audited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<IdNumber>,
    pub birth_date: Option<NaiveDate>,
    /// 班级
    pub class_name: Option<String>,
    pub major: String,
    pub education: Education,
    pub graduation_year: i64,
    #[schema(value_type = Vec<String>)]
    pub skills: Json<Vec<String>>,
    /// e.g. 电工证, 数控中级
    #[schema(value_type = Vec<String>)]
    pub certificates: Json<Vec<String>>,
    #[schema(value_type = Vec<String>)]
    pub preferred_locations: Json<Vec<String>>,
    /// CNY per month
    pub expected_salary: Option<i64>,
    pub available_from: Option<NaiveDate>,
    /// Contact details: shown to the graduate's own school and coordinators only.
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// Consent to be shown to companies (without contact details).
    pub consent: bool,
    pub summary: Option<String>,
    pub status: GraduateStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Graduate {
    pub id: i64,
    /// The school.
    pub organization_id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub fields: GraduateFields,
    /// Read-only: the latest destination recorded (毕业去向); never shown to companies.
    pub destination: Option<Destination>,
    /// Read-only: the day the latest destination took effect.
    pub destination_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Graduate {
    /// The view for readers who may not see contact details (companies): no e-mail, phone,
    /// ID number, birth date, student number or destination.
    pub fn without_contact(mut self) -> Self {
        self.fields.email = None;
        self.fields.phone = None;
        self.fields.id_number = None;
        self.fields.birth_date = None;
        self.fields.student_no = None;
        self.destination = None;
        self.destination_date = None;
        self
    }

    /// The view for the school and coordinators: everything, the ID number masked.
    pub fn with_id_number_masked(mut self) -> Self {
        self.fields.id_number = self.fields.id_number.as_ref().map(IdNumber::masked);
        self
    }
}

/// `POST /graduates`: a school's users add to their own roster; coordinators name the school.
pub type NewGraduate = super::New<GraduateFields>;

/// `PATCH /graduates/{id}`: a JSON merge patch over the graduate.
pub type GraduatePatch = super::Patch<GraduateFields>;

impl GraduateFields {
    /// A seeking graduate with only the required fields, not consenting; everything
    /// optional is absent. Code that builds graduates starts from this
    /// (`GraduateFields { consent, ..new(…) }`), so a new optional field needs no change there.
    pub fn new(name: String, major: String, education: Education, graduation_year: i64) -> Self {
        Self {
            name,
            student_no: None,
            gender: None,
            id_number: None,
            birth_date: None,
            class_name: None,
            major,
            education,
            graduation_year,
            skills: Json(Vec::new()),
            certificates: Json(Vec::new()),
            preferred_locations: Json(Vec::new()),
            expected_salary: None,
            available_from: None,
            email: None,
            phone: None,
            consent: false,
            summary: None,
            status: GraduateStatus::Seeking,
        }
    }
}

impl Parse for GraduateFields {
    const READ_ONLY: &'static [&'static str] =
        &["id", "organization_id", "created_at", "updated_at", "destination", "destination_date"];

    fn parse(input: &mut Input) -> Option<Self> {
        let this_year = i64::from(Utc::now().year());
        let name = input.required_text("name", 50);
        let student_no = input.text("student_no", 32);
        let gender: Option<Gender> = input.optional("gender");
        let id_number: Option<IdNumber> = input.optional("id_number");
        let birth_date: Option<NaiveDate> = input.optional("birth_date");
        let class_name = input.text("class_name", 50);
        if let Some(id) = &id_number {
            if gender.is_some_and(|g| Some(g) != id.gender()) {
                input.errors.push("gender", "does not match the ID number / 与身份证号中的性别不符");
            }
            if birth_date.is_some_and(|d| Some(d) != id.birth_date()) {
                input.errors.push("birth_date", "does not match the ID number / 与身份证号中的出生日期不符");
            }
        }
        let major = input.required_text("major", 100);
        let education = input.required("education");
        let graduation_year = input.int_in("graduation_year", 1980, this_year + 6, true);
        let skills = input.text_list("skills", 30, 50);
        let certificates = input.text_list("certificates", 20, 50);
        let preferred_locations = input.text_list("preferred_locations", 10, 50);
        let expected_salary = input.int_in("expected_salary", 0, MAX_SALARY, false);
        let available_from = input.optional("available_from");
        let email = input.optional("email");
        let phone = input.optional("phone");
        let consent = input.optional("consent").unwrap_or(false);
        let summary = input.multiline_text("summary", 2000);
        let status = input.optional("status").unwrap_or(GraduateStatus::Seeking);
        Some(Self {
            name: name?,
            student_no,
            gender,
            id_number,
            birth_date,
            class_name,
            major: major?,
            education: education?,
            graduation_year: graduation_year?,
            skills: Json(skills),
            certificates: Json(certificates),
            preferred_locations: Json(preferred_locations),
            expected_salary,
            available_from,
            email,
            phone,
            consent,
            summary,
            status,
        })
    }
}
