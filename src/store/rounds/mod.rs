//! Matching rounds: the round itself and its lifecycle (`lifecycle`), and per graduate
//! and per posting the preferences it used and the outcome (`results`).

mod lifecycle;
mod results;

pub use lifecycle::{Known, claim, fail, fail_stale, finish, get, holds_shared, ids, insert, list, progress, publish};
pub use results::{
    GraduateInput, GraduateRow, GraduateRowView, PostingInput, PostingRow, PostingRowView, RowFilter, clear_results,
    graduate_inputs, graduate_rows, insert_graduate_rows, insert_posting_rows, matched_ranks, offer_counts, outcomes,
    placements, posting_inputs, posting_labels, posting_rows,
};
pub use results::{OwnRowView, published_rows_of};
