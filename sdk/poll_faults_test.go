package sdk_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// TestPollWaitsThroughRetryableErrors: failed polls that may succeed later
// (429, 500, 502, 503) do not end the wait, even when each one is a single
// attempt with no retries left.
func TestPollWaitsThroughRetryableErrors(t *testing.T) {
	statuses := []int{429, 500, 502, 503, 500, 429}
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == submitPath {
			return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
		}
		polls := n - 1
		if polls <= len(statuses) {
			return reply{Status: statuses[polls-1], Body: map[string]any{"code": 14, "message": "try later"}}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	res, act, err := h.client(sdk.WithoutRetries()).CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.NoError(t, err)
	assert.Equal(t, "w-1", res.WalletID)
	assert.Equal(t, gen.ActivityStatusCompleted, act.Status)
	assert.Equal(t, len(statuses)+1, countPaths(h.requests(), pollPath))
}

// TestPollWaitsThroughTransportErrors: a poll whose connection is dropped is
// polled again.
func TestPollWaitsThroughTransportErrors(t *testing.T) {
	h := newHarness(t, nil)
	var drops atomic.Int32
	h.handle = func(n int, r recorded) reply {
		if r.Path == submitPath {
			return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	}
	inner := h.srv.Config.Handler
	h.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pollPath && drops.Add(1) <= 3 {
			panic(http.ErrAbortHandler) // closes the connection unanswered
		}
		inner.ServeHTTP(w, r)
	})
	res, _, err := h.client(sdk.WithoutRetries()).CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.NoError(t, err)
	assert.Equal(t, "w-1", res.WalletID)
	assert.Equal(t, int32(4), drops.Load(), "three dropped polls, then one answered")
}

// TestPollRetryAfterTooLongEndsTheWait: a poll asking for a Retry-After above
// MaxRetryAfter ends the wait with that error.
func TestPollRetryAfterTooLongEndsTheWait(t *testing.T) {
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == submitPath {
			return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
		}
		return reply{Status: 429, Header: map[string]string{"Retry-After": "9223372037"}, Body: map[string]any{"code": 8, "message": "slow down"}}
	})
	start := time.Now()
	_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrRateLimited)
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, 1, countPaths(h.requests(), pollPath))
}

// TestWaitErrorHoldsLastActivityAndLastError: a wait that runs out while
// polls fail reports the last activity seen, and both the deadline and the
// last poll error are reachable.
func TestWaitErrorHoldsLastActivityAndLastError(t *testing.T) {
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == submitPath {
			return reply{Body: activity("act-1", gen.ActivityStatusCreated, nil)}
		}
		if n == 2 {
			return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
		}
		return reply{Status: 503, Body: map[string]any{"code": 14, "message": "unavailable"}}
	})
	c := h.client(sdk.WithPolling(sdk.PollOptions{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 100 * time.Millisecond}))
	_, _, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, sdk.ErrServer)
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)
	require.NotNil(t, we.Activity)
	assert.Equal(t, gen.ActivityStatusPending, we.Activity.Status, "the last activity seen, not the first")
	var apiErr *sdk.APIError
	require.ErrorAs(t, we.LastErr, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "last poll")
}

// TestSubmitErrorResumeResendsIdenticalBytes: a submit whose every attempt
// fails carries the fingerprint of its exact body; Resume resends exactly
// those bytes and waits.
func TestSubmitErrorResumeResendsIdenticalBytes(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == submitPath && fail.Load() {
			return reply{Status: 503, Body: map[string]any{"code": 14, "message": "unavailable"}}
		}
		if r.Path == submitPath {
			return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	_, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrServer)
	assert.Nil(t, act)
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "create_wallet", se.Operation)
	assert.Empty(t, se.ActivityID)
	assert.Equal(t, "1700000000000", se.TimestampMs)
	reqs := h.requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, fingerprint(reqs[0].Body), se.Fingerprint)
	assert.Equal(t, reqs[0].Body, se.RequestBody())

	fail.Store(false)
	done, err := se.Resume(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityStatusCompleted, done.Status)
	assert.Equal(t, "w-1", done.Result.CreateWalletResult.WalletID)
	for _, r := range h.requests() {
		if r.Path == submitPath {
			assert.Equal(t, reqs[0].Body, r.Body, "every submit sends the same bytes")
		}
	}
}

// TestSubmitErrorResumePollsAKnownActivity: after a wait ran out, Resume polls
// the known activity instead of resending.
func TestSubmitErrorResumePollsAKnownActivity(t *testing.T) {
	var ready atomic.Bool
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == pollPath && ready.Load() {
			return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
	})
	c := h.client(sdk.WithPolling(sdk.PollOptions{InitialDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxWait: 30 * time.Millisecond}))
	_, _, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "act-1", se.ActivityID)
	assert.True(t, strings.HasPrefix(se.Fingerprint, "sha256:"))
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)

	ready.Store(true)
	done, err := se.Resume(ctxT(t))
	require.NoError(t, err)
	assert.Equal(t, "w-1", done.Result.CreateWalletResult.WalletID)
	assert.Equal(t, 1, countPaths(h.requests(), submitPath), "resuming a known activity does not resend")
}

// TestRefusedSubmitIsABareAPIError: a 400 is a definite answer (no activity
// was created), so it is an *APIError, not a *SubmitError.
func TestRefusedSubmitIsABareAPIError(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Status: 400, Body: map[string]any{"code": 3, "message": "bad"}}
	})
	_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
	_, bare := err.(*sdk.APIError)
	assert.True(t, bare, "got %T", err)
	var se *sdk.SubmitError
	assert.False(t, errors.As(err, &se))
	assert.Len(t, h.requests(), 1)
}

// TestSubmitErrorWrapsExhaustedTransportErrors: a submit whose every attempt
// lost its connection is a *SubmitError wrapping the *TransportError.
func TestSubmitErrorWrapsExhaustedTransportErrors(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{} })
	h.srv.Config.Handler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)
	var te *sdk.TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), se.Fingerprint)
}

func fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// TestSubmitRetryAfterTooLargeForADuration: a Retry-After that overflows a
// time.Duration is longer than MaxRetryAfter, so the 429 is returned at once
// rather than retried after the normal backoff.
func TestSubmitRetryAfterTooLargeForADuration(t *testing.T) {
	for _, ra := range []string{"9223372037", "99999999999999999999999"} {
		t.Run(ra, func(t *testing.T) {
			h := newHarness(t, func(int, recorded) reply {
				return reply{Status: 429, Header: map[string]string{"Retry-After": ra}, Body: map[string]any{"code": 8, "message": "slow down"}}
			})
			_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
			require.ErrorIs(t, err, sdk.ErrRateLimited)
			var apiErr *sdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Greater(t, apiErr.RetryAfter, 100*365*24*time.Hour)
			assert.Len(t, h.requests(), 1, "not retried")
		})
	}
}
