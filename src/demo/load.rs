//! Writing the demo to the database: the demo organisations and accounts, then generated
//! rows through the bulk loader, with ids attached only here.

use super::data::{self, COMPANIES, SCHOOLS};
use super::graduates::{GeneratedGraduate, GraduateGenerator};
use super::postings::{GeneratedPosting, PostingGenerator};
use super::world::{CompanySpec, ProjectSpec, SchoolSpec, Spec, anchor_date, demo_credit_code};
use super::{DEMO_COORDINATOR, DEMO_PASSWORD, applicants, gatherings};
use crate::domain::graduate::GraduateFields;
use crate::domain::organization::OrganizationFields;
use crate::domain::posting::PostingFields;
use crate::domain::project::ProjectFields;
use crate::domain::user::Password;
use crate::domain::{Education, Email, OrgKind, OrgStatus, Phone, Role};
use crate::services::auth::Passwords;
use crate::store::{Db, PageRequest, Tx, bulk, organizations, projects, settings, users};
use chrono::Utc;
use std::sync::Arc;

const LOADED_KEY: &str = "demo_loaded";
/// The seed and size of the `serve --demo` data set.
const DEMO_SEED: u64 = 2026;
const DEMO_POSTINGS: usize = 240;
const DEMO_GRADUATES: usize = 300;
/// Rows per transaction for `xiaoqi demo`: a few statements each (about 16,000 rows, a
/// tenth of a second of writing), so a running server's writes can slip in between and
/// the progress bar moves.
const ROWS_PER_TRANSACTION: usize = 8 * bulk::POSTINGS_PER_STATEMENT;

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
    applicants::add(&mut tx, &hash).await?;
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
        let last = last_serials(db, &world).await?;
        let rows =
            GraduateGenerator::new(world.spec.clone(), seed).numbered_after(&last).map(move |g| w.graduate_row(g));
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

/// Per school of the world, the highest serial among the student numbers of the kind the
/// generator writes that its roster holds (0 for none), so a new batch takes none of them.
async fn last_serials(db: &Db, world: &World) -> anyhow::Result<Vec<u32>> {
    let mut conn = db.read().await?;
    let mut last = Vec::with_capacity(world.schools.len());
    for (at, school) in world.schools.iter().enumerate() {
        let numbers = crate::store::graduates::student_nos(&mut conn, *school).await?;
        last.push(numbers.iter().filter_map(|n| GraduateGenerator::serial_of(at, n)).max().unwrap_or(0));
    }
    Ok(last)
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
            OrgStatus::Approved,
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
            OrgStatus::Approved,
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
    // Companies awaiting review (or rejected) post nothing.
    let filter =
        organizations::Filter { kind: Some(OrgKind::Company), status: Some(OrgStatus::Approved), ..Default::default() };
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
    let filter = organizations::Filter { kind: Some(OrgKind::School), ..Default::default() };
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // The record's columns, read-only ones included (`SELECT *` has no destination).
        let sql = format!(
            "SELECT {} FROM graduates ORDER BY id",
            crate::store::columns::record::<crate::domain::graduate::GraduateFields>("")
        );
        let gs: Vec<Graduate> =
            crate::on_backend!(&mut conn, |e| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(e).await)
                .unwrap();
        (
            ps.iter().map(|p| serde_json::json!([p.organization_id, p.fields])).collect(),
            gs.iter().map(|g| serde_json::json!([g.organization_id, g.fields])).collect(),
        )
    }

    /// What is written for a seed is pinned too: the rows with their organisations and
    /// projects, and the demo's choices and shortlists drawn from them.
    #[tokio::test]
    async fn the_loaded_rows_are_pinned() {
        let db = memory_db().await;
        assert!(load_once(&db).await.unwrap());
        add_synthetic(&db, 1000, 1000, 5, |_, _| {}).await.unwrap();
        let (ps, gs) = stored(&db).await;
        assert_eq!(
            crate::demo::digest(ps.into_iter().chain(gs)),
            "625dc063fcb512889645e9ea8992eb3379bafb61a1ea3c473b54ecfe74af7a8a"
        );
        let mut conn = db.read().await.unwrap();
        let choices = crate::store::preferences::all_choices(&mut conn).await.unwrap();
        let shortlists = crate::store::preferences::all_shortlists(&mut conn).await.unwrap();
        assert_eq!(
            crate::demo::digest([serde_json::json!([choices, shortlists])]),
            "12b11510ee7540f7206d3b86f17cddeca31a45dae61f6f3452243eef1255e154"
        );
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
        // Another batch goes to the same organisations, twice with the same seed: the student
        // numbers continue after those on the rosters (unique per school).
        assert_eq!(add_synthetic(&db, 10, 10, 1, |_, _| {}).await.unwrap(), (10, 10));
        assert_eq!(add_synthetic(&db, 10, 200, 1, |_, _| {}).await.unwrap(), (10, 200));
    }
}
