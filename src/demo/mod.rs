//! Demo data drawn from the Zhaoqing New District story (shared/context): the projects
//! short of workers, their parks, the city's schools, and synthetic but realistic
//! postings and graduates.
//!
//! Generation is pure and seeded: [`PostingGenerator`] and [`GraduateGenerator`] draw
//! from one [`StdRng`](rand::rngs::StdRng) stream each (so the postings of a seed do not
//! depend on how many graduates are asked for, and the other way round), refer to
//! organisations by their position in the [`Spec`] rather than by database id, and date
//! everything from [`anchor_date`] rather than today. The same seed over the same world
//! gives the same rows; ids are only attached when the rows are written.
//!
//! - `data`: the word lists (companies, schools, trades, majors, names);
//! - `world`: the organisations as generation sees them ([`Spec`]);
//! - `text`: drawing from the word lists and filling templates;
//! - `postings` and `posting_text`: postings and their descriptions;
//! - `graduates`: graduates;
//! - `load`: writing the world and generated rows with the bulk loader;
//! - `gatherings`: the choices, shortlists and events a first look needs;
//! - `applicants`: companies awaiting review (the vetting queue).

mod applicants;
mod data;
mod gatherings;
mod graduates;
mod load;
mod posting_text;
mod postings;
mod text;
mod world;

pub use graduates::{GeneratedGraduate, GraduateGenerator};
pub use load::{add_synthetic, load_once};
pub use postings::{GeneratedPosting, PostingGenerator};
pub use world::{CompanySpec, ProjectSpec, SchoolSpec, Spec, anchor_date, demo_credit_code};

use data::{COMPANIES, SCHOOLS};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "xiaoqi-demo-2026";
pub const DEMO_COORDINATOR: &str = "coordinator@xiaoqi.demo";

pub fn print_logins() {
    println!("Log in with password `{DEMO_PASSWORD}` as:");
    println!("  协调员 coordinator  {DEMO_COORDINATOR}");
    for c in COMPANIES.iter().take(3) {
        println!("  企业 company        hr@{}.demo   ({})", c.slug, c.name);
    }
    for s in SCHOOLS.iter().take(3) {
        println!("  学校 school         jiuye@{}.demo   ({})", s.slug, s.name);
    }
    println!("  (every demo company and school has such an account)");
}

/// A SHA-256 of the rows, one JSON document per line: how tests pin a seed's output.
/// Absent values are left out, so a new optional field the generator does not fill leaves
/// the digests as they were.
#[cfg(test)]
fn digest(rows: impl IntoIterator<Item = serde_json::Value>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    fn drop_nulls(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(object) => {
                object.retain(|_, v| !v.is_null());
                object.values_mut().for_each(drop_nulls);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
            _ => {}
        }
    }
    for mut row in rows {
        drop_nulls(&mut row);
        hasher.update(row.to_string());
        hasher.update(b"\n");
    }
    format!("{:x}", hasher.finalize())
}
