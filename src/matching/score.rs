//! Scoring a (posting, graduate) pair: six components in 0..=1 and their weighted mean.
//!
//! Every component is a pure function of the posting's and the graduate's fields (the text
//! relevance comes from the search engine, already normalised to 0..=1). Components are kept
//! at full precision; only their JSON form is rounded to 4 decimals.

use crate::domain::graduate::{Graduate, GraduateFields};
use crate::domain::posting::{Posting, PostingFields};
use crate::domain::{Benefit, Education, GraduateStatus, PostingStatus, Weights};
use serde::{Serialize, Serializer};

/// The score of a pair, component by component; every value is in 0..=1.
///
/// Values are kept at full precision; JSON shows them rounded to 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    /// Text relevance from the search engine, clamped to 0..=1 (NaN counts as 0).
    #[serde(serialize_with = "round4")]
    pub text: f64,
    /// See [`major_fit`].
    #[serde(serialize_with = "round4")]
    pub major: f64,
    /// See [`education_fit`].
    #[serde(serialize_with = "round4")]
    pub education: f64,
    /// See [`location_fit`].
    #[serde(serialize_with = "round4")]
    pub location: f64,
    /// See [`salary_fit`].
    #[serde(serialize_with = "round4")]
    pub salary: f64,
    /// See [`benefits_fit`].
    #[serde(serialize_with = "round4")]
    pub benefits: f64,
    /// Weighted mean of the six components with the weights used (see [`Breakdown::weighted_mean`]).
    #[serde(serialize_with = "round4")]
    pub total: f64,
}

fn round4<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((value * 10_000.0).round() / 10_000.0)
}

impl Breakdown {
    /// The components in the order of [`Weights::named`].
    pub fn components(&self) -> [f64; 6] {
        [self.text, self.major, self.education, self.location, self.salary, self.benefits]
    }

    /// Σ wᵢ·cᵢ / Σ wᵢ over the six components. Weights should have passed [`Weights::validate`];
    /// otherwise a negative or non-finite weight counts as 0, and if none is positive every
    /// component counts equally. The result is in 0..=1.
    pub fn weighted_mean(&self, weights: &Weights) -> f64 {
        let w = weights.normalised();
        let c = self.components();
        let sum: f64 = w.iter().zip(c).map(|(w, c)| w * c).sum();
        let total = sum / w.iter().sum::<f64>();
        total.clamp(0.0, 1.0)
    }

    /// The same components with `total` recomputed for other weights.
    pub fn reweighed(mut self, weights: &Weights) -> Self {
        self.total = self.weighted_mean(weights);
        self
    }
}

/// Scores a pair. `text` is the search engine's relevance, normalised to 0..=1 by the caller
/// (clamped here; NaN counts as 0). Does not check eligibility: see [`super::eligibility`].
pub fn score(posting: &Posting, graduate: &Graduate, text: f64, weights: &Weights) -> Breakdown {
    score_fields(&posting.fields, &graduate.fields, text, weights)
}

/// [`score`] on the fields alone.
pub fn score_fields(posting: &PostingFields, graduate: &GraduateFields, text: f64, weights: &Weights) -> Breakdown {
    score_profiles(&PostingProfile::of(posting), &GraduateProfile::of(graduate), text, weights)
}

/// A posting's fields as scoring reads them, with texts normalised once (a round compares
/// each posting with thousands of graduates).
#[derive(Debug, Clone)]
pub struct PostingProfile {
    pub status: PostingStatus,
    majors: Vec<Normalised>,
    pub education_min: Education,
    location: Option<Normalised>,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    benefits: f64,
}

impl PostingProfile {
    pub fn of(f: &PostingFields) -> Self {
        PostingProfile {
            status: f.status,
            majors: f.majors.iter().map(|m| Normalised::new(m)).filter(|m| !m.is_empty()).collect(),
            education_min: f.education_min,
            location: f.location.as_deref().map(Normalised::new).filter(|l| !l.is_empty()),
            salary_min: f.salary_min,
            salary_max: f.salary_max,
            benefits: benefits_fit(&f.benefits),
        }
    }

    /// The stated location, normalised; `None` when blank.
    pub fn location(&self) -> Option<&Normalised> {
        self.location.as_ref()
    }
}

/// A graduate's fields as scoring reads them, with texts normalised once.
#[derive(Debug, Clone)]
pub struct GraduateProfile {
    pub status: GraduateStatus,
    pub consent: bool,
    major: Normalised,
    pub education: Education,
    preferred: Vec<Normalised>,
    expected_salary: Option<i64>,
}

impl GraduateProfile {
    pub fn of(f: &GraduateFields) -> Self {
        GraduateProfile {
            status: f.status,
            consent: f.consent,
            major: Normalised::new(&f.major),
            education: f.education,
            preferred: f.preferred_locations.iter().map(|l| Normalised::new(l)).filter(|l| !l.is_empty()).collect(),
            expected_salary: f.expected_salary,
        }
    }

    /// The major, normalised.
    pub fn major(&self) -> &Normalised {
        &self.major
    }

    /// Preferred locations, normalised, blanks dropped.
    pub fn preferred(&self) -> &[Normalised] {
        &self.preferred
    }
}

/// [`score`] on prepared profiles: the same components, without normalising texts again.
pub fn score_profiles(posting: &PostingProfile, graduate: &GraduateProfile, text: f64, weights: &Weights) -> Breakdown {
    let major = major_fit_of(posting, &graduate.major);
    let location = location_fit_normalised(posting.location.as_ref(), &graduate.preferred);
    score_with_fits(posting, graduate, text, major, location, weights)
}

/// [`score_profiles`] with the major and location fits already known: they compare texts
/// (the costly part) and depend only on the graduate's major and preferred locations, so a
/// round computes them once per distinct major and location, not once per pair.
pub fn score_with_fits(
    posting: &PostingProfile,
    graduate: &GraduateProfile,
    text: f64,
    major: f64,
    location: f64,
    weights: &Weights,
) -> Breakdown {
    let breakdown = Breakdown {
        text: text_fit(text),
        major,
        education: education_fit(posting.education_min, graduate.education),
        location,
        salary: salary_fit(posting.salary_min, posting.salary_max, graduate.expected_salary),
        benefits: posting.benefits,
        total: 0.0,
    };
    breakdown.reweighed(weights)
}

/// The major component of a pair's score for a graduate of `major`, normalised (see [`major_fit`]).
pub fn major_fit_of(posting: &PostingProfile, major: &Normalised) -> f64 {
    major_fit_normalised(&posting.majors, major)
}

/// The location component of a pair's score for a posting at `location` (see [`location_fit`]).
pub fn location_fit_of(location: Option<&Normalised>, graduate: &GraduateProfile) -> f64 {
    location_fit_normalised(location, &graduate.preferred)
}

/// The text relevance clamped to 0..=1; NaN counts as 0.
pub fn text_fit(text: f64) -> f64 {
    if text.is_nan() { 0.0 } else { text.clamp(0.0, 1.0) }
}

/// Trimmed, without inner whitespace, lower-cased (for Latin letters in names like "CNC").
fn normalise(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// A text normalised for comparing (see [`normalise`]), with its length in characters and
/// its sorted character bigrams (a one-character text is its own single unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    text: String,
    chars: usize,
    bigrams: Vec<(char, Option<char>)>,
}

impl Normalised {
    pub fn new(raw: &str) -> Self {
        let text = normalise(raw);
        let chars: Vec<char> = text.chars().collect();
        let mut bigrams: Vec<(char, Option<char>)> = match chars.len() {
            0 => Vec::new(),
            1 => vec![(chars[0], None)],
            _ => chars.windows(2).map(|w| (w[0], Some(w[1]))).collect(),
        };
        bigrams.sort_unstable();
        Normalised { chars: chars.len(), text, bigrams }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Dice coefficient of two normalised texts' bigram multisets.
fn dice(a: &Normalised, b: &Normalised) -> f64 {
    let (a, b) = (&a.bigrams, &b.bigrams);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / (a.len() + b.len()) as f64
}

/// Dice coefficient of the character-bigram multisets: 2·|A∩B| / (|A|+|B|), in 0..=1.
/// Both texts are normalised first (whitespace removed, lower-cased).
pub fn bigram_dice(a: &str, b: &str) -> f64 {
    dice(&Normalised::new(a), &Normalised::new(b))
}

/// Major fit, in 0..=1. Names are compared after removing whitespace and lower-casing;
/// blank entries in the posting's list are ignored.
/// - 0.5 when the posting lists no majors (any major is welcome, but nothing fits specifically);
/// - 1.0 when the graduate's major equals one of the posting's majors;
/// - otherwise the best Dice coefficient of character bigrams between the graduate's major and
///   a listed major (电子信息工程 vs 电子信息工程技术 → 10/12 ≈ 0.83; unrelated majors → 0);
/// - 0 when the graduate's major is blank (and the posting lists majors).
pub fn major_fit(posting_majors: &[String], major: &str) -> f64 {
    let listed: Vec<Normalised> = posting_majors.iter().map(|m| Normalised::new(m)).filter(|m| !m.is_empty()).collect();
    major_fit_normalised(&listed, &Normalised::new(major))
}

/// [`major_fit`] on normalised, non-blank majors.
fn major_fit_normalised(listed: &[Normalised], major: &Normalised) -> f64 {
    if listed.is_empty() {
        return 0.5;
    }
    if major.is_empty() {
        return 0.0;
    }
    if listed.contains(major) {
        return 1.0;
    }
    listed.iter().map(|m| dice(m, major)).fold(0.0, f64::max)
}

/// Education fit, by rank difference d = rank(graduate) − rank(minimum) (see [`Education::rank`]):
/// d < 0 (below the minimum) → 0; d = 0 or 1 → 1.0; d = 2 → 0.9; d ≥ 3 (far overqualified,
/// likely to leave) → 0.8.
pub fn education_fit(minimum: Education, graduate: Education) -> f64 {
    match graduate.rank() - minimum.rank() {
        d if d < 0 => 0.0,
        0 | 1 => 1.0,
        2 => 0.9,
        _ => 0.8,
    }
}

/// Does a posting's location satisfy one preferred location? Both trimmed and lower-cased:
/// equal, or one contains the other and the contained one has at least 2 characters
/// (preferred 苏州 matches 苏州工业园区 and vice versa; a single character like 州 matches only itself).
pub fn location_matches(location: &str, preferred: &str) -> bool {
    location_matches_normalised(&Normalised::new(location), &Normalised::new(preferred))
}

/// [`location_matches`] on normalised texts.
pub fn location_matches_normalised(a: &Normalised, b: &Normalised) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (long, short) = if a.chars >= b.chars { (a, b) } else { (b, a) };
    short.chars >= 2 && long.text.contains(short.text.as_str())
}

/// Location fit:
/// - 1.0 when the graduate has no preferred locations (blank entries ignored);
/// - 1.0 when the posting's location matches one of them (see [`location_matches`]);
/// - 0.5 when the graduate has preferences but the posting gives no location (unknown);
/// - 0 otherwise.
pub fn location_fit(location: Option<&str>, preferred: &[String]) -> f64 {
    let preferred: Vec<Normalised> = preferred.iter().map(|p| Normalised::new(p)).filter(|p| !p.is_empty()).collect();
    let location = location.map(Normalised::new).filter(|l| !l.is_empty());
    location_fit_normalised(location.as_ref(), &preferred)
}

/// [`location_fit`] on a normalised non-blank location and non-blank preferences.
fn location_fit_normalised(location: Option<&Normalised>, preferred: &[Normalised]) -> f64 {
    if preferred.is_empty() {
        return 1.0;
    }
    match location {
        None => 0.5,
        Some(location) if preferred.iter().any(|p| location_matches_normalised(location, p)) => 1.0,
        Some(_) => 0.0,
    }
}

/// Salary fit, in 0..=1. The offer is `salary_max`, or `salary_min` when there is no maximum.
/// - 1.0 when the graduate states no expected salary, or expects 0 (any offer will do);
/// - 0.7 when the graduate expects a salary but the posting states none (unknown: neither
///   rewarded nor ruled out; a posting should not gain by hiding its pay);
/// - 1.0 when the offer is at least the expected salary;
/// - otherwise offer / expected (e.g. 4 500 offered, 6 000 expected → 0.75).
///
/// Negative amounts (not accepted by validation) count as 0.
pub fn salary_fit(salary_min: Option<i64>, salary_max: Option<i64>, expected: Option<i64>) -> f64 {
    let expected = match expected {
        Some(e) if e > 0 => e,
        _ => return 1.0,
    };
    let Some(offer) = salary_max.or(salary_min) else {
        return 0.7;
    };
    let offer = offer.max(0);
    if offer >= expected { 1.0 } else { offer as f64 / expected as f64 }
}

/// How much a benefit counts: 2 for dormitory, meals, shuttle bus and social insurance (what
/// matters most to a graduate moving to an industrial park), 1 for the others.
pub fn benefit_weight(benefit: Benefit) -> f64 {
    match benefit {
        Benefit::Dormitory | Benefit::Meals | Benefit::Shuttle | Benefit::SocialInsurance => 2.0,
        Benefit::OvertimePay | Benefit::NightAllowance | Benefit::Training => 1.0,
    }
}

/// Benefits fit: the weights (see [`benefit_weight`]) of the distinct benefits offered, divided by
/// the weights of all benefits (currently 4·2 + 3·1 = 11). No benefits → 0; all → 1.0;
/// dormitory + meals → 4/11 ≈ 0.36.
pub fn benefits_fit(benefits: &[Benefit]) -> f64 {
    let all: f64 = Benefit::ALL.iter().map(|b| benefit_weight(*b)).sum();
    let offered: f64 = Benefit::ALL.iter().filter(|b| benefits.contains(b)).map(|b| benefit_weight(*b)).sum();
    offered / all
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{Category, GraduateStatus, PostingStatus};
    use chrono::Utc;
    use proptest::prelude::*;
    use sqlx::types::Json;

    pub(crate) fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    pub(crate) fn posting(majors: &[&str], education_min: Education) -> Posting {
        Posting {
            id: 1,
            organization_id: 10,
            fields: PostingFields {
                description: Some("负责产线设备的日常维护".into()),
                majors: Json(strings(majors)),
                salary_min: Some(5000),
                salary_max: Some(7000),
                location: Some("苏州工业园区".into()),
                benefits: Json(vec![Benefit::Dormitory, Benefit::Meals]),
                ..PostingFields::new("设备维护技术员".into(), Category::Maintenance, education_min, 5)
            },
            filled: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    pub(crate) fn graduate(major: &str, education: Education) -> Graduate {
        Graduate {
            id: 2,
            organization_id: 20,
            fields: GraduateFields {
                skills: Json(strings(&["PLC编程"])),
                certificates: Json(strings(&["电工证"])),
                preferred_locations: Json(strings(&["苏州"])),
                expected_salary: Some(6000),
                consent: true,
                ..GraduateFields::new("张伟".into(), major.into(), education, 2025)
            },
            destination: None,
            destination_date: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    const EPS: f64 = 1e-12;

    #[test]
    fn major_exact_match_is_one() {
        let majors = strings(&["机电一体化技术", "电气自动化技术"]);
        assert_eq!(major_fit(&majors, "机电一体化技术"), 1.0);
        assert_eq!(major_fit(&majors, "  电气自动化技术 "), 1.0);
    }

    #[test]
    fn major_partial_credit_by_bigram_dice() {
        let majors = strings(&["电子信息工程技术"]);
        let fit = major_fit(&majors, "电子信息工程");
        assert!((fit - 10.0 / 12.0).abs() < EPS, "{fit}");
        // Closest listed major counts.
        let majors = strings(&["会计", "电子信息工程技术"]);
        assert!((major_fit(&majors, "电子信息工程") - 10.0 / 12.0).abs() < EPS);
        // Related but different: 机电一体化技术 vs 电气自动化技术 share 化技 and 技术 of 6 + 6 bigrams.
        let fit = major_fit(&strings(&["电气自动化技术"]), "机电一体化技术");
        assert!((fit - 4.0 / 12.0).abs() < EPS, "{fit}");
        // Unrelated.
        assert_eq!(major_fit(&strings(&["市场营销"]), "数控技术"), 0.0);
        // Latin letters compare case-insensitively.
        assert_eq!(major_fit(&strings(&["CNC 加工"]), "cnc加工"), 1.0);
    }

    #[test]
    fn major_without_listed_majors_is_half() {
        assert_eq!(major_fit(&[], "数控技术"), 0.5);
        assert_eq!(major_fit(&strings(&["  ", ""]), "数控技术"), 0.5);
        assert_eq!(major_fit(&strings(&["数控技术"]), "  "), 0.0);
    }

    #[test]
    fn education_fit_by_rank_difference() {
        use Education::*;
        assert_eq!(education_fit(Associate, Associate), 1.0);
        assert_eq!(education_fit(Associate, Bachelor), 1.0);
        assert_eq!(education_fit(TechnicalSchool, SecondaryVocational), 1.0, "same rank");
        assert_eq!(education_fit(HighSchool, Bachelor), 0.9);
        assert_eq!(education_fit(TechnicalSchool, Master), 0.8);
        assert_eq!(education_fit(JuniorHigh, Doctorate), 0.8);
        assert_eq!(education_fit(Associate, TechnicalSchool), 0.0);
        assert_eq!(education_fit(Bachelor, Associate), 0.0);
    }

    #[test]
    fn location_fit_cases() {
        assert_eq!(location_fit(Some("苏州工业园区"), &[]), 1.0);
        assert_eq!(location_fit(Some("苏州工业园区"), &strings(&[" "])), 1.0);
        assert_eq!(location_fit(Some("苏州工业园区"), &strings(&["无锡", "苏州工业园区"])), 1.0);
        assert_eq!(location_fit(Some("苏州工业园区"), &strings(&["苏州"])), 1.0);
        assert_eq!(location_fit(Some("苏州"), &strings(&["苏州工业园区"])), 1.0);
        assert_eq!(location_fit(Some("常州武进"), &strings(&["苏州"])), 0.0);
        assert_eq!(location_fit(Some("苏州"), &strings(&["州"])), 0.0, "one character matches only itself");
        assert_eq!(location_fit(None, &strings(&["苏州"])), 0.5);
        assert_eq!(location_fit(Some("  "), &strings(&["苏州"])), 0.5);
        assert_eq!(location_fit(None, &[]), 1.0);
    }

    #[test]
    fn salary_fit_cases() {
        assert_eq!(salary_fit(Some(5000), Some(7000), Some(6000)), 1.0, "max covers expectation");
        assert_eq!(salary_fit(Some(6000), None, Some(6000)), 1.0, "min used without max");
        assert_eq!(salary_fit(Some(3000), Some(4500), Some(6000)), 0.75);
        assert_eq!(salary_fit(Some(4500), None, Some(6000)), 0.75);
        assert_eq!(salary_fit(None, None, Some(6000)), 0.7, "posting states no salary");
        assert_eq!(salary_fit(None, None, None), 1.0);
        assert_eq!(salary_fit(Some(3000), Some(4000), None), 1.0, "graduate states no expectation");
        assert_eq!(salary_fit(Some(3000), Some(4000), Some(0)), 1.0);
        assert_eq!(salary_fit(Some(0), Some(0), Some(6000)), 0.0);
    }

    #[test]
    fn benefits_fit_weighs_core_benefits_double() {
        assert_eq!(benefits_fit(&[]), 0.0);
        assert_eq!(benefits_fit(Benefit::ALL), 1.0);
        assert!((benefits_fit(&[Benefit::Dormitory, Benefit::Meals]) - 4.0 / 11.0).abs() < EPS);
        assert!((benefits_fit(&[Benefit::Training]) - 1.0 / 11.0).abs() < EPS);
        assert!(benefits_fit(&[Benefit::Shuttle]) > benefits_fit(&[Benefit::NightAllowance]));
        assert_eq!(benefits_fit(&[Benefit::Meals, Benefit::Meals]), benefits_fit(&[Benefit::Meals]), "duplicates once");
    }

    #[test]
    fn text_fit_clamps() {
        assert_eq!(text_fit(0.42), 0.42);
        assert_eq!(text_fit(-1.0), 0.0);
        assert_eq!(text_fit(3.0), 1.0);
        assert_eq!(text_fit(f64::NAN), 0.0);
    }

    #[test]
    fn whole_score_example() {
        let p = posting(&["机电一体化技术", "电气自动化技术"], Education::TechnicalSchool);
        let g = graduate("机电一体化技术", Education::Associate);
        let b = score(&p, &g, 0.6, &Weights::default());
        assert_eq!(b.text, 0.6);
        assert_eq!(b.major, 1.0);
        assert_eq!(b.education, 1.0);
        assert_eq!(b.location, 1.0);
        assert_eq!(b.salary, 1.0);
        assert!((b.benefits - 4.0 / 11.0).abs() < EPS);
        let expected = 0.30 * 0.6 + 0.25 + 0.15 + 0.10 + 0.10 + 0.10 * 4.0 / 11.0;
        assert!((b.total - expected).abs() < EPS, "{} vs {expected}", b.total);
        let json = serde_json::to_value(b).unwrap();
        assert_eq!(json["benefits"], serde_json::json!(0.3636));
        assert_eq!(json["major"], serde_json::json!(1.0));
    }

    #[test]
    fn only_ratios_of_weights_matter() {
        let p = posting(&["数控技术"], Education::Associate);
        let g = graduate("数控技术应用", Education::TechnicalSchool);
        let w = Weights::default();
        let scaled = Weights {
            text: w.text * 1e300,
            major: w.major * 1e300,
            education: w.education * 1e300,
            location: w.location * 1e300,
            salary: w.salary * 1e300,
            benefits: w.benefits * 1e300,
        };
        let (a, b) = (score(&p, &g, 0.3, &w), score(&p, &g, 0.3, &scaled));
        assert!((a.total - b.total).abs() < EPS);
        assert!(b.total.is_finite());
    }

    fn education() -> impl Strategy<Value = Education> {
        proptest::sample::select(Education::ALL)
    }

    fn benefits() -> impl Strategy<Value = Vec<Benefit>> {
        proptest::collection::vec(proptest::sample::select(Benefit::ALL), 0..10)
    }

    fn text_value() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec![
                "机电一体化技术",
                "电气自动化技术",
                "电子信息工程",
                "电子信息工程技术",
                "数控技术",
                "苏州",
                "苏州工业园区",
                "无锡",
                "",
                " ",
            ])
            .prop_map(String::from),
            "\\PC{0,12}",
        ]
    }

    fn salary() -> impl Strategy<Value = Option<i64>> {
        proptest::option::of(0..=crate::domain::MAX_SALARY)
    }

    fn weights() -> impl Strategy<Value = Weights> {
        proptest::array::uniform6(prop_oneof![Just(0.0), 0.0..10.0f64])
            .prop_filter("not all zero", |w| w.iter().any(|w| *w > 0.0))
            .prop_map(|[text, major, education, location, salary, benefits]| Weights {
                text,
                major,
                education,
                location,
                salary,
                benefits,
            })
    }

    prop_compose! {
        pub(crate) fn any_posting()(
            majors in proptest::collection::vec(text_value(), 0..4),
            education_min in education(),
            salary_min in salary(),
            salary_max in salary(),
            location in proptest::option::of(text_value()),
            benefits in benefits(),
            status in proptest::sample::select(PostingStatus::ALL),
        ) -> Posting {
            let mut p = posting(&[], education_min);
            p.fields.majors = Json(majors);
            p.fields.salary_min = salary_min;
            p.fields.salary_max = salary_max;
            p.fields.location = location;
            p.fields.benefits = Json(benefits);
            p.fields.status = status;
            p
        }
    }

    prop_compose! {
        pub(crate) fn any_graduate()(
            major in text_value(),
            education in education(),
            preferred in proptest::collection::vec(text_value(), 0..4),
            expected in salary(),
            consent in any::<bool>(),
            status in proptest::sample::select(GraduateStatus::ALL),
        ) -> Graduate {
            let mut g = graduate(&major, education);
            g.fields.preferred_locations = Json(preferred);
            g.fields.expected_salary = expected;
            g.fields.consent = consent;
            g.fields.status = status;
            g
        }
    }

    fn in_unit(x: f64) -> bool {
        (0.0..=1.0).contains(&x)
    }

    proptest! {
        #[test]
        fn every_component_and_total_in_unit_interval(
            p in any_posting(), g in any_graduate(), text in proptest::num::f64::ANY, w in weights(),
        ) {
            let b = score(&p, &g, text, &w);
            for c in b.components() {
                prop_assert!(in_unit(c), "{b:?}");
            }
            prop_assert!(in_unit(b.total), "{b:?}");
        }

        #[test]
        fn total_is_the_weighted_mean(p in any_posting(), g in any_graduate(), text in 0.0..=1.0f64, w in weights()) {
            let b = score(&p, &g, text, &w);
            let ws = w.named().map(|(_, w)| w);
            let expected = ws.iter().zip(b.components()).map(|(w, c)| w * c).sum::<f64>() / ws.iter().sum::<f64>();
            prop_assert!((b.total - expected).abs() < 1e-9, "{} vs {expected}", b.total);
        }

        #[test]
        fn raising_the_salary_never_lowers_the_salary_component(
            min in salary(), max in salary(), expected in salary(), raise in 0..=100_000i64,
        ) {
            let before = salary_fit(min, max, expected);
            let after = salary_fit(min.map(|s| s + raise), max.map(|s| s + raise), expected);
            prop_assert!(after >= before, "{before} -> {after}");
            // Raising only the maximum, or only the minimum, does not lower it either.
            prop_assert!(salary_fit(min, max.map(|s| s + raise), expected) >= before);
            prop_assert!(salary_fit(min.map(|s| s + raise), max, expected) >= before);
        }

        #[test]
        fn adding_a_benefit_never_lowers_the_benefits_component(
            bs in benefits(), extra in proptest::sample::select(Benefit::ALL),
        ) {
            let mut more = bs.clone();
            more.push(extra);
            prop_assert!(benefits_fit(&more) >= benefits_fit(&bs));
        }

        #[test]
        fn listed_major_always_fits_fully(majors in proptest::collection::vec(text_value(), 1..4), pick in 0usize..4) {
            let major = majors[pick % majors.len()].clone();
            prop_assume!(!major.trim().is_empty());
            prop_assert_eq!(major_fit(&majors, &major), 1.0);
        }

        #[test]
        fn dice_is_symmetric_and_bounded(a in text_value(), b in text_value()) {
            let (ab, ba) = (bigram_dice(&a, &b), bigram_dice(&b, &a));
            prop_assert_eq!(ab, ba);
            prop_assert!(in_unit(ab));
        }
    }
}
