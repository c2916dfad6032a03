package sdk_test

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func TestAPIErrorMapping(t *testing.T) {
	cases := []struct {
		status int
		body   any
		is     error
		code   int
		msg    string
	}{
		{401, map[string]any{"code": 16, "message": "unauthenticated", "details": []any{}}, sdk.ErrUnauthenticated, 16, "unauthenticated"},
		{403, map[string]any{"code": 7, "message": "denied by policy", "details": []any{map[string]any{"@type": "x"}}}, sdk.ErrPermissionDenied, 7, "denied by policy"},
		{404, map[string]any{"code": 5, "message": "no such wallet"}, sdk.ErrNotFound, 5, "no such wallet"},
		{400, map[string]any{"code": 3, "message": "bad"}, sdk.ErrInvalidArgument, 3, "bad"},
		{400, []byte("<html>gateway said no</html>"), sdk.ErrInvalidArgument, 0, "<html>gateway said no</html>"},
		{501, map[string]any{"code": 12, "message": "not here"}, sdk.ErrUnimplemented, 12, "not here"},
	}
	for _, tc := range cases {
		h := newHarness(t, func(int, recorded) reply { return reply{Status: tc.status, Body: tc.body} })
		resp, err := h.client().GetWallet(ctxT(t), gen.GetWalletRequest{WalletID: "w"})
		assert.Nil(t, resp)
		require.Error(t, err, "never a nil error beside an error body")
		var apiErr *sdk.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, tc.is)
		assert.Equal(t, tc.status, apiErr.StatusCode)
		assert.Equal(t, tc.code, apiErr.Code)
		assert.Equal(t, tc.msg, apiErr.Message)
		assert.Equal(t, "get_wallet", apiErr.Operation)
		assert.NotEmpty(t, apiErr.Body)
		assert.Contains(t, err.Error(), tc.msg)
	}
}

func TestUndecodableSuccessIsAnError(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: []byte("{not json")} })
	_, err := h.client().Whoami(ctxT(t), gen.WhoamiRequest{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decode")
}

func TestOptionsReturnErrors(t *testing.T) {
	h := newHarness(t, nil)
	for name, opt := range map[string]sdk.Option{
		"relative base URL": sdk.WithBaseURL("api.turnkey.com"),
		"bad base URL":      sdk.WithBaseURL("http://[::1"),
		"nil http client":   sdk.WithHTTPClient(nil),
		"nil stamper":       sdk.WithStamper(nil),
		"empty org":         sdk.WithOrganizationID(" "),
		"nil clock":         sdk.WithClock(nil),
	} {
		_, err := sdk.New(sdk.WithStamper(h.key), opt)
		assert.Error(t, err, name)
	}
	_, err := sdk.New()
	assert.ErrorIs(t, err, sdk.ErrNoStamper)
}

func TestLoggerSeesNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	h := newHarness(t, failFirst(1, 503, nil, whoamiBody))
	c := h.client(sdk.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Whoami(ctxT(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	assert.Contains(t, logs.String(), "retrying")
	assert.NotContains(t, logs.String(), h.key.PrivateKeyHex())
	for _, r := range h.requests() {
		assert.NotContains(t, logs.String(), r.Stamp)
	}
}

func TestActivityErrorIsMatchesOnlyItsStatus(t *testing.T) {
	err := error(&sdk.ActivityError{Status: gen.ActivityStatusConsensusNeeded, Fingerprint: "fp"})
	assert.True(t, errors.Is(err, sdk.ErrConsensusNeeded))
	assert.False(t, errors.Is(err, sdk.ErrActivityFailed))
	assert.False(t, errors.Is(err, sdk.ErrUnexpectedStatus))
	assert.Contains(t, err.Error(), "fp")
	other := &sdk.ActivityError{Status: gen.ActivityStatusAuthenticatorsNeeded}
	assert.True(t, errors.Is(other, sdk.ErrUnexpectedStatus))
}
