package turnkeytest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// init_user_email_recovery → the recovery bundle from the outbox →
// recover_user stamped with it → the new authenticator is the user's.
func TestEmailRecoveryFlow(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	target := newTarget(t)

	res, _, err := c.InitUserEmailRecovery(ctx, gen.InitUserEmailRecoveryIntent{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	require.Equal(t, ten.userID, res.UserID)
	msg, ok := s.LastMessage(aliceEmail)
	require.True(t, ok)
	require.Equal(t, MessageRecovery, msg.Kind)
	recovery := newClient(t, s, sdk.WithStamper(bundleKey(t, msg.CredentialBundle, target)), sdk.WithOrganizationID(ten.orgID))

	auth := gen.AuthenticatorParamsV2{AuthenticatorName: "new passkey", Challenge: "c",
		Attestation: gen.Attestation{CredentialID: "cred-1", ClientDataJSON: "e30", AttestationObject: "o", Transports: []gen.AuthenticatorTransport{}}}
	rec, _, err := recovery.RecoverUser(ctx, gen.RecoverUserIntent{UserID: ten.userID, Authenticator: auth})
	require.NoError(t, err)
	require.Len(t, rec.AuthenticatorID, 1)
	got, err := c.GetAuthenticators(ctx, gen.GetAuthenticatorsRequest{OrganizationID: ten.orgID, UserID: ten.userID})
	require.NoError(t, err)
	require.Len(t, got.Authenticators, 1)
	require.Equal(t, rec.AuthenticatorID[0], got.Authenticators[0].AuthenticatorID)
	require.Equal(t, "cred-1", got.Authenticators[0].CredentialID)

	// The recovery credential reads, but submits nothing else...
	whoami, err := recovery.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, ten.userID, whoami.UserID)
	_, _, err = recovery.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}})
	apiError(t, err, http.StatusForbidden, codePermissionDenied)
	// ...and only a recovery credential may recover a user.
	_, _, err = c.RecoverUser(ctx, gen.RecoverUserIntent{UserID: ten.userID, Authenticator: auth}, sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusForbidden, codePermissionDenied)
	// An email no user has.
	_, _, err = c.InitUserEmailRecovery(ctx, gen.InitUserEmailRecoveryIntent{Email: "bob@example.com", TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	failure(t, err, codeNotFound)
}
