//! Axes in matplotlib's style: a frame on four sides, outward ticks, "nice" linear ticks
//! (steps 1, 2, 2.5, 5 times a power of ten) and log axes labelled at every decade.

use crate::svg::{Anchor, Label, Stroke, Svg, TextStyle, BLACK};

/// Font size of tick labels (px).
pub(crate) const TICK_FONT: f64 = 12.0;
/// Font size of axis labels (px).
pub(crate) const LABEL_FONT: f64 = 13.0;
/// Font size of panel titles (px).
pub(crate) const TITLE_FONT: f64 = 14.0;
/// Length of major ticks (px).
const TICK_LEN: f64 = 4.0;
/// Space between the y tick labels and the baseline of the y axis label (px): the tick
/// labels end 3 px left of the ticks.
const LABEL_GAP: f64 = 11.0;

/// Linear or logarithmic (base 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scale {
    Linear,
    Log,
}

/// One axis: its range, scale and labelled ticks.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub scale: Scale,
    /// Labelled ticks: value and label.
    pub ticks: Vec<(f64, Label)>,
    /// Unlabelled minor ticks.
    pub minor: Vec<f64>,
}

impl Axis {
    /// A linear axis on `[lo, hi]` (kept as given) with nice ticks, about `target` of them.
    pub fn linear(lo: f64, hi: f64, target: usize) -> Axis {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        let step = nice_step((hi - lo) / target.max(2) as f64);
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        let ticks = (first..=last)
            .map(|i| {
                let v = i as f64 * step;
                (v, Label::Plain(linear_label(v, step)))
            })
            .collect();
        Axis {
            lo,
            hi,
            scale: Scale::Linear,
            ticks,
            minor: Vec::new(),
        }
    }

    /// A linear axis whose range is widened to the nearest ticks outside `[lo, hi]` plus a
    /// margin of 5% (matplotlib's default data margin).
    pub fn linear_data(lo: f64, hi: f64, target: usize) -> Axis {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let pad = 0.05 * (hi - lo);
        Axis::linear(lo - pad, hi + pad, target)
    }

    /// A log axis over whole decades `10^lo_exp .. 10^hi_exp`, a labelled tick at every
    /// decade and minor ticks at 2..9 times each decade (when there are few decades).
    pub fn log_decades(lo_exp: i32, hi_exp: i32) -> Axis {
        let hi_exp = hi_exp.max(lo_exp + 1);
        let ticks = (lo_exp..=hi_exp)
            .map(|e| (10f64.powi(e), decade_label(e)))
            .collect();
        let minor = if hi_exp - lo_exp <= 8 {
            (lo_exp..hi_exp)
                .flat_map(|e| (2..10).map(move |m| f64::from(m) * 10f64.powi(e)))
                .collect()
        } else {
            Vec::new()
        };
        Axis {
            lo: 10f64.powi(lo_exp),
            hi: 10f64.powi(hi_exp),
            scale: Scale::Log,
            ticks,
            minor,
        }
    }

    /// The log axis of whole decades covering the positive finite `values`; `None` when
    /// there is none.
    pub fn log_covering(values: impl Iterator<Item = f64>) -> Option<Axis> {
        let (lo, hi) = values
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if !lo.is_finite() {
            return None;
        }
        let lo_exp = lo.log10().floor() as i32;
        let hi_exp = hi.log10().ceil() as i32;
        Some(Axis::log_decades(lo_exp, hi_exp))
    }

    /// The position of `v` in `[0, 1]` along the axis (outside for values out of range).
    pub fn fraction(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => (v - self.lo) / (self.hi - self.lo),
            Scale::Log => (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10()),
        }
    }

    /// The widest tick label (px) at the tick font size.
    pub fn widest_label(&self) -> f64 {
        self.ticks
            .iter()
            .map(|(_, l)| l.width(TICK_FONT))
            .fold(0.0, f64::max)
    }
}

/// `10^e` as a label (`1` and `10` for `e = 0, 1`, as matplotlib does not; keep the power
/// form throughout so every decade reads alike).
fn decade_label(e: i32) -> Label {
    Label::Power {
        base: "10".into(),
        sup: minus(&e.to_string()),
    }
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw * (1.0 - 1e-9) {
            return m * p;
        }
    }
    10.0 * p
}

/// A tick value with the decimals its step needs, Unicode minus, no `-0`.
fn linear_label(v: f64, step: f64) -> String {
    let decimals = (0..12usize)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(12);
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    minus(&format!("{v:.decimals$}"))
}

/// Replaces ASCII hyphen-minus by the Unicode minus sign, as typeset mathematics does.
pub(crate) fn minus(s: &str) -> String {
    s.replace('-', "\u{2212}")
}

/// A rectangular plot area in px with its two axes.
#[derive(Clone, Debug)]
pub(crate) struct Panel {
    /// Top-left corner (px).
    pub at: (f64, f64),
    /// Size (px).
    pub size: (f64, f64),
    pub x: Axis,
    pub y: Axis,
}

impl Panel {
    /// Data `(x, y)` to px.
    pub fn px(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.at.0 + self.x.fraction(x) * self.size.0,
            self.at.1 + (1.0 - self.y.fraction(y)) * self.size.1,
        )
    }

    /// Whether a data point lies in the axis ranges.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let (fx, fy) = (self.x.fraction(x), self.y.fraction(y));
        (0.0..=1.0).contains(&fx) && (0.0..=1.0).contains(&fy)
    }

    /// Opens a group clipped to the plot area (close it with `svg.close()`).
    pub fn clip(&self, svg: &mut Svg, class: &str, id: &str) {
        svg.open_clipped(class, id, self.at, self.size);
    }

    /// The frame, the ticks and their labels, the axis labels and the title.
    pub fn draw_axes(&self, svg: &mut Svg, x_label: &Label, y_label: &Label, title: Option<&str>) {
        let (x0, y0) = self.at;
        let (w, h) = self.size;
        let frame = Stroke::solid(BLACK, 0.8);
        svg.open("axes", None);
        svg.rect(self.at, self.size, None, Some(&frame));
        let tick = Stroke::solid(BLACK, 0.8);
        let minor = Stroke::solid(BLACK, 0.6);
        let tick_style = TextStyle::new(TICK_FONT, Anchor::Middle);
        svg.open("x-ticks", None);
        for (v, label) in &self.x.ticks {
            let px = x0 + self.x.fraction(*v) * w;
            svg.polyline(&[(px, y0 + h), (px, y0 + h + TICK_LEN)], &tick);
            svg.text((px, y0 + h + TICK_LEN + TICK_FONT + 2.0), label, tick_style);
        }
        for v in &self.x.minor {
            let px = x0 + self.x.fraction(*v) * w;
            svg.polyline(&[(px, y0 + h), (px, y0 + h + 0.5 * TICK_LEN)], &minor);
        }
        svg.close();
        svg.open("y-ticks", None);
        let y_style = TextStyle::new(TICK_FONT, Anchor::End);
        for (v, label) in &self.y.ticks {
            let py = y0 + (1.0 - self.y.fraction(*v)) * h;
            svg.polyline(&[(x0 - TICK_LEN, py), (x0, py)], &tick);
            svg.text((x0 - TICK_LEN - 3.0, py + 0.35 * TICK_FONT), label, y_style);
        }
        for v in &self.y.minor {
            let py = y0 + (1.0 - self.y.fraction(*v)) * h;
            svg.polyline(&[(x0 - 0.5 * TICK_LEN, py), (x0, py)], &minor);
        }
        svg.close();
        svg.open("axis-labels", None);
        let below = y0 + h + TICK_LEN + 2.0 * TICK_FONT + LABEL_FONT;
        svg.text(
            (x0 + 0.5 * w, below),
            x_label,
            TextStyle::new(LABEL_FONT, Anchor::Middle),
        );
        // The rotated label's baseline: its glyphs lie left of it, clear of the tick labels.
        let left = x0 - TICK_LEN - LABEL_GAP - self.y.widest_label();
        let mut vertical = TextStyle::new(LABEL_FONT, Anchor::Middle);
        vertical.vertical = true;
        svg.text((left, y0 + 0.5 * h), y_label, vertical);
        svg.close();
        if let Some(t) = title {
            let mut style = TextStyle::new(TITLE_FONT, Anchor::Middle);
            style.bold = false;
            svg.open("title", Some(t));
            svg.text((x0 + 0.5 * w, y0 - 8.0), &Label::Plain(t.into()), style);
            svg.close();
        }
        svg.close();
    }

    /// Space needed left of the plot area for the y tick labels and the y axis label.
    pub fn left_margin(y: &Axis) -> f64 {
        TICK_LEN + LABEL_GAP + 4.0 + y.widest_label() + LABEL_FONT
    }
}

/// Space needed below a plot area for the x tick labels and the x axis label.
pub(crate) const BOTTOM_MARGIN: f64 = TICK_LEN + 2.0 * TICK_FONT + LABEL_FONT + 10.0;
/// Space above a plot area for its title.
pub(crate) const TOP_MARGIN: f64 = TITLE_FONT + 16.0;

/// Formats a number for a legend or note: 3 significant digits, Unicode minus.
pub(crate) fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    let s = if (1e-3..1e4).contains(&a) {
        let decimals = (2 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{v:.2e}")
    };
    minus(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(l: &Label) -> String {
        match l {
            Label::Plain(s) => s.clone(),
            Label::Power { base, sup } => format!("{base}^{sup}"),
        }
    }

    #[test]
    fn linear_ticks_are_nice() {
        let a = Axis::linear(-3.0, 3.0, 6);
        let labels: Vec<String> = a.ticks.iter().map(|(_, l)| plain(l)).collect();
        assert_eq!(
            labels,
            ["\u{2212}3", "\u{2212}2", "\u{2212}1", "0", "1", "2", "3"]
        );
        let b = Axis::linear(0.0, 0.7, 6);
        let labels: Vec<String> = b.ticks.iter().map(|(_, l)| plain(l)).collect();
        assert_eq!(labels, ["0.0", "0.2", "0.4", "0.6"]);
        let c = Axis::linear(0.0, 10.0, 4);
        let labels: Vec<String> = c.ticks.iter().map(|(_, l)| plain(l)).collect();
        assert_eq!(labels, ["0.0", "2.5", "5.0", "7.5", "10.0"]);
    }

    #[test]
    fn log_axis_labels_every_decade() {
        let a = Axis::log_covering([3e-28, 0.5, 7.0].into_iter()).unwrap();
        assert_eq!(a.ticks.len(), 30, "10^-28 .. 10^1");
        assert_eq!(plain(&a.ticks[0].1), "10^\u{2212}28");
        assert_eq!(plain(&a.ticks[29].1), "10^1");
        assert!(a.minor.is_empty(), "no minor ticks over 29 decades");
        assert!((a.fraction(1e-28)).abs() < 1e-12);
        assert!(Axis::log_covering([0.0, f64::NAN].into_iter()).is_none());
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.1), "0.1");
        assert_eq!(short(-2.5e-7), "\u{2212}2.50e\u{2212}7");
        assert_eq!(short(1234.0), "1234");
    }
}
