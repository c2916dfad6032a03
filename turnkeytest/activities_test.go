package turnkeytest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func TestConsensusApprove(t *testing.T) {
	s := newServer(t, WithRootQuorum(2, 1))
	root := s.Root()
	c := newClient(t, s)
	second := newClient(t, s, sdk.WithStamper(root.QuorumKeys[0]))
	ctx := testContext(t)

	_, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "guarded", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	var ae *sdk.ActivityError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, act.Fingerprint, ae.Fingerprint)
	require.Equal(t, gen.ActivityStatusConsensusNeeded, act.Status)
	require.Len(t, act.Votes, 1, "the submitter's approval counts")
	require.Equal(t, root.UserID, act.Votes[0].UserID)
	require.Equal(t, gen.VoteSelectionApproved, act.Votes[0].Selection)
	require.False(t, act.CanApprove, "the submitter has voted")

	// Nothing happened yet.
	wallets, err := c.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Empty(t, wallets.Wallets)

	// The second root user sees that it may vote, and approves.
	seen, err := second.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	require.True(t, seen.Activity.CanApprove)
	require.True(t, seen.Activity.CanReject)
	approval, err := second.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, approval.Status)

	done, err := c.WaitForActivity(ctx, act.ID)
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.Len(t, done.Votes, 2)
	require.NotNil(t, done.Result.CreateWalletResult)
	require.Len(t, done.Result.CreateWalletResult.Addresses, 1)
	wallets, err = c.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Len(t, wallets.Wallets, 1)

	// A second approval comes too late.
	_, err = newClient(t, s, sdk.WithStamper(root.QuorumKeys[0]), later()).ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
}

func TestConsensusReject(t *testing.T) {
	s := newServer(t, WithRootQuorum(2, 1))
	c := newClient(t, s)
	second := newClient(t, s, sdk.WithStamper(s.Root().QuorumKeys[0]))
	ctx := testContext(t)

	_, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "nope", Accounts: []gen.WalletAccountParams{}})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	_, err = second.RejectActivity(ctx, gen.RejectActivityIntent{Fingerprint: act.Fingerprint})
	require.NoError(t, err)
	final, err := c.WaitForActivity(ctx, act.ID)
	require.ErrorIs(t, err, sdk.ErrActivityRejected)
	require.Equal(t, gen.ActivityStatusRejected, final.Status)
	require.Equal(t, gen.VoteSelectionRejected, final.Votes[1].Selection)
	wallets, err := c.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Empty(t, wallets.Wallets)

	// The submitter cannot vote twice; unknown fingerprints fail.
	_, act, err = c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "again", Accounts: []gen.WalletAccountParams{}})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	_, err = c.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "already voted")
	_, err = second.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: "00"})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)

	// WaitThroughConsensus keeps polling until the other root user approves.
	approved := make(chan error, 1)
	go func() {
		for range 200 {
			page, err := second.ListActivities(ctx, gen.ListActivitiesRequest{FilterByStatus: &[]gen.ActivityStatus{gen.ActivityStatusConsensusNeeded}})
			if err != nil {
				approved <- err
				return
			}
			for _, a := range page.Activities {
				if a.Intent.CreateWalletIntent != nil && a.Intent.CreateWalletIntent.WalletName == "patient" {
					_, err := second.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: a.Fingerprint})
					approved <- err
					return
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		approved <- errors.New("never saw the activity")
	}()
	res, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "patient", Accounts: []gen.WalletAccountParams{}}, sdk.WaitThroughConsensus())
	require.NoError(t, err)
	require.NotEmpty(t, res.WalletID)
	require.NoError(t, <-approved)
}

func TestRootQuorumUpdate(t *testing.T) {
	s := newServer(t, WithRootQuorum(1, 1))
	root := s.Root()
	c := newClient(t, s)
	ctx := testContext(t)
	_, _, err := c.UpdateRootQuorum(ctx, gen.UpdateRootQuorumIntent{Threshold: 2, UserIds: []string{root.UserID, root.QuorumUserIDs[0]}})
	require.NoError(t, err)
	_, _, err = c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "p", Effect: gen.EffectAllow})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	_, _, err = c.UpdateRootQuorum(ctx, gen.UpdateRootQuorumIntent{Threshold: 3, UserIds: []string{root.UserID}})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}

// An identical body (same bytes) returns the same activity, however it is
// stamped, and the work is done once.
func TestIdenticalBodySameActivity(t *testing.T) {
	s := newServer(t)
	root := s.Root()
	body := submitBody(t, "ACTIVITY_TYPE_CREATE_WALLET", root.OrganizationID, time.Now(),
		gen.CreateWalletIntent{WalletName: "once", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	const path = "/public/v1/submit/create_wallet"

	var acts [2]gen.ActivityResponse
	for i := range acts {
		code, out := post(t, s, path, body, root.APIKey) // a fresh ECDSA stamp each time
		require.Equal(t, http.StatusOK, code, string(out))
		require.NoError(t, json.Unmarshal(out, &acts[i]))
	}
	require.Equal(t, acts[0].Activity.ID, acts[1].Activity.ID)
	require.Equal(t, acts[0].Activity.Result, acts[1].Activity.Result)
	require.Equal(t, gen.ActivityStatusCompleted, acts[0].Activity.Status)
	// The fingerprint is Turnkey's: "sha256:" and the hex SHA-256 of the
	// exact bytes sent.
	sum := sha256.Sum256(body)
	require.Equal(t, "sha256:"+hex.EncodeToString(sum[:]), acts[0].Activity.Fingerprint)

	st := s.Stats()
	require.Equal(t, 1, st.ActivitiesCreated)
	require.Equal(t, 1, st.DuplicatesAvoided)
	wallets, err := newClient(t, s).ListWallets(testContext(t), gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Len(t, wallets.Wallets, 1)

	// One more byte is another request.
	code, _ := post(t, s, path, append(body, ' '), root.APIKey)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 2, s.Stats().ActivitiesCreated)
}

func TestActivityDelay(t *testing.T) {
	const delay = 150 * time.Millisecond
	s := newServer(t, WithActivityDelay(delay))
	c := newClient(t, s)
	ctx := testContext(t)

	start := time.Now()
	res, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "later", Accounts: []gen.WalletAccountParams{}}, sdk.NoWait())
	require.NoError(t, err)
	require.Nil(t, res)
	require.Equal(t, gen.ActivityStatusCreated, act.Status)

	got, err := c.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	if time.Since(start) < delay {
		require.Equal(t, gen.ActivityStatusPending, got.Activity.Status)
		wallets, err := c.ListWallets(ctx, gen.ListWalletsRequest{})
		require.NoError(t, err)
		if time.Since(start) < delay {
			require.Empty(t, wallets.Wallets, "the work happens when the activity completes")
		}
	}

	done, err := c.WaitForActivity(ctx, act.ID)
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.GreaterOrEqual(t, time.Since(start), delay)

	// A waiting submit returns the result after the delay.
	res, act, err = c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "waited", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	require.NotEmpty(t, res.WalletID)
	require.Equal(t, gen.ActivityStatusCompleted, act.Status)
}

func TestListActivities(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	for _, name := range []string{"a", "b", "c"} {
		_, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: name, Accounts: []gen.WalletAccountParams{}})
		require.NoError(t, err)
	}
	_, _, err := c.UpdateWallet(ctx, gen.UpdateWalletIntent{WalletID: "missing", WalletName: ptr("x")})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	var ae *sdk.ActivityError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, codeNotFound, ae.Code)

	all, err := c.ListActivities(ctx, gen.ListActivitiesRequest{})
	require.NoError(t, err)
	require.Len(t, all.Activities, 4)
	require.Equal(t, gen.ActivityStatusFailed, all.Activities[0].Status, "newest first")

	wallets, err := c.ListActivities(ctx, gen.ListActivitiesRequest{FilterByType: &[]gen.ActivityType{"ACTIVITY_TYPE_CREATE_WALLET"},
		PaginationOptions: &gen.Pagination{Limit: ptr("2")}})
	require.NoError(t, err)
	require.Len(t, wallets.Activities, 2)
	require.Equal(t, "c", wallets.Activities[0].Intent.CreateWalletIntent.WalletName)
	next, err := c.ListActivities(ctx, gen.ListActivitiesRequest{FilterByType: &[]gen.ActivityType{"ACTIVITY_TYPE_CREATE_WALLET"},
		PaginationOptions: &gen.Pagination{Limit: ptr("2"), After: &wallets.Activities[1].ID}})
	require.NoError(t, err)
	require.Len(t, next.Activities, 1)
	require.Equal(t, "a", next.Activities[0].Intent.CreateWalletIntent.WalletName)

	failed, err := c.ListActivities(ctx, gen.ListActivitiesRequest{FilterByStatus: &[]gen.ActivityStatus{gen.ActivityStatusFailed}})
	require.NoError(t, err)
	require.Len(t, failed.Activities, 1)

	_, err = c.GetActivity(ctx, gen.GetActivityRequest{ActivityID: "missing"})
	require.ErrorIs(t, err, sdk.ErrNotFound)
}

// Consensus and delays together: the approval itself waits for its delay,
// then releases the approved activity.
func TestConsensusWithActivityDelay(t *testing.T) {
	s := newServer(t, WithRootQuorum(2, 1), WithActivityDelay(30*time.Millisecond))
	c := newClient(t, s)
	second := newClient(t, s, sdk.WithStamper(s.Root().QuorumKeys[0]))
	ctx := testContext(t)
	_, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "slow and guarded", Accounts: []gen.WalletAccountParams{}})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	approval, err := second.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint}, sdk.NoWait())
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCreated, approval.Status)
	// Until the approval completes, the activity still needs consensus.
	done, err := c.WaitForActivity(ctx, act.ID, sdk.WaitThroughConsensus())
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.NotNil(t, done.Result.CreateWalletResult)
}

// Queued activities complete in creation order, each exactly once.
func TestTickRunsEachActivityOnce(t *testing.T) {
	st := newState()
	o := st.newOrg("o", "", time.Now())
	runs := map[int]int{}
	var order []int
	now := time.Now()
	for i := range 5 {
		a := &activity{seq: st.nextSeq(), status: gen.ActivityStatusCreated, readyAt: now.Add(time.Duration(i%2) * time.Hour),
			base: gen.Activity{OrganizationID: o.id}}
		a.run = func(st *state, now time.Time) (any, error) {
			runs[i]++
			order = append(order, i)
			st.tick(now) // re-entrant, as an approval's release is
			return nil, nil
		}
		st.pending = append(st.pending, a)
	}
	st.tick(now)
	require.Equal(t, []int{0, 2, 4}, order)
	require.Len(t, st.pending, 2)
	require.Equal(t, gen.ActivityStatusPending, st.pending[0].status)
	st.tick(now.Add(2 * time.Hour))
	require.Equal(t, []int{0, 2, 4, 1, 3}, order)
	require.Equal(t, map[int]int{0: 1, 1: 1, 2: 1, 3: 1, 4: 1}, runs)
	require.Empty(t, st.pending)
}
