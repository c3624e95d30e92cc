//! Facet counts over every matching document (not just the page shown).

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

/// Which fast fields to count: numeric codes, and text values.
#[derive(Clone, Debug)]
pub struct FacetCollector {
    pub coded: Vec<&'static str>,
    pub texts: Vec<&'static str>,
}

/// Counts per field, per value (codes as decimal strings until named by the caller).
pub type FacetCounts = BTreeMap<&'static str, BTreeMap<String, u64>>;

/// A field's column in one segment, and counts per value (text values by term ordinal).
type Counting<C> = (&'static str, Option<C>, BTreeMap<u64, u64>);

pub struct FacetSegment {
    coded: Vec<Counting<Column<u64>>>,
    texts: Vec<Counting<StrColumn>>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let fast = segment.fast_fields();
        let coded = self.coded.iter().map(|name| (*name, fast.u64(name).ok(), BTreeMap::new())).collect();
        let mut texts = Vec::new();
        for name in &self.texts {
            texts.push((*name, fast.str(name)?, BTreeMap::new()));
        }
        Ok(FacetSegment { coded, texts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::new();
        for fruit in fruits {
            for (field, counts) in fruit {
                let into = total.entry(field).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, column, counts) in &mut self.coded {
            if let Some(column) = column {
                for value in column.values_for_doc(doc) {
                    *counts.entry(value).or_default() += 1;
                }
            }
        }
        for (_, column, counts) in &mut self.texts {
            if let Some(column) = column {
                for ord in column.ords().values_for_doc(doc) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (name, _, counts) in self.coded {
            out.insert(name, counts.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        }
        for (name, column, counts) in self.texts {
            let mut named = BTreeMap::new();
            if let Some(column) = column {
                let mut text = String::new();
                for (ord, n) in counts {
                    if column.ord_to_str(ord, &mut text).unwrap_or(false) {
                        named.insert(text.clone(), n);
                    }
                }
            }
            out.insert(name, named);
        }
        out
    }
}
