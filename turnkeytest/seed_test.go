package turnkeytest

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
)

func TestWithSeedGivesAStableIdentity(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	a := newServer(t, WithSeed(seed), WithRootQuorum(1, 1))
	b := newServer(t, WithSeed(seed), WithRootQuorum(1, 1))
	ra, rb := a.Root(), b.Root()
	require.Equal(t, ra.OrganizationID, rb.OrganizationID)
	require.Equal(t, ra.UserID, rb.UserID)
	require.Equal(t, ra.QuorumUserIDs, rb.QuorumUserIDs)
	require.Equal(t, ra.APIKey.PublicKey(), rb.APIKey.PublicKey())
	require.Equal(t, ra.QuorumKeys[0].PublicKey(), rb.QuorumKeys[0].PublicKey())
	require.NotEqual(t, ra.APIKey.PublicKey(), ra.QuorumKeys[0].PublicKey())
	require.NotEqual(t, ra.UserID, ra.QuorumUserIDs[0])
	require.Equal(t, a.EnclaveSignerPublicKey(), b.EnclaveSignerPublicKey())
	require.Equal(t, a.PublishedKeys(), b.PublishedKeys())
	require.Equal(t, []PublishedKey{
		{Name: "enclave signer", PublicKey: a.EnclaveSignerPublicKey()},
		{Name: "session tokens", PublicKey: a.SessionTokenPublicKey()},
		{Name: "OIDC issuer", PublicKey: a.OIDCIssuerPublicKey()},
	}, a.PublishedKeys())
	require.Equal(t, a.SessionTokenPublicKey(), b.SessionTokenPublicKey(), "the session-token key follows the seed")
	require.Equal(t, a.OIDCIssuerPublicKey(), b.OIDCIssuerPublicKey(), "the OIDC issuer key follows the seed")
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, ra.OrganizationID)

	// The seeded server works, and a bundle of one verifies with the other's
	// published signer key.
	c := newClient(t, a)
	who, err := c.Whoami(testContext(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, ra.UserID, who.UserID)
	w, _, err := c.CreateWallet(testContext(t), gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	exp, _, err := c.ExportWalletRaw(testContext(t), gen.ExportWalletIntent{WalletID: w.WalletID, TargetPublicKey: target.PublicKeyHex()})
	require.NoError(t, err)
	_, err = enclave.DecryptExportBundle(exp.ExportBundle, target, ra.OrganizationID, enclave.WithSignerPublicKey(b.EnclaveSignerPublicKey()))
	require.NoError(t, err)

	// Another seed, or none, is another identity.
	other := newServer(t, WithSeed(bytes.Repeat([]byte{8}, 32))).Root()
	random := newServer(t).Root()
	for _, r := range []Root{other, random} {
		require.NotEqual(t, ra.OrganizationID, r.OrganizationID)
		require.NotEqual(t, ra.APIKey.PublicKey(), r.APIKey.PublicKey())
	}
	_, err = NewServer(WithSeed(make([]byte, MinSeedLength-1)))
	require.ErrorContains(t, err, "too short")
}
