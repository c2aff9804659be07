#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/TARGET/ from the repository's own inputs: the
example vault, the small vault of fuzz/vault/, the bad-input cases (tests/bad-inputs/)
and the fixtures (tests/fixtures/). Run from anywhere; it replaces fuzz/seeds/.

The formats are those the targets read (see fuzz/README.md): files packed as
`PATH\\nBYTES` parts joined by 0xFF, saves joined by 0xFE."""

import pathlib
import re
import shutil
import struct

REPO = pathlib.Path(__file__).resolve().parent.parent
SEEDS = REPO / "fuzz" / "seeds"
FILE, SAVE = b"\xff", b"\xfe"


def files(root):
    """Every file under `root` but a built site, by vault path, in path order."""
    root = REPO / root
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("public/")
    }


def pack(vault):
    return FILE.join(rel.encode() + b"\n" + data for rel, data in vault.items())


def cases():
    """The bad-input cases without generate: hooks, as {name: {path: bytes}}."""
    out = {}
    for case in sorted((REPO / "tests" / "bad-inputs").glob("*.case")):
        text = case.read_bytes()
        if b"\ngenerate:" in text or text.startswith(b"generate:"):
            continue
        parts = re.split(rb"^=== (.+)\n", text, flags=re.M)
        out[case.stem] = {parts[i].decode(): parts[i + 1] for i in range(1, len(parts), 2)}
    return out


def write(target, name, data):
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    example = files("example-vault")
    small = files("fuzz/vault")
    hostile = files("tests/fixtures/hostile-bodies")
    bad = cases()
    notes = {rel: data for rel, data in example.items() if rel.endswith(".md")}

    # front_matter: every note of the example vault, and every bad-input note.
    for rel, data in notes.items():
        write("front_matter", rel.replace("/", "_"), data)
    for name, vault in bad.items():
        for rel, data in vault.items():
            if rel.endswith(".md"):
                write("front_matter", f"{name}_{rel.replace('/', '_')}", data)

    # references: six notes, one per place, in the target's order.
    places = ["contacts/", "companies/", "interviews/", "questions/", "notes/", "me.md"]
    by_place = [[d for r, d in notes.items() if r.startswith(p)] for p in places]
    for i in range(4):
        picked = [group[i % len(group)] for group in by_place]
        write("references", f"example-{i}", FILE.join(picked))
    write("references", "small", FILE.join(small[r] for r in [
        "contacts/priya-raman.md", "companies/brightline-health.md",
        "interviews/2026-11-24-priya-raman.md", "questions/day-to-day.md",
        "contacts/marcus-chen.md", "me.md"]))

    # vault: the small vault, alone and under each bad-input case; the hostile bodies;
    # the small vault with templates and a stylesheet of its own.
    write("vault", "small", pack(small))
    for name, vault in bad.items():
        write("vault", name, pack({**small, **vault}))
    write("vault", "hostile-bodies", pack({**small, **hostile}))
    themed = {
        **small,
        "templates/contact.html": b'{% extends "theme/contact.html" %}\n'
        b"{% block title %}{{ note.name }} (contact){% endblock title %}\n",
        "templates/dashboard.html": b"<h1>{{ site.title }}</h1>{{ upcoming | rows }}"
        b"{% for p in pipeline %}{{ p.status }}{% endfor %}\n",
        "static/style.css": b"body { color: black }\n",
    }
    write("vault", "templates", pack(themed))

    # calendar: coffeechat.yaml, the two chats and the two contacts (target's order).
    order = ["coffeechat.yaml", "interviews/2026-11-24-priya-raman.md",
             "interviews/2026-11-10-marcus-chen.md", "contacts/priya-raman.md",
             "contacts/marcus-chen.md"]
    write("calendar", "small", FILE.join(small[r] for r in order))
    chats = [d for r, d in notes.items() if r.startswith("interviews/")]
    zones = [b"timezone: Europe/Berlin\n", b"timezone: Australia/Lord_Howe\n", b""]
    for i, chat in enumerate(chats):
        seed = [zones[i % 3], chat, b"", b"", b""]
        write("calendar", f"example-chat-{i}", FILE.join(seed))

    # settings: every coffeechat.yaml in the repository, and the README's example.
    write("settings", "example", example["coffeechat.yaml"])
    write("settings", "small", small["coffeechat.yaml"])
    write("settings", "init", (REPO / "themes/default/init/coffeechat.yaml").read_bytes())
    write("settings", "readme", b"title: Nadia's coffee chats\npaper: a4\n"
          b"timezone: Europe/Berlin\nlint:\n  off: [salary-question]\n"
          b'  job_phrases: ["any vacancies"]\n')
    write("settings", "all-keys", b"title: T\noutput: site\ntheme: none\npaper: letter\n"
          b"timezone: UTC\ndefault_duration: 45m\nthank_you_within: 2d\n"
          b"stay_in_touch: 30d\nlint:\n  off: []\n  salary_phrases: [pay]\n")

    # manifest: what a build writes, in both line forms, and lines that must be ignored.
    write("manifest", "stamped", b"index.html\t00ff00ff00ff00ff\t24\n"
          b"contacts/old.html\t0123456789abcdef\t33\nstatic/style.css\t1\t2\n")
    write("manifest", "bare", b"index.html\ncontacts/old.html\nnotes.txt\n")
    write("manifest", "outside", b"../beside/keep.html\n/etc/passwd\n./index.html\n"
          b"contacts/../notes.txt\n\n\t\t\n")

    # saves: the small vault, then saves that edit, add, rename and delete notes.
    priya = small["contacts/priya-raman.md"]
    saves = [
        pack(small),
        pack({"contacts/priya-raman.md": priya.replace(b"scheduled", b"met")}),
        pack({"contacts/ada-lovelace.md": b"---\nname: Ada Lovelace\ncompany: Brightline\n---\n"}),
        b"contacts/priya-raman.md" + FILE + pack({"contacts/priya.md": priya}),
        pack({"companies/brightline-health.md": b"---\nname: Brightline\n---\n"}),
        b"questions",
    ]
    write("saves", "small", SAVE.join(saves))
    write("saves", "templates", SAVE.join([pack(themed), b"templates/contact.html",
                                           pack({"coffeechat.yaml": b"title: Other\n"})]))
    for name in ["29-ambiguous-alias", "30-duplicate-slug"]:
        if name in bad:
            write("saves", name, SAVE.join([pack(small), pack(bad[name]), pack(small)]))

    # serve_path: a port, a Host up to 0xFF, a path.
    requests = [
        (4000, b"127.0.0.1:4000", b"/"),
        (4000, b"localhost:4000", b"/contacts/priya-raman.html"),
        (80, b"LOCALHOST", b"/static/style.css"),
        (4000, b"evil.example:4000", b"/%2e%2e/%2e%2e/etc/passwd"),
        (4001, b"127.0.0.1:4000", b"/a//b"),
        (4000, None, b"/caf%C3%A9/"),
        (4000, b"127.0.0.1:4000", b"/a%2Fb/c%5Cd/%00"),
    ]
    for i, (port, host, path) in enumerate(requests):
        data = struct.pack("<H", port) + (host + FILE if host is not None else b"") + path
        write("serve_path", f"request-{i}", data)

    # linkedin: the fixture export, and a short one naming people the vault knows.
    write("linkedin", "fixture", (REPO / "tests/fixtures/linkedin/Connections.csv").read_bytes())
    write("linkedin", "short", b"First Name,Last Name,URL,Email Address,Company,Position,"
          b"Connected On\r\nPriya,Raman,https://linkedin.com/in/priya-raman-product/,,"
          b"Brightline Health,PM,12 Mar 2024\r\nAda,Lovelace,,ada@example.com,"
          b'"Engines, Ltd",Head,2024-03-12\r\nAda,Lovelace,,,"Engines, Ltd",Head,3/12/24\r\n')


main()
