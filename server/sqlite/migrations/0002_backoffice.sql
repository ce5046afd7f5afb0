-- The back office (issue 5): enablement requests of comuni and patronati, the Sportello Unico's
-- view of the applications of its province with their status and history, and the audit log.
-- Existing rows get the new columns from their stored data.

-- Enablement requests (replacing the fax of seed 000, step 3). One row per request; its
-- status is derived from its operators' rows and kept here for the Ministry's filters.
CREATE TABLE richieste (
	id             INTEGER PRIMARY KEY,
	created_by     INTEGER NOT NULL REFERENCES users(id),
	created_at     TEXT NOT NULL,
	stato          TEXT NOT NULL DEFAULT 'in_attesa'
	               CHECK (stato IN ('in_attesa', 'parziale', 'approvata', 'respinta')),
	ente_nome      TEXT NOT NULL,
	ente_tipo      TEXT NOT NULL CHECK (ente_tipo IN ('comune', 'unione_comuni', 'patronato')),
	ente_provincia TEXT NOT NULL,
	ref_nome       TEXT NOT NULL,
	ref_cognome    TEXT NOT NULL,
	ref_ruolo      TEXT NOT NULL,
	ref_telefono   TEXT NOT NULL,
	ref_fax        TEXT NOT NULL DEFAULT '',
	ref_email      TEXT NOT NULL,
	motivo         TEXT NOT NULL DEFAULT '',  -- the last rejection's reason
	decided_at     TEXT,
	decided_by     INTEGER REFERENCES users(id)
);
CREATE INDEX richieste_stato ON richieste(stato, id);
CREATE INDEX richieste_created_by ON richieste(created_by, id);

-- The operators table of a request: each row matched to a registered, active account.
CREATE TABLE richiesta_operatori (
	richiesta_id INTEGER NOT NULL REFERENCES richieste(id),
	pos          INTEGER NOT NULL,            -- row of the form, from 1
	user_id      INTEGER NOT NULL REFERENCES users(id),
	nome         TEXT NOT NULL,
	cognome      TEXT NOT NULL,
	data_nascita TEXT NOT NULL,
	email        TEXT NOT NULL,
	stato        TEXT NOT NULL DEFAULT 'in_attesa'
	             CHECK (stato IN ('in_attesa', 'abilitato', 'respinto', 'revocato')),
	motivo       TEXT NOT NULL DEFAULT '',
	decided_at   TEXT,
	decided_by   INTEGER REFERENCES users(id),
	PRIMARY KEY (richiesta_id, user_id)
) WITHOUT ROWID;
CREATE INDEX richiesta_operatori_user ON richiesta_operatori(user_id, stato);

-- Operators search their modules by employer: the surname and name folded as
-- core.SearchKey does (ASCII upper case, Italian accented vowels plain). Keep the SQL below
-- and SearchKey in step.
ALTER TABLE modules ADD COLUMN employer_search TEXT NOT NULL DEFAULT '';
UPDATE modules SET employer_search = trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(data, '$."datore.cognome"'), '')) || ' ' || trim(coalesce(json_extract(data, '$."datore.nome"'), ''))), 'à', 'A'), 'è', 'E'), 'é', 'E'), 'ì', 'I'), 'ò', 'O'), 'ù', 'U'), 'À', 'A'), 'È', 'E'), 'É', 'E'), 'Ì', 'I'), 'Ò', 'O'), 'Ù', 'U'));
CREATE INDEX modules_employer ON modules(user_id, employer_search);
CREATE INDEX modules_created ON modules(created_at);

-- The Sportello's columns of an application, set when it is accepted: the module kind, the
-- worker's citizenship, the people's names as lists show them and as search folds them, and
-- the status at the Sportello with its last note.
ALTER TABLE submissions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN cittadinanza TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN employer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN worker_name TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN employer_search TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN worker_search TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN stato TEXT NOT NULL DEFAULT 'ricevuta'
	CHECK (stato IN ('ricevuta', 'in_istruttoria', 'convocato', 'accolta', 'respinta'));
ALTER TABLE submissions ADD COLUMN stato_at TEXT;           -- NULL: received_at
ALTER TABLE submissions ADD COLUMN stato_nota TEXT NOT NULL DEFAULT '';

UPDATE submissions SET
	kind = coalesce((SELECT m.kind FROM modules m WHERE m.id = submissions.module_id), ''),
	cittadinanza = upper(trim(coalesce(json_extract(content, '$."lavoratore.cittadinanza"'), ''))),
	employer_name = CASE WHEN trim(coalesce(json_extract(content, '$."datore.cognome"'), '')) = '' THEN trim(coalesce(json_extract(content, '$."datore.nome"'), '')) WHEN trim(coalesce(json_extract(content, '$."datore.nome"'), '')) = '' THEN replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."datore.cognome"'), ''))), 'à', 'À'), 'è', 'È'), 'é', 'É'), 'ì', 'Ì'), 'ò', 'Ò'), 'ù', 'Ù') ELSE replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."datore.cognome"'), ''))), 'à', 'À'), 'è', 'È'), 'é', 'É'), 'ì', 'Ì'), 'ò', 'Ò'), 'ù', 'Ù') || ' ' || trim(coalesce(json_extract(content, '$."datore.nome"'), '')) END,
	worker_name = CASE WHEN trim(coalesce(json_extract(content, '$."lavoratore.cognome"'), '')) = '' THEN trim(coalesce(json_extract(content, '$."lavoratore.nome"'), '')) WHEN trim(coalesce(json_extract(content, '$."lavoratore.nome"'), '')) = '' THEN replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."lavoratore.cognome"'), ''))), 'à', 'À'), 'è', 'È'), 'é', 'É'), 'ì', 'Ì'), 'ò', 'Ò'), 'ù', 'Ù') ELSE replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."lavoratore.cognome"'), ''))), 'à', 'À'), 'è', 'È'), 'é', 'É'), 'ì', 'Ì'), 'ò', 'Ò'), 'ù', 'Ù') || ' ' || trim(coalesce(json_extract(content, '$."lavoratore.nome"'), '')) END,
	employer_search = trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."datore.cognome"'), '')) || ' ' || trim(coalesce(json_extract(content, '$."datore.nome"'), ''))), 'à', 'A'), 'è', 'E'), 'é', 'E'), 'ì', 'I'), 'ò', 'O'), 'ù', 'U'), 'À', 'A'), 'È', 'E'), 'É', 'E'), 'Ì', 'I'), 'Ò', 'O'), 'Ù', 'U')),
	worker_search = trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(upper(trim(coalesce(json_extract(content, '$."lavoratore.cognome"'), '')) || ' ' || trim(coalesce(json_extract(content, '$."lavoratore.nome"'), ''))), 'à', 'A'), 'è', 'E'), 'é', 'E'), 'ì', 'I'), 'ò', 'O'), 'ù', 'U'), 'À', 'A'), 'È', 'E'), 'É', 'E'), 'Ì', 'I'), 'Ò', 'O'), 'Ù', 'U'));

-- By time of receipt, covering what the Ministry's statistics group by (and its lists).
CREATE INDEX submissions_received ON submissions(received_at, provincia, tipologia, cittadinanza, stato, kind);
CREATE INDEX submissions_prov_stato ON submissions(provincia, stato, received_at);
CREATE INDEX submissions_prov_cittadinanza ON submissions(provincia, cittadinanza, received_at);
CREATE INDEX submissions_prov_tipologia ON submissions(provincia, tipologia, received_at);
CREATE INDEX submissions_prov_employer ON submissions(provincia, employer_search);
CREATE INDEX submissions_prov_worker ON submissions(provincia, worker_search);

-- The history of an application at the Sportello: one row per change of status.
CREATE TABLE pratica_eventi (
	id       INTEGER PRIMARY KEY,
	protocol TEXT NOT NULL REFERENCES submissions(protocol),
	stato    TEXT NOT NULL,
	nota     TEXT NOT NULL DEFAULT '',
	by_user  INTEGER NOT NULL REFERENCES users(id),
	at       TEXT NOT NULL
);
CREATE INDEX pratica_eventi_protocol ON pratica_eventi(protocol, id);

-- The audit log of admin and sportello users. No foreign key: the log outlives accounts.
-- Append-only: the triggers refuse to change or delete a line, and to insert over one.
CREATE TABLE audit_log (
	id       INTEGER PRIMARY KEY,
	at       TEXT NOT NULL,
	actor_id INTEGER NOT NULL DEFAULT 0,       -- 0: the command line
	actor    TEXT NOT NULL,                    -- e-mail
	role     TEXT NOT NULL DEFAULT '',
	action   TEXT NOT NULL,
	target   TEXT NOT NULL DEFAULT '',
	detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_actor ON audit_log(actor, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: lines cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: lines cannot be deleted');
END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
	WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: lines cannot be replaced');
END;
