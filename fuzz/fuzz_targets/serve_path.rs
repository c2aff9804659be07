//! `serve`'s request checks. The input is a port (two bytes, little-endian), then a
//! `Host` header up to a 0xFF byte (no 0xFF: no `Host`), then a request path.
//! - `site_path` must give only plain relative paths (nothing that can leave the
//!   output folder), and the same path again for its segments percent-encoded.
//! - The `Host` check must let in only this server's loopback names on this port, and
//!   every spelling of them.
#![no_main]

use std::path::Path;

use coffeechat::fuzzing::host_allowed;
use coffeechat::serve::site_path;
use coffeechat_fuzz::{FILE, stays_inside};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let port = u16::from_le_bytes([*a, *b]);
    let (host, path) = match rest.iter().position(|&b| b == FILE) {
        Some(i) => (std::str::from_utf8(&rest[..i]).ok(), &rest[i + 1..]),
        None => (None, rest),
    };
    check_host(host, port);
    if let Ok(raw) = std::str::from_utf8(path) {
        check_path(raw);
    }
});

fn check_host(host: Option<&str>, port: u16) {
    let allowed = host_allowed(host, port);
    let Some(host) = host else {
        assert!(allowed, "a request without Host is refused");
        return;
    };
    let lower = host.to_ascii_lowercase();
    let name = lower
        .strip_suffix(&format!(":{port}"))
        .or((port == 80).then_some(lower.as_str()));
    let loopback = name.is_some_and(|n| n == "127.0.0.1" || n == "localhost");
    assert_eq!(allowed, loopback, "Host {host:?} on port {port}");
}

fn check_path(raw: &str) {
    let Some(site) = site_path(raw) else {
        return;
    };
    assert!(raw.starts_with('/'), "{raw:?} is not absolute");
    assert!(stays_inside(&site.rel), "{raw:?} gives {:?}", site.rel);
    assert!(Path::new("/site").join(&site.rel).starts_with("/site"));
    assert_eq!(site.folder, raw.ends_with('/'));
    let names: Vec<String> = site
        .rel
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains(['/', '\\', '\0'])),
        "{raw:?} gives {names:?}"
    );
    let encoded: String = names
        .iter()
        .map(|n| n.bytes().map(|b| format!("%{b:02X}")).collect::<String>())
        .map(|n| format!("/{n}"))
        .collect();
    let encoded = match (encoded.is_empty(), site.folder) {
        (true, _) => "/".to_string(),
        (false, true) => encoded + "/",
        (false, false) => encoded,
    };
    let again = site_path(&encoded);
    assert!(
        again.as_ref() == Some(&site),
        "{raw:?} gives {site:?}, but {encoded:?} gives {again:?}"
    );
}
