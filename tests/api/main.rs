//! API tests against a real server, on SQLite and on PostgreSQL.
mod auth;
mod helpers;
mod story;
mod tenancy;
mod validation;
