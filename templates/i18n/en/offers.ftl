# offers pages (en). Keys start with `off-`: all areas share one bundle.
