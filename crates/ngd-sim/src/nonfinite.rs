//! Serde helpers for floats that may be infinite or NaN (a pole of `phi`, a diverged run).
//!
//! JSON has no infinities: finite values are written as numbers, the others as the strings
//! `"inf"`, `"-inf"` and `"nan"`, and read back from either form, so a shard file reads back
//! bit for bit (with serde_json's `float_roundtrip`).

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An f64 with the encoding above.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct F(pub f64);

impl Serialize for F {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.is_finite() {
            s.serialize_f64(v)
        } else if v.is_nan() {
            s.serialize_str("nan")
        } else if v > 0.0 {
            s.serialize_str("inf")
        } else {
            s.serialize_str("-inf")
        }
    }
}

struct FVisitor;

impl Visitor<'_> for FVisitor {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or one of \"inf\", \"-inf\", \"nan\"")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<F, E> {
        Ok(F(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<F, E> {
        Ok(F(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<F, E> {
        Ok(F(v as f64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<F, E> {
        match v {
            "inf" => Ok(F(f64::INFINITY)),
            "-inf" => Ok(F(f64::NEG_INFINITY)),
            "nan" => Ok(F(f64::NAN)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for F {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<F, D::Error> {
        d.deserialize_any(FVisitor)
    }
}

/// `#[serde(with = "nonfinite::scalar")]` for `f64`.
pub(crate) mod scalar {
    use super::F;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        F(*v).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(F::deserialize(d)?.0)
    }
}

/// `#[serde(with = "nonfinite::option")]` for `Option<f64>`.
pub(crate) mod option {
    use super::F;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        v.map(F).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<F>::deserialize(d)?.map(|f| f.0))
    }
}

/// `#[serde(with = "nonfinite::vec")]` for `Vec<f64>`.
pub(crate) mod vec {
    use super::F;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|&x| F(x)))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<F>::deserialize(d)?.into_iter().map(|f| f.0).collect())
    }
}

/// `#[serde(with = "nonfinite::vecvec")]` for `Vec<Vec<f64>>`.
pub(crate) mod vecvec {
    use super::F;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            v.iter()
                .map(|row| row.iter().map(|&x| F(x)).collect::<Vec<F>>()),
        )
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        Ok(Vec::<Vec<F>>::deserialize(d)?
            .into_iter()
            .map(|row| row.into_iter().map(|f| f.0).collect())
            .collect())
    }
}

/// `#[serde(with = "nonfinite::option_vecvec")]` for `Option<Vec<Vec<f64>>>`.
pub(crate) mod option_vecvec {
    use super::F;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<Vec<f64>>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|rows| {
                rows.iter()
                    .map(|row| row.iter().map(|&x| F(x)).collect::<Vec<F>>())
                    .collect::<Vec<_>>()
            })
            .serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Vec<f64>>>, D::Error> {
        Ok(Option::<Vec<Vec<F>>>::deserialize(d)?.map(|rows| {
            rows.into_iter()
                .map(|row| row.into_iter().map(|f| f.0).collect())
                .collect()
        }))
    }
}

/// `#[serde(with = "nonfinite::option_vec")]` for `Option<Vec<f64>>`.
pub(crate) mod option_vec {
    use super::F;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<f64>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|row| row.iter().map(|&x| F(x)).collect::<Vec<F>>())
            .serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
        Ok(Option::<Vec<F>>::deserialize(d)?.map(|row| row.into_iter().map(|f| f.0).collect()))
    }
}
