# offers pages (zh-CN). Keys start with `off-`: all areas share one bundle.
