//! Consent as records: given and withdrawn, history, search and rounds following, the personal link.
