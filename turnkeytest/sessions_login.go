package turnkeytest

import (
	"context"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// StampLogin returns a session token for publicKey, for the user whose
// credential stamped the request; publicKey stamps as that user until the
// session expires.
func (h *handlers) StampLogin(ctx context.Context, r gen.StampLoginRequestObject) (gen.StampLoginResponseObject, error) {
	return respond[gen.StampLogin200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.stampLogin))
}

func (s *Server) stampLogin(c *call, p gen.StampLoginIntent) (work, error) {
	pub, err := checkLoginPublicKey(p.PublicKey)
	if err != nil {
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
		u, err := o.user(c.key.userID)
		if err != nil {
			return nil, err
		}
		session, err := s.login(st, o, u, pub, ttl, p.InvalidateExisting != nil && *p.InvalidateExisting, now)
		if err != nil {
			return nil, err
		}
		return gen.StampLoginOutcome{Session: session}, nil
	}), nil
}
