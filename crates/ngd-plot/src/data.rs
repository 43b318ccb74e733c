//! The plain data a figure needs, filled by the caller from the checks' reports (ngd-plot
//! knows nothing of the checks): the NGD harness report, and for two-variable cases the
//! plane of the first two variables with the minimum set, its marked points and the C4
//! boxes.

use ngd_sim::{HarnessReport, LevelGrid};

/// Everything the figures of one case (or one merged run) draw. Each figure is written when
/// its inputs are present (see [`crate::write_figures`]).
#[derive(Clone, Debug, Default)]
pub struct FigureData<'a> {
    /// The case title, printed above the figures that have room for it (may be empty).
    pub title: String,
    /// The NGD harness: trajectories, outcomes, the GD baseline.
    pub harness: Option<&'a HarnessReport>,
    /// The plane of a two-variable case.
    pub plane: Option<Plane>,
}

/// The plane of a two-variable case: the window, `f`'s level sets, `M` and its marked
/// points, and the boxes of the C4 cover.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    /// The names of the two variables (axis labels).
    pub var_names: [String; 2],
    /// The drawn window `[x0, x1] x [y0, y1]` (non-empty).
    pub window: [(f64, f64); 2],
    /// Samples of `f` for its level sets (contours), when available.
    pub f_levels: Option<LevelGrid>,
    /// The traced branches of the minimum set `M` (a curve), each with `Q` along it.
    pub branches: Vec<MBranch>,
    /// Points of `M` not on a traced branch (isolated points, or samples when `M` was not
    /// traced).
    pub m_points: Vec<[f64; 2]>,
    /// Marked and labelled points.
    pub marks: Vec<Mark>,
    /// Curves other than `M`: the poles of `phi` and the critical sets of `f` outside `M`
    /// of positive dimension, as sampled polylines.
    pub curves: Vec<PlaneCurve>,
    /// Boxes of the C4 cover worth showing.
    pub boxes: Vec<CoverBox>,
    /// True when the exact cover of C4 left no box undecided: every point of `M` outside
    /// the excluded neighbourhoods of `S` lies in a certified box.
    pub cover_complete: bool,
}

/// One traced branch of `M`, in order along the curve.
#[derive(Clone, Debug, PartialEq)]
pub struct MBranch {
    /// The points.
    pub points: Vec<[f64; 2]>,
    /// `Q` at each point (`None` where `phi` is undefined or `Q` was not evaluated).
    pub q: Vec<Option<f64>>,
    /// The sign class of `Q` at each point (same length as `points`).
    pub sign: Vec<QClass>,
}

/// The sign class of `Q` (the second-order change of `phi` under one NGD step) at a point of
/// `M`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QClass {
    /// `Q < 0`: `phi` decreases.
    Decreases,
    /// `Q > 0`: `phi` increases.
    Increases,
    /// `Q = 0` within the tolerance of C4.
    Zero,
    /// `phi` undefined (a pole).
    Undefined,
    /// In the excluded neighbourhood of `S`.
    NearS,
    /// Not classified (no regularizer, or C4 did not run).
    Unknown,
}

impl QClass {
    /// The plain-language legend label.
    pub fn label(self) -> &'static str {
        match self {
            QClass::Decreases => "M where phi decreases (Q < 0)",
            QClass::Increases => "M where phi increases (Q > 0)",
            QClass::Zero => "M where Q = 0",
            QClass::Undefined => "M where phi is undefined",
            QClass::NearS => "M near S (excluded neighbourhood)",
            QClass::Unknown => "minimum set M",
        }
    }
}

/// A marked point of the plane.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// What it is.
    pub kind: MarkKind,
    /// Where (the first two coordinates).
    pub at: [f64; 2],
}

/// What a marked point is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkKind {
    /// A point of `S = argmin_M phi`.
    S,
    /// A flat minimum (a local minimum of the sharpness on `M`).
    FlatMinimum,
    /// A point of `M` where `phi` has a pole.
    Pole,
    /// A degenerate point (a Lagrange point of the sharpness or of `phi` on `M` whose
    /// projected Hessian is singular).
    Degenerate,
    /// A point of `M` where `Q` changes sign.
    SignChange,
    /// A critical point of `f` outside `M`.
    CriticalOfF,
    /// An isolated pole of `phi` off `M`.
    PoleOffM,
}

impl MarkKind {
    /// The plain-language legend label.
    pub fn label(self) -> &'static str {
        match self {
            MarkKind::S => "S = argmin of phi on M",
            MarkKind::FlatMinimum => "flat minimum",
            MarkKind::Pole => "pole of phi on M",
            MarkKind::Degenerate => "degenerate point on M",
            MarkKind::SignChange => "Q changes sign",
            MarkKind::CriticalOfF => "critical point of f outside M",
            MarkKind::PoleOffM => "pole of phi off M",
        }
    }

    /// The short text written next to the marker.
    pub fn tag(self) -> &'static str {
        match self {
            MarkKind::S => "S",
            MarkKind::FlatMinimum => "",
            MarkKind::Pole => "pole",
            MarkKind::Degenerate => "degenerate",
            MarkKind::SignChange => "",
            MarkKind::CriticalOfF => "crit. f",
            MarkKind::PoleOffM => "pole",
        }
    }
}

/// A sampled curve of the plane other than `M`, in order along the curve.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaneCurve {
    /// What the curve is.
    pub kind: CurveKind,
    /// The points (first two coordinates); drawn as one polyline.
    pub points: Vec<[f64; 2]>,
}

/// What a [`PlaneCurve`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CurveKind {
    /// Points where `phi` has a pole (a denominator of `phi` vanishes).
    PoleOfPhi,
    /// A critical set of `f` outside `M` of dimension 1.
    CriticalOfF,
}

impl CurveKind {
    /// The plain-language legend label.
    pub fn label(self) -> &'static str {
        match self {
            CurveKind::PoleOfPhi => "phi undefined (a pole of phi)",
            CurveKind::CriticalOfF => "critical curve of f outside M",
        }
    }
}

/// A box of the C4 cover (first two coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct CoverBox {
    /// Lower corner.
    pub lo: [f64; 2],
    /// Upper corner.
    pub hi: [f64; 2],
    /// What C4 decided on it.
    pub kind: BoxKind,
}

/// What C4 decided on a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BoxKind {
    /// Certified: `phi(x - a u) - phi(x) <= -c a^2` proved on it.
    Certified,
    /// Left undecided.
    Undecided,
    /// An excluded neighbourhood of a point of `S`, closed by the local argument.
    ExcludedClosed,
    /// An excluded neighbourhood of a point of `S` left open.
    ExcludedOpen,
}

impl BoxKind {
    /// The plain-language legend label.
    pub fn label(self) -> &'static str {
        match self {
            BoxKind::Certified => "certified box (listed in the report)",
            BoxKind::Undecided => "undecided box",
            BoxKind::ExcludedClosed => "neighbourhood of S, closed by a local proof",
            BoxKind::ExcludedOpen => "neighbourhood of S, left open",
        }
    }
}
