//! Closed vocabularies: each value has a JSON name, a Chinese label and an English label.

use serde::Serialize;

/// A value of a closed vocabulary, with its labels.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Label {
    pub value: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// Defines an enum stored and sent as its snake_case name, with Chinese and English labels,
/// parsing from JSON fields and storable in either database as text.
macro_rules! labeled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = ($value:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($value => Some($name::$variant),)+ _ => None }
            }
            pub fn labels() -> Vec<$crate::domain::labels::Label> {
                Self::ALL
                    .iter()
                    .map(|v| $crate::domain::labels::Label { value: v.as_str(), zh: v.label_zh(), en: v.label_en() })
                    .collect()
            }
            fn allowed() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::domain::validation::FromField for $name {
            fn from_field(value: &serde_json::Value) -> Result<Self, String> {
                value
                    .as_str()
                    .and_then($name::parse)
                    .ok_or_else(|| format!("must be one of: {} / 取值无效", $name::allowed()))
            }
            fn schema() -> utoipa::openapi::schema::Schema {
                $crate::domain::input_schema::one_of(Self::ALL.iter().map(|v| v.as_str()))
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, DB>>::decode(value)?;
                $name::parse(&text).ok_or_else(|| {
                    format!("unknown {} `{}` in the database", stringify!($name), text).into()
                })
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'static str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut DB::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'static str as sqlx::Encode<'q, DB>>::encode(self.as_str(), buf)
            }
        }
    };
}
pub(crate) use labeled_enum;

labeled_enum! {
    /// What an organisation is.
    OrgKind {
        Company = ("company", "企业", "Company"),
        School = ("school", "学校", "School"),
        Coordinator = ("coordinator", "服务中心", "Service centre"),
    }
}

labeled_enum! {
    /// What a user account may do; always tied to an organisation of the matching kind.
    Role {
        Coordinator = ("coordinator", "协调员", "Coordinator"),
        Company = ("company", "企业用户", "Company user"),
        School = ("school", "学校用户", "School user"),
    }
}

impl Role {
    /// The organisation kind an account of this role belongs to.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Role::Coordinator => OrgKind::Coordinator,
            Role::Company => OrgKind::Company,
            Role::School => OrgKind::School,
        }
    }
}

labeled_enum! {
    /// Education levels, in ascending order of attainment (see [`Education::rank`]).
    Education {
        JuniorHigh = ("junior_high", "初中", "Junior high school"),
        HighSchool = ("high_school", "高中", "High school"),
        SecondaryVocational = ("secondary_vocational", "中专", "Secondary vocational school"),
        TechnicalSchool = ("technical_school", "技校", "Technical school"),
        Associate = ("associate", "大专", "Associate degree"),
        Bachelor = ("bachelor", "本科", "Bachelor's degree"),
        Master = ("master", "硕士", "Master's degree"),
        Doctorate = ("doctorate", "博士", "Doctorate"),
    }
}

impl Education {
    /// Levels with the same rank are equivalent: high school = secondary vocational = technical school.
    pub fn rank(self) -> i64 {
        match self {
            Education::JuniorHigh => 1,
            Education::HighSchool | Education::SecondaryVocational | Education::TechnicalSchool => 2,
            Education::Associate => 3,
            Education::Bachelor => 4,
            Education::Master => 5,
            Education::Doctorate => 6,
        }
    }

    /// Does someone with `self` meet a requirement of `minimum`?
    pub fn meets(self, minimum: Education) -> bool {
        self.rank() >= minimum.rank()
    }
}

labeled_enum! {
    /// Job categories of a posting.
    Category {
        Operator = ("operator", "普工/操作工", "Operator"),
        Technician = ("technician", "技术员", "Technician"),
        Engineer = ("engineer", "工程师", "Engineer"),
        Construction = ("construction", "建筑施工", "Construction"),
        Logistics = ("logistics", "物流仓储", "Logistics & warehousing"),
        Quality = ("quality", "质检", "Quality inspection"),
        Maintenance = ("maintenance", "设备维护", "Equipment maintenance"),
        Sales = ("sales", "销售", "Sales"),
        Office = ("office", "行政文员", "Office & administration"),
        Management = ("management", "管理", "Management"),
        Other = ("other", "其他", "Other"),
    }
}

labeled_enum! {
    /// What comes with a job besides the salary.
    Benefit {
        Dormitory = ("dormitory", "宿舍", "Dormitory"),
        Meals = ("meals", "工作餐", "Meals"),
        Shuttle = ("shuttle", "班车", "Shuttle bus"),
        SocialInsurance = ("social_insurance", "五险一金", "Social insurance & housing fund"),
        OvertimePay = ("overtime_pay", "加班费", "Overtime pay"),
        NightAllowance = ("night_allowance", "夜班补贴", "Night-shift allowance"),
        Training = ("training", "带薪培训", "Paid training"),
    }
}

labeled_enum! {
    /// Life cycle of a posting.
    PostingStatus {
        Draft = ("draft", "草稿", "Draft"),
        Open = ("open", "招聘中", "Open"),
        Filled = ("filled", "已招满", "Filled"),
        Closed = ("closed", "已关闭", "Closed"),
    }
}

labeled_enum! {
    /// Stage of an industrial project.
    ProjectStage {
        Planning = ("planning", "筹备", "Planning"),
        Construction = ("construction", "在建", "Under construction"),
        Production = ("production", "投产", "In production"),
    }
}

labeled_enum! {
    /// Where a graduate stands in the search for work.
    GraduateStatus {
        Seeking = ("seeking", "求职中", "Seeking"),
        Matched = ("matched", "已匹配", "Matched"),
        Placed = ("placed", "已就业", "Placed"),
        Withdrawn = ("withdrawn", "已退出", "Withdrawn"),
    }
}

labeled_enum! {
    /// A graduate's gender as the roster records it (性别).
    Gender {
        Male = ("male", "男", "Male"),
        Female = ("female", "女", "Female"),
    }
}

labeled_enum! {
    /// How a consent record came to be.
    ConsentMethod {
        Import = ("import", "名单导入", "Roster import"),
        Teacher = ("teacher", "学校老师录入", "Recorded by the school"),
        Coordinator = ("coordinator", "服务中心录入", "Recorded by the service centre"),
        GraduateLink = ("graduate_link", "本人通过个人链接", "By the graduate, through their personal link"),
    }
}

labeled_enum! {
    /// Life cycle of a matching round.
    RoundStatus {
        Draft = ("draft", "草稿", "Draft"),
        Running = ("running", "运行中", "Running"),
        Done = ("done", "已完成", "Done"),
        Failed = ("failed", "失败", "Failed"),
        Published = ("published", "已发布", "Published"),
    }
}

labeled_enum! {
    /// What kind of gathering an event is.
    EventKind {
        JobFair = ("job_fair", "双选会", "Job fair"),
        Symposium = ("symposium", "校企合作交流座谈会", "Symposium"),
        CampusVisit = ("campus_visit", "进校宣讲", "Campus visit"),
    }
}

labeled_enum! {
    /// Whether an event takes place.
    EventStatus {
        Scheduled = ("scheduled", "如期举行", "Scheduled"),
        Cancelled = ("cancelled", "已取消", "Cancelled"),
    }
}

labeled_enum! {
    /// Where a registration for an event stands.
    RegistrationStatus {
        Pending = ("pending", "待审核", "Pending"),
        Approved = ("approved", "已通过", "Approved"),
        Rejected = ("rejected", "未通过", "Rejected"),
        Declined = ("declined", "不参加", "Declined"),
    }
}

labeled_enum! {
    /// What an e-mail notice says.
    NoticeKind {
        Invitation = ("invitation", "邀请函", "Invitation"),
        Reminder = ("reminder", "活动提醒", "Reminder"),
        Update = ("update", "活动变更", "Update"),
        Cancellation = ("cancellation", "活动取消", "Cancellation"),
        RoundResult = ("round_result", "匹配结果", "Matching result"),
        PersonalLink = ("personal_link", "个人页面链接", "Personal link"),
        RegistrationDecision = ("registration_decision", "报名审核结果", "Registration decision"),
        OrganizationDecision = ("organization_decision", "单位审核结果", "Organisation review"),
        Offer = ("offer", "录用意向", "Offer"),
        OfferAnswer = ("offer_answer", "录用答复", "Offer answer"),
        PasswordReset = ("password_reset", "重置密码", "Password reset"),
    }
}

labeled_enum! {
    /// Where an organisation stands in vetting: companies publish postings only once
    /// approved.
    OrgStatus {
        Pending = ("pending", "待审核", "Pending review"),
        Approved = ("approved", "已通过", "Approved"),
        Rejected = ("rejected", "未通过", "Rejected"),
    }
}

labeled_enum! {
    /// Where an offer (a published round's placement) stands.
    OfferStatus {
        Pending = ("pending", "待答复", "Awaiting answers"),
        Accepted = ("accepted", "已录用", "Accepted"),
        Declined = ("declined", "已拒绝", "Declined"),
        Expired = ("expired", "已过期", "Expired"),
    }
}

labeled_enum! {
    /// One side's answer to an offer.
    OfferAnswer {
        Accept = ("accept", "接受", "Accept"),
        Decline = ("decline", "拒绝", "Decline"),
    }
}

labeled_enum! {
    /// A graduate's destination in the Ministry of Education's categories (毕业去向).
    /// A placement through an offer records `agreement`.
    Destination {
        Agreement = ("agreement", "签就业协议", "Employment agreement"),
        LabourContract = ("labour_contract", "签劳动合同", "Labour contract"),
        OtherEmployment = ("other_employment", "其他录用", "Other employment"),
        SelfEmployed = ("self_employed", "自主创业", "Self-employed"),
        FurtherStudy = ("further_study", "升学", "Further study"),
        Military = ("military", "应征入伍", "Military service"),
        Abroad = ("abroad", "出国、出境", "Abroad"),
        Seeking = ("seeking", "待就业", "Still seeking"),
        NotSeeking = ("not_seeking", "暂不就业", "Not seeking for now"),
    }
}

labeled_enum! {
    /// Where a notice is in the outbox.
    NoticeStatus {
        Queued = ("queued", "排队中", "Queued"),
        Sending = ("sending", "发送中", "Sending"),
        Sent = ("sent", "已发送", "Sent"),
        Retrying = ("retrying", "重试中", "Retrying"),
        Failed = ("failed", "发送失败", "Failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_serde_names_match<T: serde::Serialize + Copy>(all: &[T], as_str: fn(T) -> &'static str) {
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(as_str(*v)));
        }
    }

    #[test]
    fn json_names_are_the_stored_names() {
        assert_serde_names_match(OrgKind::ALL, OrgKind::as_str);
        assert_serde_names_match(Role::ALL, Role::as_str);
        assert_serde_names_match(Education::ALL, Education::as_str);
        assert_serde_names_match(Category::ALL, Category::as_str);
        assert_serde_names_match(Benefit::ALL, Benefit::as_str);
        assert_serde_names_match(PostingStatus::ALL, PostingStatus::as_str);
        assert_serde_names_match(ProjectStage::ALL, ProjectStage::as_str);
        assert_serde_names_match(GraduateStatus::ALL, GraduateStatus::as_str);
        assert_serde_names_match(Gender::ALL, Gender::as_str);
        assert_serde_names_match(ConsentMethod::ALL, ConsentMethod::as_str);
        assert_serde_names_match(RoundStatus::ALL, RoundStatus::as_str);
        assert_serde_names_match(EventKind::ALL, EventKind::as_str);
        assert_serde_names_match(NoticeKind::ALL, NoticeKind::as_str);
        assert_serde_names_match(NoticeStatus::ALL, NoticeStatus::as_str);
        assert_serde_names_match(OrgStatus::ALL, OrgStatus::as_str);
        assert_serde_names_match(OfferStatus::ALL, OfferStatus::as_str);
        assert_serde_names_match(OfferAnswer::ALL, OfferAnswer::as_str);
        assert_serde_names_match(Destination::ALL, Destination::as_str);
    }

    #[test]
    fn education_order_matches_the_design() {
        use Education::*;
        assert!(JuniorHigh.rank() < HighSchool.rank());
        assert_eq!(HighSchool.rank(), SecondaryVocational.rank());
        assert_eq!(SecondaryVocational.rank(), TechnicalSchool.rank());
        assert!(TechnicalSchool.rank() < Associate.rank());
        assert!(Associate.rank() < Bachelor.rank());
        assert!(Bachelor.rank() < Master.rank());
        assert!(Master.rank() < Doctorate.rank());
        assert!(TechnicalSchool.meets(HighSchool));
        assert!(!Associate.meets(Bachelor));
    }

    #[test]
    fn every_value_has_both_labels() {
        for l in Category::labels().iter().chain(Benefit::labels().iter()).chain(Education::labels().iter()) {
            assert!(!l.zh.is_empty() && !l.en.is_empty() && l.zh != l.en, "{l:?}");
        }
    }
}
