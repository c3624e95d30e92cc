# admin pages (en). Keys start with `adm-`: all areas share one bundle.
