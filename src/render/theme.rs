//! The templates and static files a site is rendered with: the built-in theme, compiled
//! into the binary, overridden file by file by the vault's `templates/` and `static/`.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Pos};
use crate::render::{Contents, OutputFile};
use crate::rules::Rule;

/// Theme templates are registered under this prefix; Tera falls back to it when the vault
/// has no template of the plain name, and a vault template can extend `theme/NAME`.
const THEME_PREFIX: &str = "theme/";

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The built-in templates, by name.
pub(crate) const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "dashboard.html",
    "contact.html",
    "company.html",
    "briefing.html",
    "question-list.html",
    "bank.html",
    "note.html",
    "profile.html",
    "contacts.html",
    "companies.html",
    "interviews.html",
    "banks.html",
    "notes.html",
    "followups.html",
    "tags.html",
    "a-z.html",
    "not-talked-to.html",
    "no-thank-you.html",
    "not-contacted.html",
    "network.html",
    "partials/due.html",
    "partials/due-item.html",
    "partials/chats.html",
    "partials/chat-row.html",
    "partials/touchpoint-row.html",
    "partials/contact-row.html",
    "partials/backlinks.html",
    "partials/questions.html",
    "partials/introductions.html",
    "partials/owed.html",
    "partials/drafts.html",
    "partials/rhythm.html",
    "progress.html",
    "partials/sort.html",
);

/// The built-in static files, written under `static/` in the output.
pub(crate) const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// Compiled templates plus the static files to publish.
pub(crate) struct Theme {
    pub tera: tera::Tera,
    pub static_files: Vec<OutputFile>,
    /// A hash of the vault's own templates (names and text) and of the static files'
    /// paths: with the program itself, which holds the built-in theme, it says whether
    /// the same notes can make a different site.
    pub fingerprint: u64,
}

impl Theme {
    /// Loads the built-in theme, then the vault's theme folder `themes/NAME/` when the
    /// settings name one, then the vault's own `templates/` and `static/`; each layer
    /// overrides the one before file by file. Errors in the vault's templates come back
    /// as diagnostics pointing into the template file.
    pub(crate) fn load(vault_root: &Path, theme: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
        let layers: Vec<PathBuf> = match theme {
            Some(name) => {
                let dir = Path::new("themes").join(name);
                if !vault_root.join(&dir).is_dir() {
                    let message = format!("the theme folder `{}` does not exist", dir.display());
                    let d = Diagnostic::new(
                        Rule::InvalidValue,
                        Path::new(crate::model::settings::FILE_NAME),
                        Pos::FILE,
                        message,
                    );
                    return Err(vec![d]);
                }
                vec![dir, PathBuf::new()]
            }
            None => vec![PathBuf::new()],
        };
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(escape_html);
        tera.register_filter(
            "rows",
            |list: &[tera::Value], _: tera::Kwargs, _: &tera::State| rows(list),
        );
        // `{{ data.website | web_url }}`: the address to link to, or "" when the value
        // is not a web address (see README, "Template variables").
        tera.register_filter("web_url", |v: &str, _: tera::Kwargs, _: &tera::State| {
            let href = crate::render::autolink::web_href(v).unwrap_or_default();
            Ok::<_, tera::Error>(tera::Value::from(href))
        });
        tera.register_filter("tel_url", |v: &str, _: tera::Kwargs, _: &tera::State| {
            let href = crate::render::autolink::tel_href(v).unwrap_or_default();
            Ok::<_, tera::Error>(tera::Value::from(href))
        });
        tera.set_fallback_prefixes([THEME_PREFIX])
            .expect("a constant prefix is valid");
        let builtin = TEMPLATES
            .iter()
            .map(|(name, text)| (format!("{THEME_PREFIX}{name}"), *text));
        tera.add_raw_templates(builtin)
            .expect("the built-in templates compile (a unit test checks)");
        let mut files: Vec<OutputFile> = STATIC
            .iter()
            .map(|(name, bytes)| OutputFile {
                path: Path::new("static").join(name),
                contents: Contents::Bytes(bytes.to_vec()),
            })
            .collect();
        let mut fingerprint = crate::memo::hasher();
        for layer in &layers {
            add_templates(
                &mut tera,
                &mut fingerprint,
                vault_root,
                &layer.join("templates"),
            )?;
            add_static(&mut files, &vault_root.join(layer).join("static")).map_err(|d| vec![d])?;
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &files {
            f.path.hash(&mut fingerprint);
        }
        Ok(Theme {
            tera,
            static_files: files,
            fingerprint: fingerprint.finish(),
        })
    }
}

/// The `rows` filter: `{{ touchpoints | rows }}` is the list's rows as their partial
/// templates rendered them (each row's `html`), one after another. The same as
/// `{% for t in touchpoints %}{{ t.html }}{% endfor %}`, made in one step: Tera runs a
/// loop a row at a time, which took ~10 ms over the 25k rows of a 10k-note follow-up log.
fn rows(list: &[tera::Value]) -> tera::TeraResult<tera::Value> {
    let html = join_rows(list).ok_or_else(|| {
        tera::Error::message("the `rows` filter takes a list of rows, each with its `html`")
    })?;
    Ok(tera::Value::safe_string(&html))
}

/// The `html` of each of `rows`, one after another; `None` when a row has none. Sized
/// first: the follow-up log's rows come to megabytes at 10k notes, and a string grown by
/// doubling holds up to twice that while the page renders.
fn join_rows(rows: &[tera::Value]) -> Option<String> {
    let key = tera::value::Key::from("html");
    let htmls: Vec<&str> = rows
        .iter()
        .map(|row| row.as_map()?.get(&key)?.as_str())
        .collect::<Option<_>>()?;
    Some(htmls.concat())
}

/// Escapes text for HTML exactly as Tera's default does (`&`, `<`, `>`, `"`, `'`), but
/// writes the runs between those bytes whole: Tera's own writes every byte through its
/// `dyn Write` one call at a time, which was about a tenth of a build's instructions.
pub(crate) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Adds the `.html` templates of one vault folder, overriding earlier ones of that name.
fn add_templates(
    tera: &mut tera::Tera,
    hash: &mut impl std::hash::Hasher,
    vault_root: &Path,
    folder: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let mut templates = Vec::new();
    for (rel, path) in read_tree(&vault_root.join(folder)).map_err(|d| vec![d])? {
        if rel.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                let file = folder.join(&rel);
                vec![Diagnostic::new(
                    Rule::Unreadable,
                    &file,
                    Pos::FILE,
                    format!("cannot read this template: {e}"),
                )]
            })?;
            let name = url_name(&rel);
            (&name, &text).hash(hash);
            templates.push((name, text));
        }
    }
    if templates.is_empty() {
        return Ok(());
    }
    tera.add_raw_templates(templates)
        .map_err(|e| vec![template_error(&e, &folder.to_string_lossy())])
}

/// Adds the files below `dir` to the published static files; a later layer wins.
fn add_static(files: &mut Vec<OutputFile>, dir: &Path) -> Result<(), Diagnostic> {
    for (rel, path) in read_tree(dir)? {
        let out = Path::new("static").join(&rel);
        files.retain(|f| f.path != out);
        files.push(OutputFile {
            path: out,
            contents: Contents::Copy(path),
        });
    }
    Ok(())
}

/// Every non-hidden file below `dir` (none if it does not exist), relative to it.
fn read_tree(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, Diagnostic> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            Diagnostic::new(
                Rule::Unreadable,
                dir,
                Pos::FILE,
                format!("cannot read: {e}"),
            )
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.push((rel.to_path_buf(), entry.path().to_path_buf()));
        }
    }
    Ok(out)
}

/// A template name as Tera knows it: a relative path with `/`.
fn url_name(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Turns a Tera error into a diagnostic pointing into the vault's template file.
pub(crate) fn template_error(e: &tera::Error, folder: &str) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let name = r.filename().trim_start_matches(THEME_PREFIX);
            let file = if r.filename().starts_with(THEME_PREFIX) {
                Path::new("(built-in theme)").join(name)
            } else {
                Path::new(folder).join(name)
            };
            let span = r.span();
            let pos = Pos::new(
                span.start_line as u32,
                span.start_col as u32 + 1,
                span.range.len() as u32,
            );
            Diagnostic::new(Rule::Template, &file, pos, r.message().to_string())
        }
        _ => Diagnostic::new(Rule::Template, Path::new(folder), Pos::FILE, first_line(e)),
    }
}

fn first_line(e: &tera::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaping matches Tera's own byte for byte.
    #[test]
    fn escape_html_matches_tera() {
        for text in ["", "plain", "O'Brien & <Co> \"x\"", "&&", "é<ü>'", "end&"] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn built_in_templates_compile() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Theme::load(dir.path(), None).is_ok());
    }
}
