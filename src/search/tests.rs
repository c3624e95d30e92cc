//! Properties of the index itself, without a database: recall, ranking.

use super::SearchIndex;
use super::document;
use super::listing::{PostingFilters, search_postings};
use crate::domain::posting::{Posting, PostingFields};
use crate::domain::{Category, Education};
use crate::store::PageRequest;
use crate::store::changes::Cursor;
use crate::store::search_source::PostingSource;
use proptest::prelude::*;
use std::sync::Arc;

pub(super) fn posting(id: i64, title: &str, description: &str) -> PostingSource {
    PostingSource {
        posting: Posting {
            id,
            organization_id: 1,
            fields: PostingFields {
                description: Some(description.into()),
                ..PostingFields::new(title.into(), Category::Operator, Education::JuniorHigh, 1)
            },
            filled: 0,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        },
        organization_name: "测试企业".into(),
        project_name: None,
        park: None,
    }
}

fn index_of(postings: &[PostingSource]) -> (tempfile::TempDir, Arc<SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let docs = postings.iter().map(|p| document::posting(&index.fields, p)).collect();
    index.commit(Vec::new(), docs, &Cursor::default()).unwrap();
    (dir, index)
}

fn found(index: &SearchIndex, q: &str) -> Vec<i64> {
    let filters = PostingFilters { q: q.into(), page: PageRequest { page: 1, per_page: 100 }, ..Default::default() };
    search_postings(index, super::listing::PostingReach::OpenOnly, &filters)
        .unwrap()
        .items
        .iter()
        .map(|i| i.id())
        .collect()
}

#[test]
fn whole_words_rank_above_bigram_only_matches() {
    // jieba keeps 仓管员 and 电子信息工程 whole: 仓管 and 电子信息 are found inside them only
    // through bigrams.
    // The bigram-only matches even sit in the title, which otherwise counts most.
    let (_dir, index) = index_of(&[
        posting(1, "仓管员 电子信息工程", "仓管员，电子信息工程专业"),
        posting(2, "招聘", "公司位于肇庆新区，现招聘仓管 一名，另需熟悉电子信息 系统的同事，待遇从优"),
    ]);
    assert_eq!(found(&index, "仓管"), vec![2, 1]);
    assert_eq!(found(&index, "电子信息"), vec![2, 1]);
}

#[test]
fn title_matches_rank_above_description_matches() {
    let (_dir, index) =
        index_of(&[posting(1, "普工", "要求：有焊工经验，焊工证优先，焊工岗位"), posting(2, "焊工", "钢结构作业")]);
    assert_eq!(found(&index, "焊工"), vec![2, 1]);
}

#[test]
fn latin_terms_are_case_insensitive() {
    let (_dir, index) = index_of(&[posting(1, "SMT操作工", "熟悉plc与CNC")]);
    for q in ["smt", "SMT", "Plc", "cnc", "SMT操作工", "smt操作"] {
        assert_eq!(found(&index, q), vec![1], "{q}");
    }
}

/// Common characters of job texts, so generated words are realistic and collide often.
const HAN: &str =
    "电子信息工程技术数控机床操作工仓管员焊接自动化设备维修质检物流销售行政文员管理肇庆新区产业园宿舍班车";

fn han_text() -> impl Strategy<Value = String> {
    let chars: Vec<char> = HAN.chars().collect();
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::sample::select(chars).prop_map(String::from),
            1 => Just("，".to_string()),
            1 => Just(" ".to_string()),
        ],
        4..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Any run of 2 to 4 Han characters standing in a posting's text finds that posting.
    #[test]
    fn every_han_substring_finds_its_document(titles in proptest::collection::vec(han_text(), 1..4), descriptions in proptest::collection::vec(han_text(), 3)) {
        let postings: Vec<PostingSource> = titles
            .iter()
            .zip(descriptions.iter().cycle())
            .enumerate()
            .map(|(i, (t, d))| posting(i as i64 + 1, t, d))
            .collect();
        let (_dir, index) = index_of(&postings);
        for p in &postings {
            let text = format!("{} {}", p.posting.fields.title, p.posting.fields.description.as_deref().unwrap_or(""));
            let chars: Vec<char> = text.chars().collect();
            for len in 2..=4 {
                for start in 0..chars.len().saturating_sub(len - 1) {
                    let window = &chars[start..start + len];
                    if !window.iter().all(|c| super::tokenize::is_han(*c)) {
                        continue;
                    }
                    let q: String = window.iter().collect();
                    prop_assert!(found(&index, &q).contains(&p.posting.id), "{} not found by {}", text, q);
                }
            }
        }
    }
}

#[test]
fn a_second_writer_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_first, _) = SearchIndex::open(dir.path()).unwrap();
    let second = SearchIndex::open(dir.path()).err().expect("the index is locked");
    assert!(second.to_string().contains("in use by another xiaoqi process"), "{second}");
}

#[test]
fn an_index_of_another_schema_version_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (index, rebuild) = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(rebuild, super::Rebuild::Empty);
        index.commit(Vec::new(), Vec::new(), &Cursor { seq: 7, in_flight: vec![] }).unwrap();
    }
    {
        let (index, rebuild) = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(rebuild, super::Rebuild::No);
        assert_eq!(index.cursor().seq, 7, "the cursor comes back from the commit payload");
    }
    // Simulate an index written by another version of the schema.
    let meta = dir.path().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let old = text.replace(&format!("\\\"schema\\\":{}", super::schema::SCHEMA_VERSION), "\\\"schema\\\":0");
    assert_ne!(text, old, "{text}");
    std::fs::write(&meta, old).unwrap();
    let (index, rebuild) = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(rebuild, super::Rebuild::OtherSchema);
    assert_eq!(index.cursor().seq, 0);
}

#[test]
fn the_schema_version_follows_the_revision_and_every_column_name() {
    use super::schema::fingerprint;
    let version = fingerprint(4, &[&["title", "status"], &["name"]]);
    let others = [
        fingerprint(5, &[&["title", "status"], &["name"]]),
        fingerprint(4, &[&["title", "status", "contact"], &["name"]]),
        fingerprint(4, &[&["title", "statu"], &["name"]]),
        fingerprint(4, &[&["titles", "tatus"], &["name"]]),
        fingerprint(4, &[&["title"], &["status", "name"]]),
    ];
    for other in others {
        assert_ne!(version, other);
    }
}

#[test]
fn the_page_cache_holds_at_most_its_bytes() {
    let mut cache = super::GenerationCache::<String>::bounded(1000, 100, String::len);
    for i in 0..50 {
        cache.put(0, format!("k{i}"), "x".repeat(20));
        assert!(cache.bytes() <= 100, "{} bytes after {i} pages", cache.bytes());
    }
    assert_eq!(cache.get(0, "k49").as_deref(), Some("xxxxxxxxxxxxxxxxxxxx"), "the newest page is kept");
    cache.put(0, "huge".into(), "x".repeat(200));
    assert_eq!(cache.get(0, "huge"), None, "a page larger than the whole budget is not kept");
    assert_eq!(cache.get(1, "k49"), None, "a new generation starts over");
}

#[test]
fn facets_are_counted_only_when_asked_on_the_first_page() {
    let (_dir, index) = index_of(&[posting(1, "仓管员", "仓库"), posting(2, "仓管助理", "仓库")]);
    let search = |facets: bool, page: i64| {
        let filters =
            PostingFilters {
                q: "仓管".into(), facets, page: PageRequest { page, per_page: 1 }, ..Default::default()
            };
        search_postings(&index, super::listing::PostingReach::OpenOnly, &filters).unwrap()
    };
    assert!(search(false, 1).facets.is_empty());
    assert_eq!(search(true, 1).facets["category"]["operator"], 2);
    assert!(search(true, 2).facets.is_empty());
    assert_eq!(search(true, 2).total, 2);
}

/// A hit is the stored posting as it was written, with what the search adds beside its
/// fields: the same JSON a tree would have given, escapes and all.
#[test]
fn a_hit_is_the_record_with_the_search_additions() {
    let mut source = posting(7, "仓管 \"A\" 岗", "第一行\n<b>仓管</b>");
    source.park = Some("新区".into());
    let (_dir, index) = index_of(&[source.clone()]);
    let filters = PostingFilters { q: "仓管".into(), ..Default::default() };
    let page = search_postings(&index, super::listing::PostingReach::OpenOnly, &filters).unwrap();
    let hit = &page.items[0];
    assert_eq!(hit.id(), 7);
    let record = serde_json::to_value(&source.posting).unwrap();
    let shown = hit.record();
    for (key, value) in record.as_object().unwrap() {
        assert_eq!(&shown[key], value, "{key} as stored");
    }
    assert_eq!(shown["organization_name"], "测试企业");
    assert_eq!(shown["park"], "新区");
    assert_eq!(shown["project_name"], serde_json::Value::Null);
    assert!(shown["snippet"].as_str().unwrap().contains("&lt;b&gt;<mark>仓管</mark>"), "{}", shown["snippet"]);
    assert!(shown["score"].as_f64().unwrap() > 0.0);
    // Serialized, it is that same object.
    assert_eq!(serde_json::to_value(hit).unwrap(), shown);
}

/// Merging a rebuild's segments changes what searches find in nothing, and leaves one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merged_segments_find_the_same() {
    let (_dir, index) = index_of(&[posting(1, "仓管", "仓库管理"), posting(2, "焊工", "焊接")]);
    let more = vec![document::posting(&index.fields, &posting(3, "仓管员", "仓管 叉车"))];
    index.commit(Vec::new(), more, &Cursor::default()).unwrap();
    assert!(index.searcher().segment_readers().len() > 1);
    let before = (found(&index, "仓管"), found(&index, "焊接"));
    index.merge_segments().await.unwrap();
    assert_eq!(index.searcher().segment_readers().len(), 1);
    assert_eq!((found(&index, "仓管"), found(&index, "焊接")), before);
    assert_eq!(before.0.len(), 2);
}
