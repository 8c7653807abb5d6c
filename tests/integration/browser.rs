//! The pages dudsim writes, read in a real browser: headless Chromium loads
//! each at a phone's size (390 × 844), a small phone's (360 × 740) and a
//! laptop's (1280 × 800) and measures what a reader would see: nothing wider than the screen,
//! every chart shown (once) inside the screen's width with text large
//! enough to read, the finding in a sentence on the first screen, no
//! console message, nothing loaded from anywhere.
//!
//! How: the page must hold no script, so a wrapper page holds it in an
//! iframe of the screen's size (`srcdoc`, the same origin as the wrapper,
//! so nothing but the browser itself is needed, offline; and the iframe,
//! not the window, sets the page's viewport, since `--dump-dom` keeps the
//! window at least 500 pixels wide) and a script of the wrapper measures
//! the page once it has loaded and writes the figures into the wrapper's
//! DOM, which `--dump-dom` prints. The same run saves a screenshot of the
//! first screen under `target/browser-screenshots/`, and a second one of
//! the whole page at a phone's width, for people to look at (CI keeps
//! them). Chromium's console messages go to its standard error
//! (`--enable-logging=stderr`), where the test looks for them.
//!
//! The test fails, not skips, when Chromium is missing: `.ci/run` installs
//! it from the distribution's packages; `DUDSIM_CHROMIUM` names another
//! binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::common::{dudsim, temp_dir, utf8};

/// A phone's screen and a laptop's, in CSS pixels; and a small phone's,
/// where nothing may overflow either.
const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1280, 800);
const SMALL_PHONE: (u32, u32) = (360, 740);

/// The smallest chart text a phone may show, in CSS pixels.
const MIN_CHART_TEXT_ON_A_PHONE: f64 = 11.0;

/// The browser's flags: no network, no first-run or background work, a
/// fresh profile each time (added per run).
const FLAGS: [&str; 11] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
];

/// What the wrapper's script measures in the page, as JSON in the element
/// `#result`: the widths of the page and its viewport, the elements that
/// reach beyond it (outside boxes that scroll), each figure's shown charts
/// with their box and smallest text (font size times the SVG's scale),
/// the headline, the scripts and the resources the page loaded.
const MEASURE: &str = r#"
const frame = document.getElementById('page');
function describe(e) {
  const b = e.getBoundingClientRect();
  return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && e.className.baseVal === undefined ? '.' + e.className : '') +
    ' ' + Math.round(b.left) + '..' + Math.round(b.right);
}
function scrolls(e, win) {
  for (let p = e.parentElement; p; p = p.parentElement) {
    const o = win.getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
  }
  return false;
}
function measure() {
  const win = frame.contentWindow, doc = frame.contentDocument, root = doc.documentElement;
  const width = root.clientWidth;
  const r = {
    innerWidth: win.innerWidth, clientWidth: width,
    scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight,
    scripts: doc.getElementsByTagName('script').length,
    resources: win.performance.getEntriesByType('resource').length,
  };
  r.beyond = [...doc.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e, win))
    .slice(0, 8).map(describe);
  r.figures = [...doc.querySelectorAll('figure')].map(figure => {
    const shown = [...figure.querySelectorAll('svg')]
      .filter(s => s.getBoundingClientRect().width > 0);
    const f = { id: figure.id, shown: shown.length };
    if (shown.length > 0) {
      const svg = shown[0], box = svg.getBoundingClientRect(), scale = svg.getScreenCTM().a;
      let smallest = Infinity;
      for (const t of svg.querySelectorAll('text')) {
        if (t.textContent.trim() === '') continue;
        smallest = Math.min(smallest, parseFloat(win.getComputedStyle(t).fontSize) * scale);
      }
      Object.assign(f, { left: box.left, right: box.right, width: box.width,
                         height: box.height, smallestText: smallest });
    }
    return f;
  });
  const headline = doc.querySelector('.headline');
  r.headline = headline ? headline.textContent.trim() : '';
  r.headlineBottom = headline ? headline.getBoundingClientRect().bottom : null;
  document.getElementById('result').textContent = 'MEASURED' + JSON.stringify(r) + 'END';
}
if (frame.contentDocument && frame.contentDocument.readyState === 'complete'
    && frame.contentDocument.body && frame.contentDocument.body.childElementCount > 0) {
  measure();
} else {
  frame.addEventListener('load', measure);
}
"#;

/// The Chromium binary: `DUDSIM_CHROMIUM`, or the first of the usual names
/// on the path. Panics with what to install when there is none.
fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("DUDSIM_CHROMIUM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "DUDSIM_CHROMIUM names {}, which is not a file: the browser test needs Chromium",
            path.display()
        );
        return path;
    }
    let names = ["chromium", "chromium-browser", "google-chrome", "chrome"];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "no Chromium on the path (tried {names:?}): the browser test needs it. Install \
         it (Debian: apt-get install chromium; .ci/run does) or set DUDSIM_CHROMIUM"
    );
}

/// Where the screenshots go: `target/browser-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("a directory for the screenshots");
    dir
}

/// `text` as the value of an HTML attribute in double quotes.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;")
}

/// The wrapper page of `page`: the page in an iframe of `size` at the
/// window's top left, and the measuring script.
fn wrapper(page: &str, (width, height): (u32, u32)) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
         <style>html, body {{ margin: 0; padding: 0; overflow: hidden; }} \
         iframe {{ display: block; border: 0; width: {width}px; height: {height}px; }} \
         #result {{ display: none; }}</style></head>\n<body>\
         <iframe id=\"page\" srcdoc=\"{}\"></iframe><pre id=\"result\">not measured</pre>\n\
         <script>{MEASURE}</script></body></html>\n",
        attribute(page)
    )
}

/// What one load of a page gave.
struct Load {
    /// The measures, as the script wrote them.
    measured: Value,
    /// Console messages the browser logged.
    console: Vec<String>,
}

/// Loads `wrapper_file` in a window of `size`, saving a screenshot to
/// `screenshot`.
fn load(chromium: &Path, wrapper_file: &Path, size: (u32, u32), screenshot: &Path) -> Load {
    let profile = temp_dir();
    let out = Command::new(chromium)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", utf8(profile.path())))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg("--virtual-time-budget=5000")
        .arg(format!("--screenshot={}", utf8(screenshot)))
        .arg("--dump-dom")
        .arg(format!("file://{}", utf8(wrapper_file)))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()));
    let dom = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} failed ({}):\n{stderr}",
        chromium.display(),
        out.status
    );
    let json = dom
        .split_once("MEASURED")
        .and_then(|(_, rest)| rest.split_once("END"))
        .map(|(json, _)| {
            json.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("the page was not measured; the DOM:\n{dom}\n{stderr}"));
    Load {
        measured: serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("the measures are not JSON ({e}): {json}")),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// Checks one load of the page `name` at `size`; returns the smallest
/// chart text and the page's height.
fn check(name: &str, size: (u32, u32), load: &Load) -> (f64, f64) {
    let m = &load.measured;
    let at = format!("{name} at {}×{}", size.0, size.1);
    let number = |key: &str| m[key].as_f64().unwrap_or(f64::NAN);
    assert!(
        load.console.is_empty(),
        "{at}: console messages: {:?}",
        load.console
    );
    assert_eq!(number("scripts"), 0.0, "{at}: the page holds a script");
    assert_eq!(number("resources"), 0.0, "{at}: the page loaded something");
    assert_eq!(number("innerWidth"), f64::from(size.0), "{at}: window size");
    assert!(
        number("scrollWidth") <= number("clientWidth"),
        "{at}: the page is {} pixels wide in a viewport of {}; too wide: {}",
        number("scrollWidth"),
        number("clientWidth"),
        m["beyond"]
    );
    assert_eq!(
        m["beyond"].as_array().map(Vec::len),
        Some(0),
        "{at}: {}",
        m["beyond"]
    );
    let headline = m["headline"].as_str().unwrap_or_default();
    assert!(headline.len() > 40, "{at}: no headline ({headline:?})");
    let bottom = number("headlineBottom");
    assert!(
        bottom <= f64::from(size.1),
        "{at}: the headline ends {bottom} pixels down, below the first screen"
    );
    let figures = m["figures"].as_array().expect("figures");
    let mut smallest = f64::INFINITY;
    for f in figures {
        let id = f["id"].as_str().unwrap_or("?");
        assert_eq!(
            f["shown"], 1,
            "{at}: figure {id} shows {} charts",
            f["shown"]
        );
        let (left, right) = (f["left"].as_f64().unwrap(), f["right"].as_f64().unwrap());
        let (width, height) = (f["width"].as_f64().unwrap(), f["height"].as_f64().unwrap());
        assert!(
            width > 50.0 && height > 50.0,
            "{at}: figure {id} is {width}×{height}"
        );
        assert!(
            left >= 0.0 && right <= number("clientWidth") + 0.5,
            "{at}: figure {id} spans {left}..{right}, beyond the screen"
        );
        let text = f["smallestText"].as_f64().unwrap_or(f64::NAN);
        assert!(text.is_finite(), "{at}: figure {id} has no text");
        smallest = smallest.min(text);
    }
    (smallest, number("scrollHeight"))
}

/// Loads `page` (a file dudsim wrote, `name` in messages and screenshot
/// names) at both sizes, checks it, and saves
/// its screenshots; returns, for the report, the smallest chart text at
/// each size and how many charts it shows.
fn read_in_browser(chromium: &Path, name: &str, page: &Path, shots: &Path) -> String {
    let html = std::fs::read_to_string(page).expect("the page");
    let work = temp_dir();
    let wrapped = |size: (u32, u32)| {
        let file = work
            .path()
            .join(format!("{name}-{}x{}.html", size.0, size.1));
        std::fs::write(&file, wrapper(&html, size)).expect("the wrapper page");
        file
    };

    let started = Instant::now();
    let mut report = Vec::new();
    for size in [PHONE, SMALL_PHONE, LAPTOP] {
        let shot = shots.join(format!("{name}-{}x{}.png", size.0, size.1));
        let load = load(chromium, &wrapped(size), size, &shot);
        let (smallest, height) = check(name, size, &load);
        let figures = load.measured["figures"].as_array().map_or(0, Vec::len);
        if size == PHONE {
            assert!(
                smallest >= MIN_CHART_TEXT_ON_A_PHONE,
                "{name} at {}×{}: chart text as small as {smallest:.1} CSS pixels",
                size.0,
                size.1
            );
            // The whole page at a phone's width, for people to look at.
            let tall = (size.0, (height.ceil() as u32).clamp(size.1, 30_000));
            let full = shots.join(format!("{name}-{}-full.png", size.0));
            load_only(chromium, &wrapped(tall), tall, &full);
        }
        assert!(shot.is_file(), "no screenshot {}", shot.display());
        report.push(format!(
            "{name} at {}×{}: {figures} charts, smallest chart text {smallest:.1} px",
            size.0, size.1
        ));
    }
    format!(
        "{} ({:.1} s)",
        report.join("; "),
        started.elapsed().as_secs_f64()
    )
}

/// Loads the wrapper at `size` for its screenshot only.
fn load_only(chromium: &Path, wrapper_file: &Path, size: (u32, u32), screenshot: &Path) {
    let profile = temp_dir();
    let out = Command::new(chromium)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", utf8(profile.path())))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg("--virtual-time-budget=5000")
        .arg(format!("--screenshot={}", utf8(screenshot)))
        .arg(format!("file://{}", utf8(wrapper_file)))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_page_reads_on_a_phone_and_on_a_laptop() {
    let chromium = chromium();
    let tmp = temp_dir();
    let run = tmp.path().join("run");
    let decision = tmp.path().join("decision");
    let sensitivity = tmp.path().join("sensitivity");
    dudsim(["run", "--replicates", "300", "--quiet", "--out", utf8(&run)]).ok();
    // The decision example: clearance plans on a map placed on the Earth,
    // the report's widest tables and most charts.
    let village = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/decision/village.toml");
    dudsim([
        "run",
        utf8(&village),
        "--replicates",
        "200",
        "--quiet",
        "--out",
        utf8(&decision),
    ])
    .ok();
    dudsim([
        "sensitivity",
        "--samples",
        "300",
        "--quiet",
        "--out",
        utf8(&sensitivity),
    ])
    .ok();
    let calibration = tmp.path().join("calibration");
    dudsim([
        "calibrate",
        "--example",
        "kosovo-1999",
        "--particles",
        "50",
        "--quiet",
        "--out",
        utf8(&calibration),
    ])
    .ok();
    // Every page the commands wrote, named for the screenshots by its
    // directory and file.
    let mut pages: Vec<(String, PathBuf)> = [&run, &decision, &sensitivity, &calibration]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("the output directory"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let dir = p
                .parent()
                .and_then(Path::file_name)
                .and_then(|d| d.to_str());
            let stem = p.file_stem().and_then(|s| s.to_str());
            (format!("{}-{}", dir.unwrap_or("?"), stem.unwrap_or("?")), p)
        })
        .collect();
    pages.sort();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "calibration-calibration",
            "decision-report",
            "run-report",
            "sensitivity-sensitivity"
        ],
        "the pages written"
    );

    let shots = screenshot_dir();
    let chromium = chromium.as_path();
    let started = Instant::now();
    let reports: Vec<String> = std::thread::scope(|scope| {
        let jobs: Vec<_> = pages
            .iter()
            .map(|(name, page)| scope.spawn(|| read_in_browser(chromium, name, page, &shots)))
            .collect();
        jobs.into_iter()
            .map(|job| job.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for line in reports {
        eprintln!("{line}");
    }
    eprintln!(
        "{} pages read in {:.1} s; screenshots in {}",
        pages.len(),
        started.elapsed().as_secs_f64(),
        shots.display()
    );
}

/// The checks catch what they look for: a page too wide for a phone, with
/// a script that writes to the console, a chart of tiny text wider than
/// the screen and no headline fails every one of them.
#[test]
fn the_browser_checks_catch_a_page_that_does_not_read_on_a_phone() {
    let chromium = chromium();
    let work = temp_dir();
    let bad = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\
               <div style=\"width: 800px\">a line as wide as a laptop's screen</div>\
               <figure id=\"tiny\"><svg width=\"1200\" height=\"400\" viewBox=\"0 0 1200 400\">\
               <text x=\"10\" y=\"20\" font-size=\"6\">tiny text</text></svg></figure>\
               <script>console.error(\"something broke\")</script></body></html>";
    let wrapper_file = work.path().join("bad.html");
    std::fs::write(&wrapper_file, wrapper(bad, PHONE)).expect("the wrapper page");
    let shot = work.path().join("bad.png");
    let load = load(&chromium, &wrapper_file, PHONE, &shot);
    let m = &load.measured;
    assert!(
        load.console.iter().any(|l| l.contains("something broke")),
        "console: {:?}",
        load.console
    );
    assert_eq!(m["scripts"], 1);
    assert!(m["scrollWidth"].as_f64() > m["clientWidth"].as_f64(), "{m}");
    assert!(!m["beyond"].as_array().expect("beyond").is_empty(), "{m}");
    let figure = &m["figures"][0];
    assert!(
        figure["right"].as_f64().unwrap() > f64::from(PHONE.0),
        "{m}"
    );
    assert!(
        figure["smallestText"].as_f64().unwrap() < MIN_CHART_TEXT_ON_A_PHONE,
        "{m}"
    );
    assert_eq!(m["headline"], "");
    // And the check of a page fails on it.
    let failed = std::panic::catch_unwind(|| check("bad", PHONE, &load));
    assert!(
        failed.is_err(),
        "a page that does not read on a phone passed"
    );
}
