-- Mirror of server/sqlite's 0003_counts.sql (issue 10): counts kept in the transaction that
-- changes what they count, so that the Ministry's statistics and the totals of the Sportello's
-- list are sums over a few hundred rows. The day is the civil day in Italy of the receipt (or
-- of the generation, for modules) as YYYY-MM-DD; PostgreSQL knows Europe/Rome, so the rows
-- already stored are counted here in SQL.

CREATE TABLE domande_counts (
	provincia    text NOT NULL,
	day          text COLLATE "C" NOT NULL,
	kind         text NOT NULL,
	tipologia    text NOT NULL,
	cittadinanza text NOT NULL,
	stato        text NOT NULL,
	n            bigint NOT NULL,
	PRIMARY KEY (provincia, day, kind, tipologia, cittadinanza, stato)
);
CREATE INDEX domande_counts_day ON domande_counts(day);

CREATE TABLE moduli_counts (
	day text COLLATE "C" PRIMARY KEY,
	n   bigint NOT NULL
);

INSERT INTO domande_counts (provincia, day, kind, tipologia, cittadinanza, stato, n)
	SELECT provincia, to_char(received_at AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD'), kind, tipologia, cittadinanza, stato, count(*)
	FROM submissions GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO moduli_counts (day, n)
	SELECT to_char(created_at AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD'), count(*) FROM modules GROUP BY 1;

DROP INDEX submissions_prov_employer;
DROP INDEX submissions_prov_worker;
CREATE INDEX submissions_employer_search ON submissions(employer_search, provincia);
CREATE INDEX submissions_worker_search ON submissions(worker_search, provincia);
