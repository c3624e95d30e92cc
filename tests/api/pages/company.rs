//! Page tests: the company pages.
