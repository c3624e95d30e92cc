# coordinator pages (en). Keys start with `coo-`: all areas share one bundle.
