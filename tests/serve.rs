//! `coffeechat serve`: the real binary on a copy of the example vault, a real HTTP
//! client on 127.0.0.1, real files saved on disk.

mod common;
mod live;

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;

use common::{TODAY, example_vault, snapshot};
use live::{Events, Running, eventually, get, request, without_script};

/// `coffeechat serve VAULT --port 0 --today TODAY`, ready: the site is built and the
/// watcher runs. Returns the process and the address it serves.
fn serve(vault: &Path) -> (Running, std::net::SocketAddr) {
    let mut p = live::start(&["serve", "--port", "0", "--today", TODAY], vault);
    let addr = p.addr();
    assert!(addr.ip().is_loopback(), "listens on {addr}");
    p.wait_ready();
    (p, addr)
}

/// Appends `text` to the body of the note at `rel`, in one write.
fn append(vault: &Path, rel: &str, text: &str) {
    let path = vault.join(rel);
    let mut s = fs::read_to_string(&path).unwrap();
    s.push_str(text);
    fs::write(path, s).unwrap();
}

#[test]
fn pages_are_the_files_on_disk_plus_the_reload_script() {
    let (_tmp, vault) = example_vault();
    let (_p, addr) = serve(&vault);
    let out = vault.join("public");
    for (target, file) in [
        ("/", "index.html"),
        ("/index.html", "index.html"),
        ("/contacts/priya-raman.html", "contacts/priya-raman.html"),
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let page = r.text();
        let script_at = page.find("<script>/* coffeechat serve").unwrap();
        assert!(
            page[script_at..].find("</body>").is_some(),
            "the script is inside the body"
        );
        let script = &page[script_at..];
        assert!(script.contains("new EventSource(\"/__coffeechat/events?since="));
        assert!(
            !script.contains("http"),
            "the script loads nothing from the network"
        );
        assert_eq!(
            without_script(&r.body),
            fs::read(out.join(file)).unwrap(),
            "{target}: the served page is the built page plus the script"
        );
    }
    for (target, file, kind) in [
        (
            "/static/style.css",
            "static/style.css",
            "text/css; charset=utf-8",
        ),
        (
            "/calendar.ics",
            "calendar.ics",
            "text/calendar; charset=utf-8",
        ),
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some(kind), "{target}");
        assert_eq!(r.body, fs::read(out.join(file)).unwrap(), "{target}");
    }
    let head = request(
        addr,
        "HEAD",
        "/index.html",
        &format!("127.0.0.1:{}", addr.port()),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let missing = get(addr, "/contacts/nobody.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<script>/* coffeechat serve"));
    let folder = get(addr, "/contacts");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/contacts/"));
    let post = request(
        addr,
        "POST",
        "/index.html",
        &format!("localhost:{}", addr.port()),
    );
    assert_eq!(post.status, 405);
}

#[test]
fn a_save_reloads_the_page_after_the_new_page_is_written() {
    let (_tmp, vault) = example_vault();
    let (mut p, addr) = serve(&vault);
    let (events, hello) = Events::connect(addr, None);
    // A page served now carries the current version: it does not reload at once.
    let page = get(addr, "/contacts/priya-raman.html").text();
    assert!(page.contains(&format!("since={}", hello.data)), "{page}");
    assert_eq!(events.pending(), None, "no event before the save");

    append(
        &vault,
        "contacts/priya-raman.md",
        "\nShe mentored the Kestrel launch.\n",
    );
    let reload = events.wait_for("reload");
    assert_ne!(reload.data, hello.data, "a new version");
    // The event comes only once the rebuild is on disk, so the page is already new.
    let served = get(addr, "/contacts/priya-raman.html");
    assert_eq!(served.status, 200);
    assert!(
        served.text().contains("Kestrel launch"),
        "{}",
        served.text()
    );
    let on_disk = fs::read(vault.join("public/contacts/priya-raman.html")).unwrap();
    assert_eq!(without_script(&served.body), on_disk);
    assert!(served.text().contains(&format!("since={}", reload.data)));
    let line = p.wait_rebuild();
    assert!(line.contains("contacts/priya-raman.md"), "{line}");

    // A page loaded before that rebuild, whose stream connects only now, reloads at once.
    let (late, _) = Events::connect(addr, Some(&hello.data));
    assert_eq!(late.wait_for("reload").data, reload.data);
    // One that is up to date does not: its first reload is for the next save.
    let (current, _) = Events::connect(addr, Some(&reload.data));
    append(
        &vault,
        "contacts/priya-raman.md",
        "\nAnd the Osprey pilot.\n",
    );
    let next = current.next().expect("an event after the second save");
    assert_eq!(next.event, "reload");
    assert_ne!(next.data, reload.data);
    assert!(
        get(addr, "/contacts/priya-raman.html")
            .text()
            .contains("Osprey pilot")
    );
}

#[test]
fn a_broken_save_shows_the_errors_and_the_last_good_site_stays() {
    let (_tmp, vault) = example_vault();
    let (mut p, addr) = serve(&vault);
    let (events, _) = Events::connect(addr, None);
    let before = get(addr, "/contacts/priya-raman.html");

    let good = fs::read_to_string(vault.join("contacts/priya-raman.md")).unwrap();
    let broken = good.replacen("name: Priya Raman", "name: [Priya Raman", 1);
    fs::write(vault.join("contacts/priya-raman.md"), &broken).unwrap();
    let error = events.wait_for("build-error");
    assert!(error.data.contains("error[yaml-syntax]"), "{}", error.data);
    assert!(
        error.data.contains("contacts/priya-raman.md:2:"),
        "{}",
        error.data
    );
    let line = p.wait_rebuild();
    assert!(
        line.contains("the previous site is left as it was"),
        "{line}"
    );

    // The last good site is still served, byte for byte.
    let during = get(addr, "/contacts/priya-raman.html");
    assert_eq!(during.status, 200);
    assert_eq!(without_script(&during.body), without_script(&before.body));
    // A page opened now gets the errors at once.
    let (late, _) = Events::connect(addr, None);
    let again = late.wait_for("build-error");
    assert_eq!(again.data, error.data);

    fs::write(
        vault.join("contacts/priya-raman.md"),
        format!("{good}\nFixed and saved again.\n"),
    )
    .unwrap();
    events.wait_for("reload");
    late.wait_for("reload");
    let after = get(addr, "/contacts/priya-raman.html").text();
    assert!(after.contains("Fixed and saved again."), "{after}");
    let line = p.wait_rebuild();
    assert!(line.contains("rebuilt in"), "{line}");
}

#[test]
fn a_vault_that_never_built_shows_its_errors_on_every_page() {
    let (_tmp, vault) = common::vault(&[(
        "contacts/ada.md",
        "---\nname: Ada\ncompany: Nowhere Inc\n---\n",
    )]);
    let (_p, addr) = serve(&vault);
    let r = get(addr, "/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<script>/* coffeechat serve"));
    let (events, _) = Events::connect(addr, None);
    let error = events.wait_for("build-error");
    assert!(error.data.contains("unknown-reference"), "{}", error.data);
    fs::write(vault.join("contacts/ada.md"), "---\nname: Ada\n---\n").unwrap();
    events.wait_for("reload");
    assert_eq!(get(addr, "/").status, 200);
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let (tmp, vault) = example_vault();
    fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    let (_p, addr) = serve(&vault);
    let mut targets = vec![
        "/../secret.txt",
        "/../../secret.txt",
        "/contacts/../../../secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/..%2f..%2fsecret.txt",
        "/%2f..%2f..%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/..\\..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/vault/me.md",
        "/../vault/me.md",
        "/../me.md",
    ];
    let secret = tmp.path().join("secret.txt");
    let absolute = secret.to_str().unwrap().to_string();
    targets.push(&absolute);
    let absolute_form = format!("http://127.0.0.1:{}/../../secret.txt", addr.port());
    targets.push(&absolute_form);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, vault.join("public/leak.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), vault.join("public/up")).unwrap();
        targets.push("/leak.txt");
        targets.push("/up/secret.txt");
        targets.push("/up/");
    }
    for target in &targets {
        let r = get(addr, target);
        assert_ne!(r.status, 200, "{target} was served");
        assert!(!r.text().contains("TOP SECRET"), "{target} leaked the file");
        assert!(!r.text().contains("Priya"), "{target} served the vault");
    }
    // A domain name pointed at 127.0.0.1 by a web page does not get the site.
    let rebound = request(addr, "GET", "/", "attacker.example:80");
    assert_eq!(rebound.status, 403);
    let rebound = request(addr, "GET", "/__coffeechat/events", "attacker.example");
    assert_eq!(rebound.status, 403);
    assert_eq!(
        request(addr, "GET", "/", &format!("localhost:{}", addr.port())).status,
        200
    );
    // A Host that is not text is not taken for no Host at all.
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.write_all(b"GET / HTTP/1.1\r\nHost: \xffattacker\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    raw.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
}

#[test]
fn a_busy_port_is_a_clear_error_before_anything_is_built() {
    let (_tmp, vault) = example_vault();
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let mut p = live::start(&["serve", "--port", &port.to_string()], &vault);
    assert_eq!(p.wait_exit(), Some(1), "{}", p.log());
    let log = p.log();
    assert!(log.contains(&format!("port {port}")), "{log}");
    assert!(log.contains("in use"), "{log}");
    assert!(log.contains("--port"), "{log}");
    assert!(!vault.join("public").exists(), "nothing was built");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_deletes_nothing() {
    let (_tmp, vault) = example_vault();
    let (mut p, addr) = serve(&vault);
    let before = snapshot(&vault, &[]);
    assert_eq!(p.interrupt(), Some(0), "{}", p.log());
    assert!(p.log().contains("stopped"), "{}", p.log());
    assert_eq!(
        snapshot(&vault, &[]),
        before,
        "the vault and the site are as they were"
    );
    eventually("the port to be free", || {
        std::net::TcpStream::connect(addr).is_err().then_some(())
    });
}

#[test]
fn hidden_files_in_the_output_are_not_served() {
    let (_tmp, vault) = example_vault();
    let (_p, addr) = serve(&vault);
    let out = vault.join("public");
    assert!(
        out.join(".coffeechat-manifest").is_file(),
        "the build wrote it"
    );
    fs::create_dir_all(out.join(".git")).unwrap();
    for (rel, text) in [
        (".git/config", "SECRET git config"),
        (".git/index.html", "SECRET git index"),
        (".coffeechat-lock", "SECRET lock"),
        (
            "contacts/.x.html.123.coffeechat-tmp",
            "SECRET half-written page",
        ),
    ] {
        fs::write(out.join(rel), text).unwrap();
    }
    let mut targets = vec![
        "/.coffeechat-manifest",
        "/%2ecoffeechat-manifest",
        "/.coffeechat-lock",
        "/contacts/.x.html.123.coffeechat-tmp",
        "/.git/config",
        "/.git/",
        "/.git",
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".coffeechat-manifest", out.join("manifest.txt")).unwrap();
        std::os::unix::fs::symlink(".git", out.join("git")).unwrap();
        targets.push("/manifest.txt");
        targets.push("/git/config");
    }
    let manifest = fs::read_to_string(out.join(".coffeechat-manifest")).unwrap();
    // Its first line names a file and that file's hash.
    let line = manifest.lines().next().unwrap();
    for target in &targets {
        let r = get(addr, target);
        assert_eq!(r.status, 404, "{target}");
        let text = r.text();
        assert!(!text.contains("SECRET"), "{target} served a hidden file");
        assert!(!text.contains(line), "{target} served the manifest");
    }
    assert_eq!(get(addr, "/index.html").status, 200);
}

/// The timeouts are tested on the server itself (the binary uses the same server with
/// `serve::HEADER_TIMEOUT`), with a short one so that the tests are quick.
mod timeouts {
    use std::io::{ErrorKind, Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::{Duration, Instant};

    use coffeechat::serve::{Server, bind};

    use super::live::{Events, WAIT};

    const SHORT: Duration = Duration::from_millis(300);

    /// A server on a folder with one page, for the rest of the test process.
    fn server() -> (tempfile::TempDir, Server) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<body>hi</body>").unwrap();
        let server = bind(0).unwrap().start(dir.path(), SHORT).unwrap();
        (dir, server)
    }

    fn connect(addr: SocketAddr) -> TcpStream {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        s
    }

    /// Whether the server has closed `s`: what it still sends is read and dropped.
    fn closed(s: &mut TcpStream) -> bool {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return false;
                }
                Err(_) => return true,
            }
        }
    }

    /// Waits up to [`WAIT`] for the server to close `s`, calling `meanwhile` between
    /// looks; panics if it does not.
    #[track_caller]
    fn wait_closed(
        s: &mut TcpStream,
        what: &str,
        mut meanwhile: impl FnMut(&mut TcpStream) -> bool,
    ) {
        let started = Instant::now();
        while started.elapsed() < WAIT {
            if closed(s) || !meanwhile(s) {
                return;
            }
        }
        panic!("{what}: the connection was still open after {WAIT:?}");
    }

    #[test]
    fn a_client_that_never_finishes_its_headers_is_disconnected() {
        let (_dir, server) = server();
        let mut s = connect(server.addr());
        write!(
            s,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
            server.addr().port()
        )
        .unwrap();
        wait_closed(&mut s, "headers never finished", |_| true);
        // Sending a header line now and then does not keep it open either.
        let mut s = connect(server.addr());
        write!(s, "GET / HTTP/1.1\r\n").unwrap();
        wait_closed(&mut s, "headers sent slowly", |s| {
            // A write fails once the server has closed the connection.
            s.write_all(b"X-Slow: 1\r\n").is_ok()
        });
    }

    #[test]
    fn a_connection_that_sends_nothing_is_disconnected() {
        let (_dir, server) = server();
        let mut fresh = connect(server.addr());
        wait_closed(&mut fresh, "a new connection", |_| true);
        // A kept-alive connection, after its response.
        let mut kept = connect(server.addr());
        write!(
            kept,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            server.addr().port()
        )
        .unwrap();
        let mut response = Vec::new();
        let mut buf = [0u8; 4096];
        let started = Instant::now();
        while !String::from_utf8_lossy(&response).contains("</body>") {
            assert!(started.elapsed() < WAIT, "no whole response in {WAIT:?}");
            match kept.read(&mut buf) {
                Ok(0) => panic!("closed before the response"),
                Ok(n) => response.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
        }
        let response = String::from_utf8_lossy(&response);
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(
            !response.to_ascii_lowercase().contains("connection: close"),
            "{response}"
        );
        wait_closed(&mut kept, "a kept-alive connection", |_| true);
    }

    #[test]
    fn an_open_event_stream_is_not_cut() {
        let (_dir, server) = server();
        let (events, hello) = Events::connect(server.addr(), None);
        // Silent for longer than the timeout (keep-alives come every 15 s).
        std::thread::sleep(SHORT * 4);
        server.site_written(true);
        let reload = events.wait_for("reload");
        assert_ne!(reload.data, hello.data);
    }
}
