package turnkeytest

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// generousRetries lets a client ride out a high fault rate quickly.
func generousRetries() sdk.Option {
	return sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 20, InitialBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxRetryAfter: 2 * time.Second})
}

// createWallets creates n wallets concurrently and returns their IDs.
func createWallets(t *testing.T, c *sdk.Client, n int) []string {
	t.Helper()
	ctx := testContext(t)
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: fmt.Sprintf("wallet-%02d", i),
				Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
			if err == nil && act.Status != gen.ActivityStatusCompleted {
				err = fmt.Errorf("activity %s is %s", act.ID, act.Status)
			}
			if err == nil {
				ids[i] = res.WalletID
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "wallet %d", i)
	}
	return ids
}

// requireExactlyOnce checks that the organization holds exactly the wallets
// created, one per request: none lost, none duplicated.
func requireExactlyOnce(t *testing.T, c *sdk.Client, ids []string) {
	t.Helper()
	list, err := c.ListWallets(testContext(t), gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Len(t, list.Wallets, len(ids))
	names := map[string]bool{}
	byID := map[string]bool{}
	for _, w := range list.Wallets {
		names[w.WalletName] = true
		byID[w.WalletID] = true
	}
	require.Len(t, names, len(ids), "a wallet name appears twice")
	for _, id := range ids {
		require.True(t, byID[id], "wallet %s was lost", id)
	}
}

// 40 concurrent CreateWallet through the sdk against a server that fails
// half of all requests: every activity completes, none is lost, and none is
// executed twice. The client resends a submit's exact bytes; a request
// dropped after it ran comes back as a duplicate and gets the same activity.
func TestFaultInjectionNoLossNoDuplicates(t *testing.T) {
	const n = 40
	s := newServer(t, WithFaults(Faults{Seed: 4, ServerErrorRate: 0.2, RateLimitRate: 0.1, DropRate: 0.1, SlowRate: 0.1,
		RetryAfter: 200 * time.Millisecond, SlowDelay: 20 * time.Millisecond}))
	c := newClient(t, s, generousRetries(), sdk.WithHTTPClient(&http.Client{Timeout: 5 * time.Second}))

	start := time.Now()
	ids := createWallets(t, c, n)
	st := s.Stats()
	t.Logf("%d wallets in %v: %d requests, faults %v, %d activities, %d duplicates avoided",
		n, time.Since(start).Round(time.Millisecond), st.Requests, st.Faults, st.ActivitiesCreated, st.DuplicatesAvoided)

	require.Equal(t, n, st.ActivitiesCreated, "one activity per distinct request")
	// Requests draw faults in arrival order, so the counts depend on the seed
	// only (seed 4: 10 drops, 21 server errors, 8 rate limits, 5 slow).
	// Every request that ran and was dropped was resent, and its resend was
	// recognised; no other request reached a handler twice.
	require.Equal(t, st.Faults[FaultDrop], st.DuplicatesAvoided)
	for _, kind := range []FaultKind{FaultServerError, FaultRateLimit, FaultDrop, FaultSlow} {
		require.Positive(t, st.Faults[kind], "no %s fault was injected", kind)
	}
	require.Greater(t, st.Requests, n)
	requireExactlyOnce(t, c, ids)
}

// The same with delayed activities: the polls meet faults too.
func TestFaultInjectionWithActivityDelay(t *testing.T) {
	const n = 20
	s := newServer(t, WithActivityDelay(20*time.Millisecond), WithFaults(Faults{Seed: 11, ServerErrorRate: 0.2, RateLimitRate: 0.1,
		DropRate: 0.1, SlowRate: 0.1, SlowDelay: 10 * time.Millisecond}))
	c := newClient(t, s, generousRetries())
	ids := createWallets(t, c, n)
	st := s.Stats()
	require.Equal(t, n, st.ActivitiesCreated)
	require.LessOrEqual(t, st.DuplicatesAvoided, st.Faults[FaultDrop])
	requireExactlyOnce(t, c, ids)
}

func TestRateLimitRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		retryAfter time.Duration
		header     string
	}{{0, ""}, {900 * time.Millisecond, ""}, {time.Second, "1"}, {1500 * time.Millisecond, "2"}} {
		s := newServer(t, WithFaults(Faults{RateLimitRate: 1, RetryAfter: tc.retryAfter}))
		req, err := http.NewRequest(http.MethodPost, s.URL+"/public/v1/query/whoami", nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		require.Equal(t, tc.header, resp.Header.Get("Retry-After"), "RetryAfter %v", tc.retryAfter)
	}
}

func TestMaxFaultsAndSDKErrors(t *testing.T) {
	s := newServer(t, WithFaults(Faults{ServerErrorRate: 1, MaxFaults: 3}))
	c := newClient(t, s, sdk.WithoutRetries())
	ctx := testContext(t)
	_, err := c.Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrServer)
	apiError(t, err, http.StatusInternalServerError, codeInternal)

	// The default client's retries ride out the remaining two faults.
	_, err = newClient(t, s).Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, 3, s.Stats().Faults[FaultServerError])

	s = newServer(t, WithFaults(Faults{RateLimitRate: 1, MaxFaults: 1}))
	_, err = newClient(t, s, sdk.WithoutRetries()).Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrRateLimited)

	s = newServer(t, WithFaults(Faults{DropRate: 1, MaxFaults: 1}))
	_, err = newClient(t, s, sdk.WithoutRetries()).Whoami(ctx, gen.WhoamiRequest{})
	var te *sdk.TransportError
	require.ErrorAs(t, err, &te)
}

func TestFaultsRepeatWithTheSeed(t *testing.T) {
	draw := func(seed int64) []FaultKind {
		fi := newFaultInjector(Faults{Seed: seed, ServerErrorRate: 0.25, RateLimitRate: 0.25, DropRate: 0.25, SlowRate: 0.2})
		out := make([]FaultKind, 200)
		for i := range out {
			out[i] = fi.draw()
		}
		return out
	}
	a, b, other := draw(1), draw(1), draw(2)
	require.Equal(t, a, b)
	require.NotEqual(t, a, other)
	counts := map[FaultKind]int{}
	for _, k := range a {
		counts[k]++
	}
	require.Len(t, counts, 5, "every kind, and no fault, occur")
	require.Nil(t, newFaultInjector(Faults{}), "no rates, no injector")
}
