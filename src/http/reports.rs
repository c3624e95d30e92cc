//! Reports: fill, placements, destinations, turnout; JSON or, with `format=xlsx`, an Excel
//! workbook (a sheet per table). Each role reads its own rows (see `services::reports`).

use super::AppState;
use super::extract::Auth;
use super::query::{FromQuery, Params, Query};
use crate::domain::report::ReportFormat;
use crate::error::{AppError, Problem};
use crate::services::reports::{
    self as service, DestinationFilter, DestinationReport, FillFilter, FillReport, PlacementFilter, PlacementReport,
    TurnoutFilter, TurnoutReport, workbook,
};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(fill))
        .routes(routes!(placements))
        .routes(routes!(destinations))
        .routes(routes!(turnout))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn format(query: &mut Query) -> ReportFormat {
    query.get("format", "json (default) or xlsx: an Excel workbook, a sheet per table").unwrap_or(ReportFormat::Json)
}

/// The report as JSON, or its workbook as an attachment named `name`.
fn answer<T: Serialize>(
    report: T,
    format: ReportFormat,
    name: &str,
    write: impl FnOnce(&T) -> Result<Vec<u8>, AppError>,
) -> Result<Response, AppError> {
    Ok(match format {
        ReportFormat::Json => Json(report).into_response(),
        ReportFormat::Xlsx => (
            [
                (header::CONTENT_TYPE, XLSX.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")),
            ],
            write(&report)?,
        )
            .into_response(),
    })
}

pub struct FillQuery {
    pub filter: FillFilter,
    pub format: ReportFormat,
}

impl FromQuery for FillQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = FillFilter {
            park: query.text("park", "only this industrial park's projects"),
            project_id: query.id("project_id", "only this project"),
            from: query.get("from", "the series' first day (default: twelve weeks before `to`)"),
            to: query.get(
                "to",
                "the last day counted, not before `from` (default: today, Asia/Shanghai, or `from` if later)",
            ),
        };
        FillQuery { filter, format: format(query) }
    }
}

/// Fill per project and per park: `shortage` (the project's), `seats` (headcount of its
/// open postings), `offers` (made on its postings, any status, up to `to`), `placed`
/// (accepted by both sides, up to `to`), `open_shortage` = max(shortage − placed, 0); and
/// `series`: cumulative offers and placements every seven days from `from` to `to`. Days
/// are Asia/Shanghai days. A company reads its own projects; schools and coordinators
/// every project.
#[utoipa::path(get, operation_id = "report_fill", path = "/reports/fill", tag = "reports", security(("bearer" = [])),
    params(Params<FillQuery>),
    responses((status = 200, description = "The report, or with `format=xlsx` its workbook", content((FillReport = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn fill(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(FillQuery { filter, format }): Params<FillQuery>,
) -> Result<Response, AppError> {
    let report = service::fill(&state.db, &actor, filter, service::today()).await?;
    answer(report, format, "fill", workbook::fill)
}

pub struct PlacementQuery {
    pub filter: PlacementFilter,
    pub format: ReportFormat,
}

impl FromQuery for PlacementQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = PlacementFilter { round_id: query.id("round_id", "only this round's offers") };
        PlacementQuery { filter, format: format(query) }
    }
}

/// Offers and placements (accepted offers) per school and major. A school reads its own
/// graduates', a company the offers on its own postings, coordinators all.
#[utoipa::path(get, operation_id = "report_placements", path = "/reports/placements", tag = "reports", security(("bearer" = [])),
    params(Params<PlacementQuery>),
    responses((status = 200, description = "The report, or with `format=xlsx` its workbook", content((PlacementReport = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn placements(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(PlacementQuery { filter, format }): Params<PlacementQuery>,
) -> Result<Response, AppError> {
    let report = service::placements(&state.db, &actor, filter).await?;
    answer(report, format, "placements", workbook::placements)
}

pub struct DestinationQuery {
    pub filter: DestinationFilter,
    pub format: ReportFormat,
}

impl FromQuery for DestinationQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = DestinationFilter {
            on: query.get("on", "the cut-off date (default: today, Asia/Shanghai)"),
            graduation_year: query.int("graduation_year", 1950, 2100, "only graduates of this year"),
        };
        DestinationQuery { filter, format: format(query) }
    }
}

/// Destinations per school on the date `on`: each graduate's latest destination taking
/// effect on or before it; `unrecorded` have none yet. Rates are fractions of all the
/// school's graduates (null without graduates): `employment_rate` (就业率) every
/// destination except `seeking` and `not_seeking`; `contract_rate` (协议和合同就业率)
/// `agreement` + `labour_contract`; `further_study_rate` (升学率); `seeking_rate` (待就业率)
/// `seeking` or nothing recorded. Schools read their own, coordinators all; companies 403.
#[utoipa::path(get, operation_id = "report_destinations", path = "/reports/destinations", tag = "reports", security(("bearer" = [])),
    params(Params<DestinationQuery>),
    responses((status = 200, description = "The report, or with `format=xlsx` its workbook", content((DestinationReport = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = Problem, description = "Companies: destinations are the schools' business")))]
async fn destinations(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(DestinationQuery { filter, format }): Params<DestinationQuery>,
) -> Result<Response, AppError> {
    let report = service::destinations(&state.db, &actor, filter, service::today()).await?;
    answer(report, format, "destinations", workbook::destinations)
}

pub struct TurnoutQuery {
    pub filter: TurnoutFilter,
    pub format: ReportFormat,
}

impl FromQuery for TurnoutQuery {
    fn from_query(query: &mut Query) -> Self {
        let event_id = query.id("event_id", "only this event");
        let format = format(query);
        TurnoutQuery { filter: TurnoutFilter { event_id, page: query.page() }, format }
    }
}

/// Turnout per event, latest first, a page at a time: `invited`, `registered` (not
/// declined), `approved`, `checked_in`, `no_show` (approved, not checked in; 0 until the
/// event has `ended`). Companies and schools read the events they were invited to or
/// registered for, counting their own invitation and registration; coordinators all.
#[utoipa::path(get, operation_id = "report_turnout", path = "/reports/turnout", tag = "reports", security(("bearer" = [])),
    params(Params<TurnoutQuery>),
    responses((status = 200, description = "The report, or with `format=xlsx` its workbook (this page of events)", content((TurnoutReport = "application/json"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn turnout(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(TurnoutQuery { filter, format }): Params<TurnoutQuery>,
) -> Result<Response, AppError> {
    let report = service::turnout(&state.db, &actor, filter, Utc::now()).await?;
    answer(report, format, "turnout", workbook::turnout)
}
