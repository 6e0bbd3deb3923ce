//! The pieces every journey needs, each of which cleans up after itself, on
//! failure too: a static file server that can be stopped (so the origin is
//! truly unreachable) and counts what is asked of it, a WebDriver for one of
//! three engines ([`Engine`]: Chromium by default; WebKitGTK on an Xvfb
//! display of its own; Firefox ESR) and a browser session at 360x740; for
//! sync, a scheme's CouchDB ([`Couch`]) behind the app's own origin
//! ([`Server::start_with_couch`]).

mod couch;

pub use couch::{Couch, Http, Proxy, Reply};

use couch::{couch_path, header, read_head};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The phone-sized viewport every journey uses.
pub const WIDTH: u32 = 360;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 740;

/// The built app, from `HEARTH_DIST` or `../dist`.
pub fn dist() -> PathBuf {
    let dir = std::env::var_os("HEARTH_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file() && dir.join("sw.js").is_file(),
        "no built app in {}: run `./hearth test`, which builds it first",
        dir.display()
    );
    dir
}

/// A static file server for `dist/` on 127.0.0.1 that can be stopped mid-test.
/// It keeps every request for a file, in order ([`Server::requested`]).
pub struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    requested: Arc<Mutex<Vec<Request>>>,
}

/// A request a [`Server`] answered with a file (or a 404).
#[derive(Clone, Debug)]
pub struct Request {
    /// The path, without a query.
    pub path: String,
    /// The address of what asked, if the browser said (`Referer`): the page,
    /// or the service worker's script for what the worker fetches.
    pub referer: Option<String>,
}

/// What a [`Server`] serves, and how.
struct Serving {
    root: PathBuf,
    proxy: Option<Proxy>,
    /// Files under `pkg-<hash>/` may be cached for a year, as a real static
    /// host is asked to (README's "Deploying", `tools/serve.py`); otherwise
    /// every file is `no-cache`.
    cache_hashed: bool,
    requested: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Serves `root` on a free port, every file `no-cache`.
    pub fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
        Server::serve_on(listener, root, None, false)
    }

    /// Serves `root` on a free port the way a static host does: the files
    /// under `pkg-<hash>/` cached for a year (`immutable`, as
    /// `tools/serve.py` does), the rest `no-cache`.
    pub fn start_as_host(root: PathBuf) -> Server {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
        Server::serve_on(listener, root, None, true)
    }

    /// Serves `root` on a free port, and `couch` under `/couch/` on the same
    /// origin (the set-up a scheme is advised to use): the app's server
    /// address is then [`Proxy::url`], `<app url>couch`. Each connection gets
    /// a thread of its own. The [`Proxy`] can pause CouchDB while the app is
    /// still served; [`Server::stop`] ends both.
    pub fn start_with_couch(root: PathBuf, couch: &Couch) -> (Server, Proxy) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let proxy = Proxy::new(couch, port);
        (
            Server::serve_on(listener, root, Some(proxy.clone()), false),
            proxy,
        )
    }

    fn serve_on(
        listener: TcpListener,
        root: PathBuf,
        proxy: Option<Proxy>,
        cache_hashed: bool,
    ) -> Server {
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let requested = Arc::new(Mutex::new(Vec::new()));
        let site = Arc::new(Serving {
            root,
            proxy,
            cache_hashed,
            requested: requested.clone(),
        });
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                if site.proxy.is_none() {
                    let _ = serve(&site, stream);
                } else {
                    let site = site.clone();
                    std::thread::spawn(move || serve(&site, stream));
                }
            }
        });
        Server {
            port,
            stop,
            thread: Some(thread),
            requested,
        }
    }

    /// Every request for a file so far (not those for the CouchDB behind
    /// `/couch/`), in the order they came.
    pub fn requested(&self) -> Vec<Request> {
        self.requested.lock().expect("request log").clone()
    }

    /// The app's address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Stops serving: afterwards every connection to the port is refused.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.stop.store(true, Ordering::SeqCst);
            // Wake the accept loop so it sees the flag and drops the listener.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn serve(site: &Serving, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(head) = read_head(&mut reader)? else {
        return Ok(());
    };
    let mut parts = head.start.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    if let Some((proxy, path)) = site.proxy.as_ref().zip(couch_path(target)) {
        return proxy.forward(method, &path, &head, &mut reader, stream);
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    site.requested.lock().expect("request log").push(Request {
        path: path.to_string(),
        referer: header(&head.headers, "Referer").map(str::to_string),
    });
    let relative = path.trim_start_matches('/');
    let file = if relative.is_empty() || relative.ends_with('/') {
        site.root.join(relative).join("index.html")
    } else {
        site.root.join(relative)
    };
    let safe = !relative.split('/').any(|p| p == "..");
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body, content_type(&file)),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let cache = if site.cache_hashed && status == "200 OK" && is_hashed(relative) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
}

/// Whether a file is in a folder named by its content (`pkg-<16 hex digits>/`).
fn is_hashed(relative: &str) -> bool {
    relative
        .split_once('/')
        .and_then(|(folder, _)| folder.strip_prefix("pkg-"))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// The browser engines the journeys run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Chromium (Blink) by chromedriver, headless: every journey's engine
    /// unless it asks for another.
    Chromium,
    /// WebKitGTK (Safari's engine): its MiniBrowser by WebKitWebDriver, on an
    /// Xvfb display of its own. Its automation sessions keep nothing on disk:
    /// a journey in it is one browser session.
    WebKit,
    /// Firefox ESR (Gecko) by geckodriver, headless.
    Firefox,
}

/// A WebDriver process for one [`Engine`] (and the X display it needs), ended
/// when dropped, with every browser it started.
pub struct Driver {
    child: Child,
    port: u16,
    engine: Engine,
    // Dropped after the driver and its browsers have been ended.
    _display: Option<Xvfb>,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it answers.
    pub fn start() -> Driver {
        Driver::start_for(Engine::Chromium)
    }

    /// Starts the WebDriver of `engine` on a free port and waits until it
    /// answers: chromedriver (`CHROMEDRIVER`), WebKitWebDriver
    /// (`WEBKITWEBDRIVER`) on a new Xvfb display, or geckodriver
    /// (`GECKODRIVER`).
    pub fn start_for(engine: Engine) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let (variable, default) = match engine {
            Engine::Chromium => ("CHROMEDRIVER", "chromedriver"),
            Engine::WebKit => ("WEBKITWEBDRIVER", "WebKitWebDriver"),
            Engine::Firefox => ("GECKODRIVER", "geckodriver"),
        };
        let binary = std::env::var(variable).unwrap_or_else(|_| default.into());
        let display = (engine == Engine::WebKit).then(Xvfb::start);
        let mut command = Command::new(&binary);
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(display) = &display {
            command.env("DISPLAY", &display.name);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("couldn't start {binary}: {e}"));
        let driver = Driver {
            child,
            port,
            engine,
            _display: display,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{binary} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // A browser still open (a session that failed before it could be
        // closed) would outlive its driver: it is ended by its process id.
        let browsers = descendants(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        end_processes(&browsers);
    }
}

/// An X server of its own (Xvfb, on the first free display), ended when dropped.
struct Xvfb {
    child: Child,
    /// The display, as `DISPLAY` takes it (`:99`).
    name: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let binary = std::env::var("XVFB").unwrap_or_else(|_| "Xvfb".into());
        // -displayfd: Xvfb picks a free display and writes its number there.
        let child = Command::new(&binary)
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg(format!("{WIDTH}x{HEIGHT}x24"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("couldn't start {binary}: {e}"));
        let mut xvfb = Xvfb {
            child,
            name: String::new(),
        };
        let mut number = String::new();
        let stdout = xvfb.child.stdout.take().expect("Xvfb's output");
        let _ = BufReader::new(stdout).read_line(&mut number);
        let number = number.trim();
        assert!(
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "{binary} did not start (it gave no display number)"
        );
        xvfb.name = format!(":{number}");
        xvfb
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every process below `pid` (children, theirs, and so on), from `/proc`.
fn descendants(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let child: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).ok()?;
            // "pid (name) state ppid ...": the name may hold spaces and parentheses.
            let parent = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
            Some((child, parent.parse().ok()?))
        })
        .collect();
    let mut found = vec![pid];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        next += 1;
    }
    found.split_off(1)
}

/// Ends these processes, by their ids.
fn end_processes(pids: &[u32]) {
    if !pids.is_empty() {
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(pids.iter().map(u32::to_string))
            .stderr(Stdio::null())
            .status();
    }
}

/// A browser profile on disk: what a phone's browser keeps between launches.
pub struct Profile {
    dir: PathBuf,
}

impl Profile {
    /// A fresh, empty profile.
    pub fn new(name: &str) -> Profile {
        let dir = std::env::temp_dir().join(format!("hearth-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("profile dir");
        Profile { dir }
    }

    /// Every file of the profile that holds one of `words` (as UTF-8, or as
    /// UTF-16, the browser's other way of writing text), with the word:
    /// what someone reading the phone's disk would find.
    pub fn files_holding(&self, words: &[&str]) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        let mut dirs = vec![self.dir.clone()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                for word in words {
                    let utf16: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
                    if contains(&bytes, word.as_bytes()) || contains(&bytes, &utf16) {
                        found.push((path.clone(), word.to_string()));
                    }
                }
            }
        }
        found
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

impl Drop for Profile {
    fn drop(&mut self) {
        // Any Chromium still using this profile (a crashed session) is ended too.
        let _ = Command::new("pkill")
            .arg("-f")
            .arg(format!("user-data-dir={}", self.dir.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Launches the driver's browser on `profile` at 360x740, runs `journey`, and
/// always quits the browser afterwards, also when the journey fails.
pub async fn with_browser<F, Fut>(driver: &Driver, profile: &Profile, journey: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let client = connect(driver, profile).await;
    let outcome = tokio::spawn(journey(client.clone())).await;
    let _ = client.close().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn connect(driver: &Driver, profile: &Profile) -> Client {
    let capabilities = match driver.engine {
        Engine::Chromium => chromium(profile),
        Engine::WebKit => serde_json::json!({
            "browserName": "MiniBrowser",
            // Full screen: no toolbar, whose width would keep the window
            // wider than a phone.
            "webkitgtk:browserOptions": { "args": ["--automation", "--full-screen"] },
        }),
        Engine::Firefox => firefox(profile),
    };
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("a {:?} session: {e}", driver.engine));
    if driver.engine != Engine::Chromium {
        phone_sized(&client).await;
    }
    client
}

fn chromium(profile: &Profile) -> serde_json::Value {
    serde_json::json!({
        "browserName": "chrome",
        "unhandledPromptBehavior": "ignore",
        "goog:chromeOptions": {
            "mobileEmulation": {
                "deviceMetrics": { "width": WIDTH, "height": HEIGHT, "pixelRatio": 1.0, "touch": true },
            },
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--no-first-run",
                "--no-default-browser-check",
                format!("--user-data-dir={}", profile.dir.display()),
            ],
        }
    })
}

/// Firefox on `profile`, whose window may be as narrow as a phone (its own
/// stylesheet lifts the browser's minimum width of 450 pixels), with a
/// phone's scrollbars, over the page rather than beside it.
fn firefox(profile: &Profile) -> serde_json::Value {
    let chrome = profile.dir.join("chrome");
    std::fs::create_dir_all(&chrome).expect("Firefox profile");
    std::fs::write(
        profile.dir.join("user.js"),
        "user_pref(\"toolkit.legacyUserProfileCustomizations.stylesheets\", true);\n\
         user_pref(\"ui.useOverlayScrollbars\", 1);\n",
    )
    .expect("Firefox preferences");
    std::fs::write(
        chrome.join("userChrome.css"),
        ":root { min-width: 0 !important; min-height: 0 !important; }\n",
    )
    .expect("Firefox window style");
    let binary = std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
    serde_json::json!({
        "browserName": "firefox",
        "moz:firefoxOptions": {
            "binary": binary,
            "args": ["-headless", "-profile", profile.dir.display().to_string()],
        }
    })
}

/// Sizes the window so the page's viewport is 360x740, as a phone's.
async fn phone_sized(c: &Client) {
    let viewport = "return [window.innerWidth, window.innerHeight];";
    let mut size = (WIDTH, HEIGHT);
    for _ in 0..3 {
        c.set_window_size(size.0, size.1)
            .await
            .expect("size the window");
        let inner = eval(c, viewport).await;
        let inner = |i: usize| inner[i].as_u64().unwrap_or(0) as u32;
        let (width, height) = (inner(0), inner(1));
        if (width, height) == (WIDTH, HEIGHT) {
            return;
        }
        // What the browser's own frame takes.
        size = (
            size.0 + WIDTH - width.min(WIDTH),
            size.1 + HEIGHT - height.min(HEIGHT),
        );
    }
    let inner = eval(c, viewport).await;
    panic!("the viewport is {inner}, not {WIDTH}x{HEIGHT}");
}

/// How long a screen may take to appear.
const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for an element by CSS selector.
pub async fn css(c: &Client, selector: &str) -> Element {
    c.wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no element {selector:?}: {e}"))
}

/// Finds what `xpath` names, scrolls it into view and does `action` to it, as
/// a thumb would. The screen may re-render between finding and acting (a list
/// refreshing after a save), so it tries again until [`PATIENCE`] runs out.
async fn act<F, Fut>(c: &Client, xpath: &str, what: &str, action: F)
where
    F: Fn(Element) -> Fut,
    Fut: std::future::Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        let attempt = match c.find(Locator::XPath(xpath)).await {
            Ok(element) => match scroll_into_view(c, &element).await {
                Ok(()) => action(element).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match attempt {
            Ok(()) => return,
            Err(e) if Instant::now() > deadline => panic!("couldn't {what}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn scroll_into_view(
    c: &Client,
    element: &Element,
) -> Result<(), fantoccini::error::CmdError> {
    let arg = serde_json::to_value(element).expect("element as JSON");
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await
        .map(drop)
}

/// Taps the button or link whose visible text is exactly `text`.
pub async fn tap(c: &Client, text: &str) {
    let xpath = format!(
        "//*[self::button or self::a or self::summary][normalize-space(.)={}]",
        xpath_literal(text)
    );
    act(c, &xpath, &format!("tap {text:?}"), |e| async move {
        e.click().await
    })
    .await;
}

/// Taps the link whose text contains `text` (a record in a list).
pub async fn tap_containing(c: &Client, text: &str) {
    let xpath = format!("//a[contains(normalize-space(.), {})]", xpath_literal(text));
    act(
        c,
        &xpath,
        &format!("tap the link with {text:?}"),
        |e| async move { e.click().await },
    )
    .await;
}

/// Opens a list row (a person, say) by its title.
pub async fn open_row(c: &Client, title: &str) {
    let xpath = format!(
        "//a[contains(@class,'row-link')][.//*[contains(@class,'row-title')][normalize-space(.)={}]]",
        xpath_literal(title)
    );
    act(
        c,
        &xpath,
        &format!("open the row {title:?}"),
        |e| async move { e.click().await },
    )
    .await;
}

/// Types into the field with this element id (after clearing it).
pub async fn fill(c: &Client, id: &str, text: &str) {
    let xpath = format!("//*[@id={}]", xpath_literal(id));
    act(c, &xpath, &format!("type into {id:?}"), |e| async move {
        e.clear().await?;
        e.send_keys(text).await?;
        // WebKitWebDriver now and then drops a key: type it again, as a
        // carer would who saw the field wrong.
        match e.prop("value").await? {
            Some(typed) if typed == text => Ok(()),
            typed => Err(fantoccini::error::CmdError::InvalidArgument(
                format!("the field holds {typed:?}"),
                format!("{text:?} was typed"),
            )),
        }
    })
    .await;
}

/// Says "leave" to "You have changes that aren't saved", once it is asked
/// (the app asks as the address changes, a moment after a `goto`).
pub async fn leave_unsaved(c: &Client) {
    for _ in 0..50 {
        if c.accept_alert().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the app didn't ask before leaving unsaved changes");
}

/// Types why a record is being deleted, in the delete dialog that is open.
pub async fn delete_reason(c: &Client, text: &str) {
    css(c, "dialog[open] textarea").await;
    let id = eval(
        c,
        "return document.querySelector('dialog[open] textarea').id;",
    )
    .await;
    fill(c, id.as_str().expect("the reason's field"), text).await;
}

/// Sets a date or time input's value the way a picker would.
pub async fn set_value(c: &Client, id: &str, value: &str) {
    css(c, &format!("[id='{id}']")).await;
    c.execute(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('input', {bubbles: true})); \
         el.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![id.into(), value.into()],
    )
    .await
    .expect("set value");
}

/// Ticks the box (or radio button) whose label reads `label`.
pub async fn tick(c: &Client, label: &str) {
    pick(c, "check", label).await;
}

/// Taps the face with this word.
pub async fn face(c: &Client, word: &str) {
    pick(c, "face-option", word).await;
}

async fn pick(c: &Client, class: &str, label: &str) {
    let xpath = format!(
        "//label[contains(@class,'{class}')][normalize-space(.)={}]",
        xpath_literal(label)
    );
    act(c, &xpath, &format!("choose {label:?}"), |e| async move {
        e.click().await
    })
    .await;
}

/// Waits until the page's text contains `text`.
pub async fn see(c: &Client, text: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let body = page_text(c).await;
        if body.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected to see {text:?} on the screen, which shows:\n{body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reloads the page as the browser's reload button does. (WebDriver's own
/// refresh is a forced reload in Firefox, which a service worker never sees.)
pub async fn reload(c: &Client) {
    eval(
        c,
        "window.__reloading = true; setTimeout(() => location.reload()); return true;",
    )
    .await;
    let deadline = Instant::now() + PATIENCE;
    let reloaded = "return document.readyState === 'complete' && !window.__reloading;";
    // While the old page goes and the new one comes, a script may fail.
    while !matches!(
        c.execute(reloaded, vec![]).await,
        Ok(serde_json::Value::Bool(true))
    ) {
        assert!(Instant::now() < deadline, "the page did not reload");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The visible text of the page.
pub async fn page_text(c: &Client) -> String {
    c.execute("return document.body.innerText;", vec![])
        .await
        .expect("read page")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Evaluates a script and returns its result.
pub async fn eval(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.expect("run script")
}

/// Saves a screenshot under `target/e2e-screens/` for a person to look at.
pub async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screens");
    std::fs::create_dir_all(&dir).expect("screens dir");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("save screenshot");
}

fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}

/// Fills in the first-run welcome as the carer Ann.
pub async fn welcome(c: &Client) {
    see(c, "Everything stays on this phone.").await;
    fill(c, "f-carer_name", "Ann").await;
    fill(c, "f-household_name", "Ann and Dev's").await;
    tap(c, "Start using Hearth").await;
    see(c, "Today's records").await;
}

/// Adds a person with only the required details, from anywhere in the app.
pub async fn add_person(c: &Client, name: &str, arrangement: &str) {
    tap(c, "People").await;
    tap(c, "Add a person").await;
    fill(c, "f-preferred_name", name).await;
    tick(c, arrangement).await;
    tap(c, "Add person").await;
    see(c, "Write a note").await;
}

/// Writes a note from a person's page and waits for it on the page.
pub async fn write_note(c: &Client, text: &str) {
    tap(c, "Write a note").await;
    fill(c, "f-text", text).await;
    tap(c, "Save note").await;
    see(c, text).await;
}

/// The phone's local date, `days` from today, as a date input takes it.
pub async fn local_date(c: &Client, days: i32) -> String {
    let script = format!(
        "const d = new Date(Date.now() + {days} * 86400000); \
         return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');"
    );
    eval(c, &script).await.as_str().expect("a date").to_string()
}

/// A copy of the built app that a test may change (to deploy a "new version").
pub struct Site {
    dir: PathBuf,
}

impl Site {
    /// Copies `dist/` into a fresh folder.
    pub fn copy_of_dist(name: &str) -> Site {
        let dir =
            std::env::temp_dir().join(format!("hearth-e2e-site-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&dist(), &dir);
        Site { dir }
    }

    /// The folder to serve.
    pub fn dir(&self) -> PathBuf {
        self.dir.clone()
    }

    /// Rewrites one file of the site.
    pub fn edit(&self, file: &str, change: impl FnOnce(String) -> String) {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read site file");
        std::fs::write(&path, change(text)).expect("write site file");
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Waits until a service worker controls the page (the app is cached).
pub async fn wait_for_service_worker(c: &Client) {
    let deadline = Instant::now() + PATIENCE;
    while eval(
        c,
        "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
    )
    .await
        != serde_json::Value::Bool(true)
    {
        assert!(
            Instant::now() < deadline,
            "the service worker never took control of the page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element with this id has keyboard focus.
pub async fn focused(c: &Client, id: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let active = eval(
            c,
            "return document.activeElement ? document.activeElement.id : '';",
        )
        .await;
        if active == id {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "focus is on {active}, not {id:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Records files the app saves, instead of letting the browser download them.
pub const CATCH_DOWNLOADS: &str = "window.__downloads = []; window.__blobs = []; \
    const make = URL.createObjectURL; \
    URL.createObjectURL = function (blob) { window.__blobs.push(blob); return make.call(URL, blob); }; \
    HTMLAnchorElement.prototype.click = function () { \
      if (this.download) { window.__downloads.push({ name: this.download, blob: window.__blobs[window.__blobs.length - 1] }); } };";

/// The name and text of the newest saved file whose name contains `part`,
/// waiting for the app to save it.
pub async fn download_containing(c: &Client, part: &str) -> (String, String) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (name, text) = last_download(c).await;
        if name.contains(part) {
            return (name, text);
        }
        assert!(
            Instant::now() < deadline,
            "no file named *{part}* was saved; the last was {name:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of the newest file the app saved.
pub async fn last_download(c: &Client) -> (String, String) {
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const d = window.__downloads[window.__downloads.length - 1]; \
             d.blob.text().then(t => done([d.name, t]), e => done(['', String(e)]));",
            vec![],
        )
        .await
        .expect("read the saved file");
    let pair = found.as_array().expect("name and text");
    (
        pair[0].as_str().unwrap_or_default().to_string(),
        pair[1].as_str().unwrap_or_default().to_string(),
    )
}
