//! The summary as a browser draws it: the example's third wave (item charts and trend charts)
//! rendered by headless Chromium at 1280 and 360 px wide. Fails on any script or console
//! error, on any resource the page tries to load (the summary is one self-contained file),
//! and on any item or trend chart that collapses to no width at phone size.
//!
//! How: a copy of summary.html gets a small probe script as the first thing in its <head>; it
//! records errors and console.error calls, and on load writes the measurements into the DOM
//! as JSON, which `chromium --dump-dom` prints. No network, no npm, no driver.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it when missing, best effort, as it does R).
//! Without it the test says it skipped; with CI set and Chromium present it always runs.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROBE: &str = r#"<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  window.__errors.push(t && t !== window ? 'failed to load ' + (t.src || t.href || t.tagName) : String(e.message));
}, true);
window.addEventListener('unhandledrejection', function (e) { window.__errors.push('rejection: ' + e.reason); });
var __error = console.error;
console.error = function () { window.__errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); __error.apply(console, arguments); };
window.addEventListener('load', function () {
  var width = function (el) { return el ? el.getBoundingClientRect().width : 0; };
  var items = Array.prototype.map.call(
    document.querySelectorAll('.likert-row:not(.likert-head):not(.likert-axis)'),
    function (row) { return { label: row.querySelector('.likert-label').textContent, width: width(row.querySelector('svg')) }; });
  var trends = Array.prototype.map.call(document.querySelectorAll('figure.trend'),
    function (f) { return { label: f.querySelector('figcaption').textContent, width: width(f.querySelector('svg')) }; });
  var out = {
    viewport: document.documentElement.clientWidth,
    scroll_width: document.documentElement.scrollWidth,
    resources: performance.getEntriesByType('resource').map(function (r) { return r.name; }),
    errors: window.__errors, items: items, trends: trends
  };
  parent.postMessage(JSON.stringify(out), '*');
});
</script>"#;

/// The page Chromium opens: the summary in a frame exactly `width` px wide (a headless window
/// cannot be narrower than about 500 px, a frame can), and the frame's report written into
/// this page's DOM, which `--dump-dom` prints.
fn frame_page(width: u32) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe src="probe.html" style="width:{width}px;height:900px;border:0"></iframe>
<script>
window.addEventListener('message', function (e) {{
  var pre = document.createElement('pre');
  // Split, so that the markers are found in the output but not in this script.
  pre.textContent = '@@PRO' + 'BE@@' + e.data + '@@E' + 'ND@@';
  document.body.appendChild(pre);
}});
</script></body></html>"#
    )
}

/// The Chromium binary: `$CHROMIUM`, or the first of the usual names that runs.
fn chromium() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(PathBuf::from))
        .collect();
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Renders `page` at `width` px wide and returns the probe's JSON and Chromium's stderr.
fn render(chromium: &Path, page: &Path, width: u32, profile: &Path) -> (serde_json::Value, String) {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg("--window-size=1400,1000")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on threads so a chatty stderr cannot block the page dump.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!(
                "chromium did not finish rendering {} in 120 s",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (dom, stderr) = (out.join().unwrap(), err.join().unwrap());
    let json = dom
        .split("@@PROBE@@")
        .nth(1)
        .and_then(|s| s.split("@@END@@").next())
        .unwrap_or_else(|| panic!("the probe did not run at {width} px; stderr:\n{stderr}"));
    // The dump is HTML: text has these three escaped.
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    (value, stderr)
}

#[test]
fn summary_renders_at_desktop_and_phone_width_without_errors() {
    let Some(chromium) = chromium() else {
        // Where .ci/run could install Chromium this test runs; a skip is only for machines
        // where it cannot be installed, and says so.
        eprintln!(
            "skipped: no chromium (install Debian's `chromium`, or set CHROMIUM to a Chromium binary)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(example_outputs().join("wave-3/summary.html")).unwrap();
    let page = dir.path().join("probe.html");
    std::fs::write(
        &page,
        html.replacen("<head>", &format!("<head>\n{PROBE}"), 1),
    )
    .unwrap();
    for width in [1280, 360] {
        let profile = dir.path().join(format!("profile-{width}"));
        let frame = dir.path().join(format!("frame-{width}.html"));
        std::fs::write(&frame, frame_page(width)).unwrap();
        let (probe, stderr) = render(&chromium, &frame, width, &profile);
        assert_eq!(probe["errors"], serde_json::json!([]), "{width} px");
        assert_eq!(
            probe["resources"],
            serde_json::json!([]),
            "{width} px: the summary loads nothing"
        );
        let console: Vec<&str> = stderr.lines().filter(|l| l.contains("CONSOLE")).collect();
        assert!(
            console.is_empty(),
            "{width} px: console messages: {console:#?}"
        );
        let viewport = probe["viewport"].as_f64().unwrap();
        // The frame's width less a scroll bar, if the platform draws one.
        assert!(
            viewport <= width as f64 && viewport > width as f64 - 20.0,
            "{width} px: rendered {viewport} px wide"
        );
        assert!(
            probe["scroll_width"].as_f64().unwrap() <= viewport,
            "{width} px: the page scrolls sideways ({probe})"
        );
        // Twelve items, each with a bar; five trend series (three headline items, two scales).
        let items = probe["items"].as_array().unwrap();
        let trends = probe["trends"].as_array().unwrap();
        assert_eq!((items.len(), trends.len()), (12, 5), "{width} px: {probe}");
        for chart in items.iter().chain(trends) {
            let w = chart["width"].as_f64().unwrap();
            // At 360 px a chart should fill most of the column, not just be non-zero.
            assert!(w > viewport * 0.3, "{width} px: {chart} is {w} px wide");
        }
    }
}
