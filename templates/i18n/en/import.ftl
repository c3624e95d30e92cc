# import pages (en). Keys start with `imp-`: all areas share one bundle.
