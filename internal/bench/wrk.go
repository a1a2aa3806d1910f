package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The load generators.
const (
	ClientVegeta = "vegeta" // github.com/tsenart/vegeta as a library, in this process
	ClientWrk    = "wrk"    // wrk (github.com/wg/wrk), a C program, where installed
)

// pickClient resolves "auto" (or ""): wrk where it is installed, vegeta
// otherwise.
func pickClient(name string) (string, error) {
	switch name {
	case "", "auto":
		if _, err := exec.LookPath("wrk"); err == nil {
			return ClientWrk, nil
		}
		return ClientVegeta, nil
	case ClientVegeta:
		return name, nil
	case ClientWrk:
		if _, err := exec.LookPath("wrk"); err != nil {
			return "", fmt.Errorf("bench: --client wrk, but wrk is not installed (apt install wrk)")
		}
		return name, nil
	}
	return "", fmt.Errorf("bench: unknown client %q (auto, vegeta or wrk)", name)
}

// wrkRequests is how many different requests a wrk run cycles through:
// the workload's first ones, enough to cover its working set as vegeta
// does (the mixed workload takes a new article every ten requests from
// 2,000).
const wrkRequests = 20000

// attackWrk runs one workload with wrk: its requests go into a Lua script
// that wrk's threads cycle through, each from its own place, and the
// script's done hook prints the numbers. Errors are what wrk counts: 4xx
// and 5xx answers and socket errors (vegeta's count is every answer but
// 200; the workloads expect 200 only, and get no redirects). Of a target's
// headers only a body's JSON type is sent (no workload sets others). wrk spends a fraction of what
// vegeta does on each request, so on a machine that also runs the server
// more of the CPU goes to the server, and the ratios measure it rather
// than the client.
func attackWrk(ctx context.Context, w workload, conns int, d time.Duration, dir string) (Result, error) {
	r := Result{Name: w.name, Floor: w.floor}
	var script strings.Builder
	script.WriteString("local raw = {\n")
	var base *url.URL
	for i := range uint64(wrkRequests) {
		t := w.next(i + 1)
		u, err := url.Parse(t.URL)
		if err != nil {
			return r, err
		}
		if base == nil {
			base = &url.URL{Scheme: u.Scheme, Host: u.Host}
		}
		script.WriteString("{" + luaString(t.Method) + "," + luaString(u.RequestURI()) + "," + luaString(string(t.Body)) + "},\n")
	}
	script.WriteString(wrkScript)
	path := filepath.Join(dir, "workload.lua")
	if err := os.WriteFile(path, []byte(script.String()), 0o600); err != nil {
		return r, err
	}
	threads := min(conns, runtime.NumCPU())
	secs := int(wrkDuration(d) / time.Second)
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", strconv.Itoa(secs)+"s", "--timeout", "10s", "-s", path, base.String())
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("bench: wrk: %w: %s", err, stderr.Bytes())
	}
	for line := range strings.Lines(out.String()) {
		var requests, status, socket, micros, p50, p95, p99 int64
		if n, _ := fmt.Sscanf(line, "NDRESULT %d %d %d %d %d %d %d", &requests, &micros, &p50, &p95, &p99, &status, &socket); n == 7 && micros > 0 {
			r.Throughput = float64(requests-status) / (float64(micros) / 1e6)
			r.P50, r.P95, r.P99 = time.Duration(p50)*time.Microsecond, time.Duration(p95)*time.Microsecond, time.Duration(p99)*time.Microsecond
			r.Errors = uint64(status + socket)
			return r, nil
		}
	}
	return r, fmt.Errorf("bench: wrk printed no result: %s%s", out.Bytes(), stderr.Bytes())
}

// wrkScript follows the requests in the script: each thread formats them
// once, starts at its own offset and answers each request() with the next;
// done prints requests, duration (µs), p50, p95, p99 (µs), error statuses
// (4xx and 5xx) and socket errors.
const wrkScript = `}
local threads = 0
function setup(thread)
  thread:set("first", threads * 997)
  threads = threads + 1
end
function init(args)
  reqs = {}
  for i, r in ipairs(raw) do
    local h = {["Accept-Encoding"] = "identity"}
    local body = nil
    if r[3] ~= "" then
      h["Content-Type"] = "application/json"
      body = r[3]
    end
    reqs[i] = wrk.format(r[1], r[2], h, body)
  end
  n = first or 0
end
function request()
  n = n + 1
  return reqs[(n % #reqs) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("NDRESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
`

// luaString quotes s for Lua: every byte outside printable ASCII, the
// quote and the backslash as a decimal escape.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			fmt.Fprintf(&b, "\\%03d", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// wrkDuration is how long wrk runs when asked for d: whole seconds, one at
// least.
func wrkDuration(d time.Duration) time.Duration {
	return max(d.Round(time.Second), time.Second)
}
