//! Page tests: the matching pages.
