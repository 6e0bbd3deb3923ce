//! A scheme's CouchDB for the journeys that sync: pouchdb-server in memory
//! ([`Couch`]), a small blocking HTTP client for checking it ([`Http`]), and
//! the `/couch/` reverse proxy the app's own [`super::Server`] can put in
//! front of it ([`Proxy`]), which can go quiet mid-sync and can answer the way
//! CouchDB 3 does where pouchdb-server differs.

use serde_json::{json, Value};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The repository's root (where `node_modules/` and `tools/` are).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// pouchdb-server 4.2.0 on a free port of 127.0.0.1, in memory, with a server
/// admin from the start (so no request is an admin's unless it signs in as
/// one). Ended when dropped, on failure too; its log is kept and its path
/// printed when a test fails.
///
/// It runs with `couch_fixes.cjs` loaded, which stops its validation from
/// losing the ancestry of revisions written with `new_edits: false`. Never
/// send it `PUT /{db}` other than as the admin: that crashes pouchdb-server
/// 4.2.0 (the proxy answers it itself).
pub struct Couch {
    child: Child,
    port: u16,
    dir: PathBuf,
    admin: Http,
    admin_login: String,
}

impl Couch {
    /// The server admin's name.
    pub const ADMIN: &'static str = "admin";

    /// Starts pouchdb-server, waits until it answers and creates the admin.
    pub fn start() -> Couch {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let root = repo_root();
        let binary = root.join("node_modules/.bin/pouchdb-server");
        assert!(
            binary.exists(),
            "no {}: run `./hearth test` (or `npm ci --ignore-scripts`), which installs it",
            binary.display()
        );
        let dir = std::env::temp_dir().join(format!(
            "hearth-e2e-couch-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("couch dir");
        let port = free_port();
        let log = std::fs::File::create(dir.join("pouchdb-server.log")).expect("couch log");
        let fixes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/couch_fixes.cjs");
        let node_options = format!(
            "{} --require=\"{}\"",
            std::env::var("NODE_OPTIONS").unwrap_or_default(),
            fixes.display()
        );
        let child = Command::new(&binary)
            .args(["--in-memory", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("--dir")
            .arg(&dir)
            .arg("--config")
            .arg(dir.join("config.json"))
            // Its own log.txt goes here too.
            .current_dir(&dir)
            .env("NODE_OPTIONS", node_options.trim())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("couch log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("couldn't start {}: {e}", binary.display()));
        let password = format!(
            "{:x}{:x}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
            std::process::id()
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut couch = Couch {
            child,
            port,
            dir,
            admin: Http::new(&url).basic(Couch::ADMIN, &password),
            admin_login: format!("{}:{password}", Couch::ADMIN),
        };
        couch.wait_until_up();
        // Until an admin exists pouchdb-server treats every request as an
        // admin's. Its config can be written without signing in (so it must
        // stay on 127.0.0.1); the answer is the old value, "".
        let anonymous = couch.anonymous();
        let (status, _) = anonymous.put(
            &format!("/_node/node1@127.0.0.1/_config/admins/{}", Couch::ADMIN),
            &json!(password),
        );
        assert_eq!(status, 200, "creating the admin: {}", couch.log());
        let (_, session) = anonymous.get("/_session");
        assert_eq!(
            session["userCtx"]["roles"],
            json!([]),
            "still an admin party: {session}"
        );
        let (_, session) = couch.admin_get("/_session");
        assert_eq!(
            session["userCtx"]["roles"],
            json!(["_admin"]),
            "the admin can't sign in: {session}"
        );
        couch
    }

    fn wait_until_up(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("pouchdb-server exited ({status}):\n{}", self.log());
            }
            if let Ok(reply) = self.anonymous().try_send("GET", "/", None) {
                if reply.status == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "pouchdb-server did not answer:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Its address, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its process id (pouchdb-server runs as one node process).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The file it logs to (kept when a test fails; the folder it is in is
    /// removed otherwise).
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("pouchdb-server.log")
    }

    /// Everything it has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// A client signed in as the server admin (Basic auth).
    pub fn admin(&self) -> Http {
        self.admin.clone()
    }

    /// A client signed in as `name` (Basic auth).
    pub fn as_user(&self, name: &str, password: &str) -> Http {
        Http::new(&self.url()).basic(name, password)
    }

    /// A client that doesn't sign in.
    pub fn anonymous(&self) -> Http {
        Http::new(&self.url())
    }

    /// `GET path` as the admin: the status and the JSON answer.
    pub fn admin_get(&self, path: &str) -> (u16, Value) {
        self.admin.get(path)
    }

    /// `PUT path` with a JSON body as the admin.
    pub fn admin_put(&self, path: &str, body: &Value) -> (u16, Value) {
        self.admin.put(path, body)
    }

    /// `POST path` with a JSON body as the admin.
    pub fn admin_post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.admin.post(path, body)
    }

    /// Runs `node tools/scheme-admin.mjs --server <this> ARGS`, with the
    /// admin's name and password in `HEARTH_COUCH_ADMIN`.
    pub fn scheme_admin(&self, args: &[&str]) -> Output {
        Command::new("node")
            .arg(repo_root().join("tools/scheme-admin.mjs"))
            .arg("--server")
            .arg(self.url())
            .args(args)
            .env("HEARTH_COUCH_ADMIN", &self.admin_login)
            .stdin(Stdio::null())
            .output()
            .expect("run node tools/scheme-admin.mjs")
    }

    /// Sets up the household database `db` with these carers (name,
    /// password) through the admin tool, as a scheme would; returns what it
    /// printed. Panics when the tool fails.
    pub fn household(&self, db: &str, carers: &[(&str, &str)]) -> String {
        let logins: Vec<String> = carers.iter().map(|(n, p)| format!("{n}:{p}")).collect();
        let mut args = vec!["household", db];
        for login in &logins {
            args.extend(["--carer", login.as_str()]);
        }
        self.tool(&args)
    }

    /// Creates (or sets the roles of) a user through the admin tool: a
    /// coordinator is `user("sam", "pw", &["coordinator"])`.
    pub fn user(&self, name: &str, password: &str, roles: &[&str]) -> String {
        let mut args = vec!["user", name, password];
        for role in roles {
            args.extend(["--role", role]);
        }
        self.tool(&args)
    }

    fn tool(&self, args: &[&str]) -> String {
        let out = self.scheme_admin(args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "scheme-admin {args:?} failed ({}):\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

impl Drop for Couch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("pouchdb-server's log: {}", self.log_path().display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A blocking HTTP/1.1 client for one server (one connection a request),
/// sending and reading JSON.
#[derive(Clone, Debug)]
pub struct Http {
    address: String,
    prefix: String,
    authorization: Option<String>,
    cookie: Option<String>,
}

/// An answer: its status, its headers and its body (JSON; a string when the
/// body isn't JSON; null when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

impl Http {
    /// A client for `http://127.0.0.1:PORT` or `http://127.0.0.1:PORT/prefix`.
    pub fn new(url: &str) -> Http {
        let rest = url.strip_prefix("http://").expect("an http:// address");
        let (address, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        Http {
            address: address.to_string(),
            prefix: format!("/{}", prefix.trim_end_matches('/')).replace("//", "/"),
            authorization: None,
            cookie: None,
        }
    }

    /// Signs every request in with Basic auth.
    pub fn basic(mut self, name: &str, password: &str) -> Http {
        self.authorization = Some(format!(
            "Basic {}",
            base64(format!("{name}:{password}").as_bytes())
        ));
        self
    }

    /// Sends this cookie (`AuthSession=...`) with every request.
    pub fn cookie(mut self, cookie: &str) -> Http {
        self.cookie = Some(cookie.to_string());
        self
    }

    /// Sends one request; an error when the connection fails or closes with
    /// no answer.
    pub fn try_send(&self, method: &str, path: &str, body: Option<&Value>) -> io::Result<Reply> {
        let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
        if let Some(value) = &self.authorization {
            headers.push(("Authorization".into(), value.clone()));
        }
        if let Some(value) = &self.cookie {
            headers.push(("Cookie".into(), value.clone()));
        }
        let body = match body {
            Some(value) => {
                headers.push(("Content-Type".into(), "application/json".into()));
                value.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let target = format!("{}{path}", self.prefix.trim_end_matches('/'));
        let answer = exchange(&self.address, method, &target, &headers, &body)?;
        let text = String::from_utf8_lossy(&answer.body);
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
        };
        Ok(Reply {
            status: answer.status,
            headers: answer.headers,
            body,
        })
    }

    /// Sends one request; panics when there is no answer.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.try_send(method, path, body)
            .unwrap_or_else(|e| panic!("{method} {path} on {}: {e}", self.address))
    }

    /// `GET path`: the status and the JSON answer.
    pub fn get(&self, path: &str) -> (u16, Value) {
        let reply = self.send("GET", path, None);
        (reply.status, reply.body)
    }

    /// `PUT path` with a JSON body.
    pub fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        let reply = self.send("PUT", path, Some(body));
        (reply.status, reply.body)
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let reply = self.send("POST", path, Some(body));
        (reply.status, reply.body)
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> (u16, Value) {
        let reply = self.send("DELETE", path, None);
        (reply.status, reply.body)
    }
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An HTTP message's first line and headers.
pub(super) struct Head {
    pub start: String,
    pub headers: Vec<(String, String)>,
}

/// Reads a message's first line and headers; `None` when the peer closed
/// before sending anything.
pub(super) fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut start = String::new();
    if reader.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Ok(Some(Head {
        start: start.trim_end().to_string(),
        headers,
    }))
}

/// The first header of this name (any case).
pub(super) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Reads a body: chunked, by Content-Length, or else (an answer on a
/// connection that closes) to the end.
fn read_body(
    reader: &mut impl BufRead,
    headers: &[(String, String)],
    to_end: bool,
) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if header(headers, "Transfer-Encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = size.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                        return Ok(body);
                    }
                }
            }
            let from = body.len();
            body.resize(from + size, 0);
            reader.read_exact(&mut body[from..])?;
            let mut end = String::new();
            reader.read_line(&mut end)?;
        }
    }
    if let Some(length) = header(headers, "Content-Length") {
        let length: usize = length
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad Content-Length"))?;
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else if to_end {
        reader.read_to_end(&mut body)?;
    }
    Ok(body)
}

/// A whole answer.
struct Answer {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Sends one request on a new connection (closed after it) and reads the
/// whole answer.
fn exchange(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> io::Result<Answer> {
    let mut stream = TcpStream::connect(address)?;
    // Long enough for a longpoll `_changes` (under 60 s).
    stream.set_read_timeout(Some(Duration::from_secs(90)))?;
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PUT") {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut reader = BufReader::new(stream);
    let head = read_head(&mut reader)?
        .ok_or_else(|| io::Error::new(io::ErrorKind::ConnectionAborted, "closed with no answer"))?;
    let mut parts = head.start.splitn(3, ' ');
    let status = parts
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad status line"))?;
    let reason = parts.next().unwrap_or("").to_string();
    let body = if method == "HEAD" || status == 204 || status == 304 {
        Vec::new()
    } else {
        read_body(&mut reader, &head.headers, true)?
    };
    Ok(Answer {
        status,
        reason,
        headers: head.headers,
        body,
    })
}

/// The CouchDB path of a request to the app's origin, when it is for the
/// proxy: `/couch/db/_changes?since=0` is `/db/_changes?since=0`.
pub(super) fn couch_path(target: &str) -> Option<String> {
    let rest = target.strip_prefix(Proxy::PREFIX)?;
    if rest.is_empty() {
        Some("/".into())
    } else if rest.starts_with('/') {
        Some(rest.to_string())
    } else if rest.starts_with('?') {
        Some(format!("/{rest}"))
    } else {
        None
    }
}

/// The reverse proxy from the app's origin (`<app>/couch/...`) to a
/// [`Couch`], made by [`super::Server::start_with_couch`]. Clones control the
/// same proxy.
#[derive(Clone)]
pub struct Proxy {
    shared: Arc<Shared>,
}

struct Shared {
    upstream: String,
    url: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    paused: bool,
    left: Option<usize>,
    couchdb3: bool,
    forbidden: bool,
    log: Vec<Proxied>,
}

/// A request that reached the proxy, with the CouchDB path the phone asked
/// for (after `/couch`) and the status it was answered with (`None`: its
/// connection was closed with no answer).
#[derive(Clone, Debug, PartialEq)]
pub struct Proxied {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    /// Bytes of the request's body (what the phone sent).
    pub sent: usize,
    /// Bytes of the answer's body.
    pub received: usize,
    /// When it reached the proxy.
    pub began: std::time::Instant,
    /// How long the server took to answer it.
    pub took: std::time::Duration,
}

/// CouchDB's default session timeout (`[chttpd_auth] timeout`), seconds.
const SESSION_SECS: u32 = 600;

/// Headers that belong to one connection, never passed on.
const HOP_BY_HOP: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "content-length",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-connection",
    // So that pouchdb-server answers uncompressed, and answers can be read.
    "accept-encoding",
];

impl Proxy {
    /// Where on the app's origin CouchDB is.
    pub const PREFIX: &'static str = "/couch";

    pub(super) fn new(couch: &Couch, app_port: u16) -> Proxy {
        Proxy {
            shared: Arc::new(Shared {
                upstream: format!("127.0.0.1:{}", couch.port),
                url: format!("http://127.0.0.1:{app_port}{}", Proxy::PREFIX),
                state: Mutex::new(State::default()),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server address a carer types into the app:
    /// `http://127.0.0.1:PORT/couch` (the app's own origin).
    pub fn url(&self) -> String {
        self.shared.url.clone()
    }

    /// From now on every request to CouchDB has its connection closed with
    /// no answer, as if the server had gone; the app itself is still served
    /// and CouchDB keeps its data.
    pub fn pause(&self) {
        self.state().paused = true;
    }

    /// Answers again (and forgets any [`Proxy::stop_after`]).
    pub fn resume(&self) {
        let mut state = self.state();
        state.paused = false;
        state.left = None;
    }

    /// Answers `n` more requests, then behaves as [`Proxy::pause`]d: a way
    /// to stop a sync midway.
    pub fn stop_after(&self, n: usize) {
        self.state().left = Some(n);
    }

    /// With `true`, answers as CouchDB 3 does where pouchdb-server differs:
    /// `_changes` sequences (and a database's `update_seq`) are opaque
    /// strings like `"12-g1AAAA..."` instead of integers, and
    /// `_bulk_docs` with `new_edits: false` answers only the documents that
    /// failed, each with its `rev`. A `since=` the proxy made is always
    /// turned back into pouchdb-server's integer.
    pub fn couchdb3_answers(&self, on: bool) {
        self.state().couchdb3 = on;
    }

    /// With `true`, answers every request but the session's as CouchDB 3
    /// answers a user who isn't (or is no longer) one of the database's
    /// members: 403 `forbidden` (pouchdb-server says 401 instead).
    pub fn forbid(&self, on: bool) {
        self.state().forbidden = on;
    }

    /// Every request that reached the proxy so far, oldest first.
    pub fn requests(&self) -> Vec<Proxied> {
        self.state().log.clone()
    }

    /// Answers one request for CouchDB (`path` without `/couch`), whose
    /// first line and headers have been read from `reader`.
    pub(super) fn forward(
        &self,
        method: &str,
        path: &str,
        head: &Head,
        reader: &mut impl BufRead,
        mut stream: TcpStream,
    ) -> io::Result<()> {
        let body = read_body(reader, &head.headers, false)?;
        let (answer, couchdb3, forbidden) = {
            let mut state = self.state();
            let answer = !state.paused && state.left != Some(0);
            if let (true, Some(left)) = (answer, state.left.as_mut()) {
                *left -= 1;
            }
            (
                answer,
                state.couchdb3,
                state.forbidden && !path.starts_with("/_session"),
            )
        };
        let mut logged = Proxied {
            method: method.to_string(),
            path: path.to_string(),
            status: None,
            sent: body.len(),
            received: 0,
            began: std::time::Instant::now(),
            took: std::time::Duration::ZERO,
        };
        if !answer {
            self.state().log.push(logged);
            return stream.shutdown(Shutdown::Both);
        }
        let headers: Vec<(String, String)> = head
            .headers
            .iter()
            .filter(|(n, _)| !HOP_BY_HOP.contains(&n.to_ascii_lowercase().as_str()))
            .cloned()
            .collect();
        let target = integer_since(path);
        let creates_db = {
            let route = target.split('?').next().unwrap_or("").trim_matches('/');
            method == "PUT" && !route.is_empty() && !route.contains('/') && !route.starts_with('_')
        };
        let mut answer = if forbidden {
            Answer {
                status: 403,
                reason: "Forbidden".into(),
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: json!({ "error": "forbidden", "reason": "You are not allowed to access this db." })
                    .to_string()
                    .into_bytes(),
            }
        } else if creates_db {
            // pouchdb-server 4.2.0 crashes (the whole process) when anyone
            // but a server admin asks it to create a database; CouchDB 3
            // says this. The app never creates databases.
            Answer {
                status: 401,
                reason: "Unauthorized".into(),
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: json!({ "error": "unauthorized", "reason": "You are not a server admin." })
                    .to_string()
                    .into_bytes(),
            }
        } else {
            exchange(&self.shared.upstream, method, &target, &headers, &body).unwrap_or_else(|e| {
                Answer {
                    status: 502,
                    reason: "Bad Gateway".into(),
                    headers: vec![("Content-Type".into(), "text/plain".into())],
                    body: format!("pouchdb-server didn't answer: {e}").into_bytes(),
                }
            })
        };
        if couchdb3 {
            as_couchdb3(method, &target, &body, &mut answer);
        }
        let mut out = format!("HTTP/1.1 {} {}\r\n", answer.status, answer.reason);
        for (name, value) in &answer.headers {
            let lower = name.to_ascii_lowercase();
            if HOP_BY_HOP.contains(&lower.as_str())
                && !(method == "HEAD" && lower == "content-length")
            {
                continue;
            }
            let value = if lower == "location" {
                value.replace(
                    &format!("http://{}", self.shared.upstream),
                    &self.shared.url,
                )
            } else if lower == "set-cookie"
                && value.starts_with("AuthSession=")
                && !value.to_ascii_lowercase().contains("max-age")
            {
                // CouchDB 3 (`allow_persistent_cookies`, on by default) gives
                // the sign-in cookie a Max-Age of its session timeout, so it
                // outlives a browser restart; pouchdb-server's has none.
                format!("{value}; Max-Age={SESSION_SECS}")
            } else {
                value.clone()
            };
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        if method != "HEAD" {
            out.push_str(&format!("Content-Length: {}\r\n", answer.body.len()));
        }
        out.push_str("Connection: close\r\n\r\n");
        // Logged first, so a test that has its answer finds it in the log.
        logged.status = Some(answer.status);
        logged.received = answer.body.len();
        logged.took = logged.began.elapsed();
        self.state().log.push(logged);
        stream.write_all(out.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&answer.body)?;
        }
        stream.flush()?;
        stream.shutdown(Shutdown::Both)
    }
}

/// CouchDB 3's kind of sequence (`N-` and base64url) for pouchdb-server's
/// integer `n`.
fn opaque_seq(n: u64) -> String {
    let text = base64(format!("pouchdb-server seq {n}").as_bytes());
    let url_safe: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    format!("{n}-g1AAAAB{url_safe}")
}

/// The integer inside a sequence [`opaque_seq`] made.
fn seq_number(seq: &str) -> Option<u64> {
    let (n, rest) = seq.split_once('-')?;
    rest.starts_with("g1AAAAB")
        .then(|| n.parse().ok())
        .flatten()
}

/// `path` with a `since=` that [`opaque_seq`] made turned back into its
/// integer.
fn integer_since(path: &str) -> String {
    let Some((route, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|param| match param.strip_prefix("since=") {
            Some(value) => match seq_number(&percent_decode(value)) {
                Some(n) => format!("since={n}"),
                None => param.to_string(),
            },
            None => param.to_string(),
        })
        .collect();
    format!("{route}?{}", params.join("&"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Rewrites pouchdb-server's answer to `method target` (sent with
/// `request`) as CouchDB 3 would have given it.
fn as_couchdb3(method: &str, target: &str, request: &[u8], answer: &mut Answer) {
    if !(200..300).contains(&answer.status) {
        return;
    }
    let Ok(mut body) = serde_json::from_slice::<Value>(&answer.body) else {
        return;
    };
    let route = target.split('?').next().unwrap_or("");
    let parts: Vec<&str> = route.trim_matches('/').split('/').collect();
    let changed = match parts.as_slice() {
        [db] if method == "GET" && !db.is_empty() && !db.starts_with('_') => {
            opaque(&mut body["update_seq"])
        }
        [_, "_changes"] => {
            let mut changed = opaque(&mut body["last_seq"]);
            if let Some(rows) = body["results"].as_array_mut() {
                for row in rows {
                    changed |= opaque(&mut row["seq"]);
                }
            }
            changed
        }
        [_, "_bulk_docs"] if method == "POST" => {
            let sent: Value = serde_json::from_slice(request).unwrap_or(Value::Null);
            if sent["new_edits"] == json!(false) {
                only_failures(&sent, &mut body)
            } else {
                false
            }
        }
        _ => false,
    };
    if changed {
        answer.body = body.to_string().into_bytes();
        answer
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("etag"));
    }
}

/// An integer sequence made opaque; whether it was one.
fn opaque(seq: &mut Value) -> bool {
    match seq.as_u64() {
        Some(n) => {
            *seq = Value::String(opaque_seq(n));
            true
        }
        None => false,
    }
}

/// A `_bulk_docs` answer cut to its failed rows, each with the revision it
/// was for (CouchDB 3's answer to `new_edits: false`).
fn only_failures(sent: &Value, answer: &mut Value) -> bool {
    let Some(rows) = answer.as_array() else {
        return false;
    };
    let docs = sent["docs"].as_array().cloned().unwrap_or_default();
    let mut used = vec![false; docs.len()];
    let failed: Vec<Value> = rows
        .iter()
        .filter(|row| row.get("error").is_some())
        .map(|row| {
            let mut row = row.clone();
            let found = docs
                .iter()
                .enumerate()
                .find(|(i, d)| !used[*i] && d["_id"] == row["id"]);
            if let Some((i, doc)) = found {
                used[i] = true;
                if row.get("rev").is_none() {
                    row["rev"] = doc["_rev"].clone();
                }
            }
            row
        })
        .collect();
    let changed = failed.len() != rows.len() || failed.iter().zip(rows).any(|(a, b)| a != b);
    *answer = Value::Array(failed);
    changed
}
