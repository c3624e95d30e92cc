//! Why each graduate got what it got, and why seats stayed empty: stored as compact data
//! when a round runs, rendered in Chinese and English when read (titles are looked up
//! then, and other tenants' graduates are never named to a tenant).

use super::prepare::{DropReason, Dropped};
use crate::matching::{GraduateOutcome, PostingOutcome, WhyNot};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A graduate's outcome, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraduateNote {
    /// Entries of its list that were its own choices (the rest came from scores).
    pub explicit: u32,
    pub listed: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DroppedNote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub above: Vec<AboveNote>,
    /// 1-based position of the first entry a supplementary pass offered (none: no offer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_from: Option<u32>,
    /// Where the main solve had placed the graduate, when a supplementary pass moved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<MovedNote>,
    /// Why an unplaced graduate's search ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unplaced: Option<UnplacedNote>,
}

/// The main solve's placement of a graduate that a supplementary pass moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovedNote {
    pub posting_id: i64,
    /// 1-based position in the graduate's list.
    pub position: u32,
}

/// The reason that ended an unplaced graduate's search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnplacedNote {
    /// `no_consent`; `no_eligible_posting` (see `excluded_by`); `all_full` (every eligible
    /// posting is full, those it listed with graduates they rank higher); `not_offered`
    /// (the postings it listed were full, eligible ones with free seats were not listed).
    pub code: String,
    /// For `no_eligible_posting`: `education` (below every posting's minimum), `location`
    /// (no posting in a preferred place), `education_and_location` (both),
    /// `education_at_location` (the postings in its places all ask more), `no_postings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_by: Option<String>,
}

/// An explicit choice that did not enter the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DroppedNote {
    pub posting_id: i64,
    /// 1-based position among the graduate's choices.
    pub choice: u32,
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A posting the graduate ranked above the one it got (or any, if unmatched), and why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AboveNote {
    pub posting_id: i64,
    /// 1-based position in the graduate's list.
    pub position: u32,
    /// `full`, `not_ranked` or `no_seats`.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest_admitted_graduate_id: Option<i64>,
    /// 1-based ranks in the posting's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest_admitted_rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub your_rank: Option<u32>,
}

/// A posting's outcome, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostingNote {
    /// Leading entries of its list from the company's shortlist.
    pub shortlisted: u32,
    pub listed_by: u32,
    pub ranked: u32,
    pub acceptable: u32,
    pub placed_higher: u32,
}

fn drop_note(d: &Dropped) -> DroppedNote {
    let (code, zh, en) = match &d.reason {
        DropReason::NotOpen => {
            ("posting_not_open".to_string(), "岗位不在招聘中".to_string(), "the posting is not open".to_string())
        }
        DropReason::OutOfScope => (
            "out_of_scope".to_string(),
            "岗位不在本轮匹配范围内".to_string(),
            "the posting is not part of this round".to_string(),
        ),
        DropReason::NoSeatsLeft => (
            "no_seats_left".to_string(),
            "岗位名额已在此前轮次中招满".to_string(),
            "the posting's seats were filled in an earlier round".to_string(),
        ),
        DropReason::Ineligible(why) => (why.code().to_string(), why.zh(), why.en()),
    };
    DroppedNote { posting_id: d.posting_id, choice: d.choice, code, zh, en }
}

/// The stored note for one graduate whose list had `list_len` entries, the first
/// `explicit` of them its own choices; `posting_ids` and `graduate_ids` map the solver's
/// indices to ids.
pub fn graduate_note(
    outcome: &GraduateOutcome,
    list_len: usize,
    explicit: u32,
    dropped: &[Dropped],
    posting_ids: &[i64],
    graduate_ids: &[i64],
) -> GraduateNote {
    // `above` holds every posting listed above the match, in list order: entry i is the
    // graduate's (i+1)-th preference.
    let above = outcome
        .above
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (code, full) = match &n.reason {
                WhyNot::Full { lowest_admitted, lowest_admitted_rank, your_rank } => {
                    ("full", Some((graduate_ids[*lowest_admitted as usize], lowest_admitted_rank + 1, your_rank + 1)))
                }
                WhyNot::NotRanked => ("not_ranked", None),
                WhyNot::NoSeats => ("no_seats", None),
                WhyNot::Unstable => ("unstable", None),
            };
            AboveNote {
                posting_id: posting_ids[n.posting as usize],
                position: i as u32 + 1,
                code: code.into(),
                lowest_admitted_graduate_id: full.map(|f| f.0),
                lowest_admitted_rank: full.map(|f| f.1),
                your_rank: full.map(|f| f.2),
            }
        })
        .collect();
    GraduateNote {
        explicit,
        listed: list_len as u32,
        dropped: dropped.iter().map(drop_note).collect(),
        above,
        offered_from: None,
        moved_from: None,
        unplaced: None,
    }
}

pub fn posting_note(outcome: &PostingOutcome, shortlisted: u32) -> PostingNote {
    let e = outcome.empty_seats.as_ref();
    PostingNote {
        shortlisted,
        listed_by: e.map_or(0, |e| e.listed_by),
        ranked: e.map_or(0, |e| e.ranked),
        acceptable: e.map_or(0, |e| e.acceptable),
        placed_higher: e.map_or(0, |e| e.placed_higher),
    }
}

/// A posting as explanations name it.
pub struct Label<'a> {
    pub title: &'a str,
    pub company: &'a str,
}

fn label_of<'a>(labels: &'a HashMap<i64, (String, String)>, id: i64) -> Label<'a> {
    labels.get(&id).map(|(t, c)| Label { title: t, company: c }).unwrap_or(Label { title: "?", company: "?" })
}

fn source_zh(note: &GraduateNote, position: u32) -> &'static str {
    match note.offered_from {
        _ if position <= note.explicit => "志愿",
        Some(from) if position >= from => "补录",
        _ => "推荐",
    }
}

fn source_en(note: &GraduateNote, position: u32) -> &'static str {
    match note.offered_from {
        _ if position <= note.explicit => "own choice",
        Some(from) if position >= from => "supplementary offer",
        _ => "suggested by score",
    }
}

/// Why an unplaced graduate's search ended, in Chinese and English.
fn unplaced_text(u: &UnplacedNote, listed: u32) -> (String, String) {
    let (zh, en) = match (u.code.as_str(), u.excluded_by.as_deref()) {
        ("no_consent", _) => (
            "毕业生未同意向企业展示个人信息，不参加匹配".to_string(),
            "the graduate has not consented to be shown to companies, so no posting could take them".to_string(),
        ),
        ("no_eligible_posting", excluded) => {
            let (zh, en) = match excluded {
                Some("education") => ("学历低于所有岗位的要求", "education below every posting's minimum"),
                Some("location") => ("没有岗位位于其意向地点", "no posting is in a preferred location"),
                Some("education_and_location") => (
                    "学历低于所有岗位的要求，且没有岗位位于其意向地点",
                    "education below every posting's minimum, and no posting in a preferred location",
                ),
                Some("education_at_location") => (
                    "意向地点内的岗位学历要求均高于其学历",
                    "the postings in its preferred locations all require more education",
                ),
                _ => ("本轮没有岗位", "the round has no postings"),
            };
            (format!("本轮没有符合条件的岗位（{zh}）"), format!("no posting in this round is eligible ({en})"))
        }
        ("all_full", _) => (
            "符合条件的岗位均已招满，所列岗位录取的都是企业排序更靠前的毕业生".to_string(),
            "every eligible posting is full; those on its list took graduates they rank higher".to_string(),
        ),
        _ if listed == 0 => (
            "志愿表为空（本人志愿均未进入本轮，本轮也不按匹配分推荐），而仍有空缺的符合条件岗位".to_string(),
            "its list was empty (no own choice entered the round and the round adds no suggestions), while eligible postings had free seats".to_string(),
        ),
        _ => (
            "所列岗位均已招满，仍有空缺的符合条件岗位未列入志愿表（本轮未开启补录，或补录次数已用完）".to_string(),
            "every posting on its list was full with graduates ranked higher; eligible postings with free seats were not on it (no supplementary pass, or its passes ran out)".to_string(),
        ),
    };
    (format!("未匹配：{zh}。"), format!("Unmatched: {en}."))
}

/// The graduate's outcome in Chinese and English. `matched` is (posting id, 1-based rank
/// the graduate gave it, 1-based rank the posting gave the graduate).
pub fn render_graduate(
    note: &GraduateNote,
    matched: Option<(i64, i64, i64)>,
    labels: &HashMap<i64, (String, String)>,
) -> (String, String) {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    match matched {
        Some((posting_id, rank, posting_rank)) => {
            let l = label_of(labels, posting_id);
            let r = rank as u32;
            zh.push(format!(
                "匹配到第 {r} 位意向（{}）：{}「{}」，企业排序第 {posting_rank} 位。",
                source_zh(note, r),
                l.company,
                l.title
            ));
            en.push(format!(
                "Matched to preference #{r} ({}): {} at {}, ranked #{posting_rank} by the company.",
                source_en(note, r),
                l.title,
                l.company
            ));
        }
        None if note.unplaced.is_some() => {
            let (z, e) = unplaced_text(note.unplaced.as_ref().expect("checked"), note.listed);
            zh.push(z);
            en.push(e);
        }
        None if note.listed == 0 => {
            zh.push("未匹配：没有可参加本轮匹配的意向岗位（无有效志愿，也没有符合条件的推荐岗位）。".to_string());
            en.push("Unmatched: no posting in this round was both listed and eligible.".to_string());
        }
        None => {
            zh.push(format!("未匹配：所列 {} 个意向岗位均未录取，原因如下。", note.listed));
            en.push(format!(
                "Unmatched: none of the {} postings listed took this graduate; see why below.",
                note.listed
            ));
        }
    }
    if let Some(m) = &note.moved_from {
        let l = label_of(labels, m.posting_id);
        zh.push(format!(
            "主轮曾匹配到第 {} 位意向 {}「{}」；补录后该岗位录取了企业排序更靠前的补录毕业生，因此调整。",
            m.position, l.company, l.title
        ));
        en.push(format!(
            "The main pass had placed this graduate at preference #{} ({} at {}); a supplementary pass then gave that posting a newcomer it ranks higher, so the graduate moved.",
            m.position, l.title, l.company
        ));
    }
    for a in &note.above {
        let l = label_of(labels, a.posting_id);
        let (rz, re) = match a.code.as_str() {
            "full" => (
                format!(
                    "已招满，录取者在企业排序中均在前（最后录取者排第 {} 位，本人排第 {} 位）",
                    a.lowest_admitted_rank.unwrap_or(0),
                    a.your_rank.unwrap_or(0)
                ),
                format!(
                    "full with graduates the company ranks higher (the last admitted is #{}, this graduate #{})",
                    a.lowest_admitted_rank.unwrap_or(0),
                    a.your_rank.unwrap_or(0)
                ),
            ),
            "not_ranked" => ("企业未将本人列入排序".to_string(), "the company did not rank this graduate".to_string()),
            _ => ("本轮没有名额".to_string(), "no seats in this round".to_string()),
        };
        zh.push(format!(
            "第 {} 位意向 {}「{}」（{}）：{rz}。",
            a.position,
            l.company,
            l.title,
            source_zh(note, a.position)
        ));
        en.push(format!(
            "Preference #{} {} at {} ({}): {re}.",
            a.position,
            l.title,
            l.company,
            source_en(note, a.position)
        ));
    }
    for d in &note.dropped {
        let l = label_of(labels, d.posting_id);
        zh.push(format!("第 {} 志愿 {}「{}」未进入本轮：{}。", d.choice, l.company, l.title, d.zh));
        en.push(format!("Choice #{} {} at {} was left out: {}.", d.choice, l.title, l.company, d.en));
    }
    (zh.join(""), en.join(" "))
}

/// Why a posting has the seats it has, in Chinese and English.
pub fn render_posting(note: &PostingNote, capacity: i64, filled: i64) -> (String, String) {
    let mut zh = format!("已录取 {filled}/{capacity} 人。");
    let mut en = format!("Filled {filled} of {capacity} seats.");
    if filled < capacity {
        if note.acceptable == 0 {
            zh.push_str(&format!(
                "空缺原因：没有双向意向的毕业生（{} 人将其列为意向，企业排序 {} 人）。",
                note.listed_by, note.ranked
            ));
            en.push_str(&format!(
                " Empty seats: no graduate both listed it and was ranked by it ({} listed it, it ranked {}).",
                note.listed_by, note.ranked
            ));
        } else {
            zh.push_str(&format!(
                "空缺原因：{} 名双向意向的毕业生中，{} 人去了其更想去的岗位。",
                note.acceptable, note.placed_higher
            ));
            en.push_str(&format!(
                " Empty seats: of the {} graduates who listed it and were ranked by it, {} were placed in postings they preferred.",
                note.acceptable, note.placed_higher
            ));
        }
    }
    (zh, en)
}
