//! Events and registrations. Coordinators create and change events and decide on
//! registrations; invited companies and schools register and see their own registrations.

use super::{Actor, patched, require_coordinator};
use crate::domain::event::{Event, EventPatch, NewEvent};
use crate::domain::registration::{Registration, RegistrationRequest};
use crate::domain::{EventStatus, FieldErrors, OrgKind, PostingStatus, RegistrationStatus, Role};
use crate::error::{AppError, AppResult};
use crate::store::events::{self as store, EventRow, NewRegistration};
use crate::store::{Access, Db, Page, PageRequest, audit, postings};
use chrono::Utc;

/// The API view: invitations only for coordinators.
async fn view(db: &mut impl Access, row: EventRow, coordinator: bool) -> AppResult<Event> {
    let invited = if coordinator { Some(store::invited(db, row.id).await?) } else { None };
    let (booths_taken, seats_taken) = store::taken(db, row.id).await?;
    Ok(Event {
        id: row.id,
        fields: row.fields,
        invited_organization_ids: invited,
        revision: row.revision,
        booths_taken,
        seats_taken,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Every invited organisation must exist and be a company or school.
async fn check_invited(db: &mut impl Access, ids: &[i64]) -> AppResult<()> {
    for (at, id) in ids.iter().enumerate() {
        match crate::store::organizations::kind_of(db, *id).await? {
            Some(OrgKind::Company | OrgKind::School) => {}
            _ => {
                return Err(AppError::field(
                    &format!("invited_organization_ids[{at}]"),
                    format!("no company or school {id} / 机构 {id} 不存在"),
                ));
            }
        }
    }
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, new: NewEvent) -> AppResult<Event> {
    require_coordinator(actor)?;
    let NewEvent { invited_organization_ids: invited, fields } = new;
    let mut tx = db.begin().await?;
    check_invited(&mut tx, &invited).await?;
    let row = store::insert(&mut tx, &fields, Some(actor.user_id)).await?;
    store::replace_invitations(&mut tx, row.id, &invited).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "create", "event", Some(row.id)).await?;
    let event = view(&mut tx, row, true).await?;
    tx.commit().await?;
    Ok(event)
}

/// Coordinators see every event; companies and schools the events they are invited to.
async fn readable(db: &mut impl Access, actor: &Actor, id: i64) -> AppResult<EventRow> {
    let row = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    if actor.is_coordinator() || store::is_invited(db, id, actor.organization_id).await? {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Event> {
    let mut conn = db.read().await?;
    let row = readable(&mut conn, actor, id).await?;
    view(&mut conn, row, actor.is_coordinator()).await
}

/// Events soonest first: coordinators all (or only upcoming), others those they are invited to.
pub async fn list(db: &Db, actor: &Actor, upcoming: bool, page: PageRequest) -> AppResult<Page<Event>> {
    let mut conn = db.read().await?;
    let invited = (!actor.is_coordinator()).then_some(actor.organization_id);
    let after = upcoming.then(Utc::now);
    let (rows, total) = store::list(&mut conn, after, invited, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(view(&mut conn, row, actor.is_coordinator()).await?);
    }
    Ok(Page::new(items, total, page))
}

/// Scheduled events not yet over, soonest first, for everyone (the public events page):
/// what, when and where, never whom they invite.
pub async fn upcoming_public(db: &Db, page: PageRequest) -> AppResult<Page<Event>> {
    let mut conn = db.read().await?;
    let (rows, total) = store::list(&mut conn, Some(Utc::now()), None, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(view(&mut conn, row, false).await?);
    }
    Ok(Page::new(items, total, page))
}

/// Change an event (JSON merge patch); every change raises the revision. Cancelling is
/// `{"status": "cancelled"}`.
pub async fn update(db: &Db, actor: &Actor, id: i64, patch: EventPatch) -> AppResult<Event> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    let current_row = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let current = view(&mut tx, current_row.clone(), true).await?;
    let NewEvent { invited_organization_ids: invited, fields } = patched(patch, &current)?;
    if fields == current.fields && Some(&invited) == current.invited_organization_ids.as_ref() {
        return Ok(current);
    }
    check_invited(&mut tx, &invited).await?;
    // The revision tracks what invitees were told (the calendar's SEQUENCE): inviting more
    // organisations changes nothing for those already invited, so it keeps the revision and
    // a new invitation call reaches only the newcomers.
    let row = if fields == current.fields {
        current_row
    } else {
        store::update(&mut tx, id, &fields).await?.ok_or(AppError::NotFound)?
    };
    store::replace_invitations(&mut tx, id, &invited).await?;
    if fields.status == EventStatus::Cancelled && current.fields.status != EventStatus::Cancelled {
        // Invitations and reminders still waiting in the outbox must not announce a cancelled event.
        crate::store::notices::supersede_for_event(
            &mut tx,
            id,
            "not sent: the event was cancelled first / 活动已取消，未发送",
        )
        .await?;
    }
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "update", "event", Some(id)).await?;
    let event = view(&mut tx, row, true).await?;
    tx.commit().await?;
    Ok(event)
}

/// Whether `register` created the registration or completed one that existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Created,
    Updated,
}

/// Register for an event: companies with the postings they bring (`posting_ids`, their own
/// open postings), schools with `graduates` and the accompanying teacher (`teacher_name`,
/// `teacher_phone`). Coordinators register an organisation by naming `organization_id`.
///
/// A registration that exists and is not decided yet (an RSVP link's empty one, or an
/// earlier form) is completed or edited in place; a declined one reopens as pending. Once
/// the service centre has approved or rejected it: 409.
pub async fn register(
    db: &Db,
    actor: &Actor,
    event_id: i64,
    request: RegistrationRequest,
) -> AppResult<(Registration, Registered)> {
    let RegistrationRequest { organization_id: requested, posting_ids, graduates, teacher_name, teacher_phone } =
        request;
    let mut tx = db.begin().await?;
    let organization_id = match (actor.role, requested) {
        (Role::Coordinator, Some(id)) => id,
        (Role::Coordinator, None) => return Err(AppError::field("organization_id", "is required / 必填")),
        (_, Some(id)) if id != actor.organization_id => {
            return Err(AppError::field("organization_id", "must be your own organisation / 只能为本机构报名"));
        }
        _ => actor.organization_id,
    };
    let kind = crate::store::organizations::kind_of(&mut tx, organization_id)
        .await?
        .filter(|k| matches!(k, OrgKind::Company | OrgKind::School))
        .ok_or_else(|| AppError::field("organization_id", "no company or school with this id / 机构不存在"))?;
    // Invited organisations only; to anyone else the event does not exist.
    let event = store::get(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    if !store::is_invited(&mut tx, event_id, organization_id).await? {
        return Err(if actor.is_coordinator() {
            AppError::field("organization_id", "is not invited to this event / 该机构未受邀")
        } else {
            AppError::NotFound
        });
    }
    let mut errors = FieldErrors::default();
    match kind {
        OrgKind::Company => {
            if posting_ids.is_empty() {
                errors.push("posting_ids", "list the postings you bring / 请填写携带的岗位");
            }
            for (at, id) in posting_ids.iter().enumerate() {
                let ok = postings::get(&mut tx, *id)
                    .await?
                    .is_some_and(|p| p.organization_id == organization_id && p.fields.status == PostingStatus::Open);
                if !ok {
                    errors.push(
                        format!("posting_ids[{at}]"),
                        format!("no open posting {id} of yours / 岗位 {id} 不存在或未在招聘"),
                    );
                }
            }
            for field in ["graduates", "teacher_name", "teacher_phone"] {
                if (field == "graduates" && graduates.is_some())
                    || (field == "teacher_name" && teacher_name.is_some())
                    || (field == "teacher_phone" && teacher_phone.is_some())
                {
                    errors.push(field, "is for schools / 仅学校填写");
                }
            }
        }
        _ => {
            if graduates.is_none() {
                errors.push("graduates", "is required: how many graduates come / 请填写带队学生人数");
            }
            if teacher_name.is_none() {
                errors.push("teacher_name", "is required: the accompanying teacher / 请填写带队老师");
            }
            if !posting_ids.is_empty() {
                errors.push("posting_ids", "is for companies / 仅企业填写");
            }
        }
    }
    errors.into_result(()).map_err(AppError::Validation)?;
    let new = NewRegistration {
        event_id,
        organization_id,
        kind,
        posting_ids: &posting_ids,
        graduates: graduates.unwrap_or(0),
        teacher_name: teacher_name.as_deref(),
        teacher_phone: teacher_phone.as_ref().map(|p| p.as_str()),
        status: RegistrationStatus::Pending,
        source: "form",
    };
    let (id, how) = match store::registration_of(&mut tx, event_id, organization_id).await? {
        None => (take_place(&mut tx, event.id, &new).await?, Registered::Created),
        Some(existing) => {
            complete(&mut tx, &existing, &new).await?;
            (existing.id, Registered::Updated)
        }
    };
    let action = if how == Registered::Created { "register" } else { "update_registration" };
    audit::record(&mut tx, Some(actor.user_id), Some(organization_id), action, "event", Some(event_id)).await?;
    let registration = store::registration(&mut tx, id).await?.ok_or(AppError::NotFound)?.at(Utc::now());
    tx.commit().await?;
    Ok((registration, how))
}

/// Complete or edit an undecided registration (a declined one reopens), if the event is
/// still open and has room for the change.
async fn complete(tx: &mut crate::store::Tx, existing: &Registration, new: &NewRegistration<'_>) -> AppResult<()> {
    if matches!(existing.status, RegistrationStatus::Approved | RegistrationStatus::Rejected) {
        return Err(AppError::Conflict(format!(
            "already decided ({}): ask the service centre to change it / 报名已审核（{}），如需修改请联系服务中心",
            existing.status.label_en(),
            existing.status.label_zh()
        )));
    }
    let event = lock_event(tx, existing.event_id).await?;
    // Room is checked for what the change adds: a booth for a declined company coming back,
    // the extra seats of a school.
    let held = if existing.status == RegistrationStatus::Pending { existing.graduates } else { 0 };
    let adds_booth = existing.status != RegistrationStatus::Pending;
    if new.kind == OrgKind::School || adds_booth {
        check_room_for(tx, &event, new.kind, new.graduates - held, adds_booth).await?;
    } else {
        check_open(&event)?;
    }
    store::update_registration(tx, existing.id, &NewRegistration { status: RegistrationStatus::Pending, ..*new })
        .await?;
    Ok(())
}

/// Lock the event's row for the rest of the transaction (so capacity checks and
/// registrations cannot interleave) and read it as it is now.
pub async fn lock_event(tx: &mut crate::store::Tx, event_id: i64) -> AppResult<EventRow> {
    store::lock(tx, event_id).await?;
    store::get(tx, event_id).await?.ok_or(AppError::NotFound)
}

/// Is there room for one more company (a booth) or school (`graduates` seats)? Call with
/// the event locked ([`lock_event`]); 409 with a clear message otherwise.
pub async fn check_room(tx: &mut crate::store::Tx, event: &EventRow, kind: OrgKind, graduates: i64) -> AppResult<()> {
    check_room_for(tx, event, kind, graduates, true).await
}

/// The event takes registrations: not cancelled, not started.
fn check_open(event: &EventRow) -> AppResult<()> {
    let f = &event.fields;
    if f.status == EventStatus::Cancelled {
        return Err(AppError::Conflict("the event is cancelled / 活动已取消".into()));
    }
    if f.starts_at <= Utc::now() {
        return Err(AppError::Conflict("the event has already started / 活动已开始，报名已截止".into()));
    }
    Ok(())
}

/// `check_room` for `graduates` more seats, and a booth more when `booth`.
async fn check_room_for(
    tx: &mut crate::store::Tx,
    event: &EventRow,
    kind: OrgKind,
    graduates: i64,
    booth: bool,
) -> AppResult<()> {
    check_open(event)?;
    let f = &event.fields;
    let (booths, seats) = store::taken(tx, event.id).await?;
    if kind == OrgKind::Company && booth && booths >= f.booth_capacity {
        return Err(AppError::Conflict(format!(
            "all {} booths are taken / 展位已满（共 {} 个）",
            f.booth_capacity, f.booth_capacity
        )));
    }
    if kind == OrgKind::School && seats + graduates > f.seat_capacity {
        let left = (f.seat_capacity - seats).max(0);
        return Err(AppError::Conflict(format!(
            "only {left} of {} seats are left / 座位不足：剩余 {left} 个，共 {} 个",
            f.seat_capacity, f.seat_capacity
        )));
    }
    Ok(())
}

/// Insert a registration if the event is open for it and has room; 409 otherwise.
pub async fn take_place(tx: &mut crate::store::Tx, event_id: i64, new: &NewRegistration<'_>) -> AppResult<i64> {
    let event = lock_event(tx, event_id).await?;
    if store::registration_of(tx, event_id, new.organization_id).await?.is_some() {
        return Err(AppError::Conflict("already registered for this event / 已报名该活动".into()));
    }
    check_room(tx, &event, new.kind, new.graduates).await?;
    Ok(store::insert_registration(tx, new).await?)
}

/// An event's registrations: coordinators all, others their own.
pub async fn registrations(db: &Db, actor: &Actor, event_id: i64, page: PageRequest) -> AppResult<Page<Registration>> {
    let mut conn = db.read().await?;
    readable(&mut conn, actor, event_id).await?;
    let own = (!actor.is_coordinator()).then_some(actor.organization_id);
    let (rows, total) = store::registrations(&mut conn, event_id, own, page).await?;
    let now = Utc::now();
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let mut registration = row.at(now);
        if actor.is_coordinator() {
            // Counted against the organisation when it registers again: earlier events only.
            let before = registration.event_ends_at.min(now);
            registration.past_no_shows =
                Some(store::no_shows_of(&mut conn, registration.organization_id, before).await?);
        }
        items.push(registration);
    }
    Ok(Page::new(items, total, page))
}

/// Who to add to or take off an event's invitation list.
#[derive(Debug, Clone, Default)]
pub struct InvitationChange {
    /// Hand-picked organisations to invite.
    pub add: Vec<i64>,
    /// Invited organisations to take off the list.
    pub remove: Vec<i64>,
    /// Invite every organisation of a kind (`Some(true)`: approved ones only).
    pub every: Option<(OrgKind, bool)>,
}

/// Change the invitation list (coordinators): like a `PATCH` of `invited_organization_ids`,
/// so the revision stays and a new invitation call reaches only the newcomers.
pub async fn change_invitations(db: &Db, actor: &Actor, id: i64, change: InvitationChange) -> AppResult<Event> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    let row = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut invited = store::invited(&mut tx, id).await?;
    let mut added = change.add;
    if let Some((kind, approved_only)) = change.every {
        added.extend(store::organizations_of_kind(&mut tx, kind, approved_only).await?);
    }
    check_invited(&mut tx, &added).await?;
    invited.extend(added);
    invited.retain(|o| !change.remove.contains(o));
    invited.sort_unstable();
    invited.dedup();
    if invited.len() > crate::domain::event::MAX_INVITED {
        return Err(AppError::field(
            "invited_organization_ids",
            format!(
                "at most {} organisations / 最多邀请 {} 个机构",
                crate::domain::event::MAX_INVITED,
                crate::domain::event::MAX_INVITED
            ),
        ));
    }
    store::replace_invitations(&mut tx, id, &invited).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "invite", "event", Some(id)).await?;
    let event = view(&mut tx, row, true).await?;
    tx.commit().await?;
    Ok(event)
}

/// Companies and schools to invite, by name, marked when invited (coordinators).
pub async fn invitable(
    db: &Db,
    actor: &Actor,
    id: i64,
    q: Option<&str>,
    kind: Option<OrgKind>,
    page: PageRequest,
) -> AppResult<Page<store::Invitable>> {
    require_coordinator(actor)?;
    let mut conn = db.read().await?;
    store::get(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let (items, total) = store::invitable(&mut conn, id, q, kind, page).await?;
    Ok(Page::new(items, total, page))
}
