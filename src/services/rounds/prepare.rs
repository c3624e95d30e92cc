//! From a round's postings, graduates, choices and shortlists to the preference lists the
//! solver takes. Pure: the job loads the data and saves the result.
//!
//! - A graduate's list: its explicit choices that are in the round and eligible, in its
//!   order; then, when the round fills from scores, other eligible postings up to
//!   `candidates_per_graduate` entries in all, chosen seeing demand (half by score alone,
//!   half from postings with room: see [`Builder::choose_fill`]) and listed by score.
//! - A posting's list: its shortlist (graduates in the round, eligible), in its order;
//!   then every other graduate who listed it, best score first.
//! - The supplementary pass (`supplement.rs`) appends to both kinds of list by the same rules.
//! - Equal scores are ordered by a lottery number drawn per graduate and per posting from
//!   the round's seed (see [`lottery`]); the numbers are stored with the inputs.

use super::relevance::{GroupedPostings, NO_GROUP, TextIndex, TextQuery};
use crate::domain::{GraduateStatus, PostingStatus, Weights};
use crate::matching::eligibility::{is_eligible, location_allowed};
use crate::matching::score::{
    GraduateProfile, Normalised, PostingProfile, location_fit_of, major_fit_of, score_profiles, score_with_fits,
};
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
    /// Seats of each posting in this round.
    pub capacities: &'a [u32],
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
    /// The pair's total score of each entry of each graduate's list.
    pub scores: Vec<Vec<f32>>,
    /// The scores of each posting's applicants after its shortlist, in its order (a newcomer
    /// from the supplementary pass is placed among them by the same rule).
    pub posting_scores: Vec<Vec<f32>>,
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

/// Applicants per seat (counted over the lists built so far) below which a posting is said to
/// have room: a graduate's suggestions past its best-scoring half come from postings with room.
const ROOM_PER_SEAT: u32 = 2;

/// A scored pair: the posting, the pair's total score and its text relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub posting: u32,
    pub score: f32,
    pub relevance: f32,
}

/// What lists are built from, computed once per round and shared by every list-building
/// thread (the main build and each supplementary pass).
pub struct Builder<'a> {
    pool: &'a Pool<'a>,
    rules: Rules,
    index: TextIndex,
    /// The index's postings by eligibility group, so a graduate's walk skips the groups it
    /// may not join.
    grouped: GroupedPostings,
    keys: PostingKeys,
    profiles: Vec<PostingProfile>,
    /// Each graduate's row in `major_fit`, when its major is common enough to have one.
    major_row: Vec<Option<u32>>,
    /// The major component of the score, per common major and posting: comparing major names
    /// is the costly part of scoring a pair, and a round's graduates share a few majors.
    major_fit: Vec<Vec<f64>>,
    posting_at: HashMap<i64, u32>,
    graduate_at: HashMap<i64, u32>,
    pub graduate_lottery: Vec<i64>,
    pub posting_lottery: Vec<i64>,
    /// Each posting's place in lottery order, and the postings in that order.
    lottery_rank: Vec<u32>,
    by_lottery: Vec<u32>,
}

/// Graduates sharing a major before it gets a row of major fits: a row costs one comparison
/// per posting, a graduate without one about a hundred and fifty (its scored candidates).
const MAJOR_ROW_FROM: usize = 64;

/// Each graduate's row of major fits (see [`Builder::major_fit`]), and the rows.
fn major_rows(graduates: &[GraduateSource], profiles: &[PostingProfile]) -> (Vec<Option<u32>>, Vec<Vec<f64>>) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for g in graduates {
        *counts.entry(g.graduate.fields.major.as_str()).or_default() += 1;
    }
    let mut rows: HashMap<&str, u32> = HashMap::new();
    let mut fits = Vec::new();
    let row_of = graduates
        .iter()
        .map(|g| {
            let major = g.graduate.fields.major.as_str();
            (counts[major] >= MAJOR_ROW_FROM).then(|| {
                *rows.entry(major).or_insert_with(|| {
                    let major = Normalised::new(major);
                    fits.push(profiles.iter().map(|p| major_fit_of(p, &major)).collect());
                    fits.len() as u32 - 1
                })
            })
        })
        .collect();
    (row_of, fits)
}

/// What list building reads of one graduate, worked out once per graduate.
struct Seeker<'b> {
    profile: GraduateProfile,
    /// Per distinct posting location (see [`PostingKeys`]): allowed by the graduate's
    /// preferences, and the location component of the score.
    location_fit: Vec<f64>,
    major_fit: Option<&'b [f64]>,
    /// Per group of open postings (see [`PostingKeys::groups`]): may the graduate take them.
    joinable: Vec<bool>,
}

impl<'a> Builder<'a> {
    fn seeker(&self, g: usize) -> Seeker<'_> {
        let profile = GraduateProfile::of(&self.pool.graduates[g].graduate.fields);
        let allowed = self.keys.allowed_locations(&profile);
        let location_fit = self.keys.locations.iter().map(|l| location_fit_of(l.as_ref(), &profile)).collect();
        let major_fit = self.major_row[g].map(|row| self.major_fit[row as usize].as_slice());
        let joinable = self.keys.joinable(&profile, &allowed);
        Seeker { profile, location_fit, major_fit, joinable }
    }

    pub fn new(pool: &'a Pool<'a>, rules: &Rules) -> Self {
        let texts: Vec<String> = pool.postings.iter().map(posting_text).collect();
        let index = TextIndex::build(texts.iter().map(String::as_str));
        let profiles: Vec<PostingProfile> =
            pool.postings.iter().map(|p| PostingProfile::of(&p.posting.fields)).collect();
        let (major_row, major_fit) = major_rows(pool.graduates, &profiles);
        let posting_lottery: Vec<i64> =
            pool.postings.iter().map(|p| lottery(rules.seed, POSTING_SIDE, p.posting.id)).collect();
        let mut by_lottery: Vec<u32> = (0..pool.postings.len() as u32).collect();
        by_lottery.sort_by_key(|p| (posting_lottery[*p as usize], *p));
        let mut lottery_rank = vec![0; by_lottery.len()];
        for (rank, p) in by_lottery.iter().enumerate() {
            lottery_rank[*p as usize] = rank as u32;
        }
        let keys = PostingKeys::of(&profiles);
        Builder {
            grouped: index.by_group(&keys.group_of),
            keys,
            index,
            major_row,
            major_fit,
            profiles,
            posting_at: pool.postings.iter().enumerate().map(|(i, p)| (p.posting.id, i as u32)).collect(),
            graduate_at: pool.graduates.iter().enumerate().map(|(i, g)| (g.graduate.id, i as u32)).collect(),
            graduate_lottery: pool
                .graduates
                .iter()
                .map(|g| lottery(rules.seed, GRADUATE_SIDE, g.graduate.id))
                .collect(),
            posting_lottery,
            lottery_rank,
            by_lottery,
            pool,
            rules: *rules,
        }
    }

    pub fn postings(&self) -> usize {
        self.pool.postings.len()
    }

    /// `work(i, scratch)` for `i` in `0..n`, split over `threads` threads, in order.
    fn in_parallel<T: Send>(&self, n: usize, threads: usize, work: impl Fn(usize, &mut Scratch) -> T + Sync) -> Vec<T> {
        let chunk = n.div_ceil(threads.max(1)).max(1);
        let postings = self.postings();
        let mut out = Vec::with_capacity(n);
        std::thread::scope(|s| {
            let work = &work;
            let handles: Vec<_> = (0..n)
                .step_by(chunk)
                .map(|start| {
                    s.spawn(move || {
                        let mut scratch = Scratch::new(postings);
                        (start..(start + chunk).min(n)).map(|i| work(i, &mut scratch)).collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                out.extend(h.join().expect("a list-building thread panicked"));
            }
        });
        out
    }

    /// Build every list. `done` counts graduates processed (for progress); work is split over
    /// `threads` threads.
    pub fn prepare(&self, done: &AtomicUsize, threads: usize) -> Prepared {
        let pool = self.pool;
        let n = pool.graduates.len();
        let wanted = self.rules.candidates_per_graduate;
        // Graduate side, in parallel: explicit choices, and the best-scoring other eligible
        // postings (twice as many as the list has room for, so demand can choose among them).
        let built: Vec<(GraduateList, Vec<Scored>)> = self.in_parallel(n, threads, |g, work| {
            let built = self.explicit_and_pool(g, wanted, work);
            done.fetch_add(1, Ordering::Relaxed);
            built
        });
        let (mut per_graduate, pools): (Vec<GraduateList>, Vec<Vec<Scored>>) = built.into_iter().unzip();
        self.choose_fill(&mut per_graduate, pools);

        // Posting side: who listed each posting, with the pair's score.
        let mut applicants: Vec<Vec<(u32, f32)>> = vec![Vec::new(); pool.postings.len()];
        for (g, list) in per_graduate.iter().enumerate() {
            for (p, s) in list.postings.iter().zip(&list.scores) {
                applicants[*p as usize].push((g as u32, *s));
            }
        }
        let mut posting_lists = Vec::with_capacity(pool.postings.len());
        let mut posting_scores = Vec::with_capacity(pool.postings.len());
        let mut shortlisted = Vec::with_capacity(pool.postings.len());
        for (p, mut applied) in applicants.into_iter().enumerate() {
            let posting = &pool.postings[p].posting;
            let mut list: Vec<u32> = Vec::new();
            for id in &pool.shortlists[p] {
                if let Some(&g) = self.graduate_at.get(id)
                    && eligibility(posting, &pool.graduates[g as usize].graduate).is_ok()
                {
                    list.push(g);
                }
            }
            shortlisted.push(list.len() as u32);
            let on_shortlist: std::collections::HashSet<u32> = list.iter().copied().collect();
            applied.retain(|(g, _)| !on_shortlist.contains(g));
            applied.sort_by(|a, b| self.applicant_order(*a, *b));
            list.extend(applied.iter().map(|(g, _)| *g));
            posting_scores.push(applied.into_iter().map(|(_, s)| s).collect());
            posting_lists.push(list);
        }

        let mut prepared = Prepared {
            graduate_lists: Vec::with_capacity(n),
            posting_lists,
            explicit: Vec::with_capacity(n),
            shortlisted,
            dropped: Vec::with_capacity(n),
            relevance: Vec::with_capacity(n),
            scores: Vec::with_capacity(n),
            posting_scores,
            graduate_lottery: self.graduate_lottery.clone(),
            posting_lottery: self.posting_lottery.clone(),
        };
        for list in per_graduate {
            prepared.graduate_lists.push(list.postings);
            prepared.explicit.push(list.explicit);
            prepared.dropped.push(list.dropped);
            prepared.relevance.push(list.relevance);
            prepared.scores.push(list.scores);
        }
        prepared
    }

    /// A posting's order of applicants after its shortlist: best score first, then the lottery.
    fn applicant_order(&self, a: (u32, f32), b: (u32, f32)) -> std::cmp::Ordering {
        b.1.total_cmp(&a.1).then(self.graduate_lottery[a.0 as usize].cmp(&self.graduate_lottery[b.0 as usize]))
    }

    /// Fill each list from its pool, seeing demand: graduates take turns in lottery order; the
    /// best-scoring half of the room left is taken by score alone, the rest from postings that
    /// still have room (fewer than [`ROOM_PER_SEAT`] applicants per seat in the lists built so
    /// far, explicit choices counted first), topped up by score when too few have room. The
    /// chosen entries follow the explicit choices in score order: explicit choices are never
    /// reordered, and a graduate's list still reads best fit first.
    fn choose_fill(&self, lists: &mut [GraduateList], pools: Vec<Vec<Scored>>) {
        let wanted = self.rules.candidates_per_graduate;
        let mut applicants = vec![0u32; self.postings()];
        for list in lists.iter() {
            for p in &list.postings {
                applicants[*p as usize] += 1;
            }
        }
        let room = |p: u32, applicants: &[u32]| {
            applicants[p as usize] < self.pool.capacities[p as usize].saturating_mul(ROOM_PER_SEAT)
        };
        let mut order: Vec<u32> = (0..lists.len() as u32).collect();
        order.sort_by_key(|g| self.graduate_lottery[*g as usize]);
        let mut chosen: Vec<usize> = Vec::new();
        for g in order {
            let (list, pool) = (&mut lists[g as usize], &pools[g as usize]);
            let need = wanted.saturating_sub(list.postings.len()).min(pool.len());
            if need == 0 {
                continue;
            }
            chosen.clear();
            let lead = need.div_ceil(2);
            chosen.extend(0..lead);
            chosen.extend((lead..pool.len()).filter(|&i| room(pool[i].posting, &applicants)).take(need - lead));
            if chosen.len() < need {
                let short = need - chosen.len();
                let extra: Vec<usize> = (lead..pool.len()).filter(|i| !chosen.contains(i)).take(short).collect();
                chosen.extend(extra);
            }
            chosen.sort_unstable();
            for &i in &chosen {
                let c = pool[i];
                applicants[c.posting as usize] += 1;
                list.postings.push(c.posting);
                list.scores.push(c.score);
                list.relevance.push(c.relevance);
            }
        }
    }

    /// For each graduate in `graduates`: up to `want` eligible postings marked in `open` that its
    /// list in `lists` does not hold yet, best score first (for the supplementary pass).
    pub fn free_candidates(
        &self,
        graduates: &[u32],
        lists: &[Vec<u32>],
        open: &[bool],
        want: usize,
        threads: usize,
    ) -> Vec<Vec<Scored>> {
        self.in_parallel(graduates.len(), threads, |i, work| {
            let g = graduates[i] as usize;
            let Scratch { walk, queries } = work;
            let text = graduate_query(&self.pool.graduates[g]);
            let query = queries.entry(text).or_insert_with_key(|text| self.index.query(text));
            self.scored_candidates(&self.seeker(g), query, walk, &lists[g], Some(open), want)
        })
    }

    /// Graduate `g`'s explicit choices (those in the round and eligible, in its order), and when
    /// the round fills from scores the best-scoring other eligible postings: twice the room
    /// its list has left.
    fn explicit_and_pool(&self, g: usize, wanted: usize, work: &mut Scratch) -> (GraduateList, Vec<Scored>) {
        let pool = self.pool;
        let graduate = &pool.graduates[g].graduate;
        let seeker = self.seeker(g);
        let Scratch { walk, queries } = work;
        let text = graduate_query(&pool.graduates[g]);
        // Many graduates share a major and skills: tokenize each distinct text once.
        let query = queries.entry(text).or_insert_with_key(|text| self.index.query(text));

        let mut out = GraduateList {
            postings: Vec::new(),
            scores: Vec::new(),
            relevance: Vec::new(),
            explicit: 0,
            dropped: Vec::new(),
        };
        for (at, id) in pool.choices[g].iter().enumerate() {
            let choice = at as u32 + 1;
            let Some(&p) = self.posting_at.get(id) else {
                let reason = pool.absent.get(id).cloned().unwrap_or(DropReason::NotOpen);
                out.dropped.push(Dropped { posting_id: *id, choice, reason });
                continue;
            };
            if let Err(why) = eligibility(&pool.postings[p as usize].posting, graduate) {
                out.dropped.push(Dropped { posting_id: *id, choice, reason: DropReason::Ineligible(why) });
                continue;
            }
            let relevance = self.index.relevance_of(query, p);
            out.postings.push(p);
            out.scores.push(self.pair_score(p, &seeker, relevance));
            out.relevance.push(relevance as f32);
        }
        out.explicit = out.postings.len() as u32;
        let need = wanted.saturating_sub(out.postings.len());
        if !self.rules.fill_from_scores || need == 0 {
            return (out, Vec::new());
        }
        let candidates = self.scored_candidates(&seeker, query, walk, &out.postings, None, 2 * need);
        (out, candidates)
    }

    fn pair_score(&self, p: u32, seeker: &Seeker, relevance: f64) -> f32 {
        let (posting, profile) = (&self.profiles[p as usize], &seeker.profile);
        let major = seeker.major_fit.map_or_else(|| major_fit_of(posting, profile.major()), |row| row[p as usize]);
        let location = seeker.location_fit[self.keys.location[p as usize] as usize];
        let score = score_with_fits(posting, profile, relevance, major, location, &self.rules.weights);
        debug_assert_eq!(score, score_profiles(posting, profile, relevance, &self.rules.weights));
        score.total as f32
    }

    /// Up to `want` eligible postings not in `listed` (and marked in `open`, if given), best
    /// score first, the posting lottery breaking ties. Candidates: eligible postings sharing
    /// words with the graduate, most covered first; when there are too few, every other
    /// eligible posting too (a graduate whose words match nothing still deserves the postings
    /// that fit its major, place and pay).
    ///
    /// Common words make a graduate touch thousands of postings, and this runs for every
    /// graduate and again in the supplementary pass, so the per-posting work is kept to a few
    /// array reads: eligibility is one lookup by the posting's (location, education) group,
    /// `listed` is marked in a scratch array, and the most covered are selected as packed
    /// integer keys rather than through a comparison that reads two arrays.
    #[allow(clippy::too_many_arguments)]
    fn scored_candidates(
        &self,
        seeker: &Seeker,
        query: &TextQuery,
        walk: &mut Walk,
        listed: &[u32],
        open: Option<&[bool]>,
        want: usize,
    ) -> Vec<Scored> {
        let (keys, profiles, posting_lottery) = (&self.keys, &self.profiles, &self.posting_lottery);
        let profile = &seeker.profile;
        // A graduate no posting can take would otherwise cost a walk over every posting.
        if profile.status != GraduateStatus::Seeking || !profile.consent || !seeker.joinable.contains(&true) {
            return Vec::new();
        }
        let Walk { covered, touched, listed: marked, keyed } = walk;
        for &p in listed {
            marked[p as usize] = true;
        }
        let may_add = |p: u32| {
            let group = keys.group_of[p as usize];
            let ok = group != CLOSED && seeker.joinable[group as usize];
            debug_assert_eq!(ok, is_eligible(&profiles[p as usize], profile));
            ok && open.is_none_or(|open| open[p as usize]) && !marked[p as usize]
        };
        touched.clear();
        self.index.accumulate_in(&self.grouped, &seeker.joinable, query, covered, touched);
        // Most covered first, then the posting lottery: coverage is positive, so its bits order
        // like the number, and inverted they sort it descending ahead of the lottery rank.
        keyed.clear();
        keyed.extend(
            touched
                .iter()
                .copied()
                .filter(|&p| may_add(p))
                .map(|p| (u64::from(!covered[p as usize].to_bits()) << 32) | u64::from(self.lottery_rank[p as usize])),
        );
        let keep = shortlist_size(want);
        if keyed.len() > keep {
            keyed.select_nth_unstable(keep);
            keyed.truncate(keep);
        }
        let scored_pair = |p: u32, relevance: f64| Scored {
            posting: p,
            score: self.pair_score(p, seeker, relevance),
            relevance: relevance as f32,
        };
        let mut scored: Vec<Scored> = keyed
            .iter()
            .map(|key| {
                let p = self.by_lottery[(key & u64::from(u32::MAX)) as usize];
                scored_pair(p, TextIndex::relevance(query, covered[p as usize]))
            })
            .collect();
        if scored.len() < want {
            // Untouched postings share no word with the graduate: their text relevance is 0.
            // Only the groups of postings the graduate's place and education allow are walked.
            for (group, postings) in keys.groups.iter().enumerate() {
                if !seeker.joinable[group] {
                    continue;
                }
                for &p in postings {
                    if covered[p as usize] == 0.0 && may_add(p) {
                        scored.push(scored_pair(p, 0.0));
                    }
                }
            }
        }
        // Only touched slots are non-zero: clearing them, not the whole array, keeps this O(touched).
        for &p in touched.iter() {
            covered[p as usize] = 0.0;
        }
        for &p in listed {
            marked[p as usize] = false;
        }
        let best_first = |a: &Scored, b: &Scored| {
            b.score
                .total_cmp(&a.score)
                .then(posting_lottery[a.posting as usize].cmp(&posting_lottery[b.posting as usize]))
        };
        // The walk over untouched postings can add thousands: sort only the `want` kept.
        if scored.len() > want {
            scored.select_nth_unstable_by(want, best_first);
            scored.truncate(want);
        }
        scored.sort_by(best_first);
        scored
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
    walk: Walk,
    queries: HashMap<String, TextQuery>,
}

/// What [`Builder::scored_candidates`] writes while it walks, all zero (false, empty) between
/// graduates.
struct Walk {
    /// Covered weight by posting.
    covered: Vec<f32>,
    /// Postings with a non-zero `covered`.
    touched: Vec<u32>,
    /// The postings the graduate's list holds already.
    listed: Vec<bool>,
    /// Packed (coverage, lottery rank) keys of the eligible touched postings.
    keyed: Vec<u64>,
}

impl Scratch {
    fn new(postings: usize) -> Self {
        let walk = Walk {
            covered: vec![0.0; postings],
            touched: Vec::new(),
            listed: vec![false; postings],
            keyed: Vec::new(),
        };
        Scratch { walk, queries: HashMap::new() }
    }
}

/// What eligibility reads of each posting, with its location reduced to one of the round's
/// few distinct locations: a graduate's preferences are then checked once per location,
/// not once per posting ([`is_eligible`] decides the same, and debug builds check that).
struct PostingKeys {
    location: Vec<u32>,
    locations: Vec<Option<Normalised>>,
    /// The open postings by (location, minimum education), ascending: eligibility is decided
    /// once per group, and a graduate whose words match few postings walks only the groups
    /// it may join, not every posting.
    groups: Vec<Vec<u32>>,
    /// The (location, minimum education) of each group.
    group_keys: Vec<(u32, crate::domain::Education)>,
    /// Each posting's group; [`CLOSED`] for a posting that is not open.
    group_of: Vec<u32>,
}

/// The group of a posting that is not open (see [`PostingKeys::group_of`]).
const CLOSED: u32 = NO_GROUP;

impl PostingKeys {
    fn of(profiles: &[PostingProfile]) -> Self {
        let mut ids: HashMap<Option<String>, u32> = HashMap::new();
        let mut locations = Vec::new();
        let location: Vec<u32> = profiles
            .iter()
            .map(|p| {
                let key = p.location().map(|l| l.as_str().to_string());
                *ids.entry(key).or_insert_with(|| {
                    locations.push(p.location().cloned());
                    locations.len() as u32 - 1
                })
            })
            .collect();
        let open: Vec<bool> = profiles.iter().map(|p| p.status == PostingStatus::Open).collect();
        let education_min: Vec<crate::domain::Education> = profiles.iter().map(|p| p.education_min).collect();
        let mut at: HashMap<(u32, crate::domain::Education), u32> = HashMap::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut group_keys = Vec::new();
        let mut group_of = vec![CLOSED; profiles.len()];
        for p in (0..profiles.len()).filter(|p| open[*p]) {
            let key = (location[p], education_min[p]);
            let group = *at.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                group_keys.push(key);
                groups.len() as u32 - 1
            });
            groups[group as usize].push(p as u32);
            group_of[p] = group;
        }
        PostingKeys { location, locations, groups, group_keys, group_of }
    }

    fn allowed_locations(&self, graduate: &GraduateProfile) -> Vec<bool> {
        self.locations.iter().map(|l| location_allowed(l.as_ref(), graduate.preferred())).collect()
    }

    /// Per group: may this graduate take its postings (see [`is_eligible`]).
    fn joinable(&self, graduate: &GraduateProfile, allowed: &[bool]) -> Vec<bool> {
        let seeking = graduate.status == GraduateStatus::Seeking && graduate.consent;
        self.group_keys
            .iter()
            .map(|(location, minimum)| seeking && allowed[*location as usize] && graduate.education.meets(*minimum))
            .collect()
    }
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

    fn prepare(pool: &Pool, rules: &Rules, done: &AtomicUsize, threads: usize) -> Prepared {
        Builder::new(pool, rules).prepare(done, threads)
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
        let capacities = vec![2; ps.len()];
        let pool = Pool {
            postings: &ps,
            graduates: &gs,
            choices: &choices,
            shortlists: &shortlists,
            absent: &absent,
            capacities: &capacities,
        };
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
        let capacities = vec![2; ps.len()];
        let pool = Pool {
            postings: &ps,
            graduates: &gs,
            choices: &choices,
            shortlists: &shortlists,
            absent: &absent,
            capacities: &capacities,
        };
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
