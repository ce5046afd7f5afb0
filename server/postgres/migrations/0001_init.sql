-- The schema of server/sqlite's migrations 0001 and 0002 in one step (a PostgreSQL database
-- starts at this point; there are no older ones to convert). Instants are timestamptz, written
-- to the millisecond; text that is searched by prefix or sorted for people uses the "C"
-- collation, so that ranges and orders are those of SQLite, byte by byte, whatever the
-- database's locale.

CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         text COLLATE "C" NOT NULL UNIQUE,   -- lower-case: the username
	cognome       text COLLATE "C" NOT NULL,
	nome          text COLLATE "C" NOT NULL,
	data_nascita  text NOT NULL,                      -- YYYY-MM-DD
	password_hash text NOT NULL,                      -- argon2id, PHC string
	role          text NOT NULL DEFAULT 'privato'
	              CHECK (role IN ('privato', 'operatore', 'admin', 'sportello')),
	provincia     text NOT NULL DEFAULT '',
	active        boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL
);
CREATE INDEX users_role ON users(role) WHERE role <> 'privato';

-- Activation and password-reset links: the SHA-256 of the secret in the link.
CREATE TABLE one_time_tokens (
	hash       bytea PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	purpose    text NOT NULL CHECK (purpose IN ('activate', 'reset')),
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);

CREATE TABLE sessions (
	hash       bytea PRIMARY KEY,                     -- SHA-256 of the cookie value
	user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE import_tokens (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	hash         bytea NOT NULL UNIQUE,               -- SHA-256 of the token
	user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	label        text NOT NULL,
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX import_tokens_user ON import_tokens(user_id);

CREATE TABLE modules (
	id              text COLLATE "C" PRIMARY KEY,     -- EM-7K3Q-9XHD-4
	kind            text NOT NULL CHECK (kind IN ('EM', 'A')),
	campaign_id     text NOT NULL,
	user_id         bigint NOT NULL REFERENCES users(id),
	data            text NOT NULL,                    -- generation data, normalised JSON
	created_at      timestamptz NOT NULL,
	employer_search text COLLATE "C" NOT NULL DEFAULT ''  -- core.SearchKey of surname and name
);
CREATE INDEX modules_user ON modules(user_id, campaign_id);
CREATE INDEX modules_employer ON modules(user_id, employer_search);
CREATE INDEX modules_created ON modules(created_at);

-- The per-campaign protocol counter. A submission locks its campaign's row first and bumps it
-- in the transaction that stores it: numbers are gapless, and every decision about a
-- submission (idempotency, E2/E3) is taken in one order across all the server instances.
CREATE TABLE protocol_counters (
	campaign_id text PRIMARY KEY,
	last        bigint NOT NULL
);

CREATE TABLE submissions (
	submission_id   text COLLATE "C" PRIMARY KEY,     -- client-generated
	module_id       text COLLATE "C" NOT NULL UNIQUE REFERENCES modules(id),
	user_id         bigint NOT NULL REFERENCES users(id),
	campaign_id     text NOT NULL,
	protocol        text COLLATE "C" NOT NULL UNIQUE,
	content         text NOT NULL,                    -- canonical JSON, byte for byte (not jsonb)
	sha256          text NOT NULL,
	employer_key    text NOT NULL,                    -- codice fiscale of the datore (E2, E3)
	tipologia       text NOT NULL,
	sportello       text NOT NULL,
	provincia       text NOT NULL,
	received_at     timestamptz NOT NULL,
	signature       text NOT NULL,
	key_id          text NOT NULL,
	kind            text NOT NULL DEFAULT '',
	cittadinanza    text NOT NULL DEFAULT '',
	employer_name   text NOT NULL DEFAULT '',
	worker_name     text NOT NULL DEFAULT '',
	employer_search text COLLATE "C" NOT NULL DEFAULT '',
	worker_search   text COLLATE "C" NOT NULL DEFAULT '',
	stato           text NOT NULL DEFAULT 'ricevuta'
	                CHECK (stato IN ('ricevuta', 'in_istruttoria', 'convocato', 'accolta', 'respinta')),
	stato_at        timestamptz,                      -- NULL: received_at
	stato_nota      text NOT NULL DEFAULT ''
);
CREATE INDEX submissions_user ON submissions(user_id, received_at);
CREATE INDEX submissions_employer ON submissions(campaign_id, employer_key, tipologia);
CREATE INDEX submissions_received ON submissions(received_at, provincia, tipologia, cittadinanza, stato, kind);
CREATE INDEX submissions_prov_stato ON submissions(provincia, stato, received_at);
CREATE INDEX submissions_prov_cittadinanza ON submissions(provincia, cittadinanza, received_at);
CREATE INDEX submissions_prov_tipologia ON submissions(provincia, tipologia, received_at);
CREATE INDEX submissions_prov_employer ON submissions(provincia, employer_search);
CREATE INDEX submissions_prov_worker ON submissions(provincia, worker_search);

-- The outbox. A sender claims due messages with FOR UPDATE SKIP LOCKED and moves their
-- next_attempt_at past a lease, so that each message is sent by one instance.
CREATE TABLE outbox (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	to_addr         text NOT NULL,
	subject         text NOT NULL,
	body            text NOT NULL,
	link            text NOT NULL DEFAULT '',
	created_at      timestamptz NOT NULL,
	next_attempt_at timestamptz NOT NULL,
	attempts        integer NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	sent_at         timestamptz
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_to ON outbox(to_addr, id);

CREATE TABLE richieste (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_by     bigint NOT NULL REFERENCES users(id),
	created_at     timestamptz NOT NULL,
	stato          text NOT NULL DEFAULT 'in_attesa'
	               CHECK (stato IN ('in_attesa', 'parziale', 'approvata', 'respinta')),
	ente_nome      text COLLATE "C" NOT NULL,
	ente_tipo      text NOT NULL CHECK (ente_tipo IN ('comune', 'unione_comuni', 'patronato')),
	ente_provincia text NOT NULL,
	ref_nome       text NOT NULL,
	ref_cognome    text NOT NULL,
	ref_ruolo      text NOT NULL,
	ref_telefono   text NOT NULL,
	ref_fax        text NOT NULL DEFAULT '',
	ref_email      text NOT NULL,
	motivo         text NOT NULL DEFAULT '',
	decided_at     timestamptz,
	decided_by     bigint REFERENCES users(id)
);
CREATE INDEX richieste_stato ON richieste(stato, id);
CREATE INDEX richieste_created_by ON richieste(created_by, id);

CREATE TABLE richiesta_operatori (
	richiesta_id bigint NOT NULL REFERENCES richieste(id),
	pos          integer NOT NULL,
	user_id      bigint NOT NULL REFERENCES users(id),
	nome         text NOT NULL,
	cognome      text NOT NULL,
	data_nascita text NOT NULL,
	email        text NOT NULL,
	stato        text NOT NULL DEFAULT 'in_attesa'
	             CHECK (stato IN ('in_attesa', 'abilitato', 'respinto', 'revocato')),
	motivo       text NOT NULL DEFAULT '',
	decided_at   timestamptz,
	decided_by   bigint REFERENCES users(id),
	PRIMARY KEY (richiesta_id, user_id)
);
CREATE INDEX richiesta_operatori_user ON richiesta_operatori(user_id, stato);

CREATE TABLE pratica_eventi (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	protocol text COLLATE "C" NOT NULL REFERENCES submissions(protocol),
	stato    text NOT NULL,
	nota     text NOT NULL DEFAULT '',
	by_user  bigint NOT NULL REFERENCES users(id),
	at       timestamptz NOT NULL
);
CREATE INDEX pratica_eventi_protocol ON pratica_eventi(protocol, id);

-- The audit log of admin and sportello users. No foreign key: the log outlives accounts.
-- Append-only: triggers refuse UPDATE, DELETE and TRUNCATE, whoever the client is.
CREATE TABLE audit_log (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at       timestamptz NOT NULL,
	actor_id bigint NOT NULL DEFAULT 0,               -- 0: the command line
	actor    text NOT NULL,
	role     text NOT NULL DEFAULT '',
	action   text NOT NULL,
	target   text NOT NULL DEFAULT '',
	detail   text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_actor ON audit_log(actor, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only: lines cannot be changed or deleted (%)', TG_OP
		USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
