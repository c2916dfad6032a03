package turnkeytest

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/stamp"
)

// newKeyParams is a validated API key to create.
type newKeyParams struct {
	name       string
	publicKey  string
	curve      stamp.Curve // "" if unknown
	credType   gen.CredentialType
	expiration *string
	expiresIn  time.Duration // 0: never
}

// checkAPIKeyParams validates an API key to create. curve is "" for the
// first version of the parameters, which has no curveType: the key is then
// Ed25519 if it has 32 bytes, and P-256 or secp256k1 otherwise (both are
// accepted when stamping, since 33 bytes cannot tell them apart).
// maxExpirationSeconds is the largest expirationSeconds accepted: the longest
// lifetime a time.Duration holds. Larger ones would overflow into a key that
// has already expired.
const maxExpirationSeconds = math.MaxInt64 / int64(time.Second)

func checkAPIKeyParams(field, name, pubHex string, curve gen.APIKeyCurve, expiration *string) (newKeyParams, error) {
	p := newKeyParams{name: name, expiration: expiration}
	if strings.TrimSpace(name) == "" {
		return p, invalidArgument("%s.apiKeyName is required", field)
	}
	pub, err := hex.DecodeString(pubHex)
	if err != nil || len(pub) == 0 {
		return p, invalidArgument("%s.publicKey %q is not hexadecimal", field, pubHex)
	}
	bad := func(what string) error {
		return invalidArgument("%s.publicKey is not %s", field, what)
	}
	switch curve {
	case gen.APIKeyCurveP256:
		if p.publicKey = compressP256(pub); p.publicKey == "" {
			return p, bad("a P-256 point (33-byte compressed or 65-byte uncompressed)")
		}
		p.curve, p.credType = stamp.CurveP256, gen.CredentialTypeAPIKeyP256
	case gen.APIKeyCurveSecp256K1:
		k, err := secp256k1.ParsePubKey(pub)
		if err != nil {
			return p, bad("a secp256k1 point")
		}
		p.publicKey = hex.EncodeToString(k.SerializeCompressed())
		p.curve, p.credType = stamp.CurveSecp256k1, gen.CredentialTypeAPIKeySecp256K1
	case gen.APIKeyCurveEd25519:
		if len(pub) != ed25519.PublicKeySize {
			return p, bad("a 32-byte Ed25519 key")
		}
		p.publicKey = hex.EncodeToString(pub)
		p.curve, p.credType = stamp.CurveEd25519, gen.CredentialTypeAPIKeyEd25519
	case "":
		switch {
		case len(pub) == ed25519.PublicKeySize:
			p.publicKey, p.curve, p.credType = hex.EncodeToString(pub), stamp.CurveEd25519, gen.CredentialTypeAPIKeyEd25519
		case len(pub) == 33 && (pub[0] == 2 || pub[0] == 3):
			p.publicKey, p.credType = hex.EncodeToString(pub), gen.CredentialTypeAPIKeyP256
		default:
			return p, bad("a 33-byte compressed point or a 32-byte Ed25519 key")
		}
	default:
		return p, invalidArgument("%s.curveType: unknown curve %q", field, curve)
	}
	if expiration != nil && *expiration != "" {
		secs, err := strconv.ParseInt(*expiration, 10, 64)
		if err != nil || secs <= 0 || secs > maxExpirationSeconds {
			return p, invalidArgument("%s.expirationSeconds %q must be a positive number of seconds, at most %d", field, *expiration, int64(maxExpirationSeconds))
		}
		p.expiresIn = time.Duration(secs) * time.Second
	}
	return p, nil
}

// compressP256 returns the compressed form, in hex, of a P-256 point given
// compressed or uncompressed, or "" if it is not one.
func compressP256(pub []byte) string {
	switch {
	case len(pub) == 33:
		if x, _ := elliptic.UnmarshalCompressed(elliptic.P256(), pub); x != nil {
			return hex.EncodeToString(pub)
		}
	case len(pub) == 65:
		if _, err := ecdh.P256().NewPublicKey(pub); err == nil {
			c := append([]byte{2 | pub[64]&1}, pub[1:33]...)
			return hex.EncodeToString(c)
		}
	}
	return ""
}

// addKeys registers validated keys for u.
func (st *state) addKeys(u *user, keys []newKeyParams, now time.Time) ([]string, error) {
	ids := make([]string, 0, len(keys))
	for _, p := range keys {
		k := &apiKey{name: p.name, publicKey: p.publicKey, curve: p.curve, credType: p.credType, expiration: p.expiration}
		if p.expiresIn > 0 {
			k.expiresAt = now.Add(p.expiresIn)
		}
		if err := st.addKey(u, k, now); err != nil {
			return nil, err
		}
		ids = append(ids, k.id)
	}
	return ids, nil
}

func renderKey(k *apiKey) gen.APIKey {
	return gen.APIKey{
		APIKeyID: k.id, APIKeyName: k.name, ExpirationSeconds: k.expiration,
		Credential: gen.Credential{PublicKey: k.publicKey, Type: k.credType},
		CreatedAt:  timestamp(k.createdAt), UpdatedAt: timestamp(k.createdAt),
	}
}

// CreateAPIKeys adds API keys to a user (V2); they stamp requests at once.
func (h *handlers) CreateAPIKeys(ctx context.Context, r gen.CreateAPIKeysRequestObject) (gen.CreateAPIKeysResponseObject, error) {
	return respond[gen.CreateAPIKeys200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createAPIKeys))
}

func (s *Server) createAPIKeys(c *call, p gen.CreateAPIKeysIntentV2) (work, error) {
	if p.UserID == "" {
		return nil, invalidArgument("userId is required")
	}
	if len(p.APIKeys) == 0 {
		return nil, invalidArgument("apiKeys: at least one API key is required")
	}
	keys := make([]newKeyParams, len(p.APIKeys))
	for i, k := range p.APIKeys {
		var err error
		if k.CurveType == "" {
			return nil, invalidArgument("apiKeys[%d].curveType is required", i)
		}
		if keys[i], err = checkAPIKeyParams("apiKeys["+strconv.Itoa(i)+"]", k.APIKeyName, k.PublicKey, k.CurveType, k.ExpirationSeconds); err != nil {
			return nil, err
		}
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := o.user(p.UserID)
		if err != nil {
			return nil, err
		}
		ids, err := st.addKeys(u, keys, now)
		if err != nil {
			for _, id := range ids {
				st.removeKey(u.apiKeys[id])
			}
			return nil, err
		}
		return gen.CreateAPIKeysOutcome{APIKeyIds: ids}, nil
	}), nil
}

// DeleteAPIKeys removes API keys from a user.
func (h *handlers) DeleteAPIKeys(ctx context.Context, r gen.DeleteAPIKeysRequestObject) (gen.DeleteAPIKeysResponseObject, error) {
	return respond[gen.DeleteAPIKeys200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteAPIKeys))
}

func (s *Server) deleteAPIKeys(c *call, p gen.DeleteAPIKeysIntent) (work, error) {
	if p.UserID == "" {
		return nil, invalidArgument("userId is required")
	}
	if len(p.APIKeyIds) == 0 {
		return nil, invalidArgument("apiKeyIds: at least one API key is required")
	}
	if err := checkIDs("apiKeyIds", p.APIKeyIds); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		u, err := o.user(p.UserID)
		if err != nil {
			return nil, err
		}
		for _, id := range p.APIKeyIds {
			if u.apiKeys[id] == nil {
				return nil, notFound("API key %s not found for user %s", id, u.id)
			}
		}
		for _, id := range p.APIKeyIds {
			st.removeKey(u.apiKeys[id])
		}
		return gen.DeleteAPIKeysOutcome{APIKeyIds: p.APIKeyIds}, nil
	}), nil
}

// GetAPIKey returns one API key of the organization.
func (h *handlers) GetAPIKey(ctx context.Context, r gen.GetAPIKeyRequestObject) (gen.GetAPIKeyResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetAPIKey200JSONResponse, error) {
		for _, u := range o.users {
			if k := u.apiKeys[r.Body.APIKeyID]; k != nil {
				return gen.GetAPIKey200JSONResponse{APIKey: renderKey(k)}, nil
			}
		}
		return gen.GetAPIKey200JSONResponse{}, notFound("API key %s not found in organization %s", r.Body.APIKeyID, o.id)
	})
}

// GetAPIKeys lists the API keys of a user: userId, or the caller.
func (h *handlers) GetAPIKeys(ctx context.Context, r gen.GetAPIKeysRequestObject) (gen.GetAPIKeysResponseObject, error) {
	return query(ctx, h.s, func(_ *state, c *call, o *org) (gen.GetAPIKeys200JSONResponse, error) {
		id := c.key.userID
		if r.Body.UserID != nil && *r.Body.UserID != "" {
			id = *r.Body.UserID
		}
		u, err := o.user(id)
		if err != nil {
			return gen.GetAPIKeys200JSONResponse{}, err
		}
		out := gen.GetAPIKeys200JSONResponse{APIKeys: []gen.APIKey{}}
		for _, k := range sortedBySeq(u.apiKeys, func(k *apiKey) uint64 { return k.seq }) {
			out.APIKeys = append(out.APIKeys, renderKey(k))
		}
		return out, nil
	})
}
