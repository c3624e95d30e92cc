//! Times as people in the zone read them: Asia/Shanghai (UTC+8 all year; China has kept
//! no daylight saving time since 1991, so a fixed offset is exact).

use crate::domain::event::shanghai;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc, Weekday};

/// The zone's name in calendar files (`TZID`).
pub const TZID: &str = "Asia/Shanghai";

/// Wall-clock time in Shanghai.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&shanghai()).naive_local()
}

fn weekday_zh(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// "2026年12月10日 14:00–17:00（星期四，北京时间）"; an event spanning days names both.
pub fn span_zh(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (s, e) = (local(starts), local(ends));
    let day = |t: NaiveDateTime| t.format("%Y年%-m月%-d日").to_string();
    if s.date() == e.date() {
        format!("{} {}–{}（{}，北京时间）", day(s), s.format("%H:%M"), e.format("%H:%M"), weekday_zh(s.weekday()))
    } else {
        format!("{} {} 至 {} {}（北京时间）", day(s), s.format("%H:%M"), day(e), e.format("%H:%M"))
    }
}

/// "Thursday 10 December 2026, 14:00–17:00 (Beijing time, UTC+8)".
pub fn span_en(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (s, e) = (local(starts), local(ends));
    let day = |t: NaiveDateTime| t.format("%A %-d %B %Y").to_string();
    if s.date() == e.date() {
        format!("{}, {}–{} (Beijing time, UTC+8)", day(s), s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!("{}, {} to {}, {} (Beijing time, UTC+8)", day(s), s.format("%H:%M"), day(e), e.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shows_beijing_time_in_both_languages() {
        let starts = Utc.with_ymd_and_hms(2026, 12, 10, 6, 0, 0).unwrap();
        let ends = Utc.with_ymd_and_hms(2026, 12, 10, 9, 30, 0).unwrap();
        assert_eq!(span_zh(starts, ends), "2026年12月10日 14:00–17:30（星期四，北京时间）");
        assert_eq!(span_en(starts, ends), "Thursday 10 December 2026, 14:00–17:30 (Beijing time, UTC+8)");
    }

    #[test]
    fn late_utc_evening_is_the_next_day_in_shanghai() {
        let starts = Utc.with_ymd_and_hms(2026, 3, 4, 17, 0, 0).unwrap();
        let ends = Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap();
        assert_eq!(span_zh(starts, ends), "2026年3月5日 01:00–09:00（星期四，北京时间）");
        let ends = Utc.with_ymd_and_hms(2026, 3, 5, 17, 0, 0).unwrap();
        assert_eq!(span_zh(starts, ends), "2026年3月5日 01:00 至 2026年3月6日 01:00（北京时间）");
    }
}
