// Package ratelimit limits requests per API key, or per client IP for
// anonymous requests, with token buckets (golang.org/x/time/rate). A REST,
// feed or health request costs one point; a GraphQL operation also pays for
// its query cost (Charge), so a few huge queries cannot cost the same as as
// many small ones. Every answer carries X-RateLimit-Limit, -Remaining and
// -Reset; a refused one is a 429 with Retry-After.
package ratelimit

import (
	"context"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/newsdesk/newsdesk/internal/news"
	"golang.org/x/time/rate"
)

// Budget is what one client may spend: PerMinute points a minute, up to
// Burst at once.
type Budget struct {
	PerMinute int
	Burst     int
}

// DefaultBudgets are the budgets by role; "" is an anonymous client (per
// IP). A category page over GraphQL costs about ten points.
var DefaultBudgets = map[news.Role]Budget{
	"":               {PerMinute: 1200, Burst: 600},
	news.RoleReader:  {PerMinute: 3000, Burst: 1500},
	news.RolePartner: {PerMinute: 6000, Burst: 3000},
	news.RoleEditor:  {PerMinute: 12000, Burst: 6000},
	news.RoleAdmin:   {PerMinute: 12000, Burst: 6000},
}

// Limiter holds a bucket per client.
type Limiter struct {
	budgets map[news.Role]Budget
	buckets *lru.Cache[string, *rate.Limiter]
	trusted []netip.Prefix
	now     func() time.Time
	// OnRefuse, when set, hears of every refusal (metrics).
	OnRefuse func(role news.Role)
}

// maxClients bounds the buckets kept; the least recently seen go first
// (a forgotten client starts again with a full bucket).
const maxClients = 100_000

// New returns a limiter with budgets (nil: DefaultBudgets). Requests from
// a trusted proxy are attributed to the client address it forwards in
// X-Forwarded-For.
func New(budgets map[news.Role]Budget, trusted []netip.Prefix) *Limiter {
	if budgets == nil {
		budgets = DefaultBudgets
	}
	c, _ := lru.New[string, *rate.Limiter](maxClients) // size > 0 never fails
	return &Limiter{budgets: budgets, buckets: c, trusted: trusted, now: time.Now}
}

// ParsePrefixes reads a comma-separated list of CIDR prefixes or addresses.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ClientIP is the address a request comes from: the connection's peer, or,
// when that is a trusted proxy, the last X-Forwarded-For address that is
// not one.
func (l *Limiter) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !l.isTrusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !l.isTrusted(a) {
			return a.String()
		}
	}
	return host
}

func (l *Limiter) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range l.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// bucket returns the client's bucket, made with budget b on first sight.
func (l *Limiter) bucket(client string, b Budget) *rate.Limiter {
	if lim, ok := l.buckets.Get(client); ok {
		return lim
	}
	lim := rate.NewLimiter(rate.Limit(float64(b.PerMinute)/60), b.Burst)
	if prev, ok, _ := l.buckets.PeekOrAdd(client, lim); ok {
		return prev
	}
	return lim
}

// account is one request's dealings with its client's bucket.
type account struct {
	l      *Limiter
	role   news.Role
	budget Budget
	lim    *rate.Limiter
	mu     sync.Mutex
	// refused is set when a charge failed: the answer becomes a 429.
	refused bool
	wait    time.Duration
}

type ctxKey struct{}

// take spends n points now, or refuses and notes how long to wait.
func (a *account) take(n int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.l.now()
	if n > a.budget.Burst {
		n = a.budget.Burst // a single request may empty the bucket, not more
	}
	if a.lim.AllowN(now, n) {
		return true
	}
	a.refused = true
	missing := float64(n) - a.lim.TokensAt(now)
	a.wait = time.Duration(math.Ceil(missing/float64(a.lim.Limit()))) * time.Second
	if a.l.OnRefuse != nil {
		a.l.OnRefuse(a.role)
	}
	return false
}

// headers sets the X-RateLimit headers, and Retry-After when refused.
func (a *account) headers(h http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.l.now()
	tokens := max(a.lim.TokensAt(now), 0)
	reset := math.Ceil((float64(a.budget.Burst) - tokens) / float64(a.lim.Limit()))
	h.Set("X-RateLimit-Limit", strconv.Itoa(a.budget.PerMinute))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(int(tokens)))
	h.Set("X-RateLimit-Reset", strconv.Itoa(int(reset)))
	if a.refused {
		h.Set("Retry-After", strconv.Itoa(max(int(a.wait.Seconds()), 1)))
	}
}

// Middleware charges every request one point against its client's bucket
// (the key's, else the IP's), refusing with 429 when it is empty. It must
// run after authentication.
func (l *Limiter) Middleware(refuse func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &account{l: l}
		client := ""
		if p := news.PrincipalFrom(r.Context()); p != nil {
			a.role, client = p.Role, "key:"+strconv.FormatInt(p.KeyID, 10)
		} else {
			client = "ip:" + l.ClientIP(r)
		}
		a.budget = l.budgets[a.role]
		a.lim = l.bucket(client, a.budget)
		if !a.take(1) {
			a.headers(w.Header())
			refuse(w, r, a.wait)
			return
		}
		next.ServeHTTP(&writer{ResponseWriter: w, a: a}, r.WithContext(context.WithValue(r.Context(), ctxKey{}, a)))
	})
}

// Charge spends n more points of the request's budget (a GraphQL
// operation's cost). Refused, it returns a RATE_LIMITED error and the
// answer's status becomes 429. Without the middleware it is free.
func Charge(ctx context.Context, n int) error {
	a, ok := ctx.Value(ctxKey{}).(*account)
	if !ok || n <= 0 || a.take(n) {
		return nil
	}
	return news.Errorf(news.ERATELIMITED, "rate limit: this operation costs %d points; retry in %s", n, a.wait)
}

// writer adds the headers as the answer starts.
type writer struct {
	http.ResponseWriter
	a           *account
	wroteHeader bool
}

func (w *writer) WriteHeader(status int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		w.a.headers(w.Header())
		if w.a.refused {
			status = http.StatusTooManyRequests
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *writer) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Share returns each of budgets divided among n replicas (rounded up, at
// least 1): when n replicas each enforce their share, a client spread over
// all of them gets at most the whole budget, and never more, without the
// replicas sharing a counter.
func Share(budgets map[news.Role]Budget, n int) map[news.Role]Budget {
	if n <= 1 {
		return budgets
	}
	out := make(map[news.Role]Budget, len(budgets))
	for role, b := range budgets {
		out[role] = Budget{PerMinute: max((b.PerMinute+n-1)/n, 1), Burst: max((b.Burst+n-1)/n, 1)}
	}
	return out
}
