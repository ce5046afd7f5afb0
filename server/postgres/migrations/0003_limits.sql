-- Mirror of server/sqlite's 0004_limits.sql (issue 8): attempts counted per key in fixed
-- windows, shared by every instance. Keys: "password:<email>", "submit:<user id>",
-- "register:<email>", "reset:<email>", "tokens:<email>", "richieste:<email>".
CREATE TABLE limit_counters (
	key          text COLLATE "C" NOT NULL,
	window_start bigint NOT NULL,  -- Unix seconds, a multiple of the window's length
	n            bigint NOT NULL,
	expires_at   bigint NOT NULL,  -- Unix seconds: the window's end; the row is garbage after
	PRIMARY KEY (key, window_start)
);
CREATE INDEX limit_counters_expires ON limit_counters(expires_at);
