package turnkeytest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/api"
	"github.com/turnkey-go/turnkey/stamp"
)

// call is one authenticated request, as handlers see it.
type call struct {
	body        []byte
	fingerprint string // "sha256:" and the hex SHA-256 of body, as Turnkey writes it
	now         time.Time

	// From the body.
	orgID       string // the organization acted on
	typ         string // submits: the activity type sent
	timestampMs string // submits

	// The API key that stamped the request, and its user.
	key       *apiKey
	scheme    stamp.Scheme
	signature string // hex, as stamped

	op      *api.Operation // set by the strict middleware
	version *sentVersion   // a newer activity version the handler serves (versions.go)
}

type callKey struct{}

func callFrom(ctx context.Context) (*call, error) {
	if c, ok := ctx.Value(callKey{}).(*call); ok && c.op != nil {
		return c, nil
	}
	return nil, errors.New("request did not go through the simulator's middleware")
}

// envelope is what every request body carries besides its parameters.
type envelope struct {
	OrganizationID *string `json:"organizationId"`
	Type           string  `json:"type"`
	TimestampMs    string  `json:"timestampMs"`
}

// authenticate checks the request's stamp over the exact body bytes and that
// its API key may act on the organization the body names: an API key of that
// organization or of one of its parents. Errors: 401 (code 16) for a missing,
// malformed, invalid, unknown or expired stamp; 400 (code 3) for a body that
// is not JSON or lacks organizationId; 404 (code 5) for an unknown
// organization; 403 (code 7) for a key of an unrelated organization.
func (s *Server) authenticate(r *http.Request, body []byte, now time.Time) (*call, error) {
	header := r.Header.Get(stamp.Header)
	if header == "" && r.Header.Get(SessionHeader) != "" {
		return s.authenticateWithSession(r, body, now)
	}
	if header == "" {
		if r.Header.Get("X-Stamp-Webauthn") != "" {
			return nil, unauthenticated("passkey (X-Stamp-WebAuthn) stamps are not simulated; stamp with an API key")
		}
		return nil, unauthenticated("missing %s header", stamp.Header)
	}
	v, err := stamp.Verify(body, header)
	if err != nil {
		return nil, unauthenticated("%s: %v", stamp.Header, err)
	}
	parsed, err := stamp.ParseStamp(header)
	if err != nil { // cannot happen after Verify
		return nil, unauthenticated("%s: %v", stamp.Header, err)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, invalidArgument("malformed JSON body: %v", err)
	}
	if env.OrganizationID == nil || *env.OrganizationID == "" {
		return nil, invalidArgument("organizationId is required")
	}
	sum := sha256.Sum256(body)
	c := &call{
		body: body, fingerprint: "sha256:" + hex.EncodeToString(sum[:]), now: now,
		orgID: *env.OrganizationID, typ: env.Type, timestampMs: env.TimestampMs,
		scheme: v.Scheme, signature: strings.ToLower(parsed.Signature),
	}

	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	k, err := st.findKey(v, c.orgID, now)
	if err != nil {
		return nil, err
	}
	c.key = k
	return c, nil
}

// findKey finds the API key with the stamp's public key that may act on
// orgID: preferably one of orgID itself, otherwise one of its nearest parent.
func (st *state) findKey(v *stamp.Verified, orgID string, now time.Time) (*apiKey, error) {
	var live []*apiKey
	expired := false
	for _, k := range st.keys[v.PublicKey] {
		switch {
		case k.curve != "" && k.curve != v.Curve:
			// Registered on another curve: not this key.
		case k.expired(now):
			expired = true
		default:
			live = append(live, k)
		}
	}
	if len(live) == 0 {
		if expired {
			return nil, unauthenticated("API key %s has expired", v.PublicKey)
		}
		return nil, unauthenticated("no API key with public key %s is registered", v.PublicKey)
	}
	if _, err := st.org(orgID); err != nil {
		return nil, err
	}
	var best *apiKey
	for _, k := range live {
		if st.isSelfOrAncestor(k.orgID, orgID) && (best == nil || st.depth(k.orgID) > st.depth(best.orgID)) {
			best = k
		}
	}
	if best == nil {
		orgs := make([]string, 0, len(live))
		for _, k := range live {
			orgs = append(orgs, k.orgID)
		}
		slices.Sort(orgs)
		return nil, permissionDenied("API key %s belongs to organization %s, which is neither organization %s nor one of its parents",
			v.PublicKey, strings.Join(orgs, ", "), orgID)
	}
	return best, nil
}
