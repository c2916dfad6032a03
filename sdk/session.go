package sdk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
)

// DefaultSessionDuration is how long Turnkey keeps a read-write session's API
// key when the request names no expirationSeconds.
const DefaultSessionDuration = 15 * time.Minute

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
		if err != nil || secs <= 0 {
			return nil, fmt.Errorf("sdk: CreateReadWriteSession: expirationSeconds %q is not a positive number", *params.ExpirationSeconds)
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
		return nil, err
	}
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
		ExpiresAt: start.Add(lifetime), Activity: act,
	}
	s.Client = c.derive(key, res.OrganizationID)
	return s, nil
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
