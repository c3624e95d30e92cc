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

/// A field's column in one segment, and counts indexed by value (text values by term
/// ordinal): a plain vector, since values are small codes or ordinals.
type Counting<C> = (&'static str, Option<C>, Vec<u64>);

pub struct FacetSegment {
    coded: Vec<Counting<Column<u64>>>,
    texts: Vec<Counting<StrColumn>>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let fast = segment.fast_fields();
        let coded = self
            .coded
            .iter()
            .map(|name| {
                let column = fast.u64(name).ok();
                let size = column.as_ref().map_or(0, |c| c.max_value() as usize + 1);
                (*name, column, vec![0; size])
            })
            .collect();
        let mut texts = Vec::new();
        for name in &self.texts {
            let column = fast.str(name)?;
            let size = column.as_ref().map_or(0, |c| c.num_terms());
            texts.push((*name, column, vec![0; size]));
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
                    if let Some(n) = counts.get_mut(value as usize) {
                        *n += 1;
                    }
                }
            }
        }
        for (_, column, counts) in &mut self.texts {
            if let Some(column) = column {
                for ord in column.ords().values_for_doc(doc) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (name, _, counts) in self.coded {
            let named = counts.into_iter().enumerate().filter(|(_, n)| *n > 0).map(|(k, n)| (k.to_string(), n));
            out.insert(name, named.collect());
        }
        for (name, column, counts) in self.texts {
            let mut named = BTreeMap::new();
            if let Some(column) = column {
                let mut text = String::new();
                for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        named.insert(text.clone(), n);
                    }
                }
            }
            out.insert(name, named);
        }
        out
    }
}
