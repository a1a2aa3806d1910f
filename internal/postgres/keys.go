package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

const keyCols = `k.id, k.name, k.role, k.created_at, k.revoked_at`

func (db *DB) scanKey(s pgx.Row, extra ...any) (*news.APIKey, error) {
	var k news.APIKey
	var created int64
	var revoked *int64
	var role string
	if err := s.Scan(append([]any{&k.ID, &k.Name, &role, &created, &revoked}, extra...)...); err != nil {
		return nil, err
	}
	k.Role = news.Role(role)
	k.CreatedAt = db.timeOf(created)
	k.RevokedAt = db.timeOfNull(revoked)
	return &k, nil
}

// CreateKey implements news.KeyStore.
func (db *DB) CreateKey(ctx context.Context, k *news.APIKey, hash []byte) error {
	if err := k.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		now := db.nowMillis()
		k.CreatedAt = db.timeOf(now)
		return tx.QueryRow(ctx, `INSERT INTO api_keys (name, role, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			k.Name, string(k.Role), hash, now).Scan(&k.ID)
	})
}

// KeyHash implements news.KeyStore. It reads the primary: a key revoked a
// moment ago must not work on a lagging replica.
func (db *DB) KeyHash(ctx context.Context, id int64) (*news.APIKey, []byte, error) {
	var hash []byte
	k, err := db.scanKey(db.queryRow(ctx, db.w, `SELECT `+keyCols+`, k.hash FROM api_keys k WHERE k.id = $1`, id), &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, news.Errorf(news.ENOTFOUND, "no key %d", id)
	}
	return k, hash, err
}

// Keys implements news.KeyStore.
func (db *DB) Keys(ctx context.Context) ([]*news.APIKey, error) {
	return collect(ctx, reader{db: db, pool: db.w}, func(s pgx.Row) (*news.APIKey, error) { return db.scanKey(s) },
		`SELECT `+keyCols+` FROM api_keys k ORDER BY k.id`)
}

// RevokeKey implements news.KeyStore.
func (db *DB) RevokeKey(ctx context.Context, id int64) error {
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, db.nowMillis(), id)
		if err == nil && tag.RowsAffected() == 0 {
			err = news.Errorf(news.ENOTFOUND, "no key %d", id)
		}
		return err
	})
}
