-- Each article carries its author and tag ids, in byline and tag order,
-- comma-separated: an article page or a list reads its links with the row
-- instead of aggregating article_authors and article_tags in subqueries
-- (a third of an article read, and half of a list of 20 with its links).
-- The link tables stay: lists by author or tag are read from them. Both are
-- written together, by the one article writer, in the same transaction.
--
-- Rows stored before this migration hold NULL until the store copies their
-- links in (fillLinkIDs, at open, a few thousand articles a transaction:
-- one UPDATE of a million articles held ~12 GB of dirty pages in memory).
-- The partial index finds them, and is empty once they are done.
ALTER TABLE articles ADD COLUMN author_ids TEXT;
ALTER TABLE articles ADD COLUMN tag_ids TEXT;
CREATE INDEX articles_link_ids_unfilled ON articles (id) WHERE author_ids IS NULL;
