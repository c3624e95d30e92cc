# fair pages (en). Keys start with `fair-`: all areas share one bundle.
