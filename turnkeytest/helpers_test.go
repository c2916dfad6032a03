package turnkeytest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// newServer starts a simulator that the test closes.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// newClient returns the root client of s, with opts.
func newClient(t *testing.T, s *Server, opts ...sdk.Option) *sdk.Client {
	t.Helper()
	c, err := s.Client(opts...)
	require.NoError(t, err)
	return c
}

// testContext is bounded, so that a hung test fails instead of hanging.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newKey(t *testing.T, curve stamp.Curve) *stamp.APIKey {
	t.Helper()
	k, err := stamp.GenerateAPIKey(curve)
	require.NoError(t, err)
	return k
}

// post sends body to path, stamped with key (none if nil), and returns the
// status and the answer.
func post(t *testing.T, s *Server, path string, body []byte, key stamp.Stamper) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), http.MethodPost, s.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if key != nil {
		name, value, err := key.Stamp(context.Background(), body)
		require.NoError(t, err)
		req.Header.Set(name, value)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// submitBody encodes a submit request.
func submitBody(t *testing.T, typ, org string, ts time.Time, params any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"type": typ, "organizationId": org, "timestampMs": strconv.FormatInt(ts.UnixMilli(), 10), "parameters": params,
	})
	require.NoError(t, err)
	return b
}

// status decodes an error answer.
func status(t *testing.T, body []byte) statusBody {
	t.Helper()
	var st statusBody
	require.NoError(t, json.Unmarshal(body, &st), string(body))
	return st
}

// apiError asserts err is an *sdk.APIError with the given HTTP status and
// rpc code, and returns it.
func apiError(t *testing.T, err error, httpStatus, code int) *sdk.APIError {
	t.Helper()
	var ae *sdk.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, httpStatus, ae.StatusCode, ae.Error())
	require.Equal(t, code, ae.Code, ae.Error())
	return ae
}

func ethAccount(path string) gen.WalletAccountParams {
	return gen.WalletAccountParams{Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: path, AddressFormat: gen.AddressFormatEthereum}
}

func solanaAccount(path string) gen.WalletAccountParams {
	return gen.WalletAccountParams{Curve: gen.CurveEd25519, PathFormat: gen.PathFormatBip32, Path: path, AddressFormat: gen.AddressFormatSolana}
}

func ptr[T any](v T) *T { return &v }

// later sets a clock one second ahead: a request repeated through a client
// with it has another timestampMs, hence another body, so that the
// simulator does not take it for a retry of the first (two identical calls
// in the same millisecond are one activity, as in Turnkey).
func later() sdk.Option {
	return sdk.WithClock(func() time.Time { return time.Now().Add(time.Second) })
}
