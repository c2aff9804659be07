//! Dates, times and durations as the vault writes them.

use jiff::civil::{Date, DateTime};
use serde::Serialize;

/// When something happens: a day, optionally with a local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct When {
    #[serde(serialize_with = "as_string")]
    pub date: Date,
    #[serde(serialize_with = "time_as_string")]
    pub time: Option<jiff::civil::Time>,
}

impl When {
    pub fn datetime(&self) -> DateTime {
        self.date.to_datetime(self.time.unwrap_or_default())
    }

    /// The moment `minutes` later; the last representable moment if that is past year 9999.
    pub fn after_minutes(&self, minutes: u32) -> DateTime {
        self.datetime()
            .checked_add(jiff::Span::new().minutes(i64::from(minutes)))
            .unwrap_or(DateTime::MAX)
    }
}

fn as_string<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn time_as_string<S: serde::Serializer>(
    t: &Option<jiff::civil::Time>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(&t.strftime("%H:%M")),
        None => s.serialize_none(),
    }
}

/// Parses `2026-12-01`, `2026-12-01 10:00` or `2026-12-01T10:00`.
pub(crate) fn parse_when(text: &str) -> Result<When, String> {
    let text = text.trim();
    if text.len() <= 10 {
        let date = text.parse::<Date>().map_err(|e| bad_date(text, &e))?;
        return Ok(When { date, time: None });
    }
    let dt = text.parse::<DateTime>().map_err(|e| bad_date(text, &e))?;
    Ok(When {
        date: dt.date(),
        time: Some(dt.time()),
    })
}

/// Parses a plain date; a time of day is refused where only a day makes sense.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    let when = parse_when(text)?;
    match when.time {
        None => Ok(when.date),
        Some(_) => Err(format!(
            "`{text}` has a time of day; write only the date, like 2026-12-01"
        )),
    }
}

fn bad_date(text: &str, err: &jiff::Error) -> String {
    let reason = err.to_string();
    let reason = reason.rsplit(": ").next().unwrap_or(&reason);
    format!("`{text}` is not a valid date ({reason}); write it like 2026-12-01 or 2026-12-01 10:00")
}

/// Parses a duration in whole minutes: `30m`, `1h`, `1h30m`, `90d`, `2w`, or a bare number
/// of minutes. `least` is the shortest it may be: 1 for how long something lasts or how
/// often it comes back, 0 where no time at all makes sense.
pub(crate) fn parse_minutes(text: &str, least: u32) -> Result<u32, String> {
    let text = text.trim();
    let minutes = match integer(text) {
        Some(n) => n,
        None => {
            let bad = || format!("`{text}` is not a duration; write it like 30m, 1h, 1h30m or 90d");
            let span: jiff::Span = text.parse().map_err(|_| bad())?;
            if span.get_years() != 0 || span.get_months() != 0 {
                return Err(bad());
            }
            i128::from(span.get_weeks()) * 7 * 1440
                + i128::from(span.get_days()) * 1440
                + i128::from(span.get_hours()) * 60
                + i128::from(span.get_minutes())
        }
    };
    let shortest = match least {
        0 => "0 minutes or more".to_string(),
        1 => "at least 1 minute".to_string(),
        n => format!("at least {n} minutes"),
    };
    if minutes < i128::from(least) {
        let what = if minutes < 0 {
            "negative"
        } else {
            "no time at all"
        };
        return Err(format!(
            "`{text}` is {what}; a duration here is {shortest}, like 30m, 1h or 90d"
        ));
    }
    u32::try_from(minutes).map_err(|_| {
        format!(
            "`{text}` is too long; a duration is at most {} minutes (about {} years)",
            u32::MAX,
            u32::MAX / (365 * 1440)
        )
    })
}

/// The value of `text` if it is written as a whole number (`42`, `-5`, `+7`), however
/// long: one too long for an `i128` counts as its largest or smallest.
pub(crate) fn integer(text: &str) -> Option<i128> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let far = if text.starts_with('-') {
        i128::MIN
    } else {
        i128::MAX
    };
    Some(text.parse().unwrap_or(far))
}

/// The day `n` business days (Monday to Friday) after `from`: 3 after a Thursday is the
/// Tuesday after. A weekend day counts as the Friday before it.
pub(crate) fn after_business_days(from: Date, n: u32) -> Date {
    use jiff::ToSpan;
    use jiff::civil::Weekday::{Saturday, Sunday};
    let weekend = |d: Date| matches!(d.weekday(), Saturday | Sunday);
    let back = match from.weekday() {
        Saturday => 1,
        Sunday => 2,
        _ => 0,
    };
    // Five business days from a weekday are a week.
    let weeks = i64::from(n / 5) * 7;
    let mut day = from
        .saturating_sub(back.days())
        .saturating_add(weeks.days());
    for _ in 0..n % 5 {
        day = day.tomorrow().unwrap_or(day);
        while weekend(day) && day < Date::MAX {
            day = day.tomorrow().unwrap_or(Date::MAX);
        }
    }
    day
}

/// Formats minutes the way people say them: `45 min`, `1 h 30 min`.
pub(crate) fn format_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_and_without_time() {
        assert_eq!(parse_when("2026-12-01").unwrap().time, None);
        let w = parse_when("2026-12-01 10:00").unwrap();
        assert_eq!(w.time.unwrap().hour(), 10);
        assert_eq!(parse_when("2026-12-01T10:00").unwrap(), w);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse_when("2026-13-01").unwrap_err().contains("2026-13-01"));
        assert!(parse_when("2026-02-30").is_err());
        assert!(parse_date("2026-02-01 10:00").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_minutes("30m", 1), Ok(30));
        assert_eq!(parse_minutes("1h30m", 1), Ok(90));
        assert_eq!(parse_minutes("45", 1), Ok(45));
        assert_eq!(parse_minutes("24h", 1), Ok(1440));
        assert_eq!(parse_minutes("90d", 1), Ok(90 * 1440));
        assert_eq!(parse_minutes("0", 0), Ok(0));
        assert!(parse_minutes("banana", 1).unwrap_err().contains("banana"));
        assert!(parse_minutes("1y", 1).is_err());
    }

    #[test]
    fn durations_out_of_range_say_what_is_allowed() {
        let err = |text, least| parse_minutes(text, least).unwrap_err();
        assert!(
            err("-3", 0).contains("`-3` is negative"),
            "{}",
            err("-3", 0)
        );
        assert!(err("-1h", 0).contains("negative"));
        assert!(err("0", 1).contains("at least 1 minute"));
        assert!(err("0m", 1).contains("no time at all"));
        let long = err("18446744073709551616", 1);
        assert!(
            long.contains("`18446744073709551616` is too long"),
            "{long}"
        );
        assert!(long.contains("at most 4294967295 minutes"), "{long}");
        assert!(err("4294967296", 1).contains("too long"));
        assert_eq!(parse_minutes("4294967295", 1), Ok(u32::MAX));
    }

    #[test]
    fn integers_however_long() {
        assert_eq!(integer("+7"), Some(7));
        assert_eq!(integer("-5"), Some(-5));
        assert_eq!(integer("9".repeat(50).as_str()), Some(i128::MAX));
        assert_eq!(integer(&format!("-{}", "9".repeat(50))), Some(i128::MIN));
        assert_eq!(integer("1.5"), None);
        assert_eq!(integer("-"), None);
    }

    #[test]
    fn business_days_skip_weekends() {
        use jiff::civil::date;
        // Thursday 12 Nov 2026.
        let thursday = date(2026, 11, 12);
        assert_eq!(after_business_days(thursday, 1), date(2026, 11, 13));
        assert_eq!(after_business_days(thursday, 3), date(2026, 11, 17));
        assert_eq!(after_business_days(thursday, 5), date(2026, 11, 19));
        assert_eq!(after_business_days(thursday, 7), date(2026, 11, 23));
        // From a Saturday or a Sunday, as from the Friday before.
        assert_eq!(
            after_business_days(date(2026, 11, 14), 1),
            date(2026, 11, 16)
        );
        assert_eq!(
            after_business_days(date(2026, 11, 15), 5),
            date(2026, 11, 20)
        );
        let each: Vec<Date> = (1..=12).map(|n| after_business_days(thursday, n)).collect();
        let stepped: Vec<Date> = std::iter::successors(Some(thursday), |d| d.tomorrow().ok())
            .skip(1)
            .filter(|d| d.weekday().to_monday_one_offset() <= 5)
            .take(12)
            .collect();
        assert_eq!(each, stepped);
        assert_eq!(after_business_days(Date::MAX, 1000), Date::MAX);
    }

    #[test]
    fn minutes_read_naturally() {
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(90), "1 h 30 min");
        assert_eq!(format_minutes(60), "1 h");
    }
}
