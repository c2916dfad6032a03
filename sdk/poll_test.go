package sdk_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

const submitPath = "/public/v1/submit/create_wallet"
const pollPath = "/public/v1/query/get_activity"

var walletResult = map[string]any{"createWalletResult": map[string]any{"walletId": "w-1", "addresses": []string{"0xabc"}}}

// sequence answers the submit with the first status and each poll with the
// next one, repeating the last.
func sequence(statuses ...gen.ActivityStatus) func(int, recorded) reply {
	return func(n int, r recorded) reply {
		s := statuses[min(n-1, len(statuses)-1)]
		var res map[string]any
		if s == gen.ActivityStatusCompleted {
			res = walletResult
		}
		return reply{Body: activity("act-1", s, res)}
	}
}

func countPaths(reqs []recorded, path string) int {
	n := 0
	for _, r := range reqs {
		if r.Path == path {
			n++
		}
	}
	return n
}

func TestPollPendingToCompleted(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusCreated, gen.ActivityStatusPending, gen.ActivityStatusPending, gen.ActivityStatusCompleted))
	res, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.NoError(t, err)
	assert.Equal(t, "w-1", res.WalletID)
	assert.Equal(t, gen.ActivityStatusCompleted, act.Status)
	reqs := h.requests()
	assert.Equal(t, 1, countPaths(reqs, submitPath))
	assert.Equal(t, 3, countPaths(reqs, pollPath))
	poll := decode(t, reqs[1].Body)
	assert.Equal(t, "act-1", poll["activityId"])
	assert.Equal(t, testOrg, poll["organizationId"])
}

func TestPollFailed(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusFailed))
	res, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	assert.Nil(t, res)
	require.NotNil(t, act)
	var ae *sdk.ActivityError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, sdk.ErrActivityFailed)
	assert.NotErrorIs(t, err, sdk.ErrConsensusNeeded)
	assert.Equal(t, "act-1", ae.ActivityID)
	assert.Equal(t, gen.ActivityStatusFailed, ae.Status)
	assert.Equal(t, "fp-act-1", ae.Fingerprint)
	assert.Equal(t, 9, ae.Code)
	assert.Equal(t, "wallet name taken", ae.Message)
	assert.Contains(t, err.Error(), "wallet name taken")
}

func TestPollRejected(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusRejected))
	_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	assert.ErrorIs(t, err, sdk.ErrActivityRejected)
	assert.NotErrorIs(t, err, sdk.ErrActivityFailed)
}

func TestConsensusNeededReturnsAtOnce(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusConsensusNeeded, gen.ActivityStatusCompleted))
	_, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	var ae *sdk.ActivityError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "fp-act-1", ae.Fingerprint)
	assert.Equal(t, gen.ActivityStatusConsensusNeeded, act.Status)
	assert.Equal(t, 1, countPaths(h.requests(), pollPath), "no polling past consensus")
}

func TestWaitThroughConsensus(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending, gen.ActivityStatusConsensusNeeded, gen.ActivityStatusConsensusNeeded, gen.ActivityStatusCompleted))
	res, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"}, sdk.WaitThroughConsensus())
	require.NoError(t, err)
	assert.Equal(t, "w-1", res.WalletID)
	assert.Equal(t, 3, countPaths(h.requests(), pollPath))
}

func TestMaxWait(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusPending))
	c := h.client(sdk.WithPolling(sdk.PollOptions{InitialDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxWait: 50 * time.Millisecond}))
	_, act, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "act-1", we.ActivityID)
	require.NotNil(t, we.Activity)
	assert.Equal(t, gen.ActivityStatusPending, we.Activity.Status)
	assert.Equal(t, act, we.Activity)
	assert.Greater(t, countPaths(h.requests(), pollPath), 1)
}

func TestContextCancelStopsPolling(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := newHarness(t, func(n int, r recorded) reply {
		if n == 3 {
			cancel()
		}
		return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
	})
	_, _, err := h.client().CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, context.Canceled)
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)
	assert.LessOrEqual(t, len(h.requests()), 4)
}

func TestPollErrorIsNotRetriedUntilTimeout(t *testing.T) {
	h := newHarness(t, func(n int, r recorded) reply {
		if r.Path == pollPath {
			return reply{Status: 403, Body: map[string]any{"code": 7, "message": "policy denied", "details": []any{}}}
		}
		return reply{Body: activity("act-1", gen.ActivityStatusPending, nil)}
	})
	_, _, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrPermissionDenied)
	var we *sdk.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "act-1", we.ActivityID)
	var apiErr *sdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 403, apiErr.StatusCode)
	assert.Equal(t, 1, countPaths(h.requests(), pollPath), "a 403 ends the wait at once")
}

func TestNoWaitThenWaitForActivity(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusCreated, gen.ActivityStatusPending, gen.ActivityStatusCompleted))
	c := h.client()
	res, act, err := c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"}, sdk.NoWait())
	require.NoError(t, err)
	assert.Nil(t, res, "no result before completion")
	assert.Equal(t, gen.ActivityStatusCreated, act.Status)
	assert.Len(t, h.requests(), 1)

	done, err := c.WaitForActivity(ctxT(t), act.ID)
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.NotNil(t, done.Result.CreateWalletResult)
	assert.Equal(t, "w-1", done.Result.CreateWalletResult.WalletID)
}

func TestCompletedWithoutResult(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, map[string]any{"otherResult": map[string]any{}})}
	})
	_, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	require.ErrorIs(t, err, sdk.ErrMissingResult)
	assert.NotNil(t, act)
}

func TestPollOptionsValidated(t *testing.T) {
	for name, p := range map[string]sdk.PollOptions{
		"negative max wait": {InitialDelay: time.Millisecond, MaxDelay: time.Second, MaxWait: -time.Second},
		"negative delay":    {InitialDelay: -time.Millisecond, MaxDelay: time.Second, MaxWait: time.Second},
		"cap below min":     {InitialDelay: time.Second, MaxDelay: time.Millisecond, MaxWait: time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sdk.New(sdk.WithStamper(newHarness(t, nil).key), sdk.WithPolling(p))
			assert.Error(t, err)
		})
	}
}

func TestNoWaitStillReportsAFinalFailure(t *testing.T) {
	h := newHarness(t, sequence(gen.ActivityStatusFailed))
	_, act, err := h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"}, sdk.NoWait())
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	assert.Equal(t, gen.ActivityStatusFailed, act.Status)
	assert.Len(t, h.requests(), 1)
}
