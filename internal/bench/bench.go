// Package bench is newsdesk's load benchmark: on an existing database it
// starts the real server as its own process (newsdesk serve, twice: with
// and without the response cache), drives it over loopback with wrk where
// it is installed, or vegeta (as a library), for a fixed time per
// workload, and prints throughput, latency percentiles and errors, each
// as a ratio to the floor: a bare net/http handler in the benchmark's
// process that reads the same SQLite file with one prepared statement and
// writes JSON. Ratios hold on noisy machines; absolute numbers do not. The
// servers' start-up time and resident memory are their own, apart from the
// load generator's. With a PostgreSQL database holding the same site, a
// third server runs on it and the uncached workloads run against it too,
// beside SQLite's, with the same floor.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/postgres"
	"github.com/newsdesk/newsdesk/internal/server"
	"github.com/newsdesk/newsdesk/internal/sqlite"
	"github.com/newsdesk/newsdesk/internal/transfer"
	"github.com/newsdesk/newsdesk/internal/vntext"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Options configure a run.
type Options struct {
	// Exe is the newsdesk binary to run the servers with.
	Exe         string
	DB          string
	Duration    time.Duration // per workload; default 10s
	Connections int           // default 32
	// Warmup is how long each workload first runs unmeasured (0: not at
	// all), so that none is measured on a cold server: the first workload
	// each server answers used to pay for its start (connections, heap,
	// caches), and a cached one is measured once its cache holds what it
	// asks for, as a server in production does.
	Warmup time.Duration
	// Only, when set, runs the workloads whose names contain it (the
	// floors always run).
	Only string
	// Postgres, when set, is a postgres:// URL of a database holding the
	// same site (an empty one gets it imported from DB first).
	Postgres string
	// CPUProfile, when set, has each server write its CPU profile to this
	// path plus .uncached, .cached or .postgres.
	CPUProfile string
	// Client is the load generator: ClientVegeta, ClientWrk, or "auto"
	// (the default): wrk where it is installed, vegeta otherwise.
	Client string
	Out    io.Writer
}

// Result is one workload's measurement.
type Result struct {
	Name          string
	Throughput    float64 // successful requests per second
	P50, P95, P99 time.Duration
	Errors        uint64
	Floor         string // the floor workload it is compared with
	// CPU is the CPU time (user and system) the answering process spent
	// per successful request; 0 when unknown.
	CPU time.Duration
}

// Run benchmarks the database at o.DB and writes the report to o.Out.
func Run(ctx context.Context, o Options) error {
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Connections <= 0 {
		o.Connections = 32
	}
	if _, err := os.Stat(o.DB); err != nil {
		return fmt.Errorf("bench: %w (make one with: newsdesk seed --db FILE --synthetic 100000)", err)
	}
	client, err := pickClient(o.Client)
	if err != nil {
		return err
	}
	if client == ClientWrk {
		// As wrk will run them: the report and the CPU time a request
		// use these.
		o.Duration = wrkDuration(o.Duration)
		if o.Warmup > 0 {
			o.Warmup = wrkDuration(o.Warmup)
		}
	}
	warmup := "no warm-up"
	if o.Warmup > 0 {
		warmup = "after " + o.Warmup.String() + " unmeasured"
	}
	fmt.Fprintf(o.Out, "newsdesk bench: %s, %d connections, %s a workload %s, load generator %s, %d CPUs, %s\n\n",
		o.DB, o.Connections, o.Duration, warmup, client, runtime.NumCPU(), runtime.Version())

	type proc struct {
		*started
		name string
		rest rss
		peak atomic.Int64
	}
	var servers []*proc
	for _, sv := range []struct{ name, db, cacheMB, profile string }{
		{"server without response cache", o.DB, "0", "uncached"},
		{fmt.Sprintf("server with %d MiB response cache", server.DefaultResponseCacheMB), o.DB, strconv.Itoa(server.DefaultResponseCacheMB), "cached"},
		{"server on PostgreSQL without response cache", o.Postgres, "0", "postgres"},
	} {
		if sv.db == "" {
			continue
		}
		if sv.db == o.Postgres {
			if err := samePostgresSite(ctx, o, o.Out); err != nil {
				return err
			}
		}
		profile := ""
		if o.CPUProfile != "" {
			profile = o.CPUProfile + "." + sv.profile
		}
		p, stop, err := startServer(ctx, o.Exe, sv.db, sv.cacheMB, profile)
		if err != nil {
			return err
		}
		defer stop()
		servers = append(servers, &proc{started: p, name: sv.name, rest: memoryOf(p.pid)})
	}
	fl, err := newFloor(ctx, o.DB)
	if err != nil {
		return err
	}
	defer fl.close()
	floorAddr, stopFloor, err := serve(ctx, fl.handler())
	if err != nil {
		return err
	}
	defer stopFloor()
	floorURL := "http://" + floorAddr

	db, err := sqlite.Open(ctx, o.DB, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := sampleSite(ctx, db)
	if err != nil {
		return err
	}
	size := fileSize(o.DB) + fileSize(o.DB+"-wal")
	n, _ := db.CountArticles(ctx, news.ArticleFilter{})

	// Under load: the highest resident memory each server reaches.
	stopSampling := make(chan struct{})
	var sampling sync.WaitGroup
	sampling.Add(1)
	go func() {
		defer sampling.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				for _, p := range servers {
					if m := memoryOf(p.pid).anon; m > p.peak.Load() {
						p.peak.Store(m)
					}
				}
			}
		}
	}()

	scripts, err := os.MkdirTemp("", "newsdesk-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scripts)
	var results []Result
	targets := []target{{base: servers[0].base, pid: servers[0].pid, tag: "uncached"},
		{base: servers[1].base, pid: servers[1].pid, tag: "cached", cached: true}}
	if o.Postgres != "" {
		targets = append(targets, target{base: servers[2].base, pid: servers[2].pid, tag: "uncached, PostgreSQL"})
	}
	all := workloads(floorURL, targets, s)
	// The floors run first and again last: a shared machine drifts in the
	// minutes between, and the ratios are to the mean of the two.
	for _, w := range all {
		if w.floor == "" {
			w.name += floorAgain
			all = append(all, w)
		}
	}
	for _, w := range all {
		if o.Only != "" && !strings.HasPrefix(w.name, "floor") && !strings.Contains(w.name, o.Only) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The floor answers in this process: its CPU time is the floor's
		// alone only when the load generator runs in another (wrk).
		pid := w.pid
		if pid == 0 && client == ClientWrk {
			pid = os.Getpid()
		}
		run := func(d time.Duration) (Result, error) {
			if client == ClientWrk {
				return attackWrk(ctx, w, o.Connections, d, scripts)
			}
			return attack(w, o.Connections, d), nil
		}
		warm := ""
		if o.Warmup > 0 {
			wr, err := run(o.Warmup)
			if err != nil {
				return err
			}
			warm = fmt.Sprintf("  (warm-up %.0f req/s, %d errors)", wr.Throughput, wr.Errors)
		}
		before, cpuKnown := cpuOf(pid)
		r, err := run(o.Duration)
		if err != nil {
			return err
		}
		if after, ok := cpuOf(pid); ok && cpuKnown && r.Throughput > 0 {
			r.CPU = time.Duration(float64(after-before) / (r.Throughput * o.Duration.Seconds()))
		}
		results = append(results, r)
		fmt.Fprintf(o.Out, "  %-44s %9.0f req/s  p99 %s%s\n", r.Name, r.Throughput, r.P99.Round(10*time.Microsecond), warm)
	}
	close(stopSampling)
	sampling.Wait()

	fmt.Fprintf(o.Out, "\n%d published articles, database %s\n", n, humanBytes(size))
	if o.Postgres != "" {
		fmt.Fprintf(o.Out, "PostgreSQL database %s\n", humanBytes(postgresSize(ctx, o.Postgres)))
	}
	for _, p := range servers {
		fmt.Fprintf(o.Out, "%s: start-up %s (process start to ready), resident memory (anonymous, not file-backed) %s at rest, %s peak under load; file-backed at rest %s\n",
			p.name, p.startup.Round(time.Millisecond), humanBytes(p.rest.anon), humanBytes(p.peak.Load()), humanBytes(p.rest.file))
	}
	fmt.Fprintln(o.Out)
	report(o.Out, results)
	return nil
}

// samePostgresSite makes sure the PostgreSQL database holds the SQLite
// site: an empty one gets it imported (export, import: once, and it takes
// a while on a large site), one with another number of articles is an
// error.
func samePostgresSite(ctx context.Context, o Options, out io.Writer) error {
	lite, err := sqlite.Open(ctx, o.DB, sqlite.Options{})
	if err != nil {
		return err
	}
	defer lite.Close()
	pg, err := postgres.Open(ctx, o.Postgres, postgres.Options{})
	if err != nil {
		return err
	}
	defer pg.Close()
	want, err := lite.MaxArticleID(ctx)
	if err != nil {
		return err
	}
	got, err := pg.MaxArticleID(ctx)
	if err != nil {
		return err
	}
	switch {
	case got == want:
		return nil
	case got != 0:
		return fmt.Errorf("bench: the PostgreSQL database holds another site (highest article id %d, SQLite's %d); give an empty one", got, want)
	}
	start := time.Now()
	fmt.Fprintf(out, "importing the site into PostgreSQL (once)...\n")
	r, w := io.Pipe()
	go func() { _, err := transfer.Export(ctx, lite, w); w.CloseWithError(err) }()
	if _, err := transfer.Import(ctx, pg, r); err != nil {
		return fmt.Errorf("bench: import into PostgreSQL: %w", err)
	}
	fmt.Fprintf(out, "imported in %s\n\n", time.Since(start).Round(time.Second))
	return nil
}

// postgresSize is the size of the database at url, 0 if unknown.
func postgresSize(ctx context.Context, url string) int64 {
	pg, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		return 0
	}
	defer pg.Close()
	n, _ := pg.Size(ctx)
	return n
}

// started is a server process ready for requests.
type started struct {
	base    string
	pid     int
	startup time.Duration
}

// startServer runs "newsdesk serve" on the database in production mode
// without rate limits, with a response cache of cacheMB MiB (0: none), on a
// free port, and waits until it is ready; with a profile path, it writes
// its CPU profile there. stop ends it.
func startServer(ctx context.Context, exe, db, cacheMB, profile string) (*started, func(), error) {
	start := time.Now()
	args := []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--production",
		"--rate-limit", "off", "--response-cache-mb", cacheMB}
	if profile != "" {
		args = append(args, "--cpuprofile", profile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), "NEWSDESK_DEMO=0")
	if postgres.IsURL(db) {
		// The benchmark uses no keys; PostgreSQL has no file to keep a
		// pepper beside.
		cmd.Env = append(cmd.Env, "NEWSDESK_PEPPER=newsdesk-bench-pepper")
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("bench: start %s: %w", exe, err)
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		found := false
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if !found && json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				found = true
				addr <- line.Addr
			}
		}
		if !found {
			close(addr)
		}
	}()
	var a string
	select {
	case a = <-addr:
	case <-time.After(60 * time.Second):
	}
	if a == "" {
		stop()
		return nil, nil, errors.New("bench: the server never said where it listens")
	}
	base := "http://" + a
	if err := waitReady(base); err != nil {
		stop()
		return nil, nil, err
	}
	return &started{base: base, pid: cmd.Process.Pid, startup: time.Since(start)}, stop, nil
}

// serve runs h on a free loopback port until stop is called.
func serve(ctx context.Context, h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), func() {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(c)
	}, nil
}

func waitReady(base string) error {
	for range 100 {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return errors.New("bench: the server never became ready")
}

// site is what the workloads ask for: real slugs, categories and words.
type site struct {
	slugs      []string
	categories []string
	queries    []string
}

func sampleSite(ctx context.Context, db *sqlite.DB) (*site, error) {
	maxID, err := db.MaxArticleID(ctx)
	if err != nil {
		return nil, err
	}
	s := &site{}
	r := rand.New(rand.NewPCG(1, 2))
	for tries := 0; len(s.slugs) < 2000 && tries < 400; tries++ {
		from := 1 + r.Int64N(max(maxID-20, 1))
		stubs, err := db.ArticleStubsByID(ctx, from, from+20)
		if err != nil {
			return nil, err
		}
		for _, st := range stubs {
			s.slugs = append(s.slugs, st.Slug)
			if words := vntext.Words(st.Title); len(words) >= 3 && len(s.queries) < 500 {
				i := r.IntN(len(words) - 1)
				s.queries = append(s.queries, st.Title[words[i].Start:words[i+1].End])
			}
		}
	}
	cats, err := db.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		s.categories = append(s.categories, c.Slug)
	}
	if len(s.slugs) == 0 || len(s.categories) == 0 || len(s.queries) == 0 {
		return nil, errors.New("bench: the database has no published articles (seed --synthetic N first)")
	}
	return s, nil
}

// workload is one named stream of requests.
type workload struct {
	name  string
	floor string
	pid   int // of the server that answers; 0: the floor, in this process
	next  func(i uint64) vegeta.Target
}

// GraphQL documents the workloads send.
const (
	gqlArticle = `query Article($slug: String) { article(slug: $slug) { id slug title excerpt bodyHtml publishedAt } }`
	gqlPage    = `query Page($slug: String!) { category(slug: $slug) { name articles(first: 20) { edges { cursor node {
		slug title excerpt publishedAt readingMinutes coverImage { url caption } authors { name slug } category { name slug } tags { name slug } } }
		pageInfo { hasNextPage endCursor } } } }`
	gqlArticlePage = `query ArticlePage($slug: String) { article(slug: $slug) { id slug title excerpt bodyHtml publishedAt
		coverImage { url caption } authors { name slug } category { name slug } tags { name slug } related(first: 6) { slug title } } }`
	gqlHome = `query Home { articles(first: 20) { nodes { slug title excerpt publishedAt coverImage { url } category { name slug } } } }`
)

// restArticleFields asks REST for the fields the floor and gqlArticle
// answer (id and slug always come): the same answer, so the ratio compares
// the work of giving it. The "every field" workload adds the plain text of
// the body, the cover, bylines, category, tags and counts (twice the bytes).
const restArticleFields = "?fields=title,excerpt,bodyHtml,publishedAt"

func gqlGET(base, doc string, vars map[string]any) vegeta.Target {
	v, _ := json.Marshal(vars)
	q := url.Values{"query": {doc}, "variables": {string(v)}}
	return vegeta.Target{Method: http.MethodGet, URL: base + "/graphql?" + q.Encode()}
}

func gqlPOST(base, doc string, vars map[string]any) vegeta.Target {
	body, _ := json.Marshal(map[string]any{"query": doc, "variables": vars})
	return vegeta.Target{Method: http.MethodPost, URL: base + "/graphql", Body: body,
		Header: http.Header{"Content-Type": {"application/json"}}}
}

func get(u string) vegeta.Target { return vegeta.Target{Method: http.MethodGet, URL: u} }

// target is a server the workloads run against: the cached one gets the
// cached set, the others the uncached set; tag ends each workload's name.
type target struct {
	base, tag string
	pid       int
	cached    bool
}

func workloads(floor string, targets []target, s *site) []workload {
	slug := func(i uint64) string { return s.slugs[i%uint64(len(s.slugs))] }
	cat := func(i uint64) string { return s.categories[i%uint64(len(s.categories))] }
	q := func(i uint64) string { return s.queries[i%uint64(len(s.queries))] }
	var out []workload
	out = append(out,
		workload{name: "floor: article by slug", next: func(i uint64) vegeta.Target { return get(floor + "/floor/article?slug=" + slug(i)) }},
		workload{name: "floor: keyset list of 20", next: func(i uint64) vegeta.Target { return get(floor + "/floor/list?category=" + cat(i)) }},
	)
	for _, t := range targets {
		base, tag, cached := t.base, t.tag, t.cached
		// Each workload of the target is answered by its server.
		w := func(name, of string, next func(i uint64) vegeta.Target) workload {
			return workload{name: name, floor: of, pid: t.pid, next: next}
		}
		article := "floor: article by slug"
		list := "floor: keyset list of 20"
		out = append(out,
			w("article: GraphQL GET, "+tag, article, func(i uint64) vegeta.Target { return gqlGET(base, gqlArticle, map[string]any{"slug": slug(i)}) }),
			w("article: REST, "+tag, article, func(i uint64) vegeta.Target { return get(base + "/v1/articles/" + slug(i) + restArticleFields) }),
			w("article: REST, every field, "+tag, article, func(i uint64) vegeta.Target { return get(base + "/v1/articles/" + slug(i)) }),
			w("category page: GraphQL GET, "+tag, list, func(i uint64) vegeta.Target { return gqlGET(base, gqlPage, map[string]any{"slug": cat(i)}) }),
			w("category page: REST, "+tag, list, func(i uint64) vegeta.Target {
				return get(base + "/v1/articles?limit=20&category=" + cat(i))
			}),
		)
		// Search, related lists and feeds run on both servers: uncached, what
		// answering costs; cached, what a production server answers.
		out = append(out,
			w("search: REST, "+tag, article, func(i uint64) vegeta.Target {
				return get(base + "/v1/search?limit=10&q=" + url.QueryEscape(q(i)))
			}),
			w("related: REST, "+tag, article, func(i uint64) vegeta.Target { return get(base + "/v1/articles/" + slug(i) + "/related") }),
			w("RSS feed of a category, "+tag, list, func(i uint64) vegeta.Target { return get(base + "/feeds/category/" + cat(i) + "/rss.xml") }),
		)
		if cached {
			out = append(out, w("mixed frontend, cached", article, func(i uint64) vegeta.Target {
				switch i % 10 {
				case 0, 1, 2, 3, 4:
					return gqlGET(base, gqlArticlePage, map[string]any{"slug": slug(i / 10)})
				case 5, 6, 7:
					return gqlGET(base, gqlPage, map[string]any{"slug": cat(i / 10)})
				case 8:
					return get(base + "/v1/search?limit=10&q=" + url.QueryEscape(q(i/10)))
				}
				return gqlGET(base, gqlHome, nil)
			}))
			continue
		}
		out = append(out,
			w("article: GraphQL POST, "+tag, article, func(i uint64) vegeta.Target { return gqlPOST(base, gqlArticle, map[string]any{"slug": slug(i)}) }),
		)
	}
	return out
}

// attack runs one workload at full speed with a fixed number of workers.
func attack(w workload, conns int, d time.Duration) Result {
	var n atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		*t = w.next(n.Add(1))
		// Uncompressed, as the floor answers: the ratios compare the work of
		// answering, not gzip's.
		if t.Header == nil {
			t.Header = http.Header{}
		}
		t.Header.Set("Accept-Encoding", "identity")
		return nil
	}
	a := vegeta.NewAttacker(vegeta.Workers(uint64(conns)), vegeta.MaxWorkers(uint64(conns)),
		vegeta.Connections(conns), vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
	var m vegeta.Metrics
	for res := range a.Attack(targeter, vegeta.Rate{Freq: 0}, d, w.name) {
		m.Add(res)
	}
	m.Close()
	r := Result{Name: w.name, Floor: w.floor, P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99}
	r.Throughput = m.Throughput
	for code, count := range m.StatusCodes {
		if code != "200" {
			r.Errors += uint64(count)
		}
	}
	return r
}

// floorAgain names a floor's second measurement, at the end of the run.
const floorAgain = ", again at the end"

// report prints the results as a Markdown table with ratios to the floors:
// of throughput, and of CPU time a request (the floor's over the
// workload's, so that above 1 is cheaper than the floor either way).
func report(out io.Writer, results []Result) {
	// Each floor is the mean of its measurements, first and last.
	type mean struct{ throughput, cpu, n, cpuN float64 }
	floors := map[string]*mean{}
	for _, r := range results {
		if r.Floor == "" {
			name := strings.TrimSuffix(r.Name, floorAgain)
			m := floors[name]
			if m == nil {
				m = &mean{}
				floors[name] = m
			}
			m.throughput += r.Throughput
			m.n++
			if r.CPU > 0 {
				m.cpu += float64(r.CPU)
				m.cpuN++
			}
		}
	}
	for _, m := range floors {
		m.throughput /= m.n
		if m.cpuN > 0 {
			m.cpu /= m.cpuN
		}
	}
	fmt.Fprintln(out, "Ratios are to each floor's mean over its two measurements, at the start and at the end of the run.")
	fmt.Fprintln(out, "CPU/req is the answering process's CPU time per request, measured on the servers always and on the")
	fmt.Fprintln(out, "floor with wrk (vegeta runs in the floor's process); its ratio is the floor's over the workload's.")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| workload | req/s | p50 | p95 | p99 | errors | ratio to floor | CPU/req | CPU ratio |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range results {
		ratio, cpu, cpuRatio := "", "", ""
		f, of := floors[r.Floor], " of "+strings.TrimPrefix(r.Floor, "floor: ")
		if r.Floor == "" {
			f, of = floors[strings.TrimSuffix(r.Name, floorAgain)], " of the mean (the floor)"
		}
		if f != nil && f.throughput > 0 {
			ratio = strconv.FormatFloat(r.Throughput/f.throughput, 'f', 2, 64) + of
		}
		if r.CPU > 0 {
			cpu = strconv.FormatFloat(float64(r.CPU)/1e3, 'f', 0, 64) + " µs"
			if f != nil && f.cpu > 0 {
				cpuRatio = strconv.FormatFloat(f.cpu/float64(r.CPU), 'f', 2, 64)
			}
		}
		fmt.Fprintf(out, "| %s | %.0f | %s | %s | %s | %d | %s | %s | %s |\n", r.Name, r.Throughput,
			ms(r.P50), ms(r.P95), ms(r.P99), r.Errors, ratio, cpu, cpuRatio)
	}
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + " ms" }

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d kB", n>>10)
}

// rss is resident memory split by kind, from /proc/PID/status (Linux).
type rss struct{ anon, file int64 }

func memoryOf(pid int) rss {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return rss{}
	}
	var m rss
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch name {
		case "RssAnon":
			m.anon = kb << 10
		case "RssFile":
			m.file = kb << 10
		}
	}
	return m
}

// cpuOf returns the CPU time (user and system) process pid has used, from
// /proc/PID/stat (Linux); false when it cannot be read. The kernel counts
// it in ticks of 1/100 s (USER_HZ, fixed in the /proc interface): over a
// workload's seconds, well within a percent.
func cpuOf(pid int) (time.Duration, bool) {
	if pid == 0 {
		return 0, false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: the fields that
	// follow it are state (3) and on, so utime (14) and stime (15) are the
	// 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// floor is the physical floor: what the hardware, net/http and SQLite
// alone cost for the same answers.
type floor struct {
	db            *sql.DB
	article, list *sql.Stmt
}

func newFloor(ctx context.Context, path string) (*floor, error) {
	// The server's read settings.
	db, err := sql.Open("sqlite", sqlite.ReaderDSN(path))
	if err != nil {
		return nil, err
	}
	n := sqlite.DefaultReadConns()
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	f := &floor{db: db}
	if f.article, err = db.PrepareContext(ctx, `SELECT id, slug, title, excerpt, body_html, published_at FROM articles
		WHERE slug = ? AND status = 'published' AND published_at <= ?`); err != nil {
		db.Close()
		return nil, err
	}
	if f.list, err = db.PrepareContext(ctx, `SELECT a.id, a.slug, a.title, a.excerpt, a.published_at
		FROM article_categories l JOIN articles a ON a.id = l.article_id
		WHERE l.category_id = (SELECT id FROM categories WHERE slug = ?) AND l.pub_at <= ?
		ORDER BY l.pub_at DESC, l.article_id DESC LIMIT 20`); err != nil {
		db.Close()
		return nil, err
	}
	return f, nil
}

func (f *floor) close() { f.db.Close() }

type floorArticle struct {
	ID          int64  `json:"id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Excerpt     string `json:"excerpt"`
	BodyHTML    string `json:"bodyHtml,omitempty"`
	PublishedAt int64  `json:"publishedAt"`
}

func (f *floor) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /floor/article", func(w http.ResponseWriter, r *http.Request) {
		var a floorArticle
		err := f.article.QueryRowContext(r.Context(), r.URL.Query().Get("slug"), time.Now().UnixMilli()).
			Scan(&a.ID, &a.Slug, &a.Title, &a.Excerpt, &a.BodyHTML, &a.PublishedAt)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(a)
	})
	mux.HandleFunc("GET /floor/list", func(w http.ResponseWriter, r *http.Request) {
		rows, err := f.list.QueryContext(r.Context(), r.URL.Query().Get("category"), time.Now().UnixMilli())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		items := make([]floorArticle, 0, 20)
		for rows.Next() {
			var a floorArticle
			if err := rows.Scan(&a.ID, &a.Slug, &a.Title, &a.Excerpt, &a.PublishedAt); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			items = append(items, a)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"items": items})
	})
	return mux
}
