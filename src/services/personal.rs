//! A graduate's own page (`/me/{token}`), reached by the signed personal link their school
//! sends or hands over: what is held about them (the ID number masked), their consent with
//! its purpose and history (give or withdraw it, recorded as `graduate_link` with no user),
//! their ranked choices, their placements in published rounds, and a download of
//! everything held (PIPL's right of access), audited. No account: the link is the key, so
//! it expires ([`GRADUATE_LINK_LIFETIME`](super::signing::GRADUATE_LINK_LIFETIME)) and names the record it was made for.

use super::consent::{self as consent_service, Recorded};
use super::notices::Links;
pub use super::personal_link::{PersonalLink, link};
use super::rounds::AssignmentView;
use super::signing::{Claims, TokenError};
use super::{Actor, graduates as graduate_service};
use crate::domain::consent::{CURRENT_TEXT, ConsentChange, ConsentMethod, ConsentRecord, PersonalLinks};
use crate::domain::graduate::Graduate;
use crate::domain::notice::{NoticePayload, Recipient};
use crate::domain::{NoticeKind, Role};
use crate::error::{AppError, AppResult};
use crate::store::consent;
use crate::store::notices::{self as notices_store, NewNotice};
use crate::store::personal::{self, ChoiceRow};
use crate::store::{Access, Db, Page, PageRequest, audit, graduates, organizations};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

/// Why a personal link cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LinkProblem {
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The record the link was made for was erased (or merged into another).
    #[error("the record this link was made for no longer exists / 该链接对应的记录已不存在")]
    Gone,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sqlx::Error> for LinkProblem {
    fn from(e: sqlx::Error) -> Self {
        LinkProblem::App(e.into())
    }
}

/// The personal link of a graduate `actor` keeps (its school, coordinators), to copy and
/// hand over (WeChat, a printed slip).
pub async fn link_for(db: &Db, links: &Links, actor: &Actor, id: i64) -> AppResult<PersonalLink> {
    let graduate = graduate_service::writable(&mut db.read().await?, actor, id).await?;
    Ok(link(links, &graduate, Utc::now()))
}

/// The stored graduate a link is for, and when the link expires.
async fn open(
    db: &mut impl Access,
    links: &Links,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(Graduate, DateTime<Utc>), LinkProblem> {
    let Claims::Graduate { graduate, created, expires } = links.signer.verify(token, now)? else {
        return Err(TokenError::Invalid.into());
    };
    let stored = graduates::get(db, graduate).await?.ok_or(LinkProblem::Gone)?;
    if stored.created_at.timestamp_millis() != created {
        return Err(LinkProblem::Gone);
    }
    let expires = DateTime::from_timestamp(expires, 0).unwrap_or(now);
    Ok((stored, expires))
}

/// A published round's outcome for the graduate.
#[derive(Debug, Serialize)]
pub struct OwnRound {
    pub round_id: i64,
    pub round_name: String,
    pub published_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub row: AssignmentView,
}

/// What the graduate's page shows.
#[derive(Debug)]
pub struct Overview {
    /// The record, the ID number masked.
    pub graduate: Graduate,
    pub school_name: String,
    /// The latest record (the current answer, its purpose and text version); none when
    /// consent was never recorded.
    pub latest: Option<ConsentRecord>,
    pub history: Page<ConsentRecord>,
    pub choices: Vec<ChoiceRow>,
    pub rounds: Vec<OwnRound>,
    /// Offers made to the graduate, newest first (pending ones they can answer).
    pub offers: Vec<crate::domain::offer::Offer>,
    pub link_expires_at: DateTime<Utc>,
}

async fn school_name(db: &mut impl Access, id: i64) -> Result<String, LinkProblem> {
    Ok(organizations::get(db, id).await?.map(|o| o.fields.name).unwrap_or_default())
}

async fn own_rounds(db: &Db, graduate_id: i64) -> AppResult<Vec<OwnRound>> {
    let rows = super::rounds::of_graduate(db, graduate_id).await?;
    Ok(rows
        .into_iter()
        .map(|(round_id, round_name, published_at, row)| OwnRound { round_id, round_name, published_at, row })
        .collect())
}

pub async fn overview(
    db: &Db,
    links: &Links,
    token: &str,
    history_page: PageRequest,
    now: DateTime<Utc>,
) -> Result<Overview, LinkProblem> {
    let mut conn = db.read().await?;
    let (graduate, link_expires_at) = open(&mut conn, links, token, now).await?;
    let id = graduate.id;
    let school_name = school_name(&mut conn, graduate.organization_id).await?;
    let latest = consent::latest(&mut conn, id).await?;
    let entries = consent::history(&mut conn, id, history_page).await?;
    let history = Page {
        items: entries.items.into_iter().map(|e| e.record).collect(),
        total: entries.total,
        page: entries.page,
        per_page: entries.per_page,
    };
    let choices = personal::choices(&mut conn, id).await?;
    let offers = crate::store::offers::of_graduate(&mut conn, id).await?;
    drop(conn);
    let rounds = own_rounds(db, id).await?;
    Ok(Overview {
        offers,
        graduate: graduate.with_id_number_masked(),
        school_name,
        latest,
        history,
        choices,
        rounds,
        link_expires_at,
    })
}

/// `POST /me/{token}/consent`: the graduate gives or withdraws consent themselves.
pub async fn set_consent(
    db: &Db,
    links: &Links,
    token: &str,
    answer: ConsentChange,
    now: DateTime<Utc>,
) -> Result<Recorded, LinkProblem> {
    let mut tx = db.begin().await?;
    let (graduate, _) = open(&mut tx, links, token, now).await?;
    let recorded =
        consent_service::apply(&mut tx, graduate.id, answer.given, ConsentMethod::GraduateLink, None).await?;
    tx.commit().await?;
    Ok(recorded)
}

/// `POST /me/{token}/offers/{id}/answer`: the graduate answers their own offer.
pub async fn answer_offer(
    db: &Db,
    links: &Links,
    token: &str,
    offer_id: i64,
    input: crate::domain::offer::AnswerOffer,
    now: DateTime<Utc>,
) -> Result<crate::domain::offer::Offer, LinkProblem> {
    let mut tx = db.begin().await?;
    let (graduate, _) = open(&mut tx, links, token, now).await?;
    let offer = super::offers::answer_as_graduate(&mut tx, links, graduate.id, offer_id, &input, now).await?;
    tx.commit().await?;
    Ok(offer)
}

/// `GET /me/{token}/data.json`: everything held about the graduate, the ID number whole
/// (PIPL's right of access). Each download is audited. Returns the graduate's id too.
pub async fn export(db: &Db, links: &Links, token: &str, now: DateTime<Utc>) -> Result<(i64, Value), LinkProblem> {
    let mut tx = db.begin().await?;
    let (graduate, link_expires_at) = open(&mut tx, links, token, now).await?;
    let id = graduate.id;
    audit::record(&mut tx, None, Some(graduate.organization_id), "export_own_data", "graduate", Some(id)).await?;
    let school = school_name(&mut tx, graduate.organization_id).await?;
    let records = consent::all(&mut tx, id).await?;
    let choices = personal::choices(&mut tx, id).await?;
    let shortlisted = personal::shortlisted(&mut tx, id).await?;
    let notices = personal::notices(&mut tx, id).await?;
    let audit_trail: Vec<Value> = personal::audit(&mut tx, id)
        .await?
        .into_iter()
        .map(|a| json!({"action": a.action, "by": if a.user_id.is_some() { "school_or_service_centre" } else { "you" }, "at": a.at}))
        .collect();
    tx.commit().await?;
    let rounds = own_rounds(db, id).await?;
    // The record as stored: the ID number whole (answers elsewhere mask it).
    let mut record = serde_json::to_value(&graduate).map_err(|e| AppError::Internal(e.into()))?;
    if let (Value::Object(fields), Some(number)) =
        (&mut record, graduate.fields.id_number.as_ref().and_then(|n| n.reveal()))
    {
        fields.insert("id_number".into(), Value::from(number));
    }
    let data = json!({
        "generated_at": now,
        "about": "Everything xiaoqi holds about you (PIPL art. 45) / 本系统保存的关于您的全部个人信息（《个人信息保护法》第四十五条）",
        "graduate": record,
        "school": {"id": graduate.organization_id, "name": school},
        "consent": {
            "current": graduate.fields.consent,
            "current_text": {"version": CURRENT_TEXT.version, "purpose_zh": CURRENT_TEXT.purpose_zh, "purpose_en": CURRENT_TEXT.purpose_en},
            "records": records,
        },
        "choices": choices,
        "shortlisted_by_postings": shortlisted,
        "rounds": rounds,
        "notices": notices,
        "audit": audit_trail,
        "link_expires_at": link_expires_at,
    });
    Ok((id, data))
}

/// How many personal links a request queued.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct LinksQueued {
    /// E-mails queued now.
    pub queued: usize,
    /// Graduates without an e-mail address (hand them their link another way).
    pub without_email: usize,
    /// Graduates whose link was already e-mailed today (nothing queued again).
    pub already_queued: usize,
}

/// `POST /graduates/links`: e-mail each graduate (with an address) their personal link,
/// through the outbox. The graduates' school's users and coordinators may; a graduate the
/// actor may not keep is named in the 422. Queued once per graduate, address and day
/// (UTC), so a form sent twice sends once.
pub async fn send(db: &Db, links: &Links, actor: &Actor, request: PersonalLinks) -> AppResult<LinksQueued> {
    if actor.role == Role::Company {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now();
    let mut tx = db.begin().await?;
    let mut out = LinksQueued { queued: 0, without_email: 0, already_queued: 0 };
    let mut schools = std::collections::HashMap::new();
    for (at, id) in request.graduate_ids.iter().enumerate() {
        let graduate = match graduate_service::writable(&mut tx, actor, *id).await {
            Ok(g) => g,
            Err(AppError::NotFound | AppError::Forbidden) => {
                return Err(AppError::field(
                    &format!("graduate_ids[{at}]"),
                    format!("no such graduate on your roster: {id} / 名单中没有编号为 {id} 的毕业生"),
                ));
            }
            Err(e) => return Err(e),
        };
        let Some(email) = graduate.fields.email.as_ref().map(|e| e.as_str().trim().to_lowercase()) else {
            out.without_email += 1;
            continue;
        };
        let school = match schools.get(&graduate.organization_id) {
            Some(name) => String::clone(name),
            None => {
                let name = organizations::get(&mut tx, graduate.organization_id)
                    .await?
                    .map(|o| o.fields.name)
                    .unwrap_or_default();
                schools.insert(graduate.organization_id, name.clone());
                name
            }
        };
        let personal = link(links, &graduate, now);
        let payload = payload(&graduate, &school, &email, &personal);
        let notice = NewNotice {
            kind: NoticeKind::PersonalLink,
            event_id: None,
            round_id: None,
            revision: 0,
            graduate_id: Some(graduate.id),
            dedupe_key: format!("graduate:{}:personal_link:{email}:{}", graduate.id, now.format("%Y-%m-%d")),
            payload: &payload,
        };
        if notices_store::enqueue(&mut tx, &notice).await? {
            out.queued += 1;
            audit::record(
                &mut tx,
                Some(actor.user_id),
                Some(graduate.organization_id),
                "send_personal_link",
                "graduate",
                Some(graduate.id),
            )
            .await?;
        } else {
            out.already_queued += 1;
        }
    }
    tx.commit().await?;
    Ok(out)
}

fn payload(graduate: &Graduate, school: &str, email: &str, link: &PersonalLink) -> NoticePayload {
    let until = link.expires_at.with_timezone(&crate::domain::event::shanghai()).format("%Y-%m-%d");
    let summary_zh = format!(
        "{school}为您开通了个人页面。在这里您可以查看学校登记的您的信息、您的求职志愿和匹配结果，\
         同意或撤回向园区企业推荐（用途：{}），并下载我们保存的关于您的全部数据。\n\
         链接有效期至 {until}（北京时间）。此链接相当于您的钥匙，请勿转发给他人。",
        CURRENT_TEXT.purpose_zh
    );
    let summary_en = format!(
        "{school} has opened a personal page for you. There you can see what your school recorded about you, \
         your ranked choices and matching results, give or withdraw your consent to be recommended to companies \
         in the zone ({}), and download everything we hold about you.\n\
         The link works until {until} (Beijing time). It is your key: please do not pass it on.",
        CURRENT_TEXT.purpose_en
    );
    let recipient = Recipient {
        email: email.to_string(),
        name: Some(graduate.fields.name.clone()),
        organization_id: Some(graduate.organization_id),
        organization_name: Some(school.to_string()),
    };
    NoticePayload::summary(NoticeKind::PersonalLink, recipient, summary_zh, summary_en, link.url.clone())
}
