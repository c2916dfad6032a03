package turnkeytest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/stamp"
)

// Session tokens (otp_login, oauth_login, stamp_login,
// create_read_only_session) and the login keys they are issued for.

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
