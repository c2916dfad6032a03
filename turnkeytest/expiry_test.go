package turnkeytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// TestExpirationSecondsOutOfRange: an expirationSeconds too large for a
// time.Duration is refused, not overflowed into a key that is already
// expired; the largest one that fits still works.
func TestExpirationSecondsOutOfRange(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	for _, secs := range []string{"9223372037", "99999999999999999999"} {
		key := newKey(t, stamp.CurveP256)
		_, _, err := c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
			APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "long " + secs, PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256, ExpirationSeconds: ptr(secs)}}})
		require.ErrorIs(t, err, sdk.ErrInvalidArgument, secs)
		require.ErrorContains(t, err, "at most 9223372036")

		_, _, err = c.CreateReadWriteSessionRaw(ctx, gen.CreateReadWriteSessionIntentV2{TargetPublicKey: target.PublicKeyHex(), ExpirationSeconds: ptr(secs)})
		require.ErrorIs(t, err, sdk.ErrInvalidArgument, secs)
	}
	key := newKey(t, stamp.CurveP256)
	_, _, err = c.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: s.Root().UserID,
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "longest", PublicKey: key.PublicKey(), CurveType: gen.APIKeyCurveP256, ExpirationSeconds: ptr("9223372036")}}})
	require.NoError(t, err)
	_, err = c.Whoami(ctx, gen.WhoamiRequest{}, sdk.WithCallStamper(key))
	require.NoError(t, err, "a key with the longest lifetime is not expired")
}
