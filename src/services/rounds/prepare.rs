//! From a round's postings, graduates, choices and shortlists to the preference lists the
//! solver takes. Pure: the job loads the data and saves the result.
//!
//! - A graduate's list: its explicit choices that are in the round and eligible, in its
//!   order; then, when the round fills from scores, its best-scoring other eligible
//!   postings up to `candidates_per_graduate` entries in all.
//! - A posting's list: its shortlist (graduates in the round, eligible), in its order;
//!   then every other graduate who listed it, best score first.
//! - Equal scores are ordered by a lottery number drawn per graduate and per posting from
//!   the round's seed (see [`lottery`]); the numbers are stored with the inputs.

use super::relevance::TextIndex;
use crate::domain::{GraduateStatus, PostingStatus, Weights};
use crate::matching::eligibility::{is_eligible, location_allowed};
use crate::matching::score::{GraduateProfile, Normalised, PostingProfile, score_profiles};
use crate::matching::{Ineligible, eligibility};
use crate::store::search_source::{GraduateSource, PostingSource};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why an explicit choice did not enter the round.
#[derive(Debug, Clone, PartialEq)]
pub enum DropReason {
    /// The posting is not open (or no longer exists).
    NotOpen,
    /// The posting is open but outside this round's scope.
    OutOfScope,
    /// Its seats were all taken in the round this one excludes.
    NoSeatsLeft,
    Ineligible(Ineligible),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub posting_id: i64,
    /// 1-based position in the graduate's choices.
    pub choice: u32,
    pub reason: DropReason,
}

/// What the round is built from; `choices[g]` and `shortlists[p]` align with `graduates`
/// and `postings`.
pub struct Pool<'a> {
    pub postings: &'a [PostingSource],
    pub graduates: &'a [GraduateSource],
    pub choices: &'a [Vec<i64>],
    pub shortlists: &'a [Vec<i64>],
    /// Chosen postings that are not in the round, and why.
    pub absent: &'a HashMap<i64, DropReason>,
}

/// How lists are built.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub fill_from_scores: bool,
    pub candidates_per_graduate: usize,
    pub weights: Weights,
    pub seed: i64,
}

/// The solver's input, with what explains it.
pub struct Prepared {
    pub graduate_lists: Vec<Vec<u32>>,
    pub posting_lists: Vec<Vec<u32>>,
    /// How many leading entries of each graduate's list are its explicit choices.
    pub explicit: Vec<u32>,
    /// How many leading entries of each posting's list are its shortlist.
    pub shortlisted: Vec<u32>,
    pub dropped: Vec<Vec<Dropped>>,
    /// The text relevance of each entry of each graduate's list (scores are recomputed
    /// from it for the pairs that matched).
    pub relevance: Vec<Vec<f32>>,
    pub graduate_lottery: Vec<i64>,
    pub posting_lottery: Vec<i64>,
}

/// A number in 0..2⁶³ for (seed, side, id): independent of who else is in the round, so
/// the same graduate draws the same number whatever the scope. SplitMix64 finaliser.
pub fn lottery(seed: i64, side: u64, id: i64) -> i64 {
    let mut z =
        (seed as u64) ^ side.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (id as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 1) as i64
}

const GRADUATE_SIDE: u64 = 1;
const POSTING_SIDE: u64 = 2;

pub fn posting_text(p: &PostingSource) -> String {
    let f = &p.posting.fields;
    format!("{} {} {} {}", f.title, f.majors.join(" "), f.category.label_zh(), f.description.as_deref().unwrap_or(""))
}

pub fn graduate_query(g: &GraduateSource) -> String {
    let f = &g.graduate.fields;
    format!("{} {} {}", f.major, f.skills.join(" "), f.certificates.join(" "))
}

/// Candidates scored by text coverage before the full score (keeps scoring cheap).
fn shortlist_size(k: usize) -> usize {
    (4 * k).max(40)
}

/// Build every list. `done` counts graduates processed (for progress); work is split over
/// `threads` threads.
pub fn prepare(pool: &Pool, rules: &Rules, done: &AtomicUsize, threads: usize) -> Prepared {
    let texts: Vec<String> = pool.postings.iter().map(posting_text).collect();
    let index = TextIndex::build(texts.iter().map(String::as_str));
    let profiles: Vec<PostingProfile> = pool.postings.iter().map(|p| PostingProfile::of(&p.posting.fields)).collect();
    let keys = PostingKeys::of(&profiles);
    let posting_at: HashMap<i64, u32> =
        pool.postings.iter().enumerate().map(|(i, p)| (p.posting.id, i as u32)).collect();
    let graduate_at: HashMap<i64, u32> =
        pool.graduates.iter().enumerate().map(|(i, g)| (g.graduate.id, i as u32)).collect();
    let posting_lottery: Vec<i64> =
        pool.postings.iter().map(|p| lottery(rules.seed, POSTING_SIDE, p.posting.id)).collect();
    let graduate_lottery: Vec<i64> =
        pool.graduates.iter().map(|g| lottery(rules.seed, GRADUATE_SIDE, g.graduate.id)).collect();

    // Graduate side, in parallel chunks: (list, scores, explicit count, dropped).
    let n = pool.graduates.len();
    let chunk = n.div_ceil(threads.max(1)).max(1);
    let mut per_graduate: Vec<GraduateList> = Vec::with_capacity(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                let shared = Shared {
                    index: &index,
                    keys: &keys,
                    profiles: &profiles,
                    posting_at: &posting_at,
                    posting_lottery: &posting_lottery,
                };
                s.spawn(move || {
                    let mut work = Scratch::new(pool.postings.len());
                    (start..(start + chunk).min(n))
                        .map(|g| {
                            let list = graduate_list(pool, rules, &shared, g, &mut work);
                            done.fetch_add(1, Ordering::Relaxed);
                            list
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            per_graduate.extend(h.join().expect("a list-building thread panicked"));
        }
    });

    // Posting side: who listed each posting, with the pair's score.
    let mut applicants: Vec<Vec<(u32, f32)>> = vec![Vec::new(); pool.postings.len()];
    for (g, list) in per_graduate.iter().enumerate() {
        for (p, s) in list.postings.iter().zip(&list.scores) {
            applicants[*p as usize].push((g as u32, *s));
        }
    }
    let mut posting_lists = Vec::with_capacity(pool.postings.len());
    let mut shortlisted = Vec::with_capacity(pool.postings.len());
    for (p, mut applied) in applicants.into_iter().enumerate() {
        let posting = &pool.postings[p].posting;
        let mut list: Vec<u32> = Vec::new();
        for id in &pool.shortlists[p] {
            if let Some(&g) = graduate_at.get(id)
                && eligibility(posting, &pool.graduates[g as usize].graduate).is_ok()
            {
                list.push(g);
            }
        }
        shortlisted.push(list.len() as u32);
        let on_shortlist: std::collections::HashSet<u32> = list.iter().copied().collect();
        applied.retain(|(g, _)| !on_shortlist.contains(g));
        applied.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then(graduate_lottery[a.0 as usize].cmp(&graduate_lottery[b.0 as usize]))
        });
        list.extend(applied.into_iter().map(|(g, _)| g));
        posting_lists.push(list);
    }

    let mut graduate_lists = Vec::with_capacity(n);
    let mut explicit = Vec::with_capacity(n);
    let mut dropped = Vec::with_capacity(n);
    let mut relevance = Vec::with_capacity(n);
    for list in per_graduate {
        graduate_lists.push(list.postings);
        explicit.push(list.explicit);
        dropped.push(list.dropped);
        relevance.push(list.relevance);
    }
    Prepared {
        graduate_lists,
        posting_lists,
        explicit,
        shortlisted,
        dropped,
        relevance,
        graduate_lottery,
        posting_lottery,
    }
}

struct GraduateList {
    postings: Vec<u32>,
    /// The pair's total score, per entry.
    scores: Vec<f32>,
    relevance: Vec<f32>,
    explicit: u32,
    dropped: Vec<Dropped>,
}

/// Per-thread buffers, reused from graduate to graduate.
struct Scratch {
    covered: Vec<f32>,
    touched: Vec<u32>,
    queries: HashMap<String, super::relevance::TextQuery>,
}

impl Scratch {
    fn new(postings: usize) -> Self {
        Scratch { covered: vec![0.0; postings], touched: Vec::new(), queries: HashMap::new() }
    }
}

/// What eligibility reads of each posting, with its location reduced to one of the round's
/// few distinct locations: a graduate's preferences are then checked once per location,
/// not once per posting ([`is_eligible`] decides the same, and debug builds check that).
struct PostingKeys {
    open: Vec<bool>,
    education_min: Vec<crate::domain::Education>,
    location: Vec<u32>,
    locations: Vec<Option<Normalised>>,
}

impl PostingKeys {
    fn of(profiles: &[PostingProfile]) -> Self {
        let mut ids: HashMap<Option<String>, u32> = HashMap::new();
        let mut locations = Vec::new();
        let location = profiles
            .iter()
            .map(|p| {
                let key = p.location().map(|l| l.as_str().to_string());
                *ids.entry(key).or_insert_with(|| {
                    locations.push(p.location().cloned());
                    locations.len() as u32 - 1
                })
            })
            .collect();
        PostingKeys {
            open: profiles.iter().map(|p| p.status == PostingStatus::Open).collect(),
            education_min: profiles.iter().map(|p| p.education_min).collect(),
            location,
            locations,
        }
    }

    fn allowed_locations(&self, graduate: &GraduateProfile) -> Vec<bool> {
        self.locations.iter().map(|l| location_allowed(l.as_ref(), graduate.preferred())).collect()
    }

    fn eligible(&self, p: usize, graduate: &GraduateProfile, allowed: &[bool]) -> bool {
        self.open[p]
            && graduate.status == GraduateStatus::Seeking
            && graduate.consent
            && graduate.education.meets(self.education_min[p])
            && allowed[self.location[p] as usize]
    }
}

/// What every list-building thread reads.
#[derive(Clone, Copy)]
struct Shared<'a> {
    index: &'a TextIndex,
    keys: &'a PostingKeys,
    profiles: &'a [PostingProfile],
    posting_at: &'a HashMap<i64, u32>,
    posting_lottery: &'a [i64],
}

fn graduate_list(pool: &Pool, rules: &Rules, shared: &Shared, g: usize, work: &mut Scratch) -> GraduateList {
    let Shared { index, keys, profiles, posting_at, posting_lottery } = *shared;
    let graduate = &pool.graduates[g].graduate;
    let profile = GraduateProfile::of(&graduate.fields);
    let Scratch { covered, touched, queries } = work;
    let text = graduate_query(&pool.graduates[g]);
    // Many graduates share a major and skills: tokenize each distinct text once.
    let query = queries.entry(text).or_insert_with_key(|text| index.query(text));
    let pair_score = |p: u32, relevance: f64| {
        (score_profiles(&profiles[p as usize], &profile, relevance, &rules.weights).total as f32, relevance as f32)
    };

    let mut out = GraduateList {
        postings: Vec::new(),
        scores: Vec::new(),
        relevance: Vec::new(),
        explicit: 0,
        dropped: Vec::new(),
    };
    for (at, id) in pool.choices[g].iter().enumerate() {
        let choice = at as u32 + 1;
        let Some(&p) = posting_at.get(id) else {
            let reason = pool.absent.get(id).cloned().unwrap_or(DropReason::NotOpen);
            out.dropped.push(Dropped { posting_id: *id, choice, reason });
            continue;
        };
        if let Err(why) = eligibility(&pool.postings[p as usize].posting, graduate) {
            out.dropped.push(Dropped { posting_id: *id, choice, reason: DropReason::Ineligible(why) });
            continue;
        }
        let (total, relevance) = pair_score(p, index.relevance_of(query, p));
        out.postings.push(p);
        out.scores.push(total);
        out.relevance.push(relevance);
    }
    out.explicit = out.postings.len() as u32;
    let wanted = rules.candidates_per_graduate;
    if !rules.fill_from_scores || out.postings.len() >= wanted {
        return out;
    }

    // Candidates: eligible postings sharing words with the graduate, most covered first;
    // when there are too few, every other eligible posting too (a graduate whose words match
    // nothing still deserves the postings that fit its major, place and pay).
    let allowed = keys.allowed_locations(&profile);
    let listed = &out.postings;
    let may_add = |p: u32| {
        let ok = keys.eligible(p as usize, &profile, &allowed);
        debug_assert_eq!(ok, is_eligible(&profiles[p as usize], &profile));
        ok && !listed.contains(&p)
    };
    touched.clear();
    index.accumulate(query, covered, touched);
    let covered_ro: &[f32] = covered;
    let by_coverage = |a: &u32, b: &u32| {
        covered_ro[*b as usize]
            .total_cmp(&covered_ro[*a as usize])
            .then(posting_lottery[*a as usize].cmp(&posting_lottery[*b as usize]))
    };
    let mut top: Vec<u32> = touched.iter().copied().filter(|&p| may_add(p)).collect();
    let keep = shortlist_size(wanted);
    if top.len() > keep {
        top.select_nth_unstable_by(keep, by_coverage);
        top.truncate(keep);
    }
    let mut scored: Vec<(u32, (f32, f32))> =
        top.iter().map(|&p| (p, pair_score(p, TextIndex::relevance(query, covered_ro[p as usize])))).collect();
    if scored.len() + listed.len() < wanted {
        // Untouched postings share no word with the graduate: their text relevance is 0.
        for p in 0..pool.postings.len() as u32 {
            if covered_ro[p as usize] == 0.0 && may_add(p) {
                scored.push((p, pair_score(p, 0.0)));
            }
        }
    }
    // Only touched slots are non-zero: clearing them, not the whole array, keeps this O(touched).
    for &p in touched.iter() {
        covered[p as usize] = 0.0;
    }
    scored.sort_by(|a, b| {
        b.1.0.total_cmp(&a.1.0).then(posting_lottery[a.0 as usize].cmp(&posting_lottery[b.0 as usize]))
    });
    for (p, (total, relevance)) in scored.into_iter().take(wanted - out.postings.len()) {
        out.postings.push(p);
        out.scores.push(total);
        out.relevance.push(relevance);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Education;
    use crate::matching::score::tests::{graduate, posting};

    fn postings(n: i64) -> Vec<PostingSource> {
        (1..=n)
            .map(|id| {
                let mut p = posting(&["数控技术"], Education::TechnicalSchool);
                p.id = id;
                p.organization_id = 100 + id % 2;
                p.fields.title = if id % 2 == 0 { "数控车床操作工".into() } else { "仓库管理员".into() };
                PostingSource { posting: p, organization_name: "企业".into(), project_name: None, park: None }
            })
            .collect()
    }

    fn graduates(n: i64) -> Vec<GraduateSource> {
        (1..=n)
            .map(|id| {
                let mut g = graduate("数控技术", Education::Associate);
                g.id = 1000 + id;
                g.fields.preferred_locations = sqlx::types::Json(vec![]);
                GraduateSource { graduate: g, organization_name: "学校".into(), consent_purpose: None }
            })
            .collect()
    }

    fn rules(k: usize) -> Rules {
        Rules { fill_from_scores: true, candidates_per_graduate: k, weights: Weights::default(), seed: 9 }
    }

    #[test]
    fn lists_put_explicit_choices_first_and_explain_what_was_left_out() {
        let ps = postings(6);
        let mut gs = graduates(3);
        gs[2].graduate.fields.education = Education::JuniorHigh;
        let choices = vec![vec![3, 1, 77, 88], vec![], vec![2]];
        let shortlists = vec![vec![], vec![1003, 1002], vec![], vec![], vec![], vec![]];
        let absent = HashMap::from([(88, DropReason::OutOfScope)]);
        let pool = Pool { postings: &ps, graduates: &gs, choices: &choices, shortlists: &shortlists, absent: &absent };
        let done = AtomicUsize::new(0);
        let out = prepare(&pool, &rules(4), &done, 2);
        assert_eq!(done.load(Ordering::Relaxed), 3);

        // Graduate 0: choices 3 and 1 (indices 2 and 0) first, then two more by score.
        assert_eq!(&out.graduate_lists[0][..2], &[2, 0]);
        assert_eq!(out.explicit[0], 2);
        assert_eq!(out.graduate_lists[0].len(), 4);
        let reasons: Vec<_> = out.dropped[0].iter().map(|d| (d.posting_id, d.choice, d.reason.clone())).collect();
        assert_eq!(reasons, vec![(77, 3, DropReason::NotOpen), (88, 4, DropReason::OutOfScope)]);
        // Filled entries are the best-scoring: the 数控 titles (odd indices) before 仓库.
        for p in &out.graduate_lists[0][2..] {
            assert_eq!(ps[*p as usize].posting.fields.title, "数控车床操作工", "{:?}", out.graduate_lists[0]);
        }
        // Graduate 1 chose nothing: four suggestions, no duplicates.
        let mut seen = out.graduate_lists[1].clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 4);
        // Graduate 2 is below every posting's minimum: nothing at all, and its choice explained.
        assert!(out.graduate_lists[2].is_empty());
        assert!(matches!(out.dropped[2][0].reason, DropReason::Ineligible(Ineligible::EducationBelowMinimum { .. })));

        // Posting 1 (index 1): shortlist first (the ineligible 1003 left out), then everyone
        // else who listed it.
        assert_eq!(out.posting_lists[1][0], 1);
        assert_eq!(out.shortlisted[1], 1);
        for (p, list) in out.posting_lists.iter().enumerate() {
            let applicants = out.graduate_lists.iter().filter(|l| l.contains(&(p as u32))).count();
            assert_eq!(list.len(), applicants.max(out.shortlisted[p] as usize), "posting {p}: {list:?}");
        }
    }

    #[test]
    fn the_same_pool_and_seed_give_the_same_lists_and_the_lottery_ignores_scope() {
        let ps = postings(8);
        let gs = graduates(20);
        let choices = vec![Vec::new(); gs.len()];
        let shortlists = vec![Vec::new(); ps.len()];
        let absent = HashMap::new();
        let pool = Pool { postings: &ps, graduates: &gs, choices: &choices, shortlists: &shortlists, absent: &absent };
        let a = prepare(&pool, &rules(3), &AtomicUsize::new(0), 1);
        let b = prepare(&pool, &rules(3), &AtomicUsize::new(0), 3);
        assert_eq!(a.graduate_lists, b.graduate_lists);
        assert_eq!(a.posting_lists, b.posting_lists);
        assert_eq!(a.graduate_lottery, b.graduate_lottery);
        // Every graduate here is identical, so their order on a posting is the lottery's.
        for list in &a.posting_lists {
            let draws: Vec<i64> = list.iter().map(|g| a.graduate_lottery[*g as usize]).collect();
            assert!(draws.windows(2).all(|w| w[0] <= w[1]), "{draws:?}");
        }
        assert_eq!(lottery(9, GRADUATE_SIDE, 1005), a.graduate_lottery[4]);
        assert_ne!(lottery(9, GRADUATE_SIDE, 1005), lottery(10, GRADUATE_SIDE, 1005));
        assert!(lottery(9, POSTING_SIDE, i64::MAX) >= 0);
    }
}
