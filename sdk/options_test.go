package sdk_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// TestCallPollingFillsDefaults: WithCallPolling with only MaxWait set takes
// the other fields from DefaultPollOptions instead of failing at call time.
func TestCallPollingFillsDefaults(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusCompleted))
	_, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"},
		sdk.WithCallPolling(sdk.PollOptions{MaxWait: 5 * time.Second}))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityStatusCompleted, act.Status)

	// A MaxWait shorter than the default first delay ends the wait at once.
	h = newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusPending, gen.ActivityStatusPending))
	start := time.Now()
	_, _, err = h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"},
		sdk.WithCallPolling(sdk.PollOptions{MaxWait: 50 * time.Millisecond}))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestPollAndRetryOptionsFillDefaults(t *testing.T) {
	key := newHarness(t, nil).key
	for name, opt := range map[string]sdk.Option{
		"poll MaxWait only":         sdk.WithPolling(sdk.PollOptions{MaxWait: time.Second}),
		"poll InitialDelay only":    sdk.WithPolling(sdk.PollOptions{InitialDelay: 5 * time.Second}), // MaxDelay follows it up
		"poll zero":                 sdk.WithPolling(sdk.PollOptions{}),
		"retry MaxAttempts only":    sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 2}),
		"retry InitialBackoff only": sdk.WithRetry(sdk.RetryOptions{InitialBackoff: 10 * time.Second}),
		"retry zero":                sdk.WithRetry(sdk.RetryOptions{}),
	} {
		_, err := sdk.New(sdk.WithStamper(key), opt)
		assert.NoError(t, err, name)
	}
	for name, opt := range map[string]sdk.Option{
		"negative MaxWait":     sdk.WithPolling(sdk.PollOptions{MaxWait: -time.Second}),
		"MaxDelay below":       sdk.WithPolling(sdk.PollOptions{InitialDelay: time.Second, MaxDelay: time.Millisecond}),
		"negative MaxAttempts": sdk.WithRetry(sdk.RetryOptions{MaxAttempts: -1}),
		"negative RetryAfter":  sdk.WithRetry(sdk.RetryOptions{MaxRetryAfter: -time.Second}),
	} {
		_, err := sdk.New(sdk.WithStamper(key), opt)
		assert.Error(t, err, name)
	}
}

func TestCallRetryFillsDefaults(t *testing.T) {
	h := newHarness(t, func(n int, r recorded) reply {
		if n == 1 {
			return reply{Status: 503, Body: map[string]any{"code": 14, "message": "unavailable"}}
		}
		return reply{Body: whoamiBody}
	})
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{},
		sdk.WithCallRetry(sdk.RetryOptions{InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	require.NoError(t, err, "MaxAttempts 0 is the default 4, not an error")
	assert.Len(t, h.requests(), 2)
}
