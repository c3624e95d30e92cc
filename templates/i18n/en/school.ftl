# school pages (en). Keys start with `sc-`: all areas share one bundle.
