package sdk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

const testOrg = "org-1111"

// fixedNow is the client clock in tests: timestampMs is always "1700000000000".
var fixedNow = func() time.Time { return time.UnixMilli(1700000000000) }

// recorded is one request the harness received.
type recorded struct {
	Path  string
	Body  []byte
	Stamp string
}

// reply is what a handler answers.
type reply struct {
	Status int
	Header map[string]string
	Body   any // marshalled as JSON unless []byte
}

// harness is an httptest server that verifies the stamp of every request
// against the client's key and records it before handing it to handle.
type harness struct {
	t      *testing.T
	srv    *httptest.Server
	key    *stamp.APIKey
	mu     sync.Mutex
	extra  map[string]bool // other public keys accepted
	reqs   []recorded
	handle func(n int, r recorded) reply
}

func newHarness(t *testing.T, handle func(n int, r recorded) reply) *harness {
	t.Helper()
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	h := &harness{t: t, key: key, handle: handle}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		h.t.Errorf("request %s %s with content type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
	}
	st := r.Header.Get(stamp.Header)
	v, err := stamp.Verify(body, st)
	h.mu.Lock()
	known := err == nil && (v.PublicKey == h.key.PublicKey() || h.extra[v.PublicKey])
	h.mu.Unlock()
	if !known {
		h.t.Errorf("%s: stamp does not verify over the body sent: %v", r.URL.Path, err)
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"code":16,"message":"bad stamp"}`))
		return
	}
	h.mu.Lock()
	rec := recorded{Path: r.URL.Path, Body: body, Stamp: st}
	h.reqs = append(h.reqs, rec)
	n := len(h.reqs)
	h.mu.Unlock()

	rep := h.handle(n, rec)
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Status == 0 {
		rep.Status = 200
	}
	w.WriteHeader(rep.Status)
	switch b := rep.Body.(type) {
	case []byte:
		_, _ = w.Write(b)
	case nil:
	default:
		_ = json.NewEncoder(w).Encode(b)
	}
}

// accept makes the harness accept stamps of another public key too.
func (h *harness) accept(publicKey string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.extra == nil {
		h.extra = map[string]bool{}
	}
	h.extra[publicKey] = true
}

func (h *harness) requests() []recorded {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]recorded(nil), h.reqs...)
}

// client returns an sdk client for the harness with fast polling and retries.
func (h *harness) client(opts ...sdk.Option) *sdk.Client {
	h.t.Helper()
	base := []sdk.Option{
		sdk.WithBaseURL(h.srv.URL),
		sdk.WithStamper(h.key),
		sdk.WithOrganizationID(testOrg),
		sdk.WithClock(fixedNow),
		sdk.WithPolling(sdk.PollOptions{InitialDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 5 * time.Second}),
		sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 4, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}),
	}
	c, err := sdk.New(append(base, opts...)...)
	require.NoError(h.t, err)
	return c
}

// activity builds an activity answer with the given status and result.
func activity(id string, status gen.ActivityStatus, result map[string]any) map[string]any {
	act := map[string]any{
		"id": id, "organizationId": testOrg, "status": status, "type": "ACTIVITY_TYPE_CREATE_WALLET",
		"intent": map[string]any{}, "result": map[string]any{}, "votes": []any{},
		"fingerprint": "fp-" + id, "canApprove": false, "canReject": false,
		"createdAt": map[string]any{"seconds": "1", "nanos": "0"},
		"updatedAt": map[string]any{"seconds": "1", "nanos": "0"},
	}
	if result != nil {
		act["result"] = result
	}
	if status == gen.ActivityStatusFailed {
		act["failure"] = map[string]any{"code": 9, "message": "wallet name taken", "details": []any{}}
	}
	return map[string]any{"activity": act}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var _ = bytes.Equal
