//! xiaoqi (校企): school–enterprise recruitment matching for an industrial zone.
//!
//! Data flows one way: `http` → `services` → {`notify`, `search`} → {`store`, `matching`} →
//! `domain`; the search index and notices follow the store. ARCHITECTURE.md is the code map
//! (`tests/architecture.rs` enforces its layers); DESIGN.md in the shared folder is the
//! product's picture.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod matching;
pub mod notify;
pub mod search;
pub mod services;
pub mod sheets;
pub mod startup;
pub mod store;
pub mod telemetry;
