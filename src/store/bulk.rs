//! Bulk inserts for synthetic data (being written).
