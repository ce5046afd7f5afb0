-- Issue 10: the search by name at 300,000 applications. The name indexes also hold the
-- columns of the list's order and filters, so that the matches of a search are ordered and
-- filtered in the index alone: the table rows (whose time of receipt comes after the content,
-- on overflow pages) are read only for the page.
DROP INDEX submissions_employer_search;
DROP INDEX submissions_worker_search;
CREATE INDEX submissions_employer_search ON submissions(employer_search, provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
CREATE INDEX submissions_worker_search ON submissions(worker_search, provincia, received_at, protocol, kind, tipologia, cittadinanza, stato);
