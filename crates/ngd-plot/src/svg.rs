//! A small SVG writer: groups with a class (what a test or a reader looks for), polylines,
//! polygons, rectangles, markers and text, with coordinates printed to two decimals so the
//! same figure gives the same bytes.

use std::fmt::Write;

/// The font of every text: matplotlib's default family first.
pub(crate) const FONT: &str = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif";

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// matplotlib's `tab10` colours.
pub mod tab10 {
    use super::Color;
    /// tab:blue.
    pub const BLUE: Color = Color(0x1f, 0x77, 0xb4);
    /// tab:orange.
    pub const ORANGE: Color = Color(0xff, 0x7f, 0x0e);
    /// tab:green.
    pub const GREEN: Color = Color(0x2c, 0xa0, 0x2c);
    /// tab:red.
    pub const RED: Color = Color(0xd6, 0x27, 0x28);
    /// tab:purple.
    pub const PURPLE: Color = Color(0x94, 0x67, 0xbd);
    /// tab:brown.
    pub const BROWN: Color = Color(0x8c, 0x56, 0x4b);
    /// tab:pink.
    pub const PINK: Color = Color(0xe3, 0x77, 0xc2);
    /// tab:gray.
    pub const GRAY: Color = Color(0x7f, 0x7f, 0x7f);
    /// tab:olive.
    pub const OLIVE: Color = Color(0xbc, 0xbd, 0x22);
    /// tab:cyan.
    pub const CYAN: Color = Color(0x17, 0xbe, 0xcf);
}

/// Black.
pub const BLACK: Color = Color(0, 0, 0);

/// How a line is stroked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// The colour.
    pub color: Color,
    /// Width in px.
    pub width: f64,
    /// Dash pattern (`None`: solid).
    pub dash: Option<(f64, f64)>,
    /// Opacity in `[0, 1]`.
    pub opacity: f64,
}

impl Stroke {
    /// A solid line.
    pub fn solid(color: Color, width: f64) -> Stroke {
        Stroke {
            color,
            width,
            dash: None,
            opacity: 1.0,
        }
    }

    /// A dashed line.
    pub fn dashed(color: Color, width: f64) -> Stroke {
        Stroke {
            dash: Some((3.7 * width.max(1.0), 1.6 * width.max(1.0))),
            ..Stroke::solid(color, width)
        }
    }

    /// A dotted line.
    pub fn dotted(color: Color, width: f64) -> Stroke {
        Stroke {
            dash: Some((width.max(1.0), 1.65 * width.max(1.0))),
            ..Stroke::solid(color, width)
        }
    }

    /// The same line with an opacity.
    pub fn with_opacity(self, opacity: f64) -> Stroke {
        Stroke { opacity, ..self }
    }

    fn attrs(&self) -> String {
        let mut s = format!(
            "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
            self.color.hex(),
            num(self.width)
        );
        if let Some((on, off)) = self.dash {
            let _ = write!(s, " stroke-dasharray=\"{} {}\"", num(on), num(off));
            s = s.replace("stroke-linecap=\"round\"", "stroke-linecap=\"butt\"");
        }
        if self.opacity < 1.0 {
            let _ = write!(s, " stroke-opacity=\"{}\"", num(self.opacity));
        }
        s
    }
}

/// The shape of a point marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A filled circle.
    Dot,
    /// An open circle.
    Ring,
    /// An `x`.
    Cross,
    /// A `+`.
    Plus,
    /// A filled triangle (point up).
    Triangle,
    /// A filled diamond.
    Diamond,
    /// A filled square.
    Square,
    /// A filled five-pointed star.
    Star,
}

/// A point marker: shape, colour, size (px, the diameter of its circle) and edge colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marker {
    /// The shape.
    pub shape: Shape,
    /// Fill (or stroke for `Ring`, `Cross`, `Plus`).
    pub color: Color,
    /// Size in px.
    pub size: f64,
    /// Edge colour of filled shapes.
    pub edge: Color,
}

/// Text anchoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Left aligned.
    Start,
    /// Centred.
    Middle,
    /// Right aligned.
    End,
}

/// A piece of text: plain, or `base` with a superscript (`10` with `-28`).
#[derive(Clone, Debug, PartialEq)]
pub enum Label {
    /// Plain text.
    Plain(String),
    /// `base^sup`.
    Power {
        /// The base.
        base: String,
        /// The exponent, drawn raised and smaller.
        sup: String,
    },
}

impl Label {
    /// Width estimate in px at font size `size` (DejaVu Sans averages about 0.6 em).
    pub fn width(&self, size: f64) -> f64 {
        match self {
            Label::Plain(s) => text_width(s, size),
            Label::Power { base, sup } => text_width(base, size) + text_width(sup, 0.7 * size),
        }
    }
}

/// Width estimate of `s` in px at font size `size`: DejaVu Sans's advance widths for digits
/// (0.636 em) and the minus sign (0.838 em), about 0.6 em for other characters. Tick labels
/// are digits and minus signs, so a flat 0.6 em placed axis labels over them.
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.636,
            '\u{2212}' => 0.838,
            _ => 0.6,
        })
        .sum();
    em * size
}

/// A number for an attribute: two decimals, no `-0.00`.
pub fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// XML-escaped text.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG document being written.
pub struct Svg {
    width: f64,
    height: f64,
    defs: String,
    body: String,
    depth: usize,
}

impl Svg {
    /// An empty white document of `width x height` px.
    pub fn new(width: f64, height: f64) -> Svg {
        let mut svg = Svg {
            width,
            height,
            defs: String::new(),
            body: String::new(),
            depth: 0,
        };
        svg.rect(
            (0.0, 0.0),
            (width, height),
            Some((Color(255, 255, 255), 1.0)),
            None,
        );
        svg
    }

    /// Opens `<g class="class">` (with `data-label` when given); close with [`Svg::close`].
    pub fn open(&mut self, class: &str, label: Option<&str>) {
        let label = label
            .map(|l| format!(" data-label=\"{}\"", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(self.body, "<g class=\"{class}\"{label}>");
        self.depth += 1;
    }

    /// Opens a group clipped to the rectangle (`id` must be unique in the document).
    pub fn open_clipped(&mut self, class: &str, id: &str, at: (f64, f64), size: (f64, f64)) {
        let _ = writeln!(
            self.defs,
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
            num(at.0),
            num(at.1),
            num(size.0),
            num(size.1)
        );
        let _ = writeln!(self.body, "<g class=\"{class}\" clip-path=\"url(#{id})\">");
        self.depth += 1;
    }

    /// Closes the innermost group.
    pub fn close(&mut self) {
        if self.depth > 0 {
            self.body.push_str("</g>\n");
            self.depth -= 1;
        }
    }

    /// A polyline through `pts` (px); nothing for fewer than two points.
    pub fn polyline(&mut self, pts: &[(f64, f64)], stroke: &Stroke) {
        if pts.len() < 2 {
            return;
        }
        let _ = writeln!(
            self.body,
            "<polyline points=\"{}\" {}/>",
            points(pts),
            stroke.attrs()
        );
    }

    /// A filled polygon.
    pub fn polygon(&mut self, pts: &[(f64, f64)], fill: Color, opacity: f64) {
        if pts.len() < 3 {
            return;
        }
        let _ = writeln!(
            self.body,
            "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"/>",
            points(pts),
            fill.hex(),
            num(opacity)
        );
    }

    /// A rectangle with its top-left corner at `at`, optionally filled and stroked.
    pub fn rect(
        &mut self,
        at: (f64, f64),
        size: (f64, f64),
        fill: Option<(Color, f64)>,
        stroke: Option<&Stroke>,
    ) {
        let fill = match fill {
            Some((c, o)) if o < 1.0 => format!("fill=\"{}\" fill-opacity=\"{}\"", c.hex(), num(o)),
            Some((c, _)) => format!("fill=\"{}\"", c.hex()),
            None => "fill=\"none\"".to_string(),
        };
        let stroke = stroke.map_or(String::new(), |s| {
            s.attrs().replacen("fill=\"none\" ", " ", 1)
        });
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {fill}{stroke}/>",
            num(at.0),
            num(at.1),
            num(size.0.max(0.0)),
            num(size.1.max(0.0))
        );
    }

    /// A marker centred at `at` (px).
    pub fn marker(&mut self, at: (f64, f64), m: &Marker) {
        let (x, y) = at;
        let r = 0.5 * m.size;
        let fill = format!(
            "fill=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"",
            m.color.hex(),
            m.edge.hex()
        );
        let line = format!(
            "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
            m.color.hex(),
            num((0.22 * m.size).clamp(1.0, 2.5))
        );
        let el = match m.shape {
            Shape::Dot => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {fill}/>",
                num(x),
                num(y),
                num(r)
            ),
            Shape::Ring => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {line}/>",
                num(x),
                num(y),
                num(r)
            ),
            Shape::Cross => format!(
                "<path d=\"M{} {}L{} {}M{} {}L{} {}\" {line}/>",
                num(x - r),
                num(y - r),
                num(x + r),
                num(y + r),
                num(x - r),
                num(y + r),
                num(x + r),
                num(y - r)
            ),
            Shape::Plus => format!(
                "<path d=\"M{} {}L{} {}M{} {}L{} {}\" {line}/>",
                num(x - r),
                num(y),
                num(x + r),
                num(y),
                num(x),
                num(y - r),
                num(x),
                num(y + r)
            ),
            Shape::Triangle => polygon_el(
                &[
                    (x, y - r),
                    (x + 0.87 * r, y + 0.5 * r),
                    (x - 0.87 * r, y + 0.5 * r),
                ],
                &fill,
            ),
            Shape::Diamond => polygon_el(
                &[(x, y - r), (x + 0.7 * r, y), (x, y + r), (x - 0.7 * r, y)],
                &fill,
            ),
            Shape::Square => polygon_el(
                &[
                    (x - 0.8 * r, y - 0.8 * r),
                    (x + 0.8 * r, y - 0.8 * r),
                    (x + 0.8 * r, y + 0.8 * r),
                    (x - 0.8 * r, y + 0.8 * r),
                ],
                &fill,
            ),
            Shape::Star => {
                let pts: Vec<(f64, f64)> = (0..10)
                    .map(|i| {
                        let a = std::f64::consts::PI * (f64::from(i) / 5.0 - 0.5);
                        let rr = if i % 2 == 0 { r * 1.2 } else { r * 0.5 };
                        (x + rr * a.cos(), y + rr * a.sin())
                    })
                    .collect();
                polygon_el(&pts, &fill)
            }
        };
        self.body.push_str(&el);
        self.body.push('\n');
    }

    /// Text at `at` (px; the baseline), in `color`, rotated by -90 degrees when `vertical`.
    pub fn text(&mut self, at: (f64, f64), label: &Label, style: TextStyle) {
        let anchor = match style.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let rotate = if style.vertical {
            format!(" transform=\"rotate(-90 {} {})\"", num(at.0), num(at.1))
        } else {
            String::new()
        };
        let weight = if style.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let content = match label {
            Label::Plain(s) => escape(s),
            Label::Power { base, sup } => format!(
                "{}<tspan dy=\"{}\" font-size=\"{}\">{}</tspan>",
                escape(base),
                num(-0.4 * style.size),
                num(0.7 * style.size),
                escape(sup)
            ),
        };
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"{anchor}\"{weight}{rotate}>{content}</text>",
            num(at.0),
            num(at.1),
            num(style.size),
            style.color.hex()
        );
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        while self.depth > 0 {
            self.close();
        }
        let defs = if self.defs.is_empty() {
            String::new()
        } else {
            format!("<defs>\n{}</defs>\n", self.defs)
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n{defs}{}</svg>\n",
            self.body,
            w = num(self.width),
            h = num(self.height)
        )
    }
}

/// How a text is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Font size in px.
    pub size: f64,
    /// Alignment at the anchor point.
    pub anchor: Anchor,
    /// Rotated to read bottom to top.
    pub vertical: bool,
    /// Bold.
    pub bold: bool,
    /// Colour.
    pub color: Color,
}

impl TextStyle {
    /// Plain black text of `size` px anchored as given.
    pub fn new(size: f64, anchor: Anchor) -> TextStyle {
        TextStyle {
            size,
            anchor,
            vertical: false,
            bold: false,
            color: BLACK,
        }
    }
}

fn points(pts: &[(f64, f64)]) -> String {
    let mut s = String::with_capacity(pts.len() * 14);
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{},{}", num(x), num(y));
    }
    s
}

fn polygon_el(pts: &[(f64, f64)], fill: &str) -> String {
    format!("<polygon points=\"{}\" {fill}/>", points(pts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(2.345), "2.35");
        assert_eq!(num(-12.5), "-12.5");
    }

    #[test]
    fn groups_are_closed_and_text_is_escaped() {
        let mut s = Svg::new(10.0, 10.0);
        s.open("legend", Some("a < b"));
        s.text(
            (1.0, 2.0),
            &Label::Plain("x & y".into()),
            TextStyle::new(10.0, Anchor::Start),
        );
        let out = s.finish();
        assert!(out.contains("data-label=\"a &lt; b\""));
        assert!(out.contains(">x &amp; y</text>"));
        assert_eq!(out.matches("<g ").count(), out.matches("</g>").count());
        roxmltree::Document::parse(&out).expect("well-formed XML");
    }
}
