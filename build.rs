//! `sqlx::migrate!` embeds the migrations folder at compile time, and cargo does not
//! notice a file added to it: without this, a new migration is missing from the binary
//! until something else recompiles the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
