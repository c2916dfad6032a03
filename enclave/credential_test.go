package enclave

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialBundleRoundTrip(t *testing.T) {
	target, err := GenerateTargetKey()
	require.NoError(t, err)
	apiKey, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)

	bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), apiKey.Bytes())
	require.NoError(t, err)

	sk, err := DecryptCredentialBundle(bundle, target)
	require.NoError(t, err)
	assert.Equal(t, apiKey.Bytes(), sk.Bytes())
	assert.Equal(t, compressP256(apiKey.PublicKey().Bytes()), mustHex(t, sk.CompressedPublicKeyHex()))
	assert.Len(t, sk.PrivateKeyHex(), 64)

	// The recovered key signs, and the signature verifies under the API key.
	priv, err := sk.ECDSA()
	require.NoError(t, err)
	digest := sha256.Sum256([]byte("stamp me"))
	sig, err := ecdsa.SignASN1(rand.Reader, priv, digest[:])
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(&priv.PublicKey, digest[:], sig))

	// Copy/paste whitespace is tolerated.
	sk2, err := DecryptCredentialBundle("\n  "+bundle+" \r\n", target)
	require.NoError(t, err)
	assert.Equal(t, sk.PrivateKeyHex(), sk2.PrivateKeyHex())

	sk.Destroy()
	_, err = sk.ECDSA()
	requireKind(t, err, ErrBadPrivateKey)
}

func TestCredentialBundleTamperedChecksum(t *testing.T) {
	target := testTarget(t)
	bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), mustHex(t, testKeyHex))
	require.NoError(t, err)

	// Flip one checksum byte and re-encode in plain base58.
	raw, err := base58Decode(bundle)
	require.NoError(t, err)
	raw[len(raw)-1] ^= 0x01
	_, err = DecryptCredentialBundle(base58Encode(raw), target)
	requireKind(t, err, ErrChecksum)

	// A typo in the last character.
	last := bundle[len(bundle)-1]
	repl := byte('2')
	if last == '2' {
		repl = '3'
	}
	_, err = DecryptCredentialBundle(bundle[:len(bundle)-1]+string(repl), target)
	requireKind(t, err, ErrChecksum)

	// A dropped character.
	_, err = DecryptCredentialBundle(bundle[:len(bundle)-1], target)
	require.Error(t, err)
	assert.True(t, isKind(err, ErrChecksum) || isKind(err, ErrMalformedBundle), "%v", err)
}

func isKind(err, kind error) bool {
	be, ok := err.(*BundleError)
	return ok && be.Kind == kind
}

func TestCredentialBundleTamperedCiphertext(t *testing.T) {
	target := testTarget(t)
	bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), mustHex(t, testKeyHex))
	require.NoError(t, err)
	payload, err := base58CheckDecode(bundle)
	require.NoError(t, err)

	for _, i := range []int{33, 40, len(payload) - 1} { // ciphertext body and GCM tag
		p := append([]byte{}, payload...)
		p[i] ^= 0x80
		_, err := DecryptCredentialBundle(base58CheckEncode(p), target)
		requireKind(t, err, ErrDecrypt)
	}

	// A different, valid encapsulated key.
	other, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	p := append(compressP256(other.PublicKey().Bytes()), payload[33:]...)
	_, err = DecryptCredentialBundle(base58CheckEncode(p), target)
	requireKind(t, err, ErrDecrypt)

	// An encapsulated key that is not a point.
	p = append([]byte{}, payload...)
	p[0] = 0x05
	_, err = DecryptCredentialBundle(base58CheckEncode(p), target)
	be := requireKind(t, err, ErrMalformedBundle)
	assert.ErrorIs(t, err, ErrBadPublicKey)
	assert.Equal(t, "encappedPublic", be.Field)
}

func TestCredentialBundleWrongTargetKey(t *testing.T) {
	bundle, err := EncryptCredentialBundle(testTarget(t).PublicKeyHex(), mustHex(t, testKeyHex))
	require.NoError(t, err)
	_, err = DecryptCredentialBundle(bundle, testOtherTarget(t))
	requireKind(t, err, ErrDecrypt)
}

func TestCredentialBundleMalformed(t *testing.T) {
	target := testTarget(t)
	for name, bundle := range map[string]string{
		"empty":         "",
		"spaces":        "   ",
		"invalid char":  "0OIl",
		"too short":     base58CheckEncode(make([]byte, 33)),
		"json":          `{"version":"v1.0.0"}`,
		"huge":          string(make([]byte, maxCredentialBundleLen+1)),
		"short payload": base58CheckEncode([]byte{1, 2, 3}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecryptCredentialBundle(bundle, target)
			requireKind(t, err, ErrMalformedBundle)
		})
	}
	_, err := DecryptCredentialBundle("abc", nil)
	requireKind(t, err, ErrBadPrivateKey)
	_, err = DecryptCredentialBundle("abc", &TargetKey{})
	requireKind(t, err, ErrBadPrivateKey)
}

func TestCredentialBundlePlaintextNotAKey(t *testing.T) {
	target := testTarget(t)
	for _, pt := range [][]byte{make([]byte, 16), make([]byte, 32), make([]byte, 33), {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		bundle, err := EncryptCredentialBundle(target.PublicKeyHex(), pt)
		require.NoError(t, err)
		_, err = DecryptCredentialBundle(bundle, target)
		be := requireKind(t, err, ErrMalformedBundle)
		assert.Equal(t, "plaintext", be.Field)
	}
}

func TestEncryptCredentialBundleBadInput(t *testing.T) {
	target := testTarget(t)
	pub := target.PublicKeyHex()
	for name, key := range map[string]string{
		"empty":        "",
		"not hex":      "zz",
		"compressed":   hexOf(compressP256(mustHex(t, pub))),
		"wrong prefix": "05" + pub[2:],
		"off curve":    pub[:len(pub)-2] + "00",
		"truncated":    pub[:64],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := EncryptCredentialBundle(key, mustHex(t, testKeyHex))
			requireKind(t, err, ErrBadPublicKey)
		})
	}
	_, err := EncryptCredentialBundle(pub, nil)
	requireKind(t, err, ErrInvalidInput)
}
