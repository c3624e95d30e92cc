//! Openings: companies write their own; open postings are public.

use super::search_pool::SearchPool;
use super::{Actor, check_write, owning_org, patched};
use crate::domain::posting::{NewPosting, Posting, PostingFields};
use crate::domain::{New, OrgKind, Patch, PostingStatus, Role};
use crate::error::{AppError, AppResult};
use crate::search::listing::{self, PostingFilters, PostingReach, SearchPage};
use crate::search::suggest::{self, Suggestion};
use crate::store::search_source::{self, PostingSource};
use crate::store::{Db, Page, PageRequest, Tx, audit, graduates, postings, projects};
use std::sync::Arc;

/// Open postings are public; others only for their company and coordinators.
fn reach(viewer: Option<&Actor>) -> PostingReach {
    match viewer.map(|a| (a.role, a.organization_id)) {
        Some((Role::Coordinator, _)) => PostingReach::Everyone,
        Some((Role::Company, own)) => PostingReach::Company(own),
        Some((Role::School, _)) | None => PostingReach::OpenOnly,
    }
}

fn may_read(viewer: Option<&Actor>, posting: &Posting) -> bool {
    reach(viewer).admits(posting.organization_id, posting.fields.status)
}

/// The posting, if `actor` may change it (its company, coordinators); others learn of
/// non-public postings nothing.
async fn writable(db: &mut impl crate::store::Access, actor: &Actor, id: i64) -> AppResult<Posting> {
    let posting = postings::get(db, id).await?.ok_or(AppError::NotFound)?;
    if !may_read(Some(actor), &posting) {
        return Err(AppError::NotFound);
    }
    check_write(actor, posting.organization_id, OrgKind::Company)?;
    Ok(posting)
}

/// A posting's project must be one of its company's.
async fn check_project(tx: &mut Tx, org: i64, fields: &PostingFields) -> AppResult<()> {
    if let Some(project_id) = fields.project_id {
        match projects::get(tx, project_id).await? {
            Some(p) if p.organization_id == org => {}
            _ => return Err(AppError::field("project_id", "no such project of this company / 该企业没有此项目")),
        }
    }
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, new: NewPosting) -> AppResult<Posting> {
    let New { organization_id, fields } = new;
    let mut tx = db.begin().await?;
    let org = owning_org(&mut tx, actor, organization_id, OrgKind::Company).await?;
    check_project(&mut tx, org, &fields).await?;
    if fields.status == PostingStatus::Open {
        super::organizations::require_approved_to_open(&mut tx, org).await?;
    }
    let posting = postings::insert(&mut tx, org, &fields).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(org), "create", "posting", Some(posting.id)).await?;
    tx.commit().await?;
    Ok(posting)
}

pub async fn get(db: &Db, viewer: Option<&Actor>, id: i64) -> AppResult<Posting> {
    let posting = postings::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if may_read(viewer, &posting) { Ok(posting) } else { Err(AppError::NotFound) }
}

/// A posting with the names of its company, project and park (its page shows them), to
/// whoever may read it; others get `NotFound`, as from [`get`].
pub async fn get_named(db: &Db, viewer: Option<&Actor>, id: i64) -> AppResult<PostingSource> {
    let source = search_source::posting(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    if may_read(viewer, &source.posting) { Ok(source) } else { Err(AppError::NotFound) }
}

/// Listing search: open postings for everyone; drafts and closed ones for their company
/// and coordinators (ask with `status`).
pub async fn search(
    searches: &SearchPool,
    viewer: Option<&Actor>,
    filters: &PostingFilters,
) -> AppResult<Arc<SearchPage>> {
    let (reach, filters) = (reach(viewer), filters.clone());
    searches.run(move |index| listing::search_postings(index, reach, &filters)).await
}

/// Changes whenever what searches find may have changed: pages built from search results
/// may be kept until it does.
pub fn search_generation(searches: &SearchPool) -> u64 {
    searches.index().generation()
}

pub async fn update(db: &Db, actor: &Actor, id: i64, patch: Patch<PostingFields>) -> AppResult<Posting> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    let fields = patched(patch, &current)?;
    check_project(&mut tx, current.organization_id, &fields).await?;
    if fields.status == PostingStatus::Open {
        super::organizations::require_approved_to_open(&mut tx, current.organization_id).await?;
    }
    let posting = postings::update(&mut tx, id, &fields).await?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, Some(actor.user_id), Some(posting.organization_id), "update", "posting", Some(id)).await?;
    tx.commit().await?;
    Ok(posting)
}

/// Close a posting. Postings are never erased: matching rounds and reports refer to them.
pub async fn close(db: &Db, actor: &Actor, id: i64) -> AppResult<Posting> {
    let mut tx = db.begin().await?;
    let current = writable(&mut tx, actor, id).await?;
    let mut fields = current.fields.clone();
    fields.status = PostingStatus::Closed;
    let posting = postings::update(&mut tx, id, &fields).await?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, Some(actor.user_id), Some(posting.organization_id), "close", "posting", Some(id)).await?;
    tx.commit().await?;
    Ok(posting)
}

/// Graduates who would suit a posting (its company and coordinators).
pub async fn suggestions(
    db: &Db,
    searches: &SearchPool,
    actor: &Actor,
    id: i64,
    limit: usize,
) -> AppResult<Vec<Suggestion>> {
    let posting = writable(&mut db.read().await?, actor, id).await?;
    let company = actor.role == crate::domain::Role::Company;
    if !company {
        return searches.run(move |index| suggest::graduates_for(index, &posting, company, limit)).await;
    }
    // The index may not have seen a withdrawal (or an erasure) yet; the database has.
    // Asking for more than shown leaves room for those left out.
    let asked = limit.saturating_mul(2);
    let mut found = searches.run(move |index| suggest::graduates_for(index, &posting, company, asked)).await?;
    graduates::retain_consenting(&mut db.read().await?, &mut found, |s| s.item["id"].as_i64().unwrap_or(0)).await?;
    found.truncate(limit);
    Ok(found)
}

/// A company's own postings read from the database (the search index follows a moment
/// later, and a list just saved to must show the save): companies their own, coordinators
/// the company they name or every company's; schools have none.
pub async fn list_for_company(
    db: &Db,
    actor: &Actor,
    organization_id: Option<i64>,
    status: Option<PostingStatus>,
    page: PageRequest,
) -> AppResult<Page<Posting>> {
    let organization_id = match actor.role {
        Role::Company => Some(actor.organization_id),
        Role::Coordinator => organization_id,
        Role::School => return Err(AppError::Forbidden),
    };
    let (items, total) = postings::list_for_company(&mut db.read().await?, organization_id, status, page).await?;
    Ok(Page::new(items, total, page))
}

/// A company's postings at a glance: how many in each status, and the seats (headcount of
/// open postings) each project offers.
#[derive(Debug, Clone, Default)]
pub struct CompanyOverview {
    pub by_status: Vec<(PostingStatus, i64)>,
    /// (project id, seats).
    pub seats_by_project: Vec<(i64, i64)>,
}

pub async fn overview(db: &Db, actor: &Actor, organization_id: i64) -> AppResult<CompanyOverview> {
    check_write(actor, organization_id, OrgKind::Company)?;
    let mut conn = db.read().await?;
    Ok(CompanyOverview {
        by_status: postings::count_by_status(&mut conn, organization_id).await?,
        seats_by_project: postings::open_seats_by_project(&mut conn, organization_id).await?,
    })
}

/// Open postings whose closing day (`closes_on`) is before `today` (Asia/Shanghai) close,
/// (the change log, and so search, follows); returns how many. Run every minute at startup.
pub async fn close_due(db: &Db, today: chrono::NaiveDate) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let closed = postings::close_due(&mut tx, today).await?;
    for id in &closed {
        audit::record(&mut tx, None, None, "close_due", "posting", Some(*id)).await?;
    }
    tx.commit().await?;
    Ok(closed.len())
}
