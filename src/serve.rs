//! The preview server of `coffeechat serve`.
//!
//! It listens on 127.0.0.1 only and serves the files of the output folder and nothing
//! else: request paths are decoded and refused when they climb (`..`), hide a separator
//! (`%2f`, `\`) or name a drive; the file found is resolved through any symbolic links
//! and must still be inside the output folder, and not hidden (a name starting with
//! `.`) there. Requests whose `Host` is not this machine's loopback name are refused,
//! so a web page cannot read the site by pointing a domain name at 127.0.0.1. A
//! connection that sends no whole request head for [`HEADER_TIMEOUT`] is closed.
//!
//! Every HTML page is served with one inline `<script>` added before `</body>`: it
//! listens on [`EVENTS_PATH`] (Server-Sent Events) and reloads the page on a `reload`
//! event, which [`Server::site_written`] sends only once a rebuild is completely on
//! disk; a `build-error` event shows the diagnostics over the page until the next
//! reload. Apart from that script, the bytes served are the bytes on disk.
//!
//! The server runs on a current-thread tokio runtime in a thread of its own; the
//! caller keeps building on its thread and tells the server what happened.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4000;

/// How long a connection may take to send a request's head, from when it opens or
/// its last response ends: a client that sends headers slowly or never, and a kept-alive
/// connection that sends nothing, are closed after this. An open event stream is a
/// response still being sent, so it is not cut.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Where pages listen for rebuilds.
pub const EVENTS_PATH: &str = "/__coffeechat/events";

/// Why the port could not be had.
#[derive(Debug)]
pub enum BindError {
    /// Another program listens there.
    InUse(u16),
    /// Any other failure to listen on the port.
    Other(u16, io::Error),
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindError::InUse(port) => write!(
                f,
                "port {port} on 127.0.0.1 is in use (another `coffeechat serve`?); try \
                 --port {}, or --port 0 for any free port",
                port.checked_add(1).unwrap_or(DEFAULT_PORT)
            ),
            BindError::Other(port, e) => write!(f, "cannot listen on 127.0.0.1:{port}: {e}"),
        }
    }
}

/// A port on 127.0.0.1 held for the server, before the site is built.
pub struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
}

/// Takes `port` on 127.0.0.1 now, so that a busy port is reported before any build.
/// Port 0 picks a free one; [`Listener::addr`] says which.
pub fn bind(port: u16) -> Result<Listener, BindError> {
    let listener =
        TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)).map_err(|e| {
            match e.kind() {
                io::ErrorKind::AddrInUse => BindError::InUse(port),
                _ => BindError::Other(port, e),
            }
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| BindError::Other(port, e))?;
    Ok(Listener { listener, addr })
}

impl Listener {
    /// The address held.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts serving the files of `output` on a thread of its own. A connection
    /// that has not sent a whole request head `header_timeout` after it opened or
    /// after its last response is closed; `serve` passes [`HEADER_TIMEOUT`].
    pub fn start(self, output: &Path, header_timeout: Duration) -> io::Result<Server> {
        let (status, _) = watch::channel(Status {
            version: 0,
            error: None,
        });
        let app = Arc::new(App {
            output: RwLock::new(canonical(output)),
            status,
            port: self.addr.port(),
            epoch: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
        });
        self.listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let router = Router::new()
            .route(EVENTS_PATH, get(events))
            .fallback(files)
            .with_state(app.clone());
        let listener = self.listener;
        std::thread::Builder::new()
            .name("coffeechat-serve".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => serve(l, router, header_timeout).await,
                        Err(e) => eprintln!("error: the preview server stopped: {e}"),
                    }
                })
            })?;
        Ok(Server {
            addr: self.addr,
            app,
        })
    }
}

/// Accepts connections for ever, each served by hyper on a task of its own.
///
/// This is `axum::serve` with a timer: axum gives hyper none, so hyper's header
/// timeout never runs and a connection may stay open, sending nothing, for ever.
async fn serve(mut listener: tokio::net::TcpListener, router: Router, header_timeout: Duration) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    loop {
        // axum's accept: it retries and waits out errors such as too many open files.
        let (stream, _) = axum::serve::Listener::accept(&mut listener).await;
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        // Its errors are the client's (it left, or timed out): nothing to report.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

/// A running preview server. It stops when the process ends.
pub struct Server {
    addr: SocketAddr,
    app: Arc<App>,
}

impl Server {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address, e.g. `http://127.0.0.1:4000/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Serves `output` from now on (the vault's settings can move it).
    pub fn set_output(&self, output: &Path) {
        let canon = canonical(output);
        let mut current = self.app.output.write().unwrap_or_else(|p| p.into_inner());
        if *current != canon {
            *current = canon;
        }
    }

    /// A build finished and the site is completely written. Open pages reload when
    /// `changed` (some file was written or removed) or when they show an error.
    pub fn site_written(&self, changed: bool) {
        self.app.status.send_if_modified(|s| {
            if changed || s.error.is_some() {
                s.version += 1;
                s.error = None;
                true
            } else {
                false
            }
        });
    }

    /// A build failed: open pages, and pages opened from now on, show `text` over the
    /// last good site until the next successful build.
    pub fn build_failed(&self, text: String) {
        self.app.status.send_modify(|s| s.error = Some(text.into()));
    }
}

struct App {
    /// The output folder, canonical when it exists.
    output: RwLock<PathBuf>,
    status: watch::Sender<Status>,
    port: u16,
    /// When this server started, so that a page from an earlier run reloads.
    epoch: u128,
}

impl App {
    /// The site's version that pages carry: changes with every rebuild and restart.
    fn version(&self, s: &Status) -> String {
        format!("{}-{}", self.epoch, s.version)
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        // A Host that is not text is no loopback name: it is refused, not taken as none.
        match headers.get(header::HOST).map(|h| h.to_str()) {
            None => host_allowed(None, self.port),
            Some(host) => host.is_ok_and(|h| host_allowed(Some(h), self.port)),
        }
    }
}

/// Whether a request with this `Host` is for this server, on `port`, by a loopback
/// name; anything else may be a web page that resolved its own domain name to
/// 127.0.0.1.
pub(crate) fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        // HTTP/1.0 without Host: only a local program sends that.
        return true;
    };
    let host = match host.strip_suffix(&format!(":{port}")) {
        Some(name) => name,
        // Browsers leave out the default port.
        None if port == 80 => host,
        None => return false,
    };
    ["127.0.0.1", "localhost"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(name))
}

#[derive(Debug, Clone)]
struct Status {
    /// Counts the rebuilds that changed the site.
    version: u64,
    /// The diagnostics of the last build, when it failed.
    error: Option<Arc<str>>,
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize()
        .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// The stream a page listens to: first a `hello`; then at once the error, if the
/// last build failed, or a `reload` if the page (`?since=VERSION`) is older than the
/// site; then one event per change.
async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Response> {
    if !app.host_allowed(&headers) {
        return Err(refused(StatusCode::FORBIDDEN, "unknown Host"));
    }
    let since = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .map(str::to_string)
    });
    let mut rx = app.status.subscribe();
    let mut pending = Vec::new();
    {
        let status = rx.borrow_and_update();
        let version = app.version(&status);
        pending.push(Event::default().event("hello").data(version.clone()));
        if status.error.is_some() {
            pending.push(event_for(&app, &status));
        } else if since.is_some_and(|s| s != version) {
            pending.push(Event::default().event("reload").data(version));
        }
    }
    pending.reverse();
    let stream = futures_util::stream::unfold((rx, pending), move |(mut rx, mut pending)| {
        let app = app.clone();
        async move {
            if let Some(event) = pending.pop() {
                return Some((Ok(event), (rx, pending)));
            }
            rx.changed().await.ok()?;
            let event = event_for(&app, &rx.borrow_and_update());
            Some((Ok(event), (rx, pending)))
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn event_for(app: &App, status: &Status) -> Event {
    match &status.error {
        Some(text) => Event::default().event("build-error").data(&**text),
        None => Event::default().event("reload").data(app.version(status)),
    }
}

/// Serves a file of the output folder.
async fn files(
    State(app): State<Arc<App>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if !app.host_allowed(&headers) {
        return refused(StatusCode::FORBIDDEN, "unknown Host");
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = refused(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(request) = site_path(uri.path()) else {
        return refused(StatusCode::BAD_REQUEST, "this path is not allowed");
    };
    let root = app.output.read().unwrap_or_else(|p| p.into_inner()).clone();
    let version = app.version(&app.status.borrow());
    match find(&root, &request).await {
        Found::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => file_response(&path, bytes, &version),
            Err(_) => not_found(&uri, &version),
        },
        Found::Folder => {
            let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
            let to = format!("{}/", uri.path());
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Found::Nothing => not_found(&uri, &version),
    }
}

/// A request path made safe: the decoded segments, and whether it ended in `/`.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath {
    /// The path, relative to the output folder.
    pub rel: PathBuf,
    /// Whether it is a folder.
    pub folder: bool,
}

/// Decodes a request path into a path relative to the output folder, or `None` when
/// it tries to leave it: `..` or `.` segments (also percent-encoded), an encoded `/`
/// or `\` inside a segment, empty segments (`//etc`), NUL, text that is not UTF-8, and
/// on Windows drive letters and other `:` names.
pub fn site_path(raw: &str) -> Option<SitePath> {
    let rest = raw.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    let mut rel = PathBuf::new();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            if i == last {
                break;
            }
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(seg)
            .decode_utf8()
            .ok()?;
        let bad_char = |c: char| c == '/' || c == '\\' || c == '\0' || (cfg!(windows) && c == ':');
        if decoded == "." || decoded == ".." || decoded.contains(bad_char) {
            return None;
        }
        let part = Path::new(&*decoded);
        if part.components().count() != 1
            || !matches!(
                part.components().next(),
                Some(std::path::Component::Normal(_))
            )
        {
            return None;
        }
        rel.push(part);
    }
    Some(SitePath {
        rel,
        folder: raw.ends_with('/'),
    })
}

enum Found {
    File(PathBuf),
    /// A folder asked for without the final `/`: relative links need it.
    Folder,
    Nothing,
}

/// The file for `request` inside the canonical folder `root`, following symbolic
/// links only as long as they stay inside it; a folder gives its `index.html`.
async fn find(root: &Path, request: &SitePath) -> Found {
    let Some(path) = inside(root, &root.join(&request.rel)).await else {
        return Found::Nothing;
    };
    let Ok(meta) = tokio::fs::metadata(&path).await else {
        return Found::Nothing;
    };
    if meta.is_file() {
        return Found::File(path);
    }
    if !meta.is_dir() {
        return Found::Nothing;
    }
    if !request.folder && !request.rel.as_os_str().is_empty() {
        return Found::Folder;
    }
    match inside(root, &path.join("index.html")).await {
        Some(index) if tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) => {
            Found::File(index)
        }
        _ => Found::Nothing,
    }
}

/// `path` with every symbolic link resolved, when that is inside `root` and not
/// hidden there. Hidden files (the manifest, pages being written, a `.git`) are the
/// program's or another tool's, never the site's; checking the resolved path also
/// refuses a link to one.
async fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canon = tokio::fs::canonicalize(path).await.ok()?;
    let hidden = canon
        .strip_prefix(root)
        .ok()?
        .components()
        .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
    (!hidden).then_some(canon)
}

fn file_response(path: &Path, bytes: Vec<u8>, version: &str) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        inject(bytes, version)
    } else {
        bytes
    };
    respond(StatusCode::OK, kind, body)
}

fn respond(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // A reload must fetch the new page, never a cached one.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn refused(status: StatusCode, why: &str) -> Response {
    respond(
        status,
        "text/plain; charset=utf-8",
        format!("{} {why}\n", status.as_u16()).into_bytes(),
    )
}

/// A 404 page that also reloads, so a page asked for before its note was built
/// appears by itself, and build errors show on it.
fn not_found(uri: &Uri, version: &str) -> Response {
    let path = pulldown_cmark_escape::escape_html_body_text;
    let mut shown = String::new();
    let _ = path(&mut shown, uri.path());
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>\
         <body style=\"font-family:system-ui,sans-serif;margin:2rem\"><h1>Not found</h1>\
         <p><code>{shown}</code> is not in the site (yet). This page reloads when the \
         site is rebuilt.</p><p><a href=\"/\">The dashboard</a></p></body></html>\n"
    );
    let body = inject(page.into_bytes(), version);
    respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
}

/// The Content-Type for a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The script added to every HTML page. `VERSION` is replaced by the site's version.
const SCRIPT: &str = r#"<script>/* coffeechat serve: reload after each rebuild */(function(){
var shown=null;
function show(text){
if(!shown){
shown=document.createElement("div");
shown.id="coffeechat-build-error";
shown.setAttribute("role","alert");
shown.style.cssText="position:fixed;top:1rem;left:1rem;right:1rem;max-height:calc(100vh - 2rem);box-sizing:border-box;z-index:2147483647;overflow:auto;background:#fff8f8;color:#1a1a1a;border:3px solid #c00;border-radius:6px;padding:1rem 1.25rem;box-shadow:0 4px 24px rgba(0,0,0,.35);font:14px/1.4 system-ui,sans-serif";
var close=document.createElement("button");
close.type="button";close.textContent="Dismiss";
close.style.cssText="float:right;font:inherit;padding:.2rem .8rem;cursor:pointer";
close.onclick=function(){shown.remove();shown=null;};
var title=document.createElement("strong");
title.style.cssText="display:block;color:#c00;font-size:16px;margin-bottom:.5rem";
title.textContent="The vault has errors. This is the last good site; it reloads when you fix them.";
var pre=document.createElement("pre");
pre.style.cssText="white-space:pre-wrap;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0";
var media=document.createElement("style");
media.textContent="@media print{#coffeechat-build-error{display:none}}";
shown.append(close,title,pre,media);
document.body.append(shown);
}
shown.querySelector("pre").textContent=text;
}
var events=new EventSource("/__coffeechat/events?since=VERSION");
events.addEventListener("reload",function(){location.reload();});
events.addEventListener("build-error",function(e){show(e.data);});
})();</script>
"#;

/// `html` with the reload script inserted before its last `</body>` (or at the end).
pub fn inject(mut html: Vec<u8>, version: &str) -> Vec<u8> {
    let script = SCRIPT.replace("VERSION", version);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, script.into_bytes());
    html
}

/// The script that [`inject`] adds, for tests that compare pages with the files.
pub fn script(version: &str) -> String {
    SCRIPT.replace("VERSION", version)
}

/// Opens `url` in the desktop's browser. Where there is no desktop (no display on
/// Linux), says so instead of starting a text browser in this terminal.
pub fn open_browser(url: &str) -> Result<(), String> {
    let headless = cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none();
    if headless {
        return Err("there is no desktop to open a browser on".into());
    }
    open::that_detached(url).map_err(|e| format!("cannot open a browser: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(raw: &str) -> Option<String> {
        site_path(raw).map(|p| p.rel.to_string_lossy().into_owned())
    }

    #[test]
    fn ordinary_paths() {
        assert_eq!(rel("/"), Some(String::new()));
        assert_eq!(rel("/index.html").as_deref(), Some("index.html"));
        assert_eq!(
            rel("/contacts/ada-lovelace.html").as_deref(),
            Some("contacts/ada-lovelace.html")
        );
        assert_eq!(
            rel("/files/notes/my%20photo.png").as_deref(),
            Some("files/notes/my photo.png")
        );
        assert_eq!(rel("/caf%C3%A9.html").as_deref(), Some("café.html"));
        assert!(site_path("/contacts/").unwrap().folder);
        assert!(!site_path("/contacts").unwrap().folder);
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for raw in [
            "",
            "index.html",
            "/../secret",
            "/contacts/../../secret",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/.%2e/secret",
            "/./index.html",
            "/..%2fsecret",
            "/..%2Fsecret",
            "/a%2f..%2f..%2fsecret",
            "/..%5csecret",
            "/a\\..\\secret",
            "//etc/passwd",
            "/contacts//x",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(site_path(raw), None, "{raw} should be refused");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(page, "1-2")).unwrap();
        let script = script("1-2");
        assert_eq!(out, format!("<html><body><p>x</p>{script}</BODY></html>"));
        assert!(script.contains("since=1-2"));
        let out = inject(b"no body".to_vec(), "v");
        assert!(out.starts_with(b"no body<script>"));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/b.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("calendar.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.png")), "image/png");
        assert_eq!(
            content_type(Path::new("LICENSE")),
            "application/octet-stream"
        );
    }

    #[test]
    fn a_busy_port_says_what_to_do() {
        let held = bind(0).unwrap();
        let port = held.addr().port();
        let err = bind(port).err().expect("the port is taken");
        let text = err.to_string();
        assert!(matches!(err, BindError::InUse(p) if p == port), "{text}");
        assert!(text.contains(&format!("--port {}", port + 1)), "{text}");
    }
}
