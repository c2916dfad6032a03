package sdk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// TestSessionExpirationOutOfRange: an expirationSeconds too large for a
// time.Duration is a clear error before anything is sent, never a session
// whose ExpiresAt overflowed into the past.
func TestSessionExpirationOutOfRange(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { t.Error("nothing should be sent"); return reply{Status: 500} })
	for _, secs := range []string{"9223372037", "99999999999999999999"} {
		_, err := h.client().CreateReadWriteSession(ctxT(t), gen.CreateReadWriteSessionIntentV2{ExpirationSeconds: ptr(secs)})
		require.Error(t, err, secs)
		assert.Contains(t, err.Error(), "out of range")
	}
	for _, secs := range []string{"0", "-5", "soon"} {
		_, err := h.client().CreateReadWriteSession(ctxT(t), gen.CreateReadWriteSessionIntentV2{ExpirationSeconds: ptr(secs)})
		require.Error(t, err, secs)
		assert.Contains(t, err.Error(), "not a positive number")
	}
	assert.Equal(t, int64(9223372036), int64(sdk.MaxSessionSeconds))
}
