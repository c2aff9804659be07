//! Dates, times and durations as the vault writes them.

use std::fmt;

use jiff::civil::{Date, DateTime, Time};
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

/// A date or time that does not read: what is wrong, and the fix when one is likely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BadDate {
    pub message: String,
    pub hint: Option<String>,
}

impl BadDate {
    fn new(message: String) -> BadDate {
        BadDate {
            message,
            hint: None,
        }
    }

    fn fix(mut self, hint: String) -> BadDate {
        self.hint = Some(hint);
        self
    }
}

impl fmt::Display for BadDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.hint {
            Some(hint) => write!(f, "{}; {hint}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Reads a day with an optional local time, as people write them: `2026-12-01`,
/// `2026-12-9`, `2026-12-01 10:00`, `2026-12-01T9:00`, `2026-12-01 10am`,
/// `2026-12-01 2:30 pm`. A form whose meaning is unclear (`12/09/2026`, `2026-12-01 10`)
/// is refused with the likely fix.
pub(crate) fn parse_when(text: &str) -> Result<When, BadDate> {
    let text = text.trim();
    let (day, time) = split(text);
    let date = parse_day(text, day)?;
    let time = time.map(|t| parse_time(text, day, t)).transpose()?;
    Ok(When { date, time })
}

/// The day and the time of `text`: the day is digits and separators, so the time
/// starts at the first space or `T`.
fn split(text: &str) -> (&str, Option<&str>) {
    match text.find(|c: char| c.is_whitespace() || c == 'T' || c == 't') {
        Some(at) => (&text[..at], Some(text[at + 1..].trim())),
        None => (text, None),
    }
}

/// Parses a plain date; a time of day is refused where only a day makes sense.
pub(crate) fn parse_date(text: &str) -> Result<Date, BadDate> {
    let when = parse_when(text)?;
    match when.time {
        None => Ok(when.date),
        Some(_) => Err(BadDate::new(format!(
            "`{}` has a time of day; write only the date, like 2026-12-01",
            text.trim()
        ))),
    }
}

/// The message for a date that does not read at all.
fn unreadable(text: &str) -> BadDate {
    BadDate::new(format!(
        "`{text}` is not a date; write it like 2026-12-01 or 2026-12-01 10:00"
    ))
}

/// The day of `day`, the first part of `text`: year-month-day, with one or two digits
/// for the month and day. Other orders and separators are refused, naming the ISO
/// date they likely mean.
fn parse_day(text: &str, day: &str) -> Result<Date, BadDate> {
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let number = |s: &str, most: usize| -> Option<i16> {
        let fits = !s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit());
        fits.then(|| s.parse().ok()).flatten()
    };
    let dashed = day.contains('-') && !day.contains(['/', '.']);
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (number(y, 4), number(m, 2), number(d, 2));
            let (Some(y), Some(m), Some(d)) = (y, m, d) else {
                return Err(unreadable(text));
            };
            let date = ymd(text, y, m, d)?;
            if dashed {
                return Ok(date);
            }
            Err(written_otherwise(text, &[date]))
        }
        [a, b, y] if y.len() == 4 => {
            let (Some(a), Some(b), Some(y)) = (number(a, 2), number(b, 2), number(y, 4)) else {
                return Err(unreadable(text));
            };
            let mut dates: Vec<Date> = [(a, b), (b, a)]
                .into_iter()
                .filter_map(|(m, d)| Date::new(y, m as i8, d as i8).ok())
                .collect();
            dates.dedup();
            Err(written_otherwise(text, &dates))
        }
        [whole] if whole.len() == 8 && whole.bytes().all(|b| b.is_ascii_digit()) => {
            let n = |r: std::ops::Range<usize>| number(&whole[r], 4).unwrap_or(0);
            match Date::new(n(0..4), n(4..6) as i8, n(6..8) as i8) {
                Ok(date) => Err(written_otherwise(text, &[date])),
                Err(_) => Err(unreadable(text)),
            }
        }
        _ => Err(unreadable(text)),
    }
}

/// `text` is a date written in another form than year-month-day: it names the dates
/// it may mean, in ISO form.
fn written_otherwise(text: &str, dates: &[Date]) -> BadDate {
    let bad = BadDate::new(format!(
        "`{text}` is not written as year-month-day with `-`, like 2026-12-01"
    ));
    match dates {
        [] => unreadable(text),
        [one] => bad.fix(format!("did you mean {}?", with_rest(text, *one))),
        [a, b] => bad.fix(format!(
            "did you mean {} or {}? the day and the month could be either way round",
            with_rest(text, *a),
            with_rest(text, *b)
        )),
        _ => bad,
    }
}

/// `date` in ISO form, followed by whatever followed the day in `text` (a time).
fn with_rest(text: &str, date: Date) -> String {
    match split(text).1 {
        Some(time) => format!("{date} {time}"),
        None => date.to_string(),
    }
}

/// The date `y-m-d`, or what is wrong with it in words: a month that does not exist,
/// or a day past the month's last.
fn ymd(text: &str, y: i16, m: i16, d: i16) -> Result<Date, BadDate> {
    if !(1..=12).contains(&m) {
        let bad = BadDate::new(format!(
            "`{text}` is not a date: there is no month {m} (dates are written year-month-day)"
        ));
        return Err(match Date::new(y, d as i8, m as i8) {
            Ok(swapped) => bad.fix(format!("did you mean {}?", with_rest(text, swapped))),
            Err(_) => bad,
        });
    }
    let first = Date::new(y, m as i8, 1).map_err(|_| unreadable(text))?;
    let last = first.days_in_month() as i16;
    if (1..=last).contains(&d) {
        return Date::new(y, m as i8, d as i8).map_err(|_| unreadable(text));
    }
    let month = first.strftime("%B").to_string();
    let why = match (d, m) {
        (0, _) => "days start at 1".to_string(),
        (_, 2) => format!("February {y} has {last} days"),
        _ => format!("{month} has {last} days"),
    };
    Err(BadDate::new(format!("`{text}` is not a date: {why}")))
}

/// The time of day `time`, the part of `text` after the day `day`: `9:00`, `09:00`,
/// `10:00:30`, `10am`, `2:30 pm`, `2:30 p.m.`.
fn parse_time(text: &str, day: &str, time: &str) -> Result<Time, BadDate> {
    let lower = time
        .to_ascii_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    let (clock, half) = match lower.strip_suffix("am").or(lower.strip_suffix("pm")) {
        Some(clock) => (clock.trim_end(), Some(lower.ends_with("pm"))),
        None => (lower.as_str(), None),
    };
    let unreadable = || {
        BadDate::new(format!(
            "`{text}` has a time that does not read (`{time}`); write it like \
             2026-12-01 10:00, 2026-12-01 9:30 or 2026-12-01 2:30 pm"
        ))
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let two_digits =
        |s: &&str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if fields.len() > 3 || !fields.iter().all(two_digits) {
        return Err(unreadable());
    }
    let n: Vec<i8> = fields.iter().map(|f| f.parse().unwrap_or(0)).collect();
    let (hour, minute, second) = (n[0], *n.get(1).unwrap_or(&0), *n.get(2).unwrap_or(&0));
    let suffix = match half {
        Some(true) => " pm",
        Some(false) => " am",
        None => "",
    };
    // `9:5` and a bare `10` could mean something else: name the likely one.
    let unclear = if fields.len() == 1 && half.is_none() {
        Some("an hour without minutes")
    } else if fields[1..].iter().any(|f| f.len() != 2) {
        Some("minutes written with one digit")
    } else {
        None
    };
    if let Some(unclear) = unclear {
        let bad = BadDate::new(format!("`{text}` has {unclear}"));
        return Err(bad.fix(format!("did you mean {day} {hour}:{minute:02}{suffix}?")));
    }
    let hour = match half {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => {
            return Err(BadDate::new(format!(
                "`{text}` is not a time: with am or pm, the hour goes from 1 to 12"
            )));
        }
        None => hour,
    };
    if hour > 23 || minute > 59 || second > 59 {
        let what = if hour > 23 {
            "hours go from 0 to 23"
        } else {
            "minutes go from 00 to 59"
        };
        return Err(BadDate::new(format!("`{text}` is not a time: {what}")));
    }
    Time::new(hour, minute, second, 0).map_err(|_| unreadable())
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
        let err = |text| parse_when(text).unwrap_err().to_string();
        assert!(
            err("2026-13-01").contains("no month 13"),
            "{}",
            err("2026-13-01")
        );
        assert_eq!(
            err("2026-02-30"),
            "`2026-02-30` is not a date: February 2026 has 28 days"
        );
        assert!(err("2026-11-31").ends_with("November has 30 days"));
        assert!(err("2026-12-00").contains("days start at 1"));
        assert!(parse_date("2026-02-01 10:00").is_err());
    }

    #[test]
    fn forgiving_dates_and_times() {
        let at = |text: &str| {
            let w = parse_when(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            format!(
                "{} {}",
                w.date,
                w.time.map_or("-".into(), |t| t.to_string())
            )
        };
        assert_eq!(at("2026-12-9"), "2026-12-09 -");
        assert_eq!(at("2026-1-9 9:00"), "2026-01-09 09:00:00");
        assert_eq!(at("2026-12-09T9:05"), "2026-12-09 09:05:00");
        assert_eq!(at("2026-12-09 10am"), "2026-12-09 10:00:00");
        assert_eq!(at("2026-12-09 2:30 pm"), "2026-12-09 14:30:00");
        assert_eq!(at("2026-12-09 12 a.m."), "2026-12-09 00:00:00");
        assert_eq!(at("2026-12-09 12PM"), "2026-12-09 12:00:00");
        assert_eq!(at("2026-12-09  10:00:30"), "2026-12-09 10:00:30");
        assert_eq!(at("2026-12-9T2:30 pm"), "2026-12-09 14:30:00");
    }

    #[test]
    fn unclear_dates_and_times_name_the_fix() {
        let hint = |text| parse_when(text).unwrap_err().hint.unwrap_or_default();
        assert_eq!(hint("2026/12/9"), "did you mean 2026-12-09?");
        assert_eq!(hint("20261209"), "did you mean 2026-12-09?");
        assert_eq!(hint("2026-25-12 10:00"), "did you mean 2026-12-25 10:00?");
        assert_eq!(hint("25/12/2026"), "did you mean 2026-12-25?");
        assert!(hint("12/09/2026").starts_with("did you mean 2026-12-09 or 2026-09-12?"));
        assert_eq!(hint("2026-12-09 10"), "did you mean 2026-12-09 10:00?");
        assert_eq!(hint("2026-12-09 9:5"), "did you mean 2026-12-09 9:05?");
        let err = |text| parse_when(text).unwrap_err().to_string();
        assert!(err("2026-12-09 13pm").contains("from 1 to 12"));
        assert!(err("2026-12-09 24:00").contains("hours go from 0 to 23"));
        assert!(err("2026-12-09 10:60").contains("minutes go from 00 to 59"));
        assert!(err("next tuesday").contains("is not a date"));
        assert!(err("2026-12-09 noon").contains("does not read (`noon`)"));
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
