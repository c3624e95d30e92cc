//! Ranked preferences that matching rounds start from: a graduate's choices (志愿, kept by
//! its school) and a posting's shortlist (kept by its company).

use super::{Actor, check_write};
use crate::domain::preference::{RankedGraduates, RankedPostings};
use crate::domain::{OrgKind, PostingStatus, Role};
use crate::error::{AppError, AppResult};
use crate::store::{Db, audit, graduates, postings, preferences};
use serde::Serialize;

pub use crate::domain::preference::{MAX_CHOICES, MAX_SHORTLIST};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Choices {
    pub graduate_id: i64,
    /// Ranked, first choice first.
    pub posting_ids: Vec<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Shortlist {
    pub posting_id: i64,
    /// Ranked, first first.
    pub graduate_ids: Vec<i64>,
}

/// The graduate, if `actor` may keep its choices (its school, coordinators).
async fn graduate_for(tx: &mut impl crate::store::Access, actor: &Actor, id: i64) -> AppResult<i64> {
    let graduate = graduates::get(tx, id).await?.ok_or(AppError::NotFound)?;
    if actor.role == Role::Company {
        // Companies never learn whether a graduate exists beyond what they may see.
        return Err(if graduate.fields.consent { AppError::Forbidden } else { AppError::NotFound });
    }
    check_write(actor, graduate.organization_id, OrgKind::School)?;
    Ok(graduate.organization_id)
}

/// The posting, if `actor` may keep its shortlist (its company, coordinators).
async fn posting_for(tx: &mut impl crate::store::Access, actor: &Actor, id: i64) -> AppResult<i64> {
    let posting = postings::get(tx, id).await?.ok_or(AppError::NotFound)?;
    let visible = posting.fields.status == PostingStatus::Open
        || actor.is_coordinator()
        || actor.organization_id == posting.organization_id;
    if !visible {
        return Err(AppError::NotFound);
    }
    check_write(actor, posting.organization_id, OrgKind::Company)?;
    Ok(posting.organization_id)
}

pub async fn get_choices(db: &Db, actor: &Actor, id: i64) -> AppResult<Choices> {
    let mut conn = db.read().await?;
    graduate_for(&mut conn, actor, id).await?;
    Ok(Choices { graduate_id: id, posting_ids: preferences::choices_of(&mut conn, id).await? })
}

/// Replace a graduate's ranked choices. Each must be an open posting.
pub async fn put_choices(db: &Db, actor: &Actor, id: i64, ranked: RankedPostings) -> AppResult<Choices> {
    let ids = ranked.posting_ids;
    let mut tx = db.begin().await?;
    let school = graduate_for(&mut tx, actor, id).await?;
    for (at, posting_id) in ids.iter().enumerate() {
        match postings::get(&mut tx, *posting_id).await? {
            Some(p) if p.fields.status == PostingStatus::Open => {}
            _ => {
                return Err(AppError::field(
                    &format!("posting_ids[{at}]"),
                    format!("no open posting {posting_id} / 岗位 {posting_id} 不存在或未在招聘"),
                ));
            }
        }
    }
    preferences::replace_choices(&mut tx, id, &ids).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(school), "set_choices", "graduate", Some(id)).await?;
    tx.commit().await?;
    Ok(Choices { graduate_id: id, posting_ids: ids })
}

pub async fn get_shortlist(db: &Db, actor: &Actor, id: i64) -> AppResult<Shortlist> {
    let mut conn = db.read().await?;
    posting_for(&mut conn, actor, id).await?;
    Ok(Shortlist {
        posting_id: id,
        graduate_ids: preferences::shortlist_of(&mut conn, id, actor.role == Role::Company).await?,
    })
}

/// Replace a posting's ranked shortlist. Each must be a graduate the company may see
/// (one who consented); for others the answer is the same as for no graduate at all.
pub async fn put_shortlist(db: &Db, actor: &Actor, id: i64, ranked: RankedGraduates) -> AppResult<Shortlist> {
    let ids = ranked.graduate_ids;
    let mut tx = db.begin().await?;
    let company = posting_for(&mut tx, actor, id).await?;
    for (at, graduate_id) in ids.iter().enumerate() {
        let visible =
            graduates::get(&mut tx, *graduate_id).await?.is_some_and(|g| actor.is_coordinator() || g.fields.consent);
        if !visible {
            return Err(AppError::field(
                &format!("graduate_ids[{at}]"),
                format!("no such graduate {graduate_id} / 毕业生 {graduate_id} 不存在"),
            ));
        }
    }
    preferences::replace_shortlist(&mut tx, id, &ids).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(company), "set_shortlist", "posting", Some(id)).await?;
    tx.commit().await?;
    Ok(Shortlist { posting_id: id, graduate_ids: ids })
}
