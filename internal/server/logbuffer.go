package server

import (
	"io"
	"sync"
	"time"
)

// LogBuffer gathers whole log records (each Write is one, as slog's
// handlers make them) and writes them out together: every interval, when
// 64 KiB have gathered, on Flush and on Close. One write a batch instead of
// one a request: under load the access log cost a system call per request,
// a third of a cached answer's time. A batch holds whole records only, so
// lines written meanwhile straight to the same file (errors) never land
// inside one.
type LogBuffer struct {
	mu         sync.Mutex // guards buf and spare
	buf, spare []byte
	// wmu writes one batch at a time, in order; records keep gathering
	// while a batch is written, so a slow log pipe holds no request up.
	wmu sync.Mutex
	w   io.Writer

	stop chan struct{}
	done chan struct{}
}

// logBatch is the size at which a batch is written at once.
const logBatch = 64 << 10

// NewLogBuffer returns a LogBuffer writing to w at least every interval.
// Close it to write the rest and stop its timer.
func NewLogBuffer(w io.Writer, interval time.Duration) *LogBuffer {
	b := &LogBuffer{w: w, buf: make([]byte, 0, logBatch), spare: make([]byte, 0, logBatch), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write adds one record.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= logBatch
	b.mu.Unlock()
	if full {
		if err := b.Flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what has gathered. A failed batch is dropped, not retried
// forever.
func (b *LogBuffer) Flush() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	batch := b.buf
	b.buf, b.spare = b.spare[:0], nil
	b.mu.Unlock()
	var err error
	if len(batch) > 0 {
		_, err = b.w.Write(batch)
	}
	b.mu.Lock()
	b.spare = batch[:0]
	b.mu.Unlock()
	return err
}

// Close stops the timer and writes the rest.
func (b *LogBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}
