//! Pure matching: scores and (later) deferred acceptance. No I/O, no clock.
