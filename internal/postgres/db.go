// Package postgres is the scale-out newsdesk store: the same interfaces as
// the embedded SQLite store, over PostgreSQL through pgx (pgxpool), for
// several stateless newsdesk replicas sharing one database. Writes and
// editors' reads go to the primary; public reads go to an optional read
// replica. Every statement is prepared once per connection (pgx's
// statement cache).
package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Compile-time checks that DB is a complete store with search.
var (
	_ news.Store       = (*DB)(nil)
	_ news.SearchStore = (*DB)(nil)
)

// Options configure Open. The zero value is usable.
type Options struct {
	// Zone is the site's time zone: times read from the store are in it.
	// Default: news.DefaultZone (Asia/Ho_Chi_Minh).
	Zone *time.Location
	// Now is the clock that decides what is published. Default: time.Now.
	Now news.Clock
	// Replica is the URL of a read replica (streaming replication of the
	// primary) that serves public reads; empty: the primary serves them.
	Replica string
	// MaxConns bounds each pool. Default: pgxpool's (4 x CPUs, at least 4).
	MaxConns int32
}

// DB is an open newsdesk database on PostgreSQL. It is safe for concurrent
// use, by several processes too.
type DB struct {
	// reader is the public read side, on the read pool.
	reader

	zone *time.Location
	now  news.Clock

	w *pgxpool.Pool // the primary: writes, editors' reads, the outbox
	r *pgxpool.Pool // public reads: the replica, or the primary

	queries atomic.Int64
	// gen moves on every write committed by any replica: this process's own
	// at once, the others' when their notification arrives (see listen).
	gen  atomic.Uint64
	cats news.CategoryCache
	// links are the authors and tags read in a generation, by id.
	links news.LinkCache

	stopListen context.CancelFunc
	listening  chan struct{}
	// origin names this store in its notifications: its own writes moved
	// the generation already.
	origin string
}

// changesChannel is the NOTIFY channel every write transaction signals on.
const changesChannel = "newsdesk_changes"

// IsURL reports whether a --db value names a PostgreSQL database rather
// than a SQLite file.
func IsURL(s string) bool {
	return len(s) > 11 && (s[:11] == "postgres://" || (len(s) > 13 && s[:13] == "postgresql://"))
}

func newPool(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	// UTC sessions: times are stored as numbers, but logs and any now()
	// read the same everywhere.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "newsdesk"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(cfg.ConnConfig), err)
	}
	return pool, nil
}

// redact names a database without its password.
func redact(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Open connects to the database at url (a postgres:// URL), brings its
// schema up to date, and starts following other replicas' writes.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	db := &DB{zone: opts.Zone, now: opts.Now, origin: rand.Text()}
	if db.zone == nil {
		db.zone = news.DefaultZone
	}
	if db.now == nil {
		db.now = time.Now
	}
	w, err := newPool(ctx, url, opts.MaxConns)
	if err != nil {
		return nil, err
	}
	db.w, db.r = w, w
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if opts.Replica != "" {
		if db.r, err = newPool(ctx, opts.Replica, opts.MaxConns); err != nil {
			w.Close()
			return nil, fmt.Errorf("replica: %w", err)
		}
	}
	db.reader = reader{db: db, pool: db.r}
	lctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	db.stopListen, db.listening = stop, make(chan struct{})
	ready := make(chan struct{})
	go db.listen(lctx, ready)
	select {
	case <-ready:
	case <-ctx.Done():
		db.Close()
		return nil, ctx.Err()
	}
	return db, nil
}

// listen holds a connection LISTENing for other replicas' writes and moves
// the generation on each; when the connection drops (and so when it
// reconnects, having maybe missed some) it moves it too, so that no cache
// outlives a write it could not hear of. ready is closed once the first
// try is over.
func (db *DB) listen(ctx context.Context, ready chan<- struct{}) {
	defer close(db.listening)
	var once sync.Once
	signal := func() { once.Do(func() { close(ready) }) }
	defer signal()
	wait := 100 * time.Millisecond
	for {
		if db.follow(ctx, signal) {
			wait = 100 * time.Millisecond
		}
		db.gen.Add(1)
		signal()
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// follow listens on one connection until it fails or ctx ends, and
// reports whether it got as far as listening.
func (db *DB) follow(ctx context.Context, listening func()) bool {
	conn, err := db.w.Acquire(ctx)
	if err != nil {
		return false
	}
	// The connection leaves the pool for good: LISTEN is session state.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return false
	}
	db.gen.Add(1) // writes made while not listening
	listening()
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		if n.Payload != db.origin {
			db.gen.Add(1)
		}
	}
}

// Close stops listening and closes both pools.
func (db *DB) Close() error {
	if db.stopListen != nil {
		db.stopListen()
		<-db.listening
	}
	if db.r != db.w {
		db.r.Close()
	}
	db.w.Close()
	return nil
}

// Ping checks that both pools answer and that every migration is applied:
// the readiness check.
func (db *DB) Ping(ctx context.Context) error {
	for _, p := range []*pgxpool.Pool{db.w, db.r} {
		if err := p.Ping(ctx); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
	}
	pending, err := db.pendingMigrations(ctx, db.r)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrations not applied: %v", pending)
	}
	return nil
}

// Generation returns a number that changes with every committed write
// made through any replica on this database.
func (db *DB) Generation() uint64 { return db.gen.Load() }

// NextScheduled returns when the next scheduled story goes public (zero
// for none).
func (db *DB) NextScheduled(ctx context.Context) (time.Time, error) {
	var next *int64
	if err := db.queryRow(ctx, db.r, `SELECT MIN(published_at) FROM articles WHERE status = 'published' AND published_at > $1`,
		db.nowMillis()).Scan(&next); err != nil || next == nil {
		return time.Time{}, err
	}
	return db.timeOf(*next), nil
}

// QueryCount returns how many read statements the store has run.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// PoolStats implements the server's monitoring of connection pools.
func (db *DB) PoolStats() map[string]news.PoolStats {
	stat := func(p *pgxpool.Pool) news.PoolStats {
		s := p.Stat()
		return news.PoolStats{Open: int(s.TotalConns()), InUse: int(s.AcquiredConns()),
			Waits: s.EmptyAcquireCount(), WaitTime: s.EmptyAcquireWaitTime()}
	}
	out := map[string]news.PoolStats{"primary": stat(db.w)}
	if db.r != db.w {
		out["replica"] = stat(db.r)
	}
	return out
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// query runs a read statement, counted.
func (db *DB) query(ctx context.Context, q querier, sql string, args ...any) (pgx.Rows, error) {
	db.queries.Add(1)
	return q.Query(ctx, sql, args...)
}

// queryRow runs a one-row read statement, counted.
func (db *DB) queryRow(ctx context.Context, q querier, sql string, args ...any) pgx.Row {
	db.queries.Add(1)
	return q.QueryRow(ctx, sql, args...)
}

// inTx runs fn in a transaction on the primary, committing when fn returns
// nil, and signals every replica on commit that what readers see may have
// changed. A deadlock or serialization failure (two replicas' writes
// crossing) is retried, up to three tries.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.retryTx(ctx, true, fn)
}

// inBookkeepingTx is inTx for writes no public answer shows at once (keys,
// webhooks and their outbox, registered queries, view counts): no signal,
// so the replicas' caches of public answers keep.
func (db *DB) inBookkeepingTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return db.retryTx(ctx, false, fn)
}

func (db *DB) retryTx(ctx context.Context, content bool, fn func(tx pgx.Tx) error) error {
	var err error
	for try := 0; try < 3; try++ {
		if err = db.tryTx(ctx, content, fn); !retryable(err) {
			break
		}
	}
	return storageError(err)
}

func (db *DB) tryTx(ctx context.Context, content bool, fn func(tx pgx.Tx) error) error {
	tx, err := db.w.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return err
	}
	if content {
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changesChannel, db.origin); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	if content {
		db.gen.Add(1)
	}
	return nil
}

// PostgreSQL error codes the store reacts to.
const (
	pgUniqueViolation   = "23505"
	pgSerialization     = "40001"
	pgDeadlock          = "40P01"
	pgDiskFull          = "53100"
	pgOutOfMemory       = "53200"
	pgTooManyConns      = "53300"
	pgReadOnlySQLTx     = "25006"
	pgAdminShutdown     = "57P01"
	pgCannotConnectNow  = "57P03"
	pgCrashShutdown     = "57P02"
	pgInsufficientSpace = "53000"
)

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerialization || pe.Code == pgDeadlock)
}

// storageError turns what PostgreSQL says about its own state (full disk,
// a read-only server, shutting down) into a clear UNAVAILABLE error, and a
// unique-key race lost to another replica into a CONFLICT. Other errors
// pass.
func storageError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.SafeToRetry(err) || errors.Is(err, pgx.ErrTxClosed) {
			return news.Errorf(news.EUNAVAILABLE, "the database is not reachable now; try again")
		}
		return err
	}
	switch pe.Code {
	case pgDiskFull, pgInsufficientSpace, pgOutOfMemory:
		return news.Errorf(news.EUNAVAILABLE, "the database cannot take writes now: it is out of space; reads still work")
	case pgReadOnlySQLTx:
		return news.Errorf(news.EUNAVAILABLE, "the database cannot take writes now: it is read-only; reads still work")
	case pgAdminShutdown, pgCannotConnectNow, pgCrashShutdown, pgTooManyConns:
		return news.Errorf(news.EUNAVAILABLE, "the database is not available now; try again")
	case pgUniqueViolation:
		return news.Errorf(news.ECONFLICT, "a concurrent change took the same name or slot; try again")
	case pgSerialization, pgDeadlock:
		return news.Errorf(news.ECONFLICT, "a concurrent change got in the way; try again")
	}
	return err
}

// nowMillis is the store clock's current time in Unix milliseconds.
func (db *DB) nowMillis() int64 { return db.now().UnixMilli() }

// timeOf converts stored Unix milliseconds to a time in the site's zone.
func (db *DB) timeOf(ms int64) time.Time { return time.UnixMilli(ms).In(db.zone) }

// timeOfNull converts a nullable stored time; NULL is the zero time.
func (db *DB) timeOfNull(ms *int64) time.Time {
	if ms == nil {
		return time.Time{}
	}
	return db.timeOf(*ms)
}

// millis converts t to stored Unix milliseconds; the zero time is NULL.
func millis(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

// Size returns the database's size on disk, in bytes.
func (db *DB) Size(ctx context.Context) (int64, error) {
	var n int64
	err := db.w.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
	return n, err
}
