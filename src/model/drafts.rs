//! Drafts you can send: a thank-you for each done chat without one, and an outreach
//! request for each prospect, filled from the vault through Tera templates the vault can
//! override (`templates/drafts/thank-you.md`, `templates/drafts/outreach.md`). Each is
//! made with its note's part of the agenda, so a rebuild makes it again when a fresh
//! build would differ.

use std::path::Path;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::Vault;
use crate::model::note::{Contact, Data, Interview, NoteId};

/// The draft templates' names, as the vault's `templates/` holds them.
pub(crate) const THANK_YOU: &str = "drafts/thank-you.md";
pub(crate) const OUTREACH: &str = "drafts/outreach.md";

/// The built-in draft templates.
const BUILTIN: [(&str, &str); 2] = [
    (
        THANK_YOU,
        include_str!("../../themes/default/templates/drafts/thank-you.md"),
    ),
    (
        OUTREACH,
        include_str!("../../themes/default/templates/drafts/outreach.md"),
    ),
];

/// What a thank-you draft marks where the specific thing they said goes.
pub(crate) const ADD_MARK: &str = "[ADD";

/// The draft templates, built in and the vault's own.
#[derive(Debug)]
pub(crate) struct Templates {
    tera: tera::Tera,
}

impl Default for Templates {
    fn default() -> Templates {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(Vec::<&'static str>::new());
        tera.add_raw_templates(BUILTIN)
            .expect("the built-in drafts compile (a unit test checks)");
        Templates { tera }
    }
}

impl Templates {
    /// The built-in templates, each replaced by the vault's `templates/drafts/` file of
    /// its name when there is one. A template that does not compile is an error.
    pub(crate) fn load(vault_root: &Path, diags: &mut Vec<Diagnostic>) -> Templates {
        let mut templates = Templates::default();
        for (name, _) in BUILTIN {
            let rel = Path::new("templates").join(name);
            let Ok(text) = std::fs::read_to_string(vault_root.join(&rel)) else {
                continue;
            };
            if let Err(e) = templates.tera.add_raw_template(name, &text) {
                diags.push(crate::render::theme::template_error(&e, "templates"));
            }
        }
        templates
    }

    /// The draft `name` renders to with `vars`: its first line `Subject: …` is the
    /// subject, the rest the body.
    fn render(&self, name: &str, vars: &Vars) -> Draft {
        let ctx = tera::Context::from_serialize(vars).unwrap_or_default();
        let text = match self.tera.render(name, &ctx) {
            Ok(text) => text,
            Err(e) => {
                let error = format!("the draft template templates/{name} failed: {e}");
                return Draft {
                    error: Some(error),
                    ..Draft::default()
                };
            }
        };
        let text = text.trim_start();
        let (subject, body) = match text.strip_prefix("Subject:") {
            Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
            None => ("", text),
        };
        Draft {
            subject: subject.trim().to_string(),
            body: body.trim().to_string(),
            error: None,
            own: false,
        }
    }
}

/// A message to send.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct Draft {
    pub subject: String,
    pub body: String,
    /// Why the template did not render, if it did not.
    pub error: Option<String>,
    /// Whether the body is the user's own, from their note, not the template's.
    pub own: bool,
}

impl Draft {
    /// How many words the body has.
    pub(crate) fn words(&self) -> usize {
        self.body.split_whitespace().count()
    }
}

/// What a draft template sees.
#[derive(Serialize, Default)]
struct Vars<'a> {
    name: &'a str,
    first_name: &'a str,
    title: Option<&'a str>,
    company: Option<&'a str>,
    referrer: Option<&'a str>,
    me: Me<'a>,
    chat: ChatVars,
    takeaways: Vec<String>,
}

#[derive(Serialize, Default)]
struct Me<'a> {
    name: &'a str,
    headline: Option<&'a str>,
    email: Option<&'a str>,
    /// The first sentence of the profile's pitch.
    pitch: Option<String>,
}

#[derive(Serialize, Default)]
struct ChatVars {
    date: Option<String>,
    day: Option<String>,
}

/// The thank-you draft for chat `id` with `contact`, when it is done and no thank-you
/// is recorded.
pub(crate) fn thank_you(
    vault: &Vault,
    id: NoteId,
    chat: &Interview,
    contact: Option<NoteId>,
) -> Option<Draft> {
    // A chat marked done but dated after today has not happened yet.
    let done = chat.status_on(vault.today) == crate::model::note::ChatStatus::Done
        && chat.when.is_none_or(|w| w.date <= vault.today);
    // A `thank_you` written, even one that did not read, says it was sent.
    let written = vault.notes[id].keys.iter().any(|(k, _)| k == "thank_you");
    if !done || written {
        return None;
    }
    let person = contact?;
    let mut vars = person_vars(vault, person, None);
    let date = chat.when.map(|w| w.date);
    vars.chat = ChatVars {
        date: date.map(|d| d.to_string()),
        day: date.map(crate::render::dates::day),
    };
    let body = vault.notes[id].source.body();
    vars.takeaways = takeaways(body);
    let draft = vault.drafts.render(THANK_YOU, &vars);
    Some(own_or(draft, section(body, "thank you")))
}

/// `draft` with the user's own text in place of its body, when they wrote one.
fn own_or(draft: Draft, own: Option<String>) -> Draft {
    match own {
        Some(body) => Draft {
            body,
            own: true,
            ..draft
        },
        None => draft,
    }
}

/// The outreach draft for contact `id`, when they are a prospect; `referrer` is who
/// pointed you to them.
pub(crate) fn outreach(
    vault: &Vault,
    id: NoteId,
    status: crate::model::note::ContactStatus,
    referrer: Option<NoteId>,
) -> Option<Draft> {
    if status != crate::model::note::ContactStatus::Prospect {
        return None;
    }
    let vars = person_vars(vault, id, referrer);
    let draft = vault.drafts.render(OUTREACH, &vars);
    Some(own_or(
        draft,
        section(vault.notes[id].source.body(), "outreach"),
    ))
}

/// The text of a body's section whose heading starts with `name` (lower case, `-` read
/// as a space), up to the next heading; `None` when there is none, or it is empty.
fn section(body: &str, name: &str) -> Option<String> {
    let mut text = Vec::new();
    let mut inside = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            if inside {
                break;
            }
            let heading = trimmed.trim_start_matches('#').trim().to_lowercase();
            inside = heading.replace('-', " ").starts_with(name);
            continue;
        }
        if inside {
            text.push(line);
        }
    }
    let text = text.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// What every draft says of the person and of you.
fn person_vars(vault: &Vault, person: NoteId, referrer: Option<NoteId>) -> Vars<'_> {
    let note = &vault.notes[person];
    let name = note.name.as_str();
    let contact: Option<&Contact> = match &note.data {
        Data::Contact(c) => Some(c),
        _ => None,
    };
    let company = contact.and_then(|c| c.company.as_ref()?.resolved);
    let me = vault.profile.map_or_else(Me::default, |p| {
        let profile = &vault.notes[p];
        let data = match &profile.data {
            Data::Profile(d) => Some(d),
            _ => None,
        };
        Me {
            name: &profile.name,
            headline: data.and_then(|d| d.headline.as_deref()),
            email: data.and_then(|d| d.email.as_deref()),
            pitch: first_sentence(profile.source.body()),
        }
    });
    Vars {
        name,
        first_name: name.split_whitespace().next().unwrap_or(name),
        title: contact.and_then(|c| c.title.as_deref()),
        company: company.map(|c| vault.notes[c].name.as_str()),
        referrer: referrer.map(|r| vault.notes[r].name.as_str()),
        me,
        ..Vars::default()
    }
}

/// The first sentence of a body's first paragraph, as plain text.
fn first_sentence(body: &str) -> Option<String> {
    let paragraph = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))?;
    let text = plain(&paragraph.split_whitespace().collect::<Vec<_>>().join(" "));
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    Some(text[..end].to_string())
}

/// The items of a body's "Takeaways" section (a heading that starts with
/// "Takeaway"), as plain text.
pub(crate) fn takeaways(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            let heading = trimmed.trim_start_matches('#').trim().to_lowercase();
            inside = heading.starts_with("takeaway");
            continue;
        }
        if !inside {
            continue;
        }
        let item = trimmed
            .strip_prefix(['-', '*', '+'])
            .or_else(|| {
                let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
                (digits.len() < trimmed.len()).then(|| digits.strip_prefix(['.', ')']))?
            })
            .map(str::trim);
        match item {
            Some(item) if !item.is_empty() => {
                out.push(plain(item).trim_end_matches('.').to_string())
            }
            // A wrapped item's next line.
            None if !trimmed.is_empty() && !out.is_empty() => {
                let last = out.last_mut().expect("not empty");
                last.push(' ');
                last.push_str(plain(trimmed).trim_end_matches('.'));
            }
            _ => {}
        }
    }
    out
}

/// Markdown as plain text: `[[Target|label]]` is its label, `[[Target]]` its target,
/// and emphasis and code marks go.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let link = &after[..end];
        out.push_str(link.rsplit('|').next().unwrap_or(link));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.replace(['*', '`'], "").replace("__", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takeaways_are_the_items_of_their_section_as_plain_text() {
        let body = "## Notes\n- not this\n\n## Takeaways\n1. Rewrite my *bullets* as\n   product outcomes.\n2. Ask [[Ruth Adebayo|Professor Adebayo]] for feedback.\n\n## Later\n- no\n";
        assert_eq!(
            takeaways(body),
            [
                "Rewrite my bullets as product outcomes",
                "Ask Professor Adebayo for feedback"
            ]
        );
    }

    #[test]
    fn the_built_in_drafts_compile() {
        let _ = Templates::default();
    }
}
