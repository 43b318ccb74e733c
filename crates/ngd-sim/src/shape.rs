//! Serde mirrors of `ngd_check`'s shape types, so that shard files (which hold them) read
//! back: the field layout is that of the originals, checked by serde's `remote` derive.

use ngd_check::conservation::LossShape;
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
    Sum {
        #[serde(with = "losses")]
        #[schemars(with = "Vec<LossDef>")]
        losses: Vec<LossShape>,
        constant: String,
    },
    General,
}

/// [`LossShape`] as serde writes it.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(remote = "LossShape")]
pub(crate) struct LossDef {
    coeff: String,
    #[serde(with = "OuterDef")]
    outer: Outer,
    formula: String,
}

/// A list of [`LossShape`] through [`LossDef`] (serde's `remote` covers one value, not a
/// `Vec`).
mod losses {
    use super::LossDef;
    use ngd_check::conservation::LossShape;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct One(#[serde(with = "LossDef")] LossShape);

    pub(super) fn serialize<S: Serializer>(v: &[LossShape], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|l| One(l.clone())))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LossShape>, D::Error> {
        Ok(Vec::<One>::deserialize(d)?
            .into_iter()
            .map(|o| o.0)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shape through the mirror, as a shard file holds it.
    #[derive(Serialize, Deserialize)]
    struct Held(#[serde(with = "ShapeDef")] ObjectiveShape);

    #[test]
    fn a_sum_of_losses_reads_back_as_written() {
        let shape = ObjectiveShape::Sum {
            losses: vec![
                LossShape {
                    coeff: "1".into(),
                    outer: Outer::Increasing {
                        order: 2,
                        strict_range_log2: 20,
                    },
                    formula: "log(t^2 + 1)".into(),
                },
                LossShape {
                    coeff: "3/2".into(),
                    outer: Outer::Abs,
                    formula: "|t|".into(),
                },
            ],
            constant: "0".into(),
        };
        let written = serde_json::to_string(&Held(shape.clone())).unwrap();
        // The mirror writes what the original writes.
        assert_eq!(written, serde_json::to_string(&shape).unwrap());
        let Held(read) = serde_json::from_str(&written).unwrap();
        assert_eq!(read, shape);
    }
}
