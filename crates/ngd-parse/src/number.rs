//! Exact reading of decimal literals.

use rug::{Integer, Rational};

/// The largest number of decimal digits a literal may denote (numerator digits plus the
/// magnitude of the decimal exponent); keeps constants of a sane size.
pub(crate) const MAX_LITERAL_DIGITS: usize = 20_000;

/// The exact value of a literal `digits ['.' digits] [(e|E) [+-] digits]` (as scanned by the
/// lexer). Never goes through floating point.
pub(crate) fn decimal_value(text: &str) -> Result<Rational, String> {
    // Fast path: a plain integer literal that fits in `u64` (same value as below).
    if !text.is_empty() && text.len() <= 18 && text.bytes().all(|c| c.is_ascii_digit()) {
        let v = text
            .bytes()
            .fold(0u64, |acc, c| acc * 10 + u64::from(c - b'0'));
        return Ok(Rational::from(v));
    }
    let (mantissa, exp_text) = match text.find(['e', 'E']) {
        Some(k) => (&text[..k], Some(&text[k + 1..])),
        None => (text, None),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(k) => (&mantissa[..k], &mantissa[k + 1..]),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if int_part.is_empty() && frac_part.is_empty()
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return Err(format!("malformed number `{text}`"));
    }
    let exp10: i64 = match exp_text {
        None => 0,
        Some(e) => {
            let (neg, digits) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if digits.is_empty() || !all_digits(digits) {
                return Err(format!("malformed exponent in `{text}`"));
            }
            let digits = digits.trim_start_matches('0');
            // Saturate: any exponent this large is refused below unless the value is 0.
            let v: i64 = if digits.is_empty() {
                0
            } else if digits.len() > 12 {
                1_000_000_000_000
            } else {
                digits
                    .parse()
                    .map_err(|_| format!("malformed exponent in `{text}`"))?
            };
            if neg {
                -v
            } else {
                v
            }
        }
    };
    // value = digits(int_part frac_part) * 10^(exp10 - len(frac_part))
    let scale = exp10 - frac_part.len() as i64;
    let mut digits = String::with_capacity(int_part.len() + frac_part.len());
    digits.push_str(int_part);
    digits.push_str(frac_part);
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(Rational::new());
    }
    let size = significant.len() as u64 + scale.unsigned_abs();
    if size > MAX_LITERAL_DIGITS as u64 {
        return Err(format!(
            "number too large or too precise (more than {MAX_LITERAL_DIGITS} digits)"
        ));
    }
    let n = Integer::from_str_radix(significant, 10)
        .map_err(|_| format!("malformed number `{text}`"))?;
    let p = Integer::from(Integer::u_pow_u(10, scale.unsigned_abs() as u32));
    Ok(if scale >= 0 {
        Rational::from(n * p)
    } else {
        Rational::from((n, p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn exact_decimals() {
        assert_eq!(decimal_value("0.1").unwrap(), q(1, 10));
        assert_eq!(decimal_value("1e-3").unwrap(), q(1, 1000));
        assert_eq!(decimal_value("2.5E2").unwrap(), q(250, 1));
        assert_eq!(decimal_value("0.125").unwrap(), q(1, 8));
        assert_eq!(decimal_value(".5").unwrap(), q(1, 2));
        assert_eq!(decimal_value("3.").unwrap(), q(3, 1));
        assert_eq!(decimal_value("000").unwrap(), q(0, 1));
        assert_eq!(decimal_value("0e999999999999").unwrap(), q(0, 1));
        assert_eq!(decimal_value("1.5e+1").unwrap(), q(15, 1));
        assert_eq!(decimal_value("12.34e-1").unwrap(), q(1234, 1000));
        assert_eq!(
            decimal_value("0.1000000000000000055511151231257827").unwrap(),
            Rational::from((
                Integer::from_str_radix("1000000000000000055511151231257827", 10).unwrap(),
                Integer::from(Integer::u_pow_u(10, 34))
            ))
        );
    }

    #[test]
    fn huge_literals_are_refused() {
        assert!(decimal_value("1e100000").is_err());
        assert!(decimal_value("1e-100000").is_err());
        assert!(decimal_value("1e99999999999999999999").is_err());
        assert!(decimal_value(&"9".repeat(MAX_LITERAL_DIGITS + 1)).is_err());
        assert!(decimal_value(&"9".repeat(1000)).is_ok());
    }
}
