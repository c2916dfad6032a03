package turnkeytest

import (
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
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
		otps: map[string]*otp{}, usedTokens: map[string]bool{},
		invitations: map[string]map[string]*invite{}, verified: map[string]bool{},
	}, nil
}

// SessionTokenPublicKey returns the hex uncompressed P-256 public key that
// signs the simulator's session tokens (otp_login, oauth_login,
// stamp_login, create_read_only_session) and verification tokens
// (verify_otp). It plays the part of Turnkey's notarizer key: Turnkey's
// client libraries verify session tokens against it when told to
// (verifySessionJwtSignature's override in @turnkey/crypto), and
// VerifySessionToken does in Go.
func (s *Server) SessionTokenPublicKey() string { return publicKeyHex(s.auth.sessionKey) }

// Session types, as the session_type claim carries them.
const (
	SessionTypeReadWrite = "SESSION_TYPE_READ_WRITE"
	SessionTypeReadOnly  = "SESSION_TYPE_READ_ONLY"
)

// SessionClaims are the claims of a session token, as Turnkey's carry them.
type SessionClaims struct {
	Exp            int64  `json:"exp"`        // expiry, seconds since the epoch
	PublicKey      string `json:"public_key"` // the session key (compressed hex); empty for read-only sessions
	SessionType    string `json:"session_type"`
	UserID         string `json:"user_id"`
	OrganizationID string `json:"organization_id"`
}

// VerifySessionToken checks a session token's signature against
// SessionTokenPublicKey and its expiry, and returns its claims.
func (s *Server) VerifySessionToken(token string) (SessionClaims, error) {
	var c SessionClaims
	if err := verifyJWT(&s.auth.sessionKey.PublicKey, token, digestTurnkey, &c); err != nil {
		return SessionClaims{}, fmt.Errorf("turnkeytest: session token: %w", err)
	}
	if !time.Now().Before(time.Unix(c.Exp, 0)) {
		return SessionClaims{}, fmt.Errorf("turnkeytest: session token expired at %s", time.Unix(c.Exp, 0).UTC().Format(time.RFC3339))
	}
	return c, nil
}

func (a *authState) sessionToken(c SessionClaims) (string, error) {
	return signJWT(a.sessionKey, "", c, digestTurnkey)
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

// addSessionKey registers an expiring P-256 key of u, first removing u's
// keys of the same credential type if invalidateExisting.
func (st *state) addSessionKey(u *user, typ gen.CredentialType, name, compressedPub string, ttl time.Duration,
	invalidateExisting bool, now time.Time) (*apiKey, error) {
	if invalidateExisting {
		for _, k := range u.apiKeys {
			if k.credType == typ {
				st.removeKey(k)
			}
		}
	}
	st.makeRoomForExpiringKey(u, now)
	exp := strconv.FormatInt(int64(ttl/time.Second), 10)
	k := &apiKey{name: name, publicKey: compressedPub, curve: stamp.CurveP256, credType: typ,
		expiration: &exp, expiresAt: now.Add(ttl)}
	if err := st.addKey(u, k, now); err != nil {
		return nil, err
	}
	return k, nil
}

// defaultName is name if set, otherwise "<prefix> - <time>", as Turnkey
// names the keys of its auth flows.
func defaultName(name *string, prefix string, now time.Time) string {
	if name != nil && *name != "" {
		return *name
	}
	return prefix + " - " + now.UTC().Format(time.RFC3339)
}

// checkLoginPublicKey validates the client public key of a login
// (otp_login, oauth_login, stamp_login): a P-256 point, compressed or not.
func checkLoginPublicKey(hexKey string) (string, error) {
	p, err := checkAPIKeyParams("parameters", "login", hexKey, gen.APIKeyCurveP256, nil)
	if err != nil {
		return "", invalidArgument("publicKey must be a P-256 public key in hex (33-byte compressed or 65-byte uncompressed)")
	}
	return p.publicKey, nil
}

// login registers publicKey as a login session key of u and returns a
// read-write session token for it.
func (s *Server) login(st *state, o *org, u *user, pub string, ttl time.Duration, invalidate bool, now time.Time) (string, error) {
	if _, err := st.addSessionKey(u, gen.CredentialTypeLogin, "Login - "+now.UTC().Format(time.RFC3339), pub, ttl, invalidate, now); err != nil {
		return "", err
	}
	return s.auth.sessionToken(SessionClaims{Exp: now.Add(ttl).Unix(), PublicKey: pub, SessionType: SessionTypeReadWrite,
		UserID: u.id, OrganizationID: o.id})
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

// maxExpiringKeys is how many expiring API keys a user may have, as Turnkey
// documents: a new one beyond that deletes an expired one first, otherwise
// the oldest.
const maxExpiringKeys = 10

// makeRoomForExpiringKey deletes u's expiring keys beyond
// maxExpiringKeys-1, expired ones first, then the oldest.
func (st *state) makeRoomForExpiringKey(u *user, now time.Time) {
	var expiring []*apiKey
	for _, k := range u.apiKeys {
		if !k.expiresAt.IsZero() {
			expiring = append(expiring, k)
		}
	}
	if len(expiring) < maxExpiringKeys {
		return
	}
	slices.SortFunc(expiring, func(a, b *apiKey) int {
		if ea, eb := a.expired(now), b.expired(now); ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, k := range expiring[:len(expiring)-maxExpiringKeys+1] {
		st.removeKey(k)
	}
}
