//! Search: a tantivy index derived from the database (see `index`), queried for listing
//! search, graduate search and suggestions.

pub mod document;
pub mod facets;
pub mod index;
pub mod listing;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod suggest;
pub mod tokenize;

#[cfg(test)]
mod tests;

pub use index::{GenerationCache, Rebuild, SearchIndex};
