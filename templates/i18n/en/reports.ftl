# reports pages (en). Keys start with `rep-`: all areas share one bundle.
