//! Roster import over the API: files the tests generate (xlsx, CSV in UTF-8, UTF-8 with BOM and GBK), on both backends.
