package sdk_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/internal/faultproxy"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// faultRates is more than 20 % faults of the five kinds. Slow answers are
// capped at maxSlow, so that they all come early in the run: each one holds
// a worker for a whole attempt timeout (sdk.DefaultTimeout).
var faultRates = faultproxy.Rates{
	faultproxy.Refuse500:    0.07,
	faultproxy.RateLimit429: 0.03,
	faultproxy.ForwardDrop:  0.065,
	faultproxy.Forward503:   0.065,
	faultproxy.ForwardSlow:  0.01,
}

const maxSlow = 4

// faultSetup starts a simulator whose activities stay pending for a while
// (so that they complete only after polling), a fault proxy in front of it,
// and a client with the DEFAULT options that talks through the proxy.
func faultSetup(t *testing.T, cfg faultproxy.Config) (*turnkeytest.Server, *faultproxy.Proxy, *sdk.Client) {
	t.Helper()
	srv, err := turnkeytest.NewServer(turnkeytest.WithActivityDelay(30 * time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	proxy, err := faultproxy.Start(srv.URL, cfg)
	require.NoError(t, err)
	t.Cleanup(proxy.Close)
	root := srv.Root()
	c, err := sdk.New(sdk.WithBaseURL(proxy.URL), sdk.WithStamper(root.APIKey), sdk.WithOrganizationID(root.OrganizationID))
	require.NoError(t, err)
	return srv, proxy, c
}

// TestFaultsThroughProxy: 1,000 submits through one default client, more
// than a fifth of all requests faulted: no call returns an error, no
// activity is duplicated and none is lost.
func TestFaultsThroughProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection takes about half a minute")
	}
	const n, workers = 1000, 128
	srv, proxy, c := faultSetup(t, faultproxy.Config{Seed: 9, Rates: faultRates,
		SlowDelay:  sdk.DefaultTimeout + 5*time.Second, // held past the client's attempt timeout
		MaxPerKind: map[faultproxy.Kind]int{faultproxy.ForwardSlow: maxSlow}})
	before := srv.Stats().ActivitiesCreated

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				res, _, err := c.CreatePrivateKeyTag(ctx, gen.CreatePrivateKeyTagIntent{PrivateKeyTagName: tagName(i), PrivateKeyIds: []string{}})
				errs[i] = err
				if err == nil {
					ids[i] = res.PrivateKeyTagID
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()

	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if failed <= 5 {
				t.Errorf("submit %d: %v", i, err)
			}
		}
	}
	assert.Zero(t, failed, "calls that returned an error")

	// The simulator's state, read without the proxy.
	direct, err := srv.Client()
	require.NoError(t, err)
	tags, err := direct.ListPrivateKeyTags(ctx, gen.ListPrivateKeyTagsRequest{})
	require.NoError(t, err)
	byName := map[string][]string{}
	for _, tag := range tags.PrivateKeyTags {
		byName[tag.TagName] = append(byName[tag.TagName], tag.TagID)
	}
	lost, dup := 0, 0
	for i := range n {
		got := byName[tagName(i)]
		switch {
		case len(got) == 0:
			lost++
		case len(got) > 1:
			dup++
		case ids[i] != "" && got[0] != ids[i]:
			t.Errorf("submit %d returned tag %s, the simulator holds %s", i, ids[i], got[0])
		}
	}
	assert.Zero(t, lost, "activities lost")
	assert.Zero(t, dup, "activities duplicated")
	assert.Len(t, tags.PrivateKeyTags, n)
	assert.Equal(t, n, srv.Stats().ActivitiesCreated-before, "one activity per submit")

	st := proxy.Stats()
	faults := 0
	for _, k := range faultproxy.Kinds {
		assert.Positive(t, st.Faults[k], "faults of kind %s", k)
		faults += st.Faults[k]
	}
	assert.GreaterOrEqual(t, float64(faults)/float64(st.Requests), 0.20, "fault share: %d of %d requests", faults, st.Requests)
	t.Logf("%d requests, %d faults %v; simulator: %+v", st.Requests, faults, st.Faults, srv.Stats())
}

func tagName(i int) string { return fmt.Sprintf("tag-%04d", i) }

// TestEverySubmitAttemptApplied503: every attempt of a submit reaches the
// simulator but is answered 503. The caller follows the documented recovery
// (SubmitError.Resume, once the outage is over) and ends with exactly one
// activity.
func TestEverySubmitAttemptApplied503(t *testing.T) {
	srv, proxy, c := faultSetup(t, faultproxy.Config{Seed: 1, Rates: faultproxy.Rates{faultproxy.Forward503: 1},
		Only: func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/submit/") }})
	before := srv.Stats().ActivitiesCreated
	ctx := ctxT(t)

	// Fast retries keep the test short; the default ones behave the same.
	retry := sdk.RetryOptions{MaxAttempts: 4, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxRetryAfter: time.Second}
	_, act, err := c.CreatePrivateKeyTag(ctx, gen.CreatePrivateKeyTagIntent{PrivateKeyTagName: "once", PrivateKeyIds: []string{}}, sdk.WithCallRetry(retry))
	require.Error(t, err)
	assert.Nil(t, act)
	require.ErrorIs(t, err, sdk.ErrServer)
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)
	attempts := proxy.Stats().Faults[faultproxy.Forward503]
	assert.Equal(t, retry.MaxAttempts, attempts, "every attempt was sent")
	assert.Equal(t, 1, srv.Stats().ActivitiesCreated-before, "all attempts were the same activity")

	// The outage ends; the caller resumes instead of calling again.
	require.NoError(t, proxy.SetRates(nil))
	done, err := se.Resume(ctx)
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.NotNil(t, done.Result.CreatePrivateKeyTagResult)
	assert.True(t, strings.HasSuffix(se.Fingerprint, strings.TrimPrefix(done.Fingerprint, "sha256:")), "the error's fingerprint is the activity's")

	direct, err := srv.Client()
	require.NoError(t, err)
	tags, err := direct.ListPrivateKeyTags(ctx, gen.ListPrivateKeyTagsRequest{})
	require.NoError(t, err)
	require.Len(t, tags.PrivateKeyTags, 1)
	assert.Equal(t, done.Result.CreatePrivateKeyTagResult.PrivateKeyTagID, tags.PrivateKeyTags[0].TagID)
	assert.Equal(t, 1, srv.Stats().ActivitiesCreated-before, "exactly one activity")
}

// TestResumeSessionAfterLostAnswers: CreateReadWriteSession whose every
// attempt was applied but answered 503 resumes into the session of that one
// activity, decrypted with the target key the first call made.
func TestResumeSessionAfterLostAnswers(t *testing.T) {
	srv, proxy, c := faultSetup(t, faultproxy.Config{Seed: 1, Rates: faultproxy.Rates{faultproxy.Forward503: 1},
		Only: func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/submit/") }})
	before := srv.Stats().ActivitiesCreated
	ctx := ctxT(t)
	retry := sdk.RetryOptions{MaxAttempts: 3, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	_, err := c.CreateReadWriteSession(ctx, gen.CreateReadWriteSessionIntentV2{}, sdk.WithCallRetry(retry))
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)

	// Still failing: a new SubmitError, still resumable as a session.
	_, err = se.ResumeSession(ctx)
	var again *sdk.SubmitError
	require.ErrorAs(t, err, &again)

	require.NoError(t, proxy.SetRates(nil))
	s, err := again.ResumeSession(ctx)
	require.NoError(t, err)
	who, err := s.Client.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.Equal(t, s.UserID, who.UserID)
	assert.Equal(t, 1, srv.Stats().ActivitiesCreated-before, "exactly one session activity")

	_, err = (&sdk.SubmitError{}).ResumeSession(ctx)
	assert.ErrorContains(t, err, "not returned by CreateReadWriteSession")
}

// TestResumeExportAfterLostAnswers: an ExportWallet whose every attempt was
// applied but answered 503 resumes into the decrypted mnemonic of that one
// activity.
func TestResumeExportAfterLostAnswers(t *testing.T) {
	srv, proxy, _ := faultSetup(t, faultproxy.Config{Seed: 1, Rates: faultproxy.Rates{faultproxy.Forward503: 1},
		Only: func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/submit/export_wallet") }})
	ctx := ctxT(t)
	root := srv.Root()
	c, err := sdk.New(sdk.WithBaseURL(proxy.URL), sdk.WithStamper(root.APIKey), sdk.WithOrganizationID(root.OrganizationID),
		sdk.WithEnclaveSigner(srv.EnclaveSignerPublicKey()),
		sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 2, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}))
	require.NoError(t, err)
	w, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	before := srv.Stats().ActivitiesCreated

	_, _, err = c.ExportWallet(ctx, gen.ExportWalletIntent{WalletID: w.WalletID})
	var se *sdk.SubmitError
	require.ErrorAs(t, err, &se)
	require.NoError(t, proxy.SetRates(nil))
	exp, act, err := se.ResumeExport(ctx)
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityStatusCompleted, act.Status)
	assert.Len(t, strings.Fields(exp.Mnemonic()), 12)
	assert.Equal(t, 1, srv.Stats().ActivitiesCreated-before, "exactly one export activity")

	_, _, err = (&sdk.SubmitError{}).ResumeExport(ctx)
	assert.ErrorContains(t, err, "not returned by an Export method")
}
