// Package metrics exposes newsdesk's Prometheus metrics
// (prometheus/client_golang): HTTP requests by route and status with
// latency, GraphQL operations by name with their cost, rate-limit
// refusals, the queue of requests waiting their turn, the response,
// fragment and article caches' hit rates, database pool statistics, and
// the Go runtime's own.
package metrics

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/newsdesk/newsdesk/internal/httpcache"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one server.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ops      *prometheus.CounterVec
	cost     *prometheus.HistogramVec
	refused  *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

// maxOperationNames bounds the operation-name label: names are the
// client's to choose, so past this many the rest count as "other".
const maxOperationNames = 200

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// New registers the collectors; pools reads the database pools' statistics
// by pool name, cache the response cache's counters, fragments the GraphQL
// fragment cache's, articles the store's article cache's (nil for a cache
// the server does not have: its metrics are left out).
func New(pools func() map[string]news.PoolStats, cache func() httpcache.Stats, fragments, articles CacheStats) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdesk_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_graphql_operations_total", Help: "GraphQL operations by name and type.",
		}, []string{"operation", "type"}),
		cost: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsdesk_graphql_operation_cost", Help: "GraphQL operation cost (complexity) by name.",
			Buckets: prometheus.ExponentialBuckets(10, 4, 8),
		}, []string{"operation"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_rate_limit_refusals_total", Help: "Requests refused by the rate limiter, by role (anonymous for none).",
		}, []string{"role"}),
		names: map[string]bool{},
	}
	m.reg.MustRegister(m.requests, m.latency, m.ops, m.cost, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(poolCollector{pools}, cacheCollector{cache})
	for _, c := range []struct {
		name, requests, bytes string
		stats                 CacheStats
	}{
		{"fragment", "Pieces of answers (an article's GraphQL or REST JSON, an encoded feed item) taken from the fragment cache (hit) or rendered and kept (miss).",
			"Bytes the fragment cache holds.", fragments},
		{"article", "Articles the store took from its article cache (hit) or read from the database (miss), lookups of lists that read their rows at once not counted.",
			"Bytes the store's article cache holds.", articles},
	} {
		if c.stats != nil {
			m.reg.MustRegister(newSizedCacheCollector(c.name, c.requests, c.bytes, c.stats))
		}
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request records one answered request under its route pattern ("" for
// none: counted as "unmatched").
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Operation records a GraphQL operation and its cost.
func (m *Metrics) Operation(_ context.Context, opCtx *graphql.OperationContext, cost int) {
	name, typ := opCtx.OperationName, "query"
	if opCtx.Operation != nil {
		name, typ = opCtx.Operation.Name, string(opCtx.Operation.Operation)
	}
	name = m.label(name)
	m.ops.WithLabelValues(name, typ).Inc()
	m.cost.WithLabelValues(name).Observe(float64(cost))
}

// label maps a client's operation name to a bounded label value.
func (m *Metrics) label(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !nameRE.MatchString(name):
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return "other"
	}
	m.names[name] = true
	return name
}

// Admission reports the queue of requests: how many may work at once, how
// many are working now, how many wait their turn, and how many were
// refused after waiting too long.
func (m *Metrics) Admission(limit int, running, queued func() int64, timeouts func() uint64) {
	gauge := func(name, help string, f func() int64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return float64(f()) })
	}
	m.reg.MustRegister(
		gauge("newsdesk_http_requests_running_limit", "How many anonymous API requests may work at once (--max-in-flight).",
			func() int64 { return int64(limit) }),
		gauge("newsdesk_http_requests_running", "Anonymous API requests working now.", running),
		gauge("newsdesk_http_requests_queued", "Anonymous API requests waiting their turn now.", queued),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "newsdesk_http_queue_timeouts_total", Help: "Requests answered 503 because their turn did not come within --queue-timeout (or before their deadline).",
		}, func() float64 { return float64(timeouts()) }),
	)
}

// Refused counts a rate-limit refusal.
func (m *Metrics) Refused(role news.Role) {
	label := string(role)
	if label == "" {
		label = "anonymous"
	}
	m.refused.WithLabelValues(label).Inc()
}

// poolCollector reports database pool statistics.
type poolCollector struct {
	pools func() map[string]news.PoolStats
}

var (
	poolOpen   = prometheus.NewDesc("newsdesk_db_connections_open", "Open connections by pool.", []string{"pool"}, nil)
	poolInUse  = prometheus.NewDesc("newsdesk_db_connections_in_use", "Connections in use by pool.", []string{"pool"}, nil)
	poolWaits  = prometheus.NewDesc("newsdesk_db_waits_total", "Waits for a free connection by pool.", []string{"pool"}, nil)
	poolWaited = prometheus.NewDesc("newsdesk_db_wait_seconds_total", "Time spent waiting for a connection by pool.", []string{"pool"}, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolInUse
	ch <- poolWaits
	ch <- poolWaited
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, s := range c.pools() {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.Open), name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.Waits), name)
		ch <- prometheus.MustNewConstMetric(poolWaited, prometheus.CounterValue, s.WaitTime.Seconds(), name)
	}
}

// cacheCollector reports the response cache.
type cacheCollector struct {
	stats func() httpcache.Stats
}

var (
	cacheRequests = prometheus.NewDesc("newsdesk_response_cache_requests_total",
		"Public GETs answered from the response cache (hit), by the handler (miss), or by an identical request's miss they waited for (shared).",
		[]string{"result"}, nil)
	cacheWaiting = prometheus.NewDesc("newsdesk_response_cache_waiting", "Public GETs waiting now for an identical request's answer to a response cache miss.", nil, nil)
	cacheBytes   = prometheus.NewDesc("newsdesk_response_cache_bytes", "Bytes the response cache holds.", nil, nil)
)

func (cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheRequests
	ch <- cacheWaiting
	ch <- cacheBytes
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Misses), "miss")
	ch <- prometheus.MustNewConstMetric(cacheRequests, prometheus.CounterValue, float64(s.Shared), "shared")
	ch <- prometheus.MustNewConstMetric(cacheWaiting, prometheus.GaugeValue, float64(s.Waiting))
	ch <- prometheus.MustNewConstMetric(cacheBytes, prometheus.GaugeValue, float64(s.Bytes))
}

// sizedCacheCollector reports one of the caches bounded in bytes: the GraphQL
// fragment cache, a store's article cache.
type sizedCacheCollector struct {
	requests, bytes *prometheus.Desc
	stats           CacheStats
}

// CacheStats reads a cache bounded in bytes: lookups that found a value,
// those that did not, and the bytes held.
type CacheStats func() (hits, misses uint64, bytes int64)

func newSizedCacheCollector(name, requestsHelp, bytesHelp string, stats CacheStats) sizedCacheCollector {
	return sizedCacheCollector{
		requests: prometheus.NewDesc("newsdesk_"+name+"_cache_requests_total", requestsHelp, []string{"result"}, nil),
		bytes:    prometheus.NewDesc("newsdesk_"+name+"_cache_bytes", bytesHelp, nil, nil),
		stats:    stats,
	}
}

func (c sizedCacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.requests
	ch <- c.bytes
}

func (c sizedCacheCollector) Collect(ch chan<- prometheus.Metric) {
	hits, misses, bytes := c.stats()
	ch <- prometheus.MustNewConstMetric(c.requests, prometheus.CounterValue, float64(hits), "hit")
	ch <- prometheus.MustNewConstMetric(c.requests, prometheus.CounterValue, float64(misses), "miss")
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(bytes))
}
