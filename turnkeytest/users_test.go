package turnkeytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestCreatedAPIKeyStamps(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	key := newKey(t, stamp.CurveP256)
	res, _, err := c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "ci", PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256}}})
	require.NoError(t, err)

	// A new client stamped with the new key works.
	c2 := newClient(t, s, sdk.WithStamper(key))
	who, err := c2.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, s.Root().UserID, who.UserID)
	got, err := c2.GetAPIKey(ctx, gen.GetAPIKeyRequest{APIKeyID: res.APIKeyIds[0]})
	require.NoError(t, err)
	require.Equal(t, "ci", got.APIKey.APIKeyName)
	require.Equal(t, key.PublicKey(), got.APIKey.Credential.PublicKey)
	keys, err := c2.GetAPIKeys(ctx, gen.GetAPIKeysRequest{})
	require.NoError(t, err)
	require.Len(t, keys.APIKeys, 2)

	// The same public key twice in one organization fails.
	_, _, err = c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "again", PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256}}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "already")

	// A key that is not on its curve is refused at once.
	_, _, err = c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "bad", PublicKey: "02" + key.PublicKey()[2:6], CurveType: gen.APIKeyCurveP256}}})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}

func TestUsersAndUserTags(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	tagRes, _, err := c.CreateUserTag(ctx, gen.CreateUserTagIntent{UserTagName: "admins", UserIds: []string{}})
	require.NoError(t, err)

	bobKey := newKey(t, stamp.CurveEd25519)
	carolKey := newKey(t, stamp.CurveSecp256k1)
	res, _, err := c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{
		{UserName: "bob", UserEmail: ptr("bob@example.com"), UserTags: []string{tagRes.UserTagID},
			APIKeys: []gen.APIKeyParams{{APIKeyName: "bob", PublicKey: bobKey.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
		{UserName: "carol", UserTags: []string{}, APIKeys: []gen.APIKeyParams{{APIKeyName: "carol", PublicKey: carolKey.PublicKey()}},
			Authenticators: []gen.AuthenticatorParamsV2{}},
	}})
	require.NoError(t, err)
	require.Len(t, res.UserIds, 2)
	bob, carol := res.UserIds[0], res.UserIds[1]

	// Keys given without a curve authenticate: Ed25519 by length, and a
	// 33-byte secp256k1 key as well as a P-256 one.
	for _, k := range []*stamp.APIKey{bobKey, carolKey} {
		who, err := c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(k))
		require.NoError(t, err)
		require.Contains(t, res.UserIds, who.UserID)
	}

	u, err := c.GetUser(ctx, gen.GetUserRequest{UserID: bob})
	require.NoError(t, err)
	require.Equal(t, "bob", u.User.UserName)
	require.Equal(t, "bob@example.com", *u.User.UserEmail)
	require.Equal(t, []string{tagRes.UserTagID}, u.User.UserTags)
	require.Equal(t, gen.CredentialTypeAPIKeyEd25519, u.User.APIKeys[0].Credential.Type)

	_, _, err = c.UpdateUser(ctx, gen.UpdateUserIntent{UserID: bob, UserName: ptr("robert"), UserTagIds: &[]string{}})
	require.NoError(t, err)
	u, err = c.GetUser(ctx, gen.GetUserRequest{UserID: bob})
	require.NoError(t, err)
	require.Equal(t, "robert", u.User.UserName)
	require.Empty(t, u.User.UserTags)

	_, _, err = c.UpdateUserTag(ctx, gen.UpdateUserTagIntent{UserTagID: tagRes.UserTagID, AddUserIds: []string{carol}, RemoveUserIds: []string{}})
	require.NoError(t, err)
	tags, err := c.ListUserTags(ctx, gen.ListUserTagsRequest{})
	require.NoError(t, err)
	require.Len(t, tags.UserTags, 1)
	del, _, err := c.DeleteUserTags(ctx, gen.DeleteUserTagsIntent{UserTagIds: []string{tagRes.UserTagID}})
	require.NoError(t, err)
	require.Equal(t, []string{carol}, del.UserIds)

	// Root users cannot be deleted; others can, and their keys stop working.
	_, _, err = c.DeleteUsers(ctx, gen.DeleteUsersIntent{UserIds: []string{s.Root().UserID}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	_, _, err = c.DeleteUsers(ctx, gen.DeleteUsersIntent{UserIds: []string{bob}})
	require.NoError(t, err)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(bobKey))
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)
	list, err := c.ListUsers(ctx, gen.ListUsersRequest{})
	require.NoError(t, err)
	require.Len(t, list.Users, 2)
}

func TestPoliciesAndFeatures(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	p, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "allow all", Effect: gen.EffectAllow, Condition: ptr("true"), Notes: "n"})
	require.NoError(t, err)
	ps, _, err := c.CreatePolicies(ctx, gen.CreatePoliciesIntent{Policies: []gen.CreatePolicyIntentV3{
		{PolicyName: "deny", Effect: gen.EffectDeny, Consensus: ptr("approvers.count() >= 2")},
	}})
	require.NoError(t, err)
	_, _, err = c.UpdatePolicy(ctx, gen.UpdatePolicyIntent{PolicyID: p.PolicyID, PolicyNotes: ptr("updated"), PolicyEffect: ptr(gen.EffectDeny)})
	require.NoError(t, err)
	got, err := c.GetPolicy(ctx, gen.GetPolicyRequest{PolicyID: p.PolicyID})
	require.NoError(t, err)
	require.Equal(t, "updated", got.Policy.Notes)
	require.Equal(t, gen.EffectDeny, got.Policy.Effect)
	require.Equal(t, "true", got.Policy.Condition)
	_, _, err = c.DeletePolicy(ctx, gen.DeletePolicyIntent{PolicyID: ps.PolicyIds[0]})
	require.NoError(t, err)
	list, err := c.ListPolicies(ctx, gen.ListPoliciesRequest{})
	require.NoError(t, err)
	require.Len(t, list.Policies, 1)
	_, _, err = c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "x", Effect: "EFFECT_MAYBE"})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)

	set, _, err := c.SetOrganizationFeature(ctx, gen.SetOrganizationFeatureIntent{Name: gen.FeatureNameWebhook, Value: "https://example.com/hook"})
	require.NoError(t, err)
	require.Len(t, set.Features, 1)
	cfg, err := c.GetOrganizationConfigs(ctx, gen.GetOrganizationConfigsRequest{})
	require.NoError(t, err)
	require.Equal(t, gen.FeatureNameWebhook, *(*cfg.Configs.Features)[0].Name)
	rm, _, err := c.RemoveOrganizationFeature(ctx, gen.RemoveOrganizationFeatureIntent{Name: gen.FeatureNameWebhook})
	require.NoError(t, err)
	require.Empty(t, rm.Features)
	_, _, err = newClient(t, s, later()).RemoveOrganizationFeature(ctx, gen.RemoveOrganizationFeatureIntent{Name: gen.FeatureNameWebhook})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
}
