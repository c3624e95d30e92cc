# school pages (zh-CN). Keys start with `sc-`: all areas share one bundle.
