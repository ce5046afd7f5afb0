-- Issue 10: submissions in a table with rowid, in the order they were stored.
--
-- The table was WITHOUT ROWID, keyed by the client's random submission id, with rows of a few
-- kilobytes (the content): SQLite advises against both. Every stored submission went into a
-- random leaf of a b-tree whose pages were half empty (the rows spill to overflow pages), so a
-- group commit of hundreds of submissions dirtied hundreds of scattered pages, and the
-- Sportello's export, in order of receipt, read the table in random order, a page or more per
-- row. With a rowid a new submission is appended at the end of the table (rowids grow with the
-- order of storage, which is the order of receipt), the export reads the table front to back,
-- and the indexes point to rows by an 8-byte rowid instead of the submission id. The content
-- is the last column: the columns the lists read stay on the row's first page.
--
-- The migration runs with foreign keys off (they are checked before its commit): the old table
-- is dropped while pratica_eventi refers to it by protocol, which the new table keeps unique.
CREATE TABLE submissions_new (
	submission_id   TEXT NOT NULL UNIQUE,      -- client-generated
	module_id       TEXT NOT NULL UNIQUE REFERENCES modules(id),
	user_id         INTEGER NOT NULL REFERENCES users(id),
	campaign_id     TEXT NOT NULL,
	protocol        TEXT NOT NULL UNIQUE,
	sha256          TEXT NOT NULL,
	employer_key    TEXT NOT NULL,             -- codice fiscale of the datore (E2, E3)
	tipologia       TEXT NOT NULL,
	sportello       TEXT NOT NULL,
	provincia       TEXT NOT NULL,
	received_at     TEXT NOT NULL,
	signature       TEXT NOT NULL,
	key_id          TEXT NOT NULL,
	kind            TEXT NOT NULL DEFAULT '',
	cittadinanza    TEXT NOT NULL DEFAULT '',
	employer_name   TEXT NOT NULL DEFAULT '',
	worker_name     TEXT NOT NULL DEFAULT '',
	employer_search TEXT NOT NULL DEFAULT '',
	worker_search   TEXT NOT NULL DEFAULT '',
	stato           TEXT NOT NULL DEFAULT 'ricevuta'
		CHECK (stato IN ('ricevuta', 'in_istruttoria', 'convocato', 'accolta', 'respinta')),
	stato_at        TEXT,                      -- NULL: received_at
	stato_nota      TEXT NOT NULL DEFAULT '',
	content         TEXT NOT NULL              -- canonical JSON of the normalised data
);
INSERT INTO submissions_new (submission_id, module_id, user_id, campaign_id, protocol, sha256, employer_key,
	tipologia, sportello, provincia, received_at, signature, key_id, kind, cittadinanza, employer_name,
	worker_name, employer_search, worker_search, stato, stato_at, stato_nota, content)
SELECT submission_id, module_id, user_id, campaign_id, protocol, sha256, employer_key,
	tipologia, sportello, provincia, received_at, signature, key_id, kind, cittadinanza, employer_name,
	worker_name, employer_search, worker_search, stato, stato_at, stato_nota, content
FROM submissions ORDER BY received_at, protocol;
DROP TABLE submissions;
ALTER TABLE submissions_new RENAME TO submissions;
CREATE INDEX submissions_user ON submissions(user_id, received_at);
CREATE INDEX submissions_employer ON submissions(campaign_id, employer_key, tipologia);
CREATE INDEX submissions_list ON submissions(received_at, protocol, provincia, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_list_provincia ON submissions(provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_employer_search ON submissions(employer_search, provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_worker_search ON submissions(worker_search, provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
