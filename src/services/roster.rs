//! A school's roster as its teachers work with it: read from the database (exact and fresh
//! right after an import, unlike the search index), filtered, counted, and exported as an
//! Excel workbook. Schools read their own graduates; coordinators any school's; companies
//! never (they find consenting graduates through search).

use super::Actor;
use super::graduates::visible;
use crate::domain::graduate::Graduate;
use crate::domain::{GraduateStatus, Role};
use crate::error::{AppError, AppResult};
use crate::store::graduates::{self as store, RosterFilter};
use crate::store::{Db, Page, PageRequest, audit};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Rows read per query while exporting.
const BATCH: i64 = 5_000;
/// Most majors the roster's filter offers.
const MAJORS_OFFERED: i64 = 300;

/// The school whose roster `actor` reads: a school user's own (whatever was asked), a
/// coordinator's choice (`None`: every school); companies have no roster.
fn scope(actor: &Actor, requested: Option<i64>) -> AppResult<Option<i64>> {
    match actor.role {
        Role::School => Ok(Some(actor.organization_id)),
        Role::Coordinator => Ok(requested),
        Role::Company => Err(AppError::Forbidden),
    }
}

/// A graduate on the roster, with how many ranked choices it has.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub graduate: Graduate,
    pub choices: i64,
}

/// A page of the roster under `filter`, each graduate as `actor` may see it (ID masked).
pub async fn list(db: &Db, actor: &Actor, filter: RosterFilter, page: PageRequest) -> AppResult<Page<RosterEntry>> {
    let filter = RosterFilter { organization_id: scope(actor, filter.organization_id)?, ..filter };
    let mut conn = db.read().await?;
    let (rows, total) = store::roster(&mut conn, &filter, page).await?;
    let ids: Vec<i64> = rows.iter().map(|g| g.id).collect();
    let counts = store::choice_counts(&mut conn, &ids).await?;
    let items = rows
        .into_iter()
        .filter_map(|g| visible(actor, g))
        .map(|graduate| {
            let choices = counts.iter().find(|(id, _)| *id == graduate.id).map_or(0, |(_, n)| *n);
            RosterEntry { graduate, choices }
        })
        .collect();
    Ok(Page::new(items, total, page))
}

/// The roster in numbers, for the dashboard.
#[derive(Debug, Clone, Default)]
pub struct RosterSummary {
    pub total: i64,
    pub consenting: i64,
    /// Every status, in the vocabulary's order, with its count (zero included).
    pub by_status: Vec<(GraduateStatus, i64)>,
    /// Seeking graduates without a ranked choice yet (a school's own roster only).
    pub without_choices: i64,
}

impl RosterSummary {
    pub fn count(&self, status: GraduateStatus) -> i64 {
        self.by_status.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }
}

pub async fn summary(db: &Db, actor: &Actor, organization_id: Option<i64>) -> AppResult<RosterSummary> {
    let school = scope(actor, organization_id)?;
    let mut conn = db.read().await?;
    let counts = store::roster_counts(&mut conn, school).await?;
    let by_status = GraduateStatus::ALL
        .iter()
        .map(|s| (*s, counts.iter().filter(|(status, _, _)| status == s).map(|(_, _, n)| n).sum()))
        .collect();
    let without_choices = match school {
        Some(id) => store::seeking_without_choices(&mut conn, id).await?,
        None => 0,
    };
    Ok(RosterSummary {
        total: counts.iter().map(|(_, _, n)| n).sum(),
        consenting: counts.iter().filter(|(_, consent, _)| *consent).map(|(_, _, n)| n).sum(),
        by_status,
        without_choices,
    })
}

/// The majors and graduation years on the roster, for its filters.
pub async fn filter_values(db: &Db, actor: &Actor, organization_id: Option<i64>) -> AppResult<(Vec<String>, Vec<i64>)> {
    let school = scope(actor, organization_id)?;
    Ok(store::roster_values(&mut db.read().await?, school, MAJORS_OFFERED).await?)
}

fn xlsx(e: XlsxError) -> AppError {
    AppError::Internal(e.into())
}

/// The columns of the export, headed as the import reads them, so an exported roster can be
/// edited and imported again.
const COLUMNS: &[&str] = &[
    "学号",
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "班级",
    "专业",
    "学历",
    "毕业年份",
    "手机",
    "邮箱",
    "技能",
    "证书",
    "意向地区",
    "期望薪资",
    "可到岗日期",
    "同意推荐",
    "状态",
    "个人简介",
];
/// Columns kept as text when edited in Excel (leading zeros, 18-digit numbers).
const TEXT_COLUMNS: &[&str] = &["学号", "身份证号", "手机"];

fn row(sheet: &mut rust_xlsxwriter::Worksheet, at: u32, g: &Graduate, text: &Format) -> Result<(), XlsxError> {
    let f = &g.fields;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let cells: [String; 19] = [
        f.student_no.clone().unwrap_or_default(),
        f.name.clone(),
        f.gender.map(|s| s.label_zh().to_string()).unwrap_or_default(),
        // The school's own export: the whole number (the audit entry records who took it).
        f.id_number.as_ref().and_then(|n| n.reveal()).unwrap_or_default().to_string(),
        date(f.birth_date),
        f.class_name.clone().unwrap_or_default(),
        f.major.clone(),
        f.education.label_zh().to_string(),
        f.graduation_year.to_string(),
        f.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
        f.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
        f.skills.join("、"),
        f.certificates.join("、"),
        f.preferred_locations.join("、"),
        f.expected_salary.map(|s| s.to_string()).unwrap_or_default(),
        date(f.available_from),
        if f.consent { "是" } else { "否" }.to_string(),
        f.status.label_zh().to_string(),
        f.summary.clone().unwrap_or_default(),
    ];
    for (col, value) in cells.iter().enumerate() {
        if value.is_empty() {
            continue;
        }
        let col = col as u16;
        match COLUMNS[col as usize] {
            "毕业年份" | "期望薪资" => sheet.write_number(at, col, value.parse::<f64>().unwrap_or_default())?,
            name if TEXT_COLUMNS.contains(&name) => sheet.write_string_with_format(at, col, value, text)?,
            _ => sheet.write_string(at, col, value)?,
        };
    }
    Ok(())
}

/// The roster under `filter` as an `.xlsx` workbook, ID numbers whole (the school's own
/// data, or a coordinator's), recorded in the audit log as an `export`.
pub async fn export(db: &Db, actor: &Actor, filter: RosterFilter) -> AppResult<Vec<u8>> {
    let filter = RosterFilter { organization_id: scope(actor, filter.organization_id)?, ..filter };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet().set_name("毕业生名单").map_err(xlsx)?;
    for (col, title) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, &bold).map_err(xlsx)?;
        if TEXT_COLUMNS.contains(title) {
            sheet.set_column_format(col, &text).map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    sheet.set_column_width(3, 21).map_err(xlsx)?;
    let mut at = 1u32;
    let mut conn = db.read().await?;
    for number in 1.. {
        let (rows, _) = store::roster(&mut conn, &filter, PageRequest { page: number, per_page: BATCH }).await?;
        for graduate in &rows {
            row(sheet, at, graduate, &text).map_err(xlsx)?;
            at += 1;
        }
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    drop(conn);
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    let mut tx = db.begin().await?;
    audit::record(&mut tx, Some(actor.user_id), filter.organization_id, "export", "graduate", None).await?;
    tx.commit().await?;
    Ok(bytes)
}
