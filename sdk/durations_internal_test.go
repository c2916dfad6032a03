package sdk

import (
	"math"
	"testing"
	"time"
)

func TestParseRetryAfterRange(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		" 3 ":                           3 * time.Second,
		"-5":                            0,
		"soon":                          0,
		"9223372036":                    9223372036 * time.Second,
		"9223372037":                    math.MaxInt64,
		"99999999999999999999":          math.MaxInt64,
		"Thu, 01 Jan 2026 00:00:10 GMT": 10 * time.Second,
		"Wed, 31 Dec 2025 00:00:00 GMT": 0,
		"Fri, 31 Dec 9999 23:59:59 GMT": math.MaxInt64, // Sub saturates
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBackoffNeverOverflows(t *testing.T) {
	for _, max := range []time.Duration{5 * time.Second, math.MaxInt64 / 3, math.MaxInt64} {
		for n := range 80 {
			if d := capped(200*time.Millisecond, max, n); d <= 0 || d > max {
				t.Fatalf("capped(200ms, %v, %d) = %v", max, n, d)
			}
		}
	}
	r := RetryOptions{MaxAttempts: 100, InitialBackoff: time.Second, MaxBackoff: math.MaxInt64}
	for attempt := 1; attempt < 100; attempt++ {
		if d := r.backoff(attempt); d <= 0 {
			t.Fatalf("backoff(%d) = %v", attempt, d)
		}
	}
	if d := doubled(math.MaxInt64/2+1, math.MaxInt64); d != math.MaxInt64 {
		t.Errorf("doubled near the top = %v", d)
	}
}
