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
    scratch: Scratch,
}

/// Buffers reused from block to block: the documents' rows in a column, and their values.
#[derive(Default)]
struct Scratch {
    docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
}

impl Scratch {
    /// Count the values `column` holds for `docs`, a block at a time: the column reads
    /// its rows and values in batches, much cheaper than document by document.
    fn count(&mut self, column: &Column<u64>, docs: &[DocId], counts: &mut [u64]) {
        self.docs.clear();
        self.rows.clear();
        column.row_ids_for_docs(docs, &mut self.docs, &mut self.rows);
        self.values.resize(self.rows.len(), 0);
        column.values.get_vals(&self.rows, &mut self.values);
        for value in &self.values {
            if let Some(n) = counts.get_mut(*value as usize) {
                *n += 1;
            }
        }
    }
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
        Ok(FacetSegment { coded, texts, scratch: Scratch::default() })
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
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for (_, column, counts) in &mut self.coded {
            if let Some(column) = column {
                self.scratch.count(column, docs, counts);
            }
        }
        for (_, column, counts) in &mut self.texts {
            if let Some(column) = column {
                self.scratch.count(column.ords(), docs, counts);
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
