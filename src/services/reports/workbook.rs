//! Reports as Excel workbooks: a sheet per table, Chinese headers, counts as numbers and
//! rates as percentages (so the sheet can be summed and charted as it is).

use super::{DestinationReport, FillReport, PlacementReport, TurnoutReport};
use crate::domain::Destination;
use crate::error::{AppError, AppResult};
use crate::sheets::write::{Figure, ReportSheet, report};

fn text(value: impl Into<String>) -> Figure {
    Figure::Text(value.into())
}

fn number(value: i64) -> Figure {
    Figure::Number(value as f64)
}

fn percent(value: Option<f64>) -> Figure {
    value.map(Figure::Percent).unwrap_or(Figure::Empty)
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

fn write(sheets: &[ReportSheet]) -> AppResult<Vec<u8>> {
    report(sheets).map_err(|e| AppError::Internal(anyhow::anyhow!("writing a report workbook: {e}")))
}

/// 项目: the projects; 园区: per park; 趋势: the weekly series.
pub fn fill(report: &FillReport) -> AppResult<Vec<u8>> {
    let no_park = "未指定园区";
    write(&[
        ReportSheet {
            name: "项目 Projects".into(),
            headers: headers(&[
                "项目编号",
                "项目",
                "企业",
                "园区",
                "用工缺口",
                "在招岗位人数",
                "录用意向",
                "已录用",
                "剩余缺口",
            ]),
            rows: report
                .rows
                .iter()
                .map(|r| {
                    vec![
                        number(r.project_id),
                        text(&r.project_name),
                        text(&r.company_name),
                        text(r.park.as_deref().unwrap_or(no_park)),
                        number(r.shortage),
                        number(r.seats),
                        number(r.offers),
                        number(r.placed),
                        number(r.open_shortage),
                    ]
                })
                .collect(),
        },
        ReportSheet {
            name: "园区 Parks".into(),
            headers: headers(&["园区", "用工缺口", "在招岗位人数", "录用意向", "已录用", "剩余缺口"]),
            rows: report
                .parks
                .iter()
                .map(|p| {
                    vec![
                        text(p.park.as_deref().unwrap_or(no_park)),
                        number(p.shortage),
                        number(p.seats),
                        number(p.offers),
                        number(p.placed),
                        number(p.open_shortage),
                    ]
                })
                .collect(),
        },
        ReportSheet {
            name: "趋势 Over time".into(),
            headers: headers(&["截至日期", "累计录用意向", "累计已录用"]),
            rows: report
                .series
                .iter()
                .map(|p| vec![text(p.date.to_string()), number(p.offers), number(p.placed)])
                .collect(),
        },
    ])
}

pub fn placements(report: &PlacementReport) -> AppResult<Vec<u8>> {
    write(&[ReportSheet {
        name: "学校与专业 Placements".into(),
        headers: headers(&["学校编号", "学校", "专业", "录用意向", "已录用"]),
        rows: report
            .rows
            .iter()
            .map(|r| {
                vec![number(r.school_id), text(&r.school_name), text(&r.major), number(r.offers), number(r.placed)]
            })
            .collect(),
    }])
}

pub fn destinations(report: &DestinationReport) -> AppResult<Vec<u8>> {
    let mut names = vec!["学校编号", "学校", "毕业生人数"];
    names.extend(Destination::ALL.iter().map(|d| d.label_zh()));
    names.extend(["未登记去向", "就业率", "协议和合同就业率", "升学率", "待就业率"]);
    write(&[ReportSheet {
        name: format!("毕业去向 截至{}", report.on),
        headers: headers(&names),
        rows: report
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![number(r.school_id), text(&r.school_name), number(r.graduates)];
                row.extend(Destination::ALL.iter().map(|d| number(r.count(*d))));
                row.extend([
                    number(r.unrecorded),
                    percent(r.employment_rate),
                    percent(r.contract_rate),
                    percent(r.further_study_rate),
                    percent(r.seeking_rate),
                ]);
                row
            })
            .collect(),
    }])
}

pub fn turnout(report: &TurnoutReport) -> AppResult<Vec<u8>> {
    let shanghai = crate::domain::event::shanghai();
    write(&[ReportSheet {
        name: "活动到场 Turnout".into(),
        headers: headers(&["活动编号", "活动", "开始时间", "邀请", "报名", "通过审核", "签到", "未到场"]),
        rows: report
            .rows
            .iter()
            .map(|r| {
                vec![
                    number(r.event_id),
                    text(&r.title),
                    text(r.starts_at.with_timezone(&shanghai).format("%Y-%m-%d %H:%M").to_string()),
                    number(r.invited),
                    number(r.registered),
                    number(r.approved),
                    number(r.checked_in),
                    if r.ended { number(r.no_show) } else { Figure::Empty },
                ]
            })
            .collect(),
    }])
}
