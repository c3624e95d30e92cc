//! One graduate's outcome in a round as its page shows it: the preference list the round
//! used, entry by entry with what became of it, the choices left out, and the explanation.

use super::explain::GraduateNote;
use super::results::{self, AssignmentView};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::store::rounds::{self as store, RowFilter};
use crate::store::{Db, PageRequest};
use std::collections::HashMap;

/// What became of one entry of the graduate's list.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryOutcome {
    /// The graduate was placed here.
    Matched,
    /// Full with graduates the company ranked higher: the last admitted and this one's
    /// rank in the company's list (1-based).
    Full { lowest_admitted_rank: u32, your_rank: u32 },
    /// The company did not rank the graduate.
    NotRanked,
    /// The posting had no seats in this round.
    NoSeats,
    /// Below the posting the graduate got: never needed.
    Below,
}

/// One entry of the graduate's list, in the round's order.
#[derive(Debug, Clone)]
pub struct ListEntry {
    /// 1-based.
    pub position: u32,
    pub posting_id: i64,
    pub title: String,
    pub company: String,
    /// The graduate's own choice (志愿), not a suggestion by score.
    pub own_choice: bool,
    pub outcome: EntryOutcome,
}

/// An explicit choice that did not enter the round, and why (both languages).
#[derive(Debug, Clone)]
pub struct LeftOut {
    /// 1-based position among the graduate's choices.
    pub choice: u32,
    pub title: String,
    pub company: String,
    pub zh: String,
    pub en: String,
}

/// A graduate's row with its list and the choices left out.
#[derive(Debug)]
pub struct GraduateResult {
    pub row: AssignmentView,
    pub list: Vec<ListEntry>,
    pub left_out: Vec<LeftOut>,
}

/// Coordinators read any graduate's list, a school its own graduates'; a company never
/// reads a graduate's other choices.
pub async fn graduate(db: &Db, actor: &super::Actor, id: i64, graduate_id: i64) -> AppResult<GraduateResult> {
    if actor.role == Role::Company {
        return Err(AppError::Forbidden);
    }
    super::with_results(db, actor, id).await?;
    let filter = super::row_filter(actor, RowFilter { graduate_id: Some(graduate_id), ..RowFilter::default() });
    let (mut rows, _) =
        store::graduate_rows(&mut db.read().await?, id, filter, PageRequest { page: 1, per_page: 1 }).await?;
    let view = rows.pop().ok_or(AppError::NotFound)?;
    let note: GraduateNote = results::note_of(&view.row.explanation.0)?;
    let preferences = view.row.preferences.0.clone();
    let matched_at = view.row.graduate_rank.and_then(|r| u32::try_from(r).ok());
    let mut names = results::labels(db, std::slice::from_ref(&view), std::slice::from_ref(&note)).await?;
    let missing: Vec<i64> = preferences.iter().copied().filter(|p| !names.contains_key(p)).collect();
    for (posting, title, company) in store::posting_labels(&mut db.read().await?, &missing).await? {
        names.insert(posting, (title, company));
    }
    let list = entries(&preferences, &note, matched_at, &names);
    let left_out = note
        .dropped
        .iter()
        .map(|d| {
            let (title, company) = names.get(&d.posting_id).cloned().unwrap_or_default();
            LeftOut { choice: d.choice, title, company, zh: d.zh.clone(), en: d.en.clone() }
        })
        .collect();
    let purposes = HashMap::new();
    let row = results::render(vec![view], vec![note], &names, &purposes, actor.role).pop().ok_or(AppError::NotFound)?;
    Ok(GraduateResult { row, list, left_out })
}

/// The list in order, each entry with its outcome: the match, the reasons recorded for
/// those above it, and "not needed" below it.
fn entries(
    preferences: &[i64],
    note: &GraduateNote,
    matched_at: Option<u32>,
    names: &HashMap<i64, (String, String)>,
) -> Vec<ListEntry> {
    preferences
        .iter()
        .enumerate()
        .map(|(i, posting_id)| {
            let position = i as u32 + 1;
            let above = note.above.iter().find(|a| a.position == position);
            let outcome = match (matched_at, above) {
                (Some(m), _) if m == position => EntryOutcome::Matched,
                (Some(m), _) if position > m => EntryOutcome::Below,
                (_, Some(a)) if a.code == "full" => EntryOutcome::Full {
                    lowest_admitted_rank: a.lowest_admitted_rank.unwrap_or(0),
                    your_rank: a.your_rank.unwrap_or(0),
                },
                (_, Some(a)) if a.code == "not_ranked" => EntryOutcome::NotRanked,
                _ => EntryOutcome::NoSeats,
            };
            let (title, company) = names.get(posting_id).cloned().unwrap_or_default();
            ListEntry {
                position,
                posting_id: *posting_id,
                title,
                company,
                own_choice: position <= note.explicit,
                outcome,
            }
        })
        .collect()
}
