//! A round's scoring weights: how much each component of a (posting, graduate) score counts.
//! A setting a coordinator chooses with the round, so a domain value; scoring applies it.

use serde::{Deserialize, Serialize};

/// How much each component counts in the total. Only the ratios matter: the total is the
/// weighted mean, so `{text: 1, major: 1}` and `{text: 3, major: 3}` rank pairs identically.
///
/// In JSON, a missing weight takes its default value and an unknown name is an error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Text relevance from the search engine. Default 0.30.
    pub text: f64,
    /// Major fit. Default 0.25.
    pub major: f64,
    /// Education fit. Default 0.15.
    pub education: f64,
    /// Location. Default 0.10.
    pub location: f64,
    /// Salary. Default 0.10.
    pub salary: f64,
    /// Benefits. Default 0.10.
    pub benefits: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self { text: 0.30, major: 0.25, education: 0.15, location: 0.10, salary: 0.10, benefits: 0.10 }
    }
}

impl Weights {
    /// The weights with their JSON names, in the order of a score's components.
    pub fn named(&self) -> [(&'static str, f64); 6] {
        [
            ("text", self.text),
            ("major", self.major),
            ("education", self.education),
            ("location", self.location),
            ("salary", self.salary),
            ("benefits", self.benefits),
        ]
    }

    /// Every weight must be a finite number ≥ 0, and at least one must be positive.
    /// The error names the first bad weight, in English and Chinese.
    pub fn validate(&self) -> Result<(), String> {
        for (name, w) in self.named() {
            if !w.is_finite() || w < 0.0 {
                return Err(format!(
                    "weight `{name}` must be a finite number of at least 0, got {w} / 权重 {name} 必须是不小于 0 的有限数"
                ));
            }
        }
        if self.named().iter().all(|(_, w)| *w == 0.0) {
            return Err("at least one weight must be positive / 至少一个权重必须大于 0".to_string());
        }
        Ok(())
    }

    /// The weights scaled so that the largest is 1 (avoids overflow for huge weights).
    /// A negative or non-finite weight counts as 0; if no weight is positive, all count as 1.
    pub(crate) fn normalised(&self) -> [f64; 6] {
        let raw = self.named().map(|(_, w)| if w.is_finite() && w > 0.0 { w } else { 0.0 });
        let max = raw.iter().copied().fold(0.0, f64::max);
        if max > 0.0 { raw.map(|w| w / max) } else { [1.0; 6] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    #[test]
    fn default_weights_are_valid_and_sum_to_one() {
        let w = Weights::default();
        assert_eq!(w.validate(), Ok(()));
        let sum: f64 = w.named().iter().map(|(_, w)| w).sum();
        assert!((sum - 1.0).abs() < EPS);
    }

    #[test]
    fn validate_names_the_bad_weight() {
        let bad = Weights { salary: -0.1, ..Weights::default() };
        assert!(bad.validate().unwrap_err().contains("`salary`"));
        let nan = Weights { major: f64::NAN, ..Weights::default() };
        assert!(nan.validate().unwrap_err().contains("`major`"));
        let inf = Weights { text: f64::INFINITY, ..Weights::default() };
        assert!(inf.validate().unwrap_err().contains("`text`"));
        let zero = Weights { text: 0.0, major: 0.0, education: 0.0, location: 0.0, salary: 0.0, benefits: 0.0 };
        assert!(zero.validate().unwrap_err().contains("至少一个权重"));
        let one = Weights { text: 1.0, major: 0.0, education: 0.0, location: 0.0, salary: 0.0, benefits: 0.0 };
        assert_eq!(one.validate(), Ok(()));
    }

    #[test]
    fn weights_json_fills_defaults_and_rejects_unknown_names() {
        let w: Weights = serde_json::from_str(r#"{"text": 0.5}"#).unwrap();
        assert_eq!(w, Weights { text: 0.5, ..Weights::default() });
        assert!(serde_json::from_str::<Weights>(r#"{"educaton": 0.5}"#).is_err());
        let back: Weights = serde_json::from_value(serde_json::to_value(Weights::default()).unwrap()).unwrap();
        assert_eq!(back, Weights::default());
    }
}
