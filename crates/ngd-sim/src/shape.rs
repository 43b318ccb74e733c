//! Serde mirrors of `ngd_check`'s shape types, so that shard files (which hold them) read
//! back: the field layout is that of the originals, checked by serde's `remote` derive.

use ngd_check::{ObjectiveShape, Outer};
use serde::{Deserialize, Serialize};

/// [`Outer`] as serde writes it (`"square"`, `{"even_power": k}`, `"abs"`,
/// `{"increasing": {"order": k, "strict_range_log2": e}}`).
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(remote = "Outer", rename_all = "snake_case")]
pub(crate) enum OuterDef {
    Square,
    EvenPower(u32),
    Abs,
    Increasing { order: u32, strict_range_log2: u32 },
}

/// [`ObjectiveShape`] as serde writes it (tagged by `kind`).
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(remote = "ObjectiveShape", tag = "kind", rename_all = "snake_case")]
pub(crate) enum ShapeDef {
    Scalar {
        #[serde(with = "OuterDef")]
        outer: Outer,
        coeff: String,
    },
    LeastSquares {
        residuals: usize,
    },
    General,
}
