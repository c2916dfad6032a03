package sdk_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// recordAnswers rewrites sdk/testdata/answers from the simulator:
//
//	go test ./sdk -run TestRecordAnswers -record
var recordAnswers = flag.Bool("record", false, "rewrite sdk/testdata/answers from the turnkeytest simulator")

// recorder keeps the last answer body of each endpoint it carries.
type recorder struct {
	mu     sync.Mutex
	bodies map[string][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.bodies[req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]] = body
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) last(endpoint string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[endpoint]
}

// TestRecordAnswers records the answers in sdk/testdata/answers — the data of
// the decoding tests and benchmarks — from the simulator: a whoami, a
// completed create_wallet and sign_raw_payload, and a list_activities page of
// 10. Without -record it only checks that the simulator still answers those
// calls; the files are not rewritten, as every recording has new IDs, keys
// and signatures.
func TestRecordAnswers(t *testing.T) {
	srv, err := turnkeytest.NewServer(turnkeytest.WithRootQuorum(2, 1)) // answers carry votes
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	rec := &recorder{bodies: map[string][]byte{}}
	c, err := srv.Client(sdk.WithHTTPClient(&http.Client{Transport: rec, Timeout: 10 * time.Second}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	approver, err := srv.Client(sdk.WithStamper(srv.Root().QuorumKeys[0]))
	require.NoError(t, err)
	// approved has the second root user approve the activity that err says
	// needs consensus, and waits for it to complete.
	approved := func(err error) *gen.Activity {
		t.Helper()
		var ae *sdk.ActivityError
		require.ErrorAs(t, err, &ae)
		require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
		_, err = approver.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: ae.Fingerprint})
		require.NoError(t, err)
		act, err := c.WaitForActivity(ctx, ae.ActivityID)
		require.NoError(t, err)
		require.Equal(t, gen.ActivityStatusCompleted, act.Status)
		return act
	}

	_, err = c.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	_, _, err = c.CreateWallet(ctx, gen.CreateWalletIntent{
		WalletName: "treasury",
		Accounts: []gen.WalletAccountParams{
			{Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/44'/60'/0'/0/0", AddressFormat: gen.AddressFormatEthereum},
			{Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/44'/60'/0'/0/1", AddressFormat: gen.AddressFormatEthereum},
		},
	})
	wallet := approved(err).Result.CreateWalletResult
	walletAnswer := rec.last("get_activity")
	for i := 0; i < 4; i++ { // with their approvals, 10 activities
		_, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
			SignWith:     wallet.Addresses[i%2],
			Payload:      "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
			Encoding:     gen.PayloadEncodingHexadecimal,
			HashFunction: gen.HashFunctionNoOp,
		})
		approved(err)
	}
	signAnswer := rec.last("get_activity")
	limit := "10"
	list, err := c.ListActivities(ctx, gen.ListActivitiesRequest{PaginationOptions: &gen.Pagination{Limit: &limit}})
	require.NoError(t, err)
	require.Len(t, list.Activities, 10)

	answers := map[string][]byte{
		"whoami.json":                     rec.last("whoami"),
		"create_wallet_completed.json":    walletAnswer,
		"sign_raw_payload_completed.json": signAnswer,
		"list_activities_10.json":         rec.last("list_activities"),
	}
	for name, body := range answers {
		require.NotEmpty(t, body, name)
		if *recordAnswers {
			require.NoError(t, os.WriteFile(filepath.Join("testdata", "answers", name), body, 0o644))
		}
	}
}
