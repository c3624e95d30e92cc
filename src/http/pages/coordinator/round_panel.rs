//! What a round's page shows coordinators above its results: where the round stands (a
//! run button for a draft, live progress while running, drawn again by `<meta refresh>`
//! without script), the settings it runs with, statistics once done, the publish form with
//! the offers' deadline, the export, and once published the offers by status.

use crate::domain::round::Round;
use crate::domain::{FieldErrors, Input, Parse, RoundStatus, event::shanghai};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::context::Page;
use crate::http::pages::form::FormView;
use crate::services::Actor;
use crate::services::rounds as service;
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};

/// Seconds between reloads of a running round's page.
pub const REFRESH_SECONDS: u32 = 2;
/// Rows of the per-school and per-project tables on the page (the export has them all).
const TABLE_ROWS: usize = 10;
/// Days from publishing to the offers' default deadline.
const DEFAULT_DUE_DAYS: u64 = 7;

/// The publish form: the day offers must be answered by (until 23:59 Beijing time).
#[derive(Debug, Clone)]
pub struct PublishForm {
    pub offers_due: NaiveDate,
}

impl Parse for PublishForm {
    fn parse(input: &mut Input) -> Option<Self> {
        Some(Self { offers_due: input.required("offers_due")? })
    }
}

impl PublishForm {
    /// The deadline as a time: 23:59 Beijing time on the chosen day, which must still be
    /// ahead of `now`.
    pub fn due_at(self, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldErrors> {
        let end = self.offers_due.and_hms_opt(23, 59, 0).and_then(|t| shanghai().from_local_datetime(&t).single());
        match end.map(|at| at.with_timezone(&Utc)) {
            Some(at) if at > now => Ok(at),
            _ => {
                let mut errors = FieldErrors::default();
                errors.push("offers_due", "must be a day still ahead (Beijing time) / 截止日期须在今天或以后");
                Err(errors)
            }
        }
    }

    /// The default deadline's day: a week after `now`, in Beijing.
    pub fn default_day(now: DateTime<Utc>) -> NaiveDate {
        let today = now.with_timezone(&shanghai()).date_naive();
        today.checked_add_days(Days::new(DEFAULT_DUE_DAYS)).unwrap_or(today)
    }
}

/// A figure of the statistics: its label and value as written.
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A row of a statistics table: name, then figures as written.
pub struct TableRow {
    pub name: String,
    pub cells: Vec<String>,
}

/// A running round's progress.
pub struct Progress {
    pub phase: String,
    pub percent: i64,
}

/// Offers of one status, linking to the offers page filtered by it.
pub struct OfferCount {
    pub label: String,
    pub count: i64,
    pub href: String,
}

/// The coordinator's part of a round's page.
pub struct RoundPanel {
    pub id: i64,
    pub progress: Option<Progress>,
    /// Why the last run failed.
    pub error: Option<String>,
    /// The run button's catalogue key (run, run again, try again), when the round may run.
    pub run_label: Option<&'static str>,
    /// The settings, as (label, value) lines.
    pub settings: Vec<Figure>,
    pub figures: Vec<Figure>,
    pub by_rank: Vec<Figure>,
    pub by_school: Vec<TableRow>,
    pub schools_total: usize,
    pub by_project: Vec<TableRow>,
    pub projects_total: usize,
    /// The publish form (a done round).
    pub publish: Option<FormView>,
    pub published: bool,
    pub offers: Vec<OfferCount>,
    pub offers_href: String,
    pub has_results: bool,
    pub matched: i64,
    pub unmatched: i64,
}

impl RoundPanel {
    /// Seconds until the page reloads itself: while the round runs.
    pub fn refresh(&self) -> Option<u32> {
        self.progress.as_ref().map(|_| REFRESH_SECONDS)
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn settings(page: &Page, round: &Round) -> Vec<Figure> {
    let s = &round.settings;
    let scope = &s.scope;
    let ids = |ids: &Option<Vec<i64>>| ids.as_ref().map(|ids| ids.len());
    let mut lines = Vec::new();
    let mut line = |key: &str, value: String| lines.push(Figure { label: page.t(key), value });
    match (ids(&scope.posting_ids), ids(&scope.project_ids), scope.event_id) {
        (Some(n), _, _) => line("rnd-postings", page.t1("rnd-scope-postings-n", "count", n)),
        (_, Some(n), _) => line("rnd-projects", page.t1("rnd-scope-projects-n", "count", n)),
        (_, _, Some(event)) => line("rnd-event", format!("#{event}")),
        _ => line("rnd-postings", page.t("rnd-scope-all-postings")),
    }
    match (ids(&scope.school_ids), ids(&scope.graduate_ids)) {
        (Some(n), _) => line("rnd-schools", page.t1("rnd-scope-schools-n", "count", n)),
        (_, Some(n)) => line("rnd-schools", page.t1("rnd-scope-graduates-n", "count", n)),
        _ if scope.event_id.is_some() => line("rnd-schools", page.t("rnd-scope-event-schools")),
        _ => line("rnd-schools", page.t("rnd-scope-all-graduates")),
    }
    if let Some(previous) = scope.exclude_matched_in_round {
        line("rnd-exclude", format!("#{previous}"));
    }
    let proposing = match s.proposing {
        xiaoqi_matching::Proposing::Graduates => "rnd-proposing-graduates",
        xiaoqi_matching::Proposing::Postings => "rnd-proposing-postings",
    };
    line("rnd-proposing", page.t(proposing));
    line("rnd-fill", page.t(if s.fill_from_scores { "rnd-yes" } else { "rnd-no" }));
    line("rnd-candidates", s.candidates_per_graduate.to_string());
    line("rnd-supplementary", page.t(if s.supplementary && s.fill_from_scores { "rnd-yes" } else { "rnd-no" }));
    let weights =
        s.weights.named().into_iter().map(|(name, w)| format!("{} {w}", page.t(&format!("rnd-weight-{name}"))));
    line("rnd-weights", weights.collect::<Vec<_>>().join(" · "));
    line("rnd-seed", s.seed.to_string());
    lines
}

/// The coordinator's panel for `round`, with its statistics, rank spread and offers read
/// as the round's status allows.
pub async fn panel(state: &AppState, page: &Page, actor: &Actor, round: &Round) -> Result<RoundPanel, AppError> {
    let id = round.id;
    let status = round.status;
    let has_results = matches!(status, RoundStatus::Done | RoundStatus::Published);
    let mut panel = RoundPanel {
        id,
        progress: None,
        error: round.error.clone().filter(|_| status == RoundStatus::Failed),
        run_label: match status {
            RoundStatus::Draft => Some("rnd-run"),
            RoundStatus::Failed => Some("rnd-run-retry"),
            RoundStatus::Done => Some("rnd-run-again"),
            RoundStatus::Running | RoundStatus::Published => None,
        },
        settings: settings(page, round),
        figures: Vec::new(),
        by_rank: Vec::new(),
        by_school: Vec::new(),
        schools_total: 0,
        by_project: Vec::new(),
        projects_total: 0,
        publish: None,
        published: status == RoundStatus::Published,
        offers: Vec::new(),
        offers_href: format!("/app/offers?round_id={id}"),
        has_results,
        matched: 0,
        unmatched: 0,
    };
    if status == RoundStatus::Running {
        let (phase, percent) =
            round.progress.as_ref().map_or(("loading", 0), |p| (p.phase.as_str(), p.percent.clamp(0, 100)));
        panel.progress = Some(Progress { phase: page.t(&format!("rnd-phase-{phase}")), percent });
    }
    if let Some(stats) = round.stats.as_ref().filter(|_| has_results) {
        panel.matched = stats.matched;
        panel.unmatched = stats.unmatched;
        let ranks = service::matched_ranks(&state.db, actor, id).await?;
        let first = ranks.iter().find(|(rank, _)| *rank == 1).map_or(0, |(_, n)| *n);
        let share = if stats.matched > 0 { first as f64 / stats.matched as f64 } else { 0.0 };
        let figure = |key: &str, value: String| Figure { label: page.t(key), value };
        panel.figures = vec![
            figure("rnd-stat-graduates", stats.graduates.to_string()),
            figure("rnd-stat-matched", stats.matched.to_string()),
            figure("rnd-stat-unmatched", stats.unmatched.to_string()),
            figure("rnd-stat-postings", stats.postings.to_string()),
            figure("rnd-stat-seats", stats.seats.to_string()),
            figure("rnd-stat-placeable", stats.placeable.to_string()),
            figure("rnd-stat-fill-rate", percent(stats.fill_rate)),
            figure("rnd-stat-seat-fill-rate", percent(stats.seat_fill_rate)),
            figure("rnd-stat-first-choice", percent(share)),
            figure("rnd-stat-own-choice", stats.placed_in_own_choice.to_string()),
            figure("rnd-stat-supplementary", stats.placed_by_supplementary.to_string()),
            figure("rnd-stat-moved", stats.moved.to_string()),
            figure("rnd-stat-dropped", stats.dropped_choices.to_string()),
        ];
        // 1st, 2nd, 3rd preference, then the rest together.
        let mut by_rank: Vec<(String, i64)> = ranks
            .iter()
            .filter(|(rank, _)| (1..=3).contains(rank))
            .map(|(rank, count)| (page.t1("rnd-rank-n", "rank", *rank), *count))
            .collect();
        let later: i64 = ranks.iter().filter(|(rank, _)| !(1..=3).contains(rank)).map(|(_, n)| n).sum();
        if later > 0 {
            by_rank.push((page.t("rnd-rank-later"), later));
        }
        panel.by_rank = by_rank
            .into_iter()
            .map(|(label, count)| {
                let share = if stats.matched > 0 { count as f64 / stats.matched as f64 } else { 0.0 };
                Figure { label, value: format!("{count}（{}）", percent(share)) }
            })
            .collect();
        let mut schools = stats.by_school.clone();
        schools.sort_by(|a, b| b.graduates.cmp(&a.graduates).then(a.school_id.cmp(&b.school_id)));
        panel.schools_total = schools.len();
        panel.by_school = schools
            .into_iter()
            .take(TABLE_ROWS)
            .map(|s| TableRow {
                name: s.school_name,
                cells: vec![s.graduates.to_string(), s.matched.to_string(), percent(s.placement_rate)],
            })
            .collect();
        let mut projects = stats.by_project.clone();
        projects.sort_by(|a, b| b.seats.cmp(&a.seats).then(a.project_id.cmp(&b.project_id)));
        panel.projects_total = projects.len();
        panel.by_project = projects
            .into_iter()
            .take(TABLE_ROWS)
            .map(|p| TableRow {
                name: p.project_name.unwrap_or_else(|| page.t("rnd-no-project")),
                cells: vec![p.seats.to_string(), p.filled.to_string(), percent(p.fill_rate)],
            })
            .collect();
    }
    if status == RoundStatus::Done {
        let day = PublishForm::default_day(Utc::now());
        let day = format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
        panel.publish =
            Some(FormView::new(&[("offers_due", day.as_str())]).labelled(page, &[("offers_due", "rnd-offers-due")]));
    }
    if status == RoundStatus::Published {
        panel.offers = service::offer_counts(&state.db, actor, id)
            .await?
            .into_iter()
            .map(|(status, count)| OfferCount {
                label: offer_status_label(page, &status),
                count,
                href: format!("/app/offers?round_id={id}&status={status}"),
            })
            .collect();
    }
    Ok(panel)
}

/// An offer status in the page's language (a status unknown here is shown as stored).
fn offer_status_label(page: &Page, status: &str) -> String {
    crate::domain::OfferStatus::ALL
        .iter()
        .find(|s| s.as_str() == status)
        .map_or_else(|| status.to_string(), |s| page.label(s.label_zh(), s.label_en()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a time").with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a day")
    }

    #[test]
    fn the_deadline_is_the_end_of_a_beijing_day_still_ahead() {
        // 2026-12-01 10:00 in Beijing.
        let now = at("2026-12-01T02:00:00Z");
        let due = PublishForm { offers_due: day("2026-12-08") }.due_at(now).expect("ahead");
        assert_eq!(due, at("2026-12-08T15:59:00Z"));
        assert!(PublishForm { offers_due: day("2026-12-01") }.due_at(now).is_ok(), "today until 23:59");
        let refused = PublishForm { offers_due: day("2026-11-30") }.due_at(now).expect_err("past");
        assert_eq!(refused.0[0].field, "offers_due");
        // 23:59:30 in Beijing: today has ended for answering.
        assert!(PublishForm { offers_due: day("2026-12-01") }.due_at(at("2026-12-01T15:59:30Z")).is_err());
    }

    #[test]
    fn the_default_deadline_is_a_week_from_beijing_today() {
        // 2026-11-30 20:00 UTC is already 1 December in Beijing.
        assert_eq!(PublishForm::default_day(at("2026-11-30T20:00:00Z")), day("2026-12-08"));
        assert_eq!(PublishForm::default_day(at("2026-11-30T10:00:00Z")), day("2026-12-07"));
    }
}
