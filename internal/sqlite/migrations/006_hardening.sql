-- Registered GraphQL queries: in allow-list mode only these are served.
CREATE TABLE persisted_queries (
    hash       TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    query      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
