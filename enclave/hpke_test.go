package enclave

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file checks the HPKE layer independently of hpke.go:
//
//   - refOpen and refSeal are a from-scratch RFC 9180 base-mode
//     implementation of DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 /
//     AES-256-GCM on crypto/ecdh, crypto/hkdf and crypto/cipher, with info and
//     AAD passed explicitly;
//   - they are anchored on Turnkey's published credential-bundle vector;
//   - bundles produced by this package are opened with them (and with a
//     crypto/hpke Recipient built here) using info "turnkey_hpke" and
//     AAD = enc ‖ receiver public key, and bundles they produce are opened by
//     this package.

const (
	refInfo = "turnkey_hpke"

	// Turnkey's published credential-bundle vector (@turnkey/crypto tests):
	// the bundle decrypts with turnkeyVectorTarget to turnkeyVectorPlaintext.
	turnkeyVectorBundle    = "w99a5xV6A75TfoAUkZn869fVyDYvgVsKrawMALZXmrauZd8hEv66EkPU1Z42CUaHESQjcA5bqd8dynTGBMLWB9ewtXWPEVbZvocB4Tw2K1vQVp7uwjf"
	turnkeyVectorTarget    = testTargetHex
	turnkeyVectorPlaintext = "67ee05fc3bdf4161bc70701c221d8d77180294cefcfcea64ba83c4d4c732fcb9"
)

var (
	refKEMSuite  = []byte{'K', 'E', 'M', 0x00, 0x10}                              // DHKEM(P-256, HKDF-SHA256)
	refHPKESuite = []byte{'H', 'P', 'K', 'E', 0x00, 0x10, 0x00, 0x01, 0x00, 0x02} // + HKDF-SHA256, AES-256-GCM
)

func refLabeledExtract(t testing.TB, suite, salt []byte, label string, ikm []byte) []byte {
	t.Helper()
	in := append([]byte("HPKE-v1"), suite...)
	in = append(in, label...)
	in = append(in, ikm...)
	prk, err := hkdf.Extract(sha256.New, in, salt)
	require.NoError(t, err)
	return prk
}

func refLabeledExpand(t testing.TB, suite, prk []byte, label string, info []byte, n int) []byte {
	t.Helper()
	in := []byte{byte(n >> 8), byte(n)}
	in = append(in, "HPKE-v1"...)
	in = append(in, suite...)
	in = append(in, label...)
	in = append(in, info...)
	out, err := hkdf.Expand(sha256.New, prk, string(in), n)
	require.NoError(t, err)
	return out
}

// refKeySchedule derives the AEAD key and nonce (sequence number 0) from the
// ECDH output, per RFC 9180 sections 4.1 and 5.1, base mode.
func refKeySchedule(t testing.TB, dh, enc, pkR, info []byte) (aead cipher.AEAD, nonce []byte) {
	t.Helper()
	kemContext := append(append([]byte{}, enc...), pkR...)
	eaePRK := refLabeledExtract(t, refKEMSuite, nil, "eae_prk", dh)
	shared := refLabeledExpand(t, refKEMSuite, eaePRK, "shared_secret", kemContext, 32)

	pskIDHash := refLabeledExtract(t, refHPKESuite, nil, "psk_id_hash", nil)
	infoHash := refLabeledExtract(t, refHPKESuite, nil, "info_hash", info)
	ksContext := append([]byte{0x00}, pskIDHash...)
	ksContext = append(ksContext, infoHash...)
	secret := refLabeledExtract(t, refHPKESuite, shared, "secret", nil)
	key := refLabeledExpand(t, refHPKESuite, secret, "key", ksContext, 32)
	nonce = refLabeledExpand(t, refHPKESuite, secret, "base_nonce", ksContext, 12)

	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	gcm, err := cipher.NewGCM(block)
	require.NoError(t, err)
	return gcm, nonce
}

func refOpen(t testing.TB, skR *ecdh.PrivateKey, enc, info, aad, ct []byte) ([]byte, error) {
	t.Helper()
	pkE, err := ecdh.P256().NewPublicKey(enc)
	require.NoError(t, err)
	dh, err := skR.ECDH(pkE)
	require.NoError(t, err)
	aead, nonce := refKeySchedule(t, dh, enc, skR.PublicKey().Bytes(), info)
	return aead.Open(nil, nonce, ct, aad)
}

func refSeal(t testing.TB, pkR *ecdh.PublicKey, info, aadSuffix, pt []byte) (enc, ct []byte) {
	t.Helper()
	skE, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	dh, err := skE.ECDH(pkR)
	require.NoError(t, err)
	enc = skE.PublicKey().Bytes()
	aead, nonce := refKeySchedule(t, dh, enc, pkR.Bytes(), info)
	aad := append(append([]byte{}, enc...), aadSuffix...)
	return enc, aead.Seal(nil, nonce, pt, aad)
}

// splitCredentialBundle returns the uncompressed enc and the ciphertext.
func splitCredentialBundle(t testing.TB, bundle string) (enc, ct []byte) {
	t.Helper()
	payload, err := base58CheckDecode(bundle)
	require.NoError(t, err)
	enc, err = decompressP256(payload[:33])
	require.NoError(t, err)
	return enc, payload[33:]
}

func TestReferenceHPKEOnTurnkeyVector(t *testing.T) {
	target := testTarget(t)
	enc, ct := splitCredentialBundle(t, turnkeyVectorBundle)
	aad := hpkeAAD(enc, target.priv.get().PublicKey().Bytes())

	pt, err := refOpen(t, target.priv.get(), enc, []byte(refInfo), aad, ct)
	require.NoError(t, err)
	assert.Equal(t, turnkeyVectorPlaintext, hex.EncodeToString(pt))

	// The vector pins info and AAD: any other choice fails authentication.
	_, err = refOpen(t, target.priv.get(), enc, []byte("other_info"), aad, ct)
	assert.Error(t, err)
	_, err = refOpen(t, target.priv.get(), enc, []byte(refInfo), nil, ct)
	assert.Error(t, err)
	_, err = refOpen(t, target.priv.get(), enc, []byte(refInfo), enc, ct)
	assert.Error(t, err)
}

func TestCredentialBundleTurnkeyVector(t *testing.T) {
	sk, err := DecryptCredentialBundle(turnkeyVectorBundle, testTarget(t))
	require.NoError(t, err)
	assert.Equal(t, turnkeyVectorPlaintext, sk.PrivateKeyHex())
}

// openAll opens (enc, ct) to target with the reference implementation and
// with a crypto/hpke Recipient built here, both using the documented info and
// AAD, and checks that a wrong info or AAD is rejected.
func openAll(t *testing.T, target *TargetKey, enc, ct []byte) []byte {
	t.Helper()
	require.Len(t, enc, 65)
	require.Equal(t, byte(0x04), enc[0])
	pkR := target.priv.get().PublicKey().Bytes()
	aad := append(append([]byte{}, enc...), pkR...)

	ref, err := refOpen(t, target.priv.get(), enc, []byte("turnkey_hpke"), aad, ct)
	require.NoError(t, err)

	sk, err := hpke.DHKEM(ecdh.P256()).NewPrivateKey(target.priv.get().Bytes())
	require.NoError(t, err)
	r, err := hpke.NewRecipient(enc, sk, hpke.HKDFSHA256(), hpke.AES256GCM(), []byte("turnkey_hpke"))
	require.NoError(t, err)
	std, err := r.Open(aad, ct)
	require.NoError(t, err)
	require.Equal(t, ref, std)

	_, err = refOpen(t, target.priv.get(), enc, []byte("turnkey_hpke"), nil, ct)
	require.Error(t, err, "must not open without AAD")
	_, err = refOpen(t, target.priv.get(), enc, []byte(""), aad, ct)
	require.Error(t, err, "must not open with empty info")
	// The one-shot hpke.Open uses no AAD, so it must fail too.
	_, err = hpke.Open(sk, hpke.HKDFSHA256(), hpke.AES256GCM(), []byte("turnkey_hpke"), append(append([]byte{}, enc...), ct...))
	require.Error(t, err)
	return ref
}

func TestIndependentHPKECredentialBundle(t *testing.T) {
	target := testTarget(t)
	plaintext := mustHex(t, testKeyHex)
	bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), plaintext)
	require.NoError(t, err)
	enc, ct := splitCredentialBundle(t, bundle)
	assert.Equal(t, plaintext, openAll(t, target, enc, ct))
}

func TestIndependentHPKEExportBundle(t *testing.T) {
	target := testTarget(t)
	bundle, err := testSigner(t).SealExportBundle(target.PublicKeyHex(), []byte(testMnemonic), testOrg)
	require.NoError(t, err)
	d := innerData(t, bundle)
	got := openAll(t, target, mustHex(t, d["encappedPublic"]), mustHex(t, d["ciphertext"]))
	assert.Equal(t, testMnemonic, string(got))
}

func TestIndependentHPKEImportBundle(t *testing.T) {
	s := testSigner(t)
	importBundle, importKey, err := s.NewImportBundle(testOrg, testUser)
	require.NoError(t, err)
	encrypted, err := EncryptMnemonicForImport(importBundle, testMnemonic, testOrg, testUser, pin(s))
	require.NoError(t, err)
	var eb map[string]string
	require.NoError(t, json.Unmarshal([]byte(encrypted), &eb))
	got := openAll(t, importKey, mustHex(t, eb["encappedPublic"]), mustHex(t, eb["ciphertext"]))
	assert.Equal(t, testMnemonic, string(got))
}

// The reverse direction: bundles sealed by the reference implementation open
// with this package.
func TestReferenceSealOpensWithPackage(t *testing.T) {
	target := testTarget(t)
	pkR := target.priv.get().PublicKey()
	plaintext := mustHex(t, testKeyHex)

	enc, ct := refSeal(t, pkR, []byte("turnkey_hpke"), pkR.Bytes(), plaintext)
	bundle := base58CheckEncode(append(compressP256(enc), ct...))
	sk, err := DecryptCredentialBundle(bundle, target)
	require.NoError(t, err)
	assert.Equal(t, testKeyHex, sk.PrivateKeyHex())

	eb, err := json.Marshal(map[string]string{"encappedPublic": hex.EncodeToString(enc), "ciphertext": hex.EncodeToString(ct)})
	require.NoError(t, err)
	got, err := DecryptImportBundle(string(eb), target)
	require.NoError(t, err)
	assert.Equal(t, plaintext, got)

	// Sealed with another info string or without the receiver key in the
	// AAD: rejected.
	enc, ct = refSeal(t, pkR, []byte("other"), pkR.Bytes(), plaintext)
	_, err = DecryptCredentialBundle(base58CheckEncode(append(compressP256(enc), ct...)), target)
	requireKind(t, err, ErrDecrypt)
	enc, ct = refSeal(t, pkR, []byte("turnkey_hpke"), nil, plaintext)
	_, err = DecryptCredentialBundle(base58CheckEncode(append(compressP256(enc), ct...)), target)
	requireKind(t, err, ErrDecrypt)
}

func TestPointCompression(t *testing.T) {
	for i := 0; i < 50; i++ {
		k, err := ecdh.P256().GenerateKey(rand.Reader)
		require.NoError(t, err)
		u := k.PublicKey().Bytes()
		c := compressP256(u)
		require.Len(t, c, 33)
		got, err := decompressP256(c)
		require.NoError(t, err)
		require.Equal(t, u, got)
	}
	_, err := decompressP256(make([]byte, 33))
	assert.Error(t, err)
	// x = p (the field prime) is out of range.
	_, err = decompressP256(mustHex(t, "02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"))
	assert.Error(t, err)
	_, err = decompressP256([]byte{0x04})
	assert.Error(t, err)
}
