//! The HTML pages, beside the JSON API in the same binary: server-rendered (askama,
//! `templates/pages/`), working without JavaScript, Chinese first. Handlers parse forms
//! into the same typed inputs as the API and call the same services. One module per area
//! of the site, each exporting its `router()`; the foundation (language, session, forms,
//! formats, security headers, error pages) is shared by all of them.

mod account;
pub mod assets;
mod company;
pub mod context;
mod coordinator;
pub mod desk;
pub mod form;
pub mod format;
pub mod i18n;
mod matching;
mod me;
pub mod pagination;
mod public;
pub mod ranked;
mod reports;
mod school;
mod session;
pub mod site;
pub mod templates;

use super::AppState;
use axum::Router;

pub use context::{Page, SignedIn};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(session::router())
        .merge(account::router())
        .merge(public::router())
        .merge(company::router())
        .merge(matching::router())
        .merge(school::router())
        .merge(me::router())
        .merge(coordinator::router())
        .merge(reports::router())
}

impl Page {
    pub fn stylesheet_href(&self) -> String {
        assets::stylesheet_href()
    }

    pub fn icon_href(&self) -> String {
        assets::icon_href()
    }

    pub fn script_href(&self) -> String {
        assets::script_href()
    }
}
