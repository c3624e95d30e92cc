//! Page tests: the public pages.
