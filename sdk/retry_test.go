package sdk_test

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

var whoamiBody = map[string]any{"organizationId": testOrg, "organizationName": "o", "userId": "u", "username": "n"}

func failFirst(n int, status int, header map[string]string, ok any) func(int, recorded) reply {
	return func(i int, r recorded) reply {
		if i <= n {
			return reply{Status: status, Header: header, Body: map[string]any{"code": 13, "message": "try again", "details": []any{}}}
		}
		return reply{Body: ok}
	}
}

func TestRetryOn5xx(t *testing.T) {
	h := newHarness(t, failFirst(2, 503, nil, whoamiBody))
	resp, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.Equal(t, "u", resp.UserID)
	assert.Len(t, h.requests(), 3)
}

func TestRetriesExhausted(t *testing.T) {
	h := newHarness(t, failFirst(100, 500, nil, whoamiBody))
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrServer)
	assert.Len(t, h.requests(), 4, "MaxAttempts counts the first attempt")
}

func TestWithoutRetries(t *testing.T) {
	h := newHarness(t, failFirst(1, 503, nil, whoamiBody))
	_, err := h.client(sdk.WithoutRetries()).Whoami(ctxT(t), gen.WhoamiRequest{})
	require.Error(t, err)
	assert.Len(t, h.requests(), 1)
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 501} {
		h := newHarness(t, failFirst(1, status, nil, whoamiBody))
		_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
		require.Error(t, err, "status %d", status)
		assert.Len(t, h.requests(), 1, "status %d must not be retried", status)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	h := newHarness(t, failFirst(1, 429, map[string]string{"Retry-After": "1"}, whoamiBody))
	start := time.Now()
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.Len(t, h.requests(), 2)
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond, "the client waited as Retry-After asked")
}

func TestRetryAfterBeyondTheCapIsReturned(t *testing.T) {
	h := newHarness(t, failFirst(1, 429, map[string]string{"Retry-After": "120"}, whoamiBody))
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrRateLimited)
	var apiErr *sdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
	assert.Len(t, h.requests(), 1)
}

// A retried submit resends the byte-identical body (same timestampMs), each
// attempt with a stamp of its own, so Turnkey resolves it to one activity.
func TestRetriedSubmitResendsIdenticalBytes(t *testing.T) {
	var clock atomic.Int64
	clock.Store(1700000000000)
	h := newHarness(t, func(n int, r recorded) reply {
		clock.Add(1234) // the clock moves between attempts
		if n == 1 {
			return reply{Status: 502, Body: []byte("bad gateway")}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	c := h.client(sdk.WithClock(func() time.Time { return time.UnixMilli(clock.Load()) }))
	_, _, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.NoError(t, err)
	reqs := h.requests()
	require.Len(t, reqs, 2)
	assert.True(t, bytes.Equal(reqs[0].Body, reqs[1].Body), "retried submit must send identical bytes")
	assert.NotEqual(t, reqs[0].Stamp, reqs[1].Stamp, "every attempt is stamped afresh")
}

func TestRetryOnDroppedConnection(t *testing.T) {
	var drops atomic.Int32
	h := newHarness(t, nil)
	inner := h.srv.Config.Handler
	h.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if drops.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return
		}
		inner.ServeHTTP(w, r)
	})
	h.handle = func(int, recorded) reply { return reply{Body: whoamiBody} }
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.EqualValues(t, 2, drops.Load())
}

func TestTransportErrorWithoutRetries(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Close()
	_, err := h.client(sdk.WithoutRetries()).Whoami(ctxT(t), gen.WhoamiRequest{})
	var te *sdk.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "whoami", te.Operation)
}

func TestRetryOptionsValidated(t *testing.T) {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	_, err = sdk.New(sdk.WithStamper(key), sdk.WithRetry(sdk.RetryOptions{MaxAttempts: -1}))
	assert.Error(t, err)
	_, err = sdk.New(sdk.WithStamper(key), sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 3, InitialBackoff: time.Second, MaxBackoff: time.Millisecond}))
	assert.Error(t, err)
}

func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == "/public/v1/query/whoami" {
			return reply{Body: whoamiBody}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	c := h.client()
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				if _, err := c.Whoami(ctxT(t), gen.WhoamiRequest{}); err != nil {
					t.Error(err)
				}
				if _, _, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"}, sdk.WithOrganization("sub")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	assert.Len(t, h.requests(), 160)
}

// Two calls with the same parameters are two requests: their timestamps
// differ even when the clock has not moved, so Turnkey does not merge them.
func TestNewRequestsGetIncreasingTimestamps(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	c := h.client() // fixed clock
	for i := 0; i < 3; i++ {
		_, _, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
		require.NoError(t, err)
	}
	var got []any
	for _, r := range h.requests() {
		got = append(got, decode(t, r.Body)["timestampMs"])
	}
	assert.Equal(t, []any{"1700000000000", "1700000000001", "1700000000002"}, got)
}
