-- Content core: categories (a tree), authors, tags, articles and their links.
-- Times are Unix milliseconds, UTC.
--
-- The link tables carry pub_at, a copy of the article's published_at that is
-- NULL unless the article is published, so that every public list (by
-- category with its sub-categories, by tag, by author) is one ordered keyset
-- scan of one index. The store keeps pub_at in step on every write.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES categories (id),
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE authors (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    bio        TEXT    NOT NULL DEFAULT '',
    avatar_url TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE articles (
    -- Small, hot columns first: every list and visibility check reads them,
    -- and SQLite reads a row's columns in order, through the bodies'
    -- overflow pages for anything stored after them.
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    published_at    INTEGER,
    -- The article's place in the search index (migration 002), NULL unless
    -- published.
    search_key      INTEGER,
    category_id     INTEGER NOT NULL REFERENCES categories (id),
    title           TEXT    NOT NULL,
    excerpt         TEXT    NOT NULL DEFAULT '',
    cover_url       TEXT    NOT NULL DEFAULT '',
    cover_caption   TEXT    NOT NULL DEFAULT '',
    cover_alt       TEXT    NOT NULL DEFAULT '',
    cover_credit    TEXT    NOT NULL DEFAULT '',
    cover_width     INTEGER NOT NULL DEFAULT 0,
    cover_height    INTEGER NOT NULL DEFAULT 0,
    word_count      INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    view_count      INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    body_text       TEXT    NOT NULL DEFAULT '',
    body_html       TEXT    NOT NULL DEFAULT '',
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
-- The public timeline: published stories, newest first.
CREATE INDEX articles_public ON articles (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX articles_category ON articles (category_id);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    position   INTEGER NOT NULL,
    pub_at     INTEGER,
    PRIMARY KEY (article_id, author_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_list ON article_authors (author_id, pub_at DESC, article_id DESC);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL,
    pub_at     INTEGER,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_list ON article_tags (tag_id, pub_at DESC, article_id DESC);

-- One row for the article's category and one for each of its ancestors, so a
-- category's list includes its sub-categories' stories.
CREATE TABLE article_categories (
    category_id INTEGER NOT NULL REFERENCES categories (id),
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    pub_at      INTEGER,
    PRIMARY KEY (category_id, article_id)
) WITHOUT ROWID;
CREATE INDEX article_categories_list ON article_categories (category_id, pub_at DESC, article_id DESC);
CREATE INDEX article_categories_article ON article_categories (article_id);
