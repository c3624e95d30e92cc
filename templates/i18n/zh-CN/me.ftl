# me pages (zh-CN). Keys start with `me-`: all areas share one bundle.
