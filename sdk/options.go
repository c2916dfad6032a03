package sdk

import (
	"crypto/ecdh"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/stamp"
)

// Option configures a Client in New. Options report bad values as errors;
// they never panic.
type Option func(*Client) error

// WithOrganizationID sets the organization that calls act on unless a call
// names another one with WithOrganization.
func WithOrganizationID(id string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("sdk: WithOrganizationID: empty organization ID")
		}
		c.organizationID = strings.TrimSpace(id)
		return nil
	}
}

// WithStamper sets what signs every request: an API key from package stamp,
// or any other stamp.Stamper (a KMS or HSM signer).
func WithStamper(s stamp.Stamper) Option {
	return func(c *Client) error {
		if s == nil {
			return errors.New("sdk: WithStamper: nil stamper")
		}
		c.stamper = s
		return nil
	}
}

// WithBaseURL sets the API's address, e.g. a local simulator's
// "http://127.0.0.1:8080". It must be an absolute http or https URL.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("sdk: WithBaseURL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("sdk: WithBaseURL: %q is not an absolute http(s) URL", raw)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("sdk: WithBaseURL: %q must not have a query or fragment", raw)
		}
		c.baseURL = strings.TrimRight(u.String(), "/")
		return nil
	}
}

// WithHTTPClient sets the *http.Client used for every request, for custom
// transports, proxies or timeouts.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("sdk: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger makes the client log retries and polling at debug level and
// failures at warn level. Request bodies, stamps and keys are never logged.
// Without it the client is silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithPolling sets how submits wait for their activity. Fields left zero
// take their value from DefaultPollOptions (a MaxDelay left zero is at least
// InitialDelay), so WithPolling(PollOptions{MaxWait: 5 * time.Minute}) only
// lengthens the wait.
func WithPolling(p PollOptions) Option {
	return func(c *Client) error {
		p = p.withDefaults()
		if err := p.validate(); err != nil {
			return err
		}
		c.poll = p
		return nil
	}
}

// WithRetry sets how failed attempts are retried. Fields left zero take
// their value from DefaultRetryOptions (a MaxBackoff left zero is at least
// InitialBackoff); WithoutRetries turns retries off.
func WithRetry(r RetryOptions) Option {
	return func(c *Client) error {
		r = r.withDefaults()
		if err := r.validate(); err != nil {
			return err
		}
		c.retry = r
		return nil
	}
}

// WithoutRetries makes every request a single attempt.
func WithoutRetries() Option {
	return func(c *Client) error {
		c.retry.MaxAttempts = 1
		return nil
	}
}

// WithClock sets the clock that timestampMs is read from (tests, or hosts
// with a corrected clock).
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("sdk: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithUserAgent replaces the User-Agent header sent with every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("sdk: WithUserAgent: empty user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithEnclaveSigner trusts export and import bundles signed by another enclave
// key than Turnkey's production signer (enclave.ProductionSignerPublicKey),
// for example the local simulator's. Bundles are always verified; this only
// changes which signer is pinned.
func WithEnclaveSigner(publicKeyHex string) Option {
	return func(c *Client) error {
		raw, err := hex.DecodeString(strings.TrimSpace(publicKeyHex))
		if err == nil {
			_, err = ecdh.P256().NewPublicKey(raw) // uncompressed, on the curve
		}
		if err != nil {
			return fmt.Errorf("sdk: WithEnclaveSigner: want the hex of an uncompressed P-256 public key: %w", err)
		}
		c.enclaveOpts = []enclave.Option{enclave.WithSignerPublicKey(strings.TrimSpace(publicKeyHex))}
		return nil
	}
}

// withDefaults returns p with its zero fields taken from DefaultPollOptions.
// A zero MaxDelay is raised to InitialDelay when that is longer. Negative
// values are kept, for validate to report.
func (p PollOptions) withDefaults() PollOptions {
	d := DefaultPollOptions()
	if p.InitialDelay == 0 {
		p.InitialDelay = d.InitialDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(d.MaxDelay, p.InitialDelay)
	}
	if p.MaxWait == 0 {
		p.MaxWait = d.MaxWait
	}
	return p
}

// withDefaults returns r with its zero fields taken from DefaultRetryOptions.
// A zero MaxBackoff is raised to InitialBackoff when that is longer.
// Negative values are kept, for validate to report.
func (r RetryOptions) withDefaults() RetryOptions {
	d := DefaultRetryOptions()
	if r.MaxAttempts == 0 {
		r.MaxAttempts = d.MaxAttempts
	}
	if r.InitialBackoff == 0 {
		r.InitialBackoff = d.InitialBackoff
	}
	if r.MaxBackoff == 0 {
		r.MaxBackoff = max(d.MaxBackoff, r.InitialBackoff)
	}
	if r.MaxRetryAfter == 0 {
		r.MaxRetryAfter = d.MaxRetryAfter
	}
	return r
}
