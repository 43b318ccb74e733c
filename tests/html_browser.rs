//! The HTML certificate (`--format html`) in a real browser: headless Chromium loads the
//! certificates of `cases/xy.case` and `cases/cubic.case` with their figures, logs no console
//! error, keeps the verdict table in its DOM, and draws a screenshot of the window's size with
//! one coloured badge per verdict row at the top and the figures below it. A three-variable
//! case with a false `[expect]` claim shows the failed row in red with its section open.
//!
//! The pages are built with the library, as the CLI builds them (`case_report_with` recording
//! the trajectories, then `case_certificate`), so the test does not depend on the
//! command-line wiring. Without Chromium the test is skipped with a
//! note, unless the `CI` variable is set (CI installs it: `.ci/run`), where it fails.

mod support;

use ngd_report::render::summary::summary;
use ngd_report::render::{case_certificate, html_certificate};
use ngd_report::report::Report;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{run_limited, Finished};

/// The browser window (and so the screenshot), in CSS pixels.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 2000;
/// Where Debian's and Ubuntu's packages install the browser.
const CHROMIUM: [&str; 2] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
/// The badge backgrounds of the verdict table (`PAGE_STYLE` of `render/html_page.rs`).
const BADGE_COLOURS: [[u8; 3]; 4] = [
    [0xd8, 0xf0, 0xdc],
    [0xfb, 0xd9, 0xd9],
    [0xfd, 0xf0, 0xc7],
    [0xe5, 0xe7, 0xeb],
];

/// The browser, or `None` (with a note) where it is missing outside CI.
fn browser() -> Option<PathBuf> {
    let found = CHROMIUM.iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is not installed (CI installs the `chromium` package: .ci/run)"
        );
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
    }
    found
}

/// A fresh folder of this test process for pages, screenshots and browser profiles.
fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ngd-verify-html-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

/// The report of `case` and its certificate page, with the figures or without.
fn certificate(case: &str, with_figures: bool) -> (Report, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(case);
    let text = std::fs::read_to_string(&path).expect("the case file");
    certificate_of(case, &text, with_figures)
}

/// [`certificate`] of the case file text `text` (named `name`).
fn certificate_of(name: &str, text: &str, with_figures: bool) -> (Report, String) {
    let mut case = ngd_case::parse_case(name, text).expect("the case parses");
    let limits = case.limits;
    let overrides = ngd_report::harness::Overrides {
        record: with_figures,
        ..Default::default()
    };
    let report =
        ngd_report::case_report_with(&mut case, &limits, &overrides).expect("the report runs");
    let page = if with_figures {
        case_certificate(&mut case, &report)
    } else {
        html_certificate(&report, &[])
    };
    (report, page)
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom`, `--screenshot=...`) and a
/// fresh profile, logging the page's console to stderr.
fn chromium(browser: &Path, dir: &Path, page: &Path, action: &str) -> Finished {
    // A profile per run: a browser never shares its state with another run.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let profile = dir.join(format!("profile-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        &format!("--window-size={WIDTH},{HEIGHT}"),
        &format!("--user-data-dir={}", profile.display()),
        action,
    ])
    .arg(format!("file://{}", page.display()));
    let run = run_limited(cmd, Duration::from_secs(60));
    assert!(
        run.status.is_some_and(|s| s.success()),
        "chromium {action} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// The console errors Chromium logged: uncaught exceptions and console messages.
fn console_errors(run: &Finished) -> Vec<String> {
    String::from_utf8_lossy(&run.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

/// A decoded screenshot: RGB rows.
struct Screenshot {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Screenshot {
    fn read(path: &Path) -> Screenshot {
        let file = std::fs::File::open(path).expect("the screenshot exists");
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("a PNG frame");
        let channels = info.color_type.samples();
        assert!(channels >= 3, "a colour screenshot: {:?}", info.color_type);
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Screenshot {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn row(&self, y: u32) -> &[[u8; 3]] {
        let w = self.width as usize;
        &self.rgb[y as usize * w..(y as usize + 1) * w]
    }

    /// The bands of consecutive rows holding a verdict badge, top first.
    fn badge_bands(&self) -> Vec<(u32, u32)> {
        let mut bands: Vec<(u32, u32)> = Vec::new();
        for y in 0..self.height {
            if !self.row(y).iter().any(|p| BADGE_COLOURS.contains(p)) {
                continue;
            }
            match bands.last_mut() {
                Some(band) if band.1 + 1 == y => band.1 = y,
                _ => bands.push((y, y)),
            }
        }
        bands
    }

    /// Dark pixels (text) in the rows of `band`.
    fn dark_pixels(&self, band: (u32, u32)) -> usize {
        (band.0..=band.1)
            .flat_map(|y| self.row(y).iter())
            .filter(|p| p.iter().all(|&c| c < 128))
            .count()
    }

    /// Strongly coloured pixels (lines and fills of the figures; text is grey) below `y0`.
    fn coloured_pixels_below(&self, y0: u32) -> usize {
        (y0..self.height)
            .flat_map(|y| self.row(y).iter())
            .filter(|p| p.iter().max().unwrap() - p.iter().min().unwrap() >= 80)
            .count()
    }
}

/// The verdict table's badge bands: the first cluster of bands (rows of the table are less
/// than 150 px apart), one per row of the summary.
/// A screenshot of the page at `page_path` (named after it, `.png`), after asserting that the
/// page logged no console errors while loading.
fn screenshot(browser: &Path, dir: &Path, page_path: &Path, what: &str) -> Screenshot {
    let png_path = page_path.with_extension("png");
    let run = chromium(
        browser,
        dir,
        page_path,
        &format!("--screenshot={}", png_path.display()),
    );
    assert_eq!(console_errors(&run), Vec::<String>::new(), "{what}");
    Screenshot::read(&png_path)
}

fn verdict_rows(shot: &Screenshot) -> Vec<(u32, u32)> {
    let bands = shot.badge_bands();
    let mut rows: Vec<(u32, u32)> = Vec::new();
    for band in bands {
        if rows.last().is_some_and(|last| band.0 > last.1 + 150) {
            break;
        }
        rows.push(band);
    }
    rows
}

#[test]
fn certificates_load_cleanly_and_show_the_verdict_table_and_the_figures() {
    let Some(browser) = browser() else { return };
    let dir = work_dir("browser");
    for case in ["cases/xy.case", "cases/cubic.case"] {
        let (report, page) = certificate(case, true);
        let stem = Path::new(case).file_stem().unwrap().to_string_lossy();
        let page_path = dir.join(format!("{stem}.html"));
        std::fs::write(&page_path, &page).expect("the page is written");

        let dom = chromium(&browser, &dir, &page_path, "--dump-dom");
        assert_eq!(console_errors(&dom), Vec::<String>::new(), "{case}");
        let dom_text = String::from_utf8_lossy(&dom.stdout);
        assert!(
            dom_text.contains("<table id=\"verdict\""),
            "{case}: {dom_text}"
        );
        assert!(dom_text.contains("<th scope=\"row\">C1 conservation</th>"));
        assert!(dom_text.contains("<details id=\"figures\" open=\"open\">"));
        assert_eq!(
            dom_text.matches("<svg").count(),
            page.matches("<svg").count(),
            "{case}: every figure reaches the DOM"
        );

        let shot = screenshot(&browser, &dir, &page_path, case);
        assert_eq!((shot.width, shot.height), (WIDTH, HEIGHT), "{case}");
        let rows = verdict_rows(&shot);
        assert_eq!(rows.len(), summary(&report).rows.len(), "{case}: {rows:?}");
        let table_end = rows.last().unwrap().1;
        assert!(
            rows[0].0 < 300,
            "{case}: the table starts at the top: {rows:?}"
        );
        for &band in &rows {
            let text = shot.dark_pixels(band);
            assert!(
                text >= 100,
                "{case}: a verdict row without text at {band:?}: {text}"
            );
        }
        let coloured = shot.coloured_pixels_below(table_end + 1);
        eprintln!(
            "{case}: {} verdict rows in px {}..{table_end}, {coloured} coloured pixels below",
            rows.len(),
            rows[0].0
        );
        assert!(
            coloured > 3_000,
            "{case}: {coloured} coloured pixels below the table"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_figures_the_region_below_the_table_is_plain_text() {
    let Some(browser) = browser() else { return };
    let dir = work_dir("plain");
    let (report, page) = certificate("cases/xy.case", false);
    let page_path = dir.join("xy.html");
    std::fs::write(&page_path, &page).expect("the page is written");
    let shot = screenshot(&browser, &dir, &page_path, "xy without figures");
    let rows = verdict_rows(&shot);
    assert_eq!(rows.len(), summary(&report).rows.len(), "{rows:?}");
    let coloured = shot.coloured_pixels_below(rows.last().unwrap().1 + 1);
    eprintln!("xy without figures: {coloured} coloured pixels below the table");
    assert!(
        coloured < 1_000,
        "{coloured} coloured pixels without figures"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_console_check_catches_a_script_error() {
    let Some(browser) = browser() else { return };
    let dir = work_dir("control");
    let page_path = dir.join("broken.html");
    std::fs::write(
        &page_path,
        "<!DOCTYPE html><html><body><p>x</p><script>no_such_function();</script></body></html>",
    )
    .expect("the page is written");
    let run = chromium(&browser, &dir, &page_path, "--dump-dom");
    let errors = console_errors(&run);
    assert!(
        errors.iter().any(|l| l.contains("no_such_function")),
        "the error is logged: {errors:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cases/product3.case` (three variables: no plane, the figures along the runs) with the
/// false claim `coercive = false`: the page loads cleanly, the claims row's badge is red in
/// the screenshot, the expectations section is open in the DOM, and the figures are drawn.
#[test]
fn a_three_variable_case_with_a_failed_claim() {
    let Some(browser) = browser() else { return };
    let dir = work_dir("failed");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/product3.case");
    let text = std::fs::read_to_string(path)
        .expect("the case file")
        .replace("coercive = true", "coercive = false");
    assert!(text.contains("coercive = false"));
    let (report, page) = certificate_of("product3-false.case", &text, true);
    let rows = summary(&report).rows;
    let claims = rows
        .iter()
        .position(|r| r.check == "[expect] claims")
        .expect("a claims row");
    assert_eq!(rows[claims].evidence.label(), "FAILED");
    let page_path = dir.join("product3.html");
    std::fs::write(&page_path, &page).expect("the page is written");

    let dom = chromium(&browser, &dir, &page_path, "--dump-dom");
    assert_eq!(console_errors(&dom), Vec::<String>::new());
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom_text
            .contains("<details class=\"check\" open=\"open\">\n<summary>Expectations</summary>"),
        "the failed claims are open: {dom_text}"
    );
    for stem in ["values", "distance", "ngd_vs_gd"] {
        assert!(dom_text.contains(&format!("id=\"{stem}-")), "{stem} inline");
    }

    let shot = screenshot(&browser, &dir, &page_path, "product3 with a failed claim");
    let bands = verdict_rows(&shot);
    assert_eq!(bands.len(), rows.len(), "{bands:?}");
    let red = BADGE_COLOURS[1];
    let red_rows: Vec<usize> = bands
        .iter()
        .enumerate()
        .filter(|(_, b)| (b.0..=b.1).any(|y| shot.row(y).contains(&red)))
        .map(|(i, _)| i)
        .collect();
    assert!(
        red_rows.contains(&claims),
        "{red_rows:?}, claims row {claims}"
    );
    let coloured = shot.coloured_pixels_below(bands.last().unwrap().1 + 1);
    assert!(coloured > 3_000, "{coloured} coloured pixels of figures");
    let _ = std::fs::remove_dir_all(&dir);
}
