package sdk_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestNewHTTPClientSettings(t *testing.T) {
	hc := sdk.NewHTTPClient()
	assert.Equal(t, sdk.DefaultTimeout, hc.Timeout)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, sdk.DefaultMaxIdleConnsPerHost, tr.MaxIdleConnsPerHost)
	assert.Equal(t, sdk.DefaultMaxIdleConnsPerHost, tr.MaxConnsPerHost)
	assert.GreaterOrEqual(t, tr.MaxIdleConns, sdk.DefaultMaxIdleConnsPerHost)
	assert.Equal(t, sdk.DefaultTLSHandshakeTimeout, tr.TLSHandshakeTimeout)
	assert.Equal(t, sdk.DefaultResponseHeaderTimeout, tr.ResponseHeaderTimeout)
	assert.Equal(t, sdk.DefaultIdleConnTimeout, tr.IdleConnTimeout)
	assert.NotNil(t, tr.DialContext)
	assert.NotNil(t, tr.Proxy, "proxies from the environment still apply")
	assert.NotSame(t, http.DefaultTransport, tr, "a copy: http.DefaultTransport is not changed")
}

// countConns is a server that counts the connections opened to it; every
// request waits until n requests have arrived, so that n calls overlap.
func countConns(t *testing.T, n int) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	var mu sync.Mutex
	arrived := 0
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived++
		last, wait := arrived%n == 0, release
		if last {
			close(release)
			release = make(chan struct{})
		}
		mu.Unlock()
		if !last {
			<-wait
		}
		_, _ = w.Write([]byte(`{"organizationId":"o","organizationName":"n","userId":"u","username":"x"}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// The client New builds keeps the connections of overlapping calls for the
// next ones: a second round of 8 overlapping calls opens no connection. Go's
// default transport keeps 2 per host, so it would open about 6 more.
func TestNewReusesConnectionsOfConcurrentCalls(t *testing.T) {
	const n = 8
	srv, conns := countConns(t, n)
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	c, err := sdk.New(sdk.WithBaseURL(srv.URL), sdk.WithStamper(key), sdk.WithOrganizationID("o"))
	require.NoError(t, err)
	round := func() {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := c.Whoami(ctxT(t), gen.WhoamiRequest{})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
	}
	round()
	first := conns.Load()
	assert.GreaterOrEqual(t, first, int64(n), "the calls overlapped")
	round()
	round()
	assert.Equal(t, first, conns.Load(), "later rounds reuse the idle connections")
}
