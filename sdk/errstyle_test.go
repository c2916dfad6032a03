package sdk_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// onePrefix checks the error style of the package: "sdk: " once, at the start.
func onePrefix(t *testing.T, msg string) {
	t.Helper()
	assert.True(t, strings.HasPrefix(msg, "sdk: "), "%q does not start with the package name", msg)
	assert.Equal(t, 1, strings.Count(msg, "sdk: "), "%q repeats the prefix", msg)
	assert.NotContains(t, msg, "turnkey:", msg)
}

func TestErrorStyle(t *testing.T) {
	for _, err := range []error{
		sdk.ErrUnauthenticated, sdk.ErrPermissionDenied, sdk.ErrNotFound, sdk.ErrInvalidArgument,
		sdk.ErrRateLimited, sdk.ErrUnimplemented, sdk.ErrServer, sdk.ErrActivityFailed,
		sdk.ErrActivityRejected, sdk.ErrConsensusNeeded, sdk.ErrUnexpectedStatus, sdk.ErrMissingResult,
		&sdk.APIError{Operation: "whoami", StatusCode: 403, Code: 7, Message: "no"},
		&sdk.ActivityError{ActivityID: "a", Type: gen.ActivityTypeCreateWallet, Status: gen.ActivityStatusFailed},
		&sdk.WaitError{ActivityID: "a", Err: context.DeadlineExceeded},
		&sdk.TransportError{Operation: "whoami", Err: errors.New("connection refused")},
		&sdk.RequestError{Operation: "create_sub_organization", Field: "parameters.rootQuorumThreshold", Problem: "is 0"},
	} {
		onePrefix(t, err.Error())
	}

	// A real transport failure: the operation once, the prefix once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	c, err := sdk.New(sdk.WithBaseURL("http://"+addr), sdk.WithStamper(key), sdk.WithOrganizationID("o"), sdk.WithoutRetries())
	require.NoError(t, err)
	_, err = c.Whoami(context.Background(), gen.WhoamiRequest{})
	require.Error(t, err)
	onePrefix(t, err.Error())
	assert.True(t, strings.HasPrefix(err.Error(), "sdk: whoami: "), err.Error())
}
