package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func TestStampRequestsForTheGeneratedClient(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: whoamiBody} })
	c, err := gen.NewClientWithResponses(h.srv.URL, gen.WithRequestEditorFn(sdk.StampRequests(h.key)))
	require.NoError(t, err)
	resp, err := c.WhoamiWithResponse(ctxT(t), gen.WhoamiRequest{OrganizationID: testOrg})
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200, "the harness accepted the stamp: status %d", resp.StatusCode())
	assert.Equal(t, "u", resp.JSON200.UserID)
	require.Len(t, h.requests(), 1)
	assert.Equal(t, testOrg, decode(t, h.requests()[0].Body)["organizationId"])
}

// recordingDoer keeps the requests the generated client hands it.
type recordingDoer struct{ reqs []*http.Request }

func (d *recordingDoer) Do(req *http.Request) (*http.Response, error) {
	d.reqs = append(d.reqs, req)
	return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}}, nil
}

type ctxKey struct{}

// The generated client (api/codegen/client.tmpl) sends every operation of
// the spec to its path under the server URL, as a POST of the given bytes
// with the given content type and the call's context, after the client's
// editors and then the call's, in both its forms (<Op>WithBody and <Op> with
// a typed body, which it encodes as JSON).
func TestGeneratedClientRequests(t *testing.T) {
	servers := map[string]string{
		"http://127.0.0.1:8080":         "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/":        "http://127.0.0.1:8080",
		"https://api.example/prefix":    "https://api.example/prefix",
		"https://api.example/prefix/":   "https://api.example/prefix",
		"https://user@api.example:443/": "https://user@api.example:443",
	}
	for _, op := range sdk.Operations() {
		name := methodName(op.Name)
		for server, base := range servers {
			d := &recordingDoer{}
			var order []string
			g := &gen.Client{Server: server, Client: d, RequestEditors: []gen.RequestEditorFn{
				func(context.Context, *http.Request) error { order = append(order, "client"); return nil },
			}}
			callEditor := gen.RequestEditorFn(func(context.Context, *http.Request) error {
				order = append(order, "call")
				return nil
			})
			ctx := context.WithValue(context.Background(), ctxKey{}, op.Name)

			withBody := reflect.ValueOf(g).MethodByName(name + "WithBody")
			require.True(t, withBody.IsValid(), "gen.Client has no %sWithBody", name)
			body := []byte(`{"organizationId":"o"}`)
			out := withBody.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf("application/x-test"),
				reflect.ValueOf(bytes.NewReader(body)), reflect.ValueOf(callEditor)})
			require.True(t, out[1].IsNil(), "%s: %v", name, out[1])

			typed := reflect.ValueOf(g).MethodByName(name)
			require.True(t, typed.IsValid(), "gen.Client has no %s", name)
			typedBody := reflect.New(typed.Type().In(1)).Elem()
			out = typed.Call([]reflect.Value{reflect.ValueOf(ctx), typedBody, reflect.ValueOf(callEditor)})
			require.True(t, out[1].IsNil(), "%s: %v", name, out[1])
			wantJSON, err := json.Marshal(typedBody.Interface())
			require.NoError(t, err)

			require.Len(t, d.reqs, 2)
			for i, want := range []struct {
				contentType string
				body        []byte
			}{{"application/x-test", body}, {"application/json", wantJSON}} {
				req := d.reqs[i]
				assert.Equal(t, http.MethodPost, req.Method)
				assert.Equal(t, base+op.Path, req.URL.String(), "%s at %s", name, server)
				assert.Equal(t, want.contentType, req.Header.Get("Content-Type"))
				assert.Equal(t, op.Name, req.Context().Value(ctxKey{}), "the call's context")
				got, err := io.ReadAll(req.Body)
				require.NoError(t, err)
				assert.Equal(t, string(want.body), string(got))
				assert.Equal(t, int64(len(want.body)), req.ContentLength)
			}
			assert.Equal(t, []string{"client", "call", "client", "call"}, order)
		}
	}
}

// The request builders agree with the methods, and a server URL with a query
// or a fragment is refused rather than turned into a wrong URL.
func TestGeneratedRequestBuilders(t *testing.T) {
	req, err := gen.NewSignRawPayloadRequest("http://127.0.0.1:1/base/", gen.SignRawPayloadJSONRequestBody{Type: "T"})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1/base/public/v1/submit/sign_raw_payload", req.URL.String())
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	got, _ := io.ReadAll(req.Body)
	assert.Contains(t, string(got), `"type":"T"`)

	for _, server := range []string{"http://127.0.0.1:1/?x=1", "http://127.0.0.1:1/#f"} {
		_, err := gen.NewWhoamiRequestWithBody(server, "application/json", nil)
		require.Error(t, err, server)
		assert.Contains(t, err.Error(), "query or a fragment")
		_, err = (&gen.Client{Server: server, Client: &recordingDoer{}}).Whoami(context.Background(), gen.WhoamiRequest{})
		require.Error(t, err, server)
	}
	_, err = gen.NewWhoamiRequestWithBody("http://[::1", "application/json", nil)
	require.Error(t, err, "an unparsable server URL")

	// An editor's error stops the call before anything is sent.
	d := &recordingDoer{}
	stop := errors.New("stop")
	_, err = (&gen.Client{Server: "http://127.0.0.1:1", Client: d}).WhoamiWithBody(context.Background(), "application/json",
		bytes.NewReader(nil), func(context.Context, *http.Request) error { return stop })
	require.ErrorIs(t, err, stop)
	assert.Empty(t, d.reqs)
}
