//! Every rule a diagnostic can name, in one registry: its name, its severity, whether it
//! is on by default, and what it finds. It depends on nothing, so every stage can name
//! its rules here; the settings check `lint.off` against it, and the README's table of
//! rules follows it.

/// How bad a problem is. Errors stop the build; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build; cannot be turned off.
    Error,
    /// Reported; the build goes on. `lint.off` can turn it off.
    Warning,
}

/// A rule, as diagnostics name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Unreadable,
    TooLarge,
    NotUtf8,
    UnclosedFrontMatter,
    YamlSyntax,
    WrongType,
    MissingField,
    MisspelledField,
    InvalidValue,
    UnknownReference,
    AmbiguousReference,
    WrongKind,
    DuplicateSlug,
    DuplicateProfile,
    Template,
    UnknownField,
    UnresolvedLink,
    AmbiguousLink,
    EmbedLoop,
    DuplicateBlockId,
    RemoteResource,
    UnclosedComment,
    ClosedQuestion,
    JobQuestion,
    SalaryQuestion,
    OverTime,
    ThankYouOverdue,
    FollowUpOverdue,
    BriefingTooLong,
    NoObjectives,
    ChatStatusStale,
    ContactStatusBehind,
    NoReply,
    IntroductionOverdue,
    ThankYouNotSpecific,
    ThankYouAsks,
    ThankYouLate,
    OutreachTooLong,
    OutreachAsksForJob,
    IntroductionLoop,
    DuplicateName,
    SymlinkLoop,
    LinkOutsideVault,
}

/// One rule's entry in the registry.
pub struct Entry {
    pub rule: Rule,
    /// The name diagnostics print and `lint.off` takes.
    pub name: &'static str,
    pub severity: Severity,
    /// Whether the rule runs unless the settings turn it off (warnings only).
    pub on: bool,
    /// What it finds, in a line.
    pub doc: &'static str,
}

use Rule::*;
use Severity::{Error, Warning};

/// The registry, in [`Rule`] order.
const REGISTRY: &[Entry] = &[
    entry(
        Unreadable,
        "unreadable",
        Error,
        "a file or folder cannot be read",
    ),
    entry(TooLarge, "too-large", Error, "a note is too large to read"),
    entry(NotUtf8, "not-utf8", Error, "a note that is not UTF-8 text"),
    entry(
        UnclosedFrontMatter,
        "unclosed-front-matter",
        Error,
        "front matter without its closing `---`",
    ),
    entry(
        YamlSyntax,
        "yaml-syntax",
        Error,
        "front matter that is not valid YAML",
    ),
    entry(
        WrongType,
        "wrong-type",
        Error,
        "a field of the wrong type, like a list where text belongs",
    ),
    entry(
        MissingField,
        "missing-field",
        Error,
        "a field the note needs is missing",
    ),
    entry(
        MisspelledField,
        "misspelled-field",
        Error,
        "a misspelling of a field that sets a question's order or time",
    ),
    entry(
        InvalidValue,
        "invalid-value",
        Error,
        "a value out of its range, or a date or duration that does not read",
    ),
    entry(
        UnknownReference,
        "unknown-reference",
        Error,
        "a reference names no note or question",
    ),
    entry(
        AmbiguousReference,
        "ambiguous-reference",
        Error,
        "a reference could mean several notes",
    ),
    entry(
        WrongKind,
        "wrong-kind",
        Error,
        "a reference finds a note of another kind",
    ),
    entry(
        DuplicateSlug,
        "duplicate-slug",
        Error,
        "two notes of a kind would write the same page",
    ),
    entry(
        DuplicateProfile,
        "duplicate-profile",
        Error,
        "more than one profile note",
    ),
    entry(
        Template,
        "template",
        Error,
        "a template that does not compile or render",
    ),
    entry(
        UnknownField,
        "unknown-field",
        Warning,
        "a field coffeechat does not know, likely a typo",
    ),
    entry(
        UnresolvedLink,
        "unresolved-link",
        Warning,
        "a body link that finds no note or file",
    ),
    entry(
        AmbiguousLink,
        "ambiguous-link",
        Warning,
        "a body link whose name fits several notes; it goes to the nearest",
    ),
    entry(
        EmbedLoop,
        "embed-loop",
        Warning,
        "an embed that would show a note inside itself; it is shown as a link",
    ),
    entry(
        DuplicateBlockId,
        "duplicate-block-id",
        Warning,
        "a block id (`^id`) a note gives twice; links and embeds find the first block",
    ),
    entry(
        RemoteResource,
        "remote-resource",
        Warning,
        "a body image or media that would load from the web; the page links to it instead",
    ),
    entry(
        UnclosedComment,
        "unclosed-comment",
        Warning,
        "a `%%` comment that is never closed, which hides the rest of the note",
    ),
    entry(
        ClosedQuestion,
        "closed-question",
        Warning,
        "a yes/no question, which ends a conversation",
    ),
    entry(
        JobQuestion,
        "job-question",
        Warning,
        "a question that asks for a job",
    ),
    entry(
        SalaryQuestion,
        "salary-question",
        Warning,
        "a question about pay",
    ),
    entry(
        OverTime,
        "over-time",
        Warning,
        "a chat's questions take longer than the chat",
    ),
    entry(
        ThankYouOverdue,
        "thank-you-overdue",
        Warning,
        "a thank-you not sent in time",
    ),
    entry(
        FollowUpOverdue,
        "follow-up-overdue",
        Warning,
        "a follow-up, action or stay-in-touch past due",
    ),
    entry(
        BriefingTooLong,
        "briefing-too-long",
        Warning,
        "a briefing whose prep will not fit one printed page",
    ),
    entry(
        NoObjectives,
        "no-objectives",
        Warning,
        "a coming chat with no objectives",
    ),
    entry(
        ChatStatusStale,
        "chat-status-stale",
        Warning,
        "a chat whose day has passed but whose status still says it is to come",
    ),
    entry(
        ContactStatusBehind,
        "contact-status-behind",
        Warning,
        "a contact whose status says less than what happened, like `prospect` after a done chat",
    ),
    entry(
        NoReply,
        "no-reply",
        Warning,
        "an outreach no one answered: time to try someone else, or to follow up",
    ),
    entry(
        IntroductionOverdue,
        "introduction-overdue",
        Warning,
        "a name you were given and have not reached out to, or a referrer not told how it went, past due",
    ),
    entry(
        ThankYouNotSpecific,
        "thank-you-not-specific",
        Warning,
        "a thank-you (the draft, or your own) that names nothing specific from the chat",
    ),
    entry(
        ThankYouAsks,
        "thank-you-asks",
        Warning,
        "a thank-you that mentions a résumé or CV, or asks for a job",
    ),
    entry(
        ThankYouLate,
        "thank-you-late",
        Warning,
        "a thank-you sent later than `thank_you_within` after the chat",
    ),
    entry(
        OutreachTooLong,
        "outreach-too-long",
        Warning,
        "an outreach request (the draft, or your own) over 100 words",
    ),
    entry(
        OutreachAsksForJob,
        "outreach-asks-for-job",
        Warning,
        "an outreach request that asks for a job",
    ),
    entry(
        IntroductionLoop,
        "introduction-loop",
        Warning,
        "a contact introduced by itself, or introductions that go round in a circle",
    ),
    entry(
        DuplicateName,
        "duplicate-name",
        Warning,
        "two contacts or two companies with the same name or alias",
    ),
    entry(
        SymlinkLoop,
        "symlink-loop",
        Warning,
        "a symbolic link that loops, skipped",
    ),
    entry(
        LinkOutsideVault,
        "link-outside-vault",
        Warning,
        "a symbolic link out of the vault, skipped",
    ),
];

const fn entry(rule: Rule, name: &'static str, severity: Severity, doc: &'static str) -> Entry {
    Entry {
        rule,
        name,
        severity,
        on: true,
        doc,
    }
}

impl Rule {
    /// The rule's entry in the registry.
    pub fn entry(self) -> &'static Entry {
        &REGISTRY[self as usize]
    }

    /// The name diagnostics print and `lint.off` takes.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    pub fn severity(self) -> Severity {
        self.entry().severity
    }
}

impl serde::Serialize for Rule {
    /// As its name.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The rules the settings can turn off: the warnings.
pub(crate) fn warnings() -> impl Iterator<Item = &'static Entry> {
    REGISTRY.iter().filter(|e| e.severity == Warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_in_rule_order_with_one_name_each() {
        for (i, e) in REGISTRY.iter().enumerate() {
            assert_eq!(e.rule as usize, i, "{} is out of place", e.name);
        }
        let mut names: Vec<&str> = REGISTRY.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REGISTRY.len());
    }
}
