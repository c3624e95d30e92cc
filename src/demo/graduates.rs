//! Generated graduates: an endless, seeded stream for the schools of a [`Spec`], each
//! with a name, a major the school teaches at their level, skills, wishes and a summary,
//! and the roster's own fields: gender (from the given name drawn), class (班级, cohorts of
//! up to 45 per major, year and school) and student number (学号: year of entry, school,
//! a serial unique within the school).

use super::data::{self, COMPANIES};
use super::text::{fill, pick, pick_copy, pick_some};
use super::world::{Spec, anchor_date};
use crate::domain::graduate::GraduateFields;
use crate::domain::{Education, Email, Gender, GraduateStatus, Phone};
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::types::Json;
use std::collections::HashMap;
use std::sync::Arc;

/// Mixed into the seed for the graduates' random stream.
const GRADUATE_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;
/// Graduates per class (班级) before the next class of the same major and year starts.
const CLASS_SIZE: u32 = 45;

/// A generated graduate; `school` is a position in the [`Spec`].
#[derive(Debug, Clone)]
pub struct GeneratedGraduate {
    pub school: usize,
    pub fields: GraduateFields,
}

/// An endless, seeded stream of graduates for the schools of a spec (none if it has no
/// schools).
pub struct GraduateGenerator {
    rng: StdRng,
    spec: Arc<Spec>,
    anchor: NaiveDate,
    /// Per school (by position), the last serial of a student number given out.
    serials: Vec<u32>,
    /// Graduates given out per (school, major, graduation year): who goes to which class.
    cohorts: HashMap<(usize, &'static str, i64), u32>,
}

impl GraduateGenerator {
    pub fn new(spec: Arc<Spec>, seed: u64) -> Self {
        let serials = vec![0; spec.schools.len()];
        GraduateGenerator {
            rng: StdRng::seed_from_u64(seed ^ GRADUATE_STREAM),
            spec,
            anchor: anchor_date(),
            serials,
            cohorts: HashMap::new(),
        }
    }

    /// Student numbers continue after `last` (per school, by position): the serials a
    /// school's roster already holds, so another batch for it takes none of them again.
    pub fn numbered_after(mut self, last: &[u32]) -> Self {
        for (serial, last) in self.serials.iter_mut().zip(last) {
            *serial = (*serial).max(*last);
        }
        self
    }

    /// The school's code in its student numbers (its position, from 01).
    pub fn school_code(school: usize) -> String {
        format!("{:02}", school + 1)
    }

    /// The serial a student number of school `school` carries, if it is one this generator
    /// writes: the year of entry, the school's code, then the serial.
    pub fn serial_of(school: usize, student_no: &str) -> Option<u32> {
        let code = Self::school_code(school);
        let rest = student_no.get(4..)?.strip_prefix(code.as_str())?;
        let all_digits = student_no.bytes().all(|b| b.is_ascii_digit());
        if !all_digits || student_no.len() < 4 + code.len() + 5 {
            return None;
        }
        rest.parse().ok()
    }

    /// 学号 and 班级 for the next graduate of a school, major and year.
    fn enrol(
        &mut self,
        school: usize,
        major: &'static str,
        education: Education,
        graduation_year: i64,
    ) -> (String, String) {
        let years = if education == Education::Bachelor { 4 } else { 3 };
        let entry = graduation_year - years;
        self.serials[school] += 1;
        let student_no = format!("{entry}{}{:05}", Self::school_code(school), self.serials[school]);
        let cohort = self.cohorts.entry((school, major, graduation_year)).or_insert(0);
        let class = *cohort / CLASS_SIZE + 1;
        *cohort += 1;
        (student_no, format!("{major}{:02}{class:02}班", entry % 100))
    }

    fn graduate(&mut self) -> GeneratedGraduate {
        let rng = &mut self.rng;
        let anchor = self.anchor;
        let school = rng.random_range(0..self.spec.schools.len());
        let s = &self.spec.schools[school];
        let (education, majors) =
            if s.programs.len() > 1 && rng.random_bool(0.3) { pick(rng, &s.programs[1..]) } else { &s.programs[0] };
        let education = *education;
        let major = *pick(rng, majors);
        let field = data::field_of(major);

        // Frequent surnames first: squaring a uniform number favours the start of the list.
        let u: f64 = rng.random();
        let (surname, surname_py) = data::SURNAMES[((u * u) * data::SURNAMES.len() as f64) as usize];
        let female = rng.random_bool(0.5);
        let given_pool = if female { data::GIVEN_FEMALE } else { data::GIVEN_MALE };
        let mut name = surname.to_string();
        let mut pinyin = surname_py.to_string();
        for _ in 0..if rng.random_bool(0.15) { 1 } else { 2 } {
            let (c, py) = pick(rng, given_pool);
            name.push_str(c);
            pinyin.push_str(py);
        }

        let graduation_year = i64::from(anchor.year())
            + match rng.random_range(0..100) {
                0..65 => 1,
                65..95 => 0,
                _ => -1,
            };
        let available_from = if graduation_year > i64::from(anchor.year()) {
            NaiveDate::from_ymd_opt(graduation_year as i32, 6, 20).expect("valid date")
                + Duration::days(rng.random_range(0..=25))
        } else {
            anchor + Duration::days(rng.random_range(0..=45))
        };
        let status = match rng.random_range(0..100) {
            0..88 => GraduateStatus::Seeking,
            88..92 => GraduateStatus::Matched,
            92..97 => GraduateStatus::Placed,
            _ => GraduateStatus::Withdrawn,
        };
        let mut skills: Vec<String> = pick_some(rng, field.skills, 1, 4).into_iter().map(|s| s.to_string()).collect();
        if rng.random_bool(0.25) {
            let extra = pick(rng, data::COMMON_SKILLS).to_string();
            if !skills.contains(&extra) {
                skills.push(extra);
            }
        }
        let certificates: Vec<String> = if rng.random_bool(0.3) {
            Vec::new()
        } else {
            pick_some(rng, field.certificates, 1, 2).into_iter().map(|c| c.to_string()).collect()
        };
        let mut preferred_locations: Vec<String> = Vec::new();
        if rng.random_bool(0.7) {
            let first = if rng.random_bool(0.7) { data::LOCATIONS[0] } else { *pick(rng, data::LOCATIONS) };
            preferred_locations.push(first.into());
            let second = *pick(rng, data::LOCATIONS);
            if rng.random_bool(0.4) && second != first {
                preferred_locations.push(second.into());
            }
        }
        let base_salary = match education.rank() {
            0..=2 => 4500,
            3 => 5200,
            4 => 6500,
            _ => 8500,
        };
        let expected_salary =
            (!rng.random_bool(0.05)).then(|| base_salary + field.premium + rng.random_range(0..=15) * 100);
        let email = rng.random_bool(0.85).then(|| {
            let number = rng.random_range(1..1000);
            Email::parse(&format!("{pinyin}{number}@{}", s.domain)).expect("generated e-mail is valid")
        });
        let phone = rng.random_bool(0.9).then(|| {
            let prefix = pick(rng, data::MOBILE_PREFIXES);
            let rest = rng.random_range(0..100_000_000u32);
            Phone::parse(&format!("{prefix}{rest:08}")).expect("generated phone is valid")
        });
        let consent = rng.random_bool(0.8);
        let summary = rng.random_bool(0.9).then(|| {
            let company = pick(rng, COMPANIES).short;
            let achievement = fill(pick_copy(rng, data::ACHIEVEMENTS), &[("company", company)]);
            let character = *pick(rng, data::TRAITS);
            let wish = *pick(rng, field.wishes);
            let year = graduation_year.to_string();
            let level = education.label_zh();
            match rng.random_range(0..4) {
                0 => format!(
                    "{name}，{}{major}专业{level}，{year}届毕业生。{achievement}。{character}，希望从事{wish}相关工作。",
                    s.name
                ),
                1 => format!("{year}届{level}毕业生，主修{major}，熟悉{}。{achievement}，{character}。", skills.join("、")),
                2 => format!("意向岗位：{wish}。{character}；{achievement}。愿意到肇庆新区发展。"),
                _ => {
                    let certificate = certificates.first().map(|c| format!("，持有{c}")).unwrap_or_default();
                    let place = preferred_locations.first().map(String::as_str).unwrap_or("肇庆市内均可");
                    format!("本人{character}，{major}专业，掌握{}{certificate}。期望工作地点：{place}。", skills.join("、"))
                }
            }
        });
        let (student_no, class_name) = self.enrol(school, major, education, graduation_year);
        GeneratedGraduate {
            school,
            fields: GraduateFields {
                student_no: Some(student_no),
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                class_name: Some(class_name),
                skills: Json(skills),
                certificates: Json(certificates),
                preferred_locations: Json(preferred_locations),
                expected_salary,
                available_from: Some(available_from),
                email,
                phone,
                consent,
                summary,
                status,
                ..GraduateFields::new(name, major.to_string(), education, graduation_year)
            },
        }
    }
}

impl Iterator for GraduateGenerator {
    type Item = GeneratedGraduate;
    fn next(&mut self) -> Option<GeneratedGraduate> {
        (!self.spec.schools.is_empty()).then(|| self.graduate())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Parse;
    use std::collections::HashSet;

    fn graduates(seed: u64, n: usize) -> Vec<GeneratedGraduate> {
        GraduateGenerator::new(Arc::new(Spec::demo()), seed).take(n).collect()
    }

    fn graduate_json(g: &GeneratedGraduate) -> serde_json::Value {
        serde_json::json!({"school": g.school, "fields": g.fields})
    }

    /// What a seed gives is pinned (see the postings' twin of this test). Adding 学号, 班级
    /// and 性别 changed it; every other field stayed as it was (checked when they came).
    #[test]
    fn the_graduates_of_a_seed_are_pinned() {
        let rows = graduates(2026, 3000);
        assert_eq!(
            crate::demo::digest(rows.iter().map(graduate_json)),
            "f4a55fba1855836b69ada2cfd5f6a24406380f4571a3e4ecfbdbd5eaad0425cc"
        );
    }

    #[test]
    fn same_seed_gives_the_same_graduates() {
        let a: Vec<_> = graduates(7, 500).iter().map(graduate_json).collect();
        let b: Vec<_> = graduates(7, 500).iter().map(graduate_json).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn different_seeds_give_different_graduates() {
        let a: Vec<_> = graduates(1, 200).iter().map(graduate_json).collect();
        let b: Vec<_> = graduates(2, 200).iter().map(graduate_json).collect();
        assert!(a.iter().zip(&b).filter(|(x, y)| x != y).count() > 190);
    }

    #[test]
    fn generated_graduates_pass_validation() {
        let spec = Spec::demo();
        for (i, g) in graduates(11, 3000).iter().enumerate() {
            let json = serde_json::to_value(&g.fields).unwrap();
            let parsed = GraduateFields::from_json(json.clone())
                .unwrap_or_else(|e| panic!("graduate {i} invalid: {e:?}\n{json:#}"));
            assert_eq!(serde_json::to_value(&parsed).unwrap(), json, "graduate {i}");
            // The school teaches the major at the graduate's level.
            let school = &spec.schools[g.school];
            assert!(
                school
                    .programs
                    .iter()
                    .any(|(level, majors)| *level == g.fields.education && majors.contains(&g.fields.major.as_str())),
                "graduate {i}: {} {:?} not taught at {}",
                g.fields.major,
                g.fields.education,
                school.name
            );
        }
    }

    #[test]
    fn student_numbers_are_unique_per_school_and_classes_hold_a_cohort() {
        let people = graduates(5, 3000);
        let mut numbers = HashSet::new();
        let mut classes: std::collections::HashMap<(usize, &str), usize> = std::collections::HashMap::new();
        for g in &people {
            let number = g.fields.student_no.as_deref().expect("every demo graduate has a 学号");
            assert!(numbers.insert((g.school, number)), "{number} twice at school {}", g.school);
            assert!(GraduateGenerator::serial_of(g.school, number).is_some(), "{number} is read back");
            let class = g.fields.class_name.as_deref().expect("a class");
            assert!(class.starts_with(&g.fields.major) && class.ends_with('班'), "{class}");
            *classes.entry((g.school, class)).or_default() += 1;
            assert!(g.fields.gender.is_some());
        }
        assert!(classes.values().all(|n| *n <= CLASS_SIZE as usize));
        let genders: HashSet<_> = people.iter().map(|g| g.fields.gender).collect();
        assert_eq!(genders.len(), 2, "both genders");

        // Another batch numbered after the first takes none of its numbers.
        let spec = Arc::new(Spec::demo());
        let mut last = vec![0u32; spec.schools.len()];
        for g in &people {
            let serial = GraduateGenerator::serial_of(g.school, g.fields.student_no.as_deref().unwrap()).unwrap();
            last[g.school] = last[g.school].max(serial);
        }
        for g in GraduateGenerator::new(spec, 5).numbered_after(&last).take(500) {
            assert!(!numbers.contains(&(g.school, g.fields.student_no.as_deref().unwrap())));
        }
    }

    #[test]
    fn graduate_text_is_varied() {
        let people = graduates(3, 2000);
        let names: HashSet<_> = people.iter().map(|g| g.fields.name.as_str()).collect();
        assert!(names.len() > 1000, "{} distinct names", names.len());
        let summaries: HashSet<_> = people.iter().map(|g| g.fields.summary.as_deref()).collect();
        assert!(summaries.len() > 1500, "{} distinct summaries", summaries.len());
    }
}
