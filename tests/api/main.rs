//! API tests against a real server, on SQLite and on PostgreSQL.
mod auth;
mod events;
mod helpers;
mod ops;
#[path = "../common/pg.rs"]
mod pg;
mod rounds;
mod roundtrip;
mod search;
mod story;
mod tenancy;
mod validation;
