//! Whether a (posting, graduate) pair may be matched at all, and if not, why — in Chinese and English.

use super::score::{GraduateProfile, Normalised, PostingProfile, location_matches_normalised};
use crate::domain::graduate::Graduate;
use crate::domain::posting::Posting;
use crate::domain::{Education, GraduateStatus, PostingStatus};
use serde::{Serialize, Serializer};

/// Why a pair cannot be matched. The JSON form is [`IneligibleExplanation`]:
/// `{"code": "education_below_minimum", "zh": "…", "en": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.en())]
pub enum Ineligible {
    /// The posting is a draft, filled or closed.
    PostingNotOpen { status: PostingStatus },
    /// The graduate is matched, placed or withdrawn.
    GraduateNotSeeking { status: GraduateStatus },
    /// The graduate has not consented to be shown to companies.
    NoConsent,
    /// The graduate's education ranks below the posting's minimum (see [`Education::meets`]).
    EducationBelowMinimum { minimum: Education, actual: Education },
    /// The graduate restricted their locations and the posting's location matches none of them
    /// (see [`location_matches`]). A posting without a location is not excluded.
    LocationNotPreferred { location: String, preferred: Vec<String> },
}

/// The JSON form of [`Ineligible`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IneligibleExplanation {
    /// Stable machine-readable reason: `posting_not_open`, `graduate_not_seeking`, `no_consent`,
    /// `education_below_minimum`, `location_not_preferred`.
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::PostingNotOpen { .. } => "posting_not_open",
            Ineligible::GraduateNotSeeking { .. } => "graduate_not_seeking",
            Ineligible::NoConsent => "no_consent",
            Ineligible::EducationBelowMinimum { .. } => "education_below_minimum",
            Ineligible::LocationNotPreferred { .. } => "location_not_preferred",
        }
    }

    /// The reason in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Ineligible::PostingNotOpen { status } => format!("岗位不在招聘中（当前状态：{}）", status.label_zh()),
            Ineligible::GraduateNotSeeking { status } => {
                format!("毕业生不在求职中（当前状态：{}）", status.label_zh())
            }
            Ineligible::NoConsent => "毕业生未同意向企业展示个人信息".to_string(),
            Ineligible::EducationBelowMinimum { minimum, actual } => {
                format!("学历低于岗位要求（要求{}及以上，实际为{}）", minimum.label_zh(), actual.label_zh())
            }
            Ineligible::LocationNotPreferred { location, preferred } => {
                format!("工作地点{}不在毕业生的意向地点（{}）内", location, preferred.join("、"))
            }
        }
    }

    /// The reason in English.
    pub fn en(&self) -> String {
        match self {
            Ineligible::PostingNotOpen { status } => {
                format!("the posting is not open (status: {})", status.label_en())
            }
            Ineligible::GraduateNotSeeking { status } => {
                format!("the graduate is not seeking work (status: {})", status.label_en())
            }
            Ineligible::NoConsent => "the graduate has not consented to be shown to companies".to_string(),
            Ineligible::EducationBelowMinimum { minimum, actual } => format!(
                "education below the posting's minimum (requires {} or above, has {})",
                minimum.label_en(),
                actual.label_en()
            ),
            Ineligible::LocationNotPreferred { location, preferred } => format!(
                "the posting's location {} is not among the graduate's preferred locations ({})",
                location,
                preferred.join(", ")
            ),
        }
    }

    pub fn explain(&self) -> IneligibleExplanation {
        IneligibleExplanation { code: self.code(), zh: self.zh(), en: self.en() }
    }
}

impl Serialize for Ineligible {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.explain().serialize(serializer)
    }
}

/// Check 5 of [`eligibility`]: a stated location must match one of the graduate's
/// preferences, if it has any.
pub fn location_allowed(location: Option<&Normalised>, preferred: &[Normalised]) -> bool {
    match location {
        Some(location) if !preferred.is_empty() => preferred.iter().any(|p| location_matches_normalised(location, p)),
        _ => true,
    }
}

/// [`eligibility`] on prepared profiles, without the reasons: the same five checks.
pub fn is_eligible(posting: &PostingProfile, graduate: &GraduateProfile) -> bool {
    posting.status == PostingStatus::Open
        && graduate.status == GraduateStatus::Seeking
        && graduate.consent
        && graduate.education.meets(posting.education_min)
        && location_allowed(posting.location(), graduate.preferred())
}

/// A round's postings as eligibility sees them from a graduate's side: the lowest education
/// minimum at each distinct location. Answers "is any posting eligible, and if not, which
/// rule excludes them all" in one step per location instead of one per posting.
pub struct Openings {
    locations: Vec<Option<Normalised>>,
    lowest: Vec<Education>,
}

impl Openings {
    /// The open postings among `postings`.
    pub fn of<'a>(postings: impl IntoIterator<Item = &'a PostingProfile>) -> Self {
        let mut at: std::collections::HashMap<Option<String>, usize> = std::collections::HashMap::new();
        let (mut locations, mut lowest) = (Vec::new(), Vec::<Education>::new());
        for p in postings.into_iter().filter(|p| p.status == PostingStatus::Open) {
            let key = p.location().map(|l| l.as_str().to_string());
            match at.get(&key) {
                Some(&i) if lowest[i].rank() <= p.education_min.rank() => {}
                Some(&i) => lowest[i] = p.education_min,
                None => {
                    at.insert(key, locations.len());
                    locations.push(p.location().cloned());
                    lowest.push(p.education_min);
                }
            }
        }
        Openings { locations, lowest }
    }

    /// `None` when some posting passes the education and location checks for `graduate`;
    /// otherwise which rule excludes every one: `education`, `location`,
    /// `education_and_location` (each alone), `education_at_location` (only together) or
    /// `no_postings`.
    pub fn excluded_by(&self, graduate: &GraduateProfile) -> Option<&'static str> {
        let (mut place, mut schooling) = (false, false);
        for (location, lowest) in self.locations.iter().zip(&self.lowest) {
            let (here, enough) =
                (location_allowed(location.as_ref(), graduate.preferred()), graduate.education.meets(*lowest));
            if here && enough {
                return None;
            }
            place |= here;
            schooling |= enough;
        }
        Some(match (place, schooling) {
            _ if self.locations.is_empty() => "no_postings",
            (true, false) => "education",
            (false, true) => "location",
            (false, false) => "education_and_location",
            (true, true) => "education_at_location",
        })
    }
}

/// May this pair be matched? Checks, in this order, and reports the first failure:
/// 1. the posting is open;
/// 2. the graduate is seeking;
/// 3. the graduate consented to be shown to companies;
/// 4. the graduate's education meets the posting's minimum ([`Education::meets`]: equal ranks are equivalent);
/// 5. if the graduate listed preferred locations (blank entries ignored) and the posting states a
///    location, it matches one of them ([`location_matches`]).
///
/// Use [`ineligibilities`] for every failing check.
pub fn eligibility(posting: &Posting, graduate: &Graduate) -> Result<(), Ineligible> {
    match ineligibilities(posting, graduate).into_iter().next() {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// Every reason the pair cannot be matched, in the order of [`eligibility`]; empty when eligible.
pub fn ineligibilities(posting: &Posting, graduate: &Graduate) -> Vec<Ineligible> {
    let (p, g) = (&posting.fields, &graduate.fields);
    let mut reasons = Vec::new();
    if p.status != PostingStatus::Open {
        reasons.push(Ineligible::PostingNotOpen { status: p.status });
    }
    if g.status != GraduateStatus::Seeking {
        reasons.push(Ineligible::GraduateNotSeeking { status: g.status });
    }
    if !g.consent {
        reasons.push(Ineligible::NoConsent);
    }
    if !g.education.meets(p.education_min) {
        reasons.push(Ineligible::EducationBelowMinimum { minimum: p.education_min, actual: g.education });
    }
    let preferred: Vec<Normalised> =
        g.preferred_locations.iter().map(|l| Normalised::new(l)).filter(|l| !l.is_empty()).collect();
    let location = p.location.as_deref().map(Normalised::new).filter(|l| !l.is_empty());
    if !location_allowed(location.as_ref(), &preferred) {
        reasons.push(Ineligible::LocationNotPreferred {
            location: p.location.as_deref().unwrap_or("").trim().to_string(),
            preferred: g.preferred_locations.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::score::tests::{any_graduate, any_posting, graduate, posting, strings};
    use proptest::prelude::*;
    use sqlx::types::Json;

    #[test]
    fn eligible_pair() {
        let p = posting(&["数控技术"], Education::TechnicalSchool);
        let g = graduate("数控技术", Education::SecondaryVocational);
        assert_eq!(eligibility(&p, &g), Ok(()));
        assert!(ineligibilities(&p, &g).is_empty());
    }

    #[test]
    fn education_below_minimum() {
        let p = posting(&["数控技术"], Education::Associate);
        let g = graduate("数控技术", Education::TechnicalSchool);
        let err = eligibility(&p, &g).unwrap_err();
        assert_eq!(
            err,
            Ineligible::EducationBelowMinimum { minimum: Education::Associate, actual: Education::TechnicalSchool }
        );
        assert_eq!(err.zh(), "学历低于岗位要求（要求大专及以上，实际为技校）");
        assert_eq!(
            err.en(),
            "education below the posting's minimum (requires Associate degree or above, has Technical school)"
        );
        assert_eq!(err.to_string(), err.en());
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "education_below_minimum");
        assert_eq!(json["zh"], err.zh());
        assert_eq!(json["en"], err.en());
    }

    #[test]
    fn status_and_consent() {
        let mut p = posting(&[], Education::JuniorHigh);
        let mut g = graduate("数控技术", Education::Associate);
        p.fields.status = PostingStatus::Filled;
        assert_eq!(eligibility(&p, &g), Err(Ineligible::PostingNotOpen { status: PostingStatus::Filled }));
        assert!(eligibility(&p, &g).unwrap_err().zh().contains("已招满"));
        p.fields.status = PostingStatus::Open;
        g.fields.status = GraduateStatus::Placed;
        assert_eq!(eligibility(&p, &g), Err(Ineligible::GraduateNotSeeking { status: GraduateStatus::Placed }));
        g.fields.status = GraduateStatus::Seeking;
        g.fields.consent = false;
        assert_eq!(eligibility(&p, &g), Err(Ineligible::NoConsent));
    }

    #[test]
    fn location_restriction() {
        let mut p = posting(&[], Education::JuniorHigh);
        let mut g = graduate("数控技术", Education::Associate);
        p.fields.location = Some("常州武进".into());
        g.fields.preferred_locations = Json(strings(&["苏州", "无锡"]));
        let err = eligibility(&p, &g).unwrap_err();
        assert_eq!(err.code(), "location_not_preferred");
        assert_eq!(err.zh(), "工作地点常州武进不在毕业生的意向地点（苏州、无锡）内");
        g.fields.preferred_locations = Json(strings(&["常州"]));
        assert_eq!(eligibility(&p, &g), Ok(()));
        g.fields.preferred_locations = Json(vec![]);
        assert_eq!(eligibility(&p, &g), Ok(()), "no restriction");
        g.fields.preferred_locations = Json(strings(&["苏州"]));
        p.fields.location = None;
        assert_eq!(eligibility(&p, &g), Ok(()), "unknown location is not excluded");
    }

    #[test]
    fn all_reasons_are_listed() {
        let mut p = posting(&[], Education::Bachelor);
        let mut g = graduate("数控技术", Education::Associate);
        p.fields.status = PostingStatus::Closed;
        g.fields.status = GraduateStatus::Withdrawn;
        g.fields.consent = false;
        p.fields.location = Some("南京".into());
        let codes: Vec<_> = ineligibilities(&p, &g).iter().map(Ineligible::code).collect();
        assert_eq!(
            codes,
            [
                "posting_not_open",
                "graduate_not_seeking",
                "no_consent",
                "education_below_minimum",
                "location_not_preferred"
            ]
        );
        for reason in ineligibilities(&p, &g) {
            assert!(!reason.zh().is_empty() && !reason.en().is_empty() && reason.zh() != reason.en());
        }
    }

    proptest! {
        #[test]
        fn profiles_decide_exactly_like_the_full_check(p in any_posting(), g in any_graduate()) {
            let quick = is_eligible(&PostingProfile::of(&p.fields), &GraduateProfile::of(&g.fields));
            prop_assert_eq!(quick, eligibility(&p, &g).is_ok());
        }

        #[test]
        fn eligibility_fails_exactly_when_education_is_below_minimum(p in any_posting(), g in any_graduate()) {
            let (mut p, mut g) = (p, g);
            p.fields.status = PostingStatus::Open;
            g.fields.status = GraduateStatus::Seeking;
            g.fields.consent = true;
            g.fields.preferred_locations = Json(vec![]);
            let below = g.fields.education.rank() < p.fields.education_min.rank();
            prop_assert_eq!(eligibility(&p, &g).is_err(), below);
            if below {
                let is_education = matches!(eligibility(&p, &g), Err(Ineligible::EducationBelowMinimum { .. }));
                prop_assert!(is_education);
            }
        }

        #[test]
        fn eligibility_is_the_first_reason(p in any_posting(), g in any_graduate()) {
            let all = ineligibilities(&p, &g);
            prop_assert_eq!(eligibility(&p, &g).err(), all.first().cloned());
        }
    }
}
