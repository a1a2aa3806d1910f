-- The search key's index holds what ranking reads of a match: its id,
-- publish time, title and lead. A search reads its candidates from the
-- index alone (every index holds the rowid, the id), in search key order,
-- in the statement that finds them. Before, it read their ids there and
-- their rows by id in a second statement, a B-tree descent among the
-- bodies each (at 1,000,000 stories, a search over HTTP now takes 0.85
-- of the CPU, the median of eight alternated pairs). It costs the titles
-- and leads again: 312 MB at 1,000,000, and a rebuild of the index at the
-- first start (18.5 s there).
--
-- The index is no longer unique on the key alone; the full-text tables'
-- rowids (the keys) still are, and the writer checks a key is free first.
DROP INDEX articles_search_key;
CREATE INDEX articles_search_key ON articles (search_key, published_at, title, excerpt)
    WHERE search_key IS NOT NULL;
