package turnkeytest

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func fakeJWT(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig"))
}

func TestAuthenticatorsAndOAuthProviders(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	user := s.Root().UserID

	auth, _, err := c.CreateAuthenticators(ctx, gen.CreateAuthenticatorsIntentV2{UserID: user, Authenticators: []gen.AuthenticatorParamsV2{{
		AuthenticatorName: "yubikey", Challenge: "c",
		Attestation: gen.Attestation{CredentialID: "cred-1", ClientDataJSON: "e30", AttestationObject: "o30", Transports: []gen.AuthenticatorTransport{gen.AuthenticatorTransportUsb}},
	}}})
	require.NoError(t, err)
	got, err := c.GetAuthenticator(ctx, gen.GetAuthenticatorRequest{AuthenticatorID: auth.AuthenticatorIds[0]})
	require.NoError(t, err)
	require.Equal(t, "cred-1", got.Authenticator.CredentialID)
	list, err := c.GetAuthenticators(ctx, gen.GetAuthenticatorsRequest{UserID: user})
	require.NoError(t, err)
	require.Len(t, list.Authenticators, 1)
	_, _, err = c.DeleteAuthenticators(ctx, gen.DeleteAuthenticatorsIntent{UserID: user, AuthenticatorIds: auth.AuthenticatorIds})
	require.NoError(t, err)
	list, err = c.GetAuthenticators(ctx, gen.GetAuthenticatorsRequest{UserID: user})
	require.NoError(t, err)
	require.Empty(t, list.Authenticators)

	token := fakeJWT(`{"iss":"https://accounts.google.com","aud":["app"],"sub":"123"}`)
	op, _, err := c.CreateOauthProviders(ctx, gen.CreateOauthProvidersIntent{UserID: user,
		OauthProviders: []gen.OauthProviderParams{{ProviderName: "google", OidcToken: token}}})
	require.NoError(t, err)
	ops, err := c.GetOauthProviders(ctx, gen.GetOauthProvidersRequest{})
	require.NoError(t, err)
	require.Len(t, ops.OauthProviders, 1)
	require.Equal(t, gen.OauthProvider{ProviderID: op.ProviderIds[0], ProviderName: "google", Issuer: "https://accounts.google.com",
		Audience: "app", Subject: "123", CreatedAt: ops.OauthProviders[0].CreatedAt, UpdatedAt: ops.OauthProviders[0].UpdatedAt}, ops.OauthProviders[0])
	_, _, err = c.DeleteOauthProviders(ctx, gen.DeleteOauthProvidersIntent{UserID: user, ProviderIds: []string{"nope"}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	_, _, err = c.DeleteOauthProviders(ctx, gen.DeleteOauthProvidersIntent{UserID: user, ProviderIds: op.ProviderIds})
	require.NoError(t, err)

	_, _, err = c.CreateOauthProviders(ctx, gen.CreateOauthProvidersIntent{UserID: user,
		OauthProviders: []gen.OauthProviderParams{{ProviderName: "google", OidcToken: "not a jwt"}}})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}
