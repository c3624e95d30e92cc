//! Cross-school duplicates: found on write and import, listed for coordinators, merged or dismissed.
