package sdk_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// An activity created by a newer client, of a type this spec does not know,
// keeps its intent and result as raw JSON; known members still decode typed.
func TestActivityOfUnknownTypeKeepsIntentAndResult(t *testing.T) {
	answer := activity("act-new", gen.ActivityStatusCompleted, map[string]any{
		"futureThingResultV9": map[string]any{"thingId": "t-1", "extras": []any{1, 2}},
	})
	act := answer["activity"].(map[string]any)
	act["type"] = "ACTIVITY_TYPE_FUTURE_THING_V9"
	act["intent"] = map[string]any{"futureThingIntentV9": map[string]any{"name": "n", "depth": 3}}
	h := newHarness(t, func(int, recorded) reply { return reply{Body: answer} })

	got, err := h.client().GetActivity(ctxT(t), gen.GetActivityRequest{ActivityID: "act-new"})
	require.NoError(t, err)
	a := &got.Activity
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_FUTURE_THING_V9"), a.Type)

	member, raw, ok := sdk.ActivityIntent(a)
	require.True(t, ok)
	assert.Equal(t, "futureThingIntentV9", member)
	assert.JSONEq(t, `{"name":"n","depth":3}`, string(raw))
	assert.JSONEq(t, `{"name":"n","depth":3}`, string(a.Intent.AdditionalProperties["futureThingIntentV9"]))

	member, raw, ok = sdk.ActivityResult(a)
	require.True(t, ok)
	assert.Equal(t, "futureThingResultV9", member)
	var res struct {
		ThingID string `json:"thingId"`
		Extras  []int  `json:"extras"`
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	assert.Equal(t, "t-1", res.ThingID)
	assert.Equal(t, []int{1, 2}, res.Extras)

	// Re-encoding the activity keeps the members the spec does not know.
	again, err := json.Marshal(a)
	require.NoError(t, err)
	var back struct {
		Intent map[string]json.RawMessage `json:"intent"`
	}
	require.NoError(t, json.Unmarshal(again, &back))
	assert.JSONEq(t, `{"name":"n","depth":3}`, string(back.Intent["futureThingIntentV9"]))
}

// A known member decodes into its typed field and is what ActivityIntent and
// ActivityResult return; nothing lands in AdditionalProperties.
func TestActivityIntentOfKnownVersion(t *testing.T) {
	answer := activity("act-v8", gen.ActivityStatusCompleted, map[string]any{
		"createSubOrganizationResultV8": map[string]any{"subOrganizationId": "sub-8", "rootUserIds": []any{"u-1"}},
	})
	act := answer["activity"].(map[string]any)
	act["type"] = "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"
	act["intent"] = map[string]any{"createSubOrganizationIntentV8": map[string]any{
		"subOrganizationName": "s", "rootQuorumThreshold": 1,
		"rootUsers": []any{map[string]any{"userName": "r", "apiKeys": []any{}, "authenticators": []any{},
			"oauthProviders": []any{map[string]any{"providerName": "google",
				"oidcClaims": map[string]any{"iss": "https://accounts.google.com", "sub": "123", "aud": "app"}}}}},
	}}
	h := newHarness(t, func(int, recorded) reply { return reply{Body: answer} })
	got, err := h.client().GetActivity(ctxT(t), gen.GetActivityRequest{ActivityID: "act-v8"})
	require.NoError(t, err)
	a := &got.Activity

	require.NotNil(t, a.Intent.CreateSubOrganizationIntentV8)
	claims := a.Intent.CreateSubOrganizationIntentV8.RootUsers[0].OauthProviders[0].OidcClaims
	require.NotNil(t, claims)
	assert.Equal(t, "123", claims.Sub)
	require.NotNil(t, a.Result.CreateSubOrganizationResultV8)
	assert.Equal(t, "sub-8", a.Result.CreateSubOrganizationResultV8.SubOrganizationID)
	assert.Empty(t, a.Intent.AdditionalProperties)
	assert.Empty(t, a.Result.AdditionalProperties)

	member, _, ok := sdk.ActivityIntent(a)
	assert.True(t, ok)
	assert.Equal(t, "createSubOrganizationIntentV8", member)
	member, raw, ok := sdk.ActivityResult(a)
	assert.True(t, ok)
	assert.Equal(t, "createSubOrganizationResultV8", member)
	assert.JSONEq(t, `{"subOrganizationId":"sub-8","rootUserIds":["u-1"]}`, string(raw))
}

func TestActivityIntentWithoutMember(t *testing.T) {
	_, _, ok := sdk.ActivityIntent(nil)
	assert.False(t, ok)
	_, _, ok = sdk.ActivityResult(&gen.Activity{})
	assert.False(t, ok, "an activity without a result has no result member")
}
