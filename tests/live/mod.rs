//! Helpers for the tests of `watch` and `serve`: the real binary running in the
//! background, its output read line by line, and a plain HTTP/1.1 client (with a
//! Server-Sent Events reader) that talks to 127.0.0.1 only.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for anything that should happen: generous, for a loaded 2-core
/// CI machine. Tests never sleep to assert; they wait for events up to this.
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// `coffeechat watch` or `serve` running in the background; killed when dropped.
pub(crate) struct Running {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// Everything printed so far, for failure messages.
    log: Arc<Mutex<String>>,
    /// stderr lines already taken from the channel.
    seen: Vec<String>,
    /// The threads reading stdout and stderr, which end when the process does.
    readers: Vec<thread::JoinHandle<()>>,
}

/// Starts `coffeechat ARGS` with `NO_COLOR`, its output captured.
pub(crate) fn start(args: &[&str], vault: &Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coffeechat"))
        .args(args)
        .arg(vault)
        .env("NO_COLOR", "1")
        // Records of built sites go under target/, not the user's cache folder.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coffeechat starts");
    let log = Arc::new(Mutex::new(String::new()));
    let (stdout, out_reader) = lines(child.stdout.take().unwrap(), log.clone(), "out");
    let (stderr, err_reader) = lines(child.stderr.take().unwrap(), log.clone(), "err");
    Running {
        child,
        stdout,
        stderr,
        log,
        seen: Vec::new(),
        readers: vec![out_reader, err_reader],
    }
}

fn lines(
    pipe: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    tag: &str,
) -> (Receiver<String>, thread::JoinHandle<()>) {
    let (tx, rx) = channel();
    let tag = tag.to_string();
    let reader = thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            log.lock().unwrap().push_str(&format!("{tag}| {line}\n"));
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (rx, reader)
}

impl Running {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the process printed so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits for a line on stderr for which `pred` holds, and returns it. Lines read on
    /// the way are kept in [`Self::seen`].
    #[track_caller]
    pub(crate) fn wait_stderr(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "waited {WAIT:?} for {what}; the process printed:\n{}",
                        self.log()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "the process ended before {what}; it printed:\n{}",
                        self.log()
                    )
                }
            }
        }
    }

    /// The stderr lines read so far.
    pub(crate) fn seen(&self) -> &[String] {
        &self.seen
    }

    /// Waits until the first build is done and the watcher runs.
    #[track_caller]
    pub(crate) fn wait_ready(&mut self) {
        self.wait_stderr("the first build", |l| l.starts_with("watching "));
    }

    /// Waits for the next summary line of a rebuild (`[HH:MM:SS] paths: ...`).
    #[track_caller]
    pub(crate) fn wait_rebuild(&mut self) -> String {
        self.wait_stderr("a rebuild", is_rebuild)
    }

    /// For `serve`: the address printed on stdout.
    #[track_caller]
    pub(crate) fn addr(&mut self) -> SocketAddr {
        let line = self
            .stdout
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no address printed; the process printed:\n{}", self.log()));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in `{line}`"));
        url.trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap()
    }

    /// Waits for the process to end by itself, returning its exit code.
    #[track_caller]
    pub(crate) fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What it printed last may still be in the pipes.
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
                return status.code();
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("the process did not exit; it printed:\n{}", self.log())
    }

    /// Sends Ctrl-C's signal (SIGINT) and waits for the process to end, returning its
    /// exit code.
    #[cfg(unix)]
    #[track_caller]
    pub(crate) fn interrupt(&mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -INT failed");
        self.wait_exit()
    }
}

/// Whether a line of stderr is the summary of a rebuild (not of the first build).
pub(crate) fn is_rebuild(line: &str) -> bool {
    line.starts_with('[') && !line.contains("] built in ")
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it returns `Some`, up to [`WAIT`].
#[track_caller]
pub(crate) fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = check() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("waited {WAIT:?} for {what}");
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// An HTTP response.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET target` with the target sent exactly as given (no normalisation).
pub(crate) fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target, &format!("127.0.0.1:{}", addr.port()))
}

/// One request on a fresh connection, `Connection: close`.
pub(crate) fn request(addr: SocketAddr, method: &str, target: &str, host: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        let mut out = Vec::new();
        let mut r = &rest[..];
        let mut dechunk = Dechunk::default();
        dechunk.feed(&mut r, &mut out);
        out
    } else {
        rest
    };
    Response {
        status,
        headers,
        body,
    }
}

/// Decodes `Transfer-Encoding: chunked` incrementally.
#[derive(Default)]
struct Dechunk {
    buf: Vec<u8>,
}

impl Dechunk {
    /// Adds the bytes in `input`; appends every complete chunk's data to `out`.
    fn feed(&mut self, input: &mut &[u8], out: &mut Vec<u8>) {
        self.buf.extend_from_slice(input);
        *input = &[];
        loop {
            let Some(line_end) = self.buf.windows(2).position(|w| w == b"\r\n") else {
                return;
            };
            let size_text = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
            let size =
                usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap_or(0);
            let need = line_end + 2 + size + 2;
            if self.buf.len() < need {
                return;
            }
            out.extend_from_slice(&self.buf[line_end + 2..line_end + 2 + size]);
            self.buf.drain(..need);
        }
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    pub event: String,
    pub data: String,
}

/// A connection to the server's event stream, read on a thread of its own.
pub(crate) struct Events {
    rx: Receiver<SseEvent>,
    _stream: TcpStream,
}

impl Events {
    /// Connects to the event stream (as a page whose version is `since` would) and
    /// waits for the server's `hello`, returning it with the connection.
    pub(crate) fn connect(addr: SocketAddr, since: Option<&str>) -> (Events, SseEvent) {
        let mut s = TcpStream::connect(addr).unwrap();
        let target = match since {
            Some(v) => format!("/__coffeechat/events?since={v}"),
            None => "/__coffeechat/events".into(),
        };
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            addr.port()
        )
        .unwrap();
        let reader = s.try_clone().unwrap();
        let (tx, rx) = channel();
        thread::spawn(move || read_events(reader, tx));
        let events = Events { rx, _stream: s };
        let hello = events.next().expect("a hello event");
        assert_eq!(hello.event, "hello", "the first event");
        (events, hello)
    }

    /// The next event, or `None` after [`WAIT`].
    pub(crate) fn next(&self) -> Option<SseEvent> {
        self.rx.recv_timeout(WAIT).ok()
    }

    /// An event that already arrived, without waiting.
    pub(crate) fn pending(&self) -> Option<SseEvent> {
        self.rx.try_recv().ok()
    }

    /// Waits for the next event named `name`, skipping others.
    #[track_caller]
    pub(crate) fn wait_for(&self, name: &str) -> SseEvent {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) if e.event == name => return e,
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within {WAIT:?}"),
            }
        }
    }
}

fn read_events(mut s: TcpStream, tx: std::sync::mpsc::Sender<SseEvent>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let chunked = String::from_utf8_lossy(&head)
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let mut dechunk = Dechunk::default();
    let mut text = Vec::new();
    let mut buf = [0u8; 4096];
    let (mut event, mut data): (String, Vec<String>) = (String::new(), Vec::new());
    loop {
        let n = match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if chunked {
            let mut input = &buf[..n];
            dechunk.feed(&mut input, &mut text);
        } else {
            text.extend_from_slice(&buf[..n]);
        }
        while let Some(end) = text.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = text.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..line.len() - 1])
                .trim_end_matches('\r')
                .to_string();
            if line.is_empty() {
                if !event.is_empty() || !data.is_empty() {
                    let e = SseEvent {
                        event: std::mem::take(&mut event),
                        data: std::mem::take(&mut data).join("\n"),
                    };
                    if tx.send(e).is_err() {
                        return;
                    }
                }
            } else if let Some(v) = line.strip_prefix("event:") {
                event = v.trim_start().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
            }
        }
    }
}

/// The page as served, without the reload script; panics when the script is missing.
#[track_caller]
pub(crate) fn without_script(served: &[u8]) -> Vec<u8> {
    let text = served;
    let start = find(text, b"<script>/* coffeechat serve").expect("the reload script");
    let end = start + find(&text[start..], b"</script>\n").expect("the script's end") + 10;
    let mut out = text[..start].to_vec();
    out.extend_from_slice(&text[end..]);
    out
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
