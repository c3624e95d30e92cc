//! The demo's preferences and gatherings, so that a first look shows every feature: some
//! graduates' ranked choices (志愿), some companies' shortlists, a job fair and a symposium
//! inviting every demo organisation.

use crate::domain::event::{EventFields, shanghai};
use crate::domain::{EventKind, EventStatus, OrgKind, Weights};
use crate::matching::eligibility::is_eligible;
use crate::matching::score::{GraduateProfile, PostingProfile, score_profiles};
use crate::store::search_source::{GraduateSource, PostingSource, open_postings_after, seeking_graduates_after};
use crate::store::{Tx, events, organizations, preferences};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Graduates whose school recorded choices, and how many each.
const GRADUATES_WITH_CHOICES: usize = 120;
const CHOICES: usize = 3;
/// Postings whose company ranked a shortlist, and how long.
const POSTINGS_WITH_SHORTLISTS: usize = 20;
const SHORTLIST: usize = 5;

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour, minute, 0).expect("a valid time of day");
    shanghai().from_local_datetime(&local).single().expect("+08:00 has no gaps").with_timezone(&Utc)
}

/// The best `n` of `candidates` eligible partners, by score (`fit` is `None` when ineligible).
fn best(candidates: usize, n: usize, fit: impl Fn(usize) -> Option<f64>) -> Vec<usize> {
    let mut scored: Vec<(usize, f64)> = (0..candidates).filter_map(|i| fit(i).map(|s| (i, s))).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(n).map(|(i, _)| i).collect()
}

pub async fn add(tx: &mut Tx, anchor: NaiveDate) -> anyhow::Result<()> {
    let postings: Vec<PostingSource> = open_postings_after(tx, 0, 10_000).await?;
    let graduates: Vec<GraduateSource> = seeking_graduates_after(tx, 0, 10_000).await?;
    let posting_profiles: Vec<PostingProfile> =
        postings.iter().map(|p| PostingProfile::of(&p.posting.fields)).collect();
    let graduate_profiles: Vec<GraduateProfile> =
        graduates.iter().map(|g| GraduateProfile::of(&g.graduate.fields)).collect();
    let weights = Weights::default();
    let fit = |p: usize, g: usize| {
        is_eligible(&posting_profiles[p], &graduate_profiles[g])
            .then(|| score_profiles(&posting_profiles[p], &graduate_profiles[g], 0.0, &weights).total)
    };

    for g in (0..graduates.len()).filter(|g| graduate_profiles[*g].consent).take(GRADUATES_WITH_CHOICES) {
        let chosen = best(postings.len(), CHOICES, |p| fit(p, g));
        let ids: Vec<i64> = chosen.iter().map(|p| postings[*p].posting.id).collect();
        preferences::replace_choices(tx, graduates[g].graduate.id, &ids).await?;
    }
    for (p, posting) in postings.iter().enumerate().take(POSTINGS_WITH_SHORTLISTS) {
        let chosen = best(graduates.len(), SHORTLIST, |g| fit(p, g));
        let ids: Vec<i64> = chosen.iter().map(|g| graduates[*g].graduate.id).collect();
        preferences::replace_shortlist(tx, posting.posting.id, &ids).await?;
    }

    let mut invited = Vec::new();
    for kind in [OrgKind::Company, OrgKind::School] {
        let filter = organizations::Filter { kind: Some(kind), ..Default::default() };
        let (orgs, _) = organizations::list(tx, &filter, crate::store::PageRequest { page: 1, per_page: 100 }).await?;
        invited.extend(orgs.into_iter().map(|o| o.id));
    }
    let fair = EventFields {
        kind: EventKind::JobFair,
        title: "2026肇庆新区冬季校企双选会".into(),
        description: Some("电子信息、先进制造、新能源企业集中招聘，学校带队参加；现场面谈、双向选择。".into()),
        venue: "肇庆新区体育中心主馆".into(),
        starts_at: at(anchor + chrono::Duration::days(11), 14, 0),
        ends_at: at(anchor + chrono::Duration::days(11), 17, 30),
        booth_capacity: 40,
        seat_capacity: 600,
        status: EventStatus::Scheduled,
    };
    let symposium = EventFields {
        kind: EventKind::Symposium,
        title: "校企合作交流座谈会".into(),
        description: Some("重点项目用工需求与职业院校订单班培养对接。".into()),
        venue: "肇庆新区管委会三楼会议室".into(),
        starts_at: at(anchor + chrono::Duration::days(4), 9, 30),
        ends_at: at(anchor + chrono::Duration::days(4), 11, 30),
        booth_capacity: 0,
        seat_capacity: 30,
        status: EventStatus::Scheduled,
    };
    for fields in [fair, symposium] {
        let event = events::insert(tx, &fields, None).await?;
        events::replace_invitations(tx, event.id, &invited).await?;
    }
    Ok(())
}
