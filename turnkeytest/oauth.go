package turnkeytest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// The OAuth flows (oauth, oauth_login) take OIDC ID tokens. The simulator
// trusts one issuer, its own test issuer (OIDCIssuer): MintIDToken makes its
// tokens, and its JWKS is served at <URL>/_local/oidc/jwks.

// oidcPath is where the test issuer lives on the simulator.
const oidcPath = "/_local/oidc"

// OIDCIssuer returns the issuer (iss) of the test OIDC issuer:
// <URL>/_local/oidc. Its discovery document is at
// <issuer>/.well-known/openid-configuration and its JWKS at <issuer>/jwks.
func (s *Server) OIDCIssuer() string { return s.URL + oidcPath }

// OIDCIssuerPublicKey returns the hex uncompressed P-256 public key that
// signs the test issuer's ID tokens (ES256); the JWKS has it too.
func (s *Server) OIDCIssuerPublicKey() string { return publicKeyHex(s.auth.oidcKey) }

// IDToken describes an ID token for MintIDToken.
type IDToken struct {
	Subject  string // sub, required
	Audience string // aud, required: the OAuth client ID
	// Nonce is the nonce claim. The OAuth flows require it to be
	// OIDCNonce(publicKey) of the key the session or credential is for.
	Nonce string
	Email string // email, if not empty (with email_verified true)
	// ExpiresAt is exp; the zero value means an hour after IssuedAt.
	ExpiresAt time.Time
	// IssuedAt is iat; the zero value means now.
	IssuedAt time.Time
}

// idTokenClaims are the claims of a test ID token.
type idTokenClaims struct {
	Iss           string `json:"iss"`
	Sub           string `json:"sub"`
	Aud           string `json:"aud"`
	Exp           int64  `json:"exp"`
	Iat           int64  `json:"iat"`
	Nonce         string `json:"nonce,omitempty"`
	Tknonce       string `json:"tknonce,omitempty"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified,omitempty"`
}

// MintIDToken returns an ID token of the test OIDC issuer (ES256, signed
// with the key OIDCIssuerPublicKey names), for oauth, oauth_login,
// create_oauth_providers or create_sub_organization.
func (s *Server) MintIDToken(t IDToken) (string, error) {
	if t.Subject == "" || t.Audience == "" {
		return "", errors.New("turnkeytest: MintIDToken: Subject and Audience are required")
	}
	iat := t.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	exp := t.ExpiresAt
	if exp.IsZero() {
		exp = iat.Add(time.Hour)
	}
	c := idTokenClaims{Iss: s.OIDCIssuer(), Sub: t.Subject, Aud: t.Audience, Exp: exp.Unix(), Iat: iat.Unix(),
		Nonce: t.Nonce, Email: t.Email, EmailVerified: t.Email != ""}
	return signJWT(s.auth.oidcKey, s.auth.oidcKid, c, digestES256)
}

// OIDCNonce is the nonce Turnkey requires in the ID token of an OAuth login
// for publicKey: the hex SHA-256 of the public key's hex string, as sent.
func OIDCNonce(publicKey string) string {
	sum := sha256.Sum256([]byte(publicKey))
	return hex.EncodeToString(sum[:])
}

func (s *Server) oidcDiscovery() map[string]any {
	iss := s.OIDCIssuer()
	return map[string]any{
		"issuer": iss, "jwks_uri": iss + "/jwks", "id_token_signing_alg_values_supported": []string{"ES256"},
		"response_types_supported": []string{"id_token"}, "subject_types_supported": []string{"public"},
	}
}

func (s *Server) oidcJWKS() map[string]any {
	pub := &s.auth.oidcKey.PublicKey
	raw, _ := pub.Bytes() // 0x04 ‖ X ‖ Y
	return map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": s.auth.oidcKid,
		"x": b64.EncodeToString(raw[1:33]), "y": b64.EncodeToString(raw[33:65]),
	}}}
}

// checkIDTokenShape refuses, before any activity, a token that is not a JWT.
func checkIDTokenShape(token string) error {
	if _, _, _, _, err := splitJWT(token); err != nil {
		return invalidArgument("oidcToken: %v", err)
	}
	return nil
}

// verifyIDToken checks an ID token as Turnkey does for an OAuth login
// bound to publicKey: a trusted issuer, a valid signature, not expired, a
// nonce (or tknonce) equal to OIDCNonce(publicKey); then finds the user of o
// with an OAuth provider of the token's issuer, audience and subject.
func (s *Server) verifyIDToken(o *org, token, publicKey string, now time.Time) (*user, error) {
	_, rawClaims, _, _, err := splitJWT(token)
	if err != nil {
		return nil, invalidArgument("oidcToken: %v", err)
	}
	var peek struct {
		Iss string `json:"iss"`
	}
	_ = json.Unmarshal(rawClaims, &peek)
	if peek.Iss != s.OIDCIssuer() {
		return nil, unauthenticated("oidcToken: issuer %q is not trusted; the simulator trusts only its test issuer %s (Server.MintIDToken)",
			peek.Iss, s.OIDCIssuer())
	}
	var c idTokenClaims
	if err := verifyJWT(&s.auth.oidcKey.PublicKey, token, digestES256, &c); err != nil {
		return nil, unauthenticated("oidcToken: %v", err)
	}
	if !now.Before(time.Unix(c.Exp, 0)) {
		return nil, unauthenticated("oidcToken expired at %s", time.Unix(c.Exp, 0).UTC().Format(time.RFC3339))
	}
	want := OIDCNonce(publicKey)
	if c.Nonce != want && c.Tknonce != want {
		return nil, unauthenticated("oidcToken: nonce %q is not sha256(publicKey) = %s", c.Nonce, want)
	}
	for _, u := range sortedBySeq(o.users, func(u *user) uint64 { return u.seq }) {
		for _, p := range u.oauthProviders {
			if p.Issuer == c.Iss && p.Audience == c.Aud && p.Subject == c.Sub {
				return u, nil
			}
		}
	}
	return nil, notFound("no user of organization %s has an OAuth provider with issuer %s, audience %s and subject %s",
		o.id, c.Iss, c.Aud, c.Sub)
}

// Oauth authenticates a user with an OIDC token and returns a new API key
// in a credential bundle encrypted to targetPublicKey.
func (h *handlers) Oauth(ctx context.Context, r gen.OauthRequestObject) (gen.OauthResponseObject, error) {
	return respond[gen.Oauth200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.oauth))
}

func (s *Server) oauth(c *call, p gen.OauthIntent) (work, error) {
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	if err := checkIDTokenShape(p.OidcToken); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := s.verifyIDToken(o, p.OidcToken, p.TargetPublicKey, now)
		if err != nil {
			return nil, err
		}
		k, bundle, err := st.issueCredential(u, gen.CredentialTypeOauthKeyP256, defaultName(p.APIKeyName, "Oauth", now), ttl,
			p.InvalidateExisting != nil && *p.InvalidateExisting, p.TargetPublicKey, now)
		if err != nil {
			return nil, err
		}
		return gen.OauthOutcome{APIKeyID: k.id, CredentialBundle: bundle, UserID: u.id}, nil
	}), nil
}

// OauthLogin authenticates a user with an OIDC token and returns a session
// token for publicKey, which stamps as the user until the session expires.
func (h *handlers) OauthLogin(ctx context.Context, r gen.OauthLoginRequestObject) (gen.OauthLoginResponseObject, error) {
	return respond[gen.OauthLogin200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.oauthLogin))
}

func (s *Server) oauthLogin(c *call, p gen.OauthLoginIntent) (work, error) {
	pub, err := checkLoginPublicKey(p.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := checkIDTokenShape(p.OidcToken); err != nil {
		return nil, err
	}
	if err := checkSessionProfile(p.SessionProfileID); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := s.verifyIDToken(o, p.OidcToken, p.PublicKey, now)
		if err != nil {
			return nil, err
		}
		session, err := s.login(st, o, u, pub, ttl, p.InvalidateExisting != nil && *p.InvalidateExisting, now)
		if err != nil {
			return nil, err
		}
		return gen.OauthLoginOutcome{Session: session}, nil
	}), nil
}

// checkSessionProfile refuses session profiles, which are not simulated.
func checkSessionProfile(id *string) error {
	if id != nil && strings.TrimSpace(*id) != "" {
		return invalidArgument("sessionProfileId: session profiles are not simulated; leave it out for the default read-write session")
	}
	return nil
}

// serveMintIDToken answers POST <issuer>/token: a JSON body
// {"sub", "aud", "nonce", "email", "expiresInSeconds"} (sub and aud
// required; expiresInSeconds may be negative, for an expired token) gets
// {"idToken": "<JWT>"}, as MintIDToken makes it: the test issuer's tokens
// for clients in any language.
func (s *Server) serveMintIDToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, newRPCError(http.StatusMethodNotAllowed, codeUnimplemented, "method %s not allowed: %s takes POST", r.Method, r.URL.Path))
		return
	}
	var req struct {
		Sub              string `json:"sub"`
		Aud              string `json:"aud"`
		Nonce            string `json:"nonce"`
		Email            string `json:"email"`
		ExpiresInSeconds *int64 `json:"expiresInSeconds"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		writeError(w, invalidArgument("body: %v", err))
		return
	}
	if req.Sub == "" || req.Aud == "" {
		writeError(w, invalidArgument("sub and aud are required"))
		return
	}
	t := IDToken{Subject: req.Sub, Audience: req.Aud, Nonce: req.Nonce, Email: req.Email}
	if req.ExpiresInSeconds != nil {
		t.IssuedAt = time.Now()
		t.ExpiresAt = t.IssuedAt.Add(time.Duration(*req.ExpiresInSeconds) * time.Second)
	}
	tok, err := s.MintIDToken(t)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"idToken": tok})
}
