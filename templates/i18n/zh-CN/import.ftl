# import pages (zh-CN). Keys start with `imp-`: all areas share one bundle.
