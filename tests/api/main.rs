//! API tests against a real server, on SQLite and on PostgreSQL.
mod auth;
mod events;
mod helpers;
mod ops;
mod rounds;
mod search;
mod story;
mod tenancy;
mod validation;
