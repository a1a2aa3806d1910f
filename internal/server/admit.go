package server

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"golang.org/x/sync/semaphore"
)

// admission lets at most a fixed number of anonymous requests work at once
// and has the rest wait their turn in the order they came (a
// semaphore.Weighted serves its waiters first come, first served, and
// lets no newcomer pass them).
//
// Without it every request starts at once and they share the cores and
// the database's connections, which database/sql hands to a waiter picked
// at random: at 32 connections on two cores a category page waited behind
// 31 others one time and behind none the next, and its p99 was 5 to 8
// times its mean. serve lets one a core work (GOMAXPROCS): with more,
// the admitted requests wait again, for a P, in the Go scheduler's order,
// which runs the goroutine readied last first (see DESIGN.md, Turns).
// Requests with a key (editors' writes, partners' feeds) do not queue:
// they are few, budgeted by the rate limiter, and a write spends its time
// on the disk.
//
// The answers are buffered by the caching middleware outside, so a slow
// client never holds a turn.
type admission struct {
	sem     *semaphore.Weighted
	timeout time.Duration
	refuse  func(w http.ResponseWriter, r *http.Request)

	running, queued atomic.Int64
	timeouts        atomic.Uint64
}

func newAdmission(n int, timeout time.Duration, refuse func(http.ResponseWriter, *http.Request)) *admission {
	return &admission{sem: semaphore.NewWeighted(int64(n)), timeout: timeout, refuse: refuse}
}

// wrap queues next's anonymous requests. One that waits longer than the
// timeout (or past its deadline) is answered 503 with Retry-After: the
// server is saturated, and a client (or a CDN) retrying later does better
// than one waiting on.
func (a *admission) wrap(next http.Handler) http.Handler { return queued{a, next} }

// queued is a handler behind the queue.
type queued struct {
	a    *admission
	next http.Handler
}

func (q queued) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if news.PrincipalFrom(r.Context()) != nil {
		q.next.ServeHTTP(w, r)
		return
	}
	a := q.a
	if !a.sem.TryAcquire(1) {
		if err := a.wait(r.Context()); err != nil {
			a.timeouts.Add(1)
			a.refuse(w, r)
			return
		}
	}
	a.running.Add(1)
	defer func() {
		a.running.Add(-1)
		a.sem.Release(1)
	}()
	q.next.ServeHTTP(w, r)
}

// Handler shows route the routes of the handler behind (the REST API's
// and the feeds' own muxes), as if the queue were not there.
func (q queued) Handler(r *http.Request) (http.Handler, string) {
	if rt, ok := q.next.(router); ok {
		return rt.Handler(r)
	}
	return q.next, ""
}

// wait waits for a turn, at most the timeout.
func (a *admission) wait(ctx context.Context) error {
	a.queued.Add(1)
	defer a.queued.Add(-1)
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	return a.sem.Acquire(ctx, 1)
}

// busy answers a request whose turn did not come in time: 503 with
// Retry-After: 1, as a GraphQL error on /graphql.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	s.refuse(w, r, http.StatusServiceUnavailable, news.EUNAVAILABLE, "the server is busy; retry in 1s")
}
