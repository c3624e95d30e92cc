# reports pages (zh-CN). Keys start with `rep-`: all areas share one bundle.
