//! Organisations are managed by coordinators; others may read their own. Companies are
//! vetted: created `pending`, they open postings only once a coordinator approves them;
//! each decision is audited and mailed to the organisation.

use super::notices::Links;
use super::{Actor, auth::Passwords, patched, unique_as_taken};
use crate::domain::notice::{NoticePayload, Recipient};
use crate::domain::organization::{
    Checks, NewOrganization, Organization, OrganizationEditFields, OrganizationFields, OrganizationPatch, Vetting,
    VettingDecision,
};
use crate::domain::user::User;
use crate::domain::{NoticeKind, OrgKind, OrgStatus};
use crate::error::{AppError, AppResult};
use crate::store::notices::{self as notices_store, NewNotice};
use crate::store::{self, Db, Page, PageRequest, Tx, audit, organizations, users};
use chrono::{DateTime, Months, NaiveDate, Utc};

pub async fn create(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    new: NewOrganization,
) -> AppResult<(Organization, Vec<User>)> {
    super::require_coordinator(actor)?;
    let mut hashes = Vec::with_capacity(new.users.len());
    for u in &new.users {
        hashes.push(passwords.hash(&u.password).await?);
    }
    let mut tx = db.begin().await?;
    // Companies wait for a coordinator's review; schools and service centres are created
    // by a coordinator, which is all the vetting they need.
    let status = if new.fields.kind == OrgKind::Company { OrgStatus::Pending } else { OrgStatus::Approved };
    let org = organizations::insert(&mut tx, &new.fields, status)
        .await
        .map_err(|e| unique_as_taken(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?;
    let mut created = Vec::new();
    for (i, (u, hash)) in new.users.iter().zip(&hashes).enumerate() {
        let user = users::insert(&mut tx, &u.email, hash, u.role, org.id)
            .await
            .map_err(|e| unique_as_taken(e, &format!("users[{i}].email"), "is already in use / 该邮箱已被使用"))?;
        created.push(user);
    }
    audit::record(&mut tx, Some(actor.user_id), Some(org.id), "create", "organization", Some(org.id)).await?;
    tx.commit().await?;
    Ok((org, created))
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Organization> {
    if !actor.is_coordinator() && actor.organization_id != id {
        return Err(AppError::NotFound);
    }
    organizations::get(&mut db.read().await?, id).await?.ok_or(AppError::NotFound)
}

/// What to list: `kind`, vetting `status`, `q` a substring of the name.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub kind: Option<OrgKind>,
    pub status: Option<OrgStatus>,
    pub q: Option<String>,
}

/// Organisations, those awaiting review first (coordinators: all; others: their own).
pub async fn list(db: &Db, actor: &Actor, filter: ListFilter, page: PageRequest) -> AppResult<Page<Organization>> {
    let ListFilter { kind, status, q } = filter;
    let filter =
        organizations::Filter { kind, status, q, only_id: (!actor.is_coordinator()).then_some(actor.organization_id) };
    let (items, total) = organizations::list(&mut db.read().await?, &filter, page).await?;
    Ok(Page::new(items, total, page))
}

/// How many companies await review (the coordinator's queue).
pub async fn pending_count(db: &Db, actor: &Actor) -> AppResult<i64> {
    super::require_coordinator(actor)?;
    Ok(organizations::count_with_status(&mut db.read().await?, OrgKind::Company, OrgStatus::Pending).await?)
}

/// Change an organisation and, where the vetting part of the patch differs from what is
/// stored, record the coordinator's decision (see [`decide`]).
pub async fn update(
    db: &Db,
    links: &Links,
    actor: &Actor,
    id: i64,
    patch: OrganizationPatch,
    now: DateTime<Utc>,
) -> AppResult<Organization> {
    if !actor.is_coordinator() {
        // Readers of their own organisation learn it exists; others do not.
        return Err(if actor.organization_id == id { AppError::Forbidden } else { AppError::NotFound });
    }
    let mut tx = db.begin().await?;
    let current = organizations::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    // The kind is read-only in a patch, so `fields.kind` is the stored one.
    let OrganizationEditFields { fields, decision } = patched(patch, &current)?;
    let mut org = current.clone();
    if serde_json::to_value(&fields).ok() != serde_json::to_value(&current.fields).ok() {
        org = organizations::update(&mut tx, id, &fields)
            .await
            .map_err(|e| unique_as_taken(e, "credit_code", "is already registered / 该统一社会信用代码已登记"))?
            .ok_or(AppError::NotFound)?;
        audit::record(&mut tx, Some(actor.user_id), Some(id), "update", "organization", Some(id)).await?;
    }
    if decision != stored_decision(&current.vetting) {
        org = decide(&mut tx, links, actor, &org, decision, now).await?;
    }
    tx.commit().await?;
    Ok(org)
}

fn stored_decision(vetting: &Vetting) -> VettingDecision {
    VettingDecision {
        status: vetting.status,
        status_reason: vetting.status_reason.clone(),
        checks: vetting.checks.0.clone(),
        reverify_on: vetting.reverify_on,
    }
}

/// Today in Beijing: the day a decision is dated by.
fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&crate::domain::event::shanghai()).date_naive()
}

/// Record a vetting decision: the status with its reason and checks, when to check again
/// (a year after approval unless given), an audit entry (`approve` / `reject`, the reason
/// as detail) and a mail to the organisation. A company that stops being approved has its
/// open postings closed, so that nothing of it stays public.
async fn decide(
    tx: &mut Tx,
    links: &Links,
    actor: &Actor,
    org: &Organization,
    decision: VettingDecision,
    now: DateTime<Utc>,
) -> AppResult<Organization> {
    let VettingDecision { status, mut status_reason, checks, mut reverify_on } = decision;
    if org.fields.kind != OrgKind::Company && status != OrgStatus::Approved {
        return Err(AppError::field(
            "status",
            "only companies are vetted: schools and service centres stay approved / 只有企业需要审核，学校和服务中心始终为已通过",
        ));
    }
    let before = &org.vetting;
    if status == OrgStatus::Approved {
        // A rejection's reason does not survive into the approval that follows it.
        if before.status != OrgStatus::Approved && status_reason == before.status_reason {
            status_reason = None;
        }
        reverify_on = reverify_on.or_else(|| today(now).checked_add_months(Months::new(12)));
    }
    let vetting = Vetting { status, status_reason, checks: Checks(checks), decided_at: Some(now), reverify_on };
    let decided =
        organizations::set_vetting(tx, org.id, &vetting, actor.user_id, now).await?.ok_or(AppError::NotFound)?;
    if before.status == OrgStatus::Approved && status != OrgStatus::Approved {
        organizations::close_open_postings(tx, org.id, now).await?;
    }
    let action = match status {
        OrgStatus::Approved => "approve",
        OrgStatus::Rejected => "reject",
        OrgStatus::Pending => "return_to_review",
    };
    let detail = vetting.status_reason.as_deref();
    audit::record_detail(tx, Some(actor.user_id), Some(org.id), action, "organization", Some(org.id), detail).await?;
    if status != OrgStatus::Pending {
        for recipient in recipients(tx, &decided).await? {
            let payload = decision_mail(links, &decided, recipient);
            let notice = NewNotice {
                kind: NoticeKind::OrganizationDecision,
                event_id: None,
                round_id: None,
                revision: 0,
                graduate_id: None,
                dedupe_key: format!(
                    "organization:{}:decision:{}:{}",
                    org.id,
                    now.timestamp_millis(),
                    payload.recipient.email
                ),
                payload: &payload,
            };
            notices_store::enqueue(tx, &notice).await?;
        }
    }
    Ok(decided)
}

/// Who hears of a decision: the organisation's contact e-mail, or its accounts when it
/// has none.
async fn recipients(tx: &mut Tx, org: &Organization) -> AppResult<Vec<Recipient>> {
    let recipient = |email: String| Recipient {
        email,
        name: org.fields.contact_name.clone(),
        organization_id: Some(org.id),
        organization_name: Some(org.fields.name.clone()),
    };
    if let Some(email) = &org.fields.contact_email {
        return Ok(vec![recipient(email.as_str().to_string())]);
    }
    let (accounts, _) = users::list(tx, Some(org.id), None, PageRequest { page: 1, per_page: 20 }).await?;
    Ok(accounts.into_iter().map(|u| recipient(u.email.as_str().to_string())).collect())
}

fn decision_mail(links: &Links, org: &Organization, recipient: Recipient) -> NoticePayload {
    let vetting = &org.vetting;
    let checks_zh: Vec<&str> = vetting.checks.0.iter().map(|c| c.label_zh()).collect();
    let checks_en: Vec<&str> = vetting.checks.0.iter().map(|c| c.label_en()).collect();
    let (summary_zh, summary_en) = match vetting.status {
        OrgStatus::Rejected => (
            format!(
                "很抱歉，{}的机构审核未通过。\n原因：{}\n请按原因补充或更正材料后联系服务中心重新审核。在审核通过前，贵单位的岗位不会公开。",
                org.fields.name,
                vetting.status_reason.as_deref().unwrap_or("")
            ),
            format!(
                "We are sorry: {} was not approved.\nReason: {}\nPlease complete or correct your documents and ask the service centre to review them again. Until approved, your postings are not public.",
                org.fields.name,
                vetting.status_reason.as_deref().unwrap_or("")
            ),
        ),
        _ => {
            let until_zh = vetting.reverify_on.map(|d| format!("\n下次复核日期：{d}。")).unwrap_or_default();
            let until_en = vetting.reverify_on.map(|d| format!("\nNext review: {d}.")).unwrap_or_default();
            (
                format!(
                    "{}已通过机构审核，现在可以发布岗位。\n核验内容：{}。{until_zh}",
                    org.fields.name,
                    if checks_zh.is_empty() { "—".to_string() } else { checks_zh.join("、") }
                ),
                format!(
                    "{} has been approved and may now publish postings.\nChecked: {}.{until_en}",
                    org.fields.name,
                    if checks_en.is_empty() { "—".to_string() } else { checks_en.join(", ") }
                ),
            )
        }
    };
    NoticePayload::summary(NoticeKind::OrganizationDecision, recipient, summary_zh, summary_en, links.url("/app"))
}

/// A company's postings may be open only once it is approved: a 409 naming `status`
/// otherwise (drafts are always allowed).
pub async fn require_approved_to_open(db: &mut impl store::Access, organization_id: i64) -> AppResult<()> {
    let org = organizations::get(db, organization_id).await?.ok_or(AppError::NotFound)?;
    if org.fields.kind != OrgKind::Company || org.vetting.status == OrgStatus::Approved {
        return Ok(());
    }
    let mut errors = crate::domain::FieldErrors::default();
    errors.push(
        "status",
        "the company awaits the service centre's review: save the posting as a draft and open it once approved \
         / 企业正在等待服务中心审核，审核通过后才能发布岗位；可先保存为草稿",
    );
    Err(AppError::Taken(errors))
}

pub async fn delete(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    if !actor.is_coordinator() {
        return Err(if actor.organization_id == id { AppError::Forbidden } else { AppError::NotFound });
    }
    if id == actor.organization_id {
        return Err(AppError::Conflict("You cannot delete your own organisation. / 不能删除自己所在的机构。".into()));
    }
    let mut tx = db.begin().await?;
    let deleted = organizations::delete(&mut tx, id).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::Conflict(
            "The organisation still has accounts, projects, postings or graduates. / 该机构仍有账号、项目、岗位或毕业生，无法删除。".into(),
        ),
        _ => e.into(),
    })?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    audit::record(&mut tx, Some(actor.user_id), Some(id), "delete", "organization", Some(id)).await?;
    tx.commit().await?;
    Ok(())
}

/// The coordinators' organisation: the first one on record, created on first need.
pub async fn service_centre(db: &Db) -> AppResult<i64> {
    let mut tx = db.begin().await?;
    let filter = organizations::Filter { kind: Some(OrgKind::Coordinator), ..Default::default() };
    let (existing, _) = organizations::list(&mut tx, &filter, PageRequest { page: 1, per_page: 1 }).await?;
    if let Some(org) = existing.first() {
        return Ok(org.id);
    }
    let fields = OrganizationFields {
        kind: OrgKind::Coordinator,
        name: "肇庆新区企业发展服务中心".into(),
        credit_code: None,
        contact_name: None,
        contact_email: None,
        contact_phone: None,
        district: Some("肇庆新区".into()),
        address: None,
    };
    let org = organizations::insert(&mut tx, &fields, OrgStatus::Approved).await?;
    audit::record(&mut tx, None, Some(org.id), "create", "organization", Some(org.id)).await?;
    tx.commit().await?;
    Ok(org.id)
}
