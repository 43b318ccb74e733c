//! PNG (resvg) and PDF (svg2pdf) from the SVG text of a figure. Text is drawn with a system
//! font (DejaVu Sans first, matplotlib's default); without one the conversion fails with a
//! message naming the package to install.

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use std::sync::{Arc, OnceLock};

/// PNG pixels per SVG px (2: sharp at print size, like a 200 dpi matplotlib figure).
pub const PNG_SCALE: f32 = 2.0;

/// The families tried for text, in order (the same list as the SVG's `font-family`).
const FAMILIES: [&str; 4] = ["DejaVu Sans", "Bitstream Vera Sans", "Arial", "Helvetica"];

/// The system fonts, loaded once; an error when none of [`FAMILIES`] nor any sans-serif
/// font is installed.
fn fonts() -> Result<Arc<fontdb::Database>, String> {
    static FONTS: OnceLock<Result<Arc<fontdb::Database>, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            let mut families: Vec<fontdb::Family> =
                FAMILIES.iter().map(|f| fontdb::Family::Name(f)).collect();
            families.push(fontdb::Family::SansSerif);
            let query = fontdb::Query {
                families: &families,
                ..fontdb::Query::default()
            };
            match db.query(&query) {
                Some(_) => Ok(Arc::new(db)),
                None => Err(format!(
                    "no font for the figures' text: install one of {} (Debian: apt-get install fonts-dejavu-core)",
                    FAMILIES.join(", ")
                )),
            }
        })
        .clone()
}

/// The parsed SVG with fonts resolved.
fn tree(svg: &str) -> Result<usvg::Tree, String> {
    let opt = usvg::Options {
        font_family: FAMILIES[0].to_string(),
        fontdb: fonts()?,
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| format!("figure SVG does not parse: {e}"))
}

/// The figure as PNG bytes, [`PNG_SCALE`] pixels per SVG px, on white.
///
/// # Errors
///
/// No usable font, an SVG that does not parse, or an empty image.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, String> {
    svg_to_png_scaled(svg, PNG_SCALE)
}

/// The figure as PNG bytes, `scale` pixels per SVG px (1 for small previews), on white.
///
/// # Errors
///
/// As [`svg_to_png`], or a scale that is not positive.
pub fn svg_to_png_scaled(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale > 0.0 && scale.is_finite()) {
        return Err(format!("PNG scale must be positive, got {scale}"));
    }
    let tree = tree(svg)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty figure")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty figure")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

/// The figure as a one-page PDF (vector, fonts embedded as subsets), page size the SVG's at
/// 96 px per inch.
///
/// # Errors
///
/// No usable font, an SVG that does not parse, or a conversion failure.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>, String> {
    let tree = tree(svg)?;
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    let pdf = svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| format!("cannot convert the figure to PDF: {e}"))?;
    Ok(sorted_resource_entries(pdf))
}

/// svg2pdf writes the entries of resource dictionaries (`/gs3 10 0 R` lines) in hash-map
/// order, which differs between runs. Sorting each run of such lines outside streams makes
/// the bytes deterministic; the dictionary means the same and no offset moves (the lines
/// are only permuted within their block).
fn sorted_resource_entries(pdf: Vec<u8>) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = pdf.split(|&b| b == b'\n').collect();
    let mut in_stream = false;
    let mut i = 0;
    while i < lines.len() {
        if in_stream {
            in_stream = lines[i] != b"endstream";
            i += 1;
            continue;
        }
        if lines[i] == b"stream" {
            in_stream = true;
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && is_reference_entry(lines[i]) {
            i += 1;
        }
        if i > start {
            lines[start..i].sort();
        } else {
            i += 1;
        }
    }
    lines.join(&b'\n')
}

/// A dictionary line `  /name 12 0 R`.
fn is_reference_entry(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let mut parts = text.split_whitespace();
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(name), Some(num), Some("0"), Some("R"), None)
            if name.starts_with('/') && num.bytes().all(|b| b.is_ascii_digit())
    ) && text.starts_with(' ')
}
