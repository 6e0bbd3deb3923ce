//! The pieces every journey needs, each of which cleans up after itself, on
//! failure too: a static file server that can be stopped (so the origin is
//! truly unreachable), chromedriver, and a Chromium session at 360x740; for
//! sync, a scheme's CouchDB ([`Couch`]) behind the app's own origin
//! ([`Server::start_with_couch`]).

mod couch;

pub use couch::{Couch, Http, Proxy, Reply};

use couch::{couch_path, read_head};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::io::{BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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
pub struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on a free port.
    pub fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1");
        Server::serve_on(listener, root, None)
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
        (Server::serve_on(listener, root, Some(proxy.clone())), proxy)
    }

    fn serve_on(listener: TcpListener, root: PathBuf, proxy: Option<Proxy>) -> Server {
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                match &proxy {
                    None => {
                        let _ = serve(&root, None, stream);
                    }
                    Some(proxy) => {
                        let (root, proxy) = (root.clone(), proxy.clone());
                        std::thread::spawn(move || serve(&root, Some(&proxy), stream));
                    }
                }
            }
        });
        Server {
            port,
            stop,
            thread: Some(thread),
        }
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

fn serve(root: &Path, proxy: Option<&Proxy>, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(head) = read_head(&mut reader)? else {
        return Ok(());
    };
    let mut parts = head.start.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    if let Some((proxy, path)) = proxy.zip(couch_path(target)) {
        return proxy.forward(method, &path, &head, &mut reader, stream);
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    let file = if relative.is_empty() || relative.ends_with('/') {
        root.join(relative).join("index.html")
    } else {
        root.join(relative)
    };
    let safe = !relative.split('/').any(|p| p == "..");
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body, content_type(&file)),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
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

/// A chromedriver process, ended when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it answers.
    pub fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("couldn't start {binary}: {e}"));
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

/// Launches Chromium on `profile` at 360x740, runs `journey`, and always quits
/// the browser afterwards, also when the journey fails.
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
    let capabilities = serde_json::json!({
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
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
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
        e.send_keys(text).await
    })
    .await;
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
