# rounds pages (en). Keys start with `rnd-`: all areas share one bundle.
