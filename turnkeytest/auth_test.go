package turnkeytest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestUnknownKeyIsUnauthenticated(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, sdk.WithStamper(newKey(t, stamp.CurveP256)))
	_, err := c.Whoami(testContext(t), gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)
	ae := apiError(t, err, http.StatusUnauthorized, codeUnauthenticated)
	require.Contains(t, ae.Message, "unauthenticated")
	require.Contains(t, ae.Message, "no API key with public key")
}

func TestStampChecks(t *testing.T) {
	s := newServer(t)
	root := s.Root()
	body := []byte(`{"organizationId":"` + root.OrganizationID + `"}`)
	const path = "/public/v1/query/whoami"

	code, out := post(t, s, path, body, root.APIKey)
	require.Equal(t, http.StatusOK, code, string(out))

	code, out = post(t, s, path, body, nil)
	require.Equal(t, http.StatusUnauthorized, code)
	require.Contains(t, status(t, out).Message, "missing X-Stamp")

	// A stamp of other bytes does not verify.
	other := stamp.StamperFunc(func(ctx context.Context, _ []byte) (string, string, error) {
		return root.APIKey.Stamp(ctx, []byte(`{"organizationId":"x"}`))
	})
	code, out = post(t, s, path, body, other)
	require.Equal(t, http.StatusUnauthorized, code)
	require.Equal(t, int32(codeUnauthenticated), status(t, out).Code)
	require.Contains(t, status(t, out).Message, "does not verify")

	garbage := stamp.StamperFunc(func(context.Context, []byte) (string, string, error) { return stamp.Header, "!!", nil })
	code, _ = post(t, s, path, body, garbage)
	require.Equal(t, http.StatusUnauthorized, code)

	code, out = post(t, s, path, []byte(`{"organizationId":`), root.APIKey)
	require.Equal(t, http.StatusBadRequest, code)
	require.Equal(t, int32(codeInvalidArgument), status(t, out).Code)
	require.Contains(t, status(t, out).Message, "malformed JSON")

	code, out = post(t, s, path, []byte(`{}`), root.APIKey)
	require.Equal(t, http.StatusBadRequest, code)
	require.Contains(t, status(t, out).Message, "organizationId is required")

	code, out = post(t, s, path, []byte(`{"organizationId":"nope"}`), root.APIKey)
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, status(t, out).Message, "organization nope not found")

	// A body that is JSON but not of the operation's shape.
	code, out = post(t, s, "/public/v1/query/get_wallet", []byte(`{"organizationId":"`+root.OrganizationID+`","walletId":5}`), root.APIKey)
	require.Equal(t, http.StatusBadRequest, code)
	require.Equal(t, int32(codeInvalidArgument), status(t, out).Code)
}

func TestKeysOfEveryCurveAuthenticate(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	for _, tc := range []struct {
		curve stamp.Curve
		api   gen.APIKeyCurve
	}{{stamp.CurveP256, gen.APIKeyCurveP256}, {stamp.CurveSecp256k1, gen.APIKeyCurveSecp256K1}, {stamp.CurveEd25519, gen.APIKeyCurveEd25519}} {
		key := newKey(t, tc.curve)
		res, _, err := c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
			APIKeys: []gen.APIKeyParamsV2{{APIKeyName: string(tc.curve), PublicKey: key.PublicKey(), CurveType: tc.api}}})
		require.NoError(t, err)
		require.Len(t, res.APIKeyIds, 1)
		who, err := c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
		require.NoError(t, err, tc.curve)
		require.Equal(t, s.Root().UserID, who.UserID)
	}
}

func TestOtherOrganizationIsPermissionDenied(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	key := newKey(t, stamp.CurveP256)
	sub, _, err := c.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "tenant", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "alice", APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "k", PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256}}}},
	})
	require.NoError(t, err)

	// The sub-organization's user acts on its own organization...
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key), sdk.WithOrganization(sub.SubOrganizationID))
	require.NoError(t, err)
	// ...but not on its parent.
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
	require.ErrorIs(t, err, sdk.ErrPermissionDenied)
	ae := apiError(t, err, http.StatusForbidden, codePermissionDenied)
	require.Contains(t, ae.Message, sub.SubOrganizationID)
}

func TestTimestampWindow(t *testing.T) {
	s := newServer(t, WithTimestampWindow(time.Minute))
	ctx := testContext(t)
	params := gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}}

	stale := newClient(t, s, sdk.WithClock(func() time.Time { return time.Now().Add(-2 * time.Minute) }))
	_, _, err := stale.CreateWallet(ctx, params)
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
	ae := apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	require.Contains(t, ae.Message, "stale request")
	require.Contains(t, ae.Message, "1m0s freshness window")

	future := newClient(t, s, sdk.WithClock(func() time.Time { return time.Now().Add(2 * time.Minute) }))
	_, _, err = future.CreateWallet(ctx, params)
	ae = apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	require.Contains(t, ae.Message, "in the future")

	// Queries carry no timestamp, and a disabled window accepts anything.
	_, err = stale.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	s2 := newServer(t, WithTimestampWindow(0))
	old := newClient(t, s2, sdk.WithClock(func() time.Time { return time.Unix(1, 0) }))
	_, _, err = old.CreateWallet(ctx, params)
	require.NoError(t, err)
	require.Zero(t, s.Stats().ActivitiesCreated)
}

func TestWrongActivityTypeNamesTheExpectedOne(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	var res gen.CreateWalletOutcome
	_, err := c.SubmitActivity(testContext(t), sdk.ActivityRequest{
		Endpoint: "create_wallet", Type: "ACTIVITY_TYPE_CREATE_WALLET_V9",
		Parameters: gen.CreateWalletIntent{WalletName: "w"}, ResultField: "createWalletResult", Result: &res,
	})
	ae := apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	require.Contains(t, ae.Message, "expects type ACTIVITY_TYPE_CREATE_WALLET")

	// The right type through the escape hatch works.
	_, err = c.SubmitActivity(testContext(t), sdk.ActivityRequest{
		Endpoint: "create_wallet", Type: "ACTIVITY_TYPE_CREATE_WALLET",
		Parameters:  gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}},
		ResultField: "createWalletResult", Result: &res,
	})
	require.NoError(t, err)
	require.Len(t, res.Addresses, 1)
}

func TestExpiredAndDeletedKeys(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	key := newKey(t, stamp.CurveP256)
	res, _, err := c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "short", PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256, ExpirationSeconds: ptr("1")}}})
	require.NoError(t, err)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
	require.NoError(t, err)

	// Expiry: make the key's deadline pass without sleeping.
	s.state.mu.Lock()
	for _, k := range s.state.keys[key.PublicKey()] {
		k.expiresAt = time.Now().Add(-time.Millisecond)
	}
	s.state.mu.Unlock()
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)
	require.ErrorContains(t, err, "expired")

	_, _, err = c.DeleteAPIKeys(ctx, gen.DeleteAPIKeysIntent{UserID: s.Root().UserID, APIKeyIds: res.APIKeyIds})
	require.NoError(t, err)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
	require.True(t, errors.Is(err, sdk.ErrUnauthenticated))
	require.ErrorContains(t, err, "no API key")
}
