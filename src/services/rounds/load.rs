//! Loading what a round is built from: its postings (with seats left), graduates,
//! choices and shortlists, under the round's scope.

use super::prepare::{DropReason, Pool};
use crate::domain::round::RoundSettings;
use crate::store::rounds as store;
use crate::store::search_source::{self, GraduateSource, PostingSource};
use crate::store::{Db, offers, preferences};
use std::collections::{HashMap, HashSet};

/// Rows read per query while loading.
const LOAD_BATCH: i64 = 5_000;

/// Everything a round is built from.
pub struct Loaded {
    pub postings: Vec<PostingSource>,
    pub capacities: Vec<u32>,
    pub graduates: Vec<GraduateSource>,
    pub choices: Vec<Vec<i64>>,
    pub shortlists: Vec<Vec<i64>>,
    pub absent: HashMap<i64, DropReason>,
}

pub fn pool_of(loaded: &Loaded) -> Pool<'_> {
    Pool {
        postings: &loaded.postings,
        graduates: &loaded.graduates,
        choices: &loaded.choices,
        shortlists: &loaded.shortlists,
        absent: &loaded.absent,
        capacities: &loaded.capacities,
    }
}

/// Load a round's pool; `today` (Asia/Shanghai) leaves out postings past their closing day
/// even before the sweep closes them.
pub async fn load(db: &Db, settings: &RoundSettings, today: chrono::NaiveDate) -> anyhow::Result<Loaded> {
    let scope = &settings.scope;
    let mut conn = db.read().await?;
    // "What is left" after the excluded round and every round it excluded in turn: a third
    // round after a second must not place again whom the first placed. A published round's
    // placements are offers by now, counted below from the offers themselves (a declined
    // or expired one gives its seat and its graduate back).
    let mut placed = HashSet::new();
    let mut taken: HashMap<i64, u32> = HashMap::new();
    let mut next = scope.exclude_matched_in_round;
    let mut seen = HashSet::new();
    while let Some(round) = next.filter(|r| seen.insert(*r)) {
        let excluded = store::get(&mut conn, round).await?;
        if excluded.as_ref().is_some_and(|r| r.status != crate::domain::RoundStatus::Published) {
            for (g, p) in store::placements(&mut conn, round).await? {
                placed.insert(g);
                *taken.entry(p).or_default() += 1;
            }
        }
        next = excluded.and_then(|r| r.settings.scope.exclude_matched_in_round);
    }
    // Seats held by offers still waiting for answers, and seats already filled.
    for (p, n) in
        offers::pending_by_posting(&mut conn).await?.into_iter().chain(offers::filled_by_posting(&mut conn).await?)
    {
        *taken.entry(p).or_default() += n.max(0) as u32;
    }

    // An event's scope: the postings its registered companies bring, the graduates of its
    // registered schools (unless schools or graduates are named).
    let (event_postings, event_schools) = match scope.event_id {
        Some(event) => {
            let mut postings = HashSet::new();
            let mut schools = HashSet::new();
            for r in crate::store::events::taking_part(&mut conn, event).await? {
                match r.kind {
                    crate::domain::OrgKind::School => {
                        schools.insert(r.organization_id);
                    }
                    _ => postings.extend(r.posting_ids.0.iter().copied()),
                }
            }
            (Some(postings), Some(schools))
        }
        None => (None, None),
    };
    let posting_ids: Option<HashSet<i64>> =
        scope.posting_ids.as_ref().map(|ids| ids.iter().copied().collect()).or(event_postings);
    let project_ids: Option<HashSet<i64>> = scope.project_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let in_scope = |p: &PostingSource| match (&posting_ids, &project_ids) {
        (Some(ids), _) => ids.contains(&p.posting.id),
        (None, Some(ids)) => p.posting.fields.project_id.is_some_and(|id| ids.contains(&id)),
        (None, None) => true,
    };
    let mut postings = Vec::new();
    let mut capacities = Vec::new();
    let mut absent = HashMap::new();
    let mut after = 0;
    loop {
        let batch = search_source::open_postings_after(&mut conn, after, LOAD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.posting.id;
        for p in batch {
            let left = (p.posting.fields.headcount.max(0) as u32)
                .saturating_sub(taken.get(&p.posting.id).copied().unwrap_or(0));
            if p.posting.fields.closes_on.is_some_and(|day| day < today) {
                absent.insert(p.posting.id, DropReason::NotOpen);
            } else if !in_scope(&p) {
                absent.insert(p.posting.id, DropReason::OutOfScope);
            } else if left == 0 {
                absent.insert(p.posting.id, DropReason::NoSeatsLeft);
            } else {
                capacities.push(left);
                postings.push(p);
            }
        }
    }

    let school_ids: Option<HashSet<i64>> =
        scope.school_ids.as_ref().map(|ids| ids.iter().copied().collect()).or(event_schools);
    let graduate_ids: Option<HashSet<i64>> = scope.graduate_ids.as_ref().map(|ids| ids.iter().copied().collect());
    let mut graduates = Vec::new();
    let mut after = 0;
    loop {
        let batch = search_source::seeking_graduates_after(&mut conn, after, LOAD_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.graduate.id;
        graduates.extend(batch.into_iter().filter(|g| {
            let id = g.graduate.id;
            !placed.contains(&id)
                && match (&graduate_ids, &school_ids) {
                    (Some(ids), _) => ids.contains(&id),
                    (None, Some(ids)) => ids.contains(&g.graduate.organization_id),
                    (None, None) => true,
                }
        }));
    }

    let graduate_at: HashMap<i64, usize> = graduates.iter().enumerate().map(|(i, g)| (g.graduate.id, i)).collect();
    let mut choices = vec![Vec::new(); graduates.len()];
    for (g, p) in preferences::all_choices(&mut conn).await? {
        if let Some(&at) = graduate_at.get(&g) {
            choices[at].push(p);
        }
    }
    let posting_at: HashMap<i64, usize> = postings.iter().enumerate().map(|(i, p)| (p.posting.id, i)).collect();
    let mut shortlists = vec![Vec::new(); postings.len()];
    for (p, g) in preferences::all_shortlists(&mut conn).await? {
        if let Some(&at) = posting_at.get(&p) {
            shortlists[at].push(g);
        }
    }
    Ok(Loaded { postings, capacities, graduates, choices, shortlists, absent })
}
