-- Issue 10: the Sportello's list by keyset pages at 300,000 applications, with fewer indexes
-- for every submission to update.
--
-- The list is ordered by (received_at, protocol), newest first, and a page starts after the
-- last one's pair. Two covering indexes serve every filter: the Ministry's (every province)
-- and a Sportello's (its province first). The filters on kind, tipologia, cittadinanza and
-- status are checked in the index entries as the scan goes back in time, and the table is read
-- only for the rows of the page; the totals come from domande_counts (0003). They replace the
-- index of the statistics (now served by the counts) and the three per-province ones by
-- status, citizenship and tipologia: three b-trees fewer per stored submission.
DROP INDEX submissions_received;
DROP INDEX submissions_prov_stato;
DROP INDEX submissions_prov_cittadinanza;
DROP INDEX submissions_prov_tipologia;
DROP INDEX submissions_provincia;
CREATE INDEX submissions_list ON submissions(received_at, protocol, provincia, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_list_provincia ON submissions(provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
