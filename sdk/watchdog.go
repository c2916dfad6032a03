package sdk

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// The attempt timeouts of the *http.Client New builds (its Timeout and its
// transport's ResponseHeaderTimeout) are enforced by the client itself, by a
// watchdog, instead of a timer per attempt: two timers per call (http.Client's
// deadline and the transport's response-header timer) cost more on a short
// round trip than the rest of the client's own work put together. The
// watchdog is one goroutine per Client that looks at the attempts in flight a
// hundred times per timeout (at most every 10 ms, at least every second) and
// cancels those past their deadline; it runs only while the client is in use
// and stops after a tick without any attempt.

// watchdog cuts off the attempts that outlive their deadlines.
type watchdog struct {
	total   time.Duration // an attempt's whole length (http.Client.Timeout)
	headers time.Duration // until its answer's headers (ResponseHeaderTimeout); 0: none
	tick    time.Duration

	mu      sync.Mutex
	live    map[*watch]struct{}
	running bool // the goroutine is looking
	used    bool // an attempt started since the last tick
}

// watch is one attempt in flight.
type watch struct {
	start   time.Time
	cancel  context.CancelCauseFunc
	headers atomic.Bool // the answer's headers arrived
}

func newWatchdog(total, headers time.Duration) *watchdog {
	shortest := total
	if headers > 0 && headers < shortest {
		shortest = headers
	}
	tick := min(max(shortest/100, 10*time.Millisecond), time.Second)
	return &watchdog{total: total, headers: headers, tick: tick, live: map[*watch]struct{}{}}
}

// attemptTimeoutError is what a cut-off attempt's request fails with.
type attemptTimeoutError struct {
	what  string
	after time.Duration
}

func (e *attemptTimeoutError) Error() string {
	return "attempt timed out: no " + e.what + " within " + e.after.String()
}

// Timeout reports true, as net.Error does for a timeout.
func (e *attemptTimeoutError) Timeout() bool { return true }

// Is makes errors.Is(err, context.DeadlineExceeded) true, as it is for
// http.Client.Timeout.
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// begin returns the context of an attempt made under ctx and its watch. The
// attempt is not watched (nil watch) when ctx ends before any of its
// deadlines anyway.
func (d *watchdog) begin(ctx context.Context) (context.Context, *watch) {
	now := time.Now()
	if dl, ok := ctx.Deadline(); ok && dl.Sub(now) <= min(d.total, d.headersOr(d.total)) {
		return ctx, nil
	}
	actx, cancel := context.WithCancelCause(ctx)
	w := &watch{start: now, cancel: cancel}
	d.mu.Lock()
	d.live[w] = struct{}{}
	d.used = true
	if !d.running {
		d.running = true
		go d.run()
	}
	d.mu.Unlock()
	return actx, w
}

func (d *watchdog) headersOr(def time.Duration) time.Duration {
	if d.headers > 0 {
		return d.headers
	}
	return def
}

// end ends the watch of an attempt and releases its context. It may be
// called more than once, and on a nil watch.
func (d *watchdog) end(w *watch) {
	if w == nil {
		return
	}
	d.mu.Lock()
	delete(d.live, w)
	d.mu.Unlock()
	w.cancel(context.Canceled)
}

// gotHeaders records that the attempt's answer has begun.
func (w *watch) gotHeaders() {
	if w != nil {
		w.headers.Store(true)
	}
}

func (d *watchdog) run() {
	t := time.NewTicker(d.tick)
	defer t.Stop()
	for now := range t.C {
		d.mu.Lock()
		if len(d.live) == 0 && !d.used {
			d.running = false
			d.mu.Unlock()
			return
		}
		d.used = false
		for w := range d.live {
			age := now.Sub(w.start)
			switch {
			case age >= d.total:
				w.cancel(&attemptTimeoutError{"complete answer", d.total})
				delete(d.live, w)
			case d.headers > 0 && age >= d.headers && !w.headers.Load():
				w.cancel(&attemptTimeoutError{"response headers", d.headers})
				delete(d.live, w)
			}
		}
		d.mu.Unlock()
	}
}
