//! Dates, times and money as each language writes them: 2026年12月5日 09:00 and
//! ¥5,000–6,900/月 in Chinese; 5 Dec 2026 09:00 and ¥5,000–6,900/month in English. Times
//! are shown in Beijing time, where every user is.

use super::i18n::Lang;
use crate::domain::event::shanghai;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

pub fn date(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
        Lang::En => day.format("%-d %b %Y").to_string(),
    }
}

pub fn date_time(lang: Lang, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&shanghai());
    format!("{} {}", date(lang, local.date_naive()), local.format("%H:%M"))
}

/// When an event runs: its start, and its end as a time when it is the same day
/// (2026年12月5日 14:00–17:30), else as a date and time.
pub fn span(lang: Lang, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let same_day = starts.with_timezone(&shanghai()).date_naive() == ends.with_timezone(&shanghai()).date_naive();
    let until = if same_day { time(ends) } else { date_time(lang, ends) };
    format!("{}–{until}", date_time(lang, starts))
}

/// A time of day in Beijing time, for the end of an event on the day it starts.
pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%H:%M").to_string()
}

/// Yuan with thousands separators: 5,000.
pub fn yuan(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// A monthly pay range; `None` when the posting names no pay.
pub fn salary(lang: Lang, min: Option<i64>, max: Option<i64>) -> Option<String> {
    let per_month = match lang {
        Lang::Zh => "/月",
        Lang::En => "/month",
    };
    let range = match (min, max) {
        (Some(a), Some(b)) if a == b => format!("¥{}", yuan(a)),
        (Some(a), Some(b)) => format!("¥{}–{}", yuan(a), yuan(b)),
        (Some(a), None) => match lang {
            Lang::Zh => format!("¥{}起", yuan(a)),
            Lang::En => format!("from ¥{}", yuan(a)),
        },
        (None, Some(b)) => match lang {
            Lang::Zh => format!("最高¥{}", yuan(b)),
            Lang::En => format!("up to ¥{}", yuan(b)),
        },
        (None, None) => return None,
    };
    Some(format!("{range}{per_month}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn chinese_conventions_first() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 1, 0, 0).unwrap();
        assert_eq!(date_time(Lang::Zh, at), "2026年12月5日 09:00");
        assert_eq!(date_time(Lang::En, at), "5 Dec 2026 09:00");
        assert_eq!(salary(Lang::Zh, Some(5000), Some(6900)).unwrap(), "¥5,000–6,900/月");
        assert_eq!(salary(Lang::En, Some(5000), Some(6900)).unwrap(), "¥5,000–6,900/month");
        assert_eq!(salary(Lang::Zh, Some(4500), None).unwrap(), "¥4,500起/月");
        assert_eq!(salary(Lang::Zh, None, None), None);
        assert_eq!(yuan(1_234_567), "1,234,567");
        assert_eq!(yuan(999), "999");
    }
}
