package sdk_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// subOrgResult is a create_sub_organization result for the harness.
var subOrgResult = map[string]any{"createSubOrganizationResultV7": map[string]any{"subOrganizationId": "sub-1", "rootUserIds": []string{"u-1"}}}

// TestNilRequiredArraysSentEmpty: nil required arrays, at any depth, go on
// the wire as [] (Turnkey rejects null), optional ones are left out, and the
// caller's request is not modified.
func TestNilRequiredArraysSentEmpty(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, subOrgResult)}
	})
	users := []gen.RootUserParamsV4{{UserName: "alice"}} // APIKeys, Authenticators, OauthProviders: nil
	intent := gen.CreateSubOrganizationIntentV7{SubOrganizationName: "tenant", RootUsers: users, RootQuorumThreshold: 1}
	_, _, err := h.client().CreateSubOrganization(ctxT(t), intent)
	require.NoError(t, err)

	body := string(h.requests()[0].Body)
	assert.NotContains(t, body, "null", body)
	for _, want := range []string{`"apiKeys":[]`, `"authenticators":[]`, `"oauthProviders":[]`} {
		assert.Contains(t, body, want)
	}
	assert.Nil(t, users[0].Authenticators, "the caller's value is not modified")
	assert.Nil(t, intent.RootUsers[0].APIKeys)
}

// TestNilTopLevelArraySentEmpty: the same for an intent's own array.
func TestNilTopLevelArraySentEmpty(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Body: activity("act-1", gen.ActivityStatusCompleted, walletResult)}
	})
	_, _, _ = h.client().CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	body := string(h.requests()[0].Body)
	assert.Contains(t, body, `"accounts":[]`)
	assert.NotContains(t, body, "null")
}

// TestRootQuorumThresholdChecked: a zero threshold is refused before
// anything is sent, with an error that names the field and the fix.
func TestRootQuorumThresholdChecked(t *testing.T) {
	h := newHarness(t, nil)
	_, _, err := h.client().CreateSubOrganization(ctxT(t), gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "tenant", RootUsers: []gen.RootUserParamsV4{{UserName: "alice"}},
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, sdk.ErrInvalidArgument)
	var re *sdk.RequestError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, "create_sub_organization", re.Operation)
	assert.Equal(t, "parameters.rootQuorumThreshold", re.Field)
	msg := err.Error()
	for _, want := range []string{"sdk: create_sub_organization: parameters.rootQuorumThreshold is 0", "at least 1", "set it to 1 for a single root user"} {
		assert.Contains(t, msg, want)
	}
	assert.Empty(t, h.requests(), "nothing was sent")

	_, _, err = h.client().UpdateRootQuorum(ctxT(t), gen.UpdateRootQuorumIntent{UserIds: []string{"u"}})
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "parameters.threshold", re.Field)
	assert.True(t, strings.HasPrefix(err.Error(), "sdk: update_root_quorum: "), err.Error())
}

// satisfyBounds sets the bounded integer fields of the struct v (quorum
// thresholds) to 1, so that a zero-valued intent may be sent.
func satisfyBounds(v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	for _, name := range []string{"RootQuorumThreshold", "Threshold"} {
		if f := v.FieldByName(name); f.IsValid() && f.CanInt() {
			f.SetInt(1)
		}
	}
}

// TestCyclicParametersRefused: a request that holds itself (here through
// SubmitActivity's and Query's arbitrary values) is refused with an error,
// and nothing is sent, instead of overflowing the stack in the walks that
// look for bounds and nil required arrays.
func TestCyclicParametersRefused(t *testing.T) {
	h := newHarness(t, nil)
	loop := []any{nil}
	loop[0] = loop
	m := map[string]any{}
	m["self"] = m
	type node struct {
		Next  *node    `json:"next"`
		Items []string `json:"items"` // a required array: the walk looks for nil ones
	}
	n := &node{}
	n.Next = n
	for name, params := range map[string]any{"slice": loop, "map": m, "pointer": n} {
		_, err := h.client().SubmitActivity(ctxT(t), sdk.ActivityRequest{
			Endpoint: "create_wallet", Type: "ACTIVITY_TYPE_CREATE_WALLET", Parameters: params})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "sdk: create_wallet: encode request:", name)
		err = h.client().Query(ctxT(t), "get_wallet", map[string]any{"organizationId": "o", "p": params}, &struct{}{})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "sdk: get_wallet: encode request:", name)
	}
	assert.Empty(t, h.requests(), "nothing was sent")
}
