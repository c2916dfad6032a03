package sdk

import (
	"net"
	"net/http"
	"time"
)

// The transport New builds when no *http.Client is given. A client talks to
// one host, often from many goroutines at once: Go's default of 2 idle
// connections per host would close and reopen connections (each one a TCP and
// TLS handshake against the real API) as soon as more than two calls overlap.
const (
	// DefaultMaxIdleConnsPerHost is how many idle connections to the API the
	// transport keeps for reuse, and how many connections it opens to the API
	// at most (http.Transport.MaxConnsPerHost): more calls than that at once
	// wait for a connection to come free instead of each opening one (over
	// HTTP/2, which Go negotiates with a TLS server that offers it, calls share
	// connections anyway).
	// Without that cap, a pool exactly as big as the number of callers keeps
	// closing the surplus connections that racing dials open, and reopening
	// them.
	DefaultMaxIdleConnsPerHost = 256
	// DefaultIdleConnTimeout is how long an idle connection is kept.
	DefaultIdleConnTimeout = 90 * time.Second
	// DefaultDialTimeout bounds establishing a TCP connection.
	DefaultDialTimeout = 10 * time.Second
	// DefaultTLSHandshakeTimeout bounds the TLS handshake.
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultResponseHeaderTimeout bounds the wait for an answer's headers
	// once the request is written.
	DefaultResponseHeaderTimeout = 20 * time.Second
)

// NewHTTPClient returns the *http.Client that New uses when WithHTTPClient is
// not given: DefaultTimeout per attempt, and a transport (a copy of
// http.DefaultTransport, so proxies from the environment and HTTP/2 still
// apply) that keeps up to DefaultMaxIdleConnsPerHost connections, idle ones
// included, and bounds dialing, the TLS handshake and the wait for response
// headers. In the client New builds, its dialer waits (at most 20 ms) while
// a connection is about to come free and leaves out the dial if the call was
// served meanwhile (see sdk/attempt.go), so overlapping calls open about one
// connection each. Use it as a starting point
// for a client of your own.
func NewHTTPClient() *http.Client {
	hc, _ := newHTTPClient()
	return hc
}

// newHTTPClient is NewHTTPClient, with the connBudget of its transport's
// dialer (attempt.go).
func newHTTPClient() (*http.Client, *connBudget) {
	b := new(connBudget)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = b.dial((&net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: 30 * time.Second}).DialContext)
	t.MaxIdleConns = DefaultMaxIdleConnsPerHost
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	t.MaxConnsPerHost = DefaultMaxIdleConnsPerHost
	t.IdleConnTimeout = DefaultIdleConnTimeout
	t.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	t.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	t.ExpectContinueTimeout = time.Second
	return &http.Client{Timeout: DefaultTimeout, Transport: t}, b
}
