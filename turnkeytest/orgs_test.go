package turnkeytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestSubOrganization(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	aliceKey := newKey(t, stamp.CurveP256)
	sub, act, err := c.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "tenant-1", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "alice", UserEmail: ptr("alice@example.com"),
			APIKeys:        []gen.APIKeyParamsV2{{APIKeyName: "alice", PublicKey: aliceKey.PublicKey(), CurveType: gen.APIKeyCurveP256}},
			Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{}}},
		Wallet: &gen.WalletParams{WalletName: "default", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}},
	})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"), act.Type)
	require.Equal(t, s.Root().OrganizationID, act.OrganizationID)
	require.Len(t, *sub.RootUserIds, 1)
	require.NotNil(t, sub.Wallet)
	require.Len(t, sub.Wallet.Addresses, 1)

	// Alice acts in her sub-organization with her own key.
	alice := newClient(t, s, sdk.WithStamper(aliceKey), sdk.WithOrganizationID(sub.SubOrganizationID))
	who, err := alice.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, gen.WhoamiReply{OrganizationID: sub.SubOrganizationID, OrganizationName: "tenant-1",
		UserID: (*sub.RootUserIds)[0], Username: "alice"}, *who)
	sig, _, err := alice.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: sub.Wallet.Addresses[0], Payload: "x",
		Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionKeccak256})
	require.NoError(t, err)
	require.Len(t, sig.R, 64)

	// The parent's root key reads the sub-organization but cannot change it
	// or sign with its keys.
	wallets, err := c.ListWallets(ctx, gen.ListWalletsRequest{}, sdk.WithOrganization(sub.SubOrganizationID))
	require.NoError(t, err)
	require.Len(t, wallets.Wallets, 1)
	require.Equal(t, sub.Wallet.WalletID, wallets.Wallets[0].WalletID)
	_, _, err = c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "second", Accounts: []gen.WalletAccountParams{}}, sdk.WithOrganization(sub.SubOrganizationID))
	require.ErrorIs(t, err, sdk.ErrPermissionDenied)
	_, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: sub.Wallet.Addresses[0], Payload: "x",
		Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionKeccak256}, sdk.WithOrganization(sub.SubOrganizationID))
	require.ErrorIs(t, err, sdk.ErrPermissionDenied)
	_, act, err = alice.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "second", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	require.Equal(t, sub.SubOrganizationID, act.OrganizationID)
	// The wallet is in the sub-organization, not in the parent.
	rootWallets, err := c.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Empty(t, rootWallets.Wallets)

	// Sub-organizations are listed and found by filter.
	_, _, err = c.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{SubOrganizationName: "tenant-2", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "bob", APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{}}}})
	require.NoError(t, err)
	subs, err := c.ListSuborgs(ctx, gen.ListSuborgsRequest{})
	require.NoError(t, err)
	require.Len(t, subs.OrganizationIds, 2)
	for filter, value := range map[string]string{"NAME": "tenant-1", "EMAIL": "ALICE@example.com", "USERNAME": "alice",
		"PUBLIC_KEY": aliceKey.PublicKey(), "WALLET_ACCOUNT_ADDRESS": sub.Wallet.Addresses[0]} {
		subs, err = c.ListSuborgs(ctx, gen.ListSuborgsRequest{FilterType: ptr(filter), FilterValue: ptr(value)})
		require.NoError(t, err, filter)
		require.Equal(t, []string{sub.SubOrganizationID}, subs.OrganizationIds, filter)
	}

	// Deleting needs the wallets exported, or deleteWithoutExport.
	_, _, err = alice.DeleteSubOrganization(ctx, gen.DeleteSubOrganizationIntent{})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	del, _, err := alice.DeleteSubOrganization(ctx, gen.DeleteSubOrganizationIntent{DeleteWithoutExport: ptr(true)})
	require.NoError(t, err)
	require.Equal(t, sub.SubOrganizationID, del.SubOrganizationUUID)
	_, err = alice.Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithOrganization(sub.SubOrganizationID))
	require.ErrorIs(t, err, sdk.ErrNotFound)

	// The root organization is not a sub-organization.
	_, _, err = c.DeleteSubOrganization(ctx, gen.DeleteSubOrganizationIntent{DeleteWithoutExport: ptr(true)})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
}

func TestSubOrganizationParameterErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	user := gen.RootUserParamsV4{UserName: "u", APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{}}
	for _, p := range []gen.CreateSubOrganizationIntentV7{
		{SubOrganizationName: "", RootQuorumThreshold: 1, RootUsers: []gen.RootUserParamsV4{user}},
		{SubOrganizationName: "x", RootQuorumThreshold: 2, RootUsers: []gen.RootUserParamsV4{user}},
		{SubOrganizationName: "x", RootQuorumThreshold: 1},
		{SubOrganizationName: "x", RootQuorumThreshold: 1, RootUsers: []gen.RootUserParamsV4{user},
			Wallet: &gen.WalletParams{WalletName: "w", Accounts: []gen.WalletAccountParams{{Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/0", AddressFormat: gen.AddressFormatTron}}}},
	} {
		_, _, err := c.CreateSubOrganization(ctx, p)
		require.ErrorIs(t, err, sdk.ErrInvalidArgument)
	}
}

// A common pattern: the parent's API key is also the key of the
// sub-organization's root user. Acting on the sub-organization, the key is
// that root user; acting on the parent, it is the parent's root user.
func TestSameKeyInParentAndSubOrganization(t *testing.T) {
	s := newServer(t)
	root := s.Root()
	c := newClient(t, s)
	ctx := testContext(t)
	sub, _, err := c.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{SubOrganizationName: "mine", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "delegate", Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{},
			APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "parent key", PublicKey: root.APIKey.PublicKey(), CurveType: gen.APIKeyCurveP256}}}}})
	require.NoError(t, err)

	who, err := c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithOrganization(sub.SubOrganizationID))
	require.NoError(t, err)
	require.Equal(t, (*sub.RootUserIds)[0], who.UserID)
	require.Equal(t, "delegate", who.Username)
	who, err = c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, root.UserID, who.UserID)

	// Deleting the sub-organization leaves the parent's key working.
	_, _, err = c.DeleteSubOrganization(ctx, gen.DeleteSubOrganizationIntent{DeleteWithoutExport: ptr(true)}, sdk.WithOrganization(sub.SubOrganizationID))
	require.NoError(t, err)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
}
