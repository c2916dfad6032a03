package enclave

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sealExport(t *testing.T, s *Signer, target *TargetKey, plaintext []byte) string {
	t.Helper()
	bundle, err := s.SealExportBundle(target.PublicKeyHex(), plaintext, testOrg)
	require.NoError(t, err)
	return bundle
}

func TestExportBundleWalletRoundTrip(t *testing.T) {
	s, err := NewSigner()
	require.NoError(t, err)
	target, err := GenerateTargetKey()
	require.NoError(t, err)
	bundle := sealExport(t, s, target, []byte(testMnemonic))

	env := envelope(t, bundle)
	assert.Equal(t, "v1.0.0", env.Version)
	assert.Equal(t, s.PublicKeyHex(), env.EnclaveQuorumPublic)
	d := innerData(t, bundle)
	assert.Equal(t, testOrg, d["organizationId"])
	assert.Len(t, d["encappedPublic"], 130)
	assert.NotContains(t, bundle, testMnemonic)

	exp, err := DecryptExportBundle(bundle, target, testOrg, pin(s))
	require.NoError(t, err)
	assert.Equal(t, testMnemonic, exp.Mnemonic())
	assert.Equal(t, []byte(testMnemonic), exp.Bytes())

	exp.Destroy()
	assert.Equal(t, strings.Repeat("\x00", len(testMnemonic)), exp.Mnemonic())
}

func TestExportBundlePrivateKeyRoundTrip(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, mustHex(t, testKeyHex))
	exp, err := DecryptExportBundle(bundle, target, testOrg, pin(s))
	require.NoError(t, err)
	assert.Equal(t, testKeyHex, exp.PrivateKeyHex())
	assert.Equal(t, mustHex(t, testKeyHex), exp.Bytes())
}

func TestExportBundleTamperedSignature(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	env := envelope(t, sealExport(t, s, target, []byte(testMnemonic)))

	for _, i := range []int{len(env.DataSignature) - 1, len(env.DataSignature) / 2, 12} {
		tampered := env
		tampered.DataSignature = flipHex(env.DataSignature, i)
		_, err := DecryptExportBundle(tampered.String(), target, testOrg, pin(s))
		be := requireKind(t, err, ErrBadSignature)
		assert.Equal(t, "dataSignature", be.Field)
	}

	// A valid signature by the same signer over other data.
	other := env
	other.DataSignature = envelope(t, sealExport(t, s, target, []byte("other"))).DataSignature
	_, err := DecryptExportBundle(other.String(), target, testOrg, pin(s))
	requireKind(t, err, ErrBadSignature)

	// Signature not hex.
	nothex := env
	nothex.DataSignature = "zz" + env.DataSignature[2:]
	_, err = DecryptExportBundle(nothex.String(), target, testOrg, pin(s))
	requireKind(t, err, ErrBadSignature)
}

func TestExportBundleTamperedData(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, []byte(testMnemonic))
	env := envelope(t, bundle)

	// One flipped bit anywhere in data (here: inside the ciphertext).
	tampered := env
	tampered.Data = flipHex(env.Data, len(env.Data)-40)
	_, err := DecryptExportBundle(tampered.String(), target, testOrg, pin(s))
	requireKind(t, err, ErrBadSignature)

	// Data rewritten to claim the caller's organization, signature kept.
	d := innerData(t, sealExport(t, s, target, []byte(testMnemonic)))
	d["organizationId"] = "attacker-org"
	forged := env
	forged.Data = envelope(t, resealData(t, s, d)).Data
	_, err = DecryptExportBundle(forged.String(), target, "attacker-org", pin(s))
	requireKind(t, err, ErrBadSignature)
}

func TestExportBundleWrongOrganization(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, []byte(testMnemonic))
	_, err := DecryptExportBundle(bundle, target, "another-org", pin(s))
	be := requireKind(t, err, ErrOrganizationMismatch)
	assert.Equal(t, "organizationId", be.Field)
	assert.Equal(t, "another-org", be.Expected)
	assert.Equal(t, testOrg, be.Got)
	assert.Contains(t, err.Error(), "another-org")
	assert.NotContains(t, err.Error(), testMnemonic)

	// A validly signed bundle without organizationId.
	d := innerData(t, bundle)
	delete(d, "organizationId")
	_, err = DecryptExportBundle(resealData(t, s, d), target, testOrg, pin(s))
	requireKind(t, err, ErrOrganizationMismatch)

	_, err = DecryptExportBundle(bundle, target, "", pin(s))
	requireKind(t, err, ErrInvalidInput)
}

func TestExportBundleTamperedCiphertext(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, []byte(testMnemonic))
	d := innerData(t, bundle)

	// Re-signed by the legitimate signer, so that only HPKE can notice.
	for _, i := range []int{0, len(d["ciphertext"]) / 2, len(d["ciphertext"]) - 1} {
		m := map[string]string{"encappedPublic": d["encappedPublic"], "organizationId": testOrg,
			"ciphertext": flipHex(d["ciphertext"], i)}
		_, err := DecryptExportBundle(resealData(t, s, m), target, testOrg, pin(s))
		requireKind(t, err, ErrDecrypt)
	}

	// Truncated ciphertext.
	m := map[string]string{"encappedPublic": d["encappedPublic"], "organizationId": testOrg, "ciphertext": d["ciphertext"][:20]}
	_, err := DecryptExportBundle(resealData(t, s, m), target, testOrg, pin(s))
	requireKind(t, err, ErrDecrypt)

	// Another valid encapsulated key.
	other := testOtherTarget(t).PublicKeyHex()
	m = map[string]string{"encappedPublic": other, "organizationId": testOrg, "ciphertext": d["ciphertext"]}
	_, err = DecryptExportBundle(resealData(t, s, m), target, testOrg, pin(s))
	requireKind(t, err, ErrDecrypt)

	// An encapsulated key that is not a point, or missing fields.
	for _, m := range []map[string]string{
		{"encappedPublic": "04" + strings.Repeat("00", 64), "organizationId": testOrg, "ciphertext": d["ciphertext"]},
		{"encappedPublic": d["encappedPublic"][:66], "organizationId": testOrg, "ciphertext": d["ciphertext"]},
		{"organizationId": testOrg, "ciphertext": d["ciphertext"]},
		{"encappedPublic": d["encappedPublic"], "organizationId": testOrg},
		{"encappedPublic": "xyz", "organizationId": testOrg, "ciphertext": d["ciphertext"]},
	} {
		_, err = DecryptExportBundle(resealData(t, s, m), target, testOrg, pin(s))
		requireKind(t, err, ErrMalformedBundle)
	}
}

func TestExportBundleWrongSigner(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, []byte(testMnemonic))

	// The default pin (production key) rejects the simulator's signature.
	_, err := DecryptExportBundle(bundle, target, testOrg)
	be := requireKind(t, err, ErrSignerMismatch)
	assert.Equal(t, "enclaveQuorumPublic", be.Field)
	assert.Equal(t, ProductionSignerPublicKey, be.Expected)
	assert.Equal(t, s.PublicKeyHex(), be.Got)

	// The explicit option accepts it.
	exp, err := DecryptExportBundle(bundle, target, testOrg, WithSignerPublicKey(s.PublicKeyHex()))
	require.NoError(t, err)
	assert.Equal(t, testMnemonic, exp.Mnemonic())

	// Upper-case hex in the option is the same key.
	_, err = DecryptExportBundle(bundle, target, testOrg, WithSignerPublicKey(strings.ToUpper(s.PublicKeyHex())))
	require.NoError(t, err)

	// Pinning another simulator key rejects it.
	other, err := NewSigner()
	require.NoError(t, err)
	_, err = DecryptExportBundle(bundle, target, testOrg, pin(other))
	requireKind(t, err, ErrSignerMismatch)

	// Claiming to be the production signer without its signature.
	forged := envelope(t, bundle)
	forged.EnclaveQuorumPublic = ProductionSignerPublicKey
	_, err = DecryptExportBundle(forged.String(), target, testOrg)
	requireKind(t, err, ErrBadSignature)
}

func TestExportBundleWrongTargetKey(t *testing.T) {
	s := testSigner(t)
	bundle := sealExport(t, s, testTarget(t), []byte(testMnemonic))
	_, err := DecryptExportBundle(bundle, testOtherTarget(t), testOrg, pin(s))
	requireKind(t, err, ErrDecrypt)
}

func TestExportBundleMalformed(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	env := envelope(t, sealExport(t, s, target, []byte(testMnemonic)))

	v := env
	v.Version = "v2.0.0"
	_, err := DecryptExportBundle(v.String(), target, testOrg, pin(s))
	be := requireKind(t, err, ErrUnsupportedVersion)
	assert.Equal(t, "v2.0.0", be.Got)

	for name, bundle := range map[string]string{
		"empty":           "",
		"not json":        "w99a5xV6A75Tfo",
		"json array":      "[]",
		"missing data":    `{"version":"v1.0.0","dataSignature":"00","enclaveQuorumPublic":"04"}`,
		"quorum not hex":  `{"version":"v1.0.0","data":"00","dataSignature":"00","enclaveQuorumPublic":"zz"}`,
		"data not hex":    signedBundle{signedBundleVersion, "zz", env.DataSignature, env.EnclaveQuorumPublic}.String(),
		"data not object": mustSeal(t, s, []byte(`"just a string"`)),
		"data not json":   mustSeal(t, s, []byte(`{`)),
		"huge":            strings.Repeat(" ", maxSignedBundleLen+1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecryptExportBundle(bundle, target, testOrg, pin(s))
			requireKind(t, err, ErrMalformedBundle)
		})
	}

	_, err = DecryptExportBundle(env.String(), nil, testOrg, pin(s))
	requireKind(t, err, ErrBadPrivateKey)
}

func mustSeal(t *testing.T, s *Signer, data []byte) string {
	t.Helper()
	bundle, err := sealSignedBundle("test", s.key.get(), data)
	require.NoError(t, err)
	return bundle
}

func TestWithSignerPublicKeyRejectsBadKeys(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	bundle := sealExport(t, s, target, []byte(testMnemonic))
	pub := s.PublicKeyHex()
	for name, key := range map[string]string{
		"empty":      "",
		"not hex":    "xyz",
		"compressed": hex.EncodeToString(compressP256(mustHex(t, pub))),
		"off curve":  pub[:len(pub)-2] + "00",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecryptExportBundle(bundle, target, testOrg, WithSignerPublicKey(key))
			be := requireKind(t, err, ErrBadPublicKey)
			assert.Equal(t, "DecryptExportBundle", be.Op)
			assert.Equal(t, "WithSignerPublicKey", be.Field)
		})
	}
	// A nil option is ignored.
	_, err := DecryptExportBundle(bundle, target, testOrg, nil, pin(s))
	require.NoError(t, err)
}

func TestSealExportBundleBadInput(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	_, err := s.SealExportBundle("04", []byte("x"), testOrg)
	requireKind(t, err, ErrBadPublicKey)
	_, err = s.SealExportBundle(target.PublicKeyHex(), nil, testOrg)
	requireKind(t, err, ErrInvalidInput)
	_, err = s.SealExportBundle(target.PublicKeyHex(), []byte("x"), "")
	requireKind(t, err, ErrInvalidInput)
	var nilSigner *Signer
	_, err = nilSigner.SealExportBundle(target.PublicKeyHex(), []byte("x"), testOrg)
	requireKind(t, err, ErrBadPrivateKey)
}
