//! Queueing e-mail notices about events, reminders before they start, and the one-click
//! answers (RSVP, unsubscribe) their links carry. Requests only write outbox rows, in
//! their own transaction; `notify`'s worker sends them.

use super::Actor;
use super::signing::{Claims, Signer, TokenError};
use crate::domain::notice::{EventSnapshot, NoticePayload, Recipient, RsvpLinks};
use crate::domain::registration::NoticeRequest;
use crate::domain::{EventStatus, NoticeKind, OrgKind, RegistrationStatus};
use crate::error::{AppError, AppResult};
use crate::store::events::{self as events_store, EventRow, NewRegistration};
use crate::store::notices::{self as store, NewNotice, NoticeView};
use crate::store::{Db, Page, PageRequest, Tx, audit};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// Where links in e-mails point, and how they are signed.
#[derive(Clone, Debug)]
pub struct Links {
    pub base_url: String,
    pub signer: Signer,
}

impl Links {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }

    fn rsvp(&self, event: &EventRow, organization: i64) -> RsvpLinks {
        let claims = Claims::Rsvp { event: event.id, organization, expires: event.fields.starts_at.timestamp() };
        let token = self.signer.sign(&claims);
        RsvpLinks {
            attend_url: self.url(&format!("/rsvp/{token}?answer=attend")),
            decline_url: self.url(&format!("/rsvp/{token}?answer=decline")),
        }
    }

    fn unsubscribe(&self, email: &str) -> String {
        self.url(&format!("/unsubscribe/{}", self.signer.sign(&Claims::Unsubscribe { email: email.to_string() })))
    }
}

pub fn snapshot(links: &Links, event: &EventRow) -> EventSnapshot {
    let f = &event.fields;
    EventSnapshot {
        id: event.id,
        uid: format!("event-{}@{}", event.id, crate::config::host_of(&links.base_url)),
        kind: f.kind,
        title: f.title.clone(),
        description: f.description.clone(),
        venue: f.venue.clone(),
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        revision: event.revision,
        status: f.status,
    }
}

/// How many notices a call queued, of how many recipients.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Queued {
    /// New notices (0 when the same call was made before).
    pub queued: usize,
    pub recipients: usize,
}

/// Queue one notice of `kind` per recipient of the event's invited organisations, each
/// once per `key` and recipient.
async fn queue(
    tx: &mut Tx,
    links: &Links,
    event: &EventRow,
    kind: NoticeKind,
    key: &str,
    skip_unsubscribed: bool,
) -> AppResult<Queued> {
    let mut invited = events_store::invited(tx, event.id).await?;
    if matches!(kind, NoticeKind::Reminder | NoticeKind::Update) {
        // No reminders or updates to those who will not come.
        let out = events_store::not_coming(tx, event.id).await?;
        invited.retain(|o| !out.contains(o));
    }
    let mut seen = HashSet::new();
    let (mut queued, mut recipients) = (0, 0);
    for (organization_id, organization_name, email, name) in store::recipients(tx, &invited).await? {
        let email = email.trim().to_lowercase();
        if !seen.insert(email.clone()) {
            continue;
        }
        if skip_unsubscribed && store::is_unsubscribed(tx, &email).await? {
            continue;
        }
        recipients += 1;
        let payload = NoticePayload {
            kind,
            event: Some(snapshot(links, event)),
            recipient: Recipient {
                email: email.clone(),
                name,
                organization_id: Some(organization_id),
                organization_name: Some(organization_name),
            },
            rsvp: matches!(kind, NoticeKind::Invitation | NoticeKind::Update)
                .then(|| links.rsvp(event, organization_id)),
            unsubscribe_url: (kind == NoticeKind::Reminder).then(|| links.unsubscribe(&email)),
            summary_zh: None,
            summary_en: None,
            link: None,
            checkin_qr: None,
        };
        let notice = NewNotice {
            kind,
            event_id: Some(event.id),
            round_id: None,
            revision: event.revision,
            graduate_id: None,
            dedupe_key: format!("{key}:{email}"),
            payload: &payload,
        };
        queued += usize::from(store::enqueue(tx, &notice).await?);
    }
    Ok(Queued { queued, recipients })
}

/// `POST /events/{id}/notices/{notice_id}/retry` (coordinators): a `failed` notice goes
/// back to the queue (its attempts are kept); any other state is a 409.
pub async fn retry(db: &Db, actor: &Actor, event_id: i64, notice_id: i64, now: DateTime<Utc>) -> AppResult<NoticeView> {
    super::require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    let notice = store::event_notice(&mut tx, event_id, notice_id).await?.ok_or(AppError::NotFound)?;
    if notice.status != crate::domain::NoticeStatus::Failed {
        return Err(AppError::Conflict(format!(
            "only failed notices are retried; this one is {} / 只能重发发送失败的通知，该通知状态为{}",
            notice.status.label_en(),
            notice.status.label_zh()
        )));
    }
    store::requeue(&mut tx, notice_id, now).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "retry", "notice", Some(notice_id))
        .await?;
    let notice = store::event_notice(&mut tx, event_id, notice_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(notice)
}

/// When a round is published, tell each school how its graduates fared and each company
/// whom it was matched with (in the same transaction as the publishing). Returns how many
/// notices were queued.
pub async fn queue_round_results(tx: &mut Tx, links: &Links, round_id: i64, round_name: &str) -> AppResult<usize> {
    let (schools, companies) = crate::store::rounds::outcomes(tx, round_id).await?;
    let results_url = links.url(&format!("/api/v1/rounds/{round_id}/assignments"));
    let mut per_org: Vec<(i64, String, String)> = Vec::new();
    for (school, graduates, matched) in schools {
        per_org.push((
            school,
            format!("贵校参加「{round_name}」的 {graduates} 名毕业生中，{matched} 人匹配成功。"),
            format!("Of your {graduates} graduates in \"{round_name}\", {matched} were matched."),
        ));
    }
    for (company, placed) in companies {
        per_org.push(if placed > 0 {
            (
                company,
                format!("贵单位在「{round_name}」中匹配到 {placed} 名毕业生，请查看名单并与学校联系。"),
                format!("{placed} graduates were matched with your postings in \"{round_name}\"; see the list."),
            )
        } else {
            (
                company,
                format!("贵单位的岗位在「{round_name}」中暂未匹配到毕业生，可查看各岗位空缺原因。"),
                format!(
                    "No graduates were matched with your postings in \"{round_name}\"; see why seats stayed empty."
                ),
            )
        });
    }
    let key = format!("round:{round_id}:result");
    let mut queued = 0;
    for (organization, zh, en) in per_org {
        let summary = Summary::of_round(NoticeKind::RoundResult, round_id, &key, (&zh, &en), &results_url);
        queued += queue_to_organization(tx, organization, &summary).await?;
    }
    Ok(queued)
}

/// A notice told as a summary and a link (see [`NoticePayload::summary`]), for
/// [`queue_to_organization`].
pub struct Summary<'a> {
    pub kind: NoticeKind,
    /// The event it is about, whose revision the notice is of.
    pub event: Option<EventSnapshot>,
    pub round_id: Option<i64>,
    /// One notice per key and address.
    pub key: &'a str,
    pub zh: &'a str,
    pub en: &'a str,
    pub link: &'a str,
    /// An approved registration's pass.
    pub checkin_qr: Option<&'a str>,
}

impl<'a> Summary<'a> {
    /// About a round: its results, offers and their answers.
    pub fn of_round(
        kind: NoticeKind,
        round_id: i64,
        key: &'a str,
        (zh, en): (&'a str, &'a str),
        link: &'a str,
    ) -> Self {
        Summary { kind, event: None, round_id: Some(round_id), key, zh, en, link, checkin_qr: None }
    }
}

/// Queue `summary` to every address of `organization` (its contact and its users), each
/// once; returns how many notices are new.
pub async fn queue_to_organization(tx: &mut Tx, organization: i64, summary: &Summary<'_>) -> AppResult<usize> {
    let mut seen = HashSet::new();
    let mut queued = 0;
    for (organization_id, organization_name, email, name) in store::recipients(tx, &[organization]).await? {
        let email = email.trim().to_lowercase();
        if !seen.insert(email.clone()) {
            continue;
        }
        let recipient = Recipient {
            email: email.clone(),
            name,
            organization_id: Some(organization_id),
            organization_name: Some(organization_name),
        };
        let told = NoticePayload::summary(
            summary.kind,
            recipient,
            summary.zh.to_string(),
            summary.en.to_string(),
            summary.link.to_string(),
        );
        let payload =
            NoticePayload { event: summary.event.clone(), checkin_qr: summary.checkin_qr.map(str::to_string), ..told };
        let notice = NewNotice {
            kind: summary.kind,
            event_id: summary.event.as_ref().map(|e| e.id),
            round_id: summary.round_id,
            revision: summary.event.as_ref().map_or(0, |e| e.revision),
            graduate_id: None,
            dedupe_key: format!("{}:{email}", summary.key),
            payload: &payload,
        };
        queued += usize::from(store::enqueue(tx, &notice).await?);
    }
    Ok(queued)
}

/// `POST /events/{id}/notices {kind}`: coordinators queue invitations, reminders, updates
/// or a cancellation to everyone invited.
pub async fn queue_for_event(
    db: &Db,
    links: &Links,
    actor: &Actor,
    event_id: i64,
    request: NoticeRequest,
) -> AppResult<Queued> {
    super::require_coordinator(actor)?;
    let kind = request.kind;
    let mut tx = db.begin().await?;
    let event = events_store::get(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    let cancelled = event.fields.status == EventStatus::Cancelled;
    if kind == NoticeKind::Cancellation && !cancelled {
        return Err(AppError::Conflict(
            "cancel the event first (PATCH status: cancelled) / 请先将活动状态改为已取消".into(),
        ));
    }
    if kind != NoticeKind::Cancellation && cancelled {
        return Err(AppError::Conflict("the event is cancelled / 活动已取消".into()));
    }
    // Once per (event, revision, recipient, kind): calling again queues nothing new.
    let key = format!("event:{}:rev:{}:{}", event.id, event.revision, kind.as_str());
    let queued = queue(&mut tx, links, &event, kind, &key, kind == NoticeKind::Reminder).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), kind.as_str(), "notice", Some(event_id))
        .await?;
    tx.commit().await?;
    Ok(queued)
}

pub async fn for_event(db: &Db, actor: &Actor, event_id: i64, page: PageRequest) -> AppResult<Page<NoticeView>> {
    super::require_coordinator(actor)?;
    let mut conn = db.read().await?;
    events_store::get(&mut conn, event_id).await?.ok_or(AppError::NotFound)?;
    let (items, total) = store::for_event(&mut conn, event_id, page).await?;
    Ok(Page::new(items, total, page))
}

/// Queue the reminders due at `now`: for each scheduled event, the reminder with the
/// smallest offset whose time has come (`starts_at - offset <= now < starts_at`). Each
/// offset's reminder goes to each recipient once, whatever later revisions do; an event
/// created late skips the reminders whose time had already passed but for the nearest.
/// Returns how many notices were queued.
pub async fn queue_reminders(db: &Db, links: &Links, offsets: &[Duration], now: DateTime<Utc>) -> AppResult<usize> {
    let Some(longest) = offsets.iter().max() else { return Ok(0) };
    let events = events_store::starting_between(&mut db.read().await?, now, now + *longest).await?;
    let mut queued = 0;
    for event in events {
        let due = offsets.iter().filter(|o| event.fields.starts_at - **o <= now).min();
        let Some(offset) = due else { continue };
        let mut tx = db.begin().await?;
        // The key leaves the revision out: each offset's reminder goes out once, ever.
        let key = format!("event:{}:reminder-{}h", event.id, offset.num_hours());
        queued += queue(&mut tx, links, &event, NoticeKind::Reminder, &key, true).await?.queued;
        tx.commit().await?;
    }
    Ok(queued)
}

/// Queue due reminders every `every` until `stop` flips.
pub async fn remind(
    db: Db,
    links: Links,
    offsets: Vec<Duration>,
    every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match queue_reminders(&db, &links, &offsets, Utc::now()).await {
            Ok(n) if n > 0 => tracing::info!(reminders = n, "queued event reminders"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not queue reminders"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

/// What an RSVP link refers to, for its confirmation page.
#[derive(Debug, Clone)]
pub struct RsvpTarget {
    pub event: EventRow,
    pub organization_id: i64,
    pub organization_name: String,
    pub current: Option<RegistrationStatus>,
}

/// Why an RSVP or unsubscribe link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for LinkError {
    fn from(e: sqlx::Error) -> Self {
        LinkError::App(e.into())
    }
}

fn rsvp_claims(links: &Links, token: &str, now: DateTime<Utc>) -> Result<(i64, i64), LinkError> {
    match links.signer.verify(token, now)? {
        Claims::Rsvp { event, organization, .. } => Ok((event, organization)),
        _ => Err(TokenError::Invalid.into()),
    }
}

pub async fn rsvp_target(db: &Db, links: &Links, token: &str, now: DateTime<Utc>) -> Result<RsvpTarget, LinkError> {
    let (event_id, organization_id) = rsvp_claims(links, token, now)?;
    let mut conn = db.read().await?;
    let event = events_store::get(&mut conn, event_id).await?.ok_or(TokenError::Invalid)?;
    let organization =
        crate::store::organizations::get(&mut conn, organization_id).await?.ok_or(TokenError::Invalid)?;
    let current = events_store::registration_of(&mut conn, event_id, organization_id).await?.map(|r| r.status);
    Ok(RsvpTarget { event, organization_id, organization_name: organization.fields.name, current })
}

/// Record an RSVP answer as a registration: attending creates a pending registration (or
/// reopens a declined one, if there is still room), declining records `declined`. Only
/// invited organisations may answer, and a registration the service centre rejected stays
/// rejected.
pub async fn rsvp_answer(
    db: &Db,
    links: &Links,
    token: &str,
    attend: bool,
    now: DateTime<Utc>,
) -> Result<RsvpTarget, LinkError> {
    let (event_id, organization_id) = rsvp_claims(links, token, now)?;
    let conflict = |e: AppError| match e {
        AppError::Conflict(m) => LinkError::Conflict(m),
        other => LinkError::App(other),
    };
    let mut tx = db.begin().await?;
    let event = super::events::lock_event(&mut tx, event_id).await.map_err(|_| TokenError::Invalid)?;
    if event.fields.status == EventStatus::Cancelled {
        return Err(LinkError::Conflict("活动已取消 / The event is cancelled.".into()));
    }
    if !events_store::is_invited(&mut tx, event_id, organization_id).await? {
        return Err(LinkError::Conflict(
            "贵单位已不在本活动邀请名单中 / Your organisation is no longer invited.".into(),
        ));
    }
    let organization = crate::store::organizations::get(&mut tx, organization_id).await?;
    let kind = match organization.map(|o| o.fields.kind).ok_or(TokenError::Invalid)? {
        OrgKind::Company => OrgKind::Company,
        _ => OrgKind::School,
    };
    match events_store::registration_of(&mut tx, event_id, organization_id).await? {
        Some(r) if r.status == RegistrationStatus::Rejected => {
            return Err(LinkError::Conflict(
                "服务中心未通过本单位的报名，请与服务中心联系 / The service centre did not approve this registration; please contact it."
                    .into(),
            ));
        }
        Some(r) if attend && r.status == RegistrationStatus::Declined => {
            super::events::check_room(&mut tx, &event, kind, r.graduates).await.map_err(conflict)?;
            events_store::set_registration_status(&mut tx, r.id, RegistrationStatus::Pending).await?;
        }
        Some(_) if attend => {}
        Some(r) => events_store::set_registration_status(&mut tx, r.id, RegistrationStatus::Declined).await?,
        None => {
            let new = NewRegistration {
                event_id,
                organization_id,
                kind,
                posting_ids: &[],
                graduates: 0,
                teacher_name: None,
                teacher_phone: None,
                status: if attend { RegistrationStatus::Pending } else { RegistrationStatus::Declined },
                source: "rsvp",
            };
            if attend {
                super::events::check_room(&mut tx, &event, kind, 0).await.map_err(conflict)?;
            }
            events_store::insert_registration(&mut tx, &new).await?;
        }
    }
    audit::record(
        &mut tx,
        None,
        Some(organization_id),
        if attend { "rsvp_attend" } else { "rsvp_decline" },
        "event",
        Some(event_id),
    )
    .await?;
    tx.commit().await?;
    rsvp_target(db, links, token, now).await
}

/// The address an unsubscribe link is for.
pub fn unsubscribe_email(links: &Links, token: &str) -> Result<String, LinkError> {
    match links.signer.verify(token, Utc::now())? {
        Claims::Unsubscribe { email } => Ok(email),
        _ => Err(TokenError::Invalid.into()),
    }
}

pub async fn unsubscribe(db: &Db, links: &Links, token: &str) -> Result<String, LinkError> {
    let email = unsubscribe_email(links, token)?;
    let mut tx = db.begin().await?;
    store::unsubscribe(&mut tx, &email).await?;
    store::supersede_reminders_to(&mut tx, &email, "not sent: the recipient unsubscribed / 收件人已退订，未发送")
        .await?;
    tx.commit().await?;
    Ok(email)
}
