-- Issue 10: a back office that stays fast at 300,000 applications.
--
-- Counts kept in the transaction that changes what they count, so that the Ministry's
-- statistics and the totals of the Sportello's list are sums over a few hundred rows instead of
-- counts over every application. The day is the civil day in Italy (Europe/Rome) of the
-- receipt, or of the generation for modules, as YYYY-MM-DD: the dashboard and the lists filter
-- by whole days in Italy. The rows are filled from the stored applications by the Go code that
-- runs with this migration (sqlite.fillCounts), since SQL has no Europe/Rome.
--
-- domande_counts: applications by every column the lists filter on with an equality. A stored
-- submission adds 1 to its row; a change of status moves 1 from the old status's row to the
-- new one's. provincia first: a Sportello reads only its own rows.
CREATE TABLE domande_counts (
	provincia    TEXT NOT NULL,
	day          TEXT NOT NULL,
	kind         TEXT NOT NULL,
	tipologia    TEXT NOT NULL,
	cittadinanza TEXT NOT NULL,
	stato        TEXT NOT NULL,
	n            INTEGER NOT NULL,
	PRIMARY KEY (provincia, day, kind, tipologia, cittadinanza, stato)
) WITHOUT ROWID;

-- moduli_counts: modules generated per day.
CREATE TABLE moduli_counts (
	day TEXT PRIMARY KEY,
	n   INTEGER NOT NULL
) WITHOUT ROWID;

-- The search by name of the Ministry (every province) used to scan the whole table: the name
-- comes first, the province (a Sportello's search) is checked in the same index entry.
DROP INDEX submissions_prov_employer;
DROP INDEX submissions_prov_worker;
CREATE INDEX submissions_employer_search ON submissions(employer_search, provincia);
CREATE INDEX submissions_worker_search ON submissions(worker_search, provincia);
