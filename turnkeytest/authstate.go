package turnkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// authState is the state of the authentication flows: OTPs, used
// verification tokens, invitations, verified contacts, and the keys that
// sign session tokens and test ID tokens. Everything but the outbox is read
// and changed with the state lock held (from activities and queries).
type authState struct {
	sessionKey *ecdsa.PrivateKey // signs session and verification tokens
	oidcKey    *ecdsa.PrivateKey // the test OIDC issuer's signing key
	oidcKid    string

	otps        map[string]*otp
	otpRequests map[string][]time.Time        // by userIdentifier: recent init_otp and init_otp_auth requests
	usedTokens  map[string]bool               // verification token IDs consumed by otp_login
	invitations map[string]map[string]*invite // by organization, then ID
	verified    map[string]bool               // contacts (normalContact) verified by an OTP
	outbox      outbox
}

func newAuthState(cfg config) (*authState, error) {
	sk, ok := cfg.sessionKey, cfg.oidcKey
	var err error
	if sk == nil {
		if sk, err = newP256Key(); err != nil {
			return nil, fmt.Errorf("turnkeytest: %w", err)
		}
	}
	if ok == nil {
		if ok, err = newP256Key(); err != nil {
			return nil, fmt.Errorf("turnkeytest: %w", err)
		}
	}
	// The key ID names the key, so that the same key keeps its ID.
	kid := sha256.Sum256([]byte(publicKeyHex(ok)))
	return &authState{
		sessionKey: sk, oidcKey: ok, oidcKid: hex.EncodeToString(kid[:8]),
		otps: map[string]*otp{}, otpRequests: map[string][]time.Time{}, usedTokens: map[string]bool{},
		invitations: map[string]map[string]*invite{}, verified: map[string]bool{},
	}, nil
}

// seconds parses an optional expirationSeconds: def if absent, an error if
// it is not a positive number of seconds or above maxSecs (0: no maximum).
func seconds(field string, v *string, def, maxSecs int64) (time.Duration, error) {
	if v == nil || *v == "" {
		return time.Duration(def) * time.Second, nil
	}
	n, err := strconv.ParseInt(*v, 10, 64)
	if err != nil || n <= 0 {
		return 0, invalidArgument("%s %q must be a positive number of seconds", field, *v)
	}
	if maxSecs > 0 && n > maxSecs {
		return 0, invalidArgument("%s %d is above the maximum of %d seconds", field, n, maxSecs)
	}
	return time.Duration(n) * time.Second, nil
}

// issueCredential creates a P-256 key for u, registers it as an expiring API
// key of credential type typ, and returns it encrypted to targetPublicKey in
// a credential bundle, as email auth, OTP auth, OAuth and recovery do.
func (st *state) issueCredential(u *user, typ gen.CredentialType, name string, ttl time.Duration,
	invalidateExisting bool, targetPublicKey string, now time.Time) (*apiKey, string, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", err
	}
	scalar, err := priv.Bytes()
	if err != nil {
		return nil, "", err
	}
	defer clear(scalar)
	bundle, err := enclave.EncryptCredentialBundle(targetPublicKey, scalar)
	if err != nil {
		return nil, "", invalidArgument("%v", err)
	}
	pub, err := priv.PublicKey.Bytes()
	if err != nil {
		return nil, "", err
	}
	k, err := st.addSessionKey(u, typ, name, compressP256(pub), ttl, invalidateExisting, now)
	if err != nil {
		return nil, "", err
	}
	return k, bundle, nil
}

// defaultName is name if set, otherwise "<prefix> - <time>", as Turnkey
// names the keys of its auth flows.
func defaultName(name *string, prefix string, now time.Time) string {
	if name != nil && *name != "" {
		return *name
	}
	return prefix + " - " + now.UTC().Format(time.RFC3339)
}

// userByContact finds the user of o with the email address or phone number.
func userByContact(o *org, contact string) *user {
	for _, u := range sortedBySeq(o.users, func(u *user) uint64 { return u.seq }) {
		if (u.email != nil && sameContact(*u.email, contact)) || (u.phone != nil && *u.phone == contact) {
			return u
		}
	}
	return nil
}

// emailFields fills a message's email customization.
func emailFields(m *Message, c *gen.EmailCustomizationParams, from, replyTo *string) {
	if c != nil && c.AppName != nil {
		m.AppName = *c.AppName
	}
	if from != nil {
		m.From = *from
	}
	if replyTo != nil {
		m.ReplyTo = *replyTo
	}
}

// WithAuthKeys makes the server sign its session and verification tokens
// with sessionKey, and its test OIDC issuer's ID tokens with oidcKey, instead
// of P-256 keys it generates: a simulator restarted with the same keys
// issues tokens that its clients still trust. Either may be nil (generated);
// both must be P-256 keys.
func WithAuthKeys(sessionKey, oidcKey *ecdsa.PrivateKey) Option {
	return func(c *config) error {
		for _, k := range []*ecdsa.PrivateKey{sessionKey, oidcKey} {
			if k != nil && k.Curve != elliptic.P256() {
				return errors.New("turnkeytest: WithAuthKeys: keys must be P-256")
			}
		}
		c.sessionKey, c.oidcKey = sessionKey, oidcKey
		return nil
	}
}
