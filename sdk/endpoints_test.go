package sdk_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// methodName is the Go method of an endpoint: create_api_keys -> CreateAPIKeys.
func methodName(endpoint string) string {
	var b strings.Builder
	for _, w := range strings.Split(endpoint, "_") {
		switch w {
		case "api", "id":
			b.WriteString(strings.ToUpper(w))
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// TestEveryEndpoint calls each of the 80 operations as a typed method against
// a server that checks the path, stamp, activity type, organization and
// timestamp, and answers a completed activity holding only that operation's
// result, so that extracting any other field would fail.
func TestEveryEndpoint(t *testing.T) {
	ops := sdk.Operations()
	require.Len(t, ops, 80)
	var queries, submits int
	for _, op := range ops {
		if op.Kind == sdk.KindQuery {
			queries++
		} else {
			submits++
		}
	}
	assert.Equal(t, 23, queries)
	assert.Equal(t, 57, submits)

	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			h := newHarness(t, func(n int, r recorded) reply {
				if op.Kind == sdk.KindQuery {
					return reply{Body: map[string]any{}}
				}
				var result map[string]any
				if op.Result != "" {
					result = map[string]any{op.Result: map[string]any{}}
				}
				return reply{Body: activity("act-1", gen.ActivityStatusCompleted, result)}
			})
			c := h.client()
			name := methodName(op.Name)
			if op.Method != name {
				assert.Equal(t, name+"Raw", op.Method, "only the Raw forms are renamed")
				name = op.Method
			}
			m := reflect.ValueOf(c).MethodByName(name)
			require.True(t, m.IsValid(), "no method %s for %s", name, op.Name)
			params := reflect.New(m.Type().In(1)).Elem()
			satisfyBounds(params) // zero thresholds are refused before sending
			out := m.Call([]reflect.Value{
				reflect.ValueOf(context.Background()), params, reflect.ValueOf(sdk.WithOrganization("sub-org-2")),
			})

			errV := out[len(out)-1]
			require.True(t, errV.IsNil(), "error: %v", errV.Interface())
			reqs := h.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, op.Path, reqs[0].Path)
			body := decode(t, reqs[0].Body)
			assert.Equal(t, "sub-org-2", body["organizationId"])
			if op.Kind == sdk.KindQuery {
				require.Len(t, out, 2)
				assert.False(t, out[0].IsNil())
				return
			}
			assert.Equal(t, op.ActivityType, body["type"])
			assert.Equal(t, "1700000000000", body["timestampMs"])
			assert.Contains(t, body, "parameters")
			if op.Result == "" {
				require.Len(t, out, 2)
				assert.Equal(t, "act-1", out[0].Interface().(*gen.Activity).ID)
				return
			}
			require.Len(t, out, 3)
			assert.False(t, out[0].IsNil(), "result %s extracted", op.Result)
			assert.Equal(t, "act-1", out[1].Interface().(*gen.Activity).ID)
		})
	}
}

func TestQueryFillsOrganizationWithoutMutatingTheRequest(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply {
		return reply{Body: map[string]any{"organizationId": testOrg, "organizationName": "o", "userId": "u", "username": "n"}}
	})
	c := h.client()
	req := gen.WhoamiRequest{}
	resp, err := c.Whoami(ctxT(t), req)
	require.NoError(t, err)
	assert.Equal(t, "u", resp.UserID)
	assert.Empty(t, req.OrganizationID)
	assert.Equal(t, testOrg, decode(t, h.requests()[0].Body)["organizationId"])

	// An organization named in the request wins over the client's default.
	_, err = c.Whoami(ctxT(t), gen.WhoamiRequest{OrganizationID: "other"})
	require.NoError(t, err)
	assert.Equal(t, "other", decode(t, h.requests()[1].Body)["organizationId"])
}

func TestNoOrganization(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: map[string]any{}} })
	c, err := sdk.New(sdk.WithBaseURL(h.srv.URL), sdk.WithStamper(h.key))
	require.NoError(t, err)
	_, err = c.Whoami(ctxT(t), gen.WhoamiRequest{})
	assert.ErrorIs(t, err, sdk.ErrNoOrganization)
	_, _, err = c.CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
	assert.ErrorIs(t, err, sdk.ErrNoOrganization)
	assert.Empty(t, h.requests(), "nothing is sent without an organization")
}
