package turnkeytest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// email_auth → the bundle from the outbox → decrypt → whoami.
func TestEmailAuthFlow(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	target := newTarget(t)

	res, act, err := c.EmailAuth(ctx, gen.EmailAuthIntentV2{Email: "alice@example.com", TargetPublicKey: target.PublicKeyHex(),
		EmailCustomization: &gen.EmailCustomizationParams{AppName: ptr("Demo"), MagicLinkTemplate: ptr("https://app.example/auth?b=%s")}},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	require.Equal(t, ten.userID, res.UserID)
	msg, ok := s.LastMessage(aliceEmail)
	require.True(t, ok)
	require.Equal(t, MessageEmailAuth, msg.Kind)
	require.Equal(t, "Demo", msg.AppName)
	require.Equal(t, "https://app.example/auth?b="+msg.CredentialBundle, msg.MagicLink)
	require.NotContains(t, string(mustJSON(t, act.Result)), msg.CredentialBundle, "the bundle is emailed, not returned")

	key := bundleKey(t, msg.CredentialBundle, target)
	whoamiAs(t, s, key, ten.orgID, ten.userID)
	k, err := c.GetAPIKey(ctx, gen.GetAPIKeyRequest{OrganizationID: ten.orgID, APIKeyID: res.APIKeyID})
	require.NoError(t, err)
	require.Equal(t, gen.CredentialTypeEmailAuthKeyP256, k.APIKey.Credential.Type)
	require.True(t, strings.HasPrefix(k.APIKey.APIKeyName, "Email Auth - "))
	require.Equal(t, key.PublicKey(), k.APIKey.Credential.PublicKey)

	// invalidateExisting removes the earlier email auth keys.
	target2 := newTarget(t)
	_, _, err = c.EmailAuth(ctx, gen.EmailAuthIntentV2{Email: aliceEmail, TargetPublicKey: target2.PublicKeyHex(), InvalidateExisting: ptr(true)},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	_, err = newClient(t, s, sdk.WithStamper(key), sdk.WithOrganizationID(ten.orgID)).Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)

	// An email no user has.
	_, _, err = c.EmailAuth(ctx, gen.EmailAuthIntentV2{Email: "bob@example.com", TargetPublicKey: target.PublicKeyHex()}, sdk.WithOrganization(ten.orgID))
	failure(t, err, codeNotFound)
	// A bad target key.
	_, _, err = c.EmailAuth(ctx, gen.EmailAuthIntentV2{Email: aliceEmail, TargetPublicKey: "04ab"}, sdk.WithOrganization(ten.orgID))
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}
