# coordinator pages (zh-CN). Keys start with `coo-`: all areas share one bundle.
