//! The outbox as the worker sees it: claim due notices, record what happened.
