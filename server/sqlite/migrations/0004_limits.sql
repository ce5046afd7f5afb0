-- Rate limits and lockouts (issue 8): attempts counted per key in fixed windows, in the
-- database so that every instance of the server shares them. Keys name what is counted:
-- "password:<email>" (failed password checks, every route that checks one), "submit:<user id>"
-- (modules sent), "register:<email>", "reset:<email>", "tokens:<email>", "richieste:<user id>".
CREATE TABLE limit_counters (
	key          TEXT NOT NULL,
	window_start INTEGER NOT NULL,  -- Unix seconds, a multiple of the window's length
	n            INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,  -- Unix seconds: the window's end; the row is garbage after
	PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE INDEX limit_counters_expires ON limit_counters(expires_at);
