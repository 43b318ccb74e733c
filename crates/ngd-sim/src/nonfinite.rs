//! Serde helpers for floats that may be infinite or NaN (a pole of `phi`, a diverged run, the
//! median of no runs).
//!
//! JSON has no infinities: finite values are written as numbers, the others as the object
//! `{"non_finite": "inf"}` (or `"-inf"`, `"nan"`), so that a reader can tell them from numbers
//! by type. Both that form and the strings `"inf"`, `"-inf"`, `"nan"` of shard files written
//! before schema version 4 are read back, so a shard file reads back bit for bit (with
//! serde_json's `float_roundtrip`).

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The key of the object that stands for a non-finite value.
const NON_FINITE_KEY: &str = "non_finite";

/// An f64 with the encoding above.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct F(pub f64);

/// The name of a non-finite value (`None` for a finite one).
fn non_finite_name(v: f64) -> Option<&'static str> {
    if v.is_finite() {
        None
    } else if v.is_nan() {
        Some("nan")
    } else if v > 0.0 {
        Some("inf")
    } else {
        Some("-inf")
    }
}

/// The value of a non-finite name, as written by [`non_finite_name`].
fn non_finite_value(name: &str) -> Option<f64> {
    match name {
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    }
}

impl Serialize for F {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match non_finite_name(self.0) {
            None => s.serialize_f64(self.0),
            Some(name) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(NON_FINITE_KEY, name)?;
                map.end()
            }
        }
    }
}

impl JsonSchema for F {
    fn schema_name() -> Cow<'static, str> {
        "ExtendedFloat".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A float: a JSON number when finite, else {\"non_finite\": \"inf\" | \"-inf\" | \"nan\"}.",
            "oneOf": [
                { "type": "number" },
                {
                    "type": "object",
                    "properties": {
                        "non_finite": { "type": "string", "enum": ["inf", "-inf", "nan"] }
                    },
                    "required": ["non_finite"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

struct FVisitor;

impl FVisitor {
    fn named<E: de::Error>(&self, name: &str) -> Result<F, E> {
        non_finite_value(name)
            .map(F)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(name), self))
    }
}

impl<'de> Visitor<'de> for FVisitor {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or {\"non_finite\": \"inf\" | \"-inf\" | \"nan\"}")
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
    /// The string form of schema versions before 4.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<F, E> {
        self.named(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F, A::Error> {
        let key: String = map
            .next_key()?
            .ok_or_else(|| de::Error::missing_field(NON_FINITE_KEY))?;
        if key != NON_FINITE_KEY {
            return Err(de::Error::unknown_field(&key, &[NON_FINITE_KEY]));
        }
        let name: String = map.next_value()?;
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::unknown_field(&extra, &[NON_FINITE_KEY]));
        }
        self.named(&name)
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

#[cfg(test)]
mod tests {
    use super::F;

    fn write(v: f64) -> String {
        serde_json::to_string(&F(v)).unwrap()
    }

    fn read(s: &str) -> Result<f64, serde_json::Error> {
        serde_json::from_str::<F>(s).map(|f| f.0)
    }

    #[test]
    fn non_finite_values_are_typed_objects() {
        assert_eq!(write(f64::INFINITY), r#"{"non_finite":"inf"}"#);
        assert_eq!(write(f64::NEG_INFINITY), r#"{"non_finite":"-inf"}"#);
        assert_eq!(write(f64::NAN), r#"{"non_finite":"nan"}"#);
        assert_eq!(write(-0.5), "-0.5");
        assert_eq!(read(r#"{"non_finite":"inf"}"#).unwrap(), f64::INFINITY);
        assert_eq!(read(r#"{"non_finite":"-inf"}"#).unwrap(), f64::NEG_INFINITY);
        assert!(read(r#"{"non_finite":"nan"}"#).unwrap().is_nan());
    }

    #[test]
    fn the_string_form_of_old_shard_files_reads_back() {
        assert_eq!(read(r#""inf""#).unwrap(), f64::INFINITY);
        assert_eq!(read(r#""-inf""#).unwrap(), f64::NEG_INFINITY);
        assert!(read(r#""nan""#).unwrap().is_nan());
        assert_eq!(read("3").unwrap(), 3.0);
    }

    #[test]
    fn finite_values_read_back_bit_for_bit() {
        for v in [0.1, -1e-310, f64::MAX, f64::MIN_POSITIVE, 1.0 / 3.0, -0.0] {
            assert_eq!(read(&write(v)).unwrap().to_bits(), v.to_bits(), "{v}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            r#""infinity""#,
            r#"{"non_finite":"+inf"}"#,
            r#"{"finite":"inf"}"#,
            r#"{"non_finite":"inf","x":1}"#,
            r#"{}"#,
            "null",
            "[1]",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
