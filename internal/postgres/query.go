package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/newsdesk/newsdesk/internal/news"
)

// RegisterQuery implements news.QueryStore.
func (db *DB) RegisterQuery(ctx context.Context, q *news.PersistedQuery) error {
	if err := q.Prepare(); err != nil {
		return err
	}
	return db.inBookkeepingTx(ctx, func(tx pgx.Tx) error {
		now := db.nowMillis()
		if _, err := tx.Exec(ctx, `INSERT INTO persisted_queries (hash, name, query, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (hash) DO NOTHING`, q.Hash, q.Name, q.Query, now); err != nil {
			return err
		}
		q.CreatedAt = db.timeOf(now)
		return nil
	})
}

const queryCols = `hash, name, query, created_at`

func (db *DB) scanQuery(s pgx.Row) (*news.PersistedQuery, error) {
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
	q, err := db.scanQuery(db.queryRow(ctx, db.r, `SELECT `+queryCols+` FROM persisted_queries WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, news.Errorf(news.ENOTFOUND, "no registered query %.16s…", hash)
	}
	return q, err
}

// PersistedQueries implements news.QueryStore.
func (db *DB) PersistedQueries(ctx context.Context) ([]*news.PersistedQuery, error) {
	return collect(ctx, reader{db: db, pool: db.r}, db.scanQuery, `SELECT `+queryCols+` FROM persisted_queries ORDER BY created_at, hash`)
}
