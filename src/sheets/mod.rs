//! Spreadsheets as bytes and back: reading `.xlsx`, `.xls` and `.csv` files into
//! [`Sheet`](crate::domain::roster::Sheet)s of cells (`read`), and writing workbooks: a
//! template with notes and dropdowns, or a plain table (`write`). No database, no rules:
//! what the cells mean is the domain's business (`domain::roster`).

pub mod read;
pub mod write;

pub use read::{Format, ReadError, read};
