package enclave

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOtpCodeRoundTrip(t *testing.T) {
	s := testSigner(t)
	bundle, key, err := s.NewOtpEncryptionTarget(testOrg)
	require.NoError(t, err)
	d := innerData(t, bundle)
	assert.Equal(t, key.PublicKeyHex(), d["targetPublic"])
	assert.Equal(t, testOrg, d["organizationId"])

	client := testTarget(t) // any P-256 key: the one the token is bound to
	compressed := hexOf(compressP256(mustHex(t, client.PublicKeyHex())))
	for _, pub := range []string{client.PublicKeyHex(), compressed} {
		enc, err := EncryptOtpCode(bundle, testOrg, "123456", pub, pin(s))
		require.NoError(t, err)
		assert.NotContains(t, enc, "123456")
		code, got, err := DecryptOtpAttempt(enc, key)
		require.NoError(t, err)
		assert.Equal(t, "123456", code)
		assert.Equal(t, pub, got)

		_, _, err = DecryptOtpAttempt(enc, testOtherTarget(t))
		require.Error(t, err, "only the target key opens it")
	}
}

func TestEncryptOtpCodeChecks(t *testing.T) {
	s := testSigner(t)
	bundle, _, err := s.NewOtpEncryptionTarget(testOrg)
	require.NoError(t, err)
	pub := testTarget(t).PublicKeyHex()
	other, err := NewSigner()
	require.NoError(t, err)

	_, err = EncryptOtpCode(bundle, testOrg, "123456", pub)
	requireKind(t, err, ErrSignerMismatch) // ProductionOtpSignerPublicKey is pinned by default
	_, err = EncryptOtpCode(bundle, "another-org", "123456", pub, pin(s))
	requireKind(t, err, ErrOrganizationMismatch)
	_, err = EncryptOtpCode(bundle, testOrg, "", pub, pin(s))
	requireKind(t, err, ErrInvalidInput)
	_, err = EncryptOtpCode(bundle, testOrg, "123456", "04ab", pin(s))
	requireKind(t, err, ErrBadPublicKey)
	_, err = EncryptOtpCode(resealData(t, other, innerData(t, bundle)), testOrg, "123456", pub, pin(s))
	requireKind(t, err, ErrSignerMismatch) // signed by another signer
	_, err = EncryptOtpCode(bundle, testOrg, "secret-code", "zz", pin(s))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-code", "the code never appears in an error")
}
