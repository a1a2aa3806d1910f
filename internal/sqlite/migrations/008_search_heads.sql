-- The search key's index holds what ranking reads of a match: its id,
-- publish time, title and lead. A search reads its candidates from the
-- index alone (every index holds the rowid, the id), in search key order,
-- in the statement that finds them. Before, it read their ids there and
-- their rows by id in a second statement, a B-tree descent among the
-- bodies each (at 1,000,000 stories, a search's CPU 2,023-2,076 ->
-- 1,649-1,859 µs over HTTP, alternated).
-- It costs the titles and leads again, some 300 MB at 1,000,000.
--
-- The index is no longer unique on the key alone; the full-text tables'
-- rowids (the keys) still are, and the writer checks a key is free first.
DROP INDEX articles_search_key;
CREATE INDEX articles_search_key ON articles (search_key, published_at, title, excerpt)
    WHERE search_key IS NOT NULL;
