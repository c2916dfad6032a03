package sdk

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/stamp"
)

// DefaultBaseURL is the address of Turnkey's production API.
const DefaultBaseURL = "https://api.turnkey.com"

// DefaultTimeout bounds one HTTP attempt when the client builds its own
// *http.Client.
const DefaultTimeout = 30 * time.Second

// Version is this module's version, sent in the User-Agent header.
const Version = "0.1.0"

// ErrNoStamper is returned by New when no stamper was configured.
var ErrNoStamper = errors.New("sdk: no stamper configured (use WithStamper, NewFromEnv or NewFromKeyFile)")

// ErrNoOrganization is returned by a call that has no organization ID, from
// neither WithOrganizationID nor WithOrganization nor the request.
var ErrNoOrganization = errors.New("sdk: no organization ID (use WithOrganizationID or the per-call WithOrganization)")

// Client calls the Turnkey API. Build it with New; it is safe for concurrent
// use and is not modified after New returns.
type Client struct {
	baseURL        string
	server         string // baseURL with a trailing slash, as the generated client wants it
	organizationID string
	stamper        stamp.Stamper
	httpClient     *http.Client
	logger         *slog.Logger // nil: silent
	now            func() time.Time
	poll           PollOptions
	retry          RetryOptions
	userAgent      string
	enclaveOpts    []enclave.Option
	// lastMs is the last timestampMs handed out, shared with derived clients:
	// timestamps are strictly increasing, so two calls with the same
	// parameters in the same millisecond stay two activities.
	lastMs *atomic.Int64
	// direct is the RoundTrip of the transport of the *http.Client New
	// built, which the client calls itself (see roundTrip; httpClient is
	// nil then); nil for a user's *http.Client (httpClient), which is
	// called through its Do as given.
	direct func(*http.Request) (*http.Response, error)
	// watchdog returns the watchdog that enforces the attempt timeouts of the
	// *http.Client New built on the attempts made through direct (see
	// watchdog.go). Both are funcs so that a reflection dump of a Client
	// (tests make them to show that no secret is printed) does not read state
	// that the transport's and the watchdog's goroutines write (a live
	// transport is reachable from nowhere else).
	watchdog func() *watchdog
	// conns returns the count of the attempts in flight and the
	// connections of the transport of the *http.Client New built
	// (attempt.go); nil for a user's. A func for the same reason as watchdog.
	conns func() *connBudget
}

// New returns a client configured by opts. A stamper is required; every other
// setting has a default: base URL DefaultBaseURL, an *http.Client made for one
// API host (see NewHTTPClient), DefaultPollOptions, DefaultRetryOptions, no
// logging and the system clock. An *http.Client given with WithHTTPClient is
// used as it is.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		now:       time.Now,
		poll:      DefaultPollOptions(),
		retry:     DefaultRetryOptions(),
		userAgent: "turnkey-go/" + Version,
		lastMs:    new(atomic.Int64),
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.stamper == nil {
		return nil, ErrNoStamper
	}
	if u, err := url.Parse(c.baseURL); c.httpClient == nil && err == nil && u.User == nil {
		// The client's own *http.Client, shared with no one: the client
		// calls its transport itself, and the watchdog applies its timeouts
		// instead of a timer per attempt.
		hc, budget := newHTTPClient()
		c.conns = func() *connBudget { return budget }
		t := hc.Transport.(*http.Transport)
		wd := newWatchdog(hc.Timeout, t.ResponseHeaderTimeout)
		t.ResponseHeaderTimeout = 0
		c.direct, c.watchdog = t.RoundTrip, func() *watchdog { return wd }
	} else {
		if c.httpClient == nil {
			c.httpClient = NewHTTPClient()
		}
		c.httpClient = withoutRedirects(c.httpClient)
	}
	c.server = c.baseURL + "/"
	return c, nil
}

// OrganizationID returns the client's default organization ID.
func (c *Client) OrganizationID() string { return c.organizationID }

// timestamp is a new request's timestampMs: milliseconds since the epoch by
// the client's clock, one more than the last one handed out if the clock has
// not moved on. A retry reuses its request's timestamp; only new requests
// come here.
func (c *Client) timestamp() string {
	now := c.now().UnixMilli()
	for {
		last := c.lastMs.Load()
		ms := max(now, last+1)
		if c.lastMs.CompareAndSwap(last, ms) {
			return strconv.FormatInt(ms, 10)
		}
	}
}

func (c *Client) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}
