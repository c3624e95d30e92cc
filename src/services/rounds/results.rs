//! Reading a round's results: rows with names and explanations, and the instance file.

use super::explain::{self, GraduateNote, PostingNote};
use crate::domain::Role;
use crate::domain::round::Round;
use crate::error::{AppError, AppResult};
use crate::store::rounds::{self as store, GraduateRowView, PostingRowView, RowFilter};
use crate::store::{Db, Page, PageRequest};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write;

/// Why, in both languages, with the data behind it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Explanation {
    pub zh: String,
    pub en: String,
    /// Structured reasons: `above` (postings ranked higher and why not), `dropped` (choices
    /// left out of the round and why).
    #[schema(value_type = Object)]
    pub reasons: Value,
}

/// One graduate's outcome in a round; unmatched graduates have `posting_id: null`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    pub graduate_id: i64,
    /// Null when the graduate has been erased since (or, for companies, withdrew consent).
    pub graduate_name: Option<String>,
    pub graduate_major: Option<String>,
    pub school_id: i64,
    pub school_name: Option<String>,
    pub posting_id: Option<i64>,
    pub posting_title: Option<String>,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
    pub project_id: Option<i64>,
    /// What the graduate consented to (the latest consent given); null when hidden or none.
    pub consent_purpose: Option<String>,
    /// 1-based position of the posting in the graduate's list as the round used it (its
    /// choices that entered the round first, then suggestions; see `explanation`).
    pub graduate_rank: Option<i64>,
    /// 1-based rank the posting gave the graduate.
    pub posting_rank: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub score: Option<Value>,
    pub explanation: Explanation,
}

/// One posting's outcome in a round.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostingResultView {
    pub posting_id: i64,
    pub posting_title: String,
    pub company_id: i64,
    pub company_name: String,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub capacity: i64,
    pub filled: i64,
    pub explanation: Explanation,
}

/// Titles of every posting the rows name (placed at, ranked above, or left out).
pub(super) async fn labels(
    db: &Db,
    rows: &[GraduateRowView],
    notes: &[GraduateNote],
) -> AppResult<HashMap<i64, (String, String)>> {
    let mut ids: Vec<i64> = rows
        .iter()
        .zip(notes)
        .flat_map(|(v, n)| {
            n.above
                .iter()
                .map(|a| a.posting_id)
                .chain(n.dropped.iter().map(|d| d.posting_id))
                .chain(n.moved_from.as_ref().map(|m| m.posting_id))
                .chain(v.row.posting_id)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let found = store::posting_labels(&mut db.read().await?, &ids).await?;
    Ok(found.into_iter().map(|(id, title, company)| (id, (title, company))).collect())
}

pub(super) fn note_of(value: &Value) -> AppResult<GraduateNote> {
    serde_json::from_value(value.clone()).map_err(|e| AppError::Internal(e.into()))
}

/// Rendered rows for a reader in `role`. Coordinators see everything, including which
/// graduate was the last admitted where a posting was full. A school sees its graduates'
/// reasons with ranks only. A company sees whom it got and why (ranks, score), but not the
/// graduate's other choices or other companies' rankings, and no name once the graduate
/// has withdrawn consent.
pub(super) fn render(
    rows: Vec<GraduateRowView>,
    notes: Vec<GraduateNote>,
    labels: &HashMap<i64, (String, String)>,
    purposes: &HashMap<i64, String>,
    role: Role,
) -> Vec<AssignmentView> {
    rows.into_iter()
        .zip(notes)
        .map(|(v, mut note)| {
            let r = &v.row;
            let matched = r.posting_id.map(|p| (p, r.graduate_rank.unwrap_or(0), r.posting_rank.unwrap_or(0)));
            if role == Role::Company {
                note.above.clear();
                note.dropped.clear();
            }
            let (zh, en) = explain::render_graduate(&note, matched, labels);
            if role != Role::Coordinator {
                for a in &mut note.above {
                    a.lowest_admitted_graduate_id = None;
                }
            }
            let hidden = role == Role::Company && v.graduate_consent != Some(true);
            AssignmentView {
                graduate_id: r.graduate_id,
                graduate_name: if hidden { None } else { v.graduate_name },
                graduate_major: if hidden { None } else { v.graduate_major },
                school_id: r.school_id,
                school_name: v.school_name,
                posting_id: r.posting_id,
                posting_title: v.posting_title,
                company_id: r.company_id,
                company_name: v.company_name,
                project_id: v.project_id,
                consent_purpose: if hidden { None } else { purposes.get(&r.graduate_id).cloned() },
                graduate_rank: r.graduate_rank,
                posting_rank: r.posting_rank,
                score: r.score.as_ref().map(|s| s.0.clone()),
                explanation: Explanation { zh, en, reasons: serde_json::to_value(&note).unwrap_or_default() },
            }
        })
        .collect()
}

/// Rows with their notes parsed and every posting they name looked up.
pub async fn graduate_page(
    db: &Db,
    id: i64,
    filter: RowFilter,
    role: Role,
    page: PageRequest,
) -> AppResult<(Vec<AssignmentView>, i64)> {
    let (rows, total) = store::graduate_rows(&mut db.read().await?, id, filter, page).await?;
    let notes = rows.iter().map(|v| note_of(&v.row.explanation.0)).collect::<AppResult<Vec<_>>>()?;
    let labels = labels(db, &rows, &notes).await?;
    let purposes = purposes(db, &rows).await?;
    Ok((render(rows, notes, &labels, &purposes, role), total))
}

/// The purpose of each row's graduate's latest consent given (companies are shown it).
async fn purposes(db: &Db, rows: &[GraduateRowView]) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = rows.iter().filter(|v| v.graduate_consent == Some(true)).map(|v| v.row.graduate_id).collect();
    Ok(crate::store::consent::purposes(&mut db.read().await?, &ids).await?.into_iter().collect())
}

/// A graduate's own rows in published rounds, latest first, as (round id, round name,
/// published at, the row as the graduate's school reads it).
pub async fn of_graduate(
    db: &Db,
    graduate_id: i64,
) -> AppResult<Vec<(i64, String, Option<chrono::DateTime<chrono::Utc>>, AssignmentView)>> {
    let own = store::published_rows_of(&mut db.read().await?, graduate_id).await?;
    let mut heads = Vec::with_capacity(own.len());
    let mut rows = Vec::with_capacity(own.len());
    for o in own {
        heads.push((o.round_id, o.round_name, o.published_at));
        rows.push(o.view);
    }
    let notes = rows.iter().map(|v| note_of(&v.row.explanation.0)).collect::<AppResult<Vec<_>>>()?;
    let labels = labels(db, &rows, &notes).await?;
    let purposes = purposes(db, &rows).await?;
    let views = render(rows, notes, &labels, &purposes, Role::School);
    Ok(heads.into_iter().zip(views).map(|((id, name, at), view)| (id, name, at, view)).collect())
}

pub async fn assignments(
    db: &Db,
    id: i64,
    filter: RowFilter,
    role: Role,
    page: PageRequest,
) -> AppResult<Page<AssignmentView>> {
    let (items, total) = graduate_page(db, id, filter, role, page).await?;
    Ok(Page::new(items, total, page))
}

pub fn posting_view(v: PostingRowView) -> AppResult<PostingResultView> {
    let note: PostingNote =
        serde_json::from_value(v.row.explanation.0.clone()).map_err(|e| AppError::Internal(e.into()))?;
    let (zh, en) = explain::render_posting(&note, v.row.capacity, v.row.filled);
    Ok(PostingResultView {
        posting_id: v.row.posting_id,
        posting_title: v.posting_title,
        company_id: v.row.company_id,
        company_name: v.company_name,
        project_id: v.row.project_id,
        project_name: v.project_name,
        capacity: v.row.capacity,
        filled: v.row.filled,
        explanation: Explanation { zh, en, reasons: serde_json::to_value(&note).unwrap_or_default() },
    })
}

pub async fn postings(db: &Db, id: i64, company: Option<i64>, page: PageRequest) -> AppResult<Page<PostingResultView>> {
    let (rows, total) = store::posting_rows(&mut db.read().await?, id, company, page).await?;
    let items = rows.into_iter().map(posting_view).collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

/// The instance in the `xiaoqi match solve` file format, ids as strings of the API's ids,
/// plus the round's id, seed, proposing side and lottery draw. Written by hand: it can
/// hold millions of entries, and every value is an integer.
pub async fn instance_json(db: &Db, round: &Round, school: Option<i64>, company: Option<i64>) -> AppResult<String> {
    let mut conn = db.read().await?;
    let graduates =
        if company.is_some() { Vec::new() } else { store::graduate_inputs(&mut conn, round.id, school).await? };
    let postings =
        if school.is_some() { Vec::new() } else { store::posting_inputs(&mut conn, round.id, company).await? };
    let mut out = String::with_capacity(64 + graduates.len() * 160 + postings.len() * 400);
    let settings = &round.settings;
    let proposing = serde_json::to_string(&settings.proposing).map_err(|e| AppError::Internal(e.into()))?;
    let _ = write!(out, "{{\"round_id\":{},\"seed\":{},\"proposing\":{proposing},", round.id, settings.seed);
    let list = |out: &mut String, ids: &[i64]| {
        out.push('[');
        for (i, id) in ids.iter().enumerate() {
            let _ = write!(out, "{}\"{id}\"", if i > 0 { "," } else { "" });
        }
        out.push(']');
    };
    out.push_str("\"graduates\":{");
    for (i, g) in graduates.iter().enumerate() {
        let _ = write!(out, "{}\"{}\":", if i > 0 { "," } else { "" }, g.graduate_id);
        list(&mut out, &g.preferences.0);
    }
    out.push_str("},\"postings\":{");
    for (i, p) in postings.iter().enumerate() {
        let _ = write!(out, "{}\"{}\":", if i > 0 { "," } else { "" }, p.posting_id);
        list(&mut out, &p.preferences.0);
    }
    out.push_str("},\"capacities\":{");
    for (i, p) in postings.iter().enumerate() {
        let _ = write!(out, "{}\"{}\":{}", if i > 0 { "," } else { "" }, p.posting_id, p.capacity);
    }
    out.push_str("},\"lottery\":{\"graduates\":{");
    for (i, g) in graduates.iter().enumerate() {
        let _ = write!(out, "{}\"{}\":{}", if i > 0 { "," } else { "" }, g.graduate_id, g.lottery);
    }
    out.push_str("},\"postings\":{");
    for (i, p) in postings.iter().enumerate() {
        let _ = write!(out, "{}\"{}\":{}", if i > 0 { "," } else { "" }, p.posting_id, p.lottery);
    }
    out.push_str("}}}");
    Ok(out)
}
