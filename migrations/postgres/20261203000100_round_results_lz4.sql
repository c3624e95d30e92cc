-- A round's explanations (about 1.7 kB of JSON per graduate) are TOASTed; compressing them
-- with lz4 instead of the default pglz took about a third off saving a 100,000-graduate
-- round (src/services/rounds/save.rs). Only where the server was built with lz4
-- (PostgreSQL 14+ with --with-lz4): elsewhere the columns keep the default, which is correct,
-- only slower. Changes how new values are stored, not what reads see.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE round_graduates ALTER COLUMN explanation SET COMPRESSION lz4, '
         || 'ALTER COLUMN score SET COMPRESSION lz4, ALTER COLUMN preferences SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE round_postings ALTER COLUMN explanation SET COMPRESSION lz4, '
         || 'ALTER COLUMN preferences SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'round results keep the default compression: %', SQLERRM;
END
$$;
