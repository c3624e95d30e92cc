//! A posting's description: the trade's duties and requirements, the pay, the benefits,
//! the hours and the place, in one of a few layouts employers use.

use super::data::{self, Schedule, Trade};
use super::text::{fill_into, join_into, pick, pick_some};
use super::world::{CompanySpec, ProjectSpec};
use crate::domain::{Benefit, Education};
use rand::Rng;
use rand::rngs::StdRng;
use std::borrow::Cow;
use std::fmt::Write;

/// What a description is written from: the posting as generated so far.
pub(super) struct Context<'a> {
    pub(super) company: &'a CompanySpec,
    pub(super) project: Option<&'a ProjectSpec>,
    pub(super) park: Option<&'a str>,
    pub(super) product: Option<&'a str>,
    pub(super) trade: &'a Trade,
    pub(super) title: &'a str,
    pub(super) headcount: i64,
    pub(super) location: &'a str,
    pub(super) salary: (Option<i64>, Option<i64>),
    pub(super) education: Education,
    pub(super) majors: &'a [String],
    pub(super) benefits: &'a [Benefit],
}

/// A description in one of a few layouts, from the trade's duties and requirements, the
/// pay, the benefits, the hours and the place.
pub(super) fn describe(rng: &mut StdRng, cx: &Context) -> String {
    let trade = cx.trade;
    let mut intro = String::with_capacity(160);
    if rng.random_bool(0.8) {
        let project = cx.project.map(|p| p.name.as_str()).unwrap_or(&cx.company.name);
        let n = cx.headcount.to_string();
        let template = *pick(rng, data::INTROS);
        fill_into(
            &mut intro,
            template,
            &[
                ("company", &cx.company.name),
                ("park", cx.park.unwrap_or("")),
                ("project", project),
                ("title", cx.title),
                ("n", &n),
                ("product", cx.product.unwrap_or("电子信息产品")),
            ],
        );
    }
    let duties = pick_some(rng, trade.duties, 2, 4);

    let mut requirements: Vec<Cow<'static, str>> = Vec::with_capacity(6);
    let mut education = if cx.education == Education::JuniorHigh && rng.random_bool(0.5) {
        String::from("学历不限")
    } else {
        format!("{}及以上学历", cx.education.label_zh())
    };
    if let Some((last, first)) = cx.majors.split_last() {
        education.push('，');
        for m in first {
            education.push_str(m);
            education.push('、');
        }
        education.push_str(last);
        education.push_str("等相关专业");
    }
    requirements.push(education.into());
    if !trade.certificates.is_empty() {
        let certificate = pick(rng, trade.certificates);
        requirements.push(if rng.random_bool(0.5) {
            format!("持{certificate}").into()
        } else {
            format!("持{certificate}者优先").into()
        });
    }
    requirements.extend(pick_some(rng, trade.requirements, 1, 2).into_iter().map(|r| Cow::Borrowed(*r)));
    requirements.extend(pick_some(rng, data::COMMON_REQUIREMENTS, 0, 2).into_iter().map(|r| Cow::Borrowed(*r)));

    let pay: Cow<'static, str> = match cx.salary {
        (Some(min), Some(max)) => match rng.random_range(0..4) {
            0 => format!("综合薪资{min}—{max}元/月"),
            1 => format!("月薪{min}-{max}元"),
            2 => format!("底薪+绩效+加班费，月综合收入{min}～{max}元"),
            _ => format!("试用期{min}元，转正后最高可达{max}元"),
        }
        .into(),
        (Some(min), None) => {
            if rng.random_bool(0.5) {
                format!("{min}元/月起，上不封顶").into()
            } else {
                format!("保底{min}元，计件多劳多得").into()
            }
        }
        _ => Cow::Borrowed(*pick(rng, &["薪资面议", "薪资面议，待遇从优", "薪资面谈，能力优秀者可破格"])),
    };
    let mut offers: Vec<Cow<'static, str>> = vec![pay];
    offers.extend(pick_some(rng, data::PAY_EXTRAS, 0, 2).into_iter().map(|e| Cow::Borrowed(*e)));
    offers.extend(cx.benefits.iter().map(|b| Cow::Borrowed(*pick(rng, data::benefit_phrases(*b)))));

    let hours = match trade.schedule {
        Schedule::Shifts => pick(
            rng,
            &["两班倒，每月轮换一次", "三班倒，每班8小时", "白夜班轮换，夜班有补贴", "做六休一，每天8—10小时"],
        ),
        Schedule::Day => {
            pick(rng, &["长白班，8:00—17:30", "做六休一，白班为主", "每天8小时，周末加班另计", "做五休二"])
        }
        Schedule::Site => pick(rng, &["按项目工期安排，晴天出工", "工地包住，工资月结", "多劳多得，按月足额发放"]),
        Schedule::Office => pick(rng, &["周末双休，朝九晚六", "五天八小时，法定节假日正常放假", "大小周，弹性上班"]),
    };
    let mut place = String::from(cx.location);
    match (cx.park, cx.project) {
        (Some(park), _) if cx.location == cx.company.district && rng.random_bool(0.7) => place.push_str(park),
        (_, Some(project)) if trade.schedule == Schedule::Site => {
            place.push('（');
            place.push_str(&project.name);
            place.push_str("现场）");
        }
        _ => {}
    }
    let closing = if rng.random_bool(0.6) { *pick(rng, data::CLOSINGS) } else { "" };

    // Writing to a String cannot fail.
    let mut text = String::with_capacity(intro.len() + 1024);
    match rng.random_range(0..3) {
        0 => {
            if !intro.is_empty() {
                text.push_str(&intro);
                text.push('\n');
            }
            text.push_str("【岗位职责】\n");
            for (i, d) in duties.iter().enumerate() {
                let _ = writeln!(text, "{}. {d}；", i + 1);
            }
            text.push_str("【任职要求】\n");
            for (i, r) in requirements.iter().enumerate() {
                let _ = writeln!(text, "{}. {r}；", i + 1);
            }
            text.push_str("【薪资福利】");
            join_into(&mut text, &offers, "；");
            let _ = write!(text, "。\n【工作时间】{hours}。\n【工作地点】{place}。");
            if !closing.is_empty() {
                text.push('\n');
                text.push_str(closing);
            }
        }
        1 => {
            text.push_str(&intro);
            join_into(&mut text, &duties, "；");
            text.push_str("。要求：");
            join_into(&mut text, &requirements, "，");
            text.push_str("。待遇：");
            join_into(&mut text, &offers, "，");
            let _ = write!(text, "。{hours}，工作地点{place}。{closing}");
        }
        _ => {
            let _ = writeln!(text, "岗位：{}", cx.title);
            if !intro.is_empty() {
                text.push_str(&intro);
                text.push('\n');
            }
            text.push_str("工作内容：\n");
            for d in &duties {
                let _ = writeln!(text, "- {d}");
            }
            text.push_str("我们希望你：\n");
            for r in &requirements {
                let _ = writeln!(text, "- {r}");
            }
            text.push_str("我们提供：");
            join_into(&mut text, &offers, "，");
            let _ = write!(text, "。\n上班时间：{hours}；地点：{place}。{closing}");
        }
    }
    text.truncate(text.trim_end().len());
    text
}
