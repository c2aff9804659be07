//! Dates and times as pages show them, written directly rather than through jiff's
//! `strftime`, which parses its format string on every call; show_date alone was about
//! 1% of a build's instructions. Tests compare both for every day of several years.

use jiff::civil::{Date, Time};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `d.strftime("%a %-d %b %Y")`: "Tue 24 Nov 2026".
pub(crate) fn day(d: Date) -> String {
    // Four-digit years only; jiff pads and signs the others its own way.
    if !(1000..=9999).contains(&d.year()) {
        return d.strftime("%a %-d %b %Y").to_string();
    }
    let weekday = WEEKDAYS[d.weekday().to_monday_zero_offset() as usize];
    let month = MONTHS[d.month() as usize - 1];
    // Pushed piece by piece: `format!` here costs more than the strftime it replaces.
    let mut text = String::with_capacity(16);
    text.push_str(weekday);
    text.push(' ');
    if d.day() >= 10 {
        push_digits(&mut text, d.day() as u16, 2);
    } else {
        push_digits(&mut text, d.day() as u16, 1);
    }
    text.push(' ');
    text.push_str(month);
    text.push(' ');
    push_digits(&mut text, d.year() as u16, 4);
    text
}

/// `t.strftime("%H:%M")`: "09:05".
pub(crate) fn clock(t: Time) -> String {
    let mut text = String::with_capacity(5);
    push_digits(&mut text, t.hour() as u16, 2);
    text.push(':');
    push_digits(&mut text, t.minute() as u16, 2);
    text
}

/// How far `d` is from `today`, in words: "today", "tomorrow", "in 3 days",
/// "2 weeks ago". Pages show it with the date itself on hover and on paper; it is
/// worked out at build time against the vault's today, so builds stay identical.
pub(crate) fn relative(today: Date, d: Date) -> String {
    let days = (d - today).get_days();
    let span = match days.unsigned_abs() {
        0 => return "today".into(),
        1 if days > 0 => return "tomorrow".into(),
        1 => return "yesterday".into(),
        n @ 2..=30 => format!("{n} days"),
        n @ 31..=89 => format!("{} weeks", n / 7),
        n @ 90..=729 => format!("{} months", n / 30),
        n => format!("{} years", n / 365),
    };
    if days > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// How a due date stands against `today`, in words: "19 days overdue", "due today",
/// "due in 3 days".
pub(crate) fn due(today: Date, d: Date) -> String {
    let days = (d - today).get_days();
    match days {
        0 => "due today".into(),
        1 => "due tomorrow".into(),
        d if d > 0 => format!("due {}", relative(today, today + jiff::Span::new().days(d))),
        -1 => "1 day overdue".into(),
        d => format!("{} days overdue", -d),
    }
}

/// Writes the last `width` decimal digits of `n`, zero-padded.
fn push_digits(text: &mut String, n: u16, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u16.pow(place)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_matches_strftime() {
        let mut d = jiff::civil::date(1999, 1, 1);
        while d.year() < 2032 {
            assert_eq!(day(d), d.strftime("%a %-d %b %Y").to_string());
            d = d.tomorrow().unwrap();
        }
        for d in [
            jiff::civil::date(999, 12, 31),
            jiff::civil::date(9999, 12, 31),
        ] {
            assert_eq!(day(d), d.strftime("%a %-d %b %Y").to_string());
        }
    }

    #[test]
    fn relative_days_read_as_words() {
        let today = jiff::civil::date(2026, 11, 23);
        let on = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(relative(today, today), "today");
        assert_eq!(relative(today, on(2026, 11, 24)), "tomorrow");
        assert_eq!(relative(today, on(2026, 11, 22)), "yesterday");
        assert_eq!(relative(today, on(2026, 11, 26)), "in 3 days");
        assert_eq!(relative(today, on(2026, 11, 4)), "19 days ago");
        assert_eq!(relative(today, on(2026, 12, 10)), "in 17 days");
        assert_eq!(relative(today, on(2027, 1, 4)), "in 6 weeks");
        assert_eq!(relative(today, on(2026, 2, 1)), "9 months ago");
        assert_eq!(relative(today, on(2029, 1, 1)), "in 2 years");
        assert_eq!(due(today, on(2026, 11, 4)), "19 days overdue");
        assert_eq!(due(today, on(2026, 11, 22)), "1 day overdue");
        assert_eq!(due(today, today), "due today");
        assert_eq!(due(today, on(2026, 11, 27)), "due in 4 days");
    }

    #[test]
    fn clock_matches_strftime() {
        for (h, m) in [(0, 0), (9, 5), (12, 30), (23, 59)] {
            let t = jiff::civil::time(h, m, 0, 0);
            assert_eq!(clock(t), t.strftime("%H:%M").to_string());
        }
    }
}
