package sdk_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func params(t *testing.T, r recorded) map[string]any {
	t.Helper()
	return decode(t, r.Body)["parameters"].(map[string]any)
}

func TestCreateReadWriteSessionEndToEnd(t *testing.T) {
	var sessionKey *stamp.APIKey
	var h *harness
	h = newHarness(t, func(n int, r recorded) reply {
		switch r.Path {
		case "/public/v1/submit/create_read_write_session":
			target := params(t, r)["targetPublicKey"].(string)
			k, err := stamp.GenerateAPIKey(stamp.CurveP256)
			require.NoError(t, err)
			raw, err := hex.DecodeString(k.PrivateKeyHex())
			require.NoError(t, err)
			bundle, err := enclave.EncryptCredentialBundle(target, raw)
			require.NoError(t, err)
			sessionKey = k
			h.accept(k.PublicKey())
			return reply{Body: activity("act-s", gen.ActivityStatusCompleted, map[string]any{
				"createReadWriteSessionResultV2": map[string]any{
					"organizationId": "sub-9", "organizationName": "sub", "userId": "u-9", "username": "alice",
					"apiKeyId": "key-9", "credentialBundle": bundle,
				}})}
		default:
			return reply{Body: whoamiBody}
		}
	})
	c := h.client()
	exp := "3600"
	s, err := c.CreateReadWriteSession(ctxT(t), gen.CreateReadWriteSessionIntentV2{UserID: ptr("u-9"), ExpirationSeconds: &exp})
	require.NoError(t, err)
	assert.Equal(t, sessionKey.PublicKey(), s.Key.PublicKey(), "the decrypted key is the one the enclave sent")
	assert.Equal(t, "key-9", s.APIKeyID)
	assert.Equal(t, fixedNow().Add(3600e9), s.ExpiresAt)
	assert.NotContains(t, fmt.Sprintf("%v %+v", s, s.Key), sessionKey.PrivateKeyHex())

	_, err = s.Client.Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	reqs := h.requests()
	last := reqs[len(reqs)-1]
	v, err := stamp.Verify(last.Body, last.Stamp)
	require.NoError(t, err)
	assert.Equal(t, sessionKey.PublicKey(), v.PublicKey, "the session client stamps with the session key")
	assert.Equal(t, "sub-9", decode(t, last.Body)["organizationId"])

	_, err = c.CreateReadWriteSession(ctxT(t), gen.CreateReadWriteSessionIntentV2{TargetPublicKey: "04ab"})
	assert.Error(t, err, "a caller's target key belongs to CreateReadWriteSessionRaw")
}

func ptr[T any](v T) *T { return &v }

func TestExportWalletEndToEnd(t *testing.T) {
	signer, err := enclave.NewSigner()
	require.NoError(t, err)
	const mnemonic = "abandon ability able about above absent absorb abstract absurd abuse access accident"
	h := newHarness(t, func(n int, r recorded) reply {
		bundle, err := signer.SealExportBundle(params(t, r)["targetPublicKey"].(string), []byte(mnemonic), testOrg)
		require.NoError(t, err)
		return reply{Body: activity("act-e", gen.ActivityStatusCompleted, map[string]any{
			"exportWalletResult": map[string]any{"walletId": "w-1", "exportBundle": bundle}})}
	})

	exp, _, err := h.client(sdk.WithEnclaveSigner(signer.PublicKeyHex())).ExportWallet(ctxT(t), gen.ExportWalletIntent{WalletID: "w-1"})
	require.NoError(t, err)
	assert.Equal(t, mnemonic, exp.Mnemonic())
	assert.NotContains(t, fmt.Sprintf("%v", exp), "abandon")

	// Without the option, only Turnkey's production signer is trusted.
	_, _, err = h.client().ExportWallet(ctxT(t), gen.ExportWalletIntent{WalletID: "w-1"})
	assert.ErrorIs(t, err, enclave.ErrSignerMismatch)
}

func TestImportPrivateKeyEndToEnd(t *testing.T) {
	signer, err := enclave.NewSigner()
	require.NoError(t, err)
	var importKey *enclave.TargetKey
	var got []byte
	h := newHarness(t, func(n int, r recorded) reply {
		switch r.Path {
		case "/public/v1/submit/init_import_private_key":
			bundle, key, err := signer.NewImportBundle(testOrg, "u-1")
			require.NoError(t, err)
			importKey = key
			return reply{Body: activity("act-i", gen.ActivityStatusCompleted, map[string]any{
				"initImportPrivateKeyResult": map[string]any{"importBundle": bundle}})}
		default:
			got, err = enclave.DecryptImportBundle(params(t, r)["encryptedBundle"].(string), importKey)
			require.NoError(t, err)
			return reply{Body: activity("act-j", gen.ActivityStatusCompleted, map[string]any{
				"importPrivateKeyResult": map[string]any{"privateKeyId": "pk-1", "addresses": []any{}}})}
		}
	})
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	res, _, err := h.client(sdk.WithEnclaveSigner(signer.PublicKeyHex())).ImportPrivateKey(ctxT(t), gen.ImportPrivateKeyIntent{
		UserID: "u-1", PrivateKeyName: "k", Curve: gen.CurveSecp256K1, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum},
	}, hex.EncodeToString(secret))
	require.NoError(t, err)
	assert.Equal(t, "pk-1", res.PrivateKeyID)
	assert.Equal(t, secret, got, "the enclave decrypts exactly the key sent")
}

func TestWithEnclaveSignerRejectsBadKeys(t *testing.T) {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	for _, bad := range []string{"", "zz", "04abcd", key.PublicKey() /* compressed */} {
		_, err := sdk.New(sdk.WithStamper(key), sdk.WithEnclaveSigner(bad))
		assert.Error(t, err, bad)
	}
}
