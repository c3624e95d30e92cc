-- The database itself records what the search index must read again: every write to a
-- table a search document copies from appends the documents it changes to `changes`, in
-- the writing statement, so no caller can forget to (src/store/changes.rs).
--
-- What the documents copy (src/store/search_source.rs): a posting, its row, its
-- organisation's name, its project's name and park; a graduate, its row, its school's
-- name, its latest consent given (the purpose shown to companies) and its latest outcome
-- (the destination). Every write to a posting or graduate row is logged, even one that
-- changes nothing (a row touched to take its lock): reading a document again is harmless.
--
-- Stamped with the database's clock, in the text form sqlx writes (RFC 3339, UTC).

CREATE TRIGGER postings_log_insert AFTER INSERT ON postings BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('posting', NEW.id, 'create', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER postings_log_update AFTER UPDATE ON postings BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('posting', NEW.id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER postings_log_delete AFTER DELETE ON postings BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('posting', OLD.id, 'delete', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER graduates_log_insert AFTER INSERT ON graduates BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', NEW.id, 'create', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER graduates_log_update AFTER UPDATE ON graduates BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', NEW.id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER graduates_log_delete AFTER DELETE ON graduates BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', OLD.id, 'delete', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- An organisation's name is in its postings' and its graduates' documents.
CREATE TRIGGER organizations_log_rename AFTER UPDATE OF name ON organizations
WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'posting', id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM postings WHERE organization_id = NEW.id ORDER BY id;
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'graduate', id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM graduates WHERE organization_id = NEW.id ORDER BY id;
END;

-- A project's name and park are in its postings' documents.
CREATE TRIGGER projects_log_rename AFTER UPDATE OF name, park ON projects
WHEN OLD.name IS NOT NEW.name OR OLD.park IS NOT NEW.park BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'posting', id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM postings WHERE project_id = NEW.id ORDER BY id;
END;

-- The latest consent given and the latest outcome are in the graduate's document.
CREATE TRIGGER consent_records_log_insert AFTER INSERT ON consent_records BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', NEW.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER consent_records_log_update AFTER UPDATE ON consent_records BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'graduate', OLD.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    UNION SELECT 'graduate', NEW.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now');
END;

CREATE TRIGGER consent_records_log_delete AFTER DELETE ON consent_records BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', OLD.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER graduate_outcomes_log_insert AFTER INSERT ON graduate_outcomes BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', NEW.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER graduate_outcomes_log_update AFTER UPDATE ON graduate_outcomes BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    SELECT 'graduate', OLD.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    UNION SELECT 'graduate', NEW.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now');
END;

CREATE TRIGGER graduate_outcomes_log_delete AFTER DELETE ON graduate_outcomes BEGIN
    INSERT INTO changes (entity, entity_id, operation, changed_at)
    VALUES ('graduate', OLD.graduate_id, 'update', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
