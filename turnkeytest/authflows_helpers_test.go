package turnkeytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

const (
	aliceEmail = "Alice@Example.com"
	alicePhone = "+15555550100"
	oauthAud   = "client-123"
	oauthSub   = "user-42"
)

// tenant is a sub-organization with one root user, alice, who has an email
// address, a phone number and an OAuth provider of the test issuer.
type tenant struct {
	orgID, userID string
}

func newTenant(t *testing.T, s *Server, c *sdk.Client) tenant {
	t.Helper()
	reg, err := s.MintIDToken(IDToken{Subject: oauthSub, Audience: oauthAud})
	require.NoError(t, err)
	res, _, err := c.CreateSubOrganization(testContext(t), gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "tenant-" + newID(), RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "alice", UserEmail: ptr(aliceEmail), UserPhoneNumber: ptr(alicePhone),
			APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{},
			OauthProviders: []gen.OauthProviderParams{{ProviderName: "test", OidcToken: reg}}}},
	})
	require.NoError(t, err)
	require.NotNil(t, res.RootUserIds)
	return tenant{orgID: res.SubOrganizationID, userID: (*res.RootUserIds)[0]}
}

// whoamiAs asserts that key stamps whoami in orgID as userID.
func whoamiAs(t *testing.T, s *Server, key stamp.Stamper, orgID, userID string) {
	t.Helper()
	c := newClient(t, s, sdk.WithStamper(key), sdk.WithOrganizationID(orgID))
	who, err := c.Whoami(testContext(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, userID, who.UserID)
	require.Equal(t, orgID, who.OrganizationID)
}

// bundleKey decrypts a credential bundle into the API key it carries.
func bundleKey(t *testing.T, bundle string, target *enclave.TargetKey) *stamp.APIKey {
	t.Helper()
	secret, err := enclave.DecryptCredentialBundle(bundle, target)
	require.NoError(t, err)
	k, err := stamp.ParseAPIKey(stamp.CurveP256, secret.PrivateKeyHex())
	require.NoError(t, err)
	return k
}

func newTarget(t *testing.T) *enclave.TargetKey {
	t.Helper()
	k, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	return k
}

// failure asserts err is a FAILED activity with the given code, and
// returns its message.
func failure(t *testing.T, err error, code int) string {
	t.Helper()
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	var ae *sdk.ActivityError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, code, ae.Code, ae.Message)
	return ae.Message
}

// clientSign signs sha256(message) with key, DER in hex, as a client
// signature.
func clientSign(t *testing.T, key *stamp.APIKey, message string) string {
	t.Helper()
	raw, err := hex.DecodeString(key.PrivateKeyHex())
	require.NoError(t, err)
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(message))
	sig, err := ecdsa.SignASN1(rand.Reader, priv, d[:])
	require.NoError(t, err)
	return hex.EncodeToString(sig)
}

// sessionStamper sends a read-only session token in X-Session.
func sessionStamper(token string) stamp.Stamper {
	return stamp.StamperFunc(func(context.Context, []byte) (string, string, error) { return SessionHeader, token, nil })
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
