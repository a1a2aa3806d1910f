-- Each article carries its author and tag ids, in byline and tag order,
-- comma-separated: an article page or a list reads its links with the row
-- instead of aggregating article_authors and article_tags in subqueries
-- (a third of an article read, and half of a list of 20 with its links).
-- The link tables stay: lists by author or tag are read from them. Both are
-- written together, by the one article writer, in the same transaction.
ALTER TABLE articles ADD COLUMN author_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN tag_ids TEXT NOT NULL DEFAULT '';
UPDATE articles SET
    author_ids = coalesce((SELECT group_concat(l.author_id ORDER BY l.position) FROM article_authors l WHERE l.article_id = articles.id), ''),
    tag_ids = coalesce((SELECT group_concat(l.tag_id ORDER BY l.position) FROM article_tags l WHERE l.article_id = articles.id), '');
