//! API tests against a real server, on SQLite and on PostgreSQL.
mod abuse;
mod admin;
mod auth;
mod browser;
mod busy;
mod consent;
mod duplicates;
mod events;
mod fair;
mod freshness;
mod helpers;
mod import;
mod offers;
mod ops;
mod pages;
#[path = "../common/pg.rs"]
mod pg;
mod privacy;
mod reports;
mod revocation;
mod rounds;
mod roundtrip;
mod search;
mod story;
mod tenancy;
mod validation;
mod vetting;
