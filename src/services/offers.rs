//! Offers: a published round's placements, answered by both sides before a deadline.
//!
//! - Publishing creates them ([`create_for_round`], inside the publish transaction): the
//!   graduate becomes `matched`, the seat is held, each side is told.
//! - The company answers for itself; the school (or a coordinator) answers for its
//!   graduate, or the graduate through the personal link. Both yes: the graduate is
//!   `placed`, the posting's filled count rises (it is `filled` at its headcount) and an
//!   `agreement` destination is recorded. Either no, or the deadline ([`expire_due`]): the
//!   graduate is seeking again and the seat returns (rounds count only pending offers and
//!   filled seats).
//! - Every change is a history row, an audit entry and a notice to the other side, in one
//!   transaction. Clock-dependent rules take `now`.

use super::Actor;
use super::notices::{Links, Summary, queue_to_organization};
use crate::domain::notice::{NoticePayload, Recipient};
use crate::domain::offer::{
    AnswerOffer, COMPANY_REASONS, GRADUATE_REASONS, Offer, OfferDetail, Reason, reason_of, today_in_shanghai,
};
use crate::domain::{Destination, NoticeKind, OfferAnswer, OfferStatus, Role};
use crate::error::{AppError, AppResult};
use crate::store::notices::{self as notices_store, NewNotice};
use crate::store::offers::{self as store, Filter};
use crate::store::outcomes::{self as outcomes_store, NewOutcome};
use crate::store::{Access, Db, Page, PageRequest, Tx, audit, graduates};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Who answers: the company, or for the graduate their school, a coordinator or the
/// graduate themself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Company,
    School,
    Coordinator,
    Graduate,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Company => "company",
            Side::School => "school",
            Side::Coordinator => "coordinator",
            Side::Graduate => "graduate",
        }
    }

    /// The reasons this side may decline with.
    pub fn reasons(self) -> &'static [Reason] {
        if self == Side::Company { COMPANY_REASONS } else { GRADUATE_REASONS }
    }
}

fn deadline(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::domain::event::shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

/// Inside the publish transaction: one pending offer per placement, due at `due_at`; the
/// graduates become `matched`; the companies, schools and graduates (with an address and
/// consent) are told. Returns how many offers were made.
pub async fn create_for_round(
    tx: &mut Tx,
    links: &Links,
    round_id: i64,
    round_name: &str,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let created = store::create_for_round(tx, round_id, due_at, now).await?;
    for (_, graduate) in &created {
        store::set_graduate_status(tx, *graduate, &["seeking"], "matched", now).await?;
    }
    let offers = store::list(
        tx,
        &Filter { round_id: Some(round_id), ..Filter::default() },
        PageRequest { page: 1, per_page: created.len().max(1) as i64 },
    )
    .await?
    .0;
    let due = deadline(due_at);
    let link = links.url(&format!("/app/offers?round_id={round_id}"));
    let mut per_company: BTreeMap<i64, usize> = BTreeMap::new();
    let mut per_school: BTreeMap<i64, usize> = BTreeMap::new();
    for offer in &offers {
        *per_company.entry(offer.company_id).or_default() += 1;
        *per_school.entry(offer.school_id).or_default() += 1;
    }
    let key = format!("round:{round_id}:offer");
    for (company, n) in per_company {
        let zh =
            format!("「{round_name}」为贵单位匹配了 {n} 名毕业生，请在 {due}（北京时间）前逐一确认录用或说明原因。");
        let en = format!(
            "\"{round_name}\" matched {n} graduates with your postings: confirm or decline each by {due} (Beijing time)."
        );
        queue_to_organization(tx, company, &Summary::of_round(NoticeKind::Offer, round_id, &key, (&zh, &en), &link))
            .await?;
    }
    for (school, n) in per_school {
        let zh = format!(
            "贵校 {n} 名毕业生在「{round_name}」中获得录用意向，请在 {due}（北京时间）前代为答复或提醒毕业生答复。"
        );
        let en = format!(
            "{n} of your graduates received offers in \"{round_name}\": answer for them (or have them answer) by {due} (Beijing time)."
        );
        queue_to_organization(tx, school, &Summary::of_round(NoticeKind::Offer, round_id, &key, (&zh, &en), &link))
            .await?;
    }
    for offer in &offers {
        let Some(graduate) = graduates::get(tx, offer.graduate_id).await? else { continue };
        let Some(email) = graduate.fields.email.as_ref().map(|e| e.as_str().trim().to_lowercase()) else { continue };
        if !graduate.fields.consent {
            continue;
        }
        let personal = super::personal_link::link(links, &graduate, now);
        let recipient = Recipient {
            email: email.clone(),
            name: Some(graduate.fields.name.clone()),
            organization_id: Some(offer.school_id),
            organization_name: Some(offer.school_name.clone()),
        };
        let zh = format!(
            "{}同学：您在「{round_name}」中匹配到{}的「{}」岗位。请在 {due}（北京时间）前通过个人页面接受或拒绝。",
            graduate.fields.name, offer.company_name, offer.posting_title
        );
        let en = format!(
            "{}: \"{round_name}\" matched you with \"{}\" at {}. Accept or decline on your page by {due} (Beijing time).",
            graduate.fields.name, offer.posting_title, offer.company_name
        );
        let payload = NoticePayload::summary(NoticeKind::Offer, recipient, zh, en, personal.url);
        let notice = NewNotice {
            kind: NoticeKind::Offer,
            event_id: None,
            round_id: Some(round_id),
            revision: 0,
            graduate_id: Some(graduate.id),
            dedupe_key: format!("{key}:graduate:{}:{email}", graduate.id),
            payload: &payload,
        };
        notices_store::enqueue(tx, &notice).await?;
    }
    Ok(created.len())
}

/// The offers `actor` may read narrowed by `requested`: companies those for their
/// postings, schools their graduates', coordinators all.
pub fn reach(actor: &Actor, requested: Filter) -> Filter {
    match actor.role {
        Role::Coordinator => requested,
        Role::Company => Filter { company_id: Some(actor.organization_id), ..requested },
        Role::School => Filter { school_id: Some(actor.organization_id), ..requested },
    }
}

pub async fn list(db: &Db, actor: &Actor, requested: Filter, page: PageRequest) -> AppResult<Page<Offer>> {
    let (items, total) = store::list(&mut db.read().await?, &reach(actor, requested), page).await?;
    Ok(Page::new(items, total, page))
}

/// The offer if `actor` may read it (404 otherwise: it is none of theirs).
async fn readable(db: &mut impl Access, actor: &Actor, id: i64) -> AppResult<Offer> {
    let offer = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    let mine = match actor.role {
        Role::Coordinator => true,
        Role::Company => offer.company_id == actor.organization_id,
        Role::School => offer.school_id == actor.organization_id,
    };
    if mine { Ok(offer) } else { Err(AppError::NotFound) }
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<OfferDetail> {
    let mut conn = db.read().await?;
    let offer = readable(&mut conn, actor, id).await?;
    let history = store::history(&mut conn, id).await?;
    Ok(OfferDetail { offer, history })
}

/// How many offers wait for `actor`'s answer (dashboards).
pub async fn waiting(db: &Db, actor: &Actor) -> AppResult<i64> {
    let mut conn = db.read().await?;
    Ok(match actor.role {
        Role::Company => store::waiting(&mut conn, Some(actor.organization_id), None).await?,
        Role::School => store::waiting(&mut conn, None, Some(actor.organization_id)).await?,
        Role::Coordinator => 0,
    })
}

/// `POST /offers/{id}/answer`: the company answers for itself, a school or coordinator
/// for the graduate.
pub async fn answer(
    db: &Db,
    links: &Links,
    actor: &Actor,
    id: i64,
    input: AnswerOffer,
    now: DateTime<Utc>,
) -> AppResult<Offer> {
    let mut tx = db.begin().await?;
    let offer = readable(&mut tx, actor, id).await?;
    let side = match actor.role {
        Role::Company => Side::Company,
        Role::School => Side::School,
        Role::Coordinator => Side::Coordinator,
    };
    apply(&mut tx, links, offer, side, &input, Some(actor.user_id), now).await?;
    audit::record(&mut tx, Some(actor.user_id), Some(actor.organization_id), "answer", "offer", Some(id)).await?;
    let offer = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(offer)
}

/// The graduate answers their own offer through the personal link (`graduate_id` is the
/// link's; another graduate's offer is not found).
pub async fn answer_as_graduate(
    tx: &mut Tx,
    links: &Links,
    graduate_id: i64,
    id: i64,
    input: &AnswerOffer,
    now: DateTime<Utc>,
) -> AppResult<Offer> {
    let offer = store::get(tx, id).await?.filter(|o| o.graduate_id == graduate_id).ok_or(AppError::NotFound)?;
    let school = offer.school_id;
    apply(tx, links, offer, Side::Graduate, input, None, now).await?;
    audit::record(tx, None, Some(school), "answer", "offer", Some(id)).await?;
    store::get(tx, id).await?.ok_or(AppError::NotFound)
}

fn closed(offer: &Offer, now: DateTime<Utc>) -> Option<AppError> {
    if offer.status != OfferStatus::Pending {
        return Some(AppError::Conflict(format!(
            "this offer is already {} and cannot be answered / 该录用意向{}，不能再答复",
            offer.status,
            offer.status.label_zh()
        )));
    }
    if offer.due_at < now {
        return Some(AppError::Conflict(format!(
            "this offer was due by {} and has expired / 该录用意向已于 {} 过期",
            deadline(offer.due_at),
            deadline(offer.due_at)
        )));
    }
    None
}

/// Record one side's answer, decide the offer when it can be, and tell the other side.
async fn apply(
    tx: &mut Tx,
    links: &Links,
    offer: Offer,
    side: Side,
    input: &AnswerOffer,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let reason = match (input.answer, input.reason) {
        (OfferAnswer::Decline, Some(code)) => {
            let Some(r) = side.reasons().iter().find(|r| r.code == code.0) else {
                let allowed: Vec<&str> = side.reasons().iter().map(|r| r.code).collect();
                return Err(AppError::field(
                    "reason",
                    format!("for this side, one of: {} / 请从列表中选择原因", allowed.join(", ")),
                ));
            };
            Some(r.code)
        }
        (OfferAnswer::Decline, None) => {
            return Err(AppError::field("reason", "is required when declining / 拒绝时须选择原因"));
        }
        (OfferAnswer::Accept, _) => None,
    };
    if let Some(refused) = closed(&offer, now) {
        return Err(refused);
    }
    let already = if side == Side::Company { offer.company_answer } else { offer.graduate_answer };
    if let Some(given) = already {
        return Err(AppError::Conflict(format!(
            "this side already answered ({given}) / 该方已答复（{}）",
            given.label_zh()
        )));
    }
    let recorded = if side == Side::Company {
        store::answer_for_company(tx, offer.id, input.answer, reason, now).await?
    } else {
        store::answer_for_graduate(tx, offer.id, input.answer, reason, side.as_str(), now).await?
    };
    if !recorded {
        // Someone answered or decided it between our read and our write.
        return Err(AppError::Conflict("this offer changed meanwhile; reload it / 该录用意向已变化，请刷新".into()));
    }
    store::add_history(tx, offer.id, now, side.as_str(), input.answer.as_str(), reason, user_id).await?;
    let offer = store::get(tx, offer.id).await?.ok_or(AppError::NotFound)?;
    let decided = decide(tx, &offer, user_id, now).await?;
    tell_other_side(tx, links, &offer, side, input.answer, reason, decided).await?;
    Ok(())
}

/// Decide the offer once either side declined or both accepted; the new status if decided.
async fn decide(
    tx: &mut Tx,
    offer: &Offer,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Option<OfferStatus>> {
    let answers = [offer.company_answer, offer.graduate_answer];
    if answers.contains(&Some(OfferAnswer::Decline)) {
        store::decide(tx, offer.id, OfferStatus::Declined, now).await?;
        store::add_history(tx, offer.id, now, "system", "declined", None, None).await?;
        release(tx, offer.graduate_id, now).await?;
        return Ok(Some(OfferStatus::Declined));
    }
    if answers != [Some(OfferAnswer::Accept); 2] {
        return Ok(None);
    }
    store::decide(tx, offer.id, OfferStatus::Accepted, now).await?;
    store::add_history(tx, offer.id, now, "system", "accepted", None, None).await?;
    store::set_graduate_status(tx, offer.graduate_id, &["matched", "seeking"], "placed", now).await?;
    store::fill_seat(tx, offer.posting_id, now).await?;
    let outcome = NewOutcome {
        graduate_id: offer.graduate_id,
        school_id: offer.school_id,
        destination: Destination::Agreement,
        date: today_in_shanghai(now),
        employer_name: Some(&offer.company_name),
        offer_id: Some(offer.id),
        note: None,
        recorded_by: user_id,
    };
    outcomes_store::insert(tx, &outcome, now).await?;
    Ok(Some(OfferStatus::Accepted))
}

/// The graduate is free again (for the next round).
async fn release(tx: &mut Tx, graduate_id: i64, now: DateTime<Utc>) -> AppResult<()> {
    store::set_graduate_status(tx, graduate_id, &["matched"], "seeking", now).await?;
    Ok(())
}

/// An `offer_answer` notice to the other side: the company's answer goes to the school,
/// the graduate side's to the company.
async fn tell_other_side(
    tx: &mut Tx,
    links: &Links,
    offer: &Offer,
    side: Side,
    answer: OfferAnswer,
    reason: Option<&str>,
    decided: Option<OfferStatus>,
) -> AppResult<()> {
    let (to, who_zh, who_en) = if side == Side::Company {
        (offer.school_id, offer.company_name.clone(), offer.company_name.clone())
    } else {
        (offer.company_id, format!("{}（{}）", offer.graduate_name, offer.school_name), offer.graduate_name.clone())
    };
    let (why_zh, why_en) = match reason.and_then(reason_of) {
        Some(r) => (format!("，原因：{}", r.zh), format!(" (reason: {})", r.en)),
        None => (String::new(), String::new()),
    };
    let (then_zh, then_en) = match decided {
        Some(OfferStatus::Accepted) => ("双方均已接受，录用成立。", "Both sides accepted: the placement stands."),
        Some(OfferStatus::Declined) => ("该岗位名额已释放。", "The seat is free again."),
        _ => ("请在截止时间前答复。", "Please answer before the deadline."),
    };
    let zh = format!(
        "{who_zh}对「{}」岗位（毕业生：{}）的录用意向答复：{}{why_zh}。{then_zh}",
        offer.posting_title,
        offer.graduate_name,
        answer.label_zh()
    );
    let en = format!(
        "{who_en} answered the offer for \"{}\" (graduate: {}): {}{why_en}. {then_en}",
        offer.posting_title,
        offer.graduate_name,
        answer.label_en().to_lowercase()
    );
    let link = links.url(&format!("/app/offers/{}", offer.id));
    let key = format!("offer:{}:answer:{}", offer.id, side.as_str());
    queue_to_organization(tx, to, &Summary::of_round(NoticeKind::OfferAnswer, offer.round_id, &key, (&zh, &en), &link))
        .await?;
    Ok(())
}

/// Pending offers past their deadline expire: the graduate is seeking again, the seat
/// returns, both sides are told. Returns how many expired. Run every minute at startup.
pub async fn expire_due(db: &Db, links: &Links, now: DateTime<Utc>) -> AppResult<usize> {
    let mut tx = db.begin().await?;
    let expired = store::expire_due(&mut tx, now).await?;
    for id in &expired {
        store::add_history(&mut tx, *id, now, "system", "expired", None, None).await?;
        let Some(offer) = store::get(&mut tx, *id).await? else { continue };
        release(&mut tx, offer.graduate_id, now).await?;
        let zh = format!(
            "「{}」岗位给{}（{}）的录用意向已于 {} 过期，名额已释放。",
            offer.posting_title,
            offer.graduate_name,
            offer.school_name,
            deadline(offer.due_at)
        );
        let en = format!(
            "The offer of \"{}\" to {} ({}) expired at {} without both answers; the seat is free again.",
            offer.posting_title,
            offer.graduate_name,
            offer.school_name,
            deadline(offer.due_at)
        );
        let link = links.url(&format!("/app/offers/{id}"));
        let key = format!("offer:{id}:expired");
        for to in [offer.company_id, offer.school_id] {
            queue_to_organization(
                &mut tx,
                to,
                &Summary::of_round(NoticeKind::OfferAnswer, offer.round_id, &key, (&zh, &en), &link),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(expired.len())
}
