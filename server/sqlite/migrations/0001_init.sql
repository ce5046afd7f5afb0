-- Accounts, sessions, import tokens, modules, submissions with their receipts, and the outbox.
-- Instants are TEXT in UTC (RFC 3339 with milliseconds), so they sort and read as they are.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,      -- lower-case: the username
	cognome       TEXT NOT NULL,
	nome          TEXT NOT NULL,
	data_nascita  TEXT NOT NULL,             -- YYYY-MM-DD
	password_hash TEXT NOT NULL,             -- argon2id, PHC string
	role          TEXT NOT NULL DEFAULT 'privato'
	              CHECK (role IN ('privato', 'operatore', 'admin', 'sportello')),
	provincia     TEXT NOT NULL DEFAULT '',  -- sportello: its provincia
	active        INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL
);

-- Activation and password-reset links: the SHA-256 of the secret in the link.
CREATE TABLE one_time_tokens (
	hash       BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	purpose    TEXT NOT NULL CHECK (purpose IN ('activate', 'reset')),
	expires_at TEXT NOT NULL,
	used_at    TEXT
) WITHOUT ROWID;
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);

CREATE TABLE sessions (
	hash       BLOB PRIMARY KEY,             -- SHA-256 of the cookie value
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Import tokens: bearer secrets scoped to importing, sending and reading receipts.
CREATE TABLE import_tokens (
	id           INTEGER PRIMARY KEY,
	hash         BLOB NOT NULL UNIQUE,       -- SHA-256 of the token
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	label        TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE INDEX import_tokens_user ON import_tokens(user_id);

CREATE TABLE modules (
	id          TEXT PRIMARY KEY,            -- EM-7K3Q-9XHD-4
	kind        TEXT NOT NULL CHECK (kind IN ('EM', 'A')),
	campaign_id TEXT NOT NULL,
	user_id     INTEGER NOT NULL REFERENCES users(id),
	data        TEXT NOT NULL,               -- generation data, normalised JSON (locked fields)
	created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX modules_user ON modules(user_id, campaign_id);

-- The per-campaign protocol counter, bumped in the transaction that stores a submission.
CREATE TABLE protocol_counters (
	campaign_id TEXT PRIMARY KEY,
	last        INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per accepted submission: the receipt and the content it covers.
CREATE TABLE submissions (
	submission_id TEXT PRIMARY KEY,          -- client-generated
	module_id     TEXT NOT NULL UNIQUE REFERENCES modules(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	campaign_id   TEXT NOT NULL,
	protocol      TEXT NOT NULL UNIQUE,
	content       TEXT NOT NULL,             -- canonical JSON of the normalised data
	sha256        TEXT NOT NULL,
	employer_key  TEXT NOT NULL,             -- codice fiscale of the datore (E2, E3)
	tipologia     TEXT NOT NULL,
	sportello     TEXT NOT NULL,
	provincia     TEXT NOT NULL,
	received_at   TEXT NOT NULL,
	signature     TEXT NOT NULL,
	key_id        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX submissions_user ON submissions(user_id, received_at);
CREATE INDEX submissions_employer ON submissions(campaign_id, employer_key, tipologia);
CREATE INDEX submissions_provincia ON submissions(provincia, received_at);

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	to_addr         TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	next_attempt_at TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	sent_at         TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_to ON outbox(to_addr, id);
