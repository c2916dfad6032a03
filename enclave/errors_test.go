package enclave

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBundleErrorFormatAndUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := &BundleError{Op: "Op", Kind: ErrMalformedBundle, Field: "f", Detail: "d", Expected: "a", Got: "b", Err: cause}
	assert.Equal(t, `enclave: Op: malformed bundle (field f): d: expected "a", got "b": cause`, err.Error())
	assert.ErrorIs(t, err, ErrMalformedBundle)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, err, ErrDecrypt)

	assert.Equal(t, "enclave: error", (&BundleError{}).Error())
	assert.Empty(t, (&BundleError{}).Unwrap())
}

func TestMismatchValuesAreTruncated(t *testing.T) {
	s, target := testSigner(t), testTarget(t)
	longOrg := strings.Repeat("o", 10_000)
	bundle, err := s.SealExportBundle(target.PublicKeyHex(), []byte(testMnemonic), longOrg)
	require.NoError(t, err)
	_, err = DecryptExportBundle(bundle, target, testOrg, pin(s))
	be := requireKind(t, err, ErrOrganizationMismatch)
	assert.Len(t, be.Got, maxShown+len("..."))
	assert.Less(t, len(err.Error()), 400)
}
