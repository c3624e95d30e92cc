//! Offers: a published round's placements and both sides' answers.

use super::AppState;
use super::extract::{Auth, Id, Parsed};
use super::query::{FromQuery, Params, Query};
use crate::domain::offer::{AnswerOffer, Offer, OfferDetail};
use crate::error::{AppError, Problem};
use crate::services::offers as service;
use crate::store::offers::Filter;
use crate::store::{Page, PageRequest};
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(get_one)).routes(routes!(answer))
}

struct OfferQuery {
    filter: Filter,
    page: PageRequest,
}

impl FromQuery for OfferQuery {
    fn from_query(query: &mut Query) -> Self {
        let filter = Filter {
            round_id: query.id("round_id", "offers of one round"),
            status: query.get("status", "pending, accepted, declined or expired"),
            posting_id: query.id("posting_id", "offers for one posting"),
            graduate_id: query.id("graduate_id", "offers to one graduate"),
            company_id: None,
            school_id: None,
        };
        OfferQuery { filter, page: query.page() }
    }
}

/// Offers, pending ones soonest due first: a company sees those for its postings, a school
/// its graduates', coordinators all.
#[utoipa::path(get, operation_id = "list_offers", path = "/offers", tag = "offers", security(("bearer" = [])),
    params(Params<OfferQuery>),
    responses((status = 200, body = Page<Offer>, description = "OK")))]
async fn list(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Params(OfferQuery { filter, page }): Params<OfferQuery>,
) -> Result<Json<Page<Offer>>, AppError> {
    Ok(Json(service::list(&state.db, &actor, filter, page).await?))
}

/// An offer with its history (`history`: each answer and decision, oldest first).
#[utoipa::path(get, operation_id = "get_offers", path = "/offers/{id}", tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    responses((status = 200, body = OfferDetail, description = "OK"), (status = 404, body = Problem, description = "Not found, or not yours")))]
async fn get_one(State(state): State<AppState>, Auth(actor): Auth, Id(id): Id) -> Result<Json<OfferDetail>, AppError> {
    Ok(Json(service::get(&state.db, &actor, id).await?))
}

/// Answer an offer: the company for itself, the school (or a coordinator) for the graduate.
/// Declining needs a `reason` from the side's list. Both accept: the graduate is placed;
/// either declines: the seat returns.
#[utoipa::path(post, operation_id = "answer_offers", path = "/offers/{id}/answer", tag = "offers", security(("bearer" = [])), params(("id" = i64, Path, description = "id")),
    request_body = AnswerOffer,
    responses((status = 200, body = Offer, description = "Answered"), (status = 404, body = Problem, description = "Not found, or not yours"), (status = 409, body = Problem, description = "Already decided, expired, or this side already answered")))]
async fn answer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    Id(id): Id,
    Parsed(input): Parsed<AnswerOffer>,
) -> Result<Json<Offer>, AppError> {
    Ok(Json(service::answer(&state.db, &state.links, &actor, id, input, chrono::Utc::now()).await?))
}
