-- Editorial: saved versions of articles, API keys, and editors' lists of
-- drafts and archived stories.

-- One row per version an editorial change replaced; snapshot is the article
-- as it was (JSON of news.Article, with its author and tag ids).
CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    editor     TEXT    NOT NULL DEFAULT '',
    saved_at   INTEGER NOT NULL,
    snapshot   TEXT    NOT NULL,
    UNIQUE (article_id, number)
);

-- Keys are stored as HMAC-SHA256(pepper, key): the key itself is shown once
-- and never kept.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('reader', 'partner', 'editor', 'admin')),
    hash       BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Drafts and archived stories, last changed first (published ones are listed
-- through articles_public and the link tables). One partial index each: the
-- planner uses a partial index when the query repeats its WHERE term.
CREATE INDEX articles_drafts ON articles (updated_at DESC, id DESC) WHERE status = 'draft';
CREATE INDEX articles_archived ON articles (updated_at DESC, id DESC) WHERE status = 'archived';
