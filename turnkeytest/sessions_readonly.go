package turnkeytest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Read-only sessions: create_read_only_session returns a session token
// (SESSION_TYPE_READ_ONLY, signed with the session-token key) that, sent in
// an X-Session header instead of an X-Stamp, authenticates queries as the
// user in the session's organization and its sub-organizations, until it
// expires. Submits refuse it.

// SessionHeader is the header that carries a read-only session token.
const SessionHeader = "X-Session"

// readOnlySessionSeconds is the lifetime of a read-only session: one hour,
// as Turnkey documents (the request has no expirationSeconds).
const readOnlySessionSeconds = 3600

// CreateReadOnlySession returns a read-only session token for the user
// whose credential stamped the request.
func (h *handlers) CreateReadOnlySession(ctx context.Context, r gen.CreateReadOnlySessionRequestObject) (gen.CreateReadOnlySessionResponseObject, error) {
	return respond[gen.CreateReadOnlySession200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createReadOnlySession))
}

func (s *Server) createReadOnlySession(c *call, _ gen.CreateReadOnlySessionIntent) (work, error) {
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		u, err := o.user(c.key.userID)
		if err != nil {
			return nil, err
		}
		exp := now.Add(readOnlySessionSeconds * time.Second).Unix()
		tok, err := s.auth.sessionToken(SessionClaims{Exp: exp, SessionType: SessionTypeReadOnly, UserID: u.id, OrganizationID: o.id})
		if err != nil {
			return nil, err
		}
		return gen.CreateReadOnlySessionOutcome{OrganizationID: o.id, OrganizationName: o.name, Session: tok,
			SessionExpiry: strconv.FormatInt(exp, 10), UserID: u.id, Username: u.name}, nil
	}), nil
}

// authenticateSession authenticates a query by its X-Session header: a
// read-only session token of a user of orgID or of one of its parents.
func (s *Server) authenticateSession(r *http.Request, c *call, now time.Time) error {
	if !strings.HasPrefix(r.URL.Path, "/public/v1/query/") {
		return permissionDenied("a read-only session (%s) may only query; stamp submits with an API key (%s)", SessionHeader, "X-Stamp")
	}
	var sc SessionClaims
	if err := verifyJWT(&s.auth.sessionKey.PublicKey, r.Header.Get(SessionHeader), digestTurnkey, &sc); err != nil {
		return unauthenticated("%s: %v", SessionHeader, err)
	}
	if sc.SessionType != SessionTypeReadOnly {
		return unauthenticated("%s: session type %s is not %s; a read-write session stamps with its key", SessionHeader, sc.SessionType, SessionTypeReadOnly)
	}
	if !now.Before(time.Unix(sc.Exp, 0)) {
		return unauthenticated("%s: session expired at %s", SessionHeader, time.Unix(sc.Exp, 0).UTC().Format(time.RFC3339))
	}
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, err := st.userIn(sc.OrganizationID, sc.UserID); err != nil {
		return unauthenticated("%s: the session's user %s no longer exists", SessionHeader, sc.UserID)
	}
	if _, err := st.org(c.orgID); err != nil {
		return err
	}
	if !st.isSelfOrAncestor(sc.OrganizationID, c.orgID) {
		return permissionDenied("the read-only session of organization %s may not read organization %s", sc.OrganizationID, c.orgID)
	}
	c.key = &apiKey{orgID: sc.OrganizationID, userID: sc.UserID, curve: "", credType: gen.CredentialTypeLogin}
	return nil
}

// authenticateWithSession is authenticate for a request with an X-Session
// header and no X-Stamp.
func (s *Server) authenticateWithSession(r *http.Request, body []byte, now time.Time) (*call, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, invalidArgument("malformed JSON body: %v", err)
	}
	if env.OrganizationID == nil || *env.OrganizationID == "" {
		return nil, invalidArgument("organizationId is required")
	}
	// Only queries get here (authenticateSession refuses submits), so the
	// call needs no fingerprint.
	c := &call{body: body, now: now, orgID: *env.OrganizationID, typ: env.Type, timestampMs: env.TimestampMs}
	if err := s.authenticateSession(r, c, now); err != nil {
		return nil, err
	}
	return c, nil
}
