package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
	"modernc.org/sqlite"
)

// Backup writes a consistent copy of the database to path, which must not
// exist, while the store keeps serving (VACUUM INTO on a read connection
// copies one snapshot without blocking writers), then checks the copy.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := db.r.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := checkFile(ctx, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	return nil
}

// Restore checks the backup at from and puts a copy of it in place of the
// database at to, with no store open on it. A stale write-ahead log of the
// old database is removed first: replayed onto the backup it would corrupt
// it.
func Restore(ctx context.Context, from, to string) error {
	if err := checkFile(ctx, from); err != nil {
		return fmt.Errorf("restore: %s failed its check: %w", from, err)
	}
	for _, side := range []string{to + "-wal", to + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), ".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(from)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), to)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// checkFile runs the integrity checks on the database file at path.
func checkFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	conn, err := sql.Open("sqlite", dsn(path, nil, "busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	return integrityCheck(ctx, conn)
}

// IntegrityCheck runs SQLite's integrity_check and the full-text indexes'
// own integrity checks, and returns an error describing any damage.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return integrityCheck(ctx, db.w)
}

func integrityCheck(ctx context.Context, conn *sql.DB) error {
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	for _, table := range []string{"search_all", "search_titles"} {
		if _, err := conn.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`) VALUES ('integrity-check')`); err != nil {
			return fmt.Errorf("integrity check of %s: %w", table, err)
		}
	}
	return nil
}

// SQLite primary result codes that mean the database cannot take writes
// now, whatever the write.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
)

// storageError turns "the disk is full" or "the database is read-only" into
// a clear UNAVAILABLE error; reads go on working. Other errors pass.
func storageError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqliteFull:
		return news.Errorf(news.EUNAVAILABLE, "the database cannot take writes now: the disk is full; reads still work")
	case sqliteReadOnly, sqliteIOErr:
		return news.Errorf(news.EUNAVAILABLE, "the database cannot take writes now: it is read-only or failing; reads still work")
	}
	return err
}
