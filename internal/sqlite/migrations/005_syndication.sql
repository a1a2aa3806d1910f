-- Syndication: partner webhooks with their delivery outbox, and view
-- counts for most-read lists.

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    disabled_at INTEGER
);

-- The outbox: one row per event per active webhook, written in the same
-- transaction as the change. next_attempt_at is NULL once the delivery is
-- done (delivered, or given up). Events about one article reach a webhook
-- in order: a delivery waits while an earlier one about the same article
-- to the same webhook is pending, so a retried "published" can never land
-- after the "unpublished" that followed it.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    article_id      INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    delivered_at    INTEGER,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, article_id, id) WHERE status = 'PENDING';

-- Views by hour (kept two days, for the last 24 hours) and by day (for
-- weeks and months). Buckets are Unix hours and days.
CREATE TABLE article_views_hourly (
    hour       INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    views      INTEGER NOT NULL,
    PRIMARY KEY (hour, article_id)
) WITHOUT ROWID;

CREATE TABLE article_views_daily (
    day        INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    views      INTEGER NOT NULL,
    PRIMARY KEY (day, article_id)
) WITHOUT ROWID;
