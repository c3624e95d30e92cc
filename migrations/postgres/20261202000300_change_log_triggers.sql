-- The database itself records what the search index must read again: every write to a
-- table a search document copies from appends the documents it changes to `changes`, in
-- the writing statement, so no caller can forget to (src/store/changes.rs). The rows get
-- `seq` and `txid` from the column defaults, as any insert does: the follower's reading
-- of out-of-order commits holds for them unchanged.
--
-- What the documents copy (src/store/search_source.rs): a posting, its row, its
-- organisation's name, its project's name and park; a graduate, its row, its school's
-- name, its latest consent given (the purpose shown to companies) and its latest outcome
-- (the destination). Every write to a posting or graduate row is logged, even one that
-- changes nothing (a row touched to take its lock): reading a document again is harmless.
--
-- Writes that may touch many rows (bulk loads, imports) log them once per statement, from
-- the statement's transition tables; renames, rare, once per row. Stamped with the
-- database's clock.

-- For postings and graduates: TG_ARGV[0] names the entity; the rows are the statement's.
CREATE FUNCTION changes_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT TG_ARGV[0], id, 'create', clock_timestamp() FROM new_rows ORDER BY id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT TG_ARGV[0], id, 'update', clock_timestamp() FROM new_rows ORDER BY id;
    ELSE
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT TG_ARGV[0], id, 'delete', clock_timestamp() FROM old_rows ORDER BY id;
    END IF;
    RETURN NULL;
END $$;

-- For tables whose rows belong to a graduate (`graduate_id`): the graduates they name.
CREATE FUNCTION changes_log_graduates_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT 'graduate', graduate_id, 'update', clock_timestamp()
        FROM (SELECT DISTINCT graduate_id FROM new_rows) AS g ORDER BY graduate_id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT 'graduate', graduate_id, 'update', clock_timestamp()
        FROM (SELECT graduate_id FROM new_rows UNION SELECT graduate_id FROM old_rows) AS g ORDER BY graduate_id;
    ELSE
        INSERT INTO changes (entity, entity_id, operation, changed_at)
        SELECT 'graduate', graduate_id, 'update', clock_timestamp()
        FROM (SELECT DISTINCT graduate_id FROM old_rows) AS g ORDER BY graduate_id;
    END IF;
    RETURN NULL;
END $$;

-- (PostgreSQL allows transition tables only on triggers of one event each.)
CREATE TRIGGER postings_log_insert AFTER INSERT ON postings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('posting');
CREATE TRIGGER postings_log_update AFTER UPDATE ON postings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('posting');
CREATE TRIGGER postings_log_delete AFTER DELETE ON postings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('posting');

CREATE TRIGGER graduates_log_insert AFTER INSERT ON graduates REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('graduate');
CREATE TRIGGER graduates_log_update AFTER UPDATE ON graduates REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('graduate');
CREATE TRIGGER graduates_log_delete AFTER DELETE ON graduates REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_rows('graduate');

-- The latest consent given and the latest outcome are in the graduate's document.
CREATE TRIGGER consent_records_log_insert AFTER INSERT ON consent_records REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();
CREATE TRIGGER consent_records_log_update AFTER UPDATE ON consent_records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();
CREATE TRIGGER consent_records_log_delete AFTER DELETE ON consent_records REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();

CREATE TRIGGER graduate_outcomes_log_insert AFTER INSERT ON graduate_outcomes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();
CREATE TRIGGER graduate_outcomes_log_update AFTER UPDATE ON graduate_outcomes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();
CREATE TRIGGER graduate_outcomes_log_delete AFTER DELETE ON graduate_outcomes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_log_graduates_of();

-- An organisation's name is in its postings' and its graduates' documents.
CREATE FUNCTION changes_log_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'posting', id, 'update', clock_timestamp() FROM postings WHERE organization_id = NEW.id ORDER BY id;
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'graduate', id, 'update', clock_timestamp() FROM graduates WHERE organization_id = NEW.id ORDER BY id;
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_log_rename AFTER UPDATE OF name ON organizations
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION changes_log_organization();

-- A project's name and park are in its postings' documents.
CREATE FUNCTION changes_log_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'posting', id, 'update', clock_timestamp() FROM postings WHERE project_id = NEW.id ORDER BY id;
    RETURN NULL;
END $$;
CREATE TRIGGER projects_log_rename AFTER UPDATE OF name, park ON projects
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.park IS DISTINCT FROM NEW.park)
    EXECUTE FUNCTION changes_log_project();
