package sdk_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// The benchmark fixtures in testdata/bench are answers of the local simulator
// (turnkeytest), recorded by
//
//	go test ./sdk/ -run TestRecordBenchFixtures -record-fixtures
//
// and checked in, so that benchmarks and decode tests run from the
// repository alone.
var recordFixtures = flag.Bool("record-fixtures", false, "rewrite testdata/bench from the simulator")

// recorder is a RoundTripper that keeps the last answer of every path, and
// the signed request that created each activity.
type recorder struct {
	mu      sync.Mutex
	last    map[string][]byte
	signed  map[string]signedRequest // by activity ID
	creator gen.User
}

type signedRequest struct {
	body  string
	stamp struct{ PublicKey, Scheme, Signature string }
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var sent signedRequest
	reqBody, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	sent.body = string(reqBody)
	st, err := base64.RawURLEncoding.DecodeString(req.Header.Get(stamp.Header))
	if err != nil || json.Unmarshal(st, &sent.stamp) != nil {
		return nil, fmt.Errorf("recorder: unreadable stamp")
	}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var answer struct{ Activity *gen.Activity }
	r.mu.Lock()
	r.last[path.Base(req.URL.Path)] = body
	if strings.Contains(req.URL.Path, "/submit/") && json.Unmarshal(body, &answer) == nil && answer.Activity != nil {
		r.signed[answer.Activity.ID] = sent
	}
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// withVotes adds to every activity of an answer the vote of the user who
// created it, as Turnkey's answers carry it (the simulator's have none): the
// signed request as message, its stamp's key, scheme and signature, and the
// user in full. Real answers are mostly this vote, so benchmarks without it
// would decode a quarter of the bytes.
func (r *recorder) withVotes(t *testing.T, answer []byte) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(answer, &doc))
	acts, _ := doc["activities"].([]any)
	if a, ok := doc["activity"]; ok {
		acts = append(acts, a)
	}
	user, err := json.Marshal(r.creator)
	require.NoError(t, err)
	var userDoc any
	require.NoError(t, json.Unmarshal(user, &userDoc))
	for _, a := range acts {
		act := a.(map[string]any)
		sent, ok := r.signed[act["id"].(string)]
		require.True(t, ok, "no request recorded for activity %v", act["id"])
		act["votes"] = []any{map[string]any{
			"id": "vote-" + act["id"].(string), "userId": r.creator.UserID, "user": userDoc,
			"activityId": act["id"], "selection": "VOTE_SELECTION_APPROVED", "message": sent.body,
			"publicKey": sent.stamp.PublicKey, "signature": sent.stamp.Signature, "scheme": sent.stamp.Scheme,
			"createdAt": act["createdAt"],
		}}
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// TestRecordBenchFixtures records the answers of testdata/bench from the
// simulator. With -record-fixtures it rewrites them; without, it checks that
// the committed ones still have the shape the simulator answers with today
// (the same member paths), so they cannot go stale unnoticed.
func TestRecordBenchFixtures(t *testing.T) {
	srv, err := turnkeytest.NewServer()
	require.NoError(t, err)
	defer srv.Close()
	rec := &recorder{last: map[string][]byte{}, signed: map[string]signedRequest{}}
	c, err := srv.Client(sdk.WithHTTPClient(&http.Client{Transport: rec}))
	require.NoError(t, err)
	ctx := context.Background()

	who, err := c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	save(t, "whoami.json", rec.last["whoami"])
	user, err := c.GetUser(ctx, gen.GetUserRequest{UserID: who.UserID})
	require.NoError(t, err)
	rec.creator = user.User

	wallet, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "treasury", Accounts: []gen.WalletAccountParams{{
		Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/44'/60'/0'/0/0", AddressFormat: gen.AddressFormatEthereum,
	}}})
	require.NoError(t, err)
	save(t, "create_wallet_completed.json", rec.withVotes(t, rec.last["create_wallet"]))
	_, err = c.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	save(t, "get_activity.json", rec.withVotes(t, rec.last["get_activity"]))

	for range 9 {
		_, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
			SignWith: wallet.Addresses[0], Payload: "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
			Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp,
		})
		require.NoError(t, err)
	}
	save(t, "sign_raw_payload_completed.json", rec.withVotes(t, rec.last["sign_raw_payload"]))
	_, err = c.ListActivities(ctx, gen.ListActivitiesRequest{})
	require.NoError(t, err)
	save(t, "list_activities_10.json", rec.withVotes(t, rec.last["list_activities"]))
}

func save(t *testing.T, name string, body []byte) {
	t.Helper()
	require.NotEmpty(t, body, name)
	if *recordFixtures {
		require.NoError(t, os.MkdirAll(filepath.Join("testdata", "bench"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join("testdata", "bench", name), body, 0o644))
		return
	}
	assert.Equal(t, memberPaths(t, sdk.BenchFixture(t, name)), memberPaths(t, body),
		"testdata/bench/%s differs in shape from what the simulator answers: rerun with -record-fixtures", name)
}

// memberPaths lists the member paths of a JSON document (arrays as []), in
// order, each once.
func memberPaths(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(doc, &v))
	seen := map[string]bool{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				p := path + "." + k
				seen[p] = true
				walk(p, e)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk("", v)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// The recorded fixtures have the shape of Turnkey's answers in
// ../shared/bench-fixtures (when that folder is there): they decode into the
// same types with the same kind of content.
func TestBenchFixturesMatchTheSharedOnes(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "bench-fixtures")
	if _, err := os.Stat(dir); err != nil {
		// A user's clone has no ../shared: this cross-check runs in CI only.
		t.Logf("no %s beside the repository: nothing to cross-check", dir)
		return
	}
	for _, name := range []string{"sign_raw_payload_completed.json", "create_wallet_completed.json"} {
		shared, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		var ours, theirs gen.ActivityResponse
		require.NoError(t, json.Unmarshal(sdk.BenchFixture(t, name), &ours), name)
		require.NoError(t, json.Unmarshal(shared, &theirs), name)
		assert.Equal(t, theirs.Activity.Type, ours.Activity.Type, name)
		assert.Equal(t, theirs.Activity.Status, ours.Activity.Status, name)
		assert.Equal(t, theirs.Activity.Result.SignRawPayloadResult == nil, ours.Activity.Result.SignRawPayloadResult == nil, name)
		assert.Equal(t, theirs.Activity.Result.CreateWalletResult == nil, ours.Activity.Result.CreateWalletResult == nil, name)
	}
}
