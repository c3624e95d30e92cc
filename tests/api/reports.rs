//! Reports: every figure against an independent count (part D).
//!
//! One world is built per test: organisations, projects, postings, graduates and events
//! through the API; offers, destinations and check-ins with plain SQL (helpers/reports.rs).
//! The world is described by plain lists below, and each expected figure is counted from
//! those lists here, never read back from the database.

use crate::helpers::{CODE_A, CODE_B, Session, TestApp, graduate_with, posting_with};
use crate::on_both_backends;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use xiaoqi::domain::roster::Cell;

on_both_backends!(
    fill_counts_projects_parks_and_weeks,
    placements_count_per_school_and_major,
    destinations_and_rates_on_a_cut_off_date,
    turnout_counts_invitations_registrations_and_check_ins,
    each_role_reads_its_own_rows,
    workbooks_hold_the_same_figures,
    bad_parameters_are_named,
);

fn shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap()
}

/// The first instant after `day` (a Beijing day), as the reports count "up to `day`".
fn end_of(day: NaiveDate) -> DateTime<Utc> {
    shanghai()
        .from_local_datetime(&(day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) struct Project {
    pub(crate) id: i64,
    pub(crate) company: usize,
    pub(crate) park: Option<&'static str>,
    pub(crate) shortage: i64,
}

pub(crate) struct Posting {
    pub(crate) id: i64,
    pub(crate) project: usize,
    pub(crate) headcount: i64,
    pub(crate) open: bool,
}

pub(crate) struct Graduate {
    pub(crate) id: i64,
    pub(crate) school: usize,
    pub(crate) major: &'static str,
    pub(crate) year: i64,
}

pub(crate) struct Offer {
    pub(crate) round: usize,
    pub(crate) graduate: usize,
    pub(crate) posting: usize,
    pub(crate) status: &'static str,
    pub(crate) created: DateTime<Utc>,
    pub(crate) decided: Option<DateTime<Utc>>,
}

pub(crate) struct Event {
    pub(crate) id: i64,
    pub(crate) starts: DateTime<Utc>,
    pub(crate) ends: DateTime<Utc>,
    pub(crate) invited: Vec<i64>,
    /// (organisation, status, checked in)
    pub(crate) registrations: Vec<(i64, &'static str, bool)>,
}

pub(crate) struct World {
    pub(crate) today: NaiveDate,
    pub(crate) coordinator: Session,
    pub(crate) companies: Vec<Session>,
    pub(crate) schools: Vec<Session>,
    pub(crate) projects: Vec<Project>,
    pub(crate) postings: Vec<Posting>,
    pub(crate) graduates: Vec<Graduate>,
    pub(crate) rounds: Vec<i64>,
    pub(crate) offers: Vec<Offer>,
    /// (graduate, destination, effective on), in the order recorded.
    pub(crate) outcomes: Vec<(usize, &'static str, NaiveDate)>,
    pub(crate) events: Vec<Event>,
}

impl World {
    fn project_of(&self, posting: usize) -> &Project {
        &self.projects[self.postings[posting].project]
    }
}

pub(crate) async fn world(app: &TestApp) -> World {
    let now = Utc::now();
    let today = now.with_timezone(&shanghai()).date_naive();
    let coordinator = app.coordinator().await;
    let companies = vec![
        app.company(&coordinator, "奥士康科技股份有限公司", CODE_A).await,
        app.company(&coordinator, "肇庆维珍妮服装有限公司", CODE_B).await,
    ];
    let schools =
        vec![app.school(&coordinator, "肇庆技师学院").await, app.school(&coordinator, "肇庆工商职业技术学院").await];

    let mut projects = Vec::new();
    for (company, name, park, shortage) in [
        (0, "奥士康高端印制电路板项目", Some("喜珍产业园"), 10),
        (0, "奥士康研发中心", Some("新区科技园"), 3),
        (1, "维珍妮智能制造基地", Some("喜珍产业园"), 5),
        (1, "维珍妮仓储中心", None, 0),
    ] {
        let mut body = json!({"name": name, "stage": "construction", "key_project": false, "shortage": shortage});
        if let Some(park) = park {
            body["park"] = json!(park);
        }
        let id = app.create_project(&companies[company].token, &body).await.created_id();
        projects.push(Project { id, company, park, shortage });
    }

    let mut postings = Vec::new();
    for (project, headcount, open) in [(0, 4, true), (0, 7, false), (1, 2, true), (2, 6, true), (3, 1, true)] {
        let token = &companies[projects[project].company].token;
        let body = posting_with(json!({
            "project_id": projects[project].id,
            "headcount": headcount,
            "status": if open { "open" } else { "draft" },
        }));
        let id = app.create_posting(token, &body).await.created_id();
        postings.push(Posting { id, project, headcount, open });
    }

    let mut graduates = Vec::new();
    for (n, (school, major, year)) in [
        (0, "机电一体化", 2026),
        (0, "机电一体化", 2026),
        (0, "电子信息工程", 2026),
        (0, "电子信息工程", 2027),
        (1, "机电一体化", 2026),
        (1, "数控技术", 2026),
        (1, "数控技术", 2027),
    ]
    .into_iter()
    .enumerate()
    {
        let body = graduate_with(json!({
            "name": format!("毕业生{n}"),
            "major": major,
            "graduation_year": year,
            "email": format!("g{n}@example.cn"),
            "phone": format!("1380013800{n}"),
        }));
        let id = app.create_graduate(&schools[school].token, &body).await.created_id();
        graduates.push(Graduate { id, school, major, year });
    }

    let rounds =
        vec![app.seed_round(&coordinator.token, "第一轮").await, app.seed_round(&coordinator.token, "第二轮").await];
    let ago = |days: i64, hours: i64| now - Duration::days(days) - Duration::hours(hours);
    let offers = vec![
        Offer { round: 0, graduate: 0, posting: 0, status: "accepted", created: ago(40, 0), decided: Some(ago(35, 0)) },
        Offer { round: 0, graduate: 1, posting: 0, status: "declined", created: ago(40, 0), decided: Some(ago(38, 0)) },
        Offer { round: 0, graduate: 2, posting: 2, status: "accepted", created: ago(40, 0), decided: Some(ago(20, 0)) },
        Offer { round: 0, graduate: 4, posting: 3, status: "accepted", created: ago(40, 0), decided: Some(ago(3, 0)) },
        Offer { round: 0, graduate: 5, posting: 3, status: "expired", created: ago(40, 0), decided: Some(ago(33, 0)) },
        Offer { round: 1, graduate: 1, posting: 2, status: "pending", created: ago(10, 0), decided: None },
        Offer { round: 1, graduate: 5, posting: 4, status: "accepted", created: ago(10, 0), decided: Some(ago(1, 0)) },
        Offer { round: 1, graduate: 6, posting: 0, status: "accepted", created: ago(2, 0), decided: Some(ago(0, 1)) },
        Offer { round: 1, graduate: 3, posting: 3, status: "pending", created: ago(100, 0), decided: None },
    ];
    for o in &offers {
        app.seed_offer(
            rounds[o.round],
            graduates[o.graduate].id,
            postings[o.posting].id,
            o.status,
            o.created,
            o.decided,
        )
        .await;
    }

    let day = |offset: i64| today + Duration::days(offset);
    let outcomes = vec![
        (0, "agreement", day(-30)),
        (0, "labour_contract", day(-5)),
        (1, "seeking", day(-20)),
        (1, "further_study", day(3)),
        (3, "military", day(-1)),
        (3, "abroad", day(-1)),
        (4, "not_seeking", day(-10)),
        (5, "other_employment", day(-40)),
        (5, "self_employed", day(0)),
        (6, "further_study", day(1)),
    ];
    for (graduate, destination, on) in &outcomes {
        app.seed_outcome(graduates[*graduate].id, destination, *on).await;
    }

    let (a, b) = (companies[0].organization_id, companies[1].organization_id);
    let (s1, s2) = (schools[0].organization_id, schools[1].organization_id);
    let mut events = Vec::new();
    for (title, starts_in_hours, invited, registrations) in [
        (
            "双选会（已结束）",
            -240,
            vec![a, s1, s2],
            vec![(a, "approved", true), (s1, "approved", false), (s2, "pending", false)],
        ),
        (
            "双选会（下周）",
            240,
            vec![a, b, s1],
            vec![(a, "approved", false), (b, "declined", false), (s1, "rejected", false)],
        ),
        ("座谈会", 480, vec![b], vec![]),
    ] {
        let future = (now + Duration::days(30)).with_timezone(&shanghai()).date_naive();
        let body = json!({
            "kind": "job_fair", "title": title, "venue": "肇庆新区体育中心",
            "starts_at": format!("{future}T14:00"), "ends_at": format!("{future}T17:00"),
            "booth_capacity": 10, "seat_capacity": 100, "invited_organization_ids": invited,
        });
        let id = app.create_event(&coordinator.token, &body).await.created_id();
        let starts = now + Duration::hours(starts_in_hours);
        let ends = starts + Duration::hours(3);
        app.seed_event_times(id, starts, ends).await;
        for (org, status, checked_in) in &registrations {
            app.seed_registration(id, *org, status, checked_in.then(|| starts + Duration::minutes(20))).await;
        }
        events.push(Event { id, starts, ends, invited, registrations });
    }

    World { today, coordinator, companies, schools, projects, postings, graduates, rounds, offers, outcomes, events }
}

fn ok(reply: crate::helpers::Reply) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

/// What the fill rows must hold for the projects `visible`, counting up to `to`.
fn expected_fill(w: &World, visible: impl Fn(&Project) -> bool, to: NaiveDate) -> Vec<Value> {
    let end = end_of(to);
    w.projects
        .iter()
        .enumerate()
        .filter(|(_, p)| visible(p))
        .map(|(i, p)| {
            let seats: i64 = w.postings.iter().filter(|s| s.project == i && s.open).map(|s| s.headcount).sum();
            let mine = || w.offers.iter().filter(move |o| w.postings[o.posting].project == i);
            let offers = mine().filter(|o| o.created < end).count() as i64;
            let placed = mine().filter(|o| o.status == "accepted" && o.decided.unwrap() < end).count() as i64;
            json!({
                "project_id": p.id, "park": p.park, "shortage": p.shortage, "seats": seats,
                "offers": offers, "placed": placed, "open_shortage": (p.shortage - placed).max(0),
            })
        })
        .collect()
}

/// The figures of each row (`keys`), in order.
fn pick(rows: &Value, keys: &[&str]) -> Vec<Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| Value::Object(keys.iter().map(|k| (k.to_string(), r[*k].clone())).collect()))
        .collect()
}

const FILL_KEYS: [&str; 7] = ["project_id", "park", "shortage", "seats", "offers", "placed", "open_shortage"];

async fn fill_counts_projects_parks_and_weeks(app: TestApp) {
    let w = world(&app).await;
    let token = &w.coordinator.token;
    let from = w.today - Duration::days(28);
    let body = ok(app.report(token, "fill", &format!("from={from}&to={}", w.today)).await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |_| true, w.today));
    let names: Vec<&str> =
        body["rows"].as_array().unwrap().iter().map(|r| r["company_name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["奥士康科技股份有限公司", "奥士康科技股份有限公司", "肇庆维珍妮服装有限公司", "肇庆维珍妮服装有限公司"]
    );

    // Parks: the projects' figures summed, named parks first, projects without a park last.
    let rows = expected_fill(&w, |_| true, w.today);
    let mut parks: Vec<Option<&str>> = w.projects.iter().map(|p| p.park).collect::<BTreeSet<_>>().into_iter().collect();
    parks.sort_by_key(|p| (p.is_none(), *p));
    let expected_parks: Vec<Value> = parks
        .iter()
        .map(|park| {
            let of_park: Vec<&Value> = rows.iter().filter(|r| r["park"].as_str() == *park).collect();
            let sum = |k: &str| of_park.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
            json!({"park": park, "shortage": sum("shortage"), "seats": sum("seats"), "offers": sum("offers"),
                   "placed": sum("placed"), "open_shortage": sum("open_shortage")})
        })
        .collect();
    assert_eq!(body["parks"], json!(expected_parks));

    // The series: a point every seven days from `from`, each counting everything up to its day.
    let expected_series: Vec<Value> = (0..=4)
        .map(|k| {
            let date = from + Duration::days(7 * k);
            let end = end_of(date);
            let offers = w.offers.iter().filter(|o| o.created < end).count();
            let placed = w.offers.iter().filter(|o| o.status == "accepted" && o.decided.unwrap() < end).count();
            json!({"date": date.to_string(), "offers": offers, "placed": placed})
        })
        .collect();
    assert_eq!(body["series"], json!(expected_series));
    assert_eq!((body["from"].as_str().unwrap(), body["to"].clone()), (from.to_string().as_str(), json!(w.today)));

    // Up to a day in the past: later offers and placements are not counted yet.
    let earlier = w.today - Duration::days(21);
    let body = ok(app.report(token, "fill", &format!("to={earlier}")).await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |_| true, earlier));
    assert_eq!(body["from"], json!(earlier - Duration::weeks(12)));
    assert_eq!(body["series"].as_array().unwrap().len(), 13);

    // Filters: a park, a project.
    let body = ok(app.report(token, "fill", "park=喜珍产业园").await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |p| p.park == Some("喜珍产业园"), w.today));
    let last = body["series"].as_array().unwrap().last().unwrap().clone();
    let in_park = |o: &&Offer| w.project_of(o.posting).park == Some("喜珍产业园");
    assert_eq!(last["offers"], json!(w.offers.iter().filter(in_park).count()));
    assert_eq!(last["placed"], json!(w.offers.iter().filter(in_park).filter(|o| o.status == "accepted").count()));
    let second = w.projects[1].id;
    let body = ok(app.report(token, "fill", &format!("project_id={second}")).await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |p| p.id == second, w.today));
}

/// Offers and placements per (school, major) among the offers `counted`.
fn expected_placements(w: &World, counted: impl Fn(&Offer) -> bool) -> Vec<Value> {
    let mut groups: BTreeMap<(i64, &str), (i64, i64)> = BTreeMap::new();
    for o in w.offers.iter().filter(|o| counted(o)) {
        let g = &w.graduates[o.graduate];
        let entry = groups.entry((w.schools[g.school].organization_id, g.major)).or_default();
        entry.0 += 1;
        entry.1 += i64::from(o.status == "accepted");
    }
    // The server orders by school, then major as the database sorts text; both sides are
    // compared in Rust's order (the map's here, `sorted_rows` there).
    groups
        .into_iter()
        .map(|((school, major), (offers, placed))| {
            json!({"school_id": school, "major": major, "offers": offers, "placed": placed})
        })
        .collect()
}

fn sorted_rows(rows: &Value, keys: &[&str]) -> Vec<Value> {
    let mut rows = pick(rows, keys);
    rows.sort_by_key(|r| (r["school_id"].as_i64(), r["major"].as_str().map(str::to_string)));
    rows
}

const PLACEMENT_KEYS: [&str; 4] = ["school_id", "major", "offers", "placed"];

async fn placements_count_per_school_and_major(app: TestApp) {
    let w = world(&app).await;
    let token = &w.coordinator.token;
    let body = ok(app.report(token, "placements", "").await);
    assert_eq!(sorted_rows(&body["rows"], &PLACEMENT_KEYS), expected_placements(&w, |_| true));
    let school_names: BTreeSet<&str> =
        body["rows"].as_array().unwrap().iter().map(|r| r["school_name"].as_str().unwrap()).collect();
    assert_eq!(school_names, BTreeSet::from(["肇庆技师学院", "肇庆工商职业技术学院"]));

    let second = w.rounds[1];
    let body = ok(app.report(token, "placements", &format!("round_id={second}")).await);
    assert_eq!(sorted_rows(&body["rows"], &PLACEMENT_KEYS), expected_placements(&w, |o| o.round == 1));
    assert_eq!(body["round_id"], json!(second));
}

/// Each school's destinations on `on` for graduates of `year` (or all).
fn expected_destinations(w: &World, on: NaiveDate, year: Option<i64>, schools: &[usize]) -> Vec<Value> {
    const ALL: [&str; 9] = [
        "agreement",
        "labour_contract",
        "other_employment",
        "self_employed",
        "further_study",
        "military",
        "abroad",
        "seeking",
        "not_seeking",
    ];
    schools
        .iter()
        .map(|&s| {
            let mine: Vec<usize> = (0..w.graduates.len())
                .filter(|&g| w.graduates[g].school == s && year.is_none_or(|y| w.graduates[g].year == y))
                .collect();
            let mut counts: BTreeMap<&str, i64> = ALL.iter().map(|d| (*d, 0)).collect();
            let mut unrecorded = 0;
            for g in &mine {
                // The latest on or before `on`; of two on one day, the one recorded later.
                let latest =
                    w.outcomes.iter().filter(|(who, _, at)| who == g && *at <= on).max_by_key(|(_, _, at)| *at);
                let latest = w
                    .outcomes
                    .iter()
                    .rev()
                    .filter(|(who, _, at)| who == g && *at <= on)
                    .find(|(_, _, at)| Some(*at) == latest.map(|l| l.2));
                match latest {
                    Some((_, destination, _)) => *counts.get_mut(destination).unwrap() += 1,
                    None => unrecorded += 1,
                }
            }
            let total = mine.len() as i64;
            let rate = |n: i64| if total == 0 { Value::Null } else { json!(n as f64 / total as f64) };
            let employed = ALL.iter().filter(|d| !["seeking", "not_seeking"].contains(d)).map(|d| counts[d]).sum();
            json!({
                "school_id": w.schools[s].organization_id,
                "graduates": total,
                "by_destination": counts,
                "unrecorded": unrecorded,
                "employment_rate": rate(employed),
                "contract_rate": rate(counts["agreement"] + counts["labour_contract"]),
                "further_study_rate": rate(counts["further_study"]),
                "seeking_rate": rate(counts["seeking"] + unrecorded),
            })
        })
        .collect()
}

const DESTINATION_KEYS: [&str; 8] = [
    "school_id",
    "graduates",
    "by_destination",
    "unrecorded",
    "employment_rate",
    "contract_rate",
    "further_study_rate",
    "seeking_rate",
];

async fn destinations_and_rates_on_a_cut_off_date(app: TestApp) {
    let w = world(&app).await;
    let token = &w.coordinator.token;
    let body = ok(app.report(token, "destinations", "").await);
    assert_eq!(body["on"], json!(w.today));
    assert_eq!(pick(&body["rows"], &DESTINATION_KEYS), expected_destinations(&w, w.today, None, &[0, 1]));
    // The figures are not all zero: the world has something to count.
    assert_eq!(body["rows"][0]["by_destination"]["labour_contract"], 1);

    for (on, year) in
        [(w.today - Duration::days(25), None), (w.today, Some(2026)), (w.today + Duration::days(5), Some(2027))]
    {
        let query = match year {
            Some(y) => format!("on={on}&graduation_year={y}"),
            None => format!("on={on}"),
        };
        let body = ok(app.report(token, "destinations", &query).await);
        assert_eq!(pick(&body["rows"], &DESTINATION_KEYS), expected_destinations(&w, on, year, &[0, 1]), "{query}");
    }
}

/// The turnout rows for the events `visible`, counting the registrations of `org` (or all),
/// latest first.
fn expected_turnout(w: &World, org: Option<i64>) -> Vec<Value> {
    let mut events: Vec<&Event> = w
        .events
        .iter()
        .filter(|e| org.is_none_or(|o| e.invited.contains(&o) || e.registrations.iter().any(|(who, _, _)| *who == o)))
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.starts));
    events
        .into_iter()
        .map(|e| {
            let mine = || e.registrations.iter().filter(|(who, _, _)| org.is_none_or(|o| *who == o));
            let ended = e.ends <= Utc::now();
            let approved = mine().filter(|(_, s, _)| *s == "approved").count();
            let checked_in = mine().filter(|(_, _, c)| *c).count();
            let absent = mine().filter(|(_, s, c)| *s == "approved" && !c).count();
            json!({
                "event_id": e.id,
                "invited": e.invited.iter().filter(|i| org.is_none_or(|o| **i == o)).count(),
                "registered": mine().filter(|(_, s, _)| *s != "declined").count(),
                "approved": approved,
                "checked_in": checked_in,
                "ended": ended,
                "no_show": if ended { absent } else { 0 },
            })
        })
        .collect()
}

const TURNOUT_KEYS: [&str; 7] = ["event_id", "invited", "registered", "approved", "checked_in", "ended", "no_show"];

async fn turnout_counts_invitations_registrations_and_check_ins(app: TestApp) {
    let w = world(&app).await;
    let token = &w.coordinator.token;
    let body = ok(app.report(token, "turnout", "").await);
    assert_eq!(pick(&body["rows"], &TURNOUT_KEYS), expected_turnout(&w, None));
    assert_eq!(body["total"], 3);
    assert_eq!(body["rows"][2]["no_show"], 1, "the past fair's approved school that never came");
    assert_eq!(body["rows"][2]["title"], "双选会（已结束）");

    // One event, and paging.
    let first = w.events[0].id;
    let body = ok(app.report(token, "turnout", &format!("event_id={first}")).await);
    assert_eq!(pick(&body["rows"], &TURNOUT_KEYS), vec![expected_turnout(&w, None)[2].clone()]);
    let body = ok(app.report(token, "turnout", "per_page=2&page=2").await);
    assert_eq!(pick(&body["rows"], &TURNOUT_KEYS), vec![expected_turnout(&w, None)[2].clone()]);
    assert_eq!((body["total"].clone(), body["page"].clone(), body["per_page"].clone()), (json!(3), json!(2), json!(2)));
}

async fn each_role_reads_its_own_rows(app: TestApp) {
    let w = world(&app).await;
    let (company, other_company, school) = (&w.companies[0], &w.companies[1], &w.schools[0]);

    // Fill: a company its own projects; a school every project (public information).
    let body = ok(app.report(&company.token, "fill", "").await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |p| p.company == 0, w.today));
    let own_postings: Vec<usize> = (0..w.postings.len()).filter(|&p| w.project_of(p).company == 0).collect();
    let last = body["series"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["offers"], json!(w.offers.iter().filter(|o| own_postings.contains(&o.posting)).count()));
    let body = ok(app.report(&school.token, "fill", "").await);
    assert_eq!(pick(&body["rows"], &FILL_KEYS), expected_fill(&w, |_| true, w.today));

    // Placements: a school its own graduates; a company the offers on its own postings.
    let body = ok(app.report(&school.token, "placements", "").await);
    assert_eq!(
        sorted_rows(&body["rows"], &PLACEMENT_KEYS),
        expected_placements(&w, |o| w.graduates[o.graduate].school == 0)
    );
    let body = ok(app.report(&other_company.token, "placements", "").await);
    assert_eq!(
        sorted_rows(&body["rows"], &PLACEMENT_KEYS),
        expected_placements(&w, |o| w.project_of(o.posting).company == 1)
    );

    // Destinations: a school its own; companies none.
    let body = ok(app.report(&school.token, "destinations", "").await);
    assert_eq!(pick(&body["rows"], &DESTINATION_KEYS), expected_destinations(&w, w.today, None, &[0]));
    let refused = app.report(&company.token, "destinations", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.content_type, "application/problem+json");

    // Turnout: the events one was invited to or registered for, counting its own only.
    for who in [company, other_company, school] {
        let body = ok(app.report(&who.token, "turnout", "").await);
        assert_eq!(pick(&body["rows"], &TURNOUT_KEYS), expected_turnout(&w, Some(who.organization_id)));
    }

    // Nobody signed in: nothing.
    for kind in ["fill", "placements", "destinations", "turnout"] {
        assert_eq!(app.get(&format!("/api/v1/reports/{kind}"), None).await.status, StatusCode::UNAUTHORIZED);
    }
}

fn number(cell: &Cell) -> f64 {
    match cell {
        Cell::Number(n) => *n,
        other => panic!("expected a number, got {other:?}"),
    }
}

async fn workbooks_hold_the_same_figures(app: TestApp) {
    let w = world(&app).await;
    let token = &w.coordinator.token;
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    let (content_type, bytes) = app.report_workbook(token, "fill", "").await;
    assert_eq!(content_type, XLSX);
    let sheets = xiaoqi::sheets::read(&bytes, Some("fill.xlsx"), 1000).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["项目 Projects", "园区 Parks", "趋势 Over time"]);
    assert_eq!(sheets[0].rows[0].cells[4], Cell::Text("用工缺口".into()));
    let expected = expected_fill(&w, |_| true, w.today);
    assert_eq!(sheets[0].rows.len(), 1 + expected.len());
    for (row, want) in sheets[0].rows[1..].iter().zip(&expected) {
        assert_eq!(number(&row.cells[0]) as i64, want["project_id"].as_i64().unwrap());
        assert_eq!(number(&row.cells[7]) as i64, want["placed"].as_i64().unwrap());
        assert_eq!(number(&row.cells[8]) as i64, want["open_shortage"].as_i64().unwrap());
    }

    let (_, bytes) = app.report_workbook(token, "destinations", "").await;
    let sheets = xiaoqi::sheets::read(&bytes, Some("destinations.xlsx"), 1000).unwrap();
    let expected = expected_destinations(&w, w.today, None, &[0, 1]);
    let header = &sheets[0].rows[0].cells;
    let column = |title: &str| header.iter().position(|c| *c == Cell::Text(title.into())).unwrap();
    for (row, want) in sheets[0].rows[1..].iter().zip(&expected) {
        assert_eq!(number(&row.cells[column("毕业生人数")]) as i64, want["graduates"].as_i64().unwrap());
        assert_eq!(number(&row.cells[column("就业率")]), want["employment_rate"].as_f64().unwrap());
        assert_eq!(number(&row.cells[column("待就业率")]), want["seeking_rate"].as_f64().unwrap());
    }

    for kind in ["placements", "turnout"] {
        let (content_type, bytes) = app.report_workbook(token, kind, "").await;
        assert_eq!(content_type, XLSX);
        let sheets = xiaoqi::sheets::read(&bytes, Some("r.xlsx"), 1000).unwrap();
        let expected_rows = if kind == "turnout" { w.events.len() } else { expected_placements(&w, |_| true).len() };
        assert_eq!(sheets[0].rows.len(), 1 + expected_rows, "{kind}");
    }
}

async fn bad_parameters_are_named(app: TestApp) {
    let coordinator = app.coordinator().await;
    let token = &coordinator.token;
    for (kind, query, field) in [
        ("fill", "from=2026-13-01", "from"),
        ("fill", "from=2026-11-30&to=2026-11-01", "to"),
        ("fill", "project_id=0", "project_id"),
        ("fill", "format=pdf", "format"),
        ("placements", "round_id=abc", "round_id"),
        ("destinations", "on=yesterday", "on"),
        ("destinations", "graduation_year=20260", "graduation_year"),
        ("turnout", "event_id=-1", "event_id"),
        ("turnout", "per_page=1000", "per_page"),
    ] {
        let reply = app.report(token, kind, query).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}?{query}: {:?}", reply.body);
        assert_eq!(reply.error_fields(), vec![field], "{kind}?{query}");
    }
}
