//! Demo data drawn from the Zhaoqing New District story (shared/context): the projects
//! short of workers, their parks, the city's schools, and synthetic but realistic
//! postings and graduates.

mod data;

use crate::domain::credit_code::check_character;
use crate::domain::graduate::GraduateFields;
use crate::domain::organization::OrganizationFields;
use crate::domain::posting::PostingFields;
use crate::domain::project::ProjectFields;
use crate::domain::user::Password;
use crate::domain::{CreditCode, Education, Email, OrgKind, PostingStatus, Role};
use crate::services::auth::Passwords;
use crate::store::changes::{Entity, Operation};
use crate::store::{Db, PageRequest, Tx, changes, graduates, organizations, postings, projects, settings, users};
use chrono::{Datelike, Duration, Utc};
use data::{COMPANIES, SCHOOLS};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sqlx::types::Json;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "xiaoqi-demo-2026";
pub const DEMO_COORDINATOR: &str = "coordinator@xiaoqi.demo";
const LOADED_KEY: &str = "demo_loaded";

/// The credit code of a demo company: registered in Zhaoqing (441200) by the market
/// regulator (9) as an enterprise (1), with its check character computed.
pub fn demo_credit_code(org_code: &str) -> CreditCode {
    let body = format!("91441200{org_code}");
    let check = check_character(&body).expect("demo organisation codes use the credit-code alphabet");
    CreditCode::parse(&format!("{body}{check}")).expect("demo credit code is valid")
}

/// Organisations and projects that postings and graduates are generated for.
struct World {
    /// (company id, its project ids)
    companies: Vec<(i64, Vec<i64>)>,
    /// (school id, education levels, majors)
    schools: Vec<(i64, Vec<Education>, Vec<String>)>,
}

/// Load the demo data set unless it was loaded before. Returns whether it loaded now.
pub async fn load_once(db: &Db) -> anyhow::Result<bool> {
    if settings::get(&mut db.read().await?, LOADED_KEY).await?.is_some() {
        return Ok(false);
    }
    let coordinator_org = crate::services::organizations::service_centre(db).await?;
    let hash = Passwords::default().hash(&Password::parse(DEMO_PASSWORD).expect("demo password is valid")).await?;
    let mut tx = db.begin().await?;
    let world = create_world(&mut tx, &hash, coordinator_org).await?;
    generate(&mut tx, &world, 240, 300, 2026).await?;
    settings::set(&mut tx, LOADED_KEY, &Utc::now().to_rfc3339()).await?;
    tx.commit().await?;
    Ok(true)
}

/// Add `postings` and `graduates` more, spread over the organisations on record (the
/// demo organisations are created first if there are none).
pub async fn add_synthetic(db: &Db, postings: usize, graduates: usize, seed: u64) -> anyhow::Result<(usize, usize)> {
    let mut world = existing_world(db).await?;
    if world.companies.is_empty() || world.schools.is_empty() {
        load_once(db).await?;
        world = existing_world(db).await?;
    }
    let mut tx = db.begin().await?;
    let added = generate(&mut tx, &world, postings, graduates, seed).await?;
    tx.commit().await?;
    Ok(added)
}

pub fn print_logins() {
    println!("Log in with password `{DEMO_PASSWORD}` as:");
    println!("  协调员 coordinator  {DEMO_COORDINATOR}");
    for c in COMPANIES.iter().take(3) {
        println!("  企业 company        hr@{}.demo   ({})", c.slug, c.name);
    }
    for s in SCHOOLS.iter().take(3) {
        println!("  学校 school         jiuye@{}.demo   ({})", s.slug, s.name);
    }
    println!("  (every demo company and school has such an account)");
}

fn email(text: &str) -> Email {
    Email::parse(text).expect("demo e-mail is valid")
}

async fn create_world(tx: &mut Tx, hash: &str, coordinator_org: i64) -> anyhow::Result<World> {
    if users::credentials(tx, &email(DEMO_COORDINATOR)).await?.is_none() {
        users::insert(tx, &email(DEMO_COORDINATOR), hash, Role::Coordinator, coordinator_org).await?;
    }
    let mut world = World { companies: Vec::new(), schools: Vec::new() };
    for c in COMPANIES {
        let org = organizations::insert(
            tx,
            &OrganizationFields {
                kind: OrgKind::Company,
                name: c.name.into(),
                credit_code: Some(demo_credit_code(c.org_code)),
                contact_name: Some("人力资源部".into()),
                contact_email: Some(email(&format!("hr@{}.demo", c.slug))),
                contact_phone: Some(crate::domain::Phone::parse("0758-2712345").expect("valid")),
                district: Some(c.district.into()),
                address: Some(format!("肇庆新区{}", c.projects[0].park)),
            },
        )
        .await?;
        users::insert(tx, &email(&format!("hr@{}.demo", c.slug)), hash, Role::Company, org.id).await?;
        let mut project_ids = Vec::new();
        for p in c.projects {
            let fields = ProjectFields {
                name: p.name.into(),
                park: Some(p.park.into()),
                stage: p.stage,
                key_project: p.key_project,
                shortage: p.shortage,
            };
            project_ids.push(projects::insert(tx, org.id, &fields).await?.id);
        }
        world.companies.push((org.id, project_ids));
    }
    for s in SCHOOLS {
        let org = organizations::insert(
            tx,
            &OrganizationFields {
                kind: OrgKind::School,
                name: s.name.into(),
                credit_code: None,
                contact_name: Some("招生就业办".into()),
                contact_email: Some(email(&format!("jiuye@{}.demo", s.slug))),
                contact_phone: None,
                district: Some(s.district.into()),
                address: None,
            },
        )
        .await?;
        users::insert(tx, &email(&format!("jiuye@{}.demo", s.slug)), hash, Role::School, org.id).await?;
        world.schools.push((org.id, s.levels.to_vec(), s.majors.iter().map(|m| m.to_string()).collect()));
    }
    Ok(world)
}

async fn existing_world(db: &Db) -> anyhow::Result<World> {
    let mut conn = db.read().await?;
    let all = PageRequest { page: 1, per_page: 10_000 };
    let mut world = World { companies: Vec::new(), schools: Vec::new() };
    let filter = organizations::Filter { kind: Some(OrgKind::Company), only_id: None };
    for org in organizations::list(&mut conn, &filter, all).await?.0 {
        let (list, _) = projects::list(&mut conn, Some(org.id), None, all).await?;
        world.companies.push((org.id, list.into_iter().map(|p| p.id).collect()));
    }
    let filter = organizations::Filter { kind: Some(OrgKind::School), only_id: None };
    for org in organizations::list(&mut conn, &filter, all).await?.0 {
        let known = SCHOOLS.iter().find(|s| s.name == org.fields.name);
        let levels = known.map(|s| s.levels.to_vec()).unwrap_or_else(|| vec![Education::Associate]);
        let majors = match known {
            Some(s) => s.majors.iter().map(|m| m.to_string()).collect(),
            None => SCHOOLS.iter().flat_map(|s| s.majors.iter().map(|m| m.to_string())).collect(),
        };
        world.schools.push((org.id, levels, majors));
    }
    Ok(world)
}

fn pick_some<T: Clone>(rng: &mut StdRng, from: &[T], max: usize) -> Vec<T> {
    let n = rng.random_range(0..=max.min(from.len()));
    let mut all = from.to_vec();
    all.shuffle(rng);
    all.truncate(n);
    all
}

async fn generate(
    tx: &mut Tx,
    world: &World,
    n_postings: usize,
    n_graduates: usize,
    seed: u64,
) -> anyhow::Result<(usize, usize)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let today = Utc::now().date_naive();
    let posted = if world.companies.is_empty() { 0 } else { n_postings };
    for i in 0..posted {
        let (org, project_ids) = &world.companies[i % world.companies.len()];
        let t = data::POSTINGS.choose(&mut rng).expect("templates");
        let bump = rng.random_range(0..=6) * 100;
        let starts_on = today + Duration::days(rng.random_range(-30..60));
        let status = match rng.random_range(0..20) {
            0 => PostingStatus::Draft,
            1 => PostingStatus::Filled,
            2 => PostingStatus::Closed,
            _ => PostingStatus::Open,
        };
        let fields = PostingFields {
            project_id: project_ids.choose(&mut rng).copied(),
            title: t.title.into(),
            description: Some(t.description.into()),
            category: t.category,
            majors: Json(t.majors.iter().map(|m| m.to_string()).collect()),
            education_min: t.education_min,
            headcount: *[5, 10, 20, 30, 50, 80, 100].choose(&mut rng).expect("sizes"),
            salary_min: Some(t.salary.0 + bump),
            salary_max: Some(t.salary.1 + bump),
            location: Some(data::LOCATIONS[rng.random_range(0..2)].into()),
            benefits: Json(t.benefits.to_vec()),
            starts_on: Some(starts_on),
            closes_on: Some(starts_on + Duration::days(rng.random_range(30..120))),
            status,
        };
        let p = postings::insert(tx, *org, &fields).await?;
        changes::record(tx, Entity::Posting, p.id, Operation::Create).await?;
    }
    let graduated = if world.schools.is_empty() { 0 } else { n_graduates };
    for i in 0..graduated {
        let (org, levels, majors) = &world.schools[i % world.schools.len()];
        let name = format!(
            "{}{}",
            data::SURNAMES.choose(&mut rng).expect("names"),
            data::GIVEN.choose(&mut rng).expect("names")
        );
        let education = *levels.choose(&mut rng).expect("levels");
        let base_salary = match education.rank() {
            0..=2 => 4500,
            3 => 5200,
            4 => 6500,
            _ => 8500,
        };
        let phone_tail: u32 = rng.random_range(10_000_000..99_999_999);
        let fields = GraduateFields {
            name: name.clone(),
            major: majors.choose(&mut rng).expect("majors").clone(),
            education,
            graduation_year: i64::from(today.year()) + rng.random_range(0..=1),
            skills: Json(pick_some(&mut rng, data::SKILLS, 4).into_iter().map(String::from).collect()),
            certificates: Json(pick_some(&mut rng, data::CERTIFICATES, 2).into_iter().map(String::from).collect()),
            preferred_locations: Json(pick_some(&mut rng, data::LOCATIONS, 2).into_iter().map(String::from).collect()),
            expected_salary: Some(base_salary + rng.random_range(0..=15) * 100),
            available_from: Some(today + Duration::days(rng.random_range(0..120))),
            email: Some(email(&format!("student{seed}x{i}@{}.demo", org))),
            phone: Some(
                crate::domain::Phone::parse(&format!("13{}{phone_tail}", rng.random_range(0..10))).expect("valid"),
            ),
            consent: rng.random_bool(0.75),
            summary: Some(format!("{name}，{}应届毕业生，踏实肯干，愿意到肇庆新区发展。", education.label_zh())),
            status: crate::domain::GraduateStatus::Seeking,
        };
        let g = graduates::insert(tx, *org, &fields).await?;
        changes::record(tx, Entity::Graduate, g.id, Operation::Create).await?;
    }
    Ok((posted, graduated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_credit_codes_are_valid_and_distinct() {
        let codes: std::collections::HashSet<_> = COMPANIES.iter().map(|c| demo_credit_code(c.org_code)).collect();
        assert_eq!(codes.len(), COMPANIES.len());
    }

    #[test]
    fn templates_are_valid_postings() {
        for t in data::POSTINGS {
            assert!(t.salary.0 <= t.salary.1, "{}", t.title);
            assert!(!t.benefits.is_empty(), "{}", t.title);
        }
    }
}
