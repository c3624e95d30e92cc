//! When to try a failed notice again: exponential, jittered so notices that failed together
//! (a mail server down for a minute) do not all come back in the same second.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// Delay after the first failed attempt.
    pub base: Duration,
    /// No delay exceeds this, jitter included.
    pub cap: Duration,
    /// ± this fraction of the delay, at random.
    pub jitter: f64,
}

impl Default for Backoff {
    /// 30 s, 1 min, 2 min … capped at 1 h, ±20 %: eight attempts span about two hours.
    fn default() -> Self {
        Backoff { base: Duration::from_secs(30), cap: Duration::from_secs(3600), jitter: 0.2 }
    }
}

impl Backoff {
    /// The delay after failed attempt number `attempts` (1 for the first).
    pub fn delay(&self, attempts: i64, rng: &mut impl Rng) -> Duration {
        let doublings = attempts.saturating_sub(1).clamp(0, 30) as i32;
        let nominal = (self.base.as_secs_f64() * 2f64.powi(doublings)).min(self.cap.as_secs_f64());
        let spread = if self.jitter > 0.0 { rng.random_range(-self.jitter..=self.jitter) } else { 0.0 };
        Duration::from_secs_f64((nominal * (1.0 + spread)).clamp(0.0, self.cap.as_secs_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn doubles_within_the_jitter_and_stops_at_the_cap() {
        let backoff = Backoff::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for _ in 0..200 {
            let first = backoff.delay(1, &mut rng).as_secs_f64();
            assert!((24.0..=36.0).contains(&first), "{first}");
            let fourth = backoff.delay(4, &mut rng).as_secs_f64();
            assert!((192.0..=288.0).contains(&fourth), "{fourth}");
            assert!(backoff.delay(40, &mut rng) <= backoff.cap);
            assert!(backoff.delay(8, &mut rng).as_secs_f64() >= 2880.0);
        }
        let exact = Backoff { jitter: 0.0, ..backoff };
        assert_eq!(exact.delay(2, &mut rng), Duration::from_secs(60));
        assert_eq!(exact.delay(0, &mut rng), Duration::from_secs(30));
    }
}
