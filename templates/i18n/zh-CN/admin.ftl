# admin pages (zh-CN). Keys start with `adm-`: all areas share one bundle.
