//! Vetting, users, audit (part B).
