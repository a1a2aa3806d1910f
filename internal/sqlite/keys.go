package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/newsdesk/newsdesk/internal/news"
)

const (
	keyCols = `k.id, k.name, k.role, k.created_at, k.revoked_at`
	// keyHashSQL reads one key and its hash: every authenticated request
	// runs it, by primary key.
	keyHashSQL = `SELECT ` + keyCols + `, k.hash FROM api_keys k WHERE k.id = ?`
)

func (db *DB) scanKey(s scanner, extra ...any) (*news.APIKey, error) {
	var k news.APIKey
	var created int64
	var revoked sql.NullInt64
	if err := s.Scan(append([]any{&k.ID, &k.Name, &k.Role, &created, &revoked}, extra...)...); err != nil {
		return nil, err
	}
	k.CreatedAt = db.timeOf(created)
	if revoked.Valid {
		k.RevokedAt = db.timeOf(revoked.Int64)
	}
	return &k, nil
}

// CreateKey implements news.KeyStore.
func (db *DB) CreateKey(ctx context.Context, k *news.APIKey, hash []byte) error {
	if err := k.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO api_keys (name, role, hash, created_at) VALUES (?, ?, ?, ?)`,
			k.Name, string(k.Role), hash, now.UnixMilli())
		if err != nil {
			return err
		}
		k.ID, err = res.LastInsertId()
		k.CreatedAt = db.timeOf(now.UnixMilli())
		return err
	})
}

// KeyHash implements news.KeyStore.
func (db *DB) KeyHash(ctx context.Context, id int64) (*news.APIKey, []byte, error) {
	row, err := db.queryRow(ctx, keyHashSQL, id)
	if err != nil {
		return nil, nil, err
	}
	var hash []byte
	k, err := db.scanKey(row, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, news.Errorf(news.ENOTFOUND, "no key %d", id)
	}
	return k, hash, err
}

// Keys implements news.KeyStore.
func (db *DB) Keys(ctx context.Context) ([]*news.APIKey, error) {
	return collect(ctx, db, func(s scanner) (*news.APIKey, error) { return db.scanKey(s) },
		`SELECT `+keyCols+` FROM api_keys k ORDER BY k.id`)
}

// RevokeKey implements news.KeyStore.
func (db *DB) RevokeKey(ctx context.Context, id int64) error {
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, db.nowMillis(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = news.Errorf(news.ENOTFOUND, "no key %d", id)
			}
			return err
		}
		return nil
	})
}
