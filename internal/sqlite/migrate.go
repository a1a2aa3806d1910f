package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationNames returns the embedded migrations in the order they apply.
func migrationNames() []string {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err) // the pattern is constant and valid
	}
	sort.Strings(names)
	return names
}

// migrate applies every embedded migration not yet recorded, each in its own
// transaction with its record.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	pending, err := pendingMigrations(ctx, db.w)
	if err != nil {
		return err
	}
	for _, name := range pending {
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
			name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// pendingMigrations lists the embedded migrations not recorded as applied.
func pendingMigrations(ctx context.Context, conn *sql.DB) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		applied[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var pending []string
	for _, name := range migrationNames() {
		if !applied[name] {
			pending = append(pending, name)
		}
	}
	return pending, nil
}

// fillLinkIDs copies the author and tag ids of articles stored before
// migration 007 into their rows, fillBatch articles a transaction, so that
// upgrading a large site needs little memory; an interrupted fill goes on at
// the next open. With nothing to fill it is one probe of an empty index.
func (db *DB) fillLinkIDs(ctx context.Context) error {
	for {
		res, err := db.w.ExecContext(ctx, fillLinkIDsSQL, fillBatch)
		if err != nil {
			return fmt.Errorf("fill link ids: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
	}
}

// fillLinkIDsSQL fills the next batch (its one parameter: how many) of the
// articles the partial index articles_link_ids_unfilled holds.
const fillLinkIDsSQL = `UPDATE articles SET
	author_ids = coalesce((SELECT group_concat(l.author_id ORDER BY l.position) FROM article_authors l WHERE l.article_id = articles.id), ''),
	tag_ids = coalesce((SELECT group_concat(l.tag_id ORDER BY l.position) FROM article_tags l WHERE l.article_id = articles.id), '')
	WHERE id IN (SELECT id FROM articles WHERE author_ids IS NULL ORDER BY id LIMIT ?)`

// fillBatch is how many articles fillLinkIDs fills a transaction.
const fillBatch = 5000
