package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/news"
)

// bulkBatch is how many articles a bulk load commits at a time.
const bulkBatch = 5000

// BulkLoad writes many articles fast: fn calls add once per article. The
// articles are trusted, as a generator or an export made them: add does not
// run Prepare (no sanitising, no slug de-duplication), so each must already
// be valid, with a unique slug. While it runs the database is out of WAL mode
// with syncing off, so it is only for loading a database no server is using;
// a crash midway can leave a partial load. It ends by optimising the search
// index and with ANALYZE (see analyze), so the query planner knows the new
// sizes.
func (db *DB) BulkLoad(ctx context.Context, fn func(add func(*news.Article) error) error) (err error) {
	defer db.gen.Add(1)
	// Leaving WAL mode needs the only connection to the file: close the
	// idle readers for the duration.
	db.r.SetMaxIdleConns(0)
	defer db.r.SetMaxIdleConns(db.readConns)
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Restore the connection's own settings afterwards, whatever its DSN set.
	var synchronous, cacheSize int
	if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&synchronous); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	// A large page cache keeps the B-trees that take random inserts (the
	// slug index above all) in memory.
	for _, p := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("bulk load: %s: %w", p, err)
		}
	}
	// Index directly instead of through the insert trigger (see
	// articleWriter); the trigger is put back, as it was, at the end.
	trigger, err := setAside(ctx, conn, "articles_search_insert")
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer func() {
		for _, p := range []string{
			trigger,
			// Merge the search index into one segment per table, as a bulk
			// load leaves many.
			"INSERT INTO search_all (search_all) VALUES ('optimize')",
			"INSERT INTO search_titles (search_titles) VALUES ('optimize')",
			"PRAGMA journal_mode = WAL",
			fmt.Sprintf("PRAGMA synchronous = %d", synchronous),
			fmt.Sprintf("PRAGMA cache_size = %d", cacheSize),
		} {
			if _, e := conn.ExecContext(context.WithoutCancel(ctx), p); e != nil && err == nil {
				err = fmt.Errorf("bulk load: %s: %w", p, e)
			}
		}
		if e := analyze(context.WithoutCancel(ctx), conn, "ANALYZE"); e != nil && err == nil {
			err = fmt.Errorf("bulk load: ANALYZE: %w", e)
		}
	}()

	var tx *sql.Tx
	var w *articleWriter
	n := 0
	finish := func() error {
		if tx == nil {
			return nil
		}
		if err := w.flushSearch(ctx); err != nil {
			return err
		}
		w.close()
		err := tx.Commit()
		tx, w = nil, nil
		return err
	}
	defer func() {
		if tx != nil {
			w.close()
			tx.Rollback()
		}
	}()
	add := func(a *news.Article) error {
		if tx == nil {
			var err error
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				return err
			}
			if w, err = newArticleWriter(ctx, tx); err != nil {
				return err
			}
			if w.searchAll, err = tx.PrepareContext(ctx, `INSERT INTO search_all (rowid, text) VALUES (?, ?)`); err != nil {
				return err
			}
			if w.searchTitles, err = tx.PrepareContext(ctx, `INSERT INTO search_titles (rowid, title) VALUES (?, ?)`); err != nil {
				return err
			}
		}
		now := db.now()
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = a.CreatedAt
		}
		if err := w.insert(ctx, a); err != nil {
			return err
		}
		if n++; n%bulkBatch == 0 {
			return finish()
		}
		return nil
	}
	if err := fn(add); err != nil {
		return err
	}
	return finish()
}

// execQueryer is what setAside needs: a connection or a transaction.
type execQueryer interface {
	execer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// setAside drops the trigger name and returns the statement that creates
// it again, for bulk work that indexes search set-based instead.
func setAside(ctx context.Context, db execQueryer, name string) (string, error) {
	var create string
	if err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, name).Scan(&create); err != nil {
		return "", fmt.Errorf("read trigger %s: %w", name, err)
	}
	if _, err := db.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
		return "", err
	}
	return create, nil
}
