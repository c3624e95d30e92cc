-- PostgreSQL only (lz4 compression of round results' JSON); SQLite has no such setting.
-- Kept so both backends' migrations stay one list.
SELECT 1;
