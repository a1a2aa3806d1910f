// Command newsdesk is the newsdesk content API server and its tools.
//
//	newsdesk serve   [--addr :8080] [--db newsdesk.db] [--demo] [--production] [--reader-addr :8081]
//	newsdesk migrate [--db newsdesk.db]
//	newsdesk seed    [--db newsdesk.db] (--demo | --synthetic N [--seed S])
//	newsdesk reindex [--db newsdesk.db]
//	newsdesk keys    create --role ROLE --name NAME | list | revoke ID  [--db newsdesk.db]
//	newsdesk webhooks add --url URL [--secret S] | list | disable ID | deliveries ID  [--db newsdesk.db]
//	newsdesk queries add --file Q.graphql [--name N] | list  [--db newsdesk.db]
//	newsdesk export  [--db newsdesk.db] [--out site.ndjson]
//	newsdesk import  --db postgres://… [--in site.ndjson]
//	newsdesk backup  --db newsdesk.db --out backup.db
//	newsdesk restore --db newsdesk.db --from backup.db
//	newsdesk bench   --db big.db [--postgres URL] [--duration 10s] [--connections 32] [--only NAME]
//
// Every flag has an environment variable: NEWSDESK_ADDR, NEWSDESK_DB,
// NEWSDESK_DEMO, NEWSDESK_PRODUCTION, NEWSDESK_PEPPER, NEWSDESK_PEPPER_FILE,
// NEWSDESK_PUBLIC_URL, NEWSDESK_SITE_NAME, NEWSDESK_RATE_LIMIT,
// NEWSDESK_CORS_ORIGINS, NEWSDESK_TRUSTED_PROXIES, NEWSDESK_GRAPHQL_ALLOWLIST,
// NEWSDESK_DRAIN_DELAY, NEWSDESK_REQUEST_TIMEOUT, NEWSDESK_READER_ADDR,
// NEWSDESK_RESPONSE_CACHE_MB, NEWSDESK_DB_REPLICA, NEWSDESK_REPLICAS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/examples/reader"
	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/bench"
	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/ratelimit"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/transfer"
	"github.com/newsdesk/newsdesk/internal/viewcount"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "newsdesk:", err)
		}
		os.Exit(2)
	}
}

const usage = `usage: newsdesk <command> [flags]

commands:
  serve    run the API server (creates and migrates the database)
  migrate  create or upgrade the database schema
  seed     load demo content or a synthetic corpus
  reindex  rebuild the search index and the related lists (repair, or after a bulk load)
  keys     create, list and revoke API keys
  webhooks add, list and disable partner webhooks; show deliveries
  queries  register GraphQL queries for the allow-list (serve --graphql-allowlist)
  export   write the whole site as NDJSON (to move it to another store)
  import   read an export into an empty database (SQLite file or PostgreSQL)
  backup   write an online, consistent, checked copy of the database
  restore  put a backup in place of the database (server stopped)
  bench    load-test the server on a database, against the physical floor

"newsdesk <command> -h" lists a command's flags.
`

// run executes one subcommand; ctx ends it (a signal, in main).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "seed":
		return seed(ctx, args[1:], stdout, stderr)
	case "reindex":
		return reindex(ctx, args[1:], stdout, stderr)
	case "keys":
		return keys(ctx, args[1:], stdout, stderr)
	case "webhooks":
		return webhooks(ctx, args[1:], stdout, stderr)
	case "queries":
		return queries(ctx, args[1:], stdout, stderr)
	case "export":
		return export(ctx, args[1:], stdout, stderr)
	case "import":
		return importSite(ctx, args[1:], os.Stdin, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], stdout, stderr)
	case "restore":
		return restore(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchmark(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// env returns the environment variable name's value, or def when unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// browserAddr is an address a browser on this machine can open: a
// wildcard host becomes localhost.
func browserAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// cacheBytes converts --response-cache-mb, --fragment-cache-mb or
// --article-cache-mb to the server's or store's setting: 0 (or less)
// turns the cache off.
func cacheBytes(mb int) int64 {
	if mb <= 0 {
		return -1
	}
	return int64(mb) << 20
}

// envInt reads an integer environment variable, def when unset or
// unreadable.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// envDuration reads a duration environment variable, def when unset or
// unreadable.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// envBool reads a boolean environment variable ("1", "true"...).
func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("newsdesk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("NEWSDESK_DB", "newsdesk.db"), "SQLite database file, or a postgres:// URL (env NEWSDESK_DB)")
}

// pepperFlags adds the flags that locate the API key pepper and returns a
// function that loads it for the database at dbPath.
func pepperFlags(fs *flag.FlagSet) func(dbPath string) ([]byte, error) {
	value := fs.String("pepper", "", "API key pepper, at least 16 bytes (env NEWSDESK_PEPPER; overrides --pepper-file)")
	file := fs.String("pepper-file", "", "file holding the API key pepper, created if missing (env NEWSDESK_PEPPER_FILE; default DB.pepper)")
	return func(dbPath string) ([]byte, error) {
		v := *value
		if v == "" {
			v = os.Getenv("NEWSDESK_PEPPER")
		}
		f := *file
		if f == "" {
			f = os.Getenv("NEWSDESK_PEPPER_FILE")
		}
		if f == "" && v == "" {
			if postgres.IsURL(dbPath) {
				return nil, errors.New("a PostgreSQL database needs --pepper or --pepper-file (env NEWSDESK_PEPPER, NEWSDESK_PEPPER_FILE): every replica must use the same pepper")
			}
			f = dbPath + ".pepper"
		}
		return auth.Pepper(v, f)
	}
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", env("NEWSDESK_ADDR", ":8080"), "listen address HOST:PORT (env NEWSDESK_ADDR)")
	dbPath := dbFlag(fs)
	replica := fs.String("db-replica", env("NEWSDESK_DB_REPLICA", ""), "PostgreSQL only: a read replica's postgres:// URL for public reads (env NEWSDESK_DB_REPLICA)")
	replicas := fs.Int("replicas", envInt("NEWSDESK_REPLICAS", 1), "how many newsdesk replicas serve the site behind the load balancer: each enforces 1/N of every rate-limit budget (env NEWSDESK_REPLICAS)")
	withDemo := fs.Bool("demo", envBool("NEWSDESK_DEMO"), "load the demo content into an empty database (env NEWSDESK_DEMO)")
	production := fs.Bool("production", envBool("NEWSDESK_PRODUCTION"), "production mode: no GraphiQL, no introspection (env NEWSDESK_PRODUCTION)")
	pepper := pepperFlags(fs)
	publicURL := fs.String("public-url", env("NEWSDESK_PUBLIC_URL", "http://localhost:8080"), "the site's public base URL, for links in feeds and sitemaps (env NEWSDESK_PUBLIC_URL)")
	siteName := fs.String("site-name", env("NEWSDESK_SITE_NAME", "newsdesk"), "the site's name, for feeds and the news sitemap (env NEWSDESK_SITE_NAME)")
	rateLimit := fs.String("rate-limit", env("NEWSDESK_RATE_LIMIT", ""), "on|off: rate limits per key and IP (env NEWSDESK_RATE_LIMIT; default on with --production, off without)")
	corsOrigins := fs.String("cors-origins", env("NEWSDESK_CORS_ORIGINS", ""), "comma-separated origins allowed to send API keys from a browser, i.e. to write (env NEWSDESK_CORS_ORIGINS); any origin may read")
	trustedProxies := fs.String("trusted-proxies", env("NEWSDESK_TRUSTED_PROXIES", ""), "comma-separated proxy addresses or CIDRs whose X-Forwarded-For names the client (env NEWSDESK_TRUSTED_PROXIES)")
	allowList := fs.Bool("graphql-allowlist", envBool("NEWSDESK_GRAPHQL_ALLOWLIST"), "serve only registered GraphQL queries (newsdesk queries add) below the editor role (env NEWSDESK_GRAPHQL_ALLOWLIST)")
	drainDelay := fs.Duration("drain-delay", envDuration("NEWSDESK_DRAIN_DELAY", 0), "on shutdown, answer /readyz 503 this long before closing (env NEWSDESK_DRAIN_DELAY)")
	cacheMB := fs.Int("response-cache-mb", envInt("NEWSDESK_RESPONSE_CACHE_MB", server.DefaultResponseCacheMB), "memory for the cache of public GET answers, in MiB; 0 turns it off (env NEWSDESK_RESPONSE_CACHE_MB)")
	fragmentMB := fs.Int("fragment-cache-mb", envInt("NEWSDESK_FRAGMENT_CACHE_MB", 8), "memory for the cache of pieces of answers kept by content (articles' GraphQL JSON per selection set, feed items, REST list items), in MiB; 0 turns it off (env NEWSDESK_FRAGMENT_CACHE_MB)")
	articleMB := fs.Int("article-cache-mb", envInt("NEWSDESK_ARTICLE_CACHE_MB", sqlite.DefaultArticleCacheMB), "memory for the cache of articles read from a SQLite database, by id, in MiB; 0 turns it off (env NEWSDESK_ARTICLE_CACHE_MB)")
	readerAddr := fs.String("reader-addr", env("NEWSDESK_READER_ADDR", ""), "also serve the reference reader site on this HOST:PORT, reading from this server (env NEWSDESK_READER_ADDR; off when empty)")
	requestTimeout := fs.Duration("request-timeout", envDuration("NEWSDESK_REQUEST_TIMEOUT", 10*time.Second), "each request's deadline (env NEWSDESK_REQUEST_TIMEOUT)")
	maxInFlight := fs.Int("max-in-flight", envInt("NEWSDESK_MAX_IN_FLIGHT", 0), "how many anonymous API requests run at once, the rest waiting their turn in order; 0: one a core (GOMAXPROCS) on SQLite, no limit on PostgreSQL (whose requests mostly wait on the network); -1: no limit (env NEWSDESK_MAX_IN_FLIGHT)")
	queueTimeout := fs.Duration("queue-timeout", envDuration("NEWSDESK_QUEUE_TIMEOUT", time.Second), "how long a request may wait its turn before a 503 with Retry-After (env NEWSDESK_QUEUE_TIMEOUT)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the server's run, until it stops, to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := profileCPU(*cpuProfile)
		if err != nil {
			return fmt.Errorf("serve: --cpuprofile: %w", err)
		}
		defer stop()
	}
	limited := *production
	switch *rateLimit {
	case "":
	case "on":
		limited = true
	case "off":
		limited = false
	default:
		return fmt.Errorf("serve: --rate-limit must be on or off, not %q", *rateLimit)
	}
	proxies, err := ratelimit.ParsePrefixes(*trustedProxies)
	if err != nil {
		return fmt.Errorf("serve: --trusted-proxies: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if !news.IsWebURL(*publicURL) {
		return fmt.Errorf("serve: --public-url %q is not an absolute http(s) URL", *publicURL)
	}

	if *replicas < 1 {
		return fmt.Errorf("serve: --replicas must be at least 1, not %d", *replicas)
	}

	start := time.Now()
	db, err := openStore(ctx, *dbPath, storeOptions{Replica: *replica, ArticleCacheBytes: cacheBytes(*articleMB)})
	if err != nil {
		return err
	}
	defer db.Close()
	pep, err := pepper(*dbPath)
	if err != nil {
		return err
	}
	if *withDemo {
		seeded, err := demo.SeedIfEmpty(ctx, db)
		if err != nil {
			return err
		}
		if seeded {
			log.Info("demo content loaded", "db", redactDB(*dbPath))
		}
	}
	if *maxInFlight == 0 {
		*maxInFlight = -1 // PostgreSQL: its pool bounds what runs at once
		if _, ok := db.(*sqlite.DB); ok {
			*maxInFlight = runtime.GOMAXPROCS(0) // one a core: see DESIGN.md, Turns
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	views := viewcount.New(db, nil)
	// Request lines go out in batches, a tenth of a second apart at most.
	accessLog := server.NewLogBuffer(stderr, 100*time.Millisecond)
	defer accessLog.Close()
	srv := server.New(server.Config{
		Store: db, Keys: auth.New(db, pep), Views: views, Logger: log, AccessLog: slog.New(slog.NewJSONHandler(accessLog, nil)),
		Dev:       !*production,
		PublicURL: *publicURL, SiteName: *siteName,
		RateLimit: limited, Budgets: ratelimit.Share(ratelimit.DefaultBudgets, *replicas),
		TrustedProxies: proxies, CORSOrigins: splitList(*corsOrigins),
		AllowList: *allowList, DrainDelay: *drainDelay, RequestTimeout: *requestTimeout,
		MaxInFlight: *maxInFlight, QueueTimeout: *queueTimeout,
		ResponseCacheBytes: cacheBytes(*cacheMB), FragmentCacheBytes: cacheBytes(*fragmentMB),
	})

	if *readerAddr != "" {
		rln, err := net.Listen("tcp", *readerAddr)
		if err != nil {
			return fmt.Errorf("serve: --reader-addr: %w", err)
		}
		api := "http://" + browserAddr(ln.Addr())
		rs := &http.Server{Handler: reader.Handler(api), ReadHeaderTimeout: 5 * time.Second}
		go rs.Serve(rln)
		defer rs.Close()
		log.Info("reader listening", "url", "http://"+browserAddr(rln.Addr())+"/", "api", api)
	}

	// Background work: view counts flushed every 10 s, webhook deliveries.
	// Both stop with the server; the views counted last are flushed after.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		views.Run(work, 10*time.Second, func(err error) { log.Error("flush views", "err", err) })
	}()
	go func() {
		defer wg.Done()
		(&webhook.Deliverer{Store: db, Logger: log}).Run(work)
	}()

	// After opening the store: an upgrade's migrations may need more memory.
	gcPercent, memLimit := tuneGC(int64(max(*cacheMB, 0)+max(*fragmentMB, 0)+max(*articleMB, 0)) << 20)
	log.Info("listening", "addr", ln.Addr().String(), "db", redactDB(*dbPath), "replicas", *replicas, "production", *production,
		"rate_limit", limited, "allowlist", *allowList, "max_in_flight", *maxInFlight, "gc_percent", gcPercent, "memory_limit", memLimit,
		"startup", time.Since(start).String())
	err = srv.Serve(ctx, ln)
	stopWork()
	wg.Wait()
	if ferr := views.Flush(context.Background()); ferr != nil {
		log.Error("flush views", "err", ferr)
		err = errors.Join(err, ferr)
	}
	return err
}

// openDB parses the flags of a command whose only flag is --db, and opens
// (and migrates) the database.
func openDB(ctx context.Context, name string, args []string, stderr io.Writer) (store, string, error) {
	fs := newFlags(name, stderr)
	dbPath := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return nil, "", err
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	return db, redactDB(*dbPath), err
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, dbPath, err := openDB(ctx, "migrate", args, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Ping(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: schema up to date\n", dbPath)
	return nil
}

func seed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	dbPath := dbFlag(fs)
	withDemo := fs.Bool("demo", false, "load the demo content (into an empty database)")
	n := fs.Int("synthetic", 0, "write N synthetic published articles")
	seedValue := fs.Uint64("seed", 1, "random seed for --synthetic")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *withDemo == (*n > 0) {
		return errors.New("seed: give exactly one of --demo or --synthetic N")
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		seeded, err := demo.SeedIfEmpty(ctx, db)
		if err != nil {
			return err
		}
		if !seeded {
			return errors.New("seed: the database already has content; demo content goes only into an empty one")
		}
		fmt.Fprintf(stdout, "%s: demo content loaded\n", redactDB(*dbPath))
		return nil
	}
	start := time.Now()
	err = demo.Synthetic(ctx, db, demo.SyntheticOptions{
		N:    *n,
		Seed: *seedValue,
		Progress: func(done, total int) {
			fmt.Fprintf(stdout, "%d/%d articles (%s)\n", done, total, time.Since(start).Round(time.Second))
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d synthetic articles in %s\n", redactDB(*dbPath), *n, time.Since(start).Round(time.Millisecond))
	return nil
}

func reindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reindex", stderr)
	dbPath := dbFlag(fs)
	search := fs.Bool("search", true, "rebuild the search index")
	related := fs.Bool("related", true, "recompute the related lists")
	since := fs.Duration("related-since", 0, "recompute related lists only of articles published this recently (0: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	if *search {
		start := time.Now()
		n, err := db.RebuildSearch(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: search index rebuilt over %d published articles in %s\n", redactDB(*dbPath), n, time.Since(start).Round(time.Millisecond))
	}
	if !*related {
		return nil
	}
	start := time.Now()
	var from time.Time
	if *since > 0 {
		from = time.Now().Add(-*since)
	}
	n, err := db.RefreshRelated(ctx, from, func(done int) {
		if done%10000 == 0 {
			fmt.Fprintf(stdout, "related: %d articles (%s)\n", done, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: related lists computed for %d articles in %s\n", redactDB(*dbPath), n, time.Since(start).Round(time.Millisecond))
	return nil
}

const keysUsage = `usage:
  newsdesk keys create --role reader|partner|editor|admin --name NAME [--db FILE]
  newsdesk keys list [--db FILE]
  newsdesk keys revoke [--db FILE] ID
`

// keys manages API keys. create prints the new key alone on its last line:
// it is shown this once and never stored.
func keys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return flag.ErrHelp
	}
	fs := newFlags("keys "+args[0], stderr)
	dbPath := dbFlag(fs)
	pepper := pepperFlags(fs)
	role := fs.String("role", "", "create: the key's role: reader, partner, editor or admin")
	name := fs.String("name", "", "create: who or what the key is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	open := func() (store, error) { return openStore(ctx, *dbPath, storeOptions{}) }
	switch args[0] {
	case "create":
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		pep, err := pepper(*dbPath)
		if err != nil {
			return err
		}
		token, key, err := auth.New(db, pep).Create(ctx, *name, news.Role(*role))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created key %d %q with the %s role; it is shown only now:\n%s\n", key.ID, key.Name, key.Role, token)
		return nil
	case "list":
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		list, err := db.Keys(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-5s %-8s %-25s %-25s %s\n", "ID", "ROLE", "CREATED", "REVOKED", "NAME")
		for _, k := range list {
			revoked := "-"
			if !k.RevokedAt.IsZero() {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%-5d %-8s %-25s %-25s %s\n", k.ID, k.Role, k.CreatedAt.Format(time.RFC3339), revoked, k.Name)
		}
		return nil
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("keys revoke: give one key ID")
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("keys revoke: %q is not a key ID", fs.Arg(0))
		}
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.RevokeKey(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %d revoked\n", id)
		return nil
	}
	fmt.Fprint(stderr, keysUsage)
	return fmt.Errorf("unknown keys command %q", args[0])
}

const webhooksUsage = `usage:
  newsdesk webhooks add --url URL [--secret SECRET] [--db FILE]
  newsdesk webhooks list [--db FILE]
  newsdesk webhooks disable [--db FILE] ID
  newsdesk webhooks deliveries [--db FILE] ID
`

// webhooks manages partner webhooks. add prints the signing secret alone
// on its last line.
func webhooks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, webhooksUsage)
		return flag.ErrHelp
	}
	fs := newFlags("webhooks "+args[0], stderr)
	dbPath := dbFlag(fs)
	url := fs.String("url", "", "add: the partner's endpoint")
	secret := fs.String("secret", "", "add: the signing secret (default: generated)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	idArg := func() (int64, error) {
		if fs.NArg() != 1 {
			return 0, fmt.Errorf("webhooks %s: give one webhook ID", args[0])
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("webhooks %s: %q is not a webhook ID", args[0], fs.Arg(0))
		}
		return id, nil
	}
	switch args[0] {
	case "add", "list", "disable", "deliveries":
	default:
		fmt.Fprint(stderr, webhooksUsage)
		return fmt.Errorf("unknown webhooks command %q", args[0])
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "add":
		w := &news.Webhook{URL: *url, Secret: *secret}
		if w.Secret == "" {
			w.Secret = news.NewSecret()
		}
		if err := db.CreateWebhook(ctx, w); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %d -> %s; its signing secret:\n%s\n", w.ID, w.URL, w.Secret)
	case "list":
		list, err := db.Webhooks(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-5s %-8s %-25s %s\n", "ID", "STATE", "CREATED", "URL")
		for _, w := range list {
			state := "active"
			if !w.DisabledAt.IsZero() {
				state = "disabled"
			}
			fmt.Fprintf(stdout, "%-5d %-8s %-25s %s\n", w.ID, state, w.CreatedAt.Format(time.RFC3339), w.URL)
		}
	case "disable":
		id, err := idArg()
		if err != nil {
			return err
		}
		if err := db.DisableWebhook(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %d disabled\n", id)
	case "deliveries":
		id, err := idArg()
		if err != nil {
			return err
		}
		list, err := db.Deliveries(ctx, id, 50)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-7s %-20s %-9s %-8s %-6s %s\n", "ID", "EVENT", "STATUS", "ATTEMPTS", "HTTP", "ERROR")
		for _, d := range list {
			fmt.Fprintf(stdout, "%-7d %-20s %-9s %-8d %-6d %s\n", d.ID, d.Event, d.Status, d.Attempts, d.LastStatus, d.LastError)
		}
	}
	return nil
}

// queries registers GraphQL queries for the allow-list.
func queries(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		fmt.Fprint(stderr, "usage:\n  newsdesk queries add --file QUERY.graphql [--name NAME] [--db FILE]\n  newsdesk queries list [--db FILE]\n")
		return flag.ErrHelp
	}
	fs := newFlags("queries "+args[0], stderr)
	dbPath := dbFlag(fs)
	file := fs.String("file", "", "add: a file holding one GraphQL document, as clients send it")
	name := fs.String("name", "", "add: a name for people")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		list, err := db.PersistedQueries(ctx)
		if err != nil {
			return err
		}
		for _, q := range list {
			fmt.Fprintf(stdout, "%s  %s\n", q.Hash, q.Name)
		}
		return nil
	}
	text, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("queries add: %w", err)
	}
	q := &news.PersistedQuery{Name: *name, Query: string(text)}
	if err := db.RegisterQuery(ctx, q); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "registered %q; clients send extensions.persistedQuery.sha256Hash:\n%s\n", q.Name, q.Hash)
	return nil
}

// export writes the whole site as NDJSON to --out, or to stdout.
func export(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	dbPath := dbFlag(fs)
	out := fs.String("out", "", "the file to write (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	w, report := stdout, stderr
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w, report = f, stdout
	}
	start := time.Now()
	n, err := transfer.Export(ctx, db, w)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(report, "%s: exported %s in %s\n", redactDB(*dbPath), counts(n), time.Since(start).Round(time.Millisecond))
	return nil
}

// importSite reads an export from --in, or from stdin, into an empty
// database.
func importSite(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	dbPath := dbFlag(fs)
	in := fs.String("in", "", "the export to read (default: standard input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := stdin
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	db, err := openStore(ctx, *dbPath, storeOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := transfer.Import(ctx, db, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: imported %s in %s\n", redactDB(*dbPath), counts(n), time.Since(start).Round(time.Millisecond))
	return nil
}

// counts lists what moved, in a fixed order.
func counts(n transfer.Counts) string {
	var parts []string
	for _, kind := range []string{"categories", "authors", "tags", "articles", "related lists", "revisions", "keys", "webhooks", "queries"} {
		parts = append(parts, fmt.Sprintf("%d %s", n[kind], kind))
	}
	return strings.Join(parts, ", ")
}

// backup writes an online, consistent copy of the database (VACUUM INTO,
// while the server runs) and checks the copy's integrity.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	dbPath := dbFlag(fs)
	out := fs.String("out", "", "the backup file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: --out FILE is required")
	}
	if err := sqliteOnly("backup", *dbPath); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, *dbPath, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: backed up to %s (%d bytes, integrity ok) in %s\n", *dbPath, *out, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// restore checks a backup and puts it in place of the database. The server
// must be stopped: a running one would keep the old file open.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	dbPath := dbFlag(fs)
	from := fs.String("from", "", "the backup file to restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("restore: --from FILE is required")
	}
	if err := sqliteOnly("restore", *dbPath); err != nil {
		return err
	}
	if err := sqlite.Restore(ctx, *from, *dbPath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: restored from %s (integrity ok)\n", *dbPath, *from)
	return nil
}

// benchmark runs the load benchmark on an existing database.
func benchmark(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	dbPath := dbFlag(fs)
	duration := fs.Duration("duration", 10*time.Second, "how long each workload runs")
	conns := fs.Int("connections", 32, "concurrent connections")
	warmup := fs.Duration("warmup", 2*time.Second, "how long each workload first runs unmeasured, so that none is measured on a cold server (0: not at all)")
	only := fs.String("only", "", "run only the workloads whose names contain this (the floors always run)")
	cpuProfile := fs.String("cpuprofile", "", "write each server's CPU profile to this path plus .uncached, .cached or .postgres (go tool pprof)")
	client := fs.String("client", "auto", "load generator: wrk (where installed: apt install wrk), vegeta (built in), or auto: wrk where installed, else vegeta")
	pg := fs.String("postgres", env("NEWSDESK_BENCH_POSTGRES", ""), "also run the uncached workloads on PostgreSQL: a postgres:// URL of an empty database (the site is imported once) or of one holding the same site (env NEWSDESK_BENCH_POSTGRES)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	return bench.Run(ctx, bench.Options{Exe: exe, DB: *dbPath, Postgres: *pg, Duration: *duration, Warmup: *warmup, Connections: *conns,
		Only: *only, CPUProfile: *cpuProfile, Client: *client, Out: stdout})
}

// profileCPU writes a CPU profile to path until stop is called.
func profileCPU(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
