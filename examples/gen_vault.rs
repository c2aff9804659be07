//! Writes a realistic, deterministic vault for benchmarks:
//! `cargo run --release --example gen_vault -- 10000 /tmp/v [--hugo /tmp/h] [--seed N]`.
//!
//! About 50% contacts, 10% companies, 35% interviews, 5% question banks and plain notes,
//! with 1.5–4 KB bodies holding headings, lists, tables and wikilinks. With `--hugo DIR`
//! it also writes the same notes as a minimal Hugo site (see bench/hugo/) for comparison.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Donald",
    "Hedy",
    "Tim",
    "Sophie",
    "Niklaus",
    "Lynn",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Knuth",
    "Lamarr",
    "Berners-Lee",
    "Wilson",
    "Wirth",
    "Conway",
];
const INDUSTRIES: &[&str] = &[
    "Fintech",
    "Health tech",
    "Logistics",
    "Retail",
    "Energy",
    "Media",
];
const SOURCES: &[&str] = &["alumni", "friend", "linkedin", "event", "recruiter", "cold"];
const WORDS: &[&str] = &[
    "product",
    "roadmap",
    "customers",
    "metrics",
    "discovery",
    "team",
    "launch",
    "research",
    "pricing",
    "platform",
    "growth",
    "analytics",
    "design",
    "engineering",
    "strategy",
    "onboarding",
    "retention",
    "experiment",
    "market",
    "partners",
];

struct Plan {
    contacts: usize,
    companies: usize,
    interviews: usize,
    banks: usize,
    notes: usize,
}

impl Plan {
    fn new(total: usize) -> Plan {
        let companies = (total / 10).max(1);
        let interviews = total * 35 / 100;
        let banks = (total * 2 / 100).max(1);
        let notes = total * 3 / 100;
        let contacts = total
            .saturating_sub(companies + interviews + banks + notes)
            .max(1);
        Plan {
            contacts,
            companies,
            interviews,
            banks,
            notes,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_vault COUNT DIR [--hugo DIR] [--seed N]";
    let total: usize = args.first().and_then(|a| a.parse().ok()).expect(usage);
    let dir = PathBuf::from(args.get(1).expect(usage));
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seed = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(42);
    let hugo = flag("--hugo").map(PathBuf::from);
    if dir.exists() {
        panic!("{} exists; give a new folder", dir.display());
    }
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        plan: Plan::new(total),
        notes: Vec::new(),
    };
    g.generate();
    for (rel, text) in &g.notes {
        write(&dir.join(rel), text);
    }
    write(&dir.join("coffeechat.yaml"), "title: Benchmark vault\n");
    if let Some(h) = hugo {
        write_hugo(&h, &g.notes);
    }
    eprintln!("wrote {} notes to {}", g.notes.len(), dir.display());
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

struct Gen {
    rng: fastrand::Rng,
    plan: Plan,
    notes: Vec<(String, String)>,
}

impl Gen {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn contact_name(i: usize) -> String {
        format!(
            "{} {} {i}",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()]
        )
    }

    fn company_name(i: usize) -> String {
        format!("Company {i}")
    }

    fn generate(&mut self) {
        me(&mut self.notes);
        for i in 0..self.plan.companies {
            self.company(i);
        }
        for i in 0..self.plan.contacts {
            self.contact(i);
        }
        for i in 0..self.plan.banks {
            self.bank(i);
        }
        for i in 0..self.plan.interviews {
            self.interview(i);
        }
        for i in 0..self.plan.notes {
            self.note(i);
        }
    }

    fn company(&mut self, i: usize) {
        let industry = self.pick(INDUSTRIES);
        let body = self.body(1500);
        let text = format!(
            "---\nname: {}\nindustry: {industry}\nwebsite: https://company{i}.example\n\
             location: Chicago, IL\nsize: {}\ntags: [{}]\n---\n{body}",
            Self::company_name(i),
            self.rng.usize(10..5000),
            industry.to_lowercase().replace(' ', "-")
        );
        self.notes.push((format!("companies/company-{i}.md"), text));
    }

    fn contact(&mut self, i: usize) {
        let company = self.rng.usize(..self.plan.companies);
        // One in ten came from a LinkedIn import and was never contacted: a prospect
        // with no log. They draw the same random numbers as the others, so that adding them
        // left every other note as it was.
        let uncontacted = i % 10 == 9;
        let (since, source) = (self.rng.u32(2010..2026), self.pick(SOURCES));
        let (source, status) = match uncontacted {
            true => ("linkedin", "status: prospect\n"),
            false => (source, "status: reached-out\n"),
        };
        let mut fm = format!(
            "---\nname: {}\ntitle: Product Manager\ncompany: \"[[{}]]\"\nsince: {since}\n\
             email: person{i}@example.com\nsource: {source}\n{status}tags: [pm, chicago]\n",
            Self::contact_name(i),
            Self::company_name(company),
        );
        if i > 0 && self.rng.bool() {
            let by = self.rng.usize(..i);
            let _ = writeln!(fm, "introduced_by: {}", Self::contact_name(by));
        }
        // As a real vault has it: an answered outreach, and the stage that follows.
        let (month, day) = (self.rng.u32(1..10), self.rng.u32(0..9));
        let log = format!(
            "log:\n  - {{date: 2026-0{month}-1{day}, type: outreach, note: Sent a note}}\n  \
             - {{date: 2026-0{month}-2{day}, type: reply, note: Happy to chat}}\n  \
             - {{due: 2027-1{}-0{}, action: Send an update}}\n",
            self.rng.u32(0..3),
            self.rng.u32(1..10),
        );
        if !uncontacted {
            fm.push_str(&log);
        }
        fm.push_str("---\n");
        let body = self.body(2000);
        let slug = slug::slugify(Self::contact_name(i));
        self.notes.push((format!("contacts/{slug}.md"), fm + &body));
    }

    fn bank(&mut self, i: usize) {
        let mut fm = format!("---\ncategory: Bank {i}\nquestions:\n");
        for q in 0..10 {
            let w = self.pick(WORDS);
            let _ = writeln!(
                fm,
                "  - {{id: q{q}, ask: \"How do you approach {w} in your work, question {q}?\", minutes: {}}}",
                self.rng.u32(2..6)
            );
        }
        self.notes
            .push((format!("questions/bank-{i}.md"), fm + "---\n"));
    }

    fn interview(&mut self, i: usize) {
        let contact = self.rng.usize(..self.plan.contacts);
        let bank = self.rng.usize(..self.plan.banks);
        // Chats that happened are done; the others are still to come (after the
        // benchmarks' `--today 2026-11-23`).
        let done = self.rng.bool();
        let (month, day) = match done {
            true => (self.rng.u32(1..11), self.rng.u32(1..29)),
            false => (12, self.rng.u32(1..29)),
        };
        let mut fm = format!(
            "---\nwith: \"[[{}]]\"\ndate: 2026-{month:02}-{day:02} 10:00\nduration: 30m\n\
             format: coffee\nwhere: Café {i}\nstatus: {}\nobjectives:\n  - Learn about the role\n  \
             - Learn about the team\nquestions:\n",
            Self::contact_name(contact),
            if done { "done" } else { "scheduled" },
        );
        for q in 0..5 {
            let _ = writeln!(fm, "  - {{ref: bank-{bank}/q{q}, priority: {}}}", q % 3 + 1);
        }
        fm.push_str("  - What would you do differently if you started again?\n");
        if done {
            let _ = writeln!(fm, "thank_you: 2026-{month:02}-{day:02}");
        }
        // Every fourth chat suggests someone to talk to next.
        if i.is_multiple_of(4) {
            let suggested = (i * 7 + 3) % self.plan.contacts;
            let _ = writeln!(
                fm,
                "referrals:\n  - \"[[{}]]\"",
                Self::contact_name(suggested)
            );
        }
        let _ = writeln!(
            fm,
            "followups:\n  - {{due: 2027-01-0{}, action: Share what I learned}}\n---",
            self.rng.u32(1..10)
        );
        let body = self.body(1500);
        self.notes.push((
            format!("interviews/2026-{month:02}-{day:02}-chat-{i}.md"),
            fm + &body,
        ));
    }

    fn note(&mut self, i: usize) {
        let body = self.body(2500);
        let text = format!("---\ntitle: Research note {i}\ntags: [research]\n---\n{body}");
        self.notes.push((format!("notes/research-{i}.md"), text));
    }

    /// A body of about `size` bytes with headings, a list, a table and wikilinks.
    fn body(&mut self, size: usize) -> String {
        let target = size + self.rng.usize(..size);
        let mut out = String::new();
        let mut section = 0;
        while out.len() < target {
            section += 1;
            let _ = writeln!(out, "## Section {section}\n");
            let contact = self.rng.usize(..self.plan.contacts);
            let company = self.rng.usize(..self.plan.companies);
            let _ = writeln!(
                out,
                "{} Talked about this with [[{}]], who works with [[{}|them]].\n",
                self.sentence(40),
                Self::contact_name(contact),
                Self::company_name(company)
            );
            for _ in 0..3 {
                let _ = writeln!(out, "- {}", self.sentence(8));
            }
            out.push_str("\n| Topic | Notes |\n|---|---|\n");
            for _ in 0..2 {
                let _ = writeln!(out, "| {} | {} |", self.pick(WORDS), self.sentence(6));
            }
            out.push('\n');
        }
        out
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.pick(WORDS)).collect();
        s[0] = "The";
        s.join(" ") + "."
    }
}

fn me(notes: &mut Vec<(String, String)>) {
    notes.push((
        "me.md".into(),
        "---\nname: Bench Person\nheadline: Analyst moving into product\n---\nI turn data into decisions.\n".into(),
    ));
}

/// The same notes as Hugo content: front matter kept, each note's kind as its section.
fn write_hugo(dir: &Path, notes: &[(String, String)]) {
    let layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/hugo");
    for entry in fs::read_dir(&layouts).expect("bench/hugo exists") {
        let entry = entry.unwrap();
        copy_tree(&entry.path(), &dir.join(entry.file_name()));
    }
    for (rel, text) in notes {
        write(&dir.join("content").join(rel), text);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        write(to, &fs::read_to_string(from).unwrap());
    }
}
