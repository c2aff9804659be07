//! A vault's own `templates/` override the built-in theme file by file.

mod common;

use std::fs;

use common::*;

const ADA: &str =
    "---\nname: Ada Lovelace\ntitle: Analyst of Engines\n---\nShe wrote the first program.\n";

#[test]
fn a_template_extending_the_theme_changes_the_contact_page() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        (
            "templates/contact.html",
            "{% extends \"theme/contact.html\" %}\n\
             {% block content %}<p class=\"mine\">My card for {{ note.name }}</p>{{ super() }}{% endblock content %}\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (_, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    let text = visible_text(&html);
    assert_contains(&text, "My card for Ada Lovelace");
    // The rest of the built-in page is still there.
    assert_contains(&text, "Analyst of Engines");
    assert_contains(&text, "She wrote the first program.");
    // Other pages are unaffected.
    assert_not_contains(&page(&out, "index.html"), "My card for");
}

#[test]
fn a_template_replacing_the_whole_file_changes_the_contact_page() {
    let replacement = "<!DOCTYPE html>\n<html><body><h1>Just {{ note.name }}</h1></body></html>\n";
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        ("templates/contact.html", replacement),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (_, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    assert_eq!(
        visible_text(&html),
        "Just Ada Lovelace",
        "the page is not the vault's template: {html}"
    );
    // The theme's stylesheet and other pages still come from the theme.
    assert!(visible_text(&page(&out, "contacts.html")).contains("Ada Lovelace"));
}

#[test]
fn a_template_with_a_syntax_error_fails_naming_file_and_line() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        (
            "templates/contact.html",
            "<html>\n<body>\n<h1>{{ note.name </h1>\n</body>\n</html>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/contact.html:3");
    assert!(!out.exists(), "a site was written");
}

#[test]
fn a_template_syntax_error_keeps_the_previous_site() {
    let (tmp, vault) = vault(&[("contacts/ada.md", ADA)]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    write(
        &vault,
        "templates/contact.html",
        b"{% extends \"theme/contact.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    );
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/contact.html:3");
    assert_eq!(before, snapshot(&out, &[]));
    // Fix the template: the next build uses it.
    fs::write(
        vault.join("templates/contact.html"),
        "<p>Fixed {{ note.name }}</p>",
    )
    .unwrap();
    build_ok(&vault, &out);
    let (_, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    assert_eq!(visible_text(&html), "Fixed Ada Lovelace");
}

#[test]
fn a_template_using_an_unknown_variable_fails_naming_file_and_line() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        (
            "templates/contact.html",
            "<html>\n<body>\n\n<p>{{ no_such_variable.field }}</p>\n</body></html>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/contact.html:4");
    assert_contains(&err, "no_such_variable");
}

/// A row partial is rendered on its own, outside its page: its errors still fail the
/// build, naming the partial and its line.
#[test]
fn an_error_in_a_row_partial_fails_naming_file_and_line() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        (
            "templates/partials/contact-row.html",
            "<tr>\n<td>{{ c.nosuch.deeper }}</td>\n</tr>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/partials/contact-row.html:2");
    assert!(!out.exists(), "a site was written");
}

/// `rows` lays out a list's rendered rows, in a theme's own page too.
#[test]
fn the_rows_filter_lays_out_a_lists_rows() {
    let rows = "<ul>\n{{ contacts | rows }}\n</ul>\n";
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        ("templates/contacts.html", rows),
        (
            "templates/partials/contact-row.html",
            "<li class=\"mine\">{{ c.link.name }}, {{ c.title }}</li>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert_eq!(
        page(&out, "contacts.html"),
        "<ul>\n<li class=\"mine\">Ada Lovelace, Analyst of Engines</li>\n\n</ul>\n"
    );
}

#[test]
fn the_rows_filter_over_a_list_without_rows_fails_naming_file_and_line() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", ADA),
        (
            "templates/contact.html",
            "<html>\n<body>\n{{ [note] | rows }}\n</body></html>\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/contact.html:3");
    assert_contains(&err, "a list of rows, each with its `html`");
}

/// A theme is a folder of the vault's `themes/`: a path that leaves the vault would
/// copy files from elsewhere into the site.
#[test]
fn a_theme_named_by_a_path_out_of_the_vault_is_refused() {
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada\n---\n")]);
    let elsewhere = tmp.path().join("elsewhere");
    write(&elsewhere, "static/secret.txt", b"not for the site");
    write(&vault, "themes/mine/static/extra.css", b"p {}");
    let out = tmp.path().join("site");
    for theme in [
        elsewhere.display().to_string(),
        "../elsewhere".into(),
        "mine/../../elsewhere".into(),
    ] {
        write(
            &vault,
            "coffeechat.yaml",
            format!("theme: \"{theme}\"\n").as_bytes(),
        );
        let err = build_fails(&vault, &out);
        assert_contains(&err, "is not a theme name");
        assert_contains(&err, "coffeechat.yaml:1:8");
        assert!(
            !out.join("static/secret.txt").exists(),
            "{theme}: a file from outside was copied"
        );
    }
    write(&vault, "coffeechat.yaml", b"theme: mine\n");
    build_ok(&vault, &out);
    assert!(out.join("static/extra.css").is_file());
}
