package turnkeytest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Faults makes the server misbehave on purpose, to test that a client
// retries safely. For every request one fault at most is drawn, with the
// given probabilities (whose sum must not exceed 1), from a math/rand/v2
// generator seeded with Seed, in the order requests arrive: the n-th request
// meets the same fault on every run. With concurrent clients, which request
// arrives n-th may vary, but how many faults of each kind N requests meet
// does not.
//
// A fault never corrupts the state:
//
//   - ServerError and RateLimit answer before the request is looked at: a
//     submit that meets one was not applied, and the client may resend it.
//   - Drop runs the request, then closes the connection without answering:
//     a submit that meets one WAS applied, and resending the identical body
//     returns the same activity (counted in Stats.DuplicatesAvoided) instead
//     of executing it again. This is the failure idempotency exists for.
//   - Slow waits SlowDelay, then runs the request normally.
type Faults struct {
	// Seed seeds the generator that draws the faults.
	Seed int64
	// ServerErrorRate answers HTTP 500 with code 13.
	ServerErrorRate float64
	// RateLimitRate answers HTTP 429 with code 8 and, when RetryAfter is at
	// least a second, a Retry-After header of RetryAfter in whole seconds,
	// rounded up. Shorter RetryAfter values send no header, leaving the
	// delay to the client's backoff, so that tests stay fast.
	RateLimitRate float64
	// DropRate runs the request and closes the connection unanswered.
	DropRate float64
	// SlowRate waits SlowDelay before running the request.
	SlowRate float64
	// RetryAfter is the delay a rate-limited answer asks for.
	RetryAfter time.Duration
	// SlowDelay is the wait of a slow request (default 100ms).
	SlowDelay time.Duration
	// MaxFaults stops injecting after that many faults; 0 means no limit.
	MaxFaults int
}

// FaultKind names a kind of injected fault, in Stats.Faults.
type FaultKind string

// The kinds of faults.
const (
	FaultServerError FaultKind = "server_error"
	FaultRateLimit   FaultKind = "rate_limit"
	FaultDrop        FaultKind = "drop"
	FaultSlow        FaultKind = "slow"
)

const defaultSlowDelay = 100 * time.Millisecond

func (f Faults) validate() error {
	rates := []struct {
		name string
		v    float64
	}{{"ServerErrorRate", f.ServerErrorRate}, {"RateLimitRate", f.RateLimitRate}, {"DropRate", f.DropRate}, {"SlowRate", f.SlowRate}}
	sum := 0.0
	for _, r := range rates {
		if math.IsNaN(r.v) || r.v < 0 || r.v > 1 {
			return fmt.Errorf("turnkeytest: Faults.%s %v must be between 0 and 1", r.name, r.v)
		}
		sum += r.v
	}
	switch {
	case sum > 1+1e-9:
		return fmt.Errorf("turnkeytest: Faults rates add up to %v, more than 1", sum)
	case f.RetryAfter < 0 || f.SlowDelay < 0:
		return fmt.Errorf("turnkeytest: Faults.RetryAfter and SlowDelay must not be negative")
	case f.MaxFaults < 0:
		return fmt.Errorf("turnkeytest: Faults.MaxFaults must not be negative")
	}
	return nil
}

func (f Faults) enabled() bool {
	return f.ServerErrorRate+f.RateLimitRate+f.DropRate+f.SlowRate > 0
}

// faultInjector draws the faults, one per request, in arrival order.
type faultInjector struct {
	cfg      Faults
	mu       sync.Mutex
	rng      *rand.Rand
	injected int
}

func newFaultInjector(f Faults) *faultInjector {
	if !f.enabled() {
		return nil
	}
	if f.SlowDelay == 0 {
		f.SlowDelay = defaultSlowDelay
	}
	seed := uint64(f.Seed)
	return &faultInjector{cfg: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// draw returns the fault for the next request, or "".
func (fi *faultInjector) draw() FaultKind {
	if fi == nil {
		return ""
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	if fi.cfg.MaxFaults > 0 && fi.injected >= fi.cfg.MaxFaults {
		return ""
	}
	x := fi.rng.Float64()
	var kind FaultKind
	for _, c := range []struct {
		kind FaultKind
		rate float64
	}{
		{FaultServerError, fi.cfg.ServerErrorRate},
		{FaultRateLimit, fi.cfg.RateLimitRate},
		{FaultDrop, fi.cfg.DropRate},
		{FaultSlow, fi.cfg.SlowRate},
	} {
		if x < c.rate {
			kind = c.kind
			break
		}
		x -= c.rate
	}
	if kind != "" {
		fi.injected++
	}
	return kind
}

// answerFault answers a ServerError or RateLimit fault.
func (fi *faultInjector) answerFault(w http.ResponseWriter, kind FaultKind) {
	switch kind {
	case FaultServerError:
		writeError(w, newRPCError(http.StatusInternalServerError, codeInternal, "injected fault: internal server error"))
	case FaultRateLimit:
		if ra := fi.cfg.RetryAfter; ra >= time.Second {
			secs := int64((ra + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		writeError(w, newRPCError(http.StatusTooManyRequests, codeResourceExhausted, "injected fault: rate limited"))
	}
}

// bufferedWriter holds a response back, so that a Drop fault can throw it
// away after the request ran.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}} }

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// drop closes the client's connection without an answer. It hijacks the
// connection when it can (HTTP/1.x), and otherwise aborts the handler, which
// makes net/http reset the stream or close the connection.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
