//! `/app/graduates/{id}/choices`: a graduate's ranked choices (志愿), kept by the school.
//! Open postings are found by words (`q`) or, without them, suggested for the graduate with
//! the parts of the score that fit; small forms add one, move one up or down, or remove it,
//! each writing the whole list through the same service as `PUT /graduates/{id}/choices`
//! (at most 30, open postings only).

use super::{SchoolDesk, graduate_of};
use crate::domain::PostingStatus;
use crate::domain::graduate::Graduate;
use crate::domain::posting::Posting;
use crate::domain::preference::{MAX_CHOICES, RankedPostings};
use crate::domain::search_words;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::desk::{OrRefused, Refused};
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::matching::{Fit, fits, percent};
use crate::http::pages::pagination::{Pagination, page_request};
use crate::http::pages::ranked::RankedList;
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::search::listing::PostingFilters;
use crate::services::{self, Actor, graduates, postings, preferences};
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;

/// Postings suggested when no words are given.
const SUGGESTED: usize = 10;
/// Search results per page.
const PER_PAGE: i64 = 10;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/graduates/{id}/choices", get(show).post(change))
}

/// One of the graduate's choices, as the list shows it.
pub struct ChosenLine {
    pub posting_id: i64,
    pub rank: usize,
    pub title: String,
    /// Company, place and pay, as known.
    pub details: String,
    /// Still open: a closed (or deleted) posting is dropped at the next change.
    pub open: bool,
    pub first: bool,
    pub last: bool,
}

/// An open posting offered to add: a search hit or a suggestion.
pub struct OfferedPosting {
    pub id: i64,
    pub title: String,
    pub company: String,
    pub details: String,
    /// HTML from the search (matches in `<mark>`, everything else escaped there).
    pub snippet: String,
    /// Suggestions: the overall score in percent and its parts.
    pub score: Option<u32>,
    pub fits: Vec<Fit>,
    /// Its place in the graduate's choices, if chosen.
    pub chosen: Option<usize>,
}

/// Where and for how much, as known: "肇庆新区 · 4,500–6,500 元/月".
fn place_and_pay(page: &Page, location: Option<&str>, min: Option<i64>, max: Option<i64>) -> Vec<String> {
    location.map(str::to_string).into_iter().chain(format::salary(page.lang, min, max)).collect()
}

/// The graduate's choices as stored, each with its posting's title and company; a posting
/// the reader can no longer read (closed, deleted) is named as such.
pub async fn chosen_lines(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<ChosenLine>, AppError> {
    let mut lines = Vec::with_capacity(ids.len());
    for (at, id) in ids.iter().enumerate() {
        let (title, details, open) = match postings::get_named(&state.db, Some(actor), *id).await {
            Ok(source) => {
                let f = &source.posting.fields;
                let mut details = vec![source.organization_name.clone()];
                details.extend(place_and_pay(page, f.location.as_deref(), f.salary_min, f.salary_max));
                (f.title.clone(), details.join(" · "), f.status == PostingStatus::Open)
            }
            Err(AppError::NotFound) => (page.t("sc-choices-gone"), String::new(), false),
            Err(error) => return Err(error),
        };
        lines.push(ChosenLine {
            posting_id: *id,
            rank: at + 1,
            title,
            details,
            open,
            first: at == 0,
            last: at + 1 == ids.len(),
        });
    }
    Ok(lines)
}

/// Open postings suggested for the graduate, best first, with the parts of the score.
pub async fn suggested(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    graduate: i64,
    chosen: &[i64],
    limit: usize,
) -> Result<Vec<OfferedPosting>, AppError> {
    let found = graduates::suggestions(&state.db, &state.searches, actor, graduate, limit).await?;
    let mut offered = Vec::with_capacity(found.len());
    for s in found {
        // The index stores the posting as the API shows it; a row it cannot read is skipped.
        let Ok(posting) = serde_json::from_value::<Posting>(s.item) else { continue };
        let f = &posting.fields;
        offered.push(OfferedPosting {
            id: posting.id,
            details: place_and_pay(page, f.location.as_deref(), f.salary_min, f.salary_max).join(" · "),
            title: f.title.clone(),
            company: s.organization_name,
            snippet: String::new(),
            score: Some(percent(s.score.total)),
            fits: fits(page, &s.score),
            chosen: chosen.iter().position(|c| *c == posting.id).map(|at| at + 1),
        });
    }
    Ok(offered)
}

/// A search hit as offered.
fn hit(page: &Page, item: &Value, chosen: &[i64]) -> Option<OfferedPosting> {
    let id = item["id"].as_i64()?;
    let text = |name: &str| item[name].as_str().map(str::to_string);
    let mut place =
        place_and_pay(page, item["location"].as_str(), item["salary_min"].as_i64(), item["salary_max"].as_i64());
    if let Some(park) = text("park") {
        place.insert(0, park);
    }
    Some(OfferedPosting {
        id,
        title: text("title")?,
        company: text("organization_name").unwrap_or_default(),
        details: place.join(" · "),
        snippet: text("snippet").unwrap_or_default(),
        score: None,
        fits: Vec::new(),
        chosen: chosen.iter().position(|c| *c == id).map(|at| at + 1),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/school/choices.html")]
pub struct ChoicesPage {
    pub page: Page,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub graduate_details: String,
    pub chosen: Vec<ChosenLine>,
    pub max: usize,
    pub full: bool,
    /// The words searched for; empty: suggestions are shown.
    pub q: String,
    pub offered: Vec<OfferedPosting>,
    /// Search hits over all pages.
    pub total: i64,
    pub pagination: Pagination,
    /// Why the last change was refused, in the page's language.
    pub errors: Vec<String>,
}

/// `?q=` as the page's URL holds it (one line of text; control characters dropped), and
/// why it cannot be searched when it is beyond a search's bounds (too long, too many words).
fn words(page: &Page) -> (String, Option<String>) {
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query);
    let q: String = serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.chars().filter(|c| !c.is_control()).collect())
        .unwrap_or_default();
    match search_words::check(&q) {
        Ok(()) => (q.trim().to_string(), None),
        Err(message) => {
            (q.trim().chars().take(search_words::MAX_CHARS).collect(), Some(page.pick(&message).to_string()))
        }
    }
}

fn graduate_details(page: &Page, graduate: &Graduate) -> String {
    let f = &graduate.fields;
    let mut parts: Vec<String> = f.student_no.iter().chain(f.class_name.iter()).cloned().collect();
    parts.push(f.major.clone());
    parts.push(page.label(f.education.label_zh(), f.education.label_en()).to_string());
    parts.push(page.t1("graduation-year", "year", f.graduation_year));
    parts.join(" · ")
}

/// The page with the choices as stored now and the postings offered for `q`.
async fn load(
    state: &AppState,
    page: Page,
    actor: &Actor,
    graduate: Graduate,
    mut errors: Vec<String>,
) -> Result<ChoicesPage, AppError> {
    let ids = preferences::get_choices(&state.db, actor, graduate.id).await?.posting_ids;
    let chosen = chosen_lines(state, &page, actor, &ids).await?;
    let (q, refused) = words(&page);
    let (offered, total, pagination) = if let Some(why) = refused {
        // Words beyond a search's bounds are shown back with why, and nothing is searched.
        errors.push(why);
        (Vec::new(), 0, Pagination::default())
    } else if q.is_empty() {
        (suggested(state, &page, actor, graduate.id, &ids, SUGGESTED).await?, 0, Pagination::default())
    } else {
        let request = PageRequest { per_page: PER_PAGE, ..page_request(&page) };
        let filters =
            PostingFilters { q: q.clone(), status: Some(PostingStatus::Open), page: request, ..Default::default() };
        let found = postings::search(&state.searches, Some(actor), &filters).await?;
        let base = format!(
            "/app/graduates/{}/choices?{}",
            graduate.id,
            serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default()
        );
        let pagination = Pagination::new(request.page, request.per_page, found.total, |n| {
            crate::http::pages::pagination::page_href(&base, n, PageRequest::DEFAULT_PER_PAGE)
        });
        let offered = found.items.iter().filter_map(|item| hit(&page, &item.record(), &ids)).collect();
        (offered, found.total, pagination)
    };
    Ok(ChoicesPage {
        graduate_id: graduate.id,
        graduate_details: graduate_details(&page, &graduate),
        graduate_name: graduate.fields.name,
        full: ids.len() >= MAX_CHOICES,
        max: MAX_CHOICES,
        chosen,
        q,
        offered,
        total,
        pagination,
        errors,
        page,
    })
}

async fn show(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let status = if words(&page).1.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(with_status(status, load(&state, page.clone(), &actor, graduate, Vec::new()).await.or_refused(&page)?))
}

/// The same page with the reasons a change was refused.
async fn refused(
    state: &AppState,
    page: Page,
    actor: &Actor,
    graduate: Graduate,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    match load(state, page.clone(), actor, graduate, errors).await {
        Ok(view) => with_status(status, view),
        Err(error) => ErrorPage::from_error(page, error),
    }
}

async fn change(
    State(state): State<AppState>,
    SchoolDesk(page, actor): SchoolDesk,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, Refused> {
    let graduate = graduate_of(&state, &page, &actor, &id).await?;
    let current = preferences::get_choices(&state.db, &actor, graduate.id).await.or_refused(&page)?.posting_ids;
    Ok(changed(&state, page, &actor, graduate, &form, current).await)
}

/// The change to the list the form asks for, once the graduate and its choices are read.
async fn changed(
    state: &AppState,
    page: Page,
    actor: &Actor,
    graduate: Graduate,
    form: &FormData,
    current: Vec<i64>,
) -> Response {
    let (mut ids, mut flash) = match edited(form, &current) {
        Ok(done) => done,
        Err(key) => {
            let message = page.t1(key, "max", MAX_CHOICES);
            return refused(state, page, actor, graduate, StatusCode::UNPROCESSABLE_ENTITY, vec![message]).await;
        }
    };
    // Back to where the teacher acted: the graduate's page, the posting just added (in the
    // same search), or the list.
    let q = form.get("q").unwrap_or("");
    let search = if q.is_empty() {
        String::new()
    } else {
        format!("?{}", serde_urlencoded::to_string([("q", q)]).unwrap_or_default())
    };
    let back = match (form.get("back"), form.get("op")) {
        (Some("graduate"), _) => format!("/app/graduates/{}#suggestions", graduate.id),
        (_, Some("add")) => {
            format!("/app/graduates/{}/choices{search}#offer-{}", graduate.id, form.get("posting_id").unwrap_or(""))
        }
        _ => format!("/app/graduates/{}/choices{search}#chosen", graduate.id),
    };
    if ids == current {
        return see_other_with_flash(&back, flash);
    }
    // Postings closed since they were chosen cannot be kept (a round takes open ones only):
    // they leave the list with this change, and the message says so.
    let mut kept = Vec::with_capacity(ids.len());
    for posting_id in &ids {
        match postings::get(&state.db, Some(actor), *posting_id).await {
            Ok(p) if p.fields.status == PostingStatus::Open => kept.push(*posting_id),
            Ok(_) | Err(AppError::NotFound) if current.contains(posting_id) => {
                flash = "sc-flash-choices-dropped-closed"
            }
            Ok(_) | Err(AppError::NotFound) => {
                let message = page.t("sc-choices-not-open");
                return refused(state, page, actor, graduate, StatusCode::UNPROCESSABLE_ENTITY, vec![message]).await;
            }
            Err(error) => return ErrorPage::from_error(page, error),
        }
    }
    ids = kept;
    let ranked = match CHOICES.parse::<RankedPostings>(&ids) {
        Ok(ranked) => ranked,
        Err(errors) => {
            let messages = errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect();
            return refused(state, page, actor, graduate, StatusCode::UNPROCESSABLE_ENTITY, messages).await;
        }
    };
    match services::preferences::put_choices(&state.db, actor, graduate.id, ranked).await {
        Ok(_) => see_other_with_flash(&back, flash),
        Err(AppError::Validation(errors)) => {
            let messages = errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect();
            refused(state, page, actor, graduate, StatusCode::UNPROCESSABLE_ENTITY, messages).await
        }
        Err(error) => ErrorPage::from_error(page, error),
    }
}

/// The graduate's choices as small forms keep them (`posting_id`), at most `MAX_CHOICES`.
const CHOICES: RankedList = RankedList {
    field: "posting_id",
    list_field: "posting_ids",
    max: Some((MAX_CHOICES, "sc-choices-full")),
    bad_form: "sc-choices-bad-form",
    not_listed: "sc-choices-not-listed",
    already: "sc-flash-choices-already",
    added: "sc-flash-choices-added",
    moved: "sc-flash-choices-moved",
    removed: "sc-flash-choices-removed",
};

/// The choices after the form's operation, and the flash message to leave; or the
/// catalogue key of why the form makes no sense.
fn edited(form: &FormData, current: &[i64]) -> Result<(Vec<i64>, &'static str), &'static str> {
    CHOICES.edited(form, current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn a_full_list_takes_no_more() {
        let full: Vec<i64> = (1..=MAX_CHOICES as i64).collect();
        assert_eq!(edited(&form(&[("op", "add"), ("posting_id", "99")]), &full), Err("sc-choices-full"));
        assert_eq!(edited(&form(&[("op", "add"), ("posting_id", "5")]), &full).unwrap().1, "sc-flash-choices-already");
        assert_eq!(edited(&form(&[("op", "remove"), ("posting_id", "5")]), &full).unwrap().0.len(), MAX_CHOICES - 1);
    }
}
