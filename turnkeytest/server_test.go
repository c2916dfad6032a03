package turnkeytest

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestBootstrapAndWhoami(t *testing.T) {
	s := newServer(t)
	require.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	root := s.Root()
	require.NotEmpty(t, root.OrganizationID)
	require.Equal(t, "root", root.UserName)
	require.Equal(t, stamp.CurveP256, root.APIKey.Curve())
	require.Empty(t, root.QuorumKeys)

	c := newClient(t, s)
	who, err := c.Whoami(testContext(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, gen.WhoamiReply{OrganizationID: root.OrganizationID, OrganizationName: root.OrganizationName,
		UserID: root.UserID, Username: root.UserName}, *who)

	cfg, err := c.GetOrganizationConfigs(testContext(t), gen.GetOrganizationConfigsRequest{})
	require.NoError(t, err)
	require.Equal(t, int32(1), cfg.Configs.Quorum.Threshold)
	require.Equal(t, []string{root.UserID}, cfg.Configs.Quorum.UserIds)

	users, err := c.ListUsers(testContext(t), gen.ListUsersRequest{})
	require.NoError(t, err)
	require.Len(t, users.Users, 1)
	require.Equal(t, root.APIKey.PublicKey(), users.Users[0].APIKeys[0].Credential.PublicKey)
	require.Equal(t, gen.CredentialTypeAPIKeyP256, users.Users[0].APIKeys[0].Credential.Type)

	st := s.Stats()
	require.Equal(t, 3, st.Requests)
	require.Zero(t, st.ActivitiesCreated)
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
		ok   bool
	}{
		{"loopback v4", WithAddr("127.0.0.1:0"), true},
		{"loopback v4 other", WithAddr("127.0.0.2:0"), true},
		{"loopback v6", WithAddr("[::1]:0"), true},
		{"all interfaces", WithAddr(":0"), false},
		{"unspecified", WithAddr("0.0.0.0:0"), false},
		{"public", WithAddr("192.168.1.10:8080"), false},
		{"name", WithAddr("localhost:0"), false},
		{"no port", WithAddr("127.0.0.1"), false},
		{"negative delay", WithActivityDelay(-time.Second), false},
		{"quorum too high", WithRootQuorum(3, 1), false},
		{"quorum zero", WithRootQuorum(0, 0), false},
		{"quorum negative users", WithRootQuorum(1, -1), false},
		{"rates above 1", WithFaults(Faults{ServerErrorRate: 0.6, DropRate: 0.6}), false},
		{"negative rate", WithFaults(Faults{SlowRate: -0.1}), false},
		{"negative window", WithTimestampWindow(-time.Second), false},
		{"nil logger", WithLogger(nil), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c config
			err := tc.opt(&c)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				require.Contains(t, err.Error(), "turnkeytest:")
			}
		})
	}
	_, err := NewServer(WithAddr("0.0.0.0:0"))
	require.ErrorContains(t, err, "loopback")
}

func TestListenOnIPv6Loopback(t *testing.T) {
	s, err := NewServer(WithAddr("[::1]:0"))
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	defer s.Close()
	require.True(t, strings.HasPrefix(s.URL, "http://[::1]:"), s.URL)
	_, err = newClient(t, s).Whoami(testContext(t), gen.WhoamiRequest{})
	require.NoError(t, err)
}

func TestRoutingErrors(t *testing.T) {
	s := newServer(t)
	resp, err := http.Get(s.URL + "/public/v1/query/whoami")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	code, body := post(t, s, "/public/v1/query/nope", []byte(`{}`), nil)
	require.Equal(t, http.StatusNotFound, code)
	require.Equal(t, int32(codeNotFound), status(t, body).Code)

}

func TestHandlerMountedElsewhere(t *testing.T) {
	s := newServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := newClient(t, s, sdk.WithBaseURL(ts.URL))
	who, err := c.Whoami(testContext(t), gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, s.Root().UserID, who.UserID)
}

func TestCloseTwice(t *testing.T) {
	s, err := NewServer()
	require.NoError(t, err)
	s.Close()
	s.Close()
	_, err = http.Post(s.URL+"/public/v1/query/whoami", "application/json", strings.NewReader("{}"))
	require.Error(t, err)
}

func TestRootIsACopy(t *testing.T) {
	s := newServer(t, WithRootQuorum(1, 2))
	r := s.Root()
	require.Len(t, r.QuorumKeys, 2)
	require.Len(t, r.QuorumUserIDs, 2)
	r.QuorumKeys[0] = nil
	require.NotNil(t, s.Root().QuorumKeys[0])
}

func TestLoggerNeverLogsSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newServer(t, WithLogger(logger), WithFaults(Faults{ServerErrorRate: 1, MaxFaults: 1}))
	c := newClient(t, s)
	ctx := testContext(t)
	res, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "logged", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	_, _, err = c.UpdateWallet(ctx, gen.UpdateWalletIntent{WalletID: "missing"})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	exp, _, err := c.ExportWallet(ctx, gen.ExportWalletIntent{WalletID: res.WalletID})
	require.NoError(t, err)

	out := buf.String()
	require.Contains(t, out, "turnkeytest: injected fault")
	require.Contains(t, out, "turnkeytest: request")
	require.Contains(t, out, "turnkeytest: activity failed")
	for _, secret := range []string{s.Root().APIKey.PrivateKeyHex(), exp.Mnemonic(), "X-Stamp", "walletName"} {
		require.NotContains(t, out, secret)
	}
}
