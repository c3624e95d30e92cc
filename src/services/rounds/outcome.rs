//! What a solved round writes: a row per graduate and per posting, and the statistics.

use super::explain::{self, GraduateNote, MovedNote, UnplacedNote};
use super::load::Loaded;
use super::prepare::{Prepared, Rules};
use super::supplement::Solved;
use crate::domain::round::{ProjectFill, RoundStats, SchoolPlacement};
use crate::matching::eligibility::Openings;
use crate::matching::score::{GraduateProfile, PostingProfile};
use crate::matching::{Explanations, score};
use crate::store::rounds::{GraduateRow, PostingRow};
use sqlx::types::Json;
use std::collections::BTreeMap;

pub struct Results {
    pub graduates: Vec<GraduateRow>,
    pub postings: Vec<PostingRow>,
    pub stats: RoundStats,
}

/// What became of the graduates across the passes, for the statistics.
#[derive(Default)]
struct Tally {
    placeable: i64,
    own_choice: i64,
    by_supplementary: i64,
    moved: i64,
    unplaced: BTreeMap<String, i64>,
}

pub fn results(
    loaded: &Loaded,
    rules: &Rules,
    prepared: &Prepared,
    solved: &Solved,
    explanations: &Explanations,
) -> Results {
    let (instance, assignment) = (&solved.instance, &solved.assignment);
    let posting_ids: Vec<i64> = loaded.postings.iter().map(|p| p.posting.id).collect();
    let graduate_ids: Vec<i64> = loaded.graduates.iter().map(|g| g.graduate.id).collect();
    let profiles: Vec<PostingProfile> = loaded.postings.iter().map(|p| PostingProfile::of(&p.posting.fields)).collect();
    // Every posting in the round, and those with seats left at the end.
    let all = Openings::of(&profiles);
    let filled: Vec<u32> = explanations.postings.iter().map(|p| p.filled).collect();
    let with_free_seats =
        Openings::of(profiles.iter().enumerate().filter(|(p, _)| filled[*p] < loaded.capacities[*p]).map(|(_, f)| f));
    let mut tally = Tally::default();

    let mut graduates = Vec::with_capacity(graduate_ids.len());
    for (g, source) in loaded.graduates.iter().enumerate() {
        let outcome = &explanations.graduates[g];
        let matched = assignment.posting_of[g];
        let list = instance.graduate_list(g as u32);
        let mut note: GraduateNote = explain::graduate_note(
            outcome,
            list.len(),
            prepared.explicit[g],
            &prepared.dropped[g],
            &posting_ids,
            &graduate_ids,
        );
        let main_len = solved.main_len[g];
        if (list.len() as u32) > main_len {
            note.offered_from = Some(main_len + 1);
        }
        let profile = GraduateProfile::of(&source.graduate.fields);
        let excluded = if profile.consent { all.excluded_by(&profile) } else { None };
        tally.placeable += i64::from(profile.consent && excluded.is_none());
        // The main solve's place, when the final one is lower on the graduate's list.
        let at = |p: Option<u32>| p.and_then(|p| list.iter().position(|q| *q == p));
        let (before, after) = (at(solved.main.posting_of[g]), at(matched));
        if let Some(position) = before
            && after.is_none_or(|after| after > position)
        {
            tally.moved += 1;
            note.moved_from =
                Some(MovedNote { posting_id: posting_ids[list[position] as usize], position: position as u32 + 1 });
        }
        match after {
            Some(r) if r < prepared.explicit[g] as usize => tally.own_choice += 1,
            Some(r) if r >= main_len as usize => tally.by_supplementary += 1,
            Some(_) => {}
            None => {
                let (code, excluded_by) = if !profile.consent {
                    ("no_consent", None)
                } else if let Some(rule) = excluded {
                    ("no_eligible_posting", Some(rule.to_string()))
                } else if with_free_seats.excluded_by(&profile).is_some() {
                    ("all_full", None)
                } else {
                    ("not_offered", None)
                };
                *tally.unplaced.entry(code.to_string()).or_default() += 1;
                note.unplaced = Some(UnplacedNote { code: code.to_string(), excluded_by });
            }
        }
        let score = matched.map(|p| {
            let relevance = outcome.rank.map_or(0.0, |r| prepared.relevance[g][r as usize]);
            let breakdown =
                score(&loaded.postings[p as usize].posting, &source.graduate, f64::from(relevance), &rules.weights);
            Json(serde_json::to_value(breakdown).unwrap_or_default())
        });
        graduates.push(GraduateRow {
            graduate_id: source.graduate.id,
            school_id: source.graduate.organization_id,
            preferences: Json(instance.graduate_list(g as u32).iter().map(|p| posting_ids[*p as usize]).collect()),
            lottery: prepared.graduate_lottery[g],
            posting_id: matched.map(|p| posting_ids[p as usize]),
            company_id: matched.map(|p| loaded.postings[p as usize].posting.organization_id),
            graduate_rank: outcome.rank.map(|r| i64::from(r) + 1),
            posting_rank: outcome.posting_rank.map(|r| i64::from(r) + 1),
            score,
            explanation: Json(serde_json::to_value(&note).unwrap_or_default()),
        });
    }

    let mut postings = Vec::with_capacity(posting_ids.len());
    for (p, source) in loaded.postings.iter().enumerate() {
        let note = explain::posting_note(&explanations.postings[p], prepared.shortlisted[p]);
        postings.push(PostingRow {
            posting_id: source.posting.id,
            company_id: source.posting.organization_id,
            project_id: source.posting.fields.project_id,
            preferences: Json(instance.posting_list(p as u32).iter().map(|g| graduate_ids[*g as usize]).collect()),
            lottery: prepared.posting_lottery[p],
            capacity: i64::from(loaded.capacities[p]),
            filled: i64::from(explanations.postings[p].filled),
            explanation: Json(serde_json::to_value(&note).unwrap_or_default()),
        });
    }
    let stats = stats(loaded, prepared, &postings, &graduates, tally, solved.passes);
    Results { graduates, postings, stats }
}

fn rate(part: i64, whole: i64) -> f64 {
    if whole > 0 { (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0 } else { 0.0 }
}

fn stats(
    loaded: &Loaded,
    prepared: &Prepared,
    postings: &[PostingRow],
    graduates: &[GraduateRow],
    tally: Tally,
    passes: u32,
) -> RoundStats {
    let seats: i64 = postings.iter().map(|p| p.capacity).sum();
    let matched = graduates.iter().filter(|g| g.posting_id.is_some()).count() as i64;

    let mut by_project: BTreeMap<Option<i64>, ProjectFill> = BTreeMap::new();
    for (row, source) in postings.iter().zip(&loaded.postings) {
        let entry = by_project.entry(row.project_id).or_insert_with(|| ProjectFill {
            project_id: row.project_id,
            project_name: source.project_name.clone(),
            postings: 0,
            seats: 0,
            filled: 0,
            fill_rate: 0.0,
        });
        entry.postings += 1;
        entry.seats += row.capacity;
        entry.filled += row.filled;
    }
    let by_project = by_project
        .into_values()
        .map(|mut f| {
            f.fill_rate = rate(f.filled, f.seats);
            f
        })
        .collect();

    let mut by_school: BTreeMap<i64, SchoolPlacement> = BTreeMap::new();
    for (row, source) in graduates.iter().zip(&loaded.graduates) {
        let entry = by_school.entry(row.school_id).or_insert_with(|| SchoolPlacement {
            school_id: row.school_id,
            school_name: source.organization_name.clone(),
            graduates: 0,
            matched: 0,
            placement_rate: 0.0,
        });
        entry.graduates += 1;
        entry.matched += i64::from(row.posting_id.is_some());
    }
    let by_school = by_school
        .into_values()
        .map(|mut s| {
            s.placement_rate = rate(s.matched, s.graduates);
            s
        })
        .collect();

    RoundStats {
        graduates: graduates.len() as i64,
        postings: postings.len() as i64,
        seats,
        matched,
        unmatched: graduates.len() as i64 - matched,
        placeable: tally.placeable,
        fill_rate: rate(matched, tally.placeable.min(seats)),
        seat_fill_rate: rate(matched, seats),
        placed_in_own_choice: tally.own_choice,
        supplementary_passes: i64::from(passes),
        placed_by_supplementary: tally.by_supplementary,
        moved: tally.moved,
        unmatched_by_reason: tally.unplaced,
        dropped_choices: prepared.dropped.iter().map(|d| d.len() as i64).sum(),
        by_project,
        by_school,
        timings_ms: serde_json::Value::Null,
    }
}
