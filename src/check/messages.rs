//! Lint rules over the messages you send: the drafts coffeechat writes, or your own
//! text when a note has it (a chat's "Thank-you" section, a contact's "Outreach").
//! Career guides agree: a thank-you names one specific thing they said, goes out
//! within a day and asks for nothing; an outreach request is short and asks for
//! advice, not a job.

use crate::diag::{Diagnostic, Pos};
use crate::model::Vault;
use crate::model::agenda::Agenda;
use crate::model::drafts::{ADD_MARK, Draft};
use crate::model::note::{Interview, Note, NoteId};
use crate::rules::Rule;

/// The most words an outreach request should have.
pub(crate) const OUTREACH_WORDS: usize = 100;

/// Words that mention a résumé or an attachment, which a thank-you should not carry.
const RESUME_WORDS: &[&str] = &[
    "résumé",
    "resume",
    "cv",
    "attached",
    "attachment",
    "attaching",
];

/// The rules over chat `id`'s thank-you: late, and, while it is a draft to send, not
/// specific or asking for something.
pub(super) fn thank_you(
    vault: &Vault,
    agenda: &Agenda,
    job: &[String],
    id: NoteId,
    chat: &Interview,
    out: &mut Vec<Diagnostic>,
) {
    let note = &vault.notes[id];
    let Some(facts) = agenda.chats[id].as_ref() else {
        return;
    };
    if let (Some(sent), Some(due)) = (chat.thank_you, facts.thank_you_due)
        && sent > due
    {
        let days = (sent - due).get_days();
        let d = Diagnostic::new(
            Rule::ThankYouLate,
            &note.source.rel,
            note.pos_of("thank_you"),
            format!(
                "the thank-you went out on {sent}, {} after it was due ({due})",
                crate::diag::plural(days.max(1) as usize, "day")
            ),
        );
        out.push(d.with_hint(
            "a thank-you within a day is remembered; next time send it the same evening",
        ));
    }
    let Some(draft) = &facts.thank_you_draft else {
        return;
    };
    if let Some(d) = failed(note, draft) {
        out.push(d);
        return;
    }
    let (rel, at) = (&note.source.rel, message_pos(note, draft, "thank-you"));
    let takeaways = crate::model::drafts::takeaways(note.source.body());
    if !specific(draft, &takeaways) {
        let d = Diagnostic::new(
            Rule::ThankYouNotSpecific,
            rel,
            at,
            "the thank-you names nothing specific from the chat",
        );
        out.push(d.with_hint(
            "name one thing they said and what you will do with it: add a `## Takeaways` \
             list to the chat's notes (the draft quotes the first), or quote their advice",
        ));
    }
    let lower = draft.body.to_lowercase();
    let asks = mentions_resume(&lower).or_else(|| asks_for_job(&lower, job));
    if let Some(what) = asks {
        let d = Diagnostic::new(Rule::ThankYouAsks, rel, at, format!("the thank-you {what}"));
        out.push(d.with_hint(
            "a thank-you thanks; leave the résumé and the job for later, when they offer",
        ));
    }
}

/// The rules over contact `id`'s outreach request, while they are a prospect.
pub(super) fn outreach(
    vault: &Vault,
    agenda: &Agenda,
    job: &[String],
    id: NoteId,
    out: &mut Vec<Diagnostic>,
) {
    let note = &vault.notes[id];
    let Some(draft) = agenda.contacts[id]
        .as_ref()
        .and_then(|f| f.outreach_draft.as_ref())
    else {
        return;
    };
    if let Some(d) = failed(note, draft) {
        out.push(d);
        return;
    }
    let (rel, at) = (&note.source.rel, message_pos(note, draft, "outreach"));
    let words = draft.words();
    if words > OUTREACH_WORDS {
        let d = Diagnostic::new(
            Rule::OutreachTooLong,
            rel,
            at,
            format!("the outreach request is {words} words; keep it under {OUTREACH_WORDS}"),
        );
        out.push(d.with_hint(
            "say who you are, who sent you, and the one thing you ask for: 20 minutes of advice",
        ));
    }
    if let Some(what) = asks_for_job(&draft.body.to_lowercase(), job) {
        let d = Diagnostic::new(
            Rule::OutreachAsksForJob,
            rel,
            at,
            format!("the outreach request {what}"),
        );
        out.push(d.with_hint("ask for information and advice, not a job: people say yes to that"));
    }
}

/// The error for a draft whose template failed, which the page cannot show.
fn failed(note: &Note, draft: &Draft) -> Option<Diagnostic> {
    let error = draft.error.as_ref()?;
    Some(Diagnostic::new(
        Rule::Template,
        &note.source.rel,
        Pos::FILE,
        error.clone(),
    ))
}

/// Where a message's warnings point: the heading of the user's own text in the note,
/// else the note's name (or, for a chat, its `with`).
fn message_pos(note: &Note, draft: &Draft, heading: &str) -> Pos {
    if draft.own {
        // The heading is in the body, after the front matter's two `---` lines.
        let mut fences = 0;
        let found = note.source.text.lines().position(|l| {
            let l = l.trim();
            fences += usize::from(l == "---");
            let title = l
                .trim_start_matches('#')
                .trim()
                .to_lowercase()
                .replace('-', " ");
            fences >= 2 && l.starts_with('#') && title.starts_with(&heading.replace('-', " "))
        });
        if let Some(i) = found {
            return Pos::new(i as u32 + 1, 1, 1);
        }
    }
    match note.keys.iter().any(|(k, _)| k == "with") {
        true => note.pos_of("with"),
        false => note.pos_of("name"),
    }
}

/// Whether a thank-you names something from the chat: one of its takeaways, or words
/// in quotation marks; never one that still has the draft's mark of where to add it.
fn specific(draft: &Draft, takeaways: &[String]) -> bool {
    if draft.body.contains(ADD_MARK) {
        return false;
    }
    let lower = draft.body.to_lowercase();
    let quoted = ['“', '"'].iter().any(|&q| lower.matches(q).count() >= 2) || lower.contains('“');
    quoted
        || takeaways
            .iter()
            .any(|t| !t.is_empty() && lower.contains(&t.to_lowercase()))
}

/// What a message says of a résumé, if it mentions one.
fn mentions_resume(lower: &str) -> Option<String> {
    let words = lower.split(|c: char| !c.is_alphanumeric() && c != 'é');
    let word = words.into_iter().find(|w| RESUME_WORDS.contains(w))?;
    Some(format!("mentions a résumé or attachment (“{word}”)"))
}

/// What a message says that asks for a job, if it does.
fn asks_for_job(lower: &str, job: &[String]) -> Option<String> {
    let phrase = job.iter().find(|p| lower.contains(p.as_str()))?;
    Some(format!("asks for a job (“{phrase}”)"))
}
