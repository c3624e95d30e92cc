//! `/app/reports`: the four reports by role, each a server-drawn SVG chart with its data
//! table beside it (below on a phone), filters as a GET form, and an Excel export of the
//! same figures (`/app/reports/export`, the session's counterpart of the API's
//! `format=xlsx`). The same services and query parsing as `/api/v1/reports/*`, so a page
//! and the API never disagree on a figure or on what a filter means.

mod chart;

use crate::domain::report::ReportKind;
use crate::domain::{Destination, FieldErrors, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::desk::{OrRefused, Refused};
use crate::http::pages::pagination::Pagination;
use crate::http::pages::{Page, SignedIn, format};
use crate::http::query::{FromQuery, Query};
use crate::http::reports::{DestinationQuery, FillQuery, PlacementQuery, TurnoutQuery};
use crate::services::Actor;
use crate::services::reports::{self as service, FillFilter, workbook};
use crate::services::rounds::RoundView;
use crate::store::PageRequest;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chart::{Bar, Group};
use chrono::Utc;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/reports", get(reports)).route("/app/reports/export", get(export))
}

/// `?report=`: which report (fill by default).
struct KindQuery(Option<ReportKind>);

impl FromQuery for KindQuery {
    fn from_query(query: &mut Query) -> Self {
        KindQuery(query.get("report", "fill (default), placements, destinations or turnout"))
    }
}

/// A report tab.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// An option of a filter's select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A filter: a select (`options`), or an input of `input` type (`date`, `number`).
pub struct Filter {
    pub name: &'static str,
    pub label: String,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub hint: String,
}

/// A column heading; `num` columns are right-aligned figures.
pub struct Column {
    pub text: String,
    pub num: bool,
}

pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Too many columns to become cards on a phone: scrolls inside its own box instead.
    pub wide: bool,
}

impl Table {
    /// The heading of column `at` (each card's cell is labelled with it on a phone).
    pub fn label(&self, at: &usize) -> &str {
        self.columns.get(*at).map(|c| c.text.as_str()).unwrap_or("")
    }

    pub fn is_num(&self, at: &usize) -> bool {
        self.columns.get(*at).is_some_and(|c| c.num)
    }
}

/// A chart and the table of its data: side by side on a wide screen when the table is
/// narrow enough to share it, else the chart above its table.
pub struct Section {
    pub heading: String,
    pub chart: String,
    pub table: Table,
}

impl Section {
    /// Tables of more than four columns do not fit beside a chart: below it instead.
    pub fn stacked(&self) -> bool {
        self.table.wide || self.table.columns.len() > 4
    }

    /// What the note under the chart says: bars are labelled, lines end with their values.
    pub fn note_key(&self) -> &'static str {
        if self.chart.contains("<polyline") { "rep-chart-note-lines" } else { "rep-chart-note" }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/reports/reports.html")]
pub struct ReportsPage {
    pub page: Page,
    pub kind: &'static str,
    pub tabs: Vec<Tab>,
    pub own_only: bool,
    pub filters: Vec<Filter>,
    pub errors: Vec<String>,
    pub filtered: bool,
    pub sections: Vec<Section>,
    pub rule: String,
    pub export_href: String,
    pub pagination: Pagination,
}

/// The query string's pairs, `lang` left out.
fn pairs(raw: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect()
}

/// The values a filter form sent, shown again as sent.
struct Values(Vec<(String, String)>);

impl Values {
    fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

fn raw_query(page: &Page) -> &str {
    page.uri.split_once('?').map_or("", |(_, q)| q)
}

/// The reports `role` may read: companies have no destinations report.
fn kinds(role: Role) -> Vec<ReportKind> {
    ReportKind::ALL.iter().copied().filter(|k| !(role == Role::Company && *k == ReportKind::Destinations)).collect()
}

/// What the report's filters were read as, or the messages of those that were not valid.
fn read<T: FromQuery>(page: &Page, raw: &str) -> Result<Option<T>, Refused> {
    match Query::read::<T>(raw) {
        Ok(found) => Ok(Some(found)),
        Err(AppError::Validation(_)) => Ok(None),
        Err(error) => Err(Refused::page(page, error)),
    }
}

fn errors_of<T: FromQuery>(page: &Page, raw: &str) -> Vec<String> {
    match Query::read::<T>(raw) {
        Err(AppError::Validation(errors)) => messages(page, &errors),
        _ => Vec::new(),
    }
}

/// What is wrong with each field, in the page's language.
fn messages(page: &Page, errors: &FieldErrors) -> Vec<String> {
    errors.0.iter().map(|e| page.pick(&e.message).to_string()).collect()
}

async fn reports(State(state): State<AppState>, signed: SignedIn) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let raw = raw_query(&page).to_string();
    let kind = Query::read::<KindQuery>(&raw).ok().and_then(|k| k.0).unwrap_or(ReportKind::Fill);
    if !kinds(actor.role).contains(&kind) {
        return Err(Refused::page(&page, AppError::Forbidden));
    }
    let values = pairs(&raw);
    let given = Values(values.clone());
    let filtered = values.iter().any(|(k, v)| k != "report" && k != "page" && !v.is_empty());
    let built = match kind {
        ReportKind::Fill => fill(&state, &page, &actor, &raw, &given).await?,
        ReportKind::Placements => placements(&state, &page, &actor, &raw, &given).await?,
        ReportKind::Destinations => destinations(&state, &page, &actor, &raw, &given).await?,
        ReportKind::Turnout => turnout(&state, &page, &actor, &raw).await?,
    };
    let tabs = kinds(actor.role)
        .into_iter()
        .map(|k| Tab {
            href: format!("/app/reports?report={}", k.as_str()),
            label: page.label(k.label_zh(), k.label_en()).to_string(),
            current: k == kind,
        })
        .collect();
    let mut export: Vec<(String, String)> = values.iter().filter(|(k, _)| k != "report").cloned().collect();
    export.insert(0, ("report".into(), kind.as_str().into()));
    Ok(ReportsPage {
        kind: kind.as_str(),
        tabs,
        own_only: actor.role != Role::Coordinator && kind != ReportKind::Fill || actor.role == Role::Company,
        filters: built.filters,
        errors: built.errors,
        filtered,
        sections: built.sections,
        rule: built.rule,
        export_href: format!("/app/reports/export?{}", serde_urlencoded::to_string(export).unwrap_or_default()),
        pagination: built.pagination,
        page,
    }
    .into_response())
}

/// What one report contributes to the page.
struct Built {
    filters: Vec<Filter>,
    errors: Vec<String>,
    sections: Vec<Section>,
    rule: String,
    pagination: Pagination,
}

impl Built {
    /// Filters that could not be used: the form again with what is wrong, nothing counted.
    fn unread(filters: Vec<Filter>, errors: Vec<String>, rule: String) -> Self {
        Built { filters, errors, sections: Vec::new(), rule, pagination: Pagination::default() }
    }
}

fn date_filter(page: &Page, name: &'static str, key: &str, value: String) -> Filter {
    Filter { name, label: page.t(key), input: "date", value, options: Vec::new(), hint: String::new() }
}

fn select(page: &Page, name: &'static str, key: &str, value: &str, options: Vec<(String, String)>) -> Filter {
    let mut choices = vec![Choice { value: String::new(), label: page.t("rep-any"), selected: value.is_empty() }];
    choices.extend(options.into_iter().map(|(v, label)| Choice { selected: v == value, value: v, label }));
    Filter {
        name,
        label: page.t(key),
        input: "select",
        value: value.to_string(),
        options: choices,
        hint: String::new(),
    }
}

fn column(page: &Page, key: &str, num: bool) -> Column {
    Column { text: page.t(key), num }
}

/// A chart and its table, headed and captioned by catalogue keys; `columns` are
/// (catalogue key, is a figure).
fn section(
    page: &Page,
    heading: &str,
    chart: String,
    caption: &str,
    columns: &[(&str, bool)],
    rows: Vec<Vec<String>>,
) -> Section {
    let columns = columns.iter().map(|(key, num)| column(page, key, *num)).collect();
    Section { heading: page.t(heading), chart, table: Table { caption: page.t(caption), columns, rows, wide: false } }
}

/// One bar per figure, the `n`th in series `n`, each labelled with its count.
fn counted(figures: impl IntoIterator<Item = i64>) -> Vec<Bar> {
    figures.into_iter().enumerate().map(|(series, v)| Bar { series, value: v as f64, text: v.to_string() }).collect()
}

/// A project's or a park's fill figures, after its name columns.
const FILL_FIGURES: [(&str, bool); 5] = [
    ("rep-s-shortage", true),
    ("rep-s-seats", true),
    ("rep-s-offers", true),
    ("rep-s-placed", true),
    ("rep-s-open-shortage", true),
];

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0)).unwrap_or_else(|| "—".into())
}

/// Many projects make a long chart: beyond this many, the chart shows parks.
const MAX_PROJECT_GROUPS: usize = 15;

async fn fill(state: &AppState, page: &Page, actor: &Actor, raw: &str, values: &Values) -> Result<Built, Refused> {
    let today = service::today();
    // Every visible project (for the park and project selects), whatever the filters.
    let all = service::fill(&state.db, actor, FillFilter::default(), today).await.or_refused(page)?;
    let mut parks: Vec<String> = all.rows.iter().filter_map(|r| r.park.clone()).collect();
    parks.sort();
    parks.dedup();
    let filters = |from: String, to: String| {
        vec![
            select(
                page,
                "park",
                "rep-field-park",
                &values.get("park"),
                parks.iter().map(|p| (p.clone(), p.clone())).collect(),
            ),
            select(
                page,
                "project_id",
                "rep-field-project",
                &values.get("project_id"),
                all.rows.iter().map(|r| (r.project_id.to_string(), r.project_name.clone())).collect(),
            ),
            date_filter(page, "from", "rep-field-from", from),
            date_filter(page, "to", "rep-field-to", to),
        ]
    };
    let unread = |errors: Vec<String>| {
        Built::unread(filters(values.get("from"), values.get("to")), errors, page.t("rep-fill-rule"))
    };
    let Some(FillQuery { filter, .. }) = read::<FillQuery>(page, raw)? else {
        return Ok(unread(errors_of::<FillQuery>(page, raw)));
    };
    let report = match service::fill(&state.db, actor, filter, today).await {
        Ok(report) => report,
        Err(AppError::Validation(errors)) => return Ok(unread(messages(page, &errors))),
        Err(error) => return Err(Refused::page(page, error)),
    };
    let no_park = page.t("rep-no-park");
    let park_name = |p: &Option<String>| p.clone().unwrap_or_else(|| no_park.clone());
    let names = [page.t("rep-s-shortage"), page.t("rep-s-offers"), page.t("rep-s-placed")];
    let figures = |f: [i64; 5]| f.map(|n| n.to_string());
    let max = |values: &mut dyn Iterator<Item = i64>| values.max().unwrap_or(0) as f64;

    let mut sections = Vec::new();
    if !report.rows.is_empty() {
        let by_project = report.rows.len() <= MAX_PROJECT_GROUPS;
        let chart = if by_project {
            let groups: Vec<Group> = report
                .rows
                .iter()
                .map(|r| Group { label: r.project_name.clone(), bars: counted([r.shortage, r.offers, r.placed]) })
                .collect();
            let top = max(&mut report.rows.iter().flat_map(|r| [r.shortage, r.offers, r.placed]));
            chart::bars(
                "rep-fill",
                &page.t("rep-fill-by-project"),
                &page.t("rep-fill-by-project-desc"),
                &names,
                &[],
                &groups,
                top,
            )
        } else {
            String::new()
        };
        let rows = report
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![r.project_name.clone(), r.company_name.clone(), park_name(&r.park)];
                row.extend(figures([r.shortage, r.seats, r.offers, r.placed, r.open_shortage]));
                row
            })
            .collect();
        let named = [("rep-col-project", false), ("rep-col-company", false), ("rep-col-park", false)];
        let columns = [named.as_slice(), &FILL_FIGURES].concat();
        sections.push(section(page, "rep-fill-by-project", chart, "rep-fill-by-project", &columns, rows));
        let groups: Vec<Group> = report
            .parks
            .iter()
            .map(|p| Group { label: park_name(&p.park), bars: counted([p.shortage, p.offers, p.placed]) })
            .collect();
        let top = max(&mut report.parks.iter().flat_map(|p| [p.shortage, p.offers, p.placed]));
        let chart = chart::bars(
            "rep-parks",
            &page.t("rep-fill-by-park"),
            &page.t("rep-fill-by-project-desc"),
            &names,
            &[],
            &groups,
            top,
        );
        let rows = report
            .parks
            .iter()
            .map(|p| {
                let mut row = vec![park_name(&p.park)];
                row.extend(figures([p.shortage, p.seats, p.offers, p.placed, p.open_shortage]));
                row
            })
            .collect();
        let columns = [[("rep-col-park", false)].as_slice(), &FILL_FIGURES].concat();
        sections.push(section(page, "rep-fill-parks", chart, "rep-fill-parks", &columns, rows));
    }
    let labels: Vec<String> = report.series.iter().map(|p| p.date.format("%m-%d").to_string()).collect();
    let from = format::date(page.lang, report.from);
    let to = format::date(page.lang, report.to);
    let chart = chart::lines(
        "rep-series",
        &page.t("rep-fill-over-time"),
        &page.t2("rep-fill-over-time-desc", "from", from.as_str(), "to", to.as_str()),
        &[page.t("rep-s-offers"), page.t("rep-s-placed")],
        &labels,
        &[
            report.series.iter().map(|p| p.offers as f64).collect(),
            report.series.iter().map(|p| p.placed as f64).collect(),
        ],
    );
    let rows = report
        .series
        .iter()
        .map(|p| vec![format::date(page.lang, p.date), p.offers.to_string(), p.placed.to_string()])
        .collect();
    let columns = [("rep-col-date", false), ("rep-s-offers", true), ("rep-s-placed", true)];
    sections.push(section(page, "rep-fill-over-time", chart, "rep-fill-over-time", &columns, rows));
    Ok(Built {
        filters: filters(report.from.to_string(), report.to.to_string()),
        errors: Vec::new(),
        sections,
        rule: page.t("rep-fill-rule"),
        pagination: Pagination::default(),
    })
}

async fn placements(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    raw: &str,
    values: &Values,
) -> Result<Built, Refused> {
    // The rounds this viewer can see (published ones for companies and schools).
    let rounds = crate::services::rounds::list(&state.db, actor, PageRequest { page: 1, per_page: 100 })
        .await
        .or_refused(page)?;
    let round_options = rounds
        .items
        .iter()
        .map(|r| match r {
            RoundView::Full(round) => (round.id.to_string(), round.settings.name.clone()),
            RoundView::Published(round) => (round.id.to_string(), round.name.clone()),
        })
        .collect();
    let filters = vec![select(page, "round_id", "rep-field-round", &values.get("round_id"), round_options)];
    let rule = page.t("rep-placements-rule");
    let Some(PlacementQuery { filter, .. }) = read::<PlacementQuery>(page, raw)? else {
        return Ok(Built::unread(filters, errors_of::<PlacementQuery>(page, raw), rule));
    };
    let report = service::placements(&state.db, actor, filter).await.or_refused(page)?;
    let mut sections = Vec::new();
    if !report.rows.is_empty() {
        // Per school: its majors summed.
        let mut schools: Vec<(i64, String, i64, i64)> = Vec::new();
        for r in &report.rows {
            match schools.iter_mut().find(|s| s.0 == r.school_id) {
                Some(s) => {
                    s.2 += r.offers;
                    s.3 += r.placed;
                }
                None => schools.push((r.school_id, r.school_name.clone(), r.offers, r.placed)),
            }
        }
        let names = [page.t("rep-s-offers"), page.t("rep-s-placed")];
        let groups: Vec<Group> = schools
            .iter()
            .map(|(_, name, offers, placed)| Group { label: name.clone(), bars: counted([*offers, *placed]) })
            .collect();
        let top = schools.iter().map(|s| s.2.max(s.3)).max().unwrap_or(0) as f64;
        let chart = chart::bars(
            "rep-placements",
            &page.t("rep-placements-by-school"),
            &page.t("rep-placements-by-school-desc"),
            &names,
            // Offers and placed look as they do in the fill report.
            &[1, 2],
            &groups,
            top,
        );
        let rows = report
            .rows
            .iter()
            .map(|r| vec![r.school_name.clone(), r.major.clone(), r.offers.to_string(), r.placed.to_string()])
            .collect();
        let columns =
            [("rep-col-school", false), ("rep-col-major", false), ("rep-s-offers", true), ("rep-s-placed", true)];
        sections.push(section(page, "rep-placements-by-school", chart, "rep-placements-table", &columns, rows));
    }
    Ok(Built { filters, errors: Vec::new(), sections, rule, pagination: Pagination::default() })
}

async fn destinations(
    state: &AppState,
    page: &Page,
    actor: &Actor,
    raw: &str,
    values: &Values,
) -> Result<Built, Refused> {
    let rule = page.t("rep-dest-rule");
    let year = |value: String| Filter {
        name: "graduation_year",
        label: page.t("rep-field-year"),
        input: "number",
        value,
        options: Vec::new(),
        hint: page.t("rep-field-year-hint"),
    };
    let Some(DestinationQuery { filter, .. }) = read::<DestinationQuery>(page, raw)? else {
        let filters =
            vec![date_filter(page, "on", "rep-field-on", values.get("on")), year(values.get("graduation_year"))];
        return Ok(Built::unread(filters, errors_of::<DestinationQuery>(page, raw), rule));
    };
    let report = service::destinations(&state.db, actor, filter, service::today()).await.or_refused(page)?;
    let filters = vec![
        date_filter(page, "on", "rep-field-on", report.on.to_string()),
        year(report.graduation_year.map(|y| y.to_string()).unwrap_or_default()),
    ];
    let names = [
        page.t("rep-rate-employment"),
        page.t("rep-rate-contract"),
        page.t("rep-rate-further-study"),
        page.t("rep-rate-seeking"),
    ];
    let groups: Vec<Group> = report
        .rows
        .iter()
        .filter(|r| r.graduates > 0)
        .map(|r| Group {
            label: page.t2("rep-dest-group", "school", r.school_name.as_str(), "graduates", r.graduates),
            bars: [r.employment_rate, r.contract_rate, r.further_study_rate, r.seeking_rate]
                .iter()
                .enumerate()
                .map(|(n, rate)| Bar { series: n, value: rate.unwrap_or(0.0), text: percent(*rate) })
                .collect(),
        })
        .collect();
    let mut columns = vec![column(page, "rep-col-school", false), column(page, "rep-col-graduates", true)];
    columns.extend(
        Destination::ALL.iter().map(|d| Column { text: page.label(d.label_zh(), d.label_en()).to_string(), num: true }),
    );
    columns.extend([
        column(page, "rep-col-unrecorded", true),
        column(page, "rep-rate-employment", true),
        column(page, "rep-rate-contract", true),
        column(page, "rep-rate-further-study", true),
        column(page, "rep-rate-seeking", true),
    ]);
    let rows = report
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.school_name.clone(), r.graduates.to_string()];
            row.extend(Destination::ALL.iter().map(|d| r.count(*d).to_string()));
            row.extend([
                r.unrecorded.to_string(),
                percent(r.employment_rate),
                percent(r.contract_rate),
                percent(r.further_study_rate),
                percent(r.seeking_rate),
            ]);
            row
        })
        .collect();
    let chart = if groups.is_empty() {
        String::new()
    } else {
        chart::bars("rep-dest", &page.t("rep-dest-chart"), &page.t("rep-dest-chart-desc"), &names, &[], &groups, 1.0)
    };
    let sections = vec![Section {
        heading: page.t("rep-dest-chart"),
        chart,
        table: Table { caption: page.t("rep-dest-table"), columns, rows, wide: true },
    }];
    Ok(Built { filters, errors: Vec::new(), sections, rule, pagination: Pagination::default() })
}

async fn turnout(state: &AppState, page: &Page, actor: &Actor, raw: &str) -> Result<Built, Refused> {
    let rule = page.t("rep-turnout-rule");
    let Some(TurnoutQuery { filter, .. }) = read::<TurnoutQuery>(page, raw)? else {
        return Ok(Built::unread(Vec::new(), errors_of::<TurnoutQuery>(page, raw), rule));
    };
    let report = service::turnout(&state.db, actor, filter, Utc::now()).await.or_refused(page)?;
    let pagination = Pagination::new(report.page, report.per_page, report.total, |n| {
        format!("/app/reports?report=turnout&page={n}&per_page={}", report.per_page)
    });
    let names = [
        page.t("rep-s-invited"),
        page.t("rep-s-registered"),
        page.t("rep-s-approved"),
        page.t("rep-s-checked-in"),
        page.t("rep-s-no-show"),
    ];
    let mut sections = Vec::new();
    if !report.rows.is_empty() {
        let groups: Vec<Group> = report
            .rows
            .iter()
            .map(|r| {
                let mut figures = vec![r.invited, r.registered, r.approved, r.checked_in];
                if r.ended {
                    figures.push(r.no_show);
                }
                Group {
                    label: format!(
                        "{} · {}",
                        r.title,
                        format::date(
                            page.lang,
                            r.starts_at.with_timezone(&crate::domain::event::shanghai()).date_naive()
                        )
                    ),
                    bars: counted(figures),
                }
            })
            .collect();
        let top = report.rows.iter().map(|r| r.invited.max(r.registered)).max().unwrap_or(0) as f64;
        let chart = chart::bars(
            "rep-turnout",
            &page.t("rep-turnout-chart"),
            &page.t("rep-turnout-chart-desc"),
            &names,
            &[],
            &groups,
            top,
        );
        let rows = report
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.title.clone(),
                    format::date_time(page.lang, r.starts_at),
                    r.invited.to_string(),
                    r.registered.to_string(),
                    r.approved.to_string(),
                    r.checked_in.to_string(),
                    if r.ended { r.no_show.to_string() } else { page.t("rep-not-ended") },
                ]
            })
            .collect();
        let columns = [
            ("rep-col-event", false),
            ("rep-col-starts", false),
            ("rep-s-invited", true),
            ("rep-s-registered", true),
            ("rep-s-approved", true),
            ("rep-s-checked-in", true),
            ("rep-s-no-show", true),
        ];
        sections.push(section(page, "rep-turnout-chart", chart, "rep-turnout-table", &columns, rows));
    }
    Ok(Built { filters: Vec::new(), errors: Vec::new(), sections, rule, pagination })
}

/// The report on screen as an Excel workbook, with the same filters.
async fn export(State(state): State<AppState>, signed: SignedIn) -> Result<Response, Refused> {
    let SignedIn { page, actor } = signed;
    let raw = raw_query(&page).to_string();
    let kind = Query::read::<KindQuery>(&raw).or_refused(&page)?.0.unwrap_or(ReportKind::Fill);
    let db = &state.db;
    let bytes = match kind {
        ReportKind::Fill => {
            let FillQuery { filter, .. } = Query::read(&raw).or_refused(&page)?;
            workbook::fill(&service::fill(db, &actor, filter, service::today()).await.or_refused(&page)?)
        }
        ReportKind::Placements => {
            let PlacementQuery { filter, .. } = Query::read(&raw).or_refused(&page)?;
            workbook::placements(&service::placements(db, &actor, filter).await.or_refused(&page)?)
        }
        ReportKind::Destinations => {
            let DestinationQuery { filter, .. } = Query::read(&raw).or_refused(&page)?;
            workbook::destinations(
                &service::destinations(db, &actor, filter, service::today()).await.or_refused(&page)?,
            )
        }
        ReportKind::Turnout => {
            let TurnoutQuery { filter, .. } = Query::read(&raw).or_refused(&page)?;
            workbook::turnout(&service::turnout(db, &actor, filter, Utc::now()).await.or_refused(&page)?)
        }
    }
    .or_refused(&page)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"report-{}.xlsx\"", kind.as_str())),
        ],
        bytes,
    )
        .into_response())
}
