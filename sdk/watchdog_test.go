package sdk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
)

// stallFirst is a server whose first request stalls (before its headers,
// or after them with the body cut short) until the test ends, and whose
// later requests are answered; it records every request's body and stamp.
type stallFirst struct {
	mu      sync.Mutex
	bodies  [][]byte
	stamps  []string
	release chan struct{}
}

func newStallFirst(t *testing.T, afterHeaders bool) (*stallFirst, *httptest.Server) {
	s := &stallFirst{release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.stamps = append(s.stamps, r.Header.Get(stamp.Header))
		first := len(s.bodies) == 1
		s.mu.Unlock()
		const answer = `{"organizationId":"o","organizationName":"n","userId":"u","username":"x"}`
		if first {
			if afterHeaders {
				w.Header().Set("Content-Length", "1000")
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte(answer[:10]))
				w.(http.Flusher).Flush()
			}
			select {
			case <-s.release:
			case <-r.Context().Done():
			}
			return
		}
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(func() { close(s.release); srv.Close() })
	return s, srv
}

// attemptClient is a client New builds, its attempt timeouts shortened.
func attemptClient(t *testing.T, url string, total, headers time.Duration) *Client {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	c, err := New(WithBaseURL(url), WithStamper(key), WithOrganizationID("o"),
		WithRetry(RetryOptions{MaxAttempts: 3, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	require.NoError(t, err)
	require.NotNil(t, c.watchdog, "New's own client is watched")
	wd := newWatchdog(total, headers)
	c.watchdog = func() *watchdog { return wd }
	return c
}

// An attempt that never answers is cut off at the response-header timeout
// and retried, with the same bytes and a fresh stamp.
func TestAttemptWithoutAnswerIsCutOffAndRetried(t *testing.T) {
	s, srv := newStallFirst(t, false)
	c := attemptClient(t, srv.URL, 5*time.Second, 150*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	got, err := c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.Equal(t, "u", got.UserID)
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, 150*time.Millisecond, "the first attempt waited its header timeout")
	assert.Less(t, elapsed, 4*time.Second, "cut off long before the whole-attempt timeout")
	s.mu.Lock()
	defer s.mu.Unlock()
	require.GreaterOrEqual(t, len(s.bodies), 2, "the cut-off attempt was retried")
	for i := 1; i < len(s.bodies); i++ {
		assert.Equal(t, s.bodies[0], s.bodies[i], "a retry resends identical bytes")
		assert.NotEqual(t, s.stamps[i-1], s.stamps[i], "each attempt is stamped afresh")
	}
}

// An attempt whose answer stops halfway is cut off at the whole-attempt
// timeout and retried (no header timeout here, so that only the whole
// attempt's can cut it off).
func TestAttemptWithStalledBodyIsCutOffAndRetried(t *testing.T) {
	s, srv := newStallFirst(t, true)
	c := attemptClient(t, srv.URL, 200*time.Millisecond, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "the headers came in time; the whole attempt timed out")
	s.mu.Lock()
	defer s.mu.Unlock()
	require.GreaterOrEqual(t, len(s.bodies), 2, "the cut-off attempt was retried")
	assert.True(t, bytes.Equal(s.bodies[0], s.bodies[1]))
}

// Without retries, the cut-off attempt is a *TransportError that says it
// timed out (errors.Is context.DeadlineExceeded, as for http.Client.Timeout),
// while the call's own context is still alive.
func TestAttemptTimeoutError(t *testing.T) {
	_, srv := newStallFirst(t, false)
	c := attemptClient(t, srv.URL, 5*time.Second, 100*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.Whoami(ctx, gen.WhoamiRequest{}, WithCallRetry(RetryOptions{MaxAttempts: 1}))
	var tErr *TransportError
	require.ErrorAs(t, err, &tErr)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "no response headers within 100ms")
	assert.NoError(t, ctx.Err())
	var timeout interface{ Timeout() bool }
	require.True(t, errors.As(err, &timeout))
	assert.True(t, timeout.Timeout())
}

// The watchdog stops once nothing is in flight, and starts again.
func TestWatchdogStopsWhenIdle(t *testing.T) {
	wd := newWatchdog(time.Second, 0) // ticks every 10 ms
	_, w := wd.begin(context.Background())
	wd.end(w)
	require.Eventually(t, func() bool {
		wd.mu.Lock()
		defer wd.mu.Unlock()
		return !wd.running
	}, 5*time.Second, 5*time.Millisecond)
	ctx, w := wd.begin(context.Background())
	wd.mu.Lock()
	assert.True(t, wd.running)
	wd.mu.Unlock()
	wd.end(w)
	assert.ErrorIs(t, ctx.Err(), context.Canceled, "an ended attempt's context is released")
}
