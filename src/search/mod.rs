//! Search: a tantivy index derived from the database (see `index`), queried for listing
//! search, graduate search and suggestions.

pub mod bits;
pub mod cache;
mod chars;
pub mod document;
pub mod evaluate;
pub mod facets;
pub mod index;
pub mod listing;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod suggest;
pub mod tokenize;
pub mod word_sets;
mod zh;

#[cfg(test)]
mod ranking_tests;
#[cfg(test)]
mod tests;

pub use cache::GenerationCache;
pub use index::{Rebuild, SearchIndex};
