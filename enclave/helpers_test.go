package enclave

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Fixed keys, so that fuzz seeds and failures are reproducible. The target
// key is the one of Turnkey's published credential-bundle vector (see
// TestCredentialBundleTurnkeyVector).
const (
	testSignerHex = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
	testTargetHex = "20fa65df11f24833790ae283fc9a0c215eecbbc589549767977994dc69d05a56"
	testOtherHex  = "0f56db78ca460b055c500064824bed999a25aaf48ebb519ac201537b85479813"

	testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	testKeyHex   = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	testOrg      = "8f1a7b5e-1c52-4a39-9d3e-6a7f2b0c9e11"
	testUser     = "2b9c4d1e-7f3a-4e8b-a1c2-5d6e7f8a9b0c"
)

func testSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := ParseSigner(testSignerHex)
	require.NoError(t, err)
	return s
}

func testTarget(t testing.TB) *TargetKey {
	t.Helper()
	k, err := ParseTargetKey(testTargetHex)
	require.NoError(t, err)
	return k
}

func testOtherTarget(t testing.TB) *TargetKey {
	t.Helper()
	k, err := ParseTargetKey(testOtherHex)
	require.NoError(t, err)
	return k
}

// pin is the option accepting the test signer.
func pin(s *Signer) Option { return WithSignerPublicKey(s.PublicKeyHex()) }

// requireKind asserts that err is a *BundleError of the given kind and
// returns it.
func requireKind(t testing.TB, err, kind error) *BundleError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind, "got %v", err)
	var be *BundleError
	require.True(t, errors.As(err, &be), "not a *BundleError: %T %v", err, err)
	require.Equal(t, kind, be.Kind)
	return be
}

// envelope parses a signed bundle without verifying it.
func envelope(t testing.TB, bundle string) signedBundle {
	t.Helper()
	var env signedBundle
	require.NoError(t, json.Unmarshal([]byte(bundle), &env))
	return env
}

func (env signedBundle) String() string {
	b, err := json.Marshal(env)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// innerData returns the hex-decoded signed data of a bundle.
func innerData(t testing.TB, bundle string) map[string]string {
	t.Helper()
	raw, err := hex.DecodeString(envelope(t, bundle).Data)
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// resealData marshals m as signed data and signs it with s, producing a
// bundle whose signature is valid but whose content was changed.
func resealData(t testing.TB, s *Signer, m map[string]string) string {
	t.Helper()
	data, err := json.Marshal(m)
	require.NoError(t, err)
	bundle, err := sealSignedBundle("test", s.key.get(), data)
	require.NoError(t, err)
	return bundle
}

// flipHex flips the low bit of the hex digit at index i.
func flipHex(s string, i int) string {
	const digits = "0123456789abcdef"
	b := []byte(s)
	n := strings.IndexByte(digits, b[i]|0x20)
	if n < 0 {
		panic("flipHex: not a hex digit")
	}
	b[i] = digits[n^1]
	return string(b)
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }
