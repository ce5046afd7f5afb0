-- Issue 10: the foreign keys of submissions are checked at commit instead of at each insert.
--
-- The writer stores a batch's submissions with one multi-row INSERT inside the batch's
-- transaction. SQLite gives such a statement a statement journal whenever it might stop half
-- way and have to undo its own rows: an immediate foreign key, or a constraint that aborts
-- (NOT NULL, UNIQUE, CHECK with the default ABORT). The journal keeps a copy of every page the
-- statement first changes: with ten b-trees per row and a page per row, about 20 KB a
-- submission, spilled to a temporary file past 64 KB; on click day a fifth of the writer's CPU.
-- flushPending inserts with OR FAIL (a failure fails the whole batch anyway, which rolls back),
-- and with foreign keys that are DEFERRABLE INITIALLY DEFERRED the statement cannot abort
-- half way: it needs no journal. The keys still hold: each row is still looked up in its
-- parents, and a commit that would leave a submission without its module or user fails
-- (TestSubmissionKeysHoldAtCommit).
--
-- Deferring a foreign key changes nothing stored, only the table's definition: SQLite's
-- documented way for such a change is to edit the definition in sqlite_schema, with
-- writable_schema, and to change the schema version so that every connection reads the schema
-- again (https://sqlite.org/lang_altertable.html, "making other kinds of table schema
-- changes"). Rebuilding the table instead would copy every submission. The version is set to a
-- value no migration reaches by counting (each schema change adds one), so it differs from the
-- one any connection has read.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(replace(sql,
	'REFERENCES modules(id),', 'REFERENCES modules(id) DEFERRABLE INITIALLY DEFERRED,'),
	'REFERENCES users(id),', 'REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED,')
WHERE type = 'table' AND name = 'submissions';
PRAGMA schema_version = 1000009;
PRAGMA writable_schema = OFF;
