//! A posting's candidates: the graduates suggested for it, with the parts of the score that
//! matched, and its ranked shortlist. The shortlist is kept by small forms (add, up, down,
//! remove, renumber) that all post to one URL; with the script, rows are dragged and the
//! new order is posted as the renumber form. Each change writes the whole list through the
//! same service as `PUT /postings/{id}/shortlist`.

use super::refusal_messages;
use crate::domain::graduate::Graduate;
use crate::domain::preference::RankedGraduates;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::Id;
use crate::http::pages::form::FormData;
use crate::http::pages::format;
use crate::http::pages::ranked::RankedList;
use crate::http::pages::site::see_other_with_flash;
use crate::http::pages::templates::{ErrorPage, with_status};
use crate::http::pages::{Page, SignedIn};
use crate::matching::score::Breakdown;
use crate::services::{graduates, postings, preferences};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;

/// How many suggestions the page shows.
const SUGGESTIONS: usize = 30;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/postings/{id}/candidates", get(show)).route("/app/postings/{id}/shortlist", post(change))
}

/// One part of the score, as a reader judges it: matched, partly, or not.
pub struct Fit {
    /// `text`, `major`, `education`, `location`, `salary`, `benefits`.
    pub part: &'static str,
    /// `good`, `partial` or `poor`.
    pub level: &'static str,
    /// "专业：相符".
    pub text: String,
}

pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub school: String,
    pub major: String,
    pub education: &'static str,
    pub graduation_year: i64,
    pub expected_salary: Option<String>,
    pub locations: String,
    pub skills: String,
    /// The overall score in percent.
    pub total: u32,
    pub fits: Vec<Fit>,
    pub shortlisted: bool,
    /// What the graduate consented to, in the page's language.
    pub purpose: Option<String>,
}

pub struct Entry {
    pub id: i64,
    pub rank: usize,
    pub name: String,
    pub details: String,
    pub first: bool,
    pub last: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/matching/candidates.html")]
pub struct CandidatesPage {
    pub page: Page,
    pub posting_id: i64,
    pub posting_title: String,
    pub suggestions: Vec<Candidate>,
    pub shortlist: Vec<Entry>,
    /// Why the last change was refused, in the page's language.
    pub errors: Vec<String>,
}

/// The parts of a score in the order a reader weighs them (a school's page of a graduate's
/// suggested postings shows them too).
pub fn fits(page: &Page, score: &Breakdown) -> Vec<Fit> {
    let parts = [
        ("major", "fit-major", score.major),
        ("education", "fit-education", score.education),
        ("location", "fit-location", score.location),
        ("salary", "fit-salary", score.salary),
        ("benefits", "fit-benefits", score.benefits),
        ("text", "fit-text", score.text),
    ];
    parts
        .into_iter()
        .map(|(part, key, value)| {
            // Thresholds follow the scoring's own steps: a listed major, the education
            // band and a met salary score 0.8 or more; unknowns score about half.
            let (level, level_key) = if value >= 0.8 {
                ("good", "fit-good")
            } else if value >= 0.4 {
                ("partial", "fit-partial")
            } else {
                ("poor", "fit-poor")
            };
            let text = page.t2("fit-line", "part", page.t(key), "level", page.t(level_key));
            Fit { part, level, text }
        })
        .collect()
}

pub fn percent(value: f64) -> u32 {
    (value.clamp(0.0, 1.0) * 100.0).round() as u32
}

fn candidate(
    page: &Page,
    graduate: Graduate,
    school: String,
    score: &Breakdown,
    listed: &[i64],
    purpose: Option<&str>,
) -> Candidate {
    let purpose = purpose.map(|p| match page.lang {
        crate::http::pages::i18n::Lang::Zh => p.to_string(),
        crate::http::pages::i18n::Lang::En => crate::domain::consent::purpose_en(p).unwrap_or(p).to_string(),
    });
    let f = graduate.fields;
    Candidate {
        id: graduate.id,
        name: f.name,
        school,
        major: f.major,
        education: page.label(f.education.label_zh(), f.education.label_en()),
        graduation_year: f.graduation_year,
        expected_salary: f.expected_salary.and_then(|s| format::salary(page.lang, Some(s), Some(s))),
        locations: f.preferred_locations.0.join("、"),
        skills: f.skills.0.iter().chain(f.certificates.0.iter()).cloned().collect::<Vec<_>>().join("、"),
        total: percent(score.total),
        fits: fits(page, score),
        shortlisted: listed.contains(&graduate.id),
        purpose,
    }
}

/// The page with the posting's suggestions and its shortlist as stored now.
async fn load(state: &AppState, signed: SignedIn, id: i64, errors: Vec<String>) -> Result<CandidatesPage, Response> {
    let SignedIn { page, actor } = signed;
    // The suggestions check that the reader keeps this posting (its company, coordinators).
    let suggested = match postings::suggestions(&state.db, &state.searches, &actor, id, SUGGESTIONS).await {
        Ok(s) => s,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let posting = match postings::get(&state.db, Some(&actor), id).await {
        Ok(p) => p,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let listed = match preferences::get_shortlist(&state.db, &actor, id).await {
        Ok(s) => s.graduate_ids,
        Err(e) => return Err(ErrorPage::from_error(page, e)),
    };
    let mut schools: HashMap<i64, String> = HashMap::new();
    let mut suggestions = Vec::with_capacity(suggested.len());
    for s in suggested {
        // The index stores what the API shows this reader; a row it cannot read is skipped.
        let purpose = s.item.get("consent_purpose").and_then(|p| p.as_str()).map(str::to_string);
        let Ok(graduate) = serde_json::from_value::<Graduate>(s.item) else { continue };
        schools.insert(graduate.id, s.organization_name.clone());
        suggestions.push(candidate(&page, graduate, s.organization_name, &s.score, &listed, purpose.as_deref()));
    }
    let mut shortlist = Vec::with_capacity(listed.len());
    for (at, graduate_id) in listed.iter().enumerate() {
        let graduate = match graduates::get(&state.db, &actor, *graduate_id).await {
            Ok(g) => g,
            Err(AppError::NotFound) => continue,
            Err(e) => return Err(ErrorPage::from_error(page, e)),
        };
        let f = graduate.fields;
        let education = page.label(f.education.label_zh(), f.education.label_en());
        let mut details = vec![f.major, education.to_string()];
        details.extend(schools.get(graduate_id).cloned());
        shortlist.push(Entry {
            id: *graduate_id,
            rank: at + 1,
            name: f.name,
            details: details.join(" · "),
            first: at == 0,
            last: at + 1 == listed.len(),
        });
    }
    Ok(CandidatesPage { page, posting_id: id, posting_title: posting.fields.title, suggestions, shortlist, errors })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Id(id): Id) -> Response {
    match load(&state, signed, id, Vec::new()).await {
        Ok(view) => view.into_response(),
        Err(response) => response,
    }
}

/// The same page with the reasons a change was refused.
async fn refused(state: &AppState, signed: SignedIn, id: i64, status: StatusCode, errors: Vec<String>) -> Response {
    match load(state, signed, id, errors).await {
        Ok(view) => with_status(status, view),
        Err(response) => response,
    }
}

async fn change(State(state): State<AppState>, signed: SignedIn, Id(id): Id, form: FormData) -> Response {
    let current = match preferences::get_shortlist(&state.db, &signed.actor, id).await {
        Ok(s) => s.graduate_ids,
        Err(e) => return ErrorPage::from_error(signed.page, e),
    };
    let (ids, flash) = match edited(&form, &current) {
        Ok(done) => done,
        Err(key) => {
            let message = signed.page.t(key);
            return refused(&state, signed, id, StatusCode::UNPROCESSABLE_ENTITY, vec![message]).await;
        }
    };
    // Back to where the user acted: the candidate just added, or the shortlist.
    let back = match form.get("op") {
        Some("add") => format!("/app/postings/{id}/candidates#candidate-{}", form.get("graduate_id").unwrap_or("")),
        _ => format!("/app/postings/{id}/candidates#shortlist"),
    };
    if ids == current {
        return see_other_with_flash(&back, flash);
    }
    let ranked = match SHORTLIST.parse::<RankedGraduates>(&ids) {
        Ok(ranked) => ranked,
        Err(errors) => {
            let messages = errors.0.iter().map(|e| signed.page.pick(&e.message).to_string()).collect();
            return refused(&state, signed, id, StatusCode::UNPROCESSABLE_ENTITY, messages).await;
        }
    };
    match preferences::put_shortlist(&state.db, &signed.actor, id, ranked).await {
        Ok(_) => see_other_with_flash(&back, flash),
        Err(error) => match refusal_messages(&signed.page, &error) {
            Some((status, mut messages)) => {
                if matches!(error, AppError::Validation(_)) {
                    // The service names a position in the list; say what it means here.
                    messages.insert(0, signed.page.t("shortlist-not-visible"));
                }
                refused(&state, signed, id, status, messages).await
            }
            None => ErrorPage::from_error(signed.page, error),
        },
    }
}

/// A posting's shortlist as small forms keep it (`graduate_id`); how long it may be is the
/// API's parse's to say.
const SHORTLIST: RankedList = RankedList {
    field: "graduate_id",
    list_field: "graduate_ids",
    max: None,
    bad_form: "shortlist-bad-form",
    not_listed: "shortlist-not-listed",
    already: "flash-shortlist-already",
    added: "flash-shortlist-added",
    moved: "flash-shortlist-moved",
    removed: "flash-shortlist-removed",
};

/// The shortlist after the form's operation (a ranked list's, or `order`: renumbered),
/// and the flash message to leave; or the catalogue key of why the form makes no sense.
fn edited(form: &FormData, current: &[i64]) -> Result<(Vec<i64>, &'static str), &'static str> {
    match form.get("op") {
        Some("order") => Ok((reordered(form, current)?, "flash-shortlist-reordered")),
        _ => SHORTLIST.edited(form, current),
    }
}

/// A new order: `graduate_ids` in order (the script's drag), or a number per entry
/// (`rank_<id>`). Reordering never adds or drops anyone: ids not on the list are ignored,
/// entries not named keep their place after those named.
fn reordered(form: &FormData, current: &[i64]) -> Result<Vec<i64>, &'static str> {
    if form.0.iter().any(|(k, _)| k == "graduate_ids") {
        let mut ids = Vec::with_capacity(current.len());
        for value in form.all("graduate_ids") {
            let id = value.parse::<i64>().map_err(|_| "shortlist-bad-form")?;
            if current.contains(&id) && !ids.contains(&id) {
                ids.push(id);
            }
        }
        let unnamed: Vec<i64> = current.iter().copied().filter(|g| !ids.contains(g)).collect();
        ids.extend(unnamed);
        return Ok(ids);
    }
    let mut keyed = Vec::with_capacity(current.len());
    for (at, id) in current.iter().enumerate() {
        let rank = match form.get(&format!("rank_{id}")) {
            Some(text) => text.parse::<f64>().ok().filter(|r| r.is_finite()).ok_or("shortlist-bad-rank")?,
            None => (at + 1) as f64,
        };
        // On a tie, the entry the user renumbered goes first: typing 1 puts it on top.
        let moved = rank != (at + 1) as f64;
        keyed.push((rank, !moved, at, *id));
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    Ok(keyed.into_iter().map(|(_, _, _, id)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn the_shortlist_moves_as_a_ranked_list_with_its_own_words() {
        let list = [1, 2, 3];
        assert_eq!(
            edited(&form(&[("op", "up"), ("graduate_id", "3")]), &list).unwrap(),
            (vec![1, 3, 2], "flash-shortlist-moved")
        );
        assert_eq!(edited(&form(&[("op", "add"), ("graduate_id", "2")]), &list).unwrap().1, "flash-shortlist-already");
        assert_eq!(edited(&form(&[("op", "down"), ("graduate_id", "7")]), &list), Err("shortlist-not-listed"));
        assert_eq!(edited(&form(&[("op", "jump"), ("graduate_id", "1")]), &list), Err("shortlist-bad-form"));
    }

    #[test]
    fn renumbers_by_rank_or_by_the_dragged_order() {
        let list = [1, 2, 3];
        let by_rank = form(&[("op", "order"), ("rank_1", "1"), ("rank_2", "2"), ("rank_3", "1")]);
        assert_eq!(edited(&by_rank, &list).unwrap().0, [3, 1, 2], "the renumbered entry wins a tie");
        let by_rank = form(&[("op", "order"), ("rank_1", "3"), ("rank_2", "1"), ("rank_3", "2")]);
        assert_eq!(edited(&by_rank, &list).unwrap().0, [2, 3, 1]);
        assert_eq!(edited(&form(&[("op", "order"), ("rank_1", "第一")]), &list), Err("shortlist-bad-rank"));
        let dragged = form(&[("op", "order"), ("graduate_ids", "3"), ("graduate_ids", "9"), ("graduate_ids", "1")]);
        assert_eq!(edited(&dragged, &list).unwrap().0, [3, 1, 2], "unknown ids ignored, missing ones kept");
    }
}
