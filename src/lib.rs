//! xiaoqi (校企): school–enterprise recruitment matching for an industrial zone.
//!
//! Data flows one way: `http` → `services` → `store`; the search index and notices follow
//! the store. See DESIGN.md in the shared folder for the whole picture.

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
pub mod startup;
pub mod store;
pub mod telemetry;
