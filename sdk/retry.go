package sdk

import (
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
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
	// answer asking for longer (including absurd values such as
	// "9223372037", which do not fit a time.Duration) is returned as the
	// error at once, not retried after the normal backoff. Polling honours
	// it the same way.
	MaxRetryAfter time.Duration
}

// DefaultRetryOptions returns the default retries: 10 attempts, 200ms
// doubling to 5s (about 13 to 26 s of backoff in all), Retry-After up to 30s.
// Retrying is safe, since a submit resends its byte-identical body, and
// generous: with 4 attempts a network failing one request in five ended
// about two submits in a thousand with an error although their activity
// completed.
func DefaultRetryOptions() RetryOptions {
	return RetryOptions{MaxAttempts: 10, InitialBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second, MaxRetryAfter: 30 * time.Second}
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

// capped returns initial * 2^n, at most max, without overflowing however
// large max is.
func capped(initial, max time.Duration, n int) time.Duration {
	d := initial
	for i := 0; i < n && d < max; i++ {
		d = doubled(d, max)
	}
	return min(d, max)
}

// doubled returns 2d, at most max (for positive d and max), without
// overflowing.
func doubled(d, max time.Duration) time.Duration {
	if d > max/2 {
		return max
	}
	return 2 * d
}

// jitter returns a delay in [d/2, d).
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)))
}

// maxRetryAfterSeconds is the longest Retry-After, in seconds, that a
// time.Duration holds; longer ones are read as the longest Duration.
const maxRetryAfterSeconds = math.MaxInt64 / int64(time.Second)

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// Values too large for a time.Duration (about 292 years) are clamped to the
// longest Duration, so they always exceed MaxRetryAfter and are returned as
// the error, never retried early. A malformed or negative value reads as 0
// (absent), leaving the delay to the backoff.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case s < 0:
			return 0
		case s > maxRetryAfterSeconds:
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 { // Sub saturates instead of overflowing
			return d
		}
	}
	return 0
}
