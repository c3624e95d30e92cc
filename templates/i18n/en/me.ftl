# me pages (en). Keys start with `me-`: all areas share one bundle.
