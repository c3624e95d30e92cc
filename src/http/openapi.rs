//! The OpenAPI document: generated from the handlers' annotations and the request types'
//! parsers, then completed with the answers every operation of a kind can give, so that
//! the document lists every status the server can answer and every error's content type.

use crate::error::Problem;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, RefOr, Response};
use utoipa::{Modify, ToSchema};

/// The media type of every error body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "xiaoqi 校企 API",
        description = "School–enterprise recruitment matching. 校企招聘对接服务。Errors are RFC 9457 problem details \
                       (`application/problem+json`); a 422 names every invalid field in `errors`.",
        version = "1"
    ),
    modifiers(&BearerAuth),
    components(schemas(Problem)),
    tags(
        (name = "auth", description = "登录 Log in"),
        (name = "organizations", description = "机构 Organisations"),
        (name = "users", description = "账号 Accounts"),
        (name = "audit", description = "审计日志 Audit log"),
        (name = "projects", description = "项目 Industrial projects"),
        (name = "postings", description = "岗位 Openings"),
        (name = "graduates", description = "毕业生 Graduates"),
        (name = "events", description = "双选会与座谈会 Job fairs, symposiums, registrations and notices"),
        (name = "rounds", description = "双选匹配 Matching rounds, choices and shortlists"),
        (name = "offers", description = "录用意向与毕业去向 Offers and graduates' destinations"),
        (name = "reports", description = "报表 Reports: fill, placements, destinations, turnout"),
        (name = "vocabulary", description = "取值与标签 Values and labels"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Complete every operation of the assembled document with the answers its kind can give.
/// Runs after all routes are merged (`split_for_parts`), so it sees every operation.
pub fn complete(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for operation in
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            complete_operation(operation);
        }
    }
}

fn complete_operation(operation: &mut Operation) {
    let parameters: Vec<ParameterIn> = operation
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p.parameter_in.clone()),
            RefOr::Ref(_) => None,
        })
        .collect();
    let has_body = operation.request_body.is_some();
    let has_query = parameters.contains(&ParameterIn::Query);
    let has_path = parameters.contains(&ParameterIn::Path);
    let security = operation.security.as_deref().unwrap_or_default();
    // A token that was sent is checked even where none is needed.
    let authenticated = !security.is_empty();
    let needs_auth = authenticated && !security.iter().any(is_anonymous);

    let mut add = |status: &str, description: &str| {
        operation.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(Response::new(description)));
    };
    if has_body || has_query {
        add("400", "The body is not JSON, or the query string is not URL-encoded");
        add("422", "Invalid fields, each named in `errors`");
    }
    if has_body {
        add("413", "The body is larger than 1 MiB");
        add("415", "The body is not `application/json`");
    }
    if authenticated {
        add("401", "Not logged in, or the token is invalid or expired");
    }
    if needs_auth {
        add("403", "Your role may not do this");
    }
    if has_path {
        add("404", "Not found, or not yours");
    }
    // Any request may find the database busy (no connection within `XIAOQI_DB_WAIT_MS`).
    add("503", "The database is busy or unreachable; try again after `Retry-After` seconds");
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && !status.starts_with('2')
            && !status.starts_with('3')
        {
            // Every error is a problem document, whatever the annotation said.
            response.content.clear();
            response.content.insert(PROBLEM_JSON.to_string(), RefOr::T(Content::new(Some(problem()))));
        }
    }
}

fn problem() -> RefOr<utoipa::openapi::schema::Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(Problem::name()))
}

/// `security: [{}]`: the operation may be called without credentials.
fn is_anonymous(requirement: &SecurityRequirement) -> bool {
    serde_json::to_value(requirement).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}
