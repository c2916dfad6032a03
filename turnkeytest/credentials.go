package turnkeytest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Authenticators (passkeys) and OAuth providers are stored and listed, but
// never authenticate anything: the simulator verifies neither WebAuthn
// attestations or stamps nor the signatures of OIDC tokens.

func (st *state) newAuthenticator(a gen.AuthenticatorParamsV2, now time.Time) gen.Authenticator {
	return gen.Authenticator{
		AuthenticatorID: newID(), AuthenticatorName: a.AuthenticatorName, CredentialID: a.Attestation.CredentialID,
		Transports: append([]gen.AuthenticatorTransport{}, a.Attestation.Transports...), AttestationType: "none",
		Credential: gen.Credential{Type: gen.CredentialTypeWebauthnAuthenticator},
		CreatedAt:  timestamp(now), UpdatedAt: timestamp(now),
	}
}

// oidcClaims reads the issuer, audience and subject of an OIDC token
// (a JWT), without verifying its signature.
type oidcClaims struct {
	iss, aud, sub string
}

func parseOIDCToken(field, token string) (oidcClaims, error) {
	parts := strings.Split(token, ".")
	bad := invalidArgument("%s.oidcToken is not a JWT with iss, aud and sub claims", field)
	if len(parts) != 3 {
		return oidcClaims{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return oidcClaims{}, bad
	}
	var c struct {
		Iss string          `json:"iss"`
		Aud json.RawMessage `json:"aud"`
		Sub string          `json:"sub"`
	}
	if json.Unmarshal(raw, &c) != nil || c.Iss == "" || c.Sub == "" {
		return oidcClaims{}, bad
	}
	var aud string
	if json.Unmarshal(c.Aud, &aud) != nil {
		var auds []string
		if json.Unmarshal(c.Aud, &auds) != nil || len(auds) == 0 {
			return oidcClaims{}, bad
		}
		aud = auds[0]
	}
	return oidcClaims{iss: c.Iss, aud: aud, sub: c.Sub}, nil
}

func checkOAuthProviders(field string, ps []gen.OauthProviderParams) ([]oidcClaims, error) {
	out := make([]oidcClaims, len(ps))
	for i, p := range ps {
		f := field + ".oauthProviders[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(p.ProviderName) == "" {
			return nil, invalidArgument("%s.providerName is required", f)
		}
		c, err := parseOIDCToken(f, p.OidcToken)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func newOAuthProvider(name string, c oidcClaims, now time.Time) gen.OauthProvider {
	return gen.OauthProvider{ProviderID: newID(), ProviderName: name, Issuer: c.iss, Audience: c.aud, Subject: c.sub,
		CreatedAt: timestamp(now), UpdatedAt: timestamp(now)}
}

// CreateAuthenticators stores authenticators of a user (V2).
func (h *handlers) CreateAuthenticators(ctx context.Context, r gen.CreateAuthenticatorsRequestObject) (gen.CreateAuthenticatorsResponseObject, error) {
	return respond[gen.CreateAuthenticators200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createAuthenticators))
}

func (s *Server) createAuthenticators(c *call, p gen.CreateAuthenticatorsIntentV2) (work, error) {
	if p.UserID == "" || len(p.Authenticators) == 0 {
		return nil, invalidArgument("userId and at least one authenticator are required")
	}
	if err := checkAuthenticators("parameters", p.Authenticators); err != nil {
		return nil, err
	}
	return func(st *state, now time.Time) (any, error) {
		u, err := st.userIn(c.orgID, p.UserID)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(p.Authenticators))
		for i, a := range p.Authenticators {
			auth := st.newAuthenticator(a, now)
			u.authenticators = append(u.authenticators, auth)
			ids[i] = auth.AuthenticatorID
		}
		return gen.CreateAuthenticatorsOutcome{AuthenticatorIds: ids}, nil
	}, nil
}

// DeleteAuthenticators removes authenticators of a user.
func (h *handlers) DeleteAuthenticators(ctx context.Context, r gen.DeleteAuthenticatorsRequestObject) (gen.DeleteAuthenticatorsResponseObject, error) {
	return respond[gen.DeleteAuthenticators200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteAuthenticators))
}

func (s *Server) deleteAuthenticators(c *call, p gen.DeleteAuthenticatorsIntent) (work, error) {
	if p.UserID == "" || len(p.AuthenticatorIds) == 0 {
		return nil, invalidArgument("userId and at least one authenticatorId are required")
	}
	if err := checkIDs("authenticatorIds", p.AuthenticatorIds); err != nil {
		return nil, err
	}
	return func(st *state, _ time.Time) (any, error) {
		u, err := st.userIn(c.orgID, p.UserID)
		if err != nil {
			return nil, err
		}
		kept, err := removeByID(u.authenticators, p.AuthenticatorIds, func(a gen.Authenticator) string { return a.AuthenticatorID }, "authenticator")
		if err != nil {
			return nil, err
		}
		u.authenticators = kept
		return gen.DeleteAuthenticatorsOutcome{AuthenticatorIds: p.AuthenticatorIds}, nil
	}, nil
}

// CreateOauthProviders links OIDC providers to a user.
func (h *handlers) CreateOauthProviders(ctx context.Context, r gen.CreateOauthProvidersRequestObject) (gen.CreateOauthProvidersResponseObject, error) {
	p, err := versioned(ctx, r.Body.Parameters, map[string]func(json.RawMessage) (gen.CreateOauthProvidersIntent, error){
		string(gen.CreateOauthProvidersRequestV2TypeCreateOauthProvidersV2): as(oauthProvidersV1),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.CreateOauthProviders200JSONResponse](submit(ctx, h.s, p, h.s.createOauthProviders))
}

func (s *Server) createOauthProviders(c *call, p gen.CreateOauthProvidersIntent) (work, error) {
	if p.UserID == "" || len(p.OauthProviders) == 0 {
		return nil, invalidArgument("userId and at least one OAuth provider are required")
	}
	claims, err := checkOAuthProviders("parameters", p.OauthProviders)
	if err != nil {
		return nil, err
	}
	return func(st *state, now time.Time) (any, error) {
		u, err := st.userIn(c.orgID, p.UserID)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(claims))
		for i, cl := range claims {
			op := newOAuthProvider(p.OauthProviders[i].ProviderName, cl, now)
			u.oauthProviders = append(u.oauthProviders, op)
			ids[i] = op.ProviderID
		}
		return gen.CreateOauthProvidersOutcome{ProviderIds: ids}, nil
	}, nil
}

// DeleteOauthProviders unlinks OIDC providers from a user.
func (h *handlers) DeleteOauthProviders(ctx context.Context, r gen.DeleteOauthProvidersRequestObject) (gen.DeleteOauthProvidersResponseObject, error) {
	return respond[gen.DeleteOauthProviders200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteOauthProviders))
}

func (s *Server) deleteOauthProviders(c *call, p gen.DeleteOauthProvidersIntent) (work, error) {
	if p.UserID == "" || len(p.ProviderIds) == 0 {
		return nil, invalidArgument("userId and at least one providerId are required")
	}
	if err := checkIDs("providerIds", p.ProviderIds); err != nil {
		return nil, err
	}
	return func(st *state, _ time.Time) (any, error) {
		u, err := st.userIn(c.orgID, p.UserID)
		if err != nil {
			return nil, err
		}
		kept, err := removeByID(u.oauthProviders, p.ProviderIds, func(o gen.OauthProvider) string { return o.ProviderID }, "OAuth provider")
		if err != nil {
			return nil, err
		}
		u.oauthProviders = kept
		return gen.DeleteOauthProvidersOutcome{ProviderIds: p.ProviderIds}, nil
	}, nil
}

// GetAuthenticator returns one authenticator of the organization.
func (h *handlers) GetAuthenticator(ctx context.Context, r gen.GetAuthenticatorRequestObject) (gen.GetAuthenticatorResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetAuthenticator200JSONResponse, error) {
		for _, u := range o.users {
			for _, a := range u.authenticators {
				if a.AuthenticatorID == r.Body.AuthenticatorID {
					return gen.GetAuthenticator200JSONResponse{Authenticator: a}, nil
				}
			}
		}
		return gen.GetAuthenticator200JSONResponse{}, notFound("authenticator %s not found in organization %s", r.Body.AuthenticatorID, o.id)
	})
}

// GetAuthenticators lists the authenticators of a user.
func (h *handlers) GetAuthenticators(ctx context.Context, r gen.GetAuthenticatorsRequestObject) (gen.GetAuthenticatorsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetAuthenticators200JSONResponse, error) {
		u, err := o.user(r.Body.UserID)
		if err != nil {
			return gen.GetAuthenticators200JSONResponse{}, err
		}
		return gen.GetAuthenticators200JSONResponse{Authenticators: append([]gen.Authenticator{}, u.authenticators...)}, nil
	})
}

// GetOauthProviders lists the OIDC providers of a user: userId, or the
// caller.
func (h *handlers) GetOauthProviders(ctx context.Context, r gen.GetOauthProvidersRequestObject) (gen.GetOauthProvidersResponseObject, error) {
	return query(ctx, h.s, func(_ *state, c *call, o *org) (gen.GetOauthProviders200JSONResponse, error) {
		u, err := userOf(o, c, r.Body.UserID)
		if err != nil {
			return gen.GetOauthProviders200JSONResponse{}, err
		}
		return gen.GetOauthProviders200JSONResponse{OauthProviders: append([]gen.OauthProvider{}, u.oauthProviders...)}, nil
	})
}

func (st *state) userIn(orgID, userID string) (*user, error) {
	o, err := st.org(orgID)
	if err != nil {
		return nil, err
	}
	return o.user(userID)
}

// removeByID returns items without those whose ID is in ids; every ID must
// be found.
func removeByID[T any](items []T, ids []string, id func(T) string, noun string) ([]T, error) {
	drop := map[string]bool{}
	for _, x := range ids {
		drop[x] = true
	}
	kept := make([]T, 0, len(items))
	for _, it := range items {
		if drop[id(it)] {
			delete(drop, id(it))
			continue
		}
		kept = append(kept, it)
	}
	for x := range drop {
		return nil, notFound("%s %s not found", noun, x)
	}
	return kept, nil
}
