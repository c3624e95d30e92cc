//! Anonymous searches per client address: a token bucket each (`per_second` refilled,
//! up to `burst` at once), so one client cannot spend the search pool that every visitor
//! shares. Signed-in users are not limited here: they are known, and their own limits are
//! their sessions'. Memory stays bounded: a bucket that has refilled is the same as none,
//! so full buckets are dropped when the table grows.

use super::Actor;
use super::client::client_of;
use crate::error::{AppError, AppResult};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Addresses remembered at most; beyond, idle (refilled) buckets are dropped first.
const MAX_ADDRESSES: usize = 50_000;

#[derive(Clone)]
pub struct SearchRate {
    buckets: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
    /// `None`: no limit.
    limit: Option<Limit>,
}

#[derive(Debug, Clone, Copy)]
struct Limit {
    per_second: f64,
    burst: f64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl SearchRate {
    /// `per_second` searches per address, `burst` at once; `None` sets no limit.
    pub fn new(limit: Option<(f64, u32)>) -> Self {
        let limit = limit
            .filter(|(per_second, burst)| *per_second > 0.0 && *burst > 0)
            .map(|(per_second, burst)| Limit { per_second, burst: f64::from(burst) });
        SearchRate { buckets: Arc::default(), limit }
    }

    /// Admit one search: always for a signed-in viewer, otherwise if `address` has a
    /// search left; a 429 with the seconds until it has one otherwise.
    pub fn admit(&self, viewer: Option<&Actor>, address: IpAddr) -> AppResult<()> {
        match (viewer, self.limit) {
            (None, Some(limit)) => self.take(limit, client_of(address), Instant::now()),
            _ => Ok(()),
        }
    }

    fn take(&self, limit: Limit, client: IpAddr, now: Instant) -> AppResult<()> {
        let mut buckets = self.buckets.lock().expect("search rate lock");
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(&client) {
            buckets.retain(|_, b| b.refilled(limit, now) < limit.burst);
            if buckets.len() >= MAX_ADDRESSES {
                // Every address is busy at once: forgetting them all bounds the memory
                // (and lets each start again with a full bucket, the lesser harm).
                buckets.clear();
            }
        }
        let bucket = buckets.entry(client).or_insert(Bucket { tokens: limit.burst, at: now });
        bucket.tokens = bucket.refilled(limit, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / limit.per_second;
        metrics::counter!("xiaoqi_search_rate_limited_total").increment(1);
        Err(AppError::SearchRate { retry_after_secs: (wait.ceil() as u64).max(1) })
    }
}

impl Bucket {
    fn refilled(&self, limit: Limit, now: Instant) -> f64 {
        (self.tokens + now.duration_since(self.at).as_secs_f64() * limit.per_second).min(limit.burst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limit(per_second: f64, burst: u32) -> (SearchRate, Limit) {
        let rate = SearchRate::new(Some((per_second, burst)));
        let limit = rate.limit.unwrap();
        (rate, limit)
    }

    #[test]
    fn a_burst_passes_then_one_search_per_refill() {
        let (rate, limit) = limit(2.0, 3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            rate.take(limit, ip, t0).unwrap();
        }
        let Err(AppError::SearchRate { retry_after_secs }) = rate.take(limit, ip, t0) else { panic!("not limited") };
        assert_eq!(retry_after_secs, 1);
        // Another address has its own bucket.
        rate.take(limit, "10.0.0.2".parse().unwrap(), t0).unwrap();
        // Half a second later, at two a second, one more.
        rate.take(limit, ip, t0 + Duration::from_millis(500)).unwrap();
        assert!(rate.take(limit, ip, t0 + Duration::from_millis(500)).is_err());
    }

    #[test]
    fn the_wait_is_whole_seconds_until_a_search_is_back() {
        let (rate, limit) = limit(0.2, 1);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        rate.take(limit, ip, t0).unwrap();
        let Err(AppError::SearchRate { retry_after_secs }) = rate.take(limit, ip, t0) else { panic!("not limited") };
        assert_eq!(retry_after_secs, 5);
    }

    #[test]
    fn idle_buckets_are_dropped_when_the_table_is_full() {
        let (rate, limit) = limit(10.0, 2);
        let t0 = Instant::now();
        for i in 0..MAX_ADDRESSES as u32 {
            rate.take(limit, IpAddr::V4(i.into()), t0).unwrap();
        }
        let later = t0 + Duration::from_secs(1);
        rate.take(limit, "192.0.2.1".parse().unwrap(), later).unwrap();
        assert_eq!(rate.buckets.lock().unwrap().len(), 1);
    }

    #[test]
    fn one_ipv6_network_shares_a_bucket_and_signed_in_users_pass() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let rate = SearchRate::new(Some((1.0, 1)));
        rate.admit(None, a).unwrap();
        assert!(rate.admit(None, b).is_err());
        assert!(SearchRate::new(None).admit(None, a).is_ok());
    }
}
