package turnkeytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// The simulator accepts the newer activity versions of the submits it
// simulates, sent through the sdk's typed methods, and records each
// activity as the version sent.
func TestNewerActivityVersions(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	token := fakeJWT(`{"iss":"https://accounts.google.com","aud":"app","sub":"42"}`)

	// create_sub_organization V8: OAuth providers of version 2.
	aliceKey := newKey(t, stamp.CurveEd25519)
	sub, act, err := c.CreateSubOrganizationV8(ctx, gen.CreateSubOrganizationIntentV8{
		SubOrganizationName: "tenant-v8", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV5{{UserName: "alice",
			APIKeys:        []gen.APIKeyParamsV2{{APIKeyName: "alice", PublicKey: aliceKey.PublicKey(), CurveType: gen.APIKeyCurveEd25519}},
			Authenticators: []gen.AuthenticatorParamsV2{},
			OauthProviders: []gen.OauthProviderParamsV2{{ProviderName: "google", OidcToken: &token}}}},
	})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"), act.Type)
	require.NotNil(t, act.Intent.CreateSubOrganizationIntentV8, "the intent is recorded as the version sent")
	assert.Equal(t, "tenant-v8", act.Intent.CreateSubOrganizationIntentV8.SubOrganizationName)
	assert.Nil(t, act.Intent.CreateSubOrganizationIntentV7)
	require.NotNil(t, act.Result.CreateSubOrganizationResultV8)
	require.Len(t, *sub.RootUserIds, 1)
	alice := newClient(t, s, sdk.WithStamper(aliceKey), sdk.WithOrganizationID(sub.SubOrganizationID))
	me, err := alice.GetUser(ctx, gen.GetUserRequest{UserID: (*sub.RootUserIds)[0]})
	require.NoError(t, err, "alice's Ed25519 key stamps in her sub-organization")
	require.Len(t, me.User.OauthProviders, 1)
	assert.Equal(t, "42", me.User.OauthProviders[0].Subject)

	// A provider given by its claims alone is refused as not simulated.
	_, _, err = c.CreateSubOrganizationV8(ctx, gen.CreateSubOrganizationIntentV8{
		SubOrganizationName: "tenant-claims", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV5{{UserName: "bob", APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{},
			OauthProviders: []gen.OauthProviderParamsV2{{ProviderName: "google",
				OidcClaims: &gen.OidcClaims{Iss: "https://accounts.google.com", Sub: "7", Aud: "app"}}}}},
	})
	require.ErrorIs(t, err, sdk.ErrUnimplemented)

	// create_users V3 (API keys with their curve) and V4 (providers of version 2).
	bobKey := newKey(t, stamp.CurveSecp256k1)
	users, act, err := c.CreateUsersV3(ctx, gen.CreateUsersIntentV3{Users: []gen.UserParamsV3{{UserName: "bob", UserPhoneNumber: ptr("+13214567890"),
		APIKeys:        []gen.APIKeyParamsV2{{APIKeyName: "bob", PublicKey: bobKey.PublicKey(), CurveType: gen.APIKeyCurveSecp256K1}},
		Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{}, UserTags: []string{}}}})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_USERS_V3"), act.Type)
	require.NotNil(t, act.Intent.CreateUsersIntentV3)
	require.Len(t, users.UserIds, 1)
	bob, err := c.GetUser(ctx, gen.GetUserRequest{UserID: users.UserIds[0]})
	require.NoError(t, err)
	require.Len(t, bob.User.APIKeys, 1)
	assert.Equal(t, gen.CredentialTypeAPIKeySecp256K1, bob.User.APIKeys[0].Credential.Type)
	assert.Equal(t, "+13214567890", *bob.User.UserPhoneNumber)
	_, err = newClient(t, s, sdk.WithStamper(bobKey)).Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err, "bob's secp256k1 key stamps")

	users, act, err = c.CreateUsersV4(ctx, gen.CreateUsersIntentV4{Users: []gen.UserParamsV4{{UserName: "carol",
		APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{}, UserTags: []string{},
		OauthProviders: []gen.OauthProviderParamsV2{{ProviderName: "google", OidcToken: &token}}}}})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_USERS_V4"), act.Type)
	require.NotNil(t, act.Intent.CreateUsersIntentV4)
	carol, err := c.GetUser(ctx, gen.GetUserRequest{UserID: users.UserIds[0]})
	require.NoError(t, err)
	require.Len(t, carol.User.OauthProviders, 1)

	// create_oauth_providers V2.
	prov, act, err := c.CreateOauthProvidersV2(ctx, gen.CreateOauthProvidersIntentV2{UserID: users.UserIds[0],
		OauthProviders: []gen.OauthProviderParamsV2{{ProviderName: "apple", OidcToken: ptr(fakeJWT(`{"iss":"https://appleid.apple.com","aud":"app","sub":"9"}`))}}})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_OAUTH_PROVIDERS_V2"), act.Type)
	require.NotNil(t, act.Result.CreateOauthProvidersResultV2)
	require.Len(t, prov.ProviderIds, 1)

	// update_policy V2, without a time expression; with one it is refused.
	pol, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "p", Effect: gen.EffectAllow, Condition: ptr("true"), Notes: "n"})
	require.NoError(t, err)
	upd, act, err := c.UpdatePolicyV2(ctx, gen.UpdatePolicyIntentV2{PolicyID: pol.PolicyID, PolicyName: ptr("renamed")})
	require.NoError(t, err)
	assert.Equal(t, pol.PolicyID, upd.PolicyID)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_UPDATE_POLICY_V2"), act.Type)
	got, err := c.GetPolicy(ctx, gen.GetPolicyRequest{PolicyID: pol.PolicyID})
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Policy.PolicyName)
	_, _, err = c.UpdatePolicyV2(ctx, gen.UpdatePolicyIntentV2{PolicyID: pol.PolicyID, Time: ptr("now < 1")})
	require.ErrorIs(t, err, sdk.ErrUnimplemented)

	// The default versions still work, and a version the simulator does not
	// serve is refused.
	_, act, err = c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{{UserName: "dave",
		APIKeys: []gen.APIKeyParams{}, Authenticators: []gen.AuthenticatorParamsV2{}, UserTags: []string{}}}})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_USERS_V2"), act.Type)
	require.NotNil(t, act.Intent.CreateUsersIntentV2)
	_, err = c.SubmitActivity(ctx, sdk.ActivityRequest{Endpoint: "create_users", Type: "ACTIVITY_TYPE_CREATE_USERS_V9",
		Parameters: map[string]any{"users": []any{}}})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}
