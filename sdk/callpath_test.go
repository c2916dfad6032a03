package sdk_test

import (
	"context"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// callers is a RoundTripper that records, for every request, the functions
// on the stack that sent it.
type callers struct {
	mu     sync.Mutex
	stacks [][]string
}

func (c *callers) RoundTrip(req *http.Request) (*http.Response, error) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	var names []string
	for {
		f, more := frames.Next()
		names = append(names, f.Function)
		if !more {
			break
		}
	}
	c.mu.Lock()
	c.stacks = append(c.stacks, names)
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// TestEveryOperationGoesThroughTheGeneratedClient calls every typed method
// and checks that its request was sent from inside the generated client's
// method for that operation (gen.(*Client).<Op>WithBody), with the stamp
// added below it, by the doer the sdk gives the generated client.
func TestEveryOperationGoesThroughTheGeneratedClient(t *testing.T) {
	for _, op := range sdk.Operations() {
		t.Run(op.Name, func(t *testing.T) {
			h := newHarness(t, func(int, recorded) reply {
				if op.Kind == sdk.KindQuery {
					return reply{Body: map[string]any{}}
				}
				var result map[string]any
				if op.Result != "" {
					result = map[string]any{op.Result: map[string]any{}}
				}
				return reply{Body: activity("act-1", gen.ActivityStatusCompleted, result)}
			})
			rec := &callers{}
			c := h.client(sdk.WithHTTPClient(&http.Client{Transport: rec}))
			m := reflect.ValueOf(c).MethodByName(op.Method)
			require.True(t, m.IsValid(), "no method %s", op.Method)
			params := reflect.New(m.Type().In(1)).Elem()
			for _, name := range []string{"RootQuorumThreshold", "Threshold"} { // refused when 0 (sdk/encode.go)
				if params.Kind() != reflect.Struct {
					break
				}
				if f := params.FieldByName(name); f.IsValid() && f.CanInt() {
					f.SetInt(1)
				}
			}
			out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), params})
			require.True(t, out[len(out)-1].IsNil(), "error: %v", out[len(out)-1].Interface())

			require.Len(t, rec.stacks, 1)
			stack := strings.Join(rec.stacks[0], "\n")
			want := "github.com/turnkey-go/turnkey/gen.(*Client)." + methodName(op.Name) + "WithBody"
			assert.Contains(t, stack, want, "sent through the generated client")
			assert.Contains(t, stack, "github.com/turnkey-go/turnkey/sdk.(*exchange).Do", "through the sdk's doer")
			assert.Len(t, h.requests(), 1, "stamped once, accepted by the harness")
		})
	}
}

// The escape hatches send to paths the spec need not know, through the same
// doer: stamped, retried, errors mapped.
func TestEscapeHatchesUseTheSameDoer(t *testing.T) {
	h := newHarness(t, failFirst(1, 503, nil, whoamiBody))
	rec := &callers{}
	st := &countingStamper{Stamper: h.key}
	c := h.client(sdk.WithHTTPClient(&http.Client{Transport: rec}), sdk.WithStamper(st))
	var out map[string]any
	require.NoError(t, c.Query(ctxT(t), "whoami_v9", map[string]string{"organizationId": testOrg}, &out))
	assert.Equal(t, "u", out["userId"])
	require.Len(t, rec.stacks, 2, "the 503 was retried")
	assert.Contains(t, strings.Join(rec.stacks[1], "\n"), "github.com/turnkey-go/turnkey/sdk.(*exchange).Do")
	reqs := h.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/public/v1/query/whoami_v9", reqs[1].Path)
	assert.Equal(t, reqs[0].Body, reqs[1].Body, "the same bytes resent")
	assert.Equal(t, int32(2), st.n.Load(), "each attempt stamped afresh")
}

type countingStamper struct {
	stamp.Stamper
	n atomic.Int32
}

func (s *countingStamper) Stamp(ctx context.Context, body []byte) (string, string, error) {
	s.n.Add(1)
	return s.Stamper.Stamp(ctx, body)
}
