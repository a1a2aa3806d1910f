// Package sqlite is the embedded newsdesk store: one SQLite file through the
// pure-Go modernc.org/sqlite driver, with a read-only connection pool and a
// single writer connection, embedded migrations, and prepared statements for
// every query.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Compile-time check that DB is a complete store.
var _ news.Store = (*DB)(nil)

// Options configure Open. The zero value is usable.
type Options struct {
	// Zone is the site's time zone: times read from the store are in it.
	// Default: news.DefaultZone (Asia/Ho_Chi_Minh).
	Zone *time.Location
	// Now is the clock that decides what is published. Default: time.Now.
	Now news.Clock
	// ReadConns bounds the read pool. Default: DefaultReadConns().
	ReadConns int
	// ArticleCacheBytes bounds the article cache (news.ArticleCache).
	// Default (0): DefaultArticleCacheBytes; negative: no article cache.
	ArticleCacheBytes int64
}

// DefaultArticleCacheBytes is the article cache's default bound: some
// 14,000 articles without their bodies, or 2,000 with bodies of 4 KiB.
const DefaultArticleCacheBytes = DefaultArticleCacheMB << 20

// DefaultArticleCacheMB is DefaultArticleCacheBytes in MiB (serve's flag).
const DefaultArticleCacheMB = 8

// DB is an open newsdesk database. It is safe for concurrent use.
type DB struct {
	zone *time.Location
	now  news.Clock

	w *sql.DB // the one writer connection
	r *sql.DB // read-only pool

	readConns int
	stmts     sync.Map // SQL text -> *sql.Stmt on r
	queries   atomic.Int64
	// gen counts committed write transactions: caches of what the store
	// answered are good while it stands still.
	gen atomic.Uint64
	// cats is the category list of a generation.
	cats news.CategoryCache
	// links are the authors and tags read in a generation, by id.
	links news.LinkCache
	// articles are the articles read in a generation, by id; nil when off.
	articles *news.ArticleCache
}

// dsn builds a modernc DSN for path with the given URI parameters and
// the PRAGMAs every connection runs as it opens, in order.
func dsn(path string, params url.Values, pragmas ...string) string {
	if params == nil {
		params = url.Values{}
	}
	for _, p := range pragmas {
		params.Add("_pragma", p)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params.Encode()
}

// DefaultReadConns is the read pool's default size: 2 x GOMAXPROCS, at
// least 4, so that a read waiting on the disk leaves a core to another.
func DefaultReadConns() int { return max(2*runtime.GOMAXPROCS(0), 4) }

// ReaderDSN is how the store's readers open the database at path (the
// load benchmark's floor reads the same way). Read-only connections see
// committed WAL content and can never write by mistake. Reads come from a
// memory map of the file as far as this SQLite build maps (2 GiB,
// SQLITE_MAX_MMAP_SIZE): no copy, and the pages are the kernel's file
// cache, shared by every connection. Each connection's own page cache
// (2 MB) holds the pages beyond, which the kernel's file cache holds too.
// With 256 MiB mapped and 16 MB caches the caches held copies of the same
// hot pages: 163 MB of anonymous memory at the peak of a load on 100,000
// articles, 25 MB with 8 MB caches. At 1,000,000 articles (7.5 GB, most of
// it beyond the map) 8 MB caches still made 118-133 MB at the peak; 2 MB
// caches make 61-84 MB, at the same speed (search a little faster).
func ReaderDSN(path string) string {
	return dsn(path, url.Values{"mode": {"ro"}},
		"busy_timeout(10000)", "temp_store(MEMORY)", "mmap_size(2147418112)", "cache_size(-2000)")
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	db := &DB{zone: opts.Zone, now: opts.Now}
	if opts.ArticleCacheBytes == 0 {
		opts.ArticleCacheBytes = DefaultArticleCacheBytes
	}
	db.articles = news.NewArticleCache(opts.ArticleCacheBytes)
	if db.zone == nil {
		db.zone = news.DefaultZone
	}
	if db.now == nil {
		db.now = time.Now
	}

	// The writer: immediate transactions so that read-then-write transactions
	// queue on busy_timeout instead of failing; synchronous FULL because an
	// acknowledged publish must survive a power cut.
	w, err := sql.Open("sqlite", dsn(path, url.Values{"_txlock": {"immediate"}},
		"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)",
		"temp_store(MEMORY)", "cache_size(-65536)"))
	if err != nil {
		return nil, fmt.Errorf("open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	db.w = w
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := db.fillLinkIDs(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// A database analysed by an earlier newsdesk holds samples; drop them
	// before the readers load the statistics.
	if err := dropSamples(ctx, w); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", ReaderDSN(path))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open readers: %w", err)
	}
	n := opts.ReadConns
	if n <= 0 {
		n = DefaultReadConns()
	}
	db.readConns = n
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	db.r = r
	return db, nil
}

// Close runs PRAGMA optimize (without samples, see analyze) and closes
// every connection.
func (db *DB) Close() error {
	var errs []error
	db.stmts.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if err := analyze(context.Background(), db.w, "PRAGMA optimize"); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	errs = append(errs, db.w.Close())
	return errors.Join(errs...)
}

// execer runs a statement: a pool, a connection or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// analyze runs stmt, ANALYZE or PRAGMA optimize (which may run ANALYZE),
// and then drops the samples ANALYZE leaves beside the row counts.
func analyze(ctx context.Context, c execer, stmt string) error {
	if _, err := c.ExecContext(ctx, stmt); err != nil {
		return err
	}
	return dropSamples(ctx, c)
}

// dropSamples leaves the query planner sqlite_stat1's row counts and
// drops sqlite_stat4, the samples of index keys that ANALYZE also keeps
// because this SQLite is built with SQLITE_ENABLE_STAT4. With samples, a
// prepared statement whose parameter is compared with an indexed column
// is compiled again each time that parameter is bound, so that the plan
// can suit the value (sqlite3_prepare_v2's documentation): every article
// lookup by slug, article list by id and related list parsed and planned
// its SQL anew, a quarter of a related-news request and 7% of a search.
// The store's queries are written for their indexes (TestQueryPlans) and
// got the same plans without samples. Dropping the table changes the
// schema, so every connection reloads the statistics.
func dropSamples(ctx context.Context, c execer) error {
	_, err := c.ExecContext(ctx, `DROP TABLE IF EXISTS sqlite_stat4`)
	return err
}

// Ping checks that both pools answer and that every migration is applied:
// the readiness check.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return fmt.Errorf("readers: %w", err)
	}
	pending, err := pendingMigrations(ctx, db.r)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrations not applied: %v", pending)
	}
	return nil
}

// Generation returns a number that changes with every committed write
// made through this store (writes by other processes are not seen).
func (db *DB) Generation() uint64 { return db.gen.Load() }

// NextScheduled returns when the next scheduled story goes public (zero
// for none): what readers see changes then without any write.
func (db *DB) NextScheduled(ctx context.Context) (time.Time, error) {
	row, err := db.queryRow(ctx, nextScheduledSQL, db.nowMillis())
	if err != nil {
		return time.Time{}, err
	}
	var next sql.NullInt64
	if err := row.Scan(&next); err != nil || !next.Valid {
		return time.Time{}, err
	}
	return db.timeOf(next.Int64), nil
}

// nextScheduledSQL reads the timeline index from the clock on.
const nextScheduledSQL = `SELECT MIN(published_at) FROM articles WHERE status = 'published' AND published_at > ?`

// ArticleCacheStats returns the article cache's hits, misses and bytes
// held, for metrics.
func (db *DB) ArticleCacheStats() (hits, misses uint64, bytes int64) { return db.articles.Stats() }

// QueryCount returns how many SQL statements the read side has run since
// Open: the N+1 guard's measure, and a metric.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// stmt returns a prepared statement for query on the read pool, preparing it
// once. The set of query texts is small and fixed (filters combine a bounded
// number of ways), so the cache is bounded too.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// query runs a read statement through the statement cache.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db.queries.Add(1)
	s, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// queryRow runs a one-row read statement through the statement cache.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	db.queries.Add(1)
	s, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryRowContext(ctx, args...), nil
}

// nowMillis is the store clock's current time in Unix milliseconds.
func (db *DB) nowMillis() int64 { return db.now().UnixMilli() }

// timeOf converts stored Unix milliseconds to a time in the site's zone.
func (db *DB) timeOf(ms int64) time.Time { return time.UnixMilli(ms).In(db.zone) }

// millis converts t to stored Unix milliseconds; the zero time is NULL.
func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// PoolStats returns the statistics of the read pool and the writer, for
// monitoring.
func (db *DB) PoolStats() map[string]news.PoolStats {
	stat := func(p *sql.DB) news.PoolStats {
		s := p.Stats()
		return news.PoolStats{Open: s.OpenConnections, InUse: s.InUse, Waits: s.WaitCount, WaitTime: s.WaitDuration}
	}
	return map[string]news.PoolStats{"read": stat(db.r), "write": stat(db.w)}
}
