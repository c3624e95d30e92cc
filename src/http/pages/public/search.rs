//! `/` — the listing search. The URL is the whole state (the API's parameter names, read
//! by the API's own [`PostingQuery`]), so every link on the page is the same search with
//! one thing changed: a facet added, a filter removed, another page.

use crate::domain::{Benefit, Category, Education, FieldErrors, PostingStatus};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::extract::ClientIp;
use crate::http::pages::context::Page;
use crate::http::pages::form::{FormData, FormView};
use crate::http::pages::format;
use crate::http::pages::pagination::Pagination;
use crate::http::pages::templates::{ErrorPage, RenderedContent, framed, timed, with_status};
use crate::http::postings::PostingQuery;
use crate::http::query::Query;
use crate::search::listing::{PostingFilters, SearchPage, Sort};
use crate::services::postings as service;
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Location facets shown, the most frequent first (a demo has dozens of places).
const LOCATION_FACETS: usize = 8;
/// Benefits named on a result; the posting's page lists them all.
const RESULT_BENEFITS: usize = 4;

pub async fn search(State(state): State<AppState>, ClientIp(address): ClientIp, page: Page) -> Response {
    // Every visit counts, cached or not: the limit is per client, not per search's cost.
    if let Err(error) = state.search_rate.admit(page.actor(), address) {
        return ErrorPage::from_error(page, error);
    }
    let raw = page.uri.split_once('?').map_or("", |(_, query)| query).to_string();
    // The content depends only on the language and the URL (for the usual searches, of
    // open postings, not on who asks): it is built once per index generation and put in
    // each viewer's frame.
    let key = format!("{}|{raw}", page.lang.code());
    let generation = service::search_generation(&state.searches);
    let cached = state.rendered.lock().expect("rendered pages lock").get(generation, &key);
    let content = match cached {
        Some(content) => content,
        None => match Query::read::<PostingQuery>(&raw) {
            Ok(PostingQuery(mut filters)) => {
                // The facets are the page's filters: the search counts them for the first
                // page only, so later pages list results without them.
                filters.facets = true;
                let shared = filters.status.is_none_or(|s| s == PostingStatus::Open);
                let found = match service::search(&state.searches, page.actor(), &filters).await {
                    Ok(found) => found,
                    Err(error) => return ErrorPage::from_error(page, error),
                };
                let content = match rendered("search", SearchView::found(page.clone(), &raw, filters, &found)) {
                    Ok(content) => Arc::new(content),
                    Err(error) => return ErrorPage::from_error(page, error),
                };
                if shared {
                    state.rendered.lock().expect("rendered pages lock").put(generation, key, content.clone());
                }
                content
            }
            // A hand-edited or stale URL: the form again, with what is wrong, not an error page.
            Err(AppError::Validation(errors)) => {
                match rendered("search", SearchView::rejected(page.clone(), &raw, &errors)) {
                    Ok(content) => return with_status(StatusCode::UNPROCESSABLE_ENTITY, framed(page, &content)),
                    Err(error) => return ErrorPage::from_error(page, error),
                }
            }
            Err(error) => return ErrorPage::from_error(page, error),
        },
    };
    framed(page, &content)
}

/// The search content rendered, titled by its heading.
fn rendered(name: &'static str, view: SearchView) -> Result<RenderedContent, AppError> {
    let title = view.heading.clone();
    let content = timed(name, || view.render()).map_err(|e| AppError::Internal(e.into()))?;
    Ok(RenderedContent { title, content })
}

/// An option of a select or a checkbox.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// One facet value: the same search narrowed by it.
pub struct FacetLink {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub href: String,
}

pub struct FacetGroup {
    /// The URL parameter it sets (`data-facet`).
    pub facet: &'static str,
    /// Catalogue key of its heading.
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

/// An active filter and the same search without it.
pub struct Chip {
    pub label: String,
    pub href: String,
}

/// One hit as the list shows it.
pub struct ResultView {
    pub id: i64,
    pub title: String,
    pub company: String,
    /// Location and park, as known.
    pub place: String,
    pub pay: Option<String>,
    pub category: &'static str,
    pub education: &'static str,
    pub benefits: Vec<&'static str>,
    /// HTML from the search: matches in `<mark>`, everything else escaped there.
    pub snippet: String,
    pub closes_on: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/public/search_main.html")]
pub struct SearchView {
    pub page: Page,
    pub form: FormView,
    pub categories: Vec<Choice>,
    pub educations: Vec<Choice>,
    pub benefits: Vec<Choice>,
    pub sorts: Vec<Choice>,
    /// Parameters the form does not show but the search keeps (a company's postings).
    pub hidden: Vec<(&'static str, String)>,
    pub chips: Vec<Chip>,
    pub facets: Vec<FacetGroup>,
    pub results: Vec<ResultView>,
    /// `None` when the URL could not be read (nothing was searched).
    pub total: Option<i64>,
    pub pagination: Pagination,
    /// The heading: what was searched for.
    pub heading: String,
}

/// What a result shows of a search hit, read in place from the hit's JSON (borrowing its
/// text): the page is built per request from the cached search result, so it must not pay
/// for a full `Posting` per hit.
#[derive(Deserialize)]
struct Hit<'a> {
    id: i64,
    // Borrowed unless the JSON escapes something (a line break, a quote).
    #[serde(borrow)]
    title: Cow<'a, str>,
    category: Category,
    education_min: Education,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    #[serde(borrow)]
    location: Option<Cow<'a, str>>,
    #[serde(default)]
    benefits: Vec<Benefit>,
    closes_on: Option<NaiveDate>,
    #[serde(borrow)]
    organization_name: Cow<'a, str>,
    #[serde(borrow)]
    park: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    snippet: Cow<'a, str>,
}

impl SearchView {
    /// The form as the URL fills it, with the URL's errors; nothing searched yet.
    fn rejected(page: Page, raw: &str, errors: &FieldErrors) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).unwrap_or_default();
        let form = labelled(FormView::rejected(&FormData(pairs), errors, page.lang), &page);
        let lang = page.lang;
        let choices = |all: Vec<(&'static str, &'static str, &'static str)>, field: &str| -> Vec<Choice> {
            all.into_iter()
                .map(|(value, zh, en)| Choice { value, label: lang.label(zh, en), selected: form.has(field, value) })
                .collect()
        };
        let categories =
            choices(Category::ALL.iter().map(|c| (c.as_str(), c.label_zh(), c.label_en())).collect(), "category");
        let educations =
            choices(Education::ALL.iter().map(|e| (e.as_str(), e.label_zh(), e.label_en())).collect(), "education");
        let benefits =
            choices(Benefit::ALL.iter().map(|b| (b.as_str(), b.label_zh(), b.label_en())).collect(), "benefit");
        let sorts = choices(
            vec![
                ("relevance", "最相关", "Best match"),
                ("newest", "最新发布", "Newest"),
                ("salary", "薪资最高", "Highest pay"),
            ],
            "sort",
        );
        let heading = page.t("pub-search-title");
        SearchView {
            page,
            form,
            categories,
            educations,
            benefits,
            sorts,
            hidden: Vec::new(),
            chips: Vec::new(),
            facets: Vec::new(),
            results: Vec::new(),
            total: None,
            pagination: Pagination::default(),
            heading,
        }
    }

    fn found(page: Page, raw: &str, filters: PostingFilters, found: &SearchPage) -> Self {
        let mut view = Self::rejected(page, raw, &FieldErrors::default());
        let page = &view.page;
        view.hidden = hidden(&filters);
        view.chips = chips(page, &filters);
        view.facets = facets(page, &filters, &found.facets, found.total);
        view.results = found
            .items
            .iter()
            .filter_map(|item| match Hit::deserialize(item.json()) {
                Ok(hit) => Some(result(page, hit)),
                Err(error) => {
                    // A stored document the page cannot read is skipped, not a broken page.
                    tracing::warn!(%error, "search hit not shown");
                    None
                }
            })
            .collect();
        view.pagination = Pagination::new(found.page, found.per_page, found.total, |n| {
            href(&PostingFilters { page: PageRequest { page: n, ..filters.page }, ..filters.clone() })
        });
        if !filters.q.is_empty() {
            view.heading = view.page.t1("pub-search-title-for", "q", filters.q.clone());
        }
        view.total = Some(found.total);
        view
    }

    /// Is anything narrowing the search (so an empty result can suggest dropping it)?
    pub fn has_filters(&self) -> bool {
        !self.chips.is_empty()
    }
}

/// Each control's label by its parameter, for the error summary.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("q", "pub-search-q-label"),
    ("category", "pub-search-category"),
    ("education", "pub-search-education"),
    ("location", "pub-search-location"),
    ("salary_min", "pub-search-salary-min"),
    ("benefit", "pub-search-benefits"),
    ("sort", "pub-search-sort"),
];

/// The form with its controls' labels; a parameter it has no control for (a hand-made
/// URL) is named by itself.
fn labelled(form: FormView, page: &Page) -> FormView {
    let unlabelled: Vec<String> = form
        .errors()
        .iter()
        .map(|(field, _)| field.clone())
        .filter(|field| !field.is_empty() && !FIELD_LABELS.iter().any(|(name, _)| name == field))
        .collect();
    unlabelled.into_iter().fold(form.labelled(page, FIELD_LABELS), |form, field| form.with_label(&field, field.clone()))
}

fn sort_name(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "relevance",
        Sort::Newest => "newest",
        Sort::Salary => "salary",
    }
}

/// The URL of a search: only what differs from the defaults, in a fixed order.
pub fn href(f: &PostingFilters) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !f.q.is_empty() {
        pairs.push(("q", f.q.clone()));
    }
    if let Some(c) = f.category {
        pairs.push(("category", c.as_str().into()));
    }
    if let Some(e) = f.education {
        pairs.push(("education", e.as_str().into()));
    }
    if let Some(l) = &f.location {
        pairs.push(("location", l.clone()));
    }
    if let Some(s) = f.salary_min {
        pairs.push(("salary_min", s.to_string()));
    }
    pairs.extend(f.benefits.iter().map(|b| ("benefit", b.as_str().to_string())));
    pairs.extend(hidden(f));
    if f.sort != Sort::Relevance {
        pairs.push(("sort", sort_name(f.sort).into()));
    }
    if f.page.page > 1 {
        pairs.push(("page", f.page.page.to_string()));
    }
    if pairs.is_empty() {
        return "/".into();
    }
    format!("/?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// Parameters the search keeps that its form has no control for.
fn hidden(f: &PostingFilters) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(o) = f.organization_id {
        pairs.push(("organization_id", o.to_string()));
    }
    if let Some(p) = f.project_id {
        pairs.push(("project_id", p.to_string()));
    }
    if let Some(s) = f.status {
        pairs.push(("status", s.as_str().to_string()));
    }
    if f.page.per_page != PageRequest::DEFAULT_PER_PAGE {
        pairs.push(("per_page", f.page.per_page.to_string()));
    }
    pairs
}

/// The same search changed by `change`, from its first page.
fn changed(f: &PostingFilters, change: impl FnOnce(&mut PostingFilters)) -> String {
    let mut f = f.clone();
    change(&mut f);
    f.page.page = 1;
    href(&f)
}

fn chips(page: &Page, f: &PostingFilters) -> Vec<Chip> {
    let mut chips = Vec::new();
    if !f.q.is_empty() {
        chips.push(Chip { label: page.t1("pub-chip-words", "q", f.q.as_str()), href: changed(f, |f| f.q.clear()) });
    }
    if let Some(c) = f.category {
        chips.push(Chip {
            label: page.label(c.label_zh(), c.label_en()).into(),
            href: changed(f, |f| f.category = None),
        });
    }
    if let Some(e) = f.education {
        let label = page.t1("pub-chip-education", "level", page.label(e.label_zh(), e.label_en()));
        chips.push(Chip { label, href: changed(f, |f| f.education = None) });
    }
    if let Some(l) = &f.location {
        chips.push(Chip { label: l.clone(), href: changed(f, |f| f.location = None) });
    }
    if let Some(s) = f.salary_min {
        let label = page.t1("pub-chip-salary", "amount", format::yuan(s));
        chips.push(Chip { label, href: changed(f, |f| f.salary_min = None) });
    }
    for b in &f.benefits {
        let href = changed(f, |f| f.benefits.retain(|x| x != b));
        chips.push(Chip { label: page.label(b.label_zh(), b.label_en()).into(), href });
    }
    if f.organization_id.is_some() {
        chips.push(Chip { label: page.t("pub-chip-company"), href: changed(f, |f| f.organization_id = None) });
    }
    if f.project_id.is_some() {
        chips.push(Chip { label: page.t("pub-chip-project"), href: changed(f, |f| f.project_id = None) });
    }
    chips
}

/// Facet counts as links. Education is "suits my level": a posting asking for at most
/// that level, so its count adds up the levels at or below it.
fn facets(
    page: &Page,
    f: &PostingFilters,
    counts: &BTreeMap<String, BTreeMap<String, u64>>,
    total: i64,
) -> Vec<FacetGroup> {
    let empty = BTreeMap::new();
    let of = |name: &str| counts.get(name).unwrap_or(&empty);
    let by_count = |mut links: Vec<FacetLink>| {
        links.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        links
    };
    let mut groups = Vec::new();
    if f.category.is_none() {
        let links = Category::ALL
            .iter()
            .filter_map(|c| {
                let count = *of("category").get(c.as_str())?;
                let href = changed(f, |f| f.category = Some(*c));
                Some(FacetLink {
                    value: c.as_str().into(),
                    label: page.label(c.label_zh(), c.label_en()).into(),
                    count,
                    href,
                })
            })
            .collect();
        groups.push(FacetGroup { facet: "category", title: "pub-facet-category", links: by_count(links) });
    }
    let education_counts = of("education_min");
    let mut seen_ranks = Vec::new();
    let links = Education::ALL
        .iter()
        .filter(|e| f.education.is_none_or(|chosen| e.rank() < chosen.rank()))
        .filter_map(|e| {
            // One link per rank: 高中, 中专 and 技校 are the same level.
            if seen_ranks.contains(&e.rank()) {
                return None;
            }
            let count: u64 = Education::ALL
                .iter()
                .filter(|lower| lower.rank() <= e.rank())
                .filter_map(|lower| education_counts.get(lower.as_str()))
                .sum();
            // A level every result suits would not narrow anything.
            (count > 0 && (count as i64) < total).then(|| {
                seen_ranks.push(e.rank());
                let href = changed(f, |f| f.education = Some(*e));
                FacetLink {
                    value: e.as_str().into(),
                    label: page.label(e.label_zh(), e.label_en()).into(),
                    count,
                    href,
                }
            })
        })
        .collect();
    groups.push(FacetGroup { facet: "education", title: "pub-facet-education", links });
    let links = Benefit::ALL
        .iter()
        .filter(|b| !f.benefits.contains(b))
        .filter_map(|b| {
            let count = *of("benefits").get(b.as_str())?;
            let href = changed(f, |f| f.benefits.push(*b));
            Some(FacetLink {
                value: b.as_str().into(),
                label: page.label(b.label_zh(), b.label_en()).into(),
                count,
                href,
            })
        })
        .collect();
    groups.push(FacetGroup { facet: "benefit", title: "pub-facet-benefit", links: by_count(links) });
    if f.location.is_none() {
        let mut links = by_count(
            of("location")
                .iter()
                .map(|(place, count)| FacetLink {
                    value: place.clone(),
                    label: place.clone(),
                    count: *count,
                    href: changed(f, |f| f.location = Some(place.clone())),
                })
                .collect(),
        );
        links.truncate(LOCATION_FACETS);
        groups.push(FacetGroup { facet: "location", title: "pub-facet-location", links });
    }
    groups.retain(|g| !g.links.is_empty());
    groups
}

fn result(page: &Page, hit: Hit) -> ResultView {
    let mut place: Vec<&str> = [&hit.location, &hit.park].into_iter().flatten().map(|p| p.as_ref()).collect();
    // A park that is also the location is said once.
    place.dedup();
    ResultView {
        id: hit.id,
        title: hit.title.to_string(),
        company: hit.organization_name.to_string(),
        place: place.join(" · "),
        pay: format::salary(page.lang, hit.salary_min, hit.salary_max),
        category: page.label(hit.category.label_zh(), hit.category.label_en()),
        education: page.label(hit.education_min.label_zh(), hit.education_min.label_en()),
        benefits: hit.benefits.iter().take(RESULT_BENEFITS).map(|b| page.label(b.label_zh(), b.label_en())).collect(),
        snippet: without_title(&hit.snippet),
        closes_on: hit.closes_on.map(|d| format::date(page.lang, d)),
    }
}

/// The snippet without the title it starts with (the result's heading shows it), unless
/// the title is all that matched: then it keeps its marks. The search joins the posting's
/// texts (title, description, majors) with a separator that reads as a break, not as
/// punctuation: shown as " · ".
fn without_title(snippet: &str) -> String {
    const SEPARATOR: &str = " ； ";
    let shown = match snippet.split_once(SEPARATOR) {
        Some((_, rest)) if !snippet.starts_with('…') && (rest.contains("<mark>") || !snippet.contains("<mark>")) => {
            rest
        }
        _ => snippet,
    };
    shown.replace(SEPARATOR, " · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_drops_the_title_unless_only_the_title_matched() {
        assert_eq!(without_title("<mark>仓管</mark>员 ； 负责<mark>仓管</mark>"), "负责<mark>仓管</mark>");
        assert_eq!(without_title("<mark>仓管</mark>员 ； 负责收发"), "<mark>仓管</mark>员 · 负责收发");
        assert_eq!(without_title("仓管员 ； 负责收发 ； 物流管理"), "负责收发 · 物流管理");
        assert_eq!(without_title("仓管员 ； 负责收发"), "负责收发");
        assert_eq!(without_title("…负责 ； <mark>收发</mark>"), "…负责 · <mark>收发</mark>");
    }

    #[test]
    fn a_search_url_holds_only_what_differs_from_the_defaults() {
        assert_eq!(href(&PostingFilters::default()), "/");
        let f = PostingFilters {
            q: "仓管".into(),
            category: Some(Category::Logistics),
            benefits: vec![Benefit::Meals, Benefit::Dormitory],
            sort: Sort::Newest,
            page: PageRequest { page: 3, per_page: PageRequest::DEFAULT_PER_PAGE },
            ..Default::default()
        };
        assert_eq!(
            href(&f),
            "/?q=%E4%BB%93%E7%AE%A1&category=logistics&benefit=meals&benefit=dormitory&sort=newest&page=3"
        );
        // Narrowing starts again from the first page.
        assert!(!changed(&f, |f| f.salary_min = Some(5000)).contains("page="));
    }
}
