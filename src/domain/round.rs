//! A matching round: which postings and graduates take part, how preferences are built,
//! and what came out.

use super::input_schema::{all_of, any_of, at_most_one_given, property_mut, where_properties};
use super::validation::{FromField, request_schema};
use super::{Input, Parse, RoundStatus, Weights};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::Schema;
use xiaoqi_matching::Proposing;

/// Most postings or graduates a scope may name one by one (larger rounds use projects or schools).
pub const MAX_SCOPE_IDS: usize = 100_000;
/// Most candidates filled in per graduate from scores.
pub const MAX_CANDIDATES: i64 = 100;

/// Who takes part. Postings: the named ones, or those of the named projects, or those the
/// companies registered for an event bring, or (none named) every open posting. Graduates:
/// the named ones, or those of the named schools, or (with an event) those of the schools
/// registered for it, or every graduate seeking work. Only open postings and seeking
/// graduates enter; registrations count unless rejected or declined.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting_ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graduate_ids: Option<Vec<i64>>,
    /// A round whose placed graduates stay out of this one and whose filled seats are taken
    /// off each posting's headcount: "a second round over what is left".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_matched_in_round: Option<i64>,
}

/// The postings of a scope come from at most one of these.
const POSTING_SOURCES: [&str; 3] = ["posting_ids", "project_ids", "event_id"];
/// The graduates of a scope come from at most one of these.
const GRADUATE_SOURCES: [&str; 2] = ["school_ids", "graduate_ids"];

impl Scope {
    /// The recorded scope schema with the rules across its fields.
    fn refine_schema(recorded: Schema) -> Schema {
        all_of([recorded, at_most_one_given(&POSTING_SOURCES), at_most_one_given(&GRADUATE_SOURCES)])
    }

    fn parse(input: &mut Input) -> Option<Self> {
        let scope = Scope {
            posting_ids: input.id_list("posting_ids", MAX_SCOPE_IDS),
            project_ids: input.id_list("project_ids", MAX_SCOPE_IDS),
            event_id: input.int_in("event_id", 1, i64::MAX, false),
            school_ids: input.id_list("school_ids", MAX_SCOPE_IDS),
            graduate_ids: input.id_list("graduate_ids", MAX_SCOPE_IDS),
            exclude_matched_in_round: input.int_in("exclude_matched_in_round", 1, i64::MAX, false),
        };
        let named = [scope.posting_ids.is_some(), scope.project_ids.is_some(), scope.event_id.is_some()];
        if named.iter().filter(|n| **n).count() > 1 {
            input
                .errors
                .push("posting_ids", "give one of posting_ids, project_ids or event_id / 岗位、项目、活动只能选一种");
        }
        if scope.school_ids.is_some() && scope.graduate_ids.is_some() {
            input.errors.push("graduate_ids", "give school_ids or graduate_ids, not both / 学校与毕业生只能二选一");
        }
        Some(scope)
    }
}

/// What a coordinator sets when creating a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoundSettings {
    pub name: String,
    pub scope: Scope,
    /// Whose optimum the matching gives: `graduates` (default: stable, graduate-optimal,
    /// strategy-proof for graduates) or `postings`.
    pub proposing: Proposing,
    /// After a graduate's explicit choices, add its best-scoring eligible postings (default true).
    pub fill_from_scores: bool,
    /// How many postings a graduate's list holds after filling from scores (default 20).
    pub candidates_per_graduate: i64,
    /// After the main solve, offer graduates left unplaced eligible postings with free seats
    /// and solve again, while that places more (default true; only when filling from scores).
    #[serde(default = "yes")]
    pub supplementary: bool,
    pub weights: Weights,
    /// Seeds the lottery that breaks ties; chosen at random when not given, and recorded.
    pub seed: i64,
}

fn yes() -> bool {
    true
}

impl FromField for Proposing {
    fn from_field(value: &Value) -> Result<Self, String> {
        serde_json::from_value(value.clone()).map_err(|_| "must be graduates or postings / 取值无效".to_string())
    }
    fn schema() -> utoipa::openapi::schema::Schema {
        super::input_schema::one_of(["graduates", "postings"])
    }
}

impl FromField for Weights {
    fn from_field(value: &Value) -> Result<Self, String> {
        let weights: Weights = serde_json::from_value(value.clone()).map_err(|e| {
            format!(
                "must be an object of numbers text, major, education, location, salary, benefits: {e} / 权重格式有误"
            )
        })?;
        weights.validate()?;
        Ok(weights)
    }
    /// "At least one positive" is a rule across the weights, added by `NewRound::refine_schema`.
    fn schema() -> utoipa::openapi::schema::Schema {
        use super::input_schema::{closed_object, described, number};
        described(
            closed_object(Weights::default().named().map(|(name, _)| (name, number(Some(0.0))))),
            "Each weight a finite number ≥ 0 (a missing one takes its default); at least one positive. \
             各项权重不小于 0，至少一项大于 0。",
        )
    }
}

/// `POST /rounds`: a round's settings; the seed is drawn at random when not given. At most
/// one of `scope.posting_ids`, `scope.project_ids`, `scope.event_id`, and not both
/// `scope.school_ids` and `scope.graduate_ids`.
#[derive(Debug, Clone)]
pub struct NewRound {
    settings: RoundSettings,
    seed_given: bool,
}

impl NewRound {
    /// The settings, with `random_seed()` as the seed when the client chose none.
    pub fn into_settings(self, random_seed: impl FnOnce() -> i64) -> RoundSettings {
        let mut settings = self.settings;
        if !self.seed_given {
            settings.seed = random_seed();
        }
        settings
    }
}

impl Parse for NewRound {
    fn parse(input: &mut Input) -> Option<Self> {
        let seed_given = input.peek("seed").is_some_and(|v| !v.is_null());
        Some(Self { settings: RoundSettings::parse(input)?, seed_given })
    }

    fn refine_schema(mut recorded: Schema) -> Schema {
        if let Some(scope) = property_mut(&mut recorded, "scope") {
            let plain = std::mem::replace(scope, Schema::Object(Default::default()));
            *scope = Scope::refine_schema(plain);
        }
        if let Some(weights) = property_mut(&mut recorded, "weights") {
            let plain = std::mem::replace(weights, Schema::Object(Default::default()));
            *weights = all_of([plain, at_least_one_weight_positive()]);
        }
        recorded
    }
}

/// A missing weight takes its default, which is positive: "at least one positive" is "at
/// least one missing or positive".
fn at_least_one_weight_positive() -> Schema {
    any_of(Weights::default().named().map(|(name, _)| {
        let mut above_zero = utoipa::openapi::schema::Object::new();
        above_zero.schema_type = utoipa::openapi::schema::SchemaType::AnyValue;
        above_zero.exclusive_minimum = Some(0.into());
        where_properties([(name, above_zero.into())])
    }))
}

request_schema!(NewRound);

impl RoundSettings {
    /// The settings; `seed` is 0 when not given (see [`NewRound::into_settings`]).
    fn parse(input: &mut Input) -> Option<Self> {
        let name = input.required_text("name", 100);
        let scope = input.nested("scope", Scope::parse).or_else(|| {
            // An absent scope is everything; a bad one was recorded as errors.
            (!input.errors.0.iter().any(|e| e.field.starts_with("scope"))).then(Scope::default)
        });
        let proposing = input.optional("proposing").unwrap_or_default();
        let fill_from_scores = input.optional("fill_from_scores").unwrap_or(true);
        let candidates_per_graduate = input.int_in("candidates_per_graduate", 1, MAX_CANDIDATES, false).unwrap_or(20);
        let supplementary = input.optional("supplementary").unwrap_or(true);
        let weights = input.optional("weights").unwrap_or_default();
        let seed = input.int_in("seed", 0, i64::MAX, false).unwrap_or(0);
        Some(Self {
            name: name?,
            scope: scope?,
            proposing,
            fill_from_scores,
            candidates_per_graduate,
            supplementary,
            weights,
            seed,
        })
    }
}

/// Where a running round is.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// `loading`, `candidates`, `solving`, `explaining` or `saving`.
    pub phase: String,
    /// 0–100 over the whole run.
    pub percent: i64,
}

/// Placements for one project (postings without a project are grouped under `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectFill {
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub postings: i64,
    pub seats: i64,
    pub filled: i64,
    pub fill_rate: f64,
}

/// Placements for one school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SchoolPlacement {
    pub school_id: i64,
    pub school_name: String,
    pub graduates: i64,
    pub matched: i64,
    pub placement_rate: f64,
}

/// What a finished round produced. Time per phase in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoundStats {
    pub graduates: i64,
    pub postings: i64,
    pub seats: i64,
    pub matched: i64,
    pub unmatched: i64,
    /// Consenting graduates with at least one eligible posting in the round.
    #[serde(default)]
    pub placeable: i64,
    /// Placed over min(`placeable`, `seats`): how many of those who could be placed were.
    pub fill_rate: f64,
    /// Filled seats over all seats.
    #[serde(default)]
    pub seat_fill_rate: f64,
    /// Placed at one of their own (explicit) choices.
    #[serde(default)]
    pub placed_in_own_choice: i64,
    /// Supplementary passes that offered seats.
    #[serde(default)]
    pub supplementary_passes: i64,
    /// Placed at a posting a supplementary pass offered.
    #[serde(default)]
    pub placed_by_supplementary: i64,
    /// Placed in the main solve but then at a posting they rank lower (or none), because a
    /// posting preferred a newcomer from a supplementary pass.
    #[serde(default)]
    pub moved: i64,
    /// Unplaced graduates by the reason that ended their search: `no_consent`,
    /// `no_eligible_posting`, `all_full` or `not_offered`.
    #[serde(default)]
    pub unmatched_by_reason: std::collections::BTreeMap<String, i64>,
    /// Explicit choices left out because the posting was not in the round or not eligible.
    pub dropped_choices: i64,
    pub by_project: Vec<ProjectFill>,
    pub by_school: Vec<SchoolPlacement>,
    #[schema(value_type = Object)]
    pub timings_ms: Value,
}

/// A round as the API shows it: the settings it was created with, its status, progress
/// while running, and statistics once done.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Round {
    pub id: i64,
    #[serde(flatten)]
    pub settings: RoundSettings,
    pub status: RoundStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<RoundStats>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

/// The part of a round other tenants may see once it is published: no settings (they name
/// other tenants' postings and schools) and no statistics across tenants.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
// Documented as closed (`additionalProperties: false`), so that a full `Round` never also
// reads as a `PublishedRound`: a `RoundView` is exactly one of the two.
#[serde(deny_unknown_fields)]
pub struct PublishedRound {
    pub id: i64,
    pub name: String,
    pub status: RoundStatus,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<Round> for PublishedRound {
    fn from(r: Round) -> Self {
        PublishedRound { id: r.id, name: r.settings.name, status: r.status, published_at: r.published_at }
    }
}
