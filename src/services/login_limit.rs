//! The sign-in limit: failed sign-ins per (account, client) and per client, each answered
//! by a delay that grows with them, never by a lock that a stranger could set off.
//!
//! - Only failures count. An attempt in progress is neither a failure nor free: while the
//!   attempts in flight could use up what is left of an allowance, further attempts of
//!   the same pair (or client) wait for them to finish, so thirty right passwords at once
//!   all get in and twelve wrong guesses at once cannot all be checked.
//! - A success from a client clears that client's failures for the account.
//! - Failures are forgiven with time (one per `forgive_every`), so a shared address that
//!   sees honest typing mistakes all day does not drift into a delay.
//!
//! Kept in memory: one node's view. With several nodes behind a balancer each counts its
//! own failures, which still bounds guessing to `nodes ×` the rates below. The tables are
//! bounded: past [`MAX_TALLIES`] entries, forgiven ones go first, then those with the
//! fewest failures.

use super::client::client_of;
use crate::error::{AppError, AppResult};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How many failures pass freely, and the delays after them.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures without delay.
    pub free: u32,
    /// One remembered failure is forgiven per this much time without failures.
    pub forgive_every: Duration,
    /// The wait after `free` failures; it doubles with each further one…
    pub first_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
}

/// Per account and client: five tries, then 1 s, 2 s, 4 s … up to 15 minutes; about four
/// guesses an hour per pair once there.
pub const PER_PAIR: Policy = Policy {
    free: 5,
    forgive_every: Duration::from_secs(15 * 60),
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
};

/// Per client over all accounts: generous, since a school's or a fair's users share one
/// address (about 200 failures an hour pass freely).
pub const PER_CLIENT: Policy = Policy {
    free: 200,
    forgive_every: Duration::from_secs(18),
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
};

/// Entries per table before the table is shrunk.
pub const MAX_TALLIES: usize = 100_000;

/// How long an attempt waits for attempts in flight before it is told to retry.
const QUEUE_PATIENCE: Duration = Duration::from_secs(20);

impl Policy {
    /// The wait after `failures` failures.
    fn delay(&self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(31);
        self.first_delay.saturating_mul(1 << doublings).min(self.max_delay)
    }
}

#[derive(Debug, Default)]
struct Tally {
    failures: u32,
    last_failure: Option<Instant>,
    in_flight: u32,
}

enum Verdict {
    Go,
    /// Attempts in flight may use up the allowance: wait for them.
    Queue,
    /// In a delay: come back after this.
    Wait(Duration),
}

impl Tally {
    /// Failures still remembered at `now`.
    fn failures_at(&self, policy: &Policy, now: Instant) -> u32 {
        let Some(last) = self.last_failure else { return 0 };
        let forgiven = now.saturating_duration_since(last).as_secs() / policy.forgive_every.as_secs().max(1);
        self.failures.saturating_sub(u32::try_from(forgiven).unwrap_or(u32::MAX))
    }

    fn verdict(&self, policy: &Policy, now: Instant) -> Verdict {
        if let Some(last) = self.last_failure {
            let ready_at = last + policy.delay(self.failures);
            if now < ready_at {
                return Verdict::Wait(ready_at - now);
            }
        }
        let failures = self.failures_at(policy, now);
        // Free attempts may run side by side; in a delay, one at a time.
        let allowance = policy.free.max(failures + 1);
        if failures + self.in_flight < allowance { Verdict::Go } else { Verdict::Queue }
    }

    fn fail(&mut self, policy: &Policy, now: Instant) {
        self.failures = self.failures_at(policy, now).saturating_add(1);
        self.last_failure = Some(now);
    }

    fn idle(&self, policy: &Policy, now: Instant) -> bool {
        self.in_flight == 0 && self.failures_at(policy, now) == 0
    }
}

type PairKey = (String, IpAddr);

#[derive(Default)]
struct Tables {
    pairs: HashMap<PairKey, Tally>,
    clients: HashMap<IpAddr, Tally>,
}

struct Shared {
    tables: Mutex<Tables>,
    /// Woken whenever an attempt ends.
    ended: Notify,
    per_pair: Policy,
    per_client: Policy,
}

/// Failed-login limits; see the module's documentation.
#[derive(Clone)]
pub struct LoginLimiter {
    shared: Arc<Shared>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(PER_PAIR, PER_CLIENT)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Failed,
    Succeeded,
    /// Ended before the password was checked (a database error, a dropped request).
    Abandoned,
}

/// An admitted sign-in attempt; say how it ended with [`Attempt::failed`] or
/// [`Attempt::succeeded`] (dropped unsaid, it counts as neither).
pub struct Attempt {
    limiter: LoginLimiter,
    key: PairKey,
    ended: bool,
}

impl Attempt {
    pub fn failed(mut self) {
        self.end(Outcome::Failed);
    }

    pub fn succeeded(mut self) {
        self.end(Outcome::Succeeded);
    }

    fn end(&mut self, outcome: Outcome) {
        if !self.ended {
            self.ended = true;
            self.limiter.end(&self.key, outcome, Instant::now());
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.end(Outcome::Abandoned);
    }
}

/// Whole seconds to tell a client in Retry-After, rounded up.
fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl LoginLimiter {
    pub fn new(per_pair: Policy, per_client: Policy) -> Self {
        Self { shared: Arc::new(Shared { tables: Mutex::default(), ended: Notify::new(), per_pair, per_client }) }
    }

    /// Admit an attempt to sign in to `account` from `client`: at once, after the attempts
    /// in flight it must wait for, or a 429 whose Retry-After is the delay still to run.
    pub async fn admit(&self, account: &str, client: IpAddr) -> AppResult<Attempt> {
        let key = (account.to_string(), client_of(client));
        let give_up = tokio::time::Instant::now() + QUEUE_PATIENCE;
        loop {
            // Registered before looking, so an attempt ending in between is not missed.
            let ended = self.shared.ended.notified();
            match self.try_admit(&key, Instant::now()) {
                Verdict::Go => return Ok(Attempt { limiter: self.clone(), key, ended: false }),
                Verdict::Wait(wait) => {
                    return Err(AppError::TooManyRequests { retry_after_secs: retry_after_secs(wait).max(1) });
                }
                Verdict::Queue => {
                    if tokio::time::timeout_at(give_up, ended).await.is_err() {
                        return Err(AppError::TooManyRequests { retry_after_secs: 1 });
                    }
                }
            }
        }
    }

    fn try_admit(&self, key: &PairKey, now: Instant) -> Verdict {
        let Shared { per_pair, per_client, .. } = &*self.shared;
        let mut tables = self.shared.tables.lock().expect("login limiter lock");
        let verdicts = [
            tables.pairs.get(key).map_or(Verdict::Go, |t| t.verdict(per_pair, now)),
            tables.clients.get(&key.1).map_or(Verdict::Go, |t| t.verdict(per_client, now)),
        ];
        let wait = verdicts.iter().filter_map(|v| if let Verdict::Wait(d) = v { Some(*d) } else { None }).max();
        if let Some(wait) = wait {
            return Verdict::Wait(wait);
        }
        if verdicts.iter().any(|v| matches!(v, Verdict::Queue)) {
            return Verdict::Queue;
        }
        shrink(&mut tables.pairs, per_pair, now);
        shrink(&mut tables.clients, per_client, now);
        tables.pairs.entry(key.clone()).or_default().in_flight += 1;
        tables.clients.entry(key.1).or_default().in_flight += 1;
        Verdict::Go
    }

    fn end(&self, key: &PairKey, outcome: Outcome, now: Instant) {
        let Shared { per_pair, per_client, .. } = &*self.shared;
        {
            let mut tables = self.shared.tables.lock().expect("login limiter lock");
            if let Some(pair) = tables.pairs.get_mut(key) {
                pair.in_flight = pair.in_flight.saturating_sub(1);
                match outcome {
                    Outcome::Failed => pair.fail(per_pair, now),
                    Outcome::Succeeded => *pair = Tally { in_flight: pair.in_flight, ..Tally::default() },
                    Outcome::Abandoned => {}
                }
                if pair.idle(per_pair, now) {
                    tables.pairs.remove(key);
                }
            }
            if let Some(client) = tables.clients.get_mut(&key.1) {
                client.in_flight = client.in_flight.saturating_sub(1);
                if outcome == Outcome::Failed {
                    client.fail(per_client, now);
                }
                if client.idle(per_client, now) {
                    tables.clients.remove(&key.1);
                }
            }
        }
        self.shared.ended.notify_waiters();
    }

    #[cfg(test)]
    fn sizes(&self) -> (usize, usize) {
        let tables = self.shared.tables.lock().unwrap();
        (tables.pairs.len(), tables.clients.len())
    }
}

/// Keep a table within [`MAX_TALLIES`]: drop what is forgiven; if that is not enough, drop
/// the entries with the fewest (then the oldest) failures down to three quarters, so the
/// work is done rarely. Entries with attempts in flight stay.
fn shrink<K: Eq + Hash + Clone>(table: &mut HashMap<K, Tally>, policy: &Policy, now: Instant) {
    if table.len() < MAX_TALLIES {
        return;
    }
    table.retain(|_, t| !t.idle(policy, now));
    let target = MAX_TALLIES / 4 * 3;
    if table.len() <= target {
        return;
    }
    let mut evictable: Vec<(u32, Option<Instant>, K)> = table
        .iter()
        .filter(|(_, t)| t.in_flight == 0)
        .map(|(k, t)| (t.failures_at(policy, now), t.last_failure, k.clone()))
        .collect();
    evictable.sort_unstable_by_key(|(failures, last, _)| (*failures, *last));
    let excess = table.len() - target;
    for (_, _, key) in evictable.into_iter().take(excess) {
        table.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "alice@school.edu.cn";

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn key(account: &str, client: &str) -> PairKey {
        (account.to_string(), client_of(ip(client)))
    }

    /// Admit and end one attempt at `now`; the verdict it got.
    fn attempt(l: &LoginLimiter, account: &str, client: &str, outcome: Outcome, now: Instant) -> Result<(), Duration> {
        let key = key(account, client);
        match l.try_admit(&key, now) {
            Verdict::Go => {
                l.end(&key, outcome, now);
                Ok(())
            }
            Verdict::Wait(d) => Err(d),
            Verdict::Queue => panic!("nothing is in flight"),
        }
    }

    #[test]
    fn failures_of_a_pair_bring_growing_delays_up_to_the_cap() {
        let l = LoginLimiter::default();
        let mut now = Instant::now();
        for _ in 0..5 {
            attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, now).unwrap();
        }
        let mut waits = Vec::new();
        for _ in 0..14 {
            let wait = attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, now).unwrap_err();
            waits.push(wait.as_secs());
            now += wait;
            attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, now).unwrap();
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
        // Another client of the same account, and the same client for another account, go on.
        attempt(&l, ALICE, "10.0.0.2", Outcome::Succeeded, now).unwrap();
        attempt(&l, "bob@school.edu.cn", "10.0.0.1", Outcome::Failed, now).unwrap();
    }

    #[test]
    fn a_success_clears_the_pair_and_time_forgives() {
        let l = LoginLimiter::default();
        let now = Instant::now();
        for _ in 0..4 {
            attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, now).unwrap();
        }
        attempt(&l, ALICE, "10.0.0.1", Outcome::Succeeded, now).unwrap();
        for _ in 0..5 {
            attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, now).unwrap();
        }
        assert!(attempt(&l, ALICE, "10.0.0.1", Outcome::Succeeded, now).is_err());
        // Half an hour later two failures are forgiven: two free tries again.
        let later = now + Duration::from_secs(30 * 60);
        attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, later).unwrap();
        attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, later).unwrap();
        assert_eq!(attempt(&l, ALICE, "10.0.0.1", Outcome::Failed, later), Err(Duration::from_secs(1)));
    }

    #[test]
    fn attempts_in_flight_queue_rather_than_count() {
        let l = LoginLimiter::default();
        let now = Instant::now();
        let pair = key(ALICE, "10.0.0.1");
        for _ in 0..5 {
            assert!(matches!(l.try_admit(&pair, now), Verdict::Go));
        }
        // Five in flight could be five failures: the sixth waits for them, it is not refused.
        assert!(matches!(l.try_admit(&pair, now), Verdict::Queue));
        l.end(&pair, Outcome::Succeeded, now);
        // One right password clears the failures the others had not made yet.
        assert!(matches!(l.try_admit(&pair, now), Verdict::Go));
        for _ in 0..5 {
            l.end(&pair, Outcome::Failed, now);
        }
        assert!(matches!(l.try_admit(&pair, now), Verdict::Wait(_)));
        // In a delay, attempts after it go one at a time.
        let later = now + Duration::from_secs(1);
        assert!(matches!(l.try_admit(&pair, later), Verdict::Go));
        assert!(matches!(l.try_admit(&pair, later), Verdict::Queue));
        l.end(&pair, Outcome::Abandoned, later);
        assert!(matches!(l.try_admit(&pair, later), Verdict::Go));
    }

    #[test]
    fn a_client_has_a_generous_cap_over_all_accounts() {
        let l = LoginLimiter::default();
        let now = Instant::now();
        for i in 0..PER_CLIENT.free {
            attempt(&l, &format!("guess{i}@x.cn"), "10.0.0.1", Outcome::Failed, now).unwrap();
        }
        assert_eq!(attempt(&l, ALICE, "10.0.0.1", Outcome::Succeeded, now), Err(Duration::from_secs(1)));
        attempt(&l, ALICE, "10.0.0.2", Outcome::Succeeded, now).unwrap();
        // One IPv6 client is its /64.
        for i in 0..PER_CLIENT.free {
            attempt(&l, &format!("guess{i}@x.cn"), &format!("2001:db8::{i:x}"), Outcome::Failed, now).unwrap();
        }
        assert!(attempt(&l, ALICE, "2001:db8::ffff:1", Outcome::Succeeded, now).is_err());
        attempt(&l, ALICE, "2001:db8:0:1::1", Outcome::Succeeded, now).unwrap();
    }

    #[test]
    fn the_tables_stay_bounded_and_keep_the_delayed() {
        let l = LoginLimiter::default();
        let now = Instant::now();
        for _ in 0..6 {
            let _ = attempt(&l, ALICE, "10.9.9.9", Outcome::Failed, now);
        }
        for i in 0..(MAX_TALLIES as u32 * 2) {
            let client = std::net::Ipv4Addr::from(0x0b00_0000 + i).to_string();
            attempt(&l, &format!("u{i}@x.cn"), &client, Outcome::Failed, now).unwrap();
        }
        let (pairs, clients) = l.sizes();
        assert!(pairs <= MAX_TALLIES && clients <= MAX_TALLIES, "{pairs} pairs, {clients} clients");
        assert!(attempt(&l, ALICE, "10.9.9.9", Outcome::Failed, now).is_err(), "the delayed pair was kept");
    }

    #[tokio::test]
    async fn queued_attempts_go_when_those_in_flight_end() {
        let l = LoginLimiter::default();
        let first: Vec<Attempt> = futures_first_five(&l).await;
        let waiting = tokio::spawn({
            let l = l.clone();
            async move { l.admit(ALICE, ip("10.0.0.1")).await.map(Attempt::succeeded) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the sixth waits");
        let mut first = first.into_iter();
        first.next().unwrap().succeeded();
        waiting.await.unwrap().unwrap();
        // Four fail: no delay yet (the success cleared the pair).
        for attempt in first {
            attempt.failed();
        }
        l.admit(ALICE, ip("10.0.0.1")).await.unwrap().failed();
        let refused = l.admit(ALICE, ip("10.0.0.1")).await.err().unwrap();
        assert!(matches!(refused, AppError::TooManyRequests { retry_after_secs: 1 }), "{refused:?}");
    }

    async fn futures_first_five(l: &LoginLimiter) -> Vec<Attempt> {
        let mut admitted = Vec::new();
        for _ in 0..5 {
            admitted.push(l.admit(ALICE, ip("10.0.0.1")).await.unwrap());
        }
        admitted
    }
}
