//! Demo data drawn from the Zhaoqing New District story (shared/context): the projects
//! short of workers, their parks, the city's schools, and synthetic but realistic
//! postings and graduates.
//!
//! Generation is pure and seeded: [`PostingGenerator`] and [`GraduateGenerator`] draw
//! from one [`StdRng`] stream each (so the postings of a seed do not depend on how many
//! graduates are asked for, and the other way round), refer to organisations by their
//! position in the [`Spec`] rather than by database id, and date everything from
//! [`anchor_date`] rather than today. The same seed over the same world gives the same
//! rows; ids are only attached when the rows are written ([`bulk`]).

mod data;
mod gatherings;

use crate::domain::credit_code::check_character;
use crate::domain::graduate::GraduateFields;
use crate::domain::organization::OrganizationFields;
use crate::domain::posting::PostingFields;
use crate::domain::project::ProjectFields;
use crate::domain::user::Password;
use crate::domain::{
    Benefit, Category, CreditCode, Education, Email, GraduateStatus, OrgKind, Phone, PostingStatus, Role,
};
use crate::services::auth::Passwords;
use crate::store::{Db, PageRequest, Tx, bulk, organizations, projects, settings, users};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use data::{COMPANIES, Industry, SCHOOLS, Schedule, Trade};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sqlx::types::Json;
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "xiaoqi-demo-2026";
pub const DEMO_COORDINATOR: &str = "coordinator@xiaoqi.demo";
const LOADED_KEY: &str = "demo_loaded";
/// The seed and size of the `serve --demo` data set.
const DEMO_SEED: u64 = 2026;
const DEMO_POSTINGS: usize = 240;
const DEMO_GRADUATES: usize = 300;
/// Rows per transaction for `xiaoqi demo`: a few statements each (about 16,000 rows, a
/// tenth of a second of writing), so a running server's writes can slip in between and
/// the progress bar moves.
const ROWS_PER_TRANSACTION: usize = 8 * bulk::POSTINGS_PER_STATEMENT;
/// Mixed into the seed for the graduates' random stream.
const GRADUATE_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

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
    industries: &'static [Industry],
    products: &'static [&'static str],
    benefits: &'static [Benefit],
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
    fn of_demo(c: &data::DemoCompany) -> Self {
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
    fn of_demo(s: &data::DemoSchool) -> Self {
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

/// The spec with the database ids of its organisations, position for position.
struct World {
    spec: Arc<Spec>,
    /// (company id, its project ids)
    companies: Vec<(i64, Vec<i64>)>,
    schools: Vec<i64>,
}

impl World {
    /// A generated posting as a row: (company id, fields with the project id).
    fn posting_row(&self, g: GeneratedPosting) -> (i64, PostingFields) {
        let (org, project_ids) = &self.companies[g.company];
        let mut fields = g.fields;
        fields.project_id = g.project.map(|p| project_ids[p]);
        (*org, fields)
    }

    /// A generated graduate as a row: (school id, fields).
    fn graduate_row(&self, g: GeneratedGraduate) -> (i64, GraduateFields) {
        (self.schools[g.school], g.fields)
    }
}

/// Load the demo data set unless it was loaded before. Returns whether it loaded now.
pub async fn load_once(db: &Db) -> anyhow::Result<bool> {
    if settings::get(&mut db.read().await?, LOADED_KEY).await?.is_some() {
        return Ok(false);
    }
    let coordinator_org = crate::services::organizations::service_centre(db).await?;
    let hash = demo_hash().await?;
    let mut tx = db.begin().await?;
    let world = create_world(&mut tx, &hash, coordinator_org).await?;
    let postings: Vec<_> = PostingGenerator::new(world.spec.clone(), DEMO_SEED)
        .take(DEMO_POSTINGS)
        .map(|g| world.posting_row(g))
        .collect();
    bulk::insert_postings(&mut tx, postings).await?;
    let graduates: Vec<_> = GraduateGenerator::new(world.spec.clone(), DEMO_SEED)
        .take(DEMO_GRADUATES)
        .map(|g| world.graduate_row(g))
        .collect();
    bulk::insert_graduates(&mut tx, graduates).await?;
    gatherings::add(&mut tx, anchor_date()).await?;
    settings::set(&mut tx, LOADED_KEY, &Utc::now().to_rfc3339()).await?;
    tx.commit().await?;
    Ok(true)
}

/// Add `postings` and `graduates` more, spread over the organisations on record (the
/// demo organisations and accounts are created first if there are none). Writes in bulk,
/// about 16,000 rows per transaction, each row with its `changes` entry; `progress` is
/// told what is being written and how many rows each transaction added.
pub async fn add_synthetic(
    db: &Db,
    postings: usize,
    graduates: usize,
    seed: u64,
    mut progress: impl FnMut(&'static str, u64),
) -> anyhow::Result<(usize, usize)> {
    let world = Arc::new(ensure_world(db).await?);
    let saved = bulk::start_load(db).await?;
    let loaded = load(db, world, postings, graduates, seed, &mut progress).await;
    bulk::finish_load(db, saved).await?;
    loaded
}

async fn load(
    db: &Db,
    world: Arc<World>,
    postings: usize,
    graduates: usize,
    seed: u64,
    progress: &mut impl FnMut(&'static str, u64),
) -> anyhow::Result<(usize, usize)> {
    let mut posted = 0;
    if !world.spec.companies.is_empty() {
        let w = world.clone();
        let rows = PostingGenerator::new(world.spec.clone(), seed).map(move |g| w.posting_row(g));
        let (mut batches, producer) = in_background(postings, rows);
        while let Some(batch) = batches.recv().await {
            let mut tx = db.begin().await?;
            let n = bulk::insert_postings(&mut tx, batch).await?;
            tx.commit().await?;
            posted += n as usize;
            progress("职位 postings", n);
        }
        producer.await?;
    }
    let mut graduated = 0;
    if !world.spec.schools.is_empty() {
        let w = world.clone();
        let rows = GraduateGenerator::new(world.spec.clone(), seed).map(move |g| w.graduate_row(g));
        let (mut batches, producer) = in_background(graduates, rows);
        while let Some(batch) = batches.recv().await {
            let mut tx = db.begin().await?;
            let n = bulk::insert_graduates(&mut tx, batch).await?;
            tx.commit().await?;
            graduated += n as usize;
            progress("毕业生 graduates", n);
        }
        producer.await?;
    }
    Ok((posted, graduated))
}

/// Generate `total` rows on a blocking thread, a transaction's worth at a time, while the
/// database writes the previous batch (generation takes about a fifth of the work).
fn in_background<T: Send + 'static>(
    total: usize,
    mut rows: impl Iterator<Item = T> + Send + 'static,
) -> (tokio::sync::mpsc::Receiver<Vec<T>>, tokio::task::JoinHandle<()>) {
    let (sender, receiver) = tokio::sync::mpsc::channel(2);
    let producer = tokio::task::spawn_blocking(move || {
        let mut left = total;
        while left > 0 {
            let batch: Vec<T> = rows.by_ref().take(ROWS_PER_TRANSACTION.min(left)).collect();
            left -= batch.len();
            // A closed channel means the writer failed; it reports why.
            if batch.is_empty() || sender.blocking_send(batch).is_err() {
                return;
            }
        }
    });
    (receiver, producer)
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

async fn demo_hash() -> anyhow::Result<String> {
    let password = Password::parse(DEMO_PASSWORD).expect("demo password is valid");
    Ok(Passwords::default().hash(&password).await?)
}

/// The organisations on record; the demo ones (with their accounts) are created first when
/// there are no companies or no schools and the demo set was never loaded.
async fn ensure_world(db: &Db) -> anyhow::Result<World> {
    let world = existing_world(db).await?;
    let complete = !world.spec.companies.is_empty() && !world.spec.schools.is_empty();
    if complete || settings::get(&mut db.read().await?, LOADED_KEY).await?.is_some() {
        return Ok(world);
    }
    let coordinator_org = crate::services::organizations::service_centre(db).await?;
    let hash = demo_hash().await?;
    let mut tx = db.begin().await?;
    create_world(&mut tx, &hash, coordinator_org).await?;
    // The demo organisations exist now: `serve --demo` must not create them again.
    settings::set(&mut tx, LOADED_KEY, &Utc::now().to_rfc3339()).await?;
    tx.commit().await?;
    existing_world(db).await
}

async fn create_world(tx: &mut Tx, hash: &str, coordinator_org: i64) -> anyhow::Result<World> {
    if users::credentials(tx, &email(DEMO_COORDINATOR)).await?.is_none() {
        users::insert(tx, &email(DEMO_COORDINATOR), hash, Role::Coordinator, coordinator_org).await?;
    }
    let mut world = World { spec: Arc::new(Spec::demo()), companies: Vec::new(), schools: Vec::new() };
    for c in COMPANIES {
        let org = organizations::insert(
            tx,
            &OrganizationFields {
                kind: OrgKind::Company,
                name: c.name.into(),
                credit_code: Some(demo_credit_code(c.org_code)),
                contact_name: Some("人力资源部".into()),
                contact_email: Some(email(&format!("hr@{}.demo", c.slug))),
                contact_phone: Some(Phone::parse("0758-2712345").expect("valid")),
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
        world.schools.push(org.id);
    }
    Ok(world)
}

/// The companies (with their projects) and schools on record, in id order. Demo
/// organisations are recognised by name and keep their trades and majors; others recruit
/// for any trade and teach every major.
async fn existing_world(db: &Db) -> anyhow::Result<World> {
    let mut conn = db.read().await?;
    let all = PageRequest { page: 1, per_page: 10_000 };
    let mut spec = Spec::default();
    let mut companies = Vec::new();
    let mut schools = Vec::new();
    let filter = organizations::Filter { kind: Some(OrgKind::Company), only_id: None };
    for org in organizations::list(&mut conn, &filter, all).await?.0 {
        let (list, _) = projects::list(&mut conn, Some(org.id), None, all).await?;
        let mut company = match COMPANIES.iter().find(|c| c.name == org.fields.name) {
            Some(c) => CompanySpec::of_demo(c),
            None => CompanySpec {
                name: org.fields.name.clone(),
                short: org.fields.name.clone(),
                district: org.fields.district.clone().unwrap_or_else(|| "肇庆新区".into()),
                industries: &[],
                products: &[],
                benefits: &[],
                projects: Vec::new(),
            },
        };
        company.projects =
            list.iter().map(|p| ProjectSpec { name: p.fields.name.clone(), park: p.fields.park.clone() }).collect();
        spec.companies.push(company);
        companies.push((org.id, list.into_iter().map(|p| p.id).collect()));
    }
    let filter = organizations::Filter { kind: Some(OrgKind::School), only_id: None };
    for org in organizations::list(&mut conn, &filter, all).await?.0 {
        let school = match SCHOOLS.iter().find(|s| s.name == org.fields.name) {
            Some(s) => SchoolSpec::of_demo(s),
            None => SchoolSpec {
                name: org.fields.name.clone(),
                domain: format!("school{}.demo", schools.len() + 1),
                programs: vec![(Education::Associate, data::all_majors())],
            },
        };
        spec.schools.push(school);
        schools.push(org.id);
    }
    Ok(World { spec: Arc::new(spec), companies, schools })
}

// ---------------------------------------------------------------------------------------
// Generation: pure functions of the seed and the spec.

/// A generated posting; `company` and `project` are positions in the [`Spec`]
/// (`fields.project_id` is left empty until the row is written).
#[derive(Debug, Clone)]
pub struct GeneratedPosting {
    pub company: usize,
    pub project: Option<usize>,
    pub fields: PostingFields,
}

/// A generated graduate; `school` is a position in the [`Spec`].
#[derive(Debug, Clone)]
pub struct GeneratedGraduate {
    pub school: usize,
    pub fields: GraduateFields,
}

/// An endless, seeded stream of postings for the companies of a spec (none if it has no
/// companies).
pub struct PostingGenerator {
    rng: StdRng,
    spec: Arc<Spec>,
    /// Per company: the trades of its industries (every trade for companies not in the demo).
    own: Vec<Vec<&'static Trade>>,
    /// Trades every company needs.
    general: Vec<&'static Trade>,
    anchor: NaiveDate,
}

impl PostingGenerator {
    pub fn new(spec: Arc<Spec>, seed: u64) -> Self {
        let general: Vec<&'static Trade> = data::TRADES.iter().filter(|t| t.industries.is_empty()).collect();
        let own = spec
            .companies
            .iter()
            .map(|c| {
                if c.industries.is_empty() {
                    data::TRADES.iter().collect()
                } else {
                    data::TRADES.iter().filter(|t| t.industries.iter().any(|i| c.industries.contains(i))).collect()
                }
            })
            .collect();
        PostingGenerator { rng: StdRng::seed_from_u64(seed), spec, own, general, anchor: anchor_date() }
    }

    fn posting(&mut self) -> GeneratedPosting {
        let rng = &mut self.rng;
        let company = rng.random_range(0..self.spec.companies.len());
        let c = &self.spec.companies[company];
        let own = &self.own[company];
        let trade: &Trade =
            if !own.is_empty() && rng.random_bool(0.65) { pick_copy(rng, own) } else { pick_copy(rng, &self.general) };
        let project = (!c.projects.is_empty() && rng.random_bool(0.9)).then(|| rng.random_range(0..c.projects.len()));
        let park = project
            .and_then(|p| c.projects[p].park.as_deref())
            .or_else(|| c.projects.iter().find_map(|p| p.park.as_deref()));
        let location: &str = if trade.category == Category::Construction || rng.random_bool(0.2) {
            pick_copy(rng, data::LOCATIONS)
        } else {
            &c.district
        };
        let product: Option<&str> = (!c.products.is_empty()).then(|| *pick(rng, c.products));

        // Title: an occasional prefix, the trade's name, a product or shift now and then.
        let base = *pick(rng, trade.titles);
        let mut title = String::with_capacity(64);
        let mut well_paid = false;
        match rng.random_range(0..100) {
            0..30 => {
                let prefix = *pick(rng, data::TITLE_PREFIXES);
                well_paid = prefix.starts_with("高薪");
                match rng.random_range(0..3) {
                    0 => title.push_str(prefix),
                    1 => {
                        let _ = write!(title, "【{prefix}】");
                    }
                    _ => {
                        let _ = write!(title, "{prefix}：");
                    }
                }
            }
            30..40 if trainable(trade.category) => title.push_str(pick_copy(rng, data::TRAINEE_PREFIXES)),
            _ => {}
        }
        match product {
            Some(product) if !trade.industries.is_empty() && rng.random_bool(0.3) => {
                if rng.random_bool(0.5) {
                    let _ = write!(title, "{product}{base}");
                } else {
                    let _ = write!(title, "{base}（{product}方向）");
                }
            }
            _ => title.push_str(base),
        }
        // One bracket per title: a product direction (…方向) already has one.
        if rng.random_bool(0.45) && !title.ends_with('）') {
            let terms = match trade.schedule {
                Schedule::Shifts => data::SHIFTS,
                Schedule::Day => data::DAY_HOURS,
                Schedule::Site => data::SITE_TERMS,
                Schedule::Office => data::OFFICE_HOURS,
            };
            let _ = write!(title, "（{}）", pick(rng, terms));
        } else if location != c.district && rng.random_bool(0.5) {
            let _ = write!(title, "-{location}");
        }

        let bump = rng.random_range(-3..=8) * 100 + if well_paid { 500 } else { 0 };
        let min = trade.salary.0 + bump;
        let max = trade.salary.1 + bump + rng.random_range(0..=5) * 100;
        let (salary_min, salary_max) = match rng.random_range(0..100) {
            0..4 => (None, None),
            4..9 => (Some(min), None),
            _ => (Some(min), Some(max)),
        };
        let (lo, hi) = trade.headcount;
        let mut headcount = rng.random_range(lo..=hi);
        if headcount > 20 {
            headcount -= headcount % 5;
        }
        let majors: Vec<String> = if trade.majors.is_empty() || rng.random_bool(0.2) {
            Vec::new()
        } else {
            let n = rng.random_range(1..=trade.majors.len());
            trade.majors.choose_multiple(rng, n).map(|m| m.to_string()).collect()
        };
        let education_min = if rng.random_bool(0.15) { relaxed(trade.education_min) } else { trade.education_min };
        let mut benefits: Vec<Benefit> =
            Benefit::ALL.iter().copied().filter(|b| trade.benefits.contains(b) || c.benefits.contains(b)).collect();
        let all_offered = benefits.clone();
        benefits.retain(|_| !rng.random_bool(0.12));
        if benefits.is_empty() {
            benefits.extend(all_offered.first());
        }
        let starts_on = self.anchor + Duration::days(rng.random_range(-40..=50));
        let closes_on = starts_on + Duration::days(rng.random_range(14..=120));
        let status = if closes_on < self.anchor {
            if rng.random_bool(0.55) { PostingStatus::Closed } else { PostingStatus::Filled }
        } else {
            match rng.random_range(0..100) {
                0..5 => PostingStatus::Draft,
                5..9 => PostingStatus::Filled,
                _ => PostingStatus::Open,
            }
        };
        let description = describe(
            rng,
            &Context {
                company: c,
                project: project.map(|p| &c.projects[p]),
                park,
                product,
                trade,
                title: base,
                headcount,
                location,
                salary: (salary_min, salary_max),
                education: education_min,
                majors: &majors,
                benefits: &benefits,
            },
        );
        GeneratedPosting {
            company,
            project,
            fields: PostingFields {
                project_id: None,
                title,
                description: Some(description),
                category: trade.category,
                majors: Json(majors),
                education_min,
                headcount,
                salary_min,
                salary_max,
                location: Some(location.to_string()),
                benefits: Json(benefits),
                starts_on: Some(starts_on),
                closes_on: Some(closes_on),
                status,
            },
        }
    }
}

impl Iterator for PostingGenerator {
    type Item = GeneratedPosting;
    fn next(&mut self) -> Option<GeneratedPosting> {
        (!self.spec.companies.is_empty()).then(|| self.posting())
    }
}

fn pick<'t, T>(rng: &mut StdRng, from: &'t [T]) -> &'t T {
    from.choose(rng).expect("demo vocabularies are not empty")
}

/// [`pick`] for lists of references (`&str`, `&Trade`), by value.
fn pick_copy<T: Copy>(rng: &mut StdRng, from: &[T]) -> T {
    *pick(rng, from)
}

/// Up to `max` distinct items (at least `min`, as far as there are any).
fn pick_some<'t, T>(rng: &mut StdRng, from: &'t [T], min: usize, max: usize) -> Vec<&'t T> {
    let max = max.min(from.len());
    let n = rng.random_range(min.min(max)..=max);
    from.choose_multiple(rng, n).collect()
}

/// Roles a graduate is trained into (储备技术员, 储备干部 …).
fn trainable(category: Category) -> bool {
    matches!(category, Category::Technician | Category::Engineer | Category::Management | Category::Quality)
}

/// One level lower, as companies short of workers relax their requirement.
fn relaxed(education: Education) -> Education {
    match education {
        Education::JuniorHigh | Education::HighSchool | Education::SecondaryVocational | Education::TechnicalSchool => {
            Education::JuniorHigh
        }
        Education::Associate => Education::SecondaryVocational,
        Education::Bachelor => Education::Associate,
        Education::Master | Education::Doctorate => Education::Bachelor,
    }
}

/// Replace `{key}` by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    fill_into(&mut out, template, values);
    out
}

/// Append `template` to `out` with each `{key}` replaced by its value (unknown keys stay).
fn fill_into(out: &mut String, template: &str, values: &[(&str, &str)]) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((values.iter().find(|(k, _)| *k == &after[..close])?, close))) {
            Some(((_, value), close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

struct Context<'a> {
    company: &'a CompanySpec,
    project: Option<&'a ProjectSpec>,
    park: Option<&'a str>,
    product: Option<&'a str>,
    trade: &'a Trade,
    title: &'a str,
    headcount: i64,
    location: &'a str,
    salary: (Option<i64>, Option<i64>),
    education: Education,
    majors: &'a [String],
    benefits: &'a [Benefit],
}

/// A description in one of a few layouts, from the trade's duties and requirements, the
/// pay, the benefits, the hours and the place.
fn describe(rng: &mut StdRng, cx: &Context) -> String {
    let trade = cx.trade;
    let mut intro = String::with_capacity(160);
    if rng.random_bool(0.8) {
        let project = cx.project.map(|p| p.name.as_str()).unwrap_or(&cx.company.name);
        let n = cx.headcount.to_string();
        let template = *pick(rng, data::INTROS);
        fill_into(
            &mut intro,
            template,
            &[
                ("company", &cx.company.name),
                ("park", cx.park.unwrap_or("")),
                ("project", project),
                ("title", cx.title),
                ("n", &n),
                ("product", cx.product.unwrap_or("电子信息产品")),
            ],
        );
    }
    let duties = pick_some(rng, trade.duties, 2, 4);

    let mut requirements: Vec<Cow<'static, str>> = Vec::with_capacity(6);
    let mut education = if cx.education == Education::JuniorHigh && rng.random_bool(0.5) {
        String::from("学历不限")
    } else {
        format!("{}及以上学历", cx.education.label_zh())
    };
    if let Some((last, first)) = cx.majors.split_last() {
        education.push('，');
        for m in first {
            education.push_str(m);
            education.push('、');
        }
        education.push_str(last);
        education.push_str("等相关专业");
    }
    requirements.push(education.into());
    if !trade.certificates.is_empty() {
        let certificate = pick(rng, trade.certificates);
        requirements.push(if rng.random_bool(0.5) {
            format!("持{certificate}").into()
        } else {
            format!("持{certificate}者优先").into()
        });
    }
    requirements.extend(pick_some(rng, trade.requirements, 1, 2).into_iter().map(|r| Cow::Borrowed(*r)));
    requirements.extend(pick_some(rng, data::COMMON_REQUIREMENTS, 0, 2).into_iter().map(|r| Cow::Borrowed(*r)));

    let pay: Cow<'static, str> = match cx.salary {
        (Some(min), Some(max)) => match rng.random_range(0..4) {
            0 => format!("综合薪资{min}—{max}元/月"),
            1 => format!("月薪{min}-{max}元"),
            2 => format!("底薪+绩效+加班费，月综合收入{min}～{max}元"),
            _ => format!("试用期{min}元，转正后最高可达{max}元"),
        }
        .into(),
        (Some(min), None) => {
            if rng.random_bool(0.5) {
                format!("{min}元/月起，上不封顶").into()
            } else {
                format!("保底{min}元，计件多劳多得").into()
            }
        }
        _ => Cow::Borrowed(*pick(rng, &["薪资面议", "薪资面议，待遇从优", "薪资面谈，能力优秀者可破格"])),
    };
    let mut offers: Vec<Cow<'static, str>> = vec![pay];
    offers.extend(pick_some(rng, data::PAY_EXTRAS, 0, 2).into_iter().map(|e| Cow::Borrowed(*e)));
    offers.extend(cx.benefits.iter().map(|b| Cow::Borrowed(*pick(rng, data::benefit_phrases(*b)))));

    let hours = match trade.schedule {
        Schedule::Shifts => pick(
            rng,
            &["两班倒，每月轮换一次", "三班倒，每班8小时", "白夜班轮换，夜班有补贴", "做六休一，每天8—10小时"],
        ),
        Schedule::Day => {
            pick(rng, &["长白班，8:00—17:30", "做六休一，白班为主", "每天8小时，周末加班另计", "做五休二"])
        }
        Schedule::Site => pick(rng, &["按项目工期安排，晴天出工", "工地包住，工资月结", "多劳多得，按月足额发放"]),
        Schedule::Office => pick(rng, &["周末双休，朝九晚六", "五天八小时，法定节假日正常放假", "大小周，弹性上班"]),
    };
    let mut place = String::from(cx.location);
    match (cx.park, cx.project) {
        (Some(park), _) if cx.location == cx.company.district && rng.random_bool(0.7) => place.push_str(park),
        (_, Some(project)) if trade.schedule == Schedule::Site => {
            place.push('（');
            place.push_str(&project.name);
            place.push_str("现场）");
        }
        _ => {}
    }
    let closing = if rng.random_bool(0.6) { *pick(rng, data::CLOSINGS) } else { "" };

    // Writing to a String cannot fail.
    let mut text = String::with_capacity(intro.len() + 1024);
    match rng.random_range(0..3) {
        0 => {
            if !intro.is_empty() {
                text.push_str(&intro);
                text.push('\n');
            }
            text.push_str("【岗位职责】\n");
            for (i, d) in duties.iter().enumerate() {
                let _ = writeln!(text, "{}. {d}；", i + 1);
            }
            text.push_str("【任职要求】\n");
            for (i, r) in requirements.iter().enumerate() {
                let _ = writeln!(text, "{}. {r}；", i + 1);
            }
            text.push_str("【薪资福利】");
            join_into(&mut text, &offers, "；");
            let _ = write!(text, "。\n【工作时间】{hours}。\n【工作地点】{place}。");
            if !closing.is_empty() {
                text.push('\n');
                text.push_str(closing);
            }
        }
        1 => {
            text.push_str(&intro);
            join_into(&mut text, &duties, "；");
            text.push_str("。要求：");
            join_into(&mut text, &requirements, "，");
            text.push_str("。待遇：");
            join_into(&mut text, &offers, "，");
            let _ = write!(text, "。{hours}，工作地点{place}。{closing}");
        }
        _ => {
            let _ = writeln!(text, "岗位：{}", cx.title);
            if !intro.is_empty() {
                text.push_str(&intro);
                text.push('\n');
            }
            text.push_str("工作内容：\n");
            for d in &duties {
                let _ = writeln!(text, "- {d}");
            }
            text.push_str("我们希望你：\n");
            for r in &requirements {
                let _ = writeln!(text, "- {r}");
            }
            text.push_str("我们提供：");
            join_into(&mut text, &offers, "，");
            let _ = write!(text, "。\n上班时间：{hours}；地点：{place}。{closing}");
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// Append the items to `out`, separated by `separator`.
fn join_into<S: AsRef<str>>(out: &mut String, items: &[S], separator: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
}

/// An endless, seeded stream of graduates for the schools of a spec (none if it has no
/// schools).
pub struct GraduateGenerator {
    rng: StdRng,
    spec: Arc<Spec>,
    anchor: NaiveDate,
}

impl GraduateGenerator {
    pub fn new(spec: Arc<Spec>, seed: u64) -> Self {
        GraduateGenerator { rng: StdRng::seed_from_u64(seed ^ GRADUATE_STREAM), spec, anchor: anchor_date() }
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
        let given_pool = if rng.random_bool(0.5) { data::GIVEN_FEMALE } else { data::GIVEN_MALE };
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
        GeneratedGraduate {
            school,
            fields: GraduateFields {
                name,
                major: major.to_string(),
                education,
                graduation_year,
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
    use crate::domain::{Input, Parse};
    use std::collections::HashSet;

    fn postings(seed: u64, n: usize) -> Vec<GeneratedPosting> {
        PostingGenerator::new(Arc::new(Spec::demo()), seed).take(n).collect()
    }

    fn graduates(seed: u64, n: usize) -> Vec<GeneratedGraduate> {
        GraduateGenerator::new(Arc::new(Spec::demo()), seed).take(n).collect()
    }

    fn posting_json(p: &GeneratedPosting) -> serde_json::Value {
        serde_json::json!({"company": p.company, "project": p.project, "fields": p.fields})
    }

    fn graduate_json(g: &GeneratedGraduate) -> serde_json::Value {
        serde_json::json!({"school": g.school, "fields": g.fields})
    }

    #[test]
    fn demo_credit_codes_are_valid_and_distinct() {
        let codes: HashSet<_> = COMPANIES.iter().map(|c| demo_credit_code(c.org_code)).collect();
        assert_eq!(codes.len(), COMPANIES.len());
    }

    #[test]
    fn trades_are_consistent() {
        for t in data::TRADES {
            assert!(t.salary.0 <= t.salary.1, "{}", t.titles[0]);
            assert!((1..=10_000).contains(&t.headcount.0) && t.headcount.0 <= t.headcount.1, "{}", t.titles[0]);
            assert!(!t.titles.is_empty() && !t.benefits.is_empty() && t.duties.len() >= 2, "{}", t.titles[0]);
            assert!(!t.requirements.is_empty(), "{}", t.titles[0]);
        }
        // Every industry of a demo company has trades of its own.
        for c in COMPANIES {
            for i in c.industries {
                assert!(data::TRADES.iter().any(|t| t.industries.contains(i)), "{i:?}");
            }
        }
    }

    #[test]
    fn same_seed_gives_the_same_data() {
        let a: Vec<_> = postings(7, 500).iter().map(posting_json).collect();
        let b: Vec<_> = postings(7, 500).iter().map(posting_json).collect();
        assert_eq!(a, b);
        let a: Vec<_> = graduates(7, 500).iter().map(graduate_json).collect();
        let b: Vec<_> = graduates(7, 500).iter().map(graduate_json).collect();
        assert_eq!(a, b);
        // A longer run starts with the shorter one: each stream depends on the seed only.
        let long: Vec<_> = postings(7, 800).iter().map(posting_json).collect();
        assert_eq!(long[..500], postings(7, 500).iter().map(posting_json).collect::<Vec<_>>()[..]);
    }

    #[test]
    fn different_seeds_give_different_data() {
        let a: Vec<_> = postings(1, 200).iter().map(posting_json).collect();
        let b: Vec<_> = postings(2, 200).iter().map(posting_json).collect();
        assert_ne!(a, b);
        let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert!(differing > 190, "only {differing} of 200 postings differ");
        let a: Vec<_> = graduates(1, 200).iter().map(graduate_json).collect();
        let b: Vec<_> = graduates(2, 200).iter().map(graduate_json).collect();
        assert!(a.iter().zip(&b).filter(|(x, y)| x != y).count() > 190);
    }

    #[test]
    fn generated_postings_pass_validation() {
        for (i, p) in postings(11, 3000).iter().enumerate() {
            let json = serde_json::to_value(&p.fields).unwrap();
            let mut input = Input::from_value(json.clone()).unwrap();
            let parsed = PostingFields::parse(&mut input);
            let parsed = input.finish(parsed).unwrap_or_else(|e| panic!("posting {i} invalid: {e:?}\n{json:#}"));
            // Nothing was trimmed, deduplicated or dropped on the way.
            assert_eq!(serde_json::to_value(&parsed).unwrap(), json, "posting {i}");
            let f = &p.fields;
            if let (Some(min), Some(max)) = (f.salary_min, f.salary_max) {
                assert!(min <= max);
            }
            assert!(f.closes_on.unwrap() > f.starts_on.unwrap());
            assert!((1..=10_000).contains(&f.headcount));
            assert!(!f.benefits.is_empty());
            let c = &Spec::demo().companies[p.company];
            assert!(p.project.is_none_or(|i| i < c.projects.len()));
        }
    }

    #[test]
    fn generated_graduates_pass_validation() {
        let spec = Spec::demo();
        for (i, g) in graduates(11, 3000).iter().enumerate() {
            let json = serde_json::to_value(&g.fields).unwrap();
            let mut input = Input::from_value(json.clone()).unwrap();
            let parsed = GraduateFields::parse(&mut input);
            let parsed = input.finish(parsed).unwrap_or_else(|e| panic!("graduate {i} invalid: {e:?}\n{json:#}"));
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
    fn text_is_varied() {
        let list = postings(3, 2000);
        let titles: HashSet<_> = list.iter().map(|p| p.fields.title.as_str()).collect();
        let descriptions: HashSet<_> = list.iter().map(|p| p.fields.description.as_deref()).collect();
        assert!(titles.len() > 600, "{} distinct titles", titles.len());
        assert!(descriptions.len() > 1990, "{} distinct descriptions", descriptions.len());
        let categories: HashSet<_> = list.iter().map(|p| p.fields.category).collect();
        assert!(categories.len() >= 10);
        let people = graduates(3, 2000);
        let names: HashSet<_> = people.iter().map(|g| g.fields.name.as_str()).collect();
        assert!(names.len() > 1000, "{} distinct names", names.len());
        let summaries: HashSet<_> = people.iter().map(|g| g.fields.summary.as_deref()).collect();
        assert!(summaries.len() > 1500, "{} distinct summaries", summaries.len());
    }

    #[test]
    fn trades_follow_the_company() {
        let spec = Spec::demo();
        let garment = spec.companies.iter().position(|c| c.short == "维珍妮").unwrap();
        let construction = spec.companies.iter().position(|c| c.short == "新区城建").unwrap();
        for p in postings(5, 2000) {
            if p.company == garment {
                assert!(!p.fields.title.contains("焊工") && !p.fields.title.contains("钢筋"), "{}", p.fields.title);
            }
            if p.company != construction
                && p.company != spec.companies.iter().position(|c| c.short == "宇宙自动化").unwrap()
            {
                assert_ne!(p.fields.category, Category::Construction, "{}", p.fields.title);
            }
        }
    }

    async fn memory_db() -> Db {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        db.migrate().await.unwrap();
        db
    }

    /// Postings and graduates as stored, in id order, without ids and timestamps.
    async fn stored(db: &Db) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
        use crate::domain::graduate::Graduate;
        use crate::domain::posting::Posting;
        let mut conn = db.read().await.unwrap();
        let ps: Vec<Posting> =
            crate::on_backend!(&mut conn, |e| sqlx::query_as("SELECT * FROM postings ORDER BY id").fetch_all(e).await)
                .unwrap();
        let gs: Vec<Graduate> =
            crate::on_backend!(&mut conn, |e| sqlx::query_as("SELECT * FROM graduates ORDER BY id").fetch_all(e).await)
                .unwrap();
        (
            ps.iter().map(|p| serde_json::json!([p.organization_id, p.fields])).collect(),
            gs.iter().map(|g| serde_json::json!([g.organization_id, g.fields])).collect(),
        )
    }

    #[tokio::test]
    async fn bulk_load_writes_rows_and_changes_deterministically() {
        let one = memory_db().await;
        let two = memory_db().await;
        let mut reported = 0;
        let added = add_synthetic(&one, 4000, 3000, 9, |_, n| reported += n).await.unwrap();
        assert_eq!(added, (4000, 3000));
        assert_eq!(reported, 7000);
        add_synthetic(&two, 4000, 3000, 9, |_, _| {}).await.unwrap();
        let (ps, gs) = stored(&one).await;
        assert_eq!((ps.len(), gs.len()), (4000, 3000));
        assert_eq!(stored(&two).await, (ps, gs));

        let mut conn = one.read().await.unwrap();
        let counts: Vec<(String, i64, i64)> = crate::on_backend!(&mut conn, |e| sqlx::query_as(
            "SELECT entity, COUNT(*), COUNT(DISTINCT entity_id) FROM changes WHERE operation = 'create' \
             GROUP BY entity ORDER BY entity"
        )
        .fetch_all(e)
        .await)
        .unwrap();
        assert_eq!(counts, vec![("graduate".into(), 3000, 3000), ("posting".into(), 4000, 4000)]);
        // Every change points at a row, in id order.
        let orphans: i64 = crate::on_backend!(&mut conn, |e| sqlx::query_scalar(
            "SELECT COUNT(*) FROM changes c WHERE (c.entity = 'posting' AND NOT EXISTS \
             (SELECT 1 FROM postings p WHERE p.id = c.entity_id)) OR (c.entity = 'graduate' AND NOT EXISTS \
             (SELECT 1 FROM graduates g WHERE g.id = c.entity_id))"
        )
        .fetch_one(e)
        .await)
        .unwrap();
        assert_eq!(orphans, 0);
        drop(conn);

        // The demo organisations were created once and `serve --demo` will not add them again.
        assert!(!load_once(&one).await.unwrap());
    }

    #[tokio::test]
    async fn load_once_loads_the_demo_set_once() {
        let db = memory_db().await;
        assert!(load_once(&db).await.unwrap());
        assert!(!load_once(&db).await.unwrap());
        let (ps, gs) = stored(&db).await;
        assert_eq!((ps.len(), gs.len()), (DEMO_POSTINGS, DEMO_GRADUATES));
        // Graduates with choices and postings with shortlists, each eligible; two events
        // inviting every company and school.
        let mut conn = db.read().await.unwrap();
        let choices = crate::store::preferences::all_choices(&mut conn).await.unwrap();
        assert!(choices.len() >= 300, "{}", choices.len());
        for (g, p) in &choices {
            let graduate = crate::store::graduates::get(&mut conn, *g).await.unwrap().unwrap();
            let posting = crate::store::postings::get(&mut conn, *p).await.unwrap().unwrap();
            assert_eq!(crate::matching::eligibility(&posting, &graduate), Ok(()));
        }
        assert!(crate::store::preferences::all_shortlists(&mut conn).await.unwrap().len() >= 50);
        let page = crate::store::PageRequest { page: 1, per_page: 10 };
        let (events, total) = crate::store::events::list(&mut conn, None, None, page).await.unwrap();
        assert_eq!(total, 2);
        assert_eq!(
            crate::store::events::invited(&mut conn, events[0].id).await.unwrap().len(),
            COMPANIES.len() + SCHOOLS.len()
        );
        drop(conn);
        // Another batch goes to the same organisations.
        assert_eq!(add_synthetic(&db, 10, 10, 1, |_, _| {}).await.unwrap(), (10, 10));
    }
}
