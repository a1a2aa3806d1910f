package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/newsdesk/newsdesk/internal/news"
)

// RegisterQuery implements news.QueryStore.
func (db *DB) RegisterQuery(ctx context.Context, q *news.PersistedQuery) error {
	if err := q.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO persisted_queries (hash, name, query, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (hash) DO NOTHING`, q.Hash, q.Name, q.Query, now.UnixMilli()); err != nil {
			return err
		}
		q.CreatedAt = db.timeOf(now.UnixMilli())
		return nil
	})
}

const queryCols = `hash, name, query, created_at`

func (db *DB) scanQuery(s scanner) (*news.PersistedQuery, error) {
	var q news.PersistedQuery
	var created int64
	if err := s.Scan(&q.Hash, &q.Name, &q.Query, &created); err != nil {
		return nil, err
	}
	q.CreatedAt = db.timeOf(created)
	return &q, nil
}

// PersistedQuery implements news.QueryStore.
func (db *DB) PersistedQuery(ctx context.Context, hash string) (*news.PersistedQuery, error) {
	row, err := db.queryRow(ctx, `SELECT `+queryCols+` FROM persisted_queries WHERE hash = ?`, hash)
	if err != nil {
		return nil, err
	}
	q, err := db.scanQuery(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.Errorf(news.ENOTFOUND, "no registered query %.16s…", hash)
	}
	return q, err
}

// PersistedQueries implements news.QueryStore.
func (db *DB) PersistedQueries(ctx context.Context) ([]*news.PersistedQuery, error) {
	return collect(ctx, db, db.scanQuery, `SELECT `+queryCols+` FROM persisted_queries ORDER BY created_at, hash`)
}
