-- Room on every page for the next version of a row: the folder updates the same rollup rows and
-- conversation metrics over and over, and a full page sends each update to another page, with a new entry
-- in every index (measured under the benchmark's ingest: most of what applying a fold cost). With room,
-- Postgres keeps the new version on the same page (a HOT update) and touches no index.
ALTER TABLE analytics_rollups SET (fillfactor = 70);
ALTER TABLE conversation_metrics SET (fillfactor = 70);
