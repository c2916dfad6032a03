package sdk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
)

// DefaultSessionDuration is how long Turnkey keeps a read-write session's API
// key when the request names no expirationSeconds.
const DefaultSessionDuration = 15 * time.Minute

// MaxSessionSeconds is the largest expirationSeconds CreateReadWriteSession
// accepts: the longest lifetime a time.Duration holds. Larger values are an
// error, never an overflow into a session that has already expired.
const MaxSessionSeconds = math.MaxInt64 / int64(time.Second)

// Session is a read-write session: a P-256 API key that Turnkey created for a
// user and sent encrypted to a key only this process held.
type Session struct {
	// Key stamps requests as the session's user. It redacts itself when
	// printed or logged.
	Key              *stamp.APIKey
	APIKeyID         string
	UserID           string
	Username         string
	OrganizationID   string
	OrganizationName string
	// ExpiresAt is when Turnkey stops accepting the key, counted from the
	// request's timestamp.
	ExpiresAt time.Time
	// Client acts as the session's user in the session's organization, with
	// the settings of the client that created it.
	Client   *Client
	Activity *gen.Activity
}

// CreateReadWriteSession creates a read-write session end to end: it
// generates a P-256 target key, submits ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2
// with it, decrypts the credential bundle, and returns the session's API key
// and a client that stamps with it. Leave params.TargetPublicKey empty; to
// bring your own target key (for example a browser's), use
// CreateReadWriteSessionRaw.
func (c *Client) CreateReadWriteSession(ctx context.Context, params gen.CreateReadWriteSessionIntentV2, opts ...CallOption) (*Session, error) {
	if params.TargetPublicKey != "" {
		return nil, errors.New("sdk: CreateReadWriteSession makes its own target key: leave TargetPublicKey empty or use CreateReadWriteSessionRaw")
	}
	lifetime := DefaultSessionDuration
	if params.ExpirationSeconds != nil && *params.ExpirationSeconds != "" {
		secs, err := strconv.ParseInt(*params.ExpirationSeconds, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || secs <= 0 {
			return nil, fmt.Errorf("sdk: CreateReadWriteSession: expirationSeconds %q is not a positive number", *params.ExpirationSeconds)
		}
		if err != nil || secs > MaxSessionSeconds {
			return nil, fmt.Errorf("sdk: CreateReadWriteSession: expirationSeconds %q is out of range: at most %d (about 292 years)", *params.ExpirationSeconds, int64(MaxSessionSeconds))
		}
		lifetime = time.Duration(secs) * time.Second
	}
	target, err := enclave.GenerateTargetKey()
	if err != nil {
		return nil, fmt.Errorf("sdk: CreateReadWriteSession: %w", err)
	}
	params.TargetPublicKey = target.PublicKeyHex()
	start := c.now()
	res, act, err := c.CreateReadWriteSessionRaw(ctx, params, opts...)
	if err != nil {
		var se *SubmitError
		if errors.As(err, &se) {
			// The target key stays with the error, so that ResumeSession can
			// decrypt the bundle of the very activity this call created.
			se.session = func(act *gen.Activity) (*Session, error) {
				r, act, err := resultOf(act, opCreateReadWriteSession, act.Result.CreateReadWriteSessionResultV2)
				if err != nil {
					return nil, err
				}
				return c.openSession(r, act, target, start.Add(lifetime))
			}
		}
		return nil, err
	}
	return c.openSession(res, act, target, start.Add(lifetime))
}

// openSession decrypts the credential bundle of a completed
// create_read_write_session activity with target.
func (c *Client) openSession(res *gen.CreateReadWriteSessionResultV2, act *gen.Activity, target *enclave.TargetKey, expiresAt time.Time) (*Session, error) {
	secret, err := enclave.DecryptCredentialBundle(res.CredentialBundle, target)
	if err != nil {
		return nil, fmt.Errorf("sdk: CreateReadWriteSession: credential bundle of activity %s: %w", act.ID, err)
	}
	defer secret.Destroy()
	key, err := stamp.ParseAPIKey(stamp.CurveP256, secret.PrivateKeyHex())
	if err != nil {
		return nil, fmt.Errorf("sdk: CreateReadWriteSession: session key: %w", err)
	}
	s := &Session{
		Key: key, APIKeyID: res.APIKeyID, UserID: res.UserID, Username: res.Username,
		OrganizationID: res.OrganizationID, OrganizationName: res.OrganizationName,
		ExpiresAt: expiresAt, Activity: act,
	}
	s.Client = c.derive(key, res.OrganizationID)
	return s, nil
}

// ResumeSession is Resume for an error of CreateReadWriteSession: it goes on
// with the same activity and, once it completed, decrypts its credential
// bundle with the target key the call made, returning the session. A
// ResumeSession that fails again returns a *SubmitError that can be resumed
// in turn. For errors of other calls it returns an error saying so.
func (e *SubmitError) ResumeSession(ctx context.Context) (*Session, error) {
	if e == nil || e.session == nil {
		return nil, errors.New("sdk: SubmitError.ResumeSession: this error was not returned by CreateReadWriteSession")
	}
	act, err := e.Resume(ctx)
	if err != nil {
		var next *SubmitError
		if errors.As(err, &next) && next != e {
			next.session = e.session
		}
		return nil, err
	}
	return e.session(act)
}

// derive returns a copy of c that stamps with s and acts on org.
func (c *Client) derive(s stamp.Stamper, org string) *Client {
	d := *c
	d.stamper = s
	if org != "" {
		d.organizationID = org
	}
	return &d
}
