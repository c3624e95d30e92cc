# rounds pages (zh-CN). Keys start with `rnd-`: all areas share one bundle.
