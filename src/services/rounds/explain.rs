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
    GraduateNote { explicit, listed: list_len as u32, dropped: dropped.iter().map(drop_note).collect(), above }
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

fn source_zh(position: u32, explicit: u32) -> &'static str {
    if position <= explicit { "志愿" } else { "推荐" }
}

fn source_en(position: u32, explicit: u32) -> &'static str {
    if position <= explicit { "own choice" } else { "suggested by score" }
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
                source_zh(r, note.explicit),
                l.company,
                l.title
            ));
            en.push(format!(
                "Matched to preference #{r} ({}): {} at {}, ranked #{posting_rank} by the company.",
                source_en(r, note.explicit),
                l.title,
                l.company
            ));
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
            source_zh(a.position, note.explicit)
        ));
        en.push(format!(
            "Preference #{} {} at {} ({}): {re}.",
            a.position,
            l.title,
            l.company,
            source_en(a.position, note.explicit)
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
