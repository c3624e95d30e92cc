//! Fair day: the check-in pass an approved registration gets (a short code to type, a
//! signed token for its QR code), booths, and checking in at the entrance.
//!
//! A typed code is looked up within the event; a token must verify and name this event.
//! Unknown codes, forged tokens, another event's passes and text that is neither a code nor
//! a token all answer 404: none of them names a pass of this event. An empty code is a 422.

use super::signing::Claims;
use super::{Actor, require_coordinator};
use crate::domain::NoticeKind;
use crate::domain::registration::RegistrationDecision;
use crate::domain::registration::{CheckinRequest, Registration};
use crate::domain::{OrgKind, RegistrationStatus};
use crate::error::{AppError, AppResult};
use crate::services::notices::{self, Links, Summary};
use crate::store::events as store;
use crate::store::{Db, Tx, audit};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::collections::{BTreeMap, HashMap};

/// Letters and digits nobody confuses when reading them aloud or typing them (no 0/O,
/// 1/I/L, 5/S, 2/Z, 8/B).
pub const CODE_ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTUVWXY";
pub const CODE_LENGTH: usize = 8;

/// A fresh short code, unused in this event.
pub async fn new_code(tx: &mut Tx, event_id: i64) -> AppResult<String> {
    loop {
        let code: String = {
            let mut rng = rand::rng();
            (0..CODE_LENGTH).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
        };
        if !store::code_taken(tx, event_id, &code).await? {
            return Ok(code);
        }
    }
}

/// What the QR code of a pass encodes: the check-in page's URL carrying a signed token, so
/// a phone's own camera app opens the page and a scanner on the page reads the token.
pub fn qr_text(links: &Links, event_id: i64, registration_id: i64) -> String {
    let token = links.signer.sign(&Claims::Checkin { event: event_id, registration: registration_id });
    links.url(&format!("/app/events/{event_id}/checkin?code={token}"))
}

/// Zone letters in order: A, B, … (after Z: AA, AB, …).
fn zone_letter(index: usize) -> String {
    let letters = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    if index < letters.len() {
        (letters[index] as char).to_string()
    } else {
        format!("{}{}", zone_letter(index / letters.len() - 1), letters[index % letters.len()] as char)
    }
}

fn booth_label(zone: &str, number: usize) -> String {
    format!("{zone}-{number:02}")
}

/// The booth for a company approved now: its zone is its park's (the park of its postings'
/// project) — the letter other companies of that park already have, else the next letter
/// — and the next free number in the zone.
pub async fn next_booth(tx: &mut Tx, event_id: i64, posting_ids: &[i64]) -> AppResult<String> {
    let park = store::park_of_postings(tx, posting_ids).await?;
    let mut zone_of_park: HashMap<Option<String>, String> = HashMap::new();
    let mut used: HashMap<String, Vec<usize>> = HashMap::new();
    for holder in store::booth_holders(tx, event_id).await? {
        let Some((zone, number)) = holder.booth.as_deref().and_then(|b| b.rsplit_once('-')) else { continue };
        zone_of_park
            .entry(store::park_of_postings(tx, &holder.posting_ids.0).await?)
            .or_insert_with(|| zone.to_string());
        used.entry(zone.to_string()).or_default().push(number.parse().unwrap_or(0));
    }
    let zone = match zone_of_park.get(&park) {
        Some(zone) => zone.clone(),
        None => (0..).map(zone_letter).find(|z| !used.contains_key(z)).expect("endless"),
    };
    let taken = used.remove(&zone).unwrap_or_default();
    let number = (1..).find(|n| !taken.contains(n)).expect("endless");
    Ok(booth_label(&zone, number))
}

/// `POST /events/{id}/booths`: number the approved companies' booths afresh, zone by zone
/// (parks by name, companies without one last), companies by name within a zone. The same
/// registrations always get the same booths.
pub async fn assign_booths(db: &Db, actor: &Actor, event_id: i64) -> AppResult<Vec<Registration>> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    store::get(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    // BTreeMap: None sorts first, so parks are keyed (no park, name) to put them last.
    let mut zones: BTreeMap<(bool, String), Vec<(String, i64)>> = BTreeMap::new();
    for holder in store::booth_holders(&mut tx, event_id).await? {
        let park = store::park_of_postings(&mut tx, &holder.posting_ids.0).await?;
        zones.entry((park.is_none(), park.unwrap_or_default())).or_default().push((holder.name, holder.id));
    }
    let mut changed = Vec::new();
    for (index, (_, mut members)) in zones.into_iter().enumerate() {
        members.sort();
        for (at, (_, id)) in members.into_iter().enumerate() {
            store::set_booth(&mut tx, id, &booth_label(&zone_letter(index), at + 1)).await?;
            changed.push(id);
        }
    }
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "assign_booths", "event", Some(event_id))
        .await?;
    let mut out = Vec::with_capacity(changed.len());
    let now = Utc::now();
    for id in changed {
        out.push(store::registration(&mut tx, id).await?.ok_or(AppError::NotFound)?.at(now));
    }
    tx.commit().await?;
    Ok(out)
}

/// Which registration a typed code or scanned token names, within `event_id`.
async fn resolve(tx: &mut Tx, links: &Links, event_id: i64, code: &str, now: DateTime<Utc>) -> AppResult<Registration> {
    let code = code.trim();
    // A scanned check-in URL carries the token in `code=`.
    let code = code.rsplit_once("code=").map_or(code, |(_, token)| token.split('&').next().unwrap_or(token));
    if code.contains('.') {
        let Ok(Claims::Checkin { event, registration }) = links.signer.verify(code, now) else {
            return Err(AppError::NotFound);
        };
        if event != event_id {
            return Err(AppError::NotFound);
        }
        return store::registration(tx, registration)
            .await?
            .filter(|r| r.event_id == event_id)
            .ok_or(AppError::NotFound);
    }
    let typed: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    if typed.len() != CODE_LENGTH || !typed.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        // No pass has this form: it names nothing, like an unknown code.
        return Err(AppError::NotFound);
    }
    store::registration_by_code(tx, event_id, &typed).await?.ok_or(AppError::NotFound)
}

/// `POST /events/{id}/checkins {code}` (coordinators): check the registration in, once.
pub async fn check_in(
    db: &Db,
    links: &Links,
    actor: &Actor,
    event_id: i64,
    request: CheckinRequest,
    now: DateTime<Utc>,
) -> AppResult<Registration> {
    require_coordinator(actor)?;
    let mut tx = db.begin().await?;
    store::get(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    let registration = resolve(&mut tx, links, event_id, &request.code, now).await?;
    if registration.status != RegistrationStatus::Approved {
        return Err(AppError::Conflict(format!(
            "{} is not approved ({}) / {} 的报名未通过审核（{}）",
            registration.organization_name,
            registration.status.label_en(),
            registration.organization_name,
            registration.status.label_zh()
        )));
    }
    if let Some(at) = registration.checked_in_at {
        let at = at.with_timezone(&crate::domain::event::shanghai()).format("%H:%M");
        let mut errors = crate::domain::FieldErrors::default();
        errors.push(
            "code",
            format!(
                "{} already checked in at {at} / {} 已于 {at} 签到",
                registration.organization_name, registration.organization_name
            ),
        );
        return Err(AppError::Taken(errors));
    }
    store::check_in(&mut tx, registration.id, actor.user_id, now).await?;
    audit::record(
        &mut tx,
        Some(actor.user_id),
        Some(registration.organization_id),
        "check_in",
        "registration",
        Some(registration.id),
    )
    .await?;
    let registration = store::registration(&mut tx, registration.id).await?.ok_or(AppError::NotFound)?.at(now);
    tx.commit().await?;
    Ok(registration)
}

/// An approval's pass: the code and, for companies, the booth.
pub async fn pass_for(tx: &mut Tx, registration: &Registration) -> AppResult<(String, Option<String>)> {
    let code = match &registration.checkin_code {
        Some(code) => code.clone(),
        None => new_code(tx, registration.event_id).await?,
    };
    let booth = match (&registration.booth, registration.kind) {
        (Some(booth), _) => Some(booth.clone()),
        (None, OrgKind::Company) => Some(next_booth(tx, registration.event_id, &registration.posting_ids.0).await?),
        (None, _) => None,
    };
    Ok((code, booth))
}

/// (checked in, approved) of an event, for the check-in page (coordinators).
pub async fn attendance(db: &Db, actor: &Actor, event_id: i64) -> AppResult<(i64, i64)> {
    require_coordinator(actor)?;
    let mut conn = db.read().await?;
    store::get(&mut conn, event_id).await?.ok_or(AppError::NotFound)?;
    Ok(store::attendance(&mut conn, event_id).await?)
}

/// Approve or reject a registration (coordinators). Approval gives it a check-in code and,
/// for a company, a booth; either decision queues a `registration_decision` notice.
pub async fn decide(
    db: &Db,
    links: &Links,
    actor: &Actor,
    event_id: i64,
    id: i64,
    decision: RegistrationDecision,
    now: chrono::DateTime<Utc>,
) -> AppResult<Registration> {
    require_coordinator(actor)?;
    let status = decision.status;
    let mut tx = db.begin().await?;
    let registration =
        store::registration(&mut tx, id).await?.filter(|r| r.event_id == event_id).ok_or(AppError::NotFound)?;
    if registration.status == RegistrationStatus::Declined {
        return Err(AppError::Conflict("the organisation declined / 该机构已回复不参加".into()));
    }
    // Rejected registrations hold no place: approving one needs room again.
    if status == RegistrationStatus::Approved && registration.status == RegistrationStatus::Rejected {
        let event = super::events::lock_event(&mut tx, event_id).await?;
        super::events::check_room(&mut tx, &event, registration.kind, registration.graduates).await?;
    }
    let (code, booth) = if status == RegistrationStatus::Approved {
        let (code, booth) = pass_for(&mut tx, &registration).await?;
        (Some(code), booth)
    } else {
        (None, None)
    };
    store::decide_registration(&mut tx, id, status, code.as_deref(), booth.as_deref(), now).await?;
    let decided = store::registration(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    queue_registration_decision(&mut tx, links, &decided).await?;
    audit::record(
        &mut tx,
        Some(actor.user_id),
        Some(registration.organization_id),
        status.as_str(),
        "registration",
        Some(id),
    )
    .await?;
    tx.commit().await?;
    Ok(decided.at(now))
}

/// Tell an organisation the service centre decided on its registration: an approval
/// carries the check-in code, the booth and the pass's QR code (attached as a PNG); a
/// rejection says so. Once per (registration, decision, code).
pub async fn queue_registration_decision(
    tx: &mut Tx,
    links: &Links,
    registration: &crate::domain::registration::Registration,
) -> AppResult<usize> {
    let event = store::get(tx, registration.event_id).await?.ok_or(AppError::NotFound)?;
    let approved = registration.status == RegistrationStatus::Approved;
    let (zh, en) = match (&registration.checkin_code, &registration.booth) {
        (Some(code), booth) if approved => {
            let (booth_zh, booth_en) = match booth {
                Some(b) => (format!("\n展位号：{b}"), format!("\nBooth: {b}")),
                None => (String::new(), String::new()),
            };
            (
                format!(
                    "贵单位的报名已通过审核。\n签到码：{code}{booth_zh}\n活动当天请在入口出示附件中的二维码，或报出签到码。"
                ),
                format!(
                    "Your registration is approved.\nCheck-in code: {code}{booth_en}\nOn the day, show the attached QR code at the entrance or give the code."
                ),
            )
        }
        _ => (
            "很抱歉，贵单位的报名未通过审核。如有疑问请联系服务中心。".to_string(),
            "We are sorry: your registration was not approved. Please contact the service centre with any questions."
                .to_string(),
        ),
    };
    let qr = approved.then(|| qr_text(links, event.id, registration.id));
    let key = format!(
        "registration:{}:{}:{}",
        registration.id,
        registration.status.as_str(),
        registration.checkin_code.as_deref().unwrap_or("-")
    );
    let link = links.url(&format!("/app/events/{}", event.id));
    let summary = Summary {
        kind: NoticeKind::RegistrationDecision,
        event: Some(notices::snapshot(links, &event)),
        round_id: None,
        key: &key,
        zh: &zh,
        en: &en,
        link: &link,
        checkin_qr: qr.as_deref(),
    };
    notices::queue_to_organization(tx, registration.organization_id, &summary).await
}
