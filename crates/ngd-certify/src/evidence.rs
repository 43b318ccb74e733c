//! Evidence classes and witnesses shared by all checks.

use rug::Rational;
use serde::Serialize;

/// How strongly a verdict is established (docs/architecture.md, soundness rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Established by exact rational or outward-rounded interval arithmetic.
    Proved,
    /// Contradicted by a witness that can be re-checked exactly or by intervals.
    Refuted,
    /// Supported by floating-point computation only.
    NumericalEvidence,
    /// Neither proved nor refuted within the limits.
    Inconclusive,
    /// The check exists in docs/math.md but is not implemented yet; never counts as passed.
    NotCheckedYet,
}

impl Evidence {
    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Evidence::Proved => "proved",
            Evidence::Refuted => "refuted",
            Evidence::NumericalEvidence => "numerical evidence",
            Evidence::Inconclusive => "inconclusive",
            Evidence::NotCheckedYet => "not checked yet",
        }
    }
}

/// The value of an expression at a witness point.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WitnessValue {
    /// The exact rational value (as `p/q`).
    Exact {
        /// The value, printed exactly.
        value: String,
    },
    /// An outward-rounded enclosure `[lo, hi]` that excludes zero.
    Enclosure {
        /// Lower end of the enclosure.
        lo: f64,
        /// Upper end of the enclosure.
        hi: f64,
    },
}

/// A rational point with the certified sign of an expression there.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Witness {
    /// The point, one exact rational per variable.
    pub point: Vec<String>,
    /// The value there, exact or an enclosure.
    pub value: WitnessValue,
    /// The sign of the value: -1 or 1 (never 0).
    pub sign: i8,
}

impl Witness {
    /// A witness with an exact nonzero value. Returns `None` for a zero value.
    pub fn exact(point: &[Rational], value: &Rational) -> Option<Witness> {
        let sign = value.cmp0() as i8;
        (sign != 0).then(|| Witness {
            point: point.iter().map(Rational::to_string).collect(),
            value: WitnessValue::Exact {
                value: value.to_string(),
            },
            sign,
        })
    }

    /// A witness from an enclosure; `None` unless the enclosure excludes zero.
    pub fn enclosure(point: &[Rational], lo: f64, hi: f64) -> Option<Witness> {
        let sign = if lo > 0.0 {
            1
        } else if hi < 0.0 {
            -1
        } else {
            return None;
        };
        Some(Witness {
            point: point.iter().map(Rational::to_string).collect(),
            value: WitnessValue::Enclosure { lo, hi },
            sign,
        })
    }
}
