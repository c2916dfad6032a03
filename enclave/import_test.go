package enclave

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newImport(t *testing.T) (*Signer, string, *TargetKey) {
	t.Helper()
	s := testSigner(t)
	bundle, key, err := s.NewImportBundle(testOrg, testUser)
	require.NoError(t, err)
	return s, bundle, key
}

func TestImportBundleMnemonicRoundTrip(t *testing.T) {
	s, bundle, key := newImport(t)

	env := envelope(t, bundle)
	assert.Equal(t, "v1.0.0", env.Version)
	d := innerData(t, bundle)
	assert.Equal(t, key.PublicKeyHex(), d["targetPublic"])
	assert.Equal(t, testOrg, d["organizationId"])
	assert.Equal(t, testUser, d["userId"])

	target, err := VerifyImportBundle(bundle, testOrg, testUser, pin(s))
	require.NoError(t, err)
	assert.Equal(t, &ImportTarget{OrganizationID: testOrg, UserID: testUser, TargetPublicKeyHex: key.PublicKeyHex()}, target)

	encrypted, err := EncryptMnemonicForImport(bundle, testMnemonic, testOrg, testUser, pin(s))
	require.NoError(t, err)
	assert.NotContains(t, encrypted, testMnemonic)

	// Exactly {"encappedPublic": hex(65 bytes), "ciphertext": hex}.
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(encrypted), &m))
	assert.Len(t, m, 2)
	assert.Len(t, mustHex(t, m["encappedPublic"]), 65)
	assert.Len(t, mustHex(t, m["ciphertext"]), len(testMnemonic)+16)

	got, err := DecryptImportBundle(encrypted, key)
	require.NoError(t, err)
	assert.Equal(t, testMnemonic, string(got))

	// Same through ImportTarget.Encrypt.
	encrypted, err = target.Encrypt([]byte(testMnemonic))
	require.NoError(t, err)
	got, err = DecryptImportBundle(encrypted, key)
	require.NoError(t, err)
	assert.Equal(t, testMnemonic, string(got))
}

func TestImportBundlePrivateKeyRoundTrip(t *testing.T) {
	s, bundle, key := newImport(t)
	for _, in := range []string{testKeyHex, "0x" + testKeyHex, strings.ToUpper(testKeyHex), " " + testKeyHex + "\n"} {
		encrypted, err := EncryptPrivateKeyForImport(bundle, in, testOrg, testUser, pin(s))
		require.NoError(t, err)
		got, err := DecryptImportBundle(encrypted, key)
		require.NoError(t, err)
		assert.Equal(t, mustHex(t, testKeyHex), got)
	}

	// The generic form.
	encrypted, err := EncryptForImport(bundle, []byte{1, 2, 3}, testOrg, testUser, pin(s))
	require.NoError(t, err)
	got, err := DecryptImportBundle(encrypted, key)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, got)
}

func TestImportBundleSolanaKeyRoundTrip(t *testing.T) {
	s, bundle, key := newImport(t)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)

	encrypted, err := EncryptSolanaPrivateKeyForImport(bundle, base58Encode(priv), testOrg, testUser, pin(s))
	require.NoError(t, err)
	got, err := DecryptImportBundle(encrypted, key)
	require.NoError(t, err)
	assert.Equal(t, []byte(priv.Seed()), got)

	// Public half not matching the seed.
	bad := append([]byte{}, priv...)
	bad[63] ^= 1
	_, err = EncryptSolanaPrivateKeyForImport(bundle, base58Encode(bad), testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadPrivateKey)
	// 32-byte key, not base58.
	_, err = EncryptSolanaPrivateKeyForImport(bundle, base58Encode(priv.Seed()), testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadPrivateKey)
	_, err = EncryptSolanaPrivateKeyForImport(bundle, "0OIl", testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadPrivateKey)
	_, err = EncryptSolanaPrivateKeyForImport(bundle, strings.Repeat("z", 129), testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadPrivateKey)
}

func TestImportBundleTamperedSignature(t *testing.T) {
	s, bundle, _ := newImport(t)
	env := envelope(t, bundle)
	tampered := env
	tampered.DataSignature = flipHex(env.DataSignature, len(env.DataSignature)-3)
	_, err := VerifyImportBundle(tampered.String(), testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadSignature)
	_, err = EncryptMnemonicForImport(tampered.String(), testMnemonic, testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadSignature)
}

func TestImportBundleTamperedData(t *testing.T) {
	s, bundle, _ := newImport(t)
	env := envelope(t, bundle)

	// Swap in an attacker's target key without re-signing.
	attacker := testOtherTarget(t)
	d := innerData(t, bundle)
	d["targetPublic"] = attacker.PublicKeyHex()
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	tampered := env
	tampered.Data = hexOf(raw)
	_, err = VerifyImportBundle(tampered.String(), testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadSignature)
	_, err = EncryptPrivateKeyForImport(tampered.String(), testKeyHex, testOrg, testUser, pin(s))
	requireKind(t, err, ErrBadSignature)
}

func TestImportBundleWrongOrganizationAndUser(t *testing.T) {
	s, bundle, _ := newImport(t)

	_, err := VerifyImportBundle(bundle, "another-org", testUser, pin(s))
	be := requireKind(t, err, ErrOrganizationMismatch)
	assert.Equal(t, "another-org", be.Expected)
	assert.Equal(t, testOrg, be.Got)
	_, err = EncryptMnemonicForImport(bundle, testMnemonic, "another-org", testUser, pin(s))
	requireKind(t, err, ErrOrganizationMismatch)

	_, err = VerifyImportBundle(bundle, testOrg, "another-user", pin(s))
	be = requireKind(t, err, ErrUserMismatch)
	assert.Equal(t, "userId", be.Field)
	assert.Equal(t, "another-user", be.Expected)
	assert.Equal(t, testUser, be.Got)
	_, err = EncryptPrivateKeyForImport(bundle, testKeyHex, testOrg, "another-user", pin(s))
	requireKind(t, err, ErrUserMismatch)

	_, err = VerifyImportBundle(bundle, "", testUser, pin(s))
	requireKind(t, err, ErrInvalidInput)
	_, err = VerifyImportBundle(bundle, testOrg, "", pin(s))
	requireKind(t, err, ErrInvalidInput)
}

func TestImportBundleWrongSigner(t *testing.T) {
	s, bundle, key := newImport(t)

	_, err := VerifyImportBundle(bundle, testOrg, testUser)
	be := requireKind(t, err, ErrSignerMismatch)
	assert.Equal(t, ProductionSignerPublicKey, be.Expected)
	_, err = EncryptMnemonicForImport(bundle, testMnemonic, testOrg, testUser)
	requireKind(t, err, ErrSignerMismatch)

	encrypted, err := EncryptMnemonicForImport(bundle, testMnemonic, testOrg, testUser, WithSignerPublicKey(s.PublicKeyHex()))
	require.NoError(t, err)
	got, err := DecryptImportBundle(encrypted, key)
	require.NoError(t, err)
	assert.Equal(t, testMnemonic, string(got))
}

func TestImportBundleBadTargetPublic(t *testing.T) {
	s, bundle, _ := newImport(t)
	d := innerData(t, bundle)
	for _, tp := range []string{"", "zz", "04" + strings.Repeat("00", 64), d["targetPublic"][:66]} {
		m := map[string]string{"targetPublic": tp, "organizationId": testOrg, "userId": testUser}
		_, err := VerifyImportBundle(resealData(t, s, m), testOrg, testUser, pin(s))
		be := requireKind(t, err, ErrMalformedBundle)
		assert.Equal(t, "targetPublic", be.Field)
	}
}

func TestDecryptImportBundleTamperedAndWrongKey(t *testing.T) {
	s, bundle, key := newImport(t)
	encrypted, err := EncryptMnemonicForImport(bundle, testMnemonic, testOrg, testUser, pin(s))
	require.NoError(t, err)

	_, err = DecryptImportBundle(encrypted, testOtherTarget(t))
	requireKind(t, err, ErrDecrypt)

	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(encrypted), &m))
	m["ciphertext"] = flipHex(m["ciphertext"], 7)
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	_, err = DecryptImportBundle(string(raw), key)
	requireKind(t, err, ErrDecrypt)

	for _, bad := range []string{"", "{", `{"encappedPublic":"04"}`, `{"ciphertext":"00"}`, `{"encappedPublic":"zz","ciphertext":"00"}`} {
		_, err = DecryptImportBundle(bad, key)
		requireKind(t, err, ErrMalformedBundle)
	}
	_, err = DecryptImportBundle(encrypted, nil)
	requireKind(t, err, ErrBadPrivateKey)
}

func TestEncryptForImportBadInput(t *testing.T) {
	s, bundle, _ := newImport(t)
	for _, mnemonic := range []string{"", "   \n"} {
		_, err := EncryptMnemonicForImport(bundle, mnemonic, testOrg, testUser, pin(s))
		requireKind(t, err, ErrInvalidInput)
	}
	_, err := EncryptForImport(bundle, nil, testOrg, testUser, pin(s))
	requireKind(t, err, ErrInvalidInput)

	// A secret never appears in errors, even when it is malformed.
	secret := testKeyHex[:63] + "g"
	for _, k := range []string{secret, testKeyHex[:62], testKeyHex + "00"} {
		_, err = EncryptPrivateKeyForImport(bundle, k, testOrg, testUser, pin(s))
		requireKind(t, err, ErrBadPrivateKey)
		assert.NotContains(t, err.Error(), k[:16])
	}

	var nilTarget *ImportTarget
	_, err = nilTarget.Encrypt([]byte("x"))
	requireKind(t, err, ErrInvalidInput)
	_, err = (&ImportTarget{TargetPublicKeyHex: "04"}).Encrypt([]byte("x"))
	requireKind(t, err, ErrBadPublicKey)

	_, _, err = s.NewImportBundle("", testUser)
	requireKind(t, err, ErrInvalidInput)
	_, _, err = s.NewImportBundle(testOrg, "")
	requireKind(t, err, ErrInvalidInput)
}
