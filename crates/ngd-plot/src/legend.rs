//! Legends: a framed list of entries, each a sample of what is drawn and a plain-language
//! label.

use crate::svg::{text_width, Anchor, Color, Label, Marker, Stroke, Svg, TextStyle};

/// Font size of legend entries (px).
pub(crate) const LEGEND_FONT: f64 = 11.5;
/// Height of one entry (px).
const ROW: f64 = 17.0;
/// Width of the symbol column (px).
const SYMBOL: f64 = 26.0;
/// Inner padding (px).
const PAD: f64 = 7.0;

/// What an entry shows next to its label.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Symbol {
    /// A line sample.
    Line(Stroke),
    /// A marker.
    Point(Marker),
    /// A line over a shaded band (median and quartiles).
    Band(Stroke, Color),
    /// A filled patch.
    Patch(Color, f64),
    /// A start marker, a line and an end marker (a trajectory).
    Path(Stroke, Marker, Marker),
    /// No symbol: a note.
    Note,
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub symbol: Symbol,
    pub label: String,
}

impl Entry {
    pub fn new(symbol: Symbol, label: impl Into<String>) -> Entry {
        Entry {
            symbol,
            label: label.into(),
        }
    }
}

/// A legend: entries in order, an optional heading.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Legend {
    pub heading: Option<String>,
    pub entries: Vec<Entry>,
}

impl Legend {
    /// Its size in px.
    pub fn size(&self) -> (f64, f64) {
        let rows = self.entries.len() + usize::from(self.heading.is_some());
        let widest = self
            .entries
            .iter()
            .map(|e| {
                let sym = if e.symbol == Symbol::Note {
                    0.0
                } else {
                    SYMBOL + 6.0
                };
                sym + text_width(&e.label, LEGEND_FONT)
            })
            .chain(
                self.heading
                    .iter()
                    .map(|h| text_width(h, LEGEND_FONT) * 1.05),
            )
            .fold(0.0, f64::max);
        (widest + 2.0 * PAD, rows as f64 * ROW + 2.0 * PAD - 3.0)
    }

    /// Draws it with its top-left corner at `at`.
    pub fn draw(&self, svg: &mut Svg, at: (f64, f64)) {
        if self.entries.is_empty() {
            return;
        }
        let (w, h) = self.size();
        svg.open("legend", None);
        let frame = Stroke::solid(Color(0xcc, 0xcc, 0xcc), 0.8);
        svg.rect(at, (w, h), Some((Color(255, 255, 255), 0.85)), Some(&frame));
        let mut y = at.1 + PAD + 0.5 * ROW;
        if let Some(head) = &self.heading {
            let mut style = TextStyle::new(LEGEND_FONT, Anchor::Start);
            style.bold = true;
            svg.text((at.0 + PAD, y + 4.0), &Label::Plain(head.clone()), style);
            y += ROW;
        }
        for e in &self.entries {
            svg.open("legend-entry", Some(&e.label));
            let x = at.0 + PAD;
            let text_x = match e.symbol {
                Symbol::Note => x,
                _ => x + SYMBOL + 6.0,
            };
            draw_symbol(svg, &e.symbol, (x, y));
            svg.text(
                (text_x, y + 4.0),
                &Label::Plain(e.label.clone()),
                TextStyle::new(LEGEND_FONT, Anchor::Start),
            );
            svg.close();
            y += ROW;
        }
        svg.close();
    }
}

/// The symbol of an entry, its left end at `(x, y)` (vertical centre).
fn draw_symbol(svg: &mut Svg, symbol: &Symbol, (x, y): (f64, f64)) {
    let mid = x + 0.5 * SYMBOL;
    match symbol {
        Symbol::Line(s) => svg.polyline(&[(x, y), (x + SYMBOL, y)], s),
        Symbol::Point(m) => svg.marker((mid, y), m),
        Symbol::Band(s, fill) => {
            svg.rect((x, y - 5.0), (SYMBOL, 10.0), Some((*fill, 0.25)), None);
            svg.polyline(&[(x, y), (x + SYMBOL, y)], s);
        }
        Symbol::Patch(c, o) => svg.rect((x, y - 5.0), (SYMBOL, 10.0), Some((*c, *o)), None),
        Symbol::Path(s, start, end) => {
            svg.polyline(&[(x + 3.0, y), (x + SYMBOL - 3.0, y)], s);
            svg.marker((x + 3.0, y), start);
            svg.marker((x + SYMBOL - 3.0, y), end);
        }
        Symbol::Note => {}
    }
}
