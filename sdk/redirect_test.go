package sdk_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// TestRedirectToAnotherHostIsNotFollowed: a 3xx naming another origin is an
// *APIError, and the other origin never sees a request (nor a stamp), with
// the client's own *http.Client or with one the user passed.
func TestRedirectToAnotherHostIsNotFollowed(t *testing.T) {
	var stranger atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stranger.Add(1)
		if r.Header.Get(stamp.Header) != "" {
			t.Errorf("the other host got a stamp")
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"activity":{"id":"evil","status":"ACTIVITY_STATUS_COMPLETED"}}`))
	}))
	t.Cleanup(other.Close)

	for _, code := range []int{307, 308, 301, 302, 303} {
		for _, own := range []bool{false, true} {
			t.Run(strconv.Itoa(code)+map[bool]string{false: "/default client", true: "/user client"}[own], func(t *testing.T) {
				h := newHarness(t, func(n int, r recorded) reply {
					return reply{Status: code, Header: map[string]string{"Location": other.URL + r.Path}}
				})
				var opts []sdk.Option
				user := &http.Client{} // follows redirects by default
				if own {
					opts = append(opts, sdk.WithHTTPClient(user))
				}
				_, _, err := h.client(opts...).CreateWallet(ctxT(t), gen.CreateWalletIntent{WalletName: "w"})
				require.Error(t, err)
				var apiErr *sdk.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, code, apiErr.StatusCode)
				assert.Zero(t, stranger.Load(), "the other host was reached")
				assert.Len(t, h.requests(), 1, "a 3xx is not retried")
				assert.Nil(t, user.CheckRedirect, "the user's client is not modified")
			})
		}
	}
}
