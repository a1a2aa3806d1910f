package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// CreateWebhook implements news.WebhookStore.
func (db *DB) CreateWebhook(ctx context.Context, w *news.Webhook) error {
	if err := w.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		now := db.nowMillis()
		w.CreatedAt = db.timeOf(now)
		return tx.QueryRow(ctx, `INSERT INTO webhooks (url, secret, created_at) VALUES ($1, $2, $3) RETURNING id`,
			w.URL, w.Secret, now).Scan(&w.ID)
	})
}

func (db *DB) scanWebhook(s pgx.Row) (*news.Webhook, error) {
	var w news.Webhook
	var created int64
	var disabled *int64
	if err := s.Scan(&w.ID, &w.URL, &w.Secret, &created, &disabled); err != nil {
		return nil, err
	}
	w.CreatedAt = db.timeOf(created)
	w.DisabledAt = db.timeOfNull(disabled)
	return &w, nil
}

// Webhooks implements news.WebhookStore.
func (db *DB) Webhooks(ctx context.Context) ([]*news.Webhook, error) {
	return collect(ctx, reader{db: db, pool: db.w}, db.scanWebhook, `SELECT id, url, secret, created_at, disabled_at FROM webhooks ORDER BY id`)
}

// DisableWebhook implements news.WebhookStore.
func (db *DB) DisableWebhook(ctx context.Context, id int64) error {
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhooks SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2`, db.nowMillis(), id)
		if err == nil && tag.RowsAffected() == 0 {
			err = news.Errorf(news.ENOTFOUND, "no webhook %s", news.NodeID(news.KindWebhook, id))
		}
		return err
	})
}

const deliveryCols = `id, webhook_id, event_id, event, payload, created_at, status, attempts, next_attempt_at, delivered_at, last_status, last_error`

func (db *DB) scanDelivery(s pgx.Row) (*news.Delivery, error) {
	var d news.Delivery
	var created int64
	var next, delivered *int64
	var payload, status string
	if err := s.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Event, &payload, &created, &status, &d.Attempts,
		&next, &delivered, &d.LastStatus, &d.LastError); err != nil {
		return nil, err
	}
	d.Payload = []byte(payload)
	d.Status = news.DeliveryStatus(status)
	d.CreatedAt = db.timeOf(created)
	d.NextAttemptAt = db.timeOfNull(next)
	d.DeliveredAt = db.timeOfNull(delivered)
	return &d, nil
}

// Deliveries implements news.WebhookStore.
func (db *DB) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*news.Delivery, error) {
	return collect(ctx, reader{db: db, pool: db.w}, db.scanDelivery,
		`SELECT `+deliveryCols+` FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`, webhookID, limit)
}

// DueDeliveries implements news.WebhookStore: it claims the due deliveries
// for news.ClaimLease, in one statement. FOR UPDATE SKIP LOCKED lets
// replicas polling at the same moment take different rows, and the lease
// (next_attempt_at moved forward) keeps a claimed delivery from the others
// until its attempt is recorded, or until the lease ends if the replica
// that claimed it died.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*news.Delivery, error) {
	var out []*news.Delivery
	err := db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = collect(ctx, reader{db: db, pool: tx}, db.scanDelivery, `WITH due AS (
				SELECT d.id FROM webhook_deliveries d
				WHERE d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= $1
				AND (SELECT disabled_at FROM webhooks w WHERE w.id = d.webhook_id) IS NULL
				AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.status = 'PENDING'
					AND e.webhook_id = d.webhook_id AND e.article_id = d.article_id AND e.id < d.id)
				ORDER BY d.next_attempt_at, d.id LIMIT $2
				FOR UPDATE OF d SKIP LOCKED)
			UPDATE webhook_deliveries w SET next_attempt_at = $3 FROM due WHERE w.id = due.id
			RETURNING w.`+strings.ReplaceAll(deliveryCols, ", ", ", w."), now.UnixMilli(), limit, now.Add(news.ClaimLease).UnixMilli())
		return err
	})
	slices.SortFunc(out, func(a, b *news.Delivery) int { return int(a.ID - b.ID) })
	return out, err
}

// RecordAttempt implements news.WebhookStore.
func (db *DB) RecordAttempt(ctx context.Context, id int64, a news.Attempt) error {
	status, next, delivered := news.AttemptOutcome(a)
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $1, next_attempt_at = $2,
			delivered_at = $3, last_status = $4, last_error = $5 WHERE id = $6`,
			string(status), millis(next), millis(delivered), a.Status, a.Error, id)
		return err
	})
}

// enqueueEvent writes the event of an editorial change into the outbox of
// every active webhook, inside the change's transaction.
func (db *DB) enqueueEvent(ctx context.Context, tx pgx.Tx, typ string, a *news.Article) error {
	now := db.nowMillis()
	e := news.NewEvent(typ, a, db.timeOf(now))
	_, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, article_id, event_id, event, payload, created_at, next_attempt_at)
		SELECT id, $5, $1, $2, $3, $4, $4 FROM webhooks WHERE disabled_at IS NULL`,
		e.ID, e.Type, string(e.JSON()), now, a.ID)
	return err
}
