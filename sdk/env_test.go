package sdk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestNewFromEnv(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: whoamiBody} })
	t.Setenv(sdk.EnvAPIPrivateKey, h.key.PrivateKeyHex())
	t.Setenv(sdk.EnvAPIPublicKey, h.key.PublicKey())
	t.Setenv(sdk.EnvOrganizationID, "org-from-env")
	t.Setenv(sdk.EnvBaseURL, h.srv.URL)
	t.Setenv(sdk.EnvAPIKeyCurve, "")

	c, err := sdk.NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "org-from-env", c.OrganizationID())
	_, err = c.Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err, "stamps with the key from the environment, at the URL from the environment")
	assert.Equal(t, "org-from-env", decode(t, h.requests()[0].Body)["organizationId"])

	// Options given to NewFromEnv win over the environment.
	c, err = sdk.NewFromEnv(sdk.WithOrganizationID("explicit"))
	require.NoError(t, err)
	assert.Equal(t, "explicit", c.OrganizationID())

	other, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	t.Setenv(sdk.EnvAPIPublicKey, other.PublicKey())
	_, err = sdk.NewFromEnv()
	require.ErrorIs(t, err, stamp.ErrKeyMismatch)
	assert.NotContains(t, err.Error(), h.key.PrivateKeyHex())

	t.Setenv(sdk.EnvAPIPublicKey, "")
	t.Setenv(sdk.EnvAPIKeyCurve, "rsa")
	_, err = sdk.NewFromEnv()
	require.ErrorIs(t, err, stamp.ErrUnknownCurve)

	t.Setenv(sdk.EnvAPIKeyCurve, "")
	t.Setenv(sdk.EnvAPIPrivateKey, "")
	_, err = sdk.NewFromEnv()
	require.ErrorIs(t, err, sdk.ErrMissingEnv)
}

func TestNewFromKeyFile(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: whoamiBody} })
	dir := t.TempDir()
	require.NoError(t, stamp.SaveKeyFile(dir, "ci", h.key))
	t.Setenv(sdk.EnvOrganizationID, "")
	t.Setenv(sdk.EnvBaseURL, "")

	c, err := sdk.NewFromKeyFile(dir, "ci", sdk.WithBaseURL(h.srv.URL), sdk.WithOrganizationID(testOrg))
	require.NoError(t, err)
	_, err = c.Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)

	_, err = sdk.NewFromKeyFile(dir, "missing")
	require.Error(t, err)
}
