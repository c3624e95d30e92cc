# fair pages (zh-CN). Keys start with `fair-`: all areas share one bundle.
