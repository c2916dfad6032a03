package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutcomeRules(t *testing.T) {
	allowAdmins := MustCompile(Policy{ID: "p-allow", Name: "two admins", Effect: EffectAllow,
		Consensus: "approvers.filter(u, u.tags.contains('admin')).count() >= 2",
		Condition: "activity.resource == 'USER'"})
	denyDelete := MustCompile(Policy{ID: "p-deny", Effect: EffectDeny, Condition: "activity.action == 'DELETE'"})
	users := []Candidate{
		{User: User{ID: "a1", Tags: []string{"admin"}}},
		{User: User{ID: "a2", Tags: []string{"admin"}}},
		{User: User{ID: "bob"}},
	}
	policies := []*Compiled{allowAdmins, denyDelete}
	create := Activity{Type: "ACTIVITY_TYPE_CREATE_USERS_V3"}

	// One admin: waiting, and the other admin may approve (not bob).
	d, err := Evaluate(policies, Input{Activity: create, Approvers: []User{users[0].User}, Users: users})
	require.NoError(t, err)
	assert.False(t, d.Allowed())
	assert.True(t, d.Waiting, d.Reason)
	require.Len(t, d.Pending, 1)
	assert.Equal(t, []string{"a2"}, d.Pending[0].MayApprove)
	assert.Contains(t, d.Reason, "may approve: a2")

	// Both: allowed, by the policy.
	d, err = Evaluate(policies, Input{Activity: create, Approvers: []User{users[0].User, users[1].User}, Users: users})
	require.NoError(t, err)
	assert.True(t, d.Allowed())
	assert.Contains(t, d.Reason, `allowed by "two admins" (p-allow)`)

	// bob alone: his approval does not count, so nothing to wait for.
	d, err = Evaluate(policies, Input{Activity: create, Approvers: []User{users[2].User}, Users: users})
	require.NoError(t, err)
	assert.False(t, d.Waiting)
	assert.Contains(t, d.Reason, "implicit deny")

	// Explicit deny wins over an allow.
	del := Activity{Type: "ACTIVITY_TYPE_DELETE_USERS"}
	d, err = Evaluate(policies, Input{Activity: del, Approvers: []User{users[0].User, users[1].User}})
	require.NoError(t, err)
	assert.False(t, d.Allowed())
	assert.True(t, d.Explicit)
	assert.Equal(t, []Outcome{OutcomeAllow, OutcomeDenyExplicit}, []Outcome{d.Evaluations[0].Outcome, d.Evaluations[1].Outcome})

	// The root quorum wins over the deny.
	q := &Quorum{Threshold: 2, UserIDs: []string{"a1", "a2"}}
	d, err = Evaluate(policies, Input{Activity: del, Approvers: []User{users[0].User, users[1].User}, RootQuorum: q})
	require.NoError(t, err)
	assert.True(t, d.Allowed())
	assert.True(t, d.RootQuorum)
	// One root user of two: waiting for the quorum.
	d, err = Evaluate(policies, Input{Activity: del, Approvers: []User{users[0].User}, RootQuorum: q})
	require.NoError(t, err)
	assert.True(t, d.Waiting)
	assert.Equal(t, []string{"a2"}, d.RootPending)
}

func TestErroringPolicyNeitherAllowsNorDenies(t *testing.T) {
	deny := MustCompile(Policy{ID: "d", Effect: EffectDeny, Condition: "solana.tx.transfers.any(t, t.to == 'bad')"})
	allow := MustCompile(Policy{ID: "a", Effect: EffectAllow, Condition: "wallet.id == 'w' || private_key.id == 'k'"})
	d, err := Evaluate([]*Compiled{deny, allow}, Input{Activity: Activity{Type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"}, Wallet: &Wallet{ID: "w"}})
	require.NoError(t, err)
	assert.False(t, d.Allowed())
	assert.Equal(t, OutcomeError, d.Evaluations[0].Outcome)
	assert.Equal(t, OutcomeError, d.Evaluations[1].Outcome)
	assert.Contains(t, d.Evaluations[1].Error, "private_key is not part of this activity")
	assert.Error(t, d.Evaluations[1].Err())
}

// The example, at the policy level: only user X may sign with
// wallet W, only to address A.
func TestOnlyXWithWalletToAddress(t *testing.T) {
	p := MustCompile(Policy{ID: "treasury", Effect: EffectAllow,
		Consensus: "approvers.any(user, user.id == 'x')",
		Condition: "activity.action == 'SIGN' && wallet.id == 'W' && eth.tx.to == '0xaaaa'"})
	in := func(user, to string) Input {
		return Input{Activity: Activity{Type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2", Params: map[string]any{"type": "TRANSACTION_TYPE_ETHEREUM"}},
			Approvers: []User{{ID: user}}, Wallet: &Wallet{ID: "W"},
			Eth: &Eth{Tx: &EthereumTransaction{To: to, Data: "0x", Value: AmountOf(1), Nonce: AmountOf(0), ChainID: AmountOf(1), Type: "TYPE_2"}}}
	}
	for _, c := range []struct {
		user, to string
		ok       bool
	}{{"x", "0xaaaa", true}, {"x", "0xbbbb", false}, {"y", "0xaaaa", false}} {
		d, err := Evaluate([]*Compiled{p}, in(c.user, c.to))
		require.NoError(t, err)
		assert.Equal(t, c.ok, d.Allowed(), "%s to %s: %s", c.user, c.to, d.Reason)
	}
}

func TestConsensusThatFailsNowMayWait(t *testing.T) {
	p := MustCompile(Policy{ID: "pair", Effect: EffectAllow, Consensus: "approvers[0].id == 'a' && approvers[1].id == 'b'"})
	in := Input{Activity: Activity{Type: "ACTIVITY_TYPE_CREATE_WALLET"}, Approvers: []User{{ID: "a"}},
		Users: []Candidate{{User: User{ID: "a"}}, {User: User{ID: "b"}}}}
	d, err := Evaluate([]*Compiled{p}, in)
	require.NoError(t, err)
	assert.Equal(t, OutcomeError, d.Evaluations[0].Outcome)
	assert.True(t, d.Waiting, d.Reason)
	in.Approvers = append(in.Approvers, User{ID: "b"})
	d, err = Evaluate([]*Compiled{p}, in)
	require.NoError(t, err)
	assert.True(t, d.Allowed(), d.Reason)
}
