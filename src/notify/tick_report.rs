//! What one pass of the outbox worker did, summed over its sending lanes.

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claimed but handed back unsent (stopping, or too little lease left to start).
    pub released: usize,
}

impl TickReport {
    pub(super) fn add(&mut self, other: TickReport) {
        self.claimed += other.claimed;
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.released += other.released;
    }
}
