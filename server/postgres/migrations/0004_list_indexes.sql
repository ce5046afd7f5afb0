-- Issue 10: the indexes of SQLite's migrations 0005 and 0006, for the same queries at 300,000
-- applications.
--
-- The lists are ordered by (received_at, protocol), newest first, and a page starts after the
-- last one's pair: two indexes serve every filter, the Ministry's (every province) and a
-- Sportello's (its province first), with the columns of the other filters included so that
-- they are checked in the index entries. The statistics and the list totals come from
-- domande_counts (0002), so the index of the statistics and the three per-province ones by
-- status, citizenship and tipologia go: three b-trees fewer per stored submission. The name
-- indexes carry the same columns, so that the matches of a search are filtered and ordered
-- without the table.
DROP INDEX submissions_received;
DROP INDEX submissions_prov_stato;
DROP INDEX submissions_prov_cittadinanza;
DROP INDEX submissions_prov_tipologia;
CREATE INDEX submissions_list ON submissions(received_at, protocol) INCLUDE (provincia, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_list_provincia ON submissions(provincia, received_at, protocol) INCLUDE (kind, tipologia, cittadinanza, stato);
DROP INDEX submissions_employer_search;
DROP INDEX submissions_worker_search;
CREATE INDEX submissions_employer_search ON submissions(employer_search, provincia) INCLUDE (received_at, protocol, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_worker_search ON submissions(worker_search, provincia) INCLUDE (received_at, protocol, kind, tipologia, cittadinanza, stato);
