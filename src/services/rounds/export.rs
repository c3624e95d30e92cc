//! A round's results as an Excel workbook: assignments, unmatched graduates with reasons,
//! and fill per project. Each reader gets the rows it may read.

use super::results::{self, AssignmentView};
use crate::domain::Role;
use crate::domain::round::Round;
use crate::error::{AppError, AppResult};
use crate::store::rounds::{self as store, RowFilter};
use crate::store::{Db, PageRequest};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// Rows read per page while writing.
const BATCH: i64 = 5_000;

fn xlsx(e: XlsxError) -> AppError {
    AppError::Internal(e.into())
}

fn header(sheet: &mut Worksheet, titles: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn write_assignment(sheet: &mut Worksheet, row: u32, a: &AssignmentView) -> Result<(), XlsxError> {
    sheet.write_number(row, 0, a.graduate_id as f64)?;
    sheet.write_string(row, 1, opt(&a.graduate_name))?;
    sheet.write_string(row, 2, opt(&a.graduate_major))?;
    sheet.write_string(row, 3, opt(&a.school_name))?;
    sheet.write_string(row, 4, opt(&a.posting_id))?;
    sheet.write_string(row, 5, opt(&a.posting_title))?;
    sheet.write_string(row, 6, opt(&a.company_name))?;
    sheet.write_string(row, 7, opt(&a.graduate_rank))?;
    sheet.write_string(row, 8, opt(&a.posting_rank))?;
    let total = a.score.as_ref().and_then(|s| s.get("total")).and_then(|t| t.as_f64());
    if let Some(total) = total {
        sheet.write_number(row, 9, total)?;
    }
    sheet.write_string(row, 10, &a.explanation.zh)?;
    sheet.write_string(row, 11, &a.explanation.en)?;
    Ok(())
}

fn write_unmatched(sheet: &mut Worksheet, row: u32, a: &AssignmentView) -> Result<(), XlsxError> {
    sheet.write_number(row, 0, a.graduate_id as f64)?;
    sheet.write_string(row, 1, opt(&a.graduate_name))?;
    sheet.write_string(row, 2, opt(&a.graduate_major))?;
    sheet.write_string(row, 3, opt(&a.school_name))?;
    sheet.write_string(row, 4, &a.explanation.zh)?;
    sheet.write_string(row, 5, &a.explanation.en)?;
    Ok(())
}

/// Page through one kind of row (matched or not), writing each.
async fn each_row(
    db: &Db,
    round: &Round,
    filter: RowFilter,
    role: Role,
    sheet: &mut Worksheet,
    write: fn(&mut Worksheet, u32, &AssignmentView) -> Result<(), XlsxError>,
) -> AppResult<()> {
    let mut row = 1u32;
    for page in 1.. {
        let request = PageRequest { page, per_page: BATCH };
        let (items, _) = results::graduate_page(db, round.id, filter.clone(), role, request).await?;
        for a in &items {
            write(sheet, row, a).map_err(xlsx)?;
            row += 1;
        }
        if (items.len() as i64) < BATCH {
            break;
        }
    }
    Ok(())
}

/// The workbook `role` may read; `filter` limits the rows to the reader's own.
pub async fn workbook(db: &Db, round: &Round, filter: RowFilter, role: Role) -> AppResult<Vec<u8>> {
    // A company's rows are the graduates placed with it (no unmatched sheet); a school has
    // no postings of its own (no fill sheet).
    let company = filter.company_id;
    let include_postings = role != Role::School;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();

    let sheet = book.add_worksheet().set_name("匹配结果 Assignments").map_err(xlsx)?;
    header(
        sheet,
        &[
            "毕业生编号 Graduate ID",
            "姓名 Name",
            "专业 Major",
            "学校 School",
            "岗位编号 Posting ID",
            "岗位 Posting",
            "企业 Company",
            "意向位次 Rank in graduate's list",
            "企业排序 Company's rank",
            "匹配分 Score",
            "说明",
            "Explanation",
        ],
        &bold,
    )
    .map_err(xlsx)?;
    each_row(db, round, RowFilter { matched: Some(true), ..filter.clone() }, role, sheet, write_assignment).await?;

    if company.is_none() {
        let sheet = book.add_worksheet().set_name("未匹配 Unmatched").map_err(xlsx)?;
        header(sheet, &["毕业生编号 Graduate ID", "姓名 Name", "专业 Major", "学校 School", "原因", "Reason"], &bold)
            .map_err(xlsx)?;
        each_row(db, round, RowFilter { matched: Some(false), ..filter }, role, sheet, write_unmatched).await?;
    }

    if include_postings {
        // Fill per project over the postings this reader may see.
        let mut fill: BTreeMap<(Option<i64>, String), (i64, i64, i64)> = BTreeMap::new();
        for page in 1.. {
            let request = PageRequest { page, per_page: BATCH };
            let (rows, _) = store::posting_rows(&mut db.read().await?, round.id, company, request).await?;
            for r in &rows {
                let entry = fill.entry((r.row.project_id, r.project_name.clone().unwrap_or_default())).or_default();
                entry.0 += 1;
                entry.1 += r.row.capacity;
                entry.2 += r.row.filled;
            }
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        let sheet = book.add_worksheet().set_name("项目招满率 Fill per project").map_err(xlsx)?;
        header(
            sheet,
            &[
                "项目编号 Project ID",
                "项目 Project",
                "岗位数 Postings",
                "名额 Seats",
                "录取 Filled",
                "招满率 Fill rate",
            ],
            &bold,
        )
        .map_err(xlsx)?;
        for (i, ((id, name), (postings, seats, filled))) in fill.iter().enumerate() {
            let row = i as u32 + 1;
            let write = |sheet: &mut Worksheet| -> Result<(), XlsxError> {
                sheet.write_string(row, 0, opt(id))?;
                sheet.write_string(row, 1, if id.is_some() { name.as_str() } else { "（无项目）No project" })?;
                sheet.write_number(row, 2, *postings as f64)?;
                sheet.write_number(row, 3, *seats as f64)?;
                sheet.write_number(row, 4, *filled as f64)?;
                sheet.write_number(row, 5, if *seats > 0 { *filled as f64 / *seats as f64 } else { 0.0 })?;
                Ok(())
            };
            write(sheet).map_err(xlsx)?;
        }
    }
    book.save_to_buffer().map_err(xlsx)
}
