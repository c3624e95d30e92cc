//! The evaluator against the tantivy query it stands for: the same total, and on every
//! page the same documents in the same order (ties aside), scored alike.

use super::SearchIndex;
use super::document::{self, key};
use super::evaluate::{self, Filter, Order, Plan};
use super::query;
use crate::domain::Category;
use crate::store::changes::{Cursor, Entity};
use crate::store::search_source::PostingSource;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Score, Searcher, Term};

const HAN: &str = "电子信息工程技术数控机床操作工仓管员焊接自动化设备维修质检物流宿舍班车";

fn text(rng: &mut StdRng, lengths: std::ops::Range<usize>) -> String {
    let chars: Vec<char> = HAN.chars().collect();
    (0..rng.random_range(lengths))
        .map(|_| match rng.random_range(0..12) {
            0 => '，',
            1 => ' ',
            _ => chars[rng.random_range(0..chars.len())],
        })
        .collect()
}

fn posting(rng: &mut StdRng, id: i64) -> PostingSource {
    let title = text(rng, 2..8);
    // Lengths vary widely, so BM25 differs inside a tier and blocks have different bests.
    let description = text(rng, 4..120);
    let mut source = super::tests::posting(id, &title, &description);
    let fields = &mut source.posting.fields;
    fields.category = [Category::Operator, Category::Technician, Category::Logistics][rng.random_range(0..3)];
    fields.salary_min = Some(3000);
    fields.salary_max = rng.random_bool(0.9).then(|| rng.random_range(3000..12000));
    source
}

/// `count` postings in three commits (three segments at least), the last replacing some
/// of the first, so segments hold deleted documents.
fn index(rng: &mut StdRng, count: i64) -> (tempfile::TempDir, Arc<SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let third = count / 3;
    for part in 0..3 {
        let ids: Vec<i64> = (part * third + 1..=(part + 1) * third).collect();
        let replaced: Vec<i64> = if part == 2 { (1..=third).step_by(4).collect() } else { Vec::new() };
        let docs = ids.iter().chain(&replaced).map(|id| document::posting(&index.fields, &posting(rng, *id))).collect();
        let deletes = replaced.iter().map(|id| key(Entity::Posting, *id)).collect();
        index.commit(deletes, docs, &Cursor::default()).unwrap();
    }
    (dir, index)
}

/// Every match of the tantivy query, with its score, best first.
fn reference(searcher: &Searcher, query: &dyn Query) -> (usize, Vec<(Score, DocAddress)>) {
    let total = searcher.search(query, &Count).unwrap();
    let all = searcher.search(query, &TopDocs::with_limit(total.max(1)).order_by_score()).unwrap();
    (total, all)
}

fn id_of(searcher: &Searcher, address: DocAddress) -> u64 {
    let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("id").unwrap();
    column.first(address.doc_id).unwrap()
}

fn salary_of(searcher: &Searcher, address: DocAddress) -> Option<u64> {
    let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("salary").unwrap();
    column.first(address.doc_id)
}

fn close(a: Score, b: Score) -> bool {
    (a - b).abs() <= 1e-3 * a.abs().max(1.0)
}

/// Random searches on an index of `count` postings, each compared with the tantivy query.
fn compare(seed: u64, count: i64, searches: usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (_dir, index) = index(&mut rng, count);
    let f = index.fields;
    for _ in 0..searches {
        let words = (0..rng.random_range(0..3)).map(|_| text(&mut rng, 1..5)).collect::<Vec<_>>();
        let q = words.join(" ");
        let parsed = query::parse(&q);
        let mut filters = vec![Filter::AnyOf(vec![Term::from_field_u64(f.kind, super::schema::KIND_POSTING)])];
        let mut reference_filters: Vec<Box<dyn Query>> = vec![query::is_u64(f.kind, super::schema::KIND_POSTING)];
        if rng.random_bool(0.4) {
            let low = rng.random_range(3000..12000);
            filters.push(Filter::Range { field: "salary", low, high: u64::MAX });
            reference_filters.push(query::between_u64(f.salary, Some(low), None));
        }
        if rng.random_bool(0.3) {
            let code = rng.random_range(0..3u64);
            filters.push(Filter::AnyOf(vec![Term::from_field_u64(f.category, code)]));
            reference_filters.push(query::is_u64(f.category, code));
        }
        let (offset, limit) = (rng.random_range(0..3) * 5, rng.random_range(1..12));
        let order = match rng.random_range(0..4) {
            0 => Order::Desc("salary"),
            1 => Order::Desc("id"),
            _ if parsed.is_empty() => Order::Desc("id"),
            _ => Order::Relevance,
        };
        check(&index, &q, (filters, reference_filters), order, offset, limit);
    }
}

/// One search by the evaluator, held to the tantivy query with the same filters.
fn check(
    index: &SearchIndex,
    q: &str,
    filters: (Vec<Filter>, Vec<Box<dyn Query>>),
    order: Order,
    offset: usize,
    limit: usize,
) {
    let (searcher, f) = (index.searcher(), index.fields);
    let parsed = query::parse(q);
    let plan = Plan {
        words: parsed.iter().map(|w| query::word_terms(&f, w)).collect(),
        filters: filters.0,
        bigram_field: f.all_bigrams,
    };
    let full = query::filtered(query::text_query(&f, &parsed), filters.1);
    let (total, all) = reference(&searcher, full.as_ref());
    let caches = evaluate::SetCaches {
        filters: Mutex::new(super::cache::FilterCache::new(64)),
        words: super::word_sets::WordSetCache::new(1 << 20),
    };
    // The first search builds the words' sets, the second keeps them, the third reads
    // them from the cache: all three find the same.
    let mut runs = (0..3).map(|_| evaluate::search(&searcher, &plan, order, offset, limit, None, &caches).unwrap());
    let hits = runs.next().unwrap();
    for again in runs {
        assert_eq!((again.total, &again.docs), (hits.total, &hits.docs), "{q:?} searched again");
    }
    if !plan.words.is_empty() && total > 0 {
        assert!(caches.words.bytes() > 0, "{q:?}: a word searched again keeps its sets");
    }
    assert_eq!(hits.total, total, "total of {q:?}");
    let shown = all.len().saturating_sub(offset).min(limit);
    assert_eq!(hits.docs.len(), shown, "page of {q:?}");
    match order {
        Order::Relevance => {
            for (i, (score, address)) in hits.docs.iter().enumerate() {
                let own = all.iter().find(|(_, a)| a == address).expect("a match of the query").0;
                assert!(close(*score, own), "{q:?}: {address:?} scored {score}, the query says {own}");
                assert!(
                    close(*score, all[offset + i].0),
                    "{q:?}: place {} holds {score}, not {}",
                    offset + i,
                    all[offset + i].0
                );
            }
        }
        Order::Desc("salary") => {
            let mut values: Vec<Option<u64>> = all.iter().map(|(_, a)| salary_of(&searcher, *a)).collect();
            values.sort_by(|a, b| b.cmp(a));
            let page: Vec<Option<u64>> = hits.docs.iter().map(|(_, a)| salary_of(&searcher, *a)).collect();
            assert_eq!(page, values.into_iter().skip(offset).take(shown).collect::<Vec<_>>(), "{q:?} by salary");
        }
        Order::Desc(_) => {
            let mut ids: Vec<u64> = all.iter().map(|(_, a)| id_of(&searcher, *a)).collect();
            ids.sort_by(|a, b| b.cmp(a));
            let page: Vec<u64> = hits.docs.iter().map(|(_, a)| id_of(&searcher, *a)).collect();
            assert_eq!(page, ids.into_iter().skip(offset).take(shown).collect::<Vec<_>>(), "{q:?} newest first");
        }
    }
}

#[test]
fn small_indexes_rank_as_the_query_does() {
    for seed in 0..30 {
        compare(seed, 30, 40);
    }
}

/// Thousands of documents: postings span many blocks, so the walk skips blocks.
#[test]
fn large_indexes_rank_as_the_query_does() {
    compare(99, 6000, 150);
}

/// The best documents for a word all sit in the first block of its postings: the walk
/// skips the later blocks (their best cannot enter the page) and still finds the page.
#[test]
fn blocks_that_cannot_enter_the_page_change_nothing() {
    let mut rng = StdRng::seed_from_u64(3);
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let docs = (1..=3000)
        .map(|id| {
            let mut p = posting(&mut rng, id);
            p.posting.fields.title = "工人".into();
            p.posting.fields.description = Some(if id <= 150 {
                "宿舍".into()
            } else {
                format!("{}宿舍{}", text(&mut rng, 60..61), text(&mut rng, 60..61))
            });
            document::posting(&index.fields, &p)
        })
        .collect();
    index.commit(Vec::new(), docs, &Cursor::default()).unwrap();
    let kind = || {
        let f = index.fields;
        (
            vec![Filter::AnyOf(vec![Term::from_field_u64(f.kind, super::schema::KIND_POSTING)])],
            vec![query::is_u64(f.kind, super::schema::KIND_POSTING)],
        )
    };
    for (offset, limit) in [(0, 5), (5, 5), (140, 20), (0, 200)] {
        check(&index, "宿舍", kind(), Order::Relevance, offset, limit);
    }
}
