package sdk

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryOptions says how failed attempts are retried. Network errors, 429 and
// 5xx (but 501) are retried; other answers never are. A submit is resent with
// its byte-identical body, so Turnkey answers with the same activity.
type RetryOptions struct {
	// MaxAttempts counts the first attempt: 1 turns retries off.
	MaxAttempts int
	// InitialBackoff is the delay before the second attempt; each further
	// delay doubles, up to MaxBackoff. Delays are jittered.
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for; an
	// answer asking for longer is returned as the error.
	MaxRetryAfter time.Duration
}

// DefaultRetryOptions returns the default retries: 4 attempts, 200ms doubling
// to 5s, Retry-After up to 30s.
func DefaultRetryOptions() RetryOptions {
	return RetryOptions{MaxAttempts: 4, InitialBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second, MaxRetryAfter: 30 * time.Second}
}

func (r RetryOptions) validate() error {
	switch {
	case r.MaxAttempts < 1:
		return errors.New("sdk: RetryOptions.MaxAttempts must be at least 1")
	case r.MaxAttempts > 1 && r.InitialBackoff <= 0:
		return errors.New("sdk: RetryOptions.InitialBackoff must be positive")
	case r.MaxBackoff < r.InitialBackoff:
		return errors.New("sdk: RetryOptions.MaxBackoff must not be below InitialBackoff")
	case r.MaxRetryAfter < 0:
		return errors.New("sdk: RetryOptions.MaxRetryAfter must not be negative")
	}
	return nil
}

// backoff is the jittered delay after the given failed attempt (1-based).
func (r RetryOptions) backoff(attempt int) time.Duration {
	return jitter(capped(r.InitialBackoff, r.MaxBackoff, attempt-1))
}

// capped returns initial * 2^n, at most max.
func capped(initial, max time.Duration, n int) time.Duration {
	d := initial
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// jitter returns a delay in [d/2, d).
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)))
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
