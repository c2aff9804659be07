//! `coffeechat.yaml`: the vault's optional settings.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::time::parse_minutes;
use crate::rules::Rule;
use crate::yaml::{self, Fields, Node, Text};

pub(crate) const FILE_NAME: &str = "coffeechat.yaml";

const KNOWN: &[&str] = &[
    "title",
    "output",
    "theme",
    "paper",
    "timezone",
    "default_duration",
    "thank_you_within",
    "stay_in_touch",
    "outreach_nudge",
    "outreach_follow_up",
    "referral_reach_out",
    "report_back",
    "weekly_goal",
    "not_talked_to",
    "lint",
];

/// Settings of the `check` rules.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Lint {
    /// Warning rules turned off (named like `salary-question`).
    pub off: Vec<Rule>,
    /// Extra phrases that make a question one asking for a job.
    pub job_phrases: Vec<String>,
    /// Extra phrases that make a question one about pay.
    pub salary_phrases: Vec<String>,
}

/// Paper size the briefing is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    Letter,
    A4,
}

/// The vault's settings, with defaults filled in.
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    pub title: String,
    /// Output folder, relative to the vault unless absolute.
    pub output: PathBuf,
    /// Name of a theme folder under the vault's `themes/`, layered over the built-in one.
    pub theme: Option<String>,
    pub paper: Paper,
    /// IANA time zone name, used for the calendar and for "today".
    pub timezone: Option<String>,
    pub default_duration: u32,
    pub thank_you_within: u32,
    pub stay_in_touch: u32,
    /// Business days after an unanswered outreach to try someone else at the company.
    pub outreach_nudge: u32,
    /// Business days after an unanswered outreach to send a short follow-up.
    pub outreach_follow_up: u32,
    /// Days after a name is given to reach out to them.
    pub referral_reach_out: u32,
    /// Days after meeting someone to tell the person who referred you how it went.
    pub report_back: u32,
    /// Chats a week the Progress page and the dashboard measure against.
    pub weekly_goal: u32,
    /// Minutes since the last touch after which a contact is listed on the "not talked
    /// to" page.
    pub not_talked_to: u32,
    pub lint: Lint,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: "Coffee chats".into(),
            output: PathBuf::from("public"),
            theme: None,
            paper: Paper::Letter,
            timezone: None,
            default_duration: 30,
            thank_you_within: 24 * 60,
            stay_in_touch: 90 * 24 * 60,
            outreach_nudge: 3,
            outreach_follow_up: 7,
            referral_reach_out: 3,
            report_back: 2,
            weekly_goal: 2,
            not_talked_to: 90 * 24 * 60,
            lint: Lint::default(),
        }
    }
}

impl Settings {
    /// Reads `coffeechat.yaml` from `vault` if there is one. Problems are reported and
    /// the default is kept for the field concerned. Returns the text for snippets.
    pub fn load(vault: &Path, diags: &mut Vec<Diagnostic>) -> (Settings, Option<String>) {
        let path = vault.join(FILE_NAME);
        let rel = Path::new(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Settings::default(), None);
            }
            Err(e) => {
                diags.push(Diagnostic::new(
                    Rule::Unreadable,
                    rel,
                    crate::diag::Pos::FILE,
                    format!("cannot read the settings: {e}"),
                ));
                return (Settings::default(), None);
            }
        };
        let settings = match yaml::parse(&text, rel, 1) {
            Ok(node) => Fields::new(&node, rel, "the settings file", diags)
                .map(read)
                .unwrap_or_default(),
            Err(d) => {
                diags.push(d);
                Settings::default()
            }
        };
        (settings, Some(text))
    }
}

fn read(mut f: Fields) -> Settings {
    let mut s = Settings::default();
    if let Some(t) = f.text("title") {
        s.title = t.value;
    }
    if let Some(t) = f.text("output") {
        s.output = PathBuf::from(t.value);
    }
    if let Some(t) = f.text("theme") {
        // A theme is a folder of the vault's `themes/`: a path that leaves it would
        // copy files from elsewhere on the disk into the site.
        let mut parts = std::path::Path::new(&t.value).components();
        match (parts.next(), parts.next()) {
            (Some(std::path::Component::Normal(_)), None) => s.theme = Some(t.value),
            _ => {
                let message = format!(
                    "`{}` is not a theme name: a theme is a folder in the vault's `themes/`, \
                     named without a path (`theme: compact` for `themes/compact/`)",
                    t.value
                );
                bad(&mut f, &t, &message)
            }
        }
    }
    if let Some(t) = f.text("paper") {
        match t.value.to_ascii_lowercase().as_str() {
            "letter" => s.paper = Paper::Letter,
            "a4" => s.paper = Paper::A4,
            _ => {
                let message = format!("`{}` is not a paper size; use `letter` or `a4`", t.value);
                bad(&mut f, &t, &message)
            }
        }
    }
    if let Some(t) = f.text("timezone") {
        match jiff::tz::TimeZone::get(&t.value) {
            Ok(_) => s.timezone = Some(t.value),
            Err(_) => bad(
                &mut f,
                &t,
                "not a known IANA time zone, such as Europe/Paris",
            ),
        }
    }
    // A thank-you may be due as soon as the chat ends; a chat and a cadence take time.
    minutes(&mut f, "default_duration", 1, &mut s.default_duration);
    minutes(&mut f, "thank_you_within", 0, &mut s.thank_you_within);
    minutes(&mut f, "stay_in_touch", 1, &mut s.stay_in_touch);
    minutes(&mut f, "not_talked_to", 1, &mut s.not_talked_to);
    business_days(&mut f, "outreach_nudge", &mut s.outreach_nudge);
    business_days(&mut f, "outreach_follow_up", &mut s.outreach_follow_up);
    count(
        &mut f,
        "referral_reach_out",
        "days",
        &mut s.referral_reach_out,
    );
    count(&mut f, "report_back", "days", &mut s.report_back);
    count(&mut f, "weekly_goal", "chats a week", &mut s.weekly_goal);
    if let Some(node) = f.node("lint") {
        s.lint = lint(&mut f, node);
    }
    f.finish(KNOWN);
    s
}

fn lint(f: &mut Fields, node: &Node) -> Lint {
    let mut diags = Vec::new();
    let mut lint = Lint::default();
    if let Some(mut l) = Fields::new(node, f.file(), "`lint`", &mut diags) {
        let warnings: Vec<&str> = crate::rules::warnings().map(|e| e.name).collect();
        for name in l.text_list("off") {
            match crate::rules::warnings().find(|e| e.name == name.value) {
                Some(e) => lint.off.push(e.rule),
                None => {
                    let mut d = Diagnostic::new(
                        Rule::UnknownField,
                        l.file(),
                        name.pos,
                        format!("there is no warning rule `{}` to turn off", name.value),
                    );
                    if let Some(best) = yaml::did_you_mean(&name.value, &warnings) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    l.report(d);
                }
            }
        }
        lint.job_phrases = l
            .text_list("job_phrases")
            .into_iter()
            .map(|t| t.value)
            .collect();
        lint.salary_phrases = l
            .text_list("salary_phrases")
            .into_iter()
            .map(|t| t.value)
            .collect();
        l.finish(&["off", "job_phrases", "salary_phrases"]);
    }
    diags.into_iter().for_each(|d| f.report(d));
    lint
}

fn minutes(f: &mut Fields, key: &'static str, least: u32, slot: &mut u32) {
    if let Some(t) = f.text(key) {
        match parse_minutes(&t.value, least) {
            Ok(m) => *slot = m,
            Err(e) => bad(f, &t, &e),
        }
    }
}

/// The most business days a wait may be: about four years.
const MOST_BUSINESS_DAYS: u32 = 1000;

/// A number of business days (Monday to Friday), from 1.
fn business_days(f: &mut Fields, key: &'static str, slot: &mut u32) {
    let Some(t) = f.text(key) else { return };
    let text = t.value.trim();
    match crate::model::time::integer(text).map(u32::try_from) {
        Some(Ok(n)) if (1..=MOST_BUSINESS_DAYS).contains(&n) => *slot = n,
        _ => {
            let message = format!(
                "`{text}` is not a number of business days; write a whole number from 1 to \
                 {MOST_BUSINESS_DAYS}, like 3 (Monday to Friday count, weekends do not)"
            );
            bad(f, &t, &message)
        }
    }
}

/// A whole number from 0 to [`MOST_BUSINESS_DAYS`] of `what` (days, chats a week).
fn count(f: &mut Fields, key: &'static str, what: &str, slot: &mut u32) {
    let Some(t) = f.text(key) else { return };
    let text = t.value.trim();
    match crate::model::time::integer(text).map(u32::try_from) {
        Some(Ok(n)) if n <= MOST_BUSINESS_DAYS => *slot = n,
        _ => {
            let message = format!(
                "`{text}` is not a number of {what}; write a whole number from 0 to \
                 {MOST_BUSINESS_DAYS}, like 3"
            );
            bad(f, &t, &message)
        }
    }
}

fn bad(f: &mut Fields, t: &Text, message: &str) {
    let d = Diagnostic::new(Rule::InvalidValue, f.file(), t.pos, message.to_string());
    f.report(d);
}
