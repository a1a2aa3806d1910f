package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// CreateWebhook implements news.WebhookStore.
func (db *DB) CreateWebhook(ctx context.Context, w *news.Webhook) error {
	if err := w.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO webhooks (url, secret, created_at) VALUES (?, ?, ?)`, w.URL, w.Secret, now.UnixMilli())
		if err != nil {
			return err
		}
		w.ID, err = res.LastInsertId()
		w.CreatedAt = db.timeOf(now.UnixMilli())
		return err
	})
}

func (db *DB) scanWebhook(s scanner) (*news.Webhook, error) {
	var w news.Webhook
	var created int64
	var disabled sql.NullInt64
	if err := s.Scan(&w.ID, &w.URL, &w.Secret, &created, &disabled); err != nil {
		return nil, err
	}
	w.CreatedAt = db.timeOf(created)
	if disabled.Valid {
		w.DisabledAt = db.timeOf(disabled.Int64)
	}
	return &w, nil
}

// Webhooks implements news.WebhookStore.
func (db *DB) Webhooks(ctx context.Context) ([]*news.Webhook, error) {
	return collect(ctx, db, db.scanWebhook, `SELECT id, url, secret, created_at, disabled_at FROM webhooks ORDER BY id`)
}

// DisableWebhook implements news.WebhookStore.
func (db *DB) DisableWebhook(ctx context.Context, id int64) error {
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?`, db.nowMillis(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "no webhook %s", news.NodeID(news.KindWebhook, id))
		}
		return nil
	})
}

const deliveryCols = `id, webhook_id, event_id, event, payload, created_at, status, attempts, next_attempt_at, delivered_at, last_status, last_error`

func (db *DB) scanDelivery(s scanner) (*news.Delivery, error) {
	var d news.Delivery
	var created int64
	var next, delivered sql.NullInt64
	var payload string
	if err := s.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Event, &payload, &created, &d.Status, &d.Attempts,
		&next, &delivered, &d.LastStatus, &d.LastError); err != nil {
		return nil, err
	}
	d.Payload = []byte(payload)
	d.CreatedAt = db.timeOf(created)
	if next.Valid {
		d.NextAttemptAt = db.timeOf(next.Int64)
	}
	if delivered.Valid {
		d.DeliveredAt = db.timeOf(delivered.Int64)
	}
	return &d, nil
}

// deliveriesSQL and dueDeliveriesSQL read the outbox.
const (
	deliveriesSQL    = `SELECT ` + deliveryCols + ` FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`
	dueDeliveriesSQL = `SELECT ` + deliveryCols + ` FROM webhook_deliveries d
		WHERE d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= ?
		AND (SELECT disabled_at FROM webhooks w WHERE w.id = d.webhook_id) IS NULL
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.status = 'PENDING'
			AND e.webhook_id = d.webhook_id AND e.article_id = d.article_id AND e.id < d.id)
		ORDER BY d.next_attempt_at, d.id LIMIT ?`
)

// Deliveries implements news.WebhookStore.
func (db *DB) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*news.Delivery, error) {
	return collect(ctx, db, db.scanDelivery, deliveriesSQL, webhookID, limit)
}

// DueDeliveries implements news.WebhookStore: it claims the due
// deliveries (next_attempt_at moved to the end of news.ClaimLease) in the
// writer's transaction, so that a second process on the same file could
// not take them too.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*news.Delivery, error) {
	var out []*news.Delivery
	err := db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, dueDeliveriesSQL, now.UnixMilli(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := db.scanDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		lease := now.Add(news.ClaimLease).UnixMilli()
		for _, d := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?`, lease, d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// RecordAttempt implements news.WebhookStore.
func (db *DB) RecordAttempt(ctx context.Context, id int64, a news.Attempt) error {
	status, next, delivered := news.AttemptOutcome(a)
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?,
			delivered_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
			string(status), millis(next), millis(delivered), a.Status, a.Error, id)
		return err
	})
}

// enqueueEvent writes the event of an editorial change into the outbox of
// every active webhook, inside the change's transaction.
func (db *DB) enqueueEvent(ctx context.Context, tx *sql.Tx, typ string, a *news.Article) error {
	now := db.now()
	e := news.NewEvent(typ, a, db.timeOf(now.UnixMilli()))
	_, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, article_id, event_id, event, payload, created_at, next_attempt_at)
		SELECT id, ?5, ?1, ?2, ?3, ?4, ?4 FROM webhooks WHERE disabled_at IS NULL`,
		e.ID, e.Type, string(e.JSON()), now.UnixMilli(), a.ID)
	return err
}
