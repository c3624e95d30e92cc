//! Browser tests: journeys in Debian's chromium.
