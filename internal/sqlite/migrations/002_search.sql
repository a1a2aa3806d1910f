-- Full-text search over Go-folded text (vn_fold: lowercase, no accents,
-- đ -> d, every rune that is not part of a word turned into a space), for
-- published articles only. The ascii tokenizer then splits on spaces alone
-- (it treats every non-ASCII rune as part of a token), so the index's words
-- are exactly the words Go finds in a query: a quoted query term is always
-- one token, never a phrase (which detail=none cannot answer).
--
-- search_key orders the index by publish time: one of the 1,000 keys of the
-- article's publish second (news.SearchKeyBase). It is NULL unless the
-- article is published, so drafts and archived stories are never in the
-- index and a scheduled one sits above the clock's bound until its time.
--
-- Both tables are contentless (the text lives in articles) with
-- contentless_delete, so triggers can remove a row by rowid alone, and
-- detail=none: newsdesk scores phrases and fields in Go, so positions are
-- not needed, and the index is a fraction of the size.

CREATE UNIQUE INDEX articles_search_key ON articles (search_key) WHERE search_key IS NOT NULL;

CREATE VIRTUAL TABLE search_all USING fts5(
    text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6', tokenize = 'ascii'
);
CREATE VIRTUAL TABLE search_titles USING fts5(
    title, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6', tokenize = 'ascii'
);

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles WHEN new.search_key IS NOT NULL
BEGIN
    INSERT INTO search_all (rowid, text)
    VALUES (new.search_key, vn_fold(new.title || ' ' || new.excerpt || ' ' || new.body_text));
    INSERT INTO search_titles (rowid, title) VALUES (new.search_key, vn_fold(new.title));
END;

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles WHEN old.search_key IS NOT NULL
BEGIN
    DELETE FROM search_all WHERE rowid = old.search_key;
    DELETE FROM search_titles WHERE rowid = old.search_key;
END;

CREATE TRIGGER articles_search_update AFTER UPDATE OF title, excerpt, body_text, search_key ON articles
BEGIN
    DELETE FROM search_all WHERE rowid = old.search_key;
    DELETE FROM search_titles WHERE rowid = old.search_key;
    INSERT INTO search_all (rowid, text)
    SELECT new.search_key, vn_fold(new.title || ' ' || new.excerpt || ' ' || new.body_text)
    WHERE new.search_key IS NOT NULL;
    INSERT INTO search_titles (rowid, title)
    SELECT new.search_key, vn_fold(new.title) WHERE new.search_key IS NOT NULL;
END;

-- Index what an existing database already has (the store's
-- assignSearchKeysSQL).
UPDATE articles SET search_key = k.key
    FROM (SELECT id, (published_at / 1000) * 1000
                     + row_number() OVER (PARTITION BY published_at / 1000 ORDER BY id) - 1 AS key
          FROM articles WHERE status = 'published') k
    WHERE articles.id = k.id;
