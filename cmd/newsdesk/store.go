package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/sqlite"
)

// store is what the commands need of a store, on SQLite or PostgreSQL.
type store interface {
	server.Store
	news.KeyStore
	news.SiteStore
	BulkLoad(ctx context.Context, fn func(add func(*news.Article) error) error) error
	RebuildSearch(ctx context.Context) (int, error)
	RefreshRelated(ctx context.Context, since time.Time, progress func(done int)) (int, error)
	Close() error
}

// storeOptions are what serve sets of a store; the other commands take
// the defaults.
type storeOptions struct {
	// Replica is a PostgreSQL read replica's URL.
	Replica string
	// ArticleCacheBytes bounds a SQLite store's article cache, as
	// sqlite.Options has it.
	ArticleCacheBytes int64
}

// openStore opens the store --db names: a postgres:// URL is PostgreSQL
// (with an optional read replica), anything else a SQLite file.
func openStore(ctx context.Context, db string, o storeOptions) (store, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db, postgres.Options{Replica: o.Replica})
	}
	if o.Replica != "" {
		return nil, errors.New("--db-replica needs a PostgreSQL --db (postgres://...)")
	}
	if db == "" {
		return nil, errors.New("--db is empty")
	}
	return sqlite.Open(ctx, db, sqlite.Options{ArticleCacheBytes: o.ArticleCacheBytes})
}

// redactDB names a database for output: a URL without its password.
func redactDB(db string) string {
	if u, err := url.Parse(db); err == nil && postgres.IsURL(db) {
		return u.Redacted()
	}
	return db
}

// sqliteOnly refuses a command that works on a SQLite file alone.
func sqliteOnly(command, db string) error {
	if postgres.IsURL(db) {
		return fmt.Errorf("%s works on a SQLite file; on PostgreSQL use its own tools (pg_dump, pg_restore, replication)", command)
	}
	return nil
}
