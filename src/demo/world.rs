//! The demo world as generation sees it: the companies with their projects and parks and
//! the schools with their programmes, in a fixed order. Generated rows refer to an
//! organisation by its position here, never by database id, so a seed gives the same rows
//! whatever ids the database hands out.

use super::data::{self, COMPANIES, Industry, SCHOOLS};
use crate::domain::credit_code::check_character;
use crate::domain::{Benefit, CreditCode, Education};
use chrono::NaiveDate;

/// The day generated dates are counted from (never today: the same seed must give the
/// same data whenever it runs).
pub fn anchor_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid date")
}

/// The credit code of a demo company: registered in Zhaoqing (441200) by the market
/// regulator (9) as an enterprise (1), with its check character computed.
pub fn demo_credit_code(org_code: &str) -> CreditCode {
    let body = format!("91441200{org_code}");
    let check = check_character(&body).expect("demo organisation codes use the credit-code alphabet");
    CreditCode::parse(&format!("{body}{check}")).expect("demo credit code is valid")
}

/// A company as the generator sees it.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    pub name: String,
    pub short: String,
    pub district: String,
    pub(super) industries: &'static [Industry],
    pub(super) products: &'static [&'static str],
    pub(super) benefits: &'static [Benefit],
    pub projects: Vec<ProjectSpec>,
}

#[derive(Debug, Clone)]
pub struct ProjectSpec {
    pub name: String,
    pub park: Option<String>,
}

/// A school as the generator sees it.
#[derive(Debug, Clone)]
pub struct SchoolSpec {
    pub name: String,
    /// E-mail domain of its students.
    pub domain: String,
    /// Levels taught, each with its majors.
    pub programs: Vec<(Education, Vec<&'static str>)>,
}

/// The organisations generated rows are spread over, in a fixed order.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub companies: Vec<CompanySpec>,
    pub schools: Vec<SchoolSpec>,
}

impl CompanySpec {
    pub(super) fn of_demo(c: &data::DemoCompany) -> Self {
        CompanySpec {
            name: c.name.into(),
            short: c.short.into(),
            district: c.district.into(),
            industries: c.industries,
            products: c.products,
            benefits: c.benefits,
            projects: c
                .projects
                .iter()
                .map(|p| ProjectSpec { name: p.name.into(), park: Some(p.park.into()) })
                .collect(),
        }
    }
}

impl SchoolSpec {
    pub(super) fn of_demo(s: &data::DemoSchool) -> Self {
        SchoolSpec {
            name: s.name.into(),
            domain: format!("{}.demo", s.slug),
            programs: s.programs.iter().map(|p| (p.level, p.majors.to_vec())).collect(),
        }
    }
}

impl Spec {
    /// The demo organisations, as `serve --demo` creates them.
    pub fn demo() -> Self {
        Spec {
            companies: COMPANIES.iter().map(CompanySpec::of_demo).collect(),
            schools: SCHOOLS.iter().map(SchoolSpec::of_demo).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_credit_codes_are_valid_and_distinct() {
        let codes: HashSet<_> = COMPANIES.iter().map(|c| demo_credit_code(c.org_code)).collect();
        assert_eq!(codes.len(), COMPANIES.len());
    }
}
