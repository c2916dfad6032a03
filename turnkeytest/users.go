package turnkeytest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// newUserParams is a validated user to create.
type newUserParams struct {
	name           string
	email, phone   *string
	keys           []newKeyParams
	authenticators []gen.AuthenticatorParamsV2
	oauth          []gen.OauthProviderParams
	oauthClaims    []oidcClaims
	tags           []string
}

func checkUserName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return invalidArgument("%s.userName is required", field)
	}
	return nil
}

func checkAuthenticators(field string, as []gen.AuthenticatorParamsV2) error {
	for i, a := range as {
		if a.AuthenticatorName == "" || a.Attestation.CredentialID == "" {
			return invalidArgument("%s.authenticators[%d]: authenticatorName and attestation.credentialId are required", field, i)
		}
	}
	return nil
}

// createUser creates a validated user in o.
func (st *state) createUser(o *org, p newUserParams, now time.Time) (*user, error) {
	for _, id := range p.tags {
		if _, err := o.tag(id, gen.TagTypeUser); err != nil {
			return nil, err
		}
	}
	u := st.newUser(o, p.name, p.email, p.phone, now)
	if _, err := st.addKeys(u, p.keys, now); err != nil {
		st.deleteUser(o, u)
		return nil, err
	}
	for _, a := range p.authenticators {
		u.authenticators = append(u.authenticators, st.newAuthenticator(a, now))
	}
	for i, op := range p.oauth {
		u.oauthProviders = append(u.oauthProviders, newOAuthProvider(op.ProviderName, p.oauthClaims[i], now))
	}
	for _, id := range p.tags {
		o.tags[id].members[u.id] = true
	}
	return u, nil
}

func (st *state) renderUser(o *org, u *user) gen.User {
	out := gen.User{
		UserID: u.id, UserName: u.name, UserEmail: u.email, UserPhoneNumber: u.phone,
		CreatedAt: timestamp(u.createdAt), UpdatedAt: timestamp(u.updatedAt),
		APIKeys: []gen.APIKey{}, Authenticators: append([]gen.Authenticator{}, u.authenticators...),
		OauthProviders: append([]gen.OauthProvider{}, u.oauthProviders...), UserTags: o.tagsOf(u.id, gen.TagTypeUser),
	}
	for _, k := range sortedBySeq(u.apiKeys, func(k *apiKey) uint64 { return k.seq }) {
		out.APIKeys = append(out.APIKeys, renderKey(k))
	}
	return out
}

// renderUserByID renders a user that may have been deleted since.
func (st *state) renderUserByID(orgID, userID string) gen.User {
	if o := st.orgs[orgID]; o != nil {
		if u := o.users[userID]; u != nil {
			return st.renderUser(o, u)
		}
	}
	return gen.User{UserID: userID, APIKeys: []gen.APIKey{}, Authenticators: []gen.Authenticator{},
		OauthProviders: []gen.OauthProvider{}, UserTags: []string{}}
}

// CreateUsers creates users with their API keys (V2, and V3 and V4 through
// versions.go).
func (h *handlers) CreateUsers(ctx context.Context, r gen.CreateUsersRequestObject) (gen.CreateUsersResponseObject, error) {
	p, err := versioned(ctx, usersV3(r.Body.Parameters), map[string]func(json.RawMessage) (gen.CreateUsersIntentV3, error){
		string(gen.CreateUsersRequestV3TypeCreateUsersV3): as(same[gen.CreateUsersIntentV3]),
		string(gen.CreateUsersRequestV4TypeCreateUsersV4): as(usersV3FromV4),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.CreateUsers200JSONResponse](submit(ctx, h.s, p, h.s.createUsers))
}

func (s *Server) createUsers(c *call, p gen.CreateUsersIntentV3) (work, error) {
	if len(p.Users) == 0 {
		return nil, invalidArgument("users: at least one user is required")
	}
	users := make([]newUserParams, len(p.Users))
	for i, u := range p.Users {
		field := "users[" + strconv.Itoa(i) + "]"
		if err := checkUserName(field, u.UserName); err != nil {
			return nil, err
		}
		if err := checkAuthenticators(field, u.Authenticators); err != nil {
			return nil, err
		}
		if err := checkIDs(field+".userTags", u.UserTags); err != nil {
			return nil, err
		}
		claims, err := checkOAuthProviders(field, u.OauthProviders)
		if err != nil {
			return nil, err
		}
		users[i] = newUserParams{name: u.UserName, email: u.UserEmail, phone: u.UserPhoneNumber, authenticators: u.Authenticators,
			oauth: u.OauthProviders, oauthClaims: claims, tags: u.UserTags}
		for j, k := range u.APIKeys {
			kp, err := checkAPIKeyParams(field+".apiKeys["+strconv.Itoa(j)+"]", k.APIKeyName, k.PublicKey, k.CurveType, k.ExpirationSeconds)
			if err != nil {
				return nil, err
			}
			users[i].keys = append(users[i].keys, kp)
		}
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		var created []*user
		for _, p := range users {
			u, err := st.createUser(o, p, now)
			if err != nil {
				for _, u := range created { // all or nothing
					st.deleteUser(o, u)
				}
				return nil, err
			}
			created = append(created, u)
		}
		ids := make([]string, len(created))
		for i, u := range created {
			ids[i] = u.id
		}
		return gen.CreateUsersOutcome{UserIds: ids}, nil
	}), nil
}

// DeleteUsers deletes users and their API keys.
func (h *handlers) DeleteUsers(ctx context.Context, r gen.DeleteUsersRequestObject) (gen.DeleteUsersResponseObject, error) {
	return respond[gen.DeleteUsers200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteUsers))
}

func (s *Server) deleteUsers(c *call, p gen.DeleteUsersIntent) (work, error) {
	if len(p.UserIds) == 0 {
		return nil, invalidArgument("userIds: at least one user is required")
	}
	if err := checkIDs("userIds", p.UserIds); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		users := make([]*user, len(p.UserIds))
		for i, id := range p.UserIds {
			var err error
			if users[i], err = o.user(id); err != nil {
				return nil, err
			}
			if o.quorum.has(id) {
				return nil, failedPrecondition("user %s is in the root quorum: remove it with update_root_quorum first", id)
			}
		}
		for _, u := range users {
			st.deleteUser(o, u)
		}
		return gen.DeleteUsersOutcome(p), nil
	}), nil
}

// UpdateUser changes a user's name, email, phone number or tags.
func (h *handlers) UpdateUser(ctx context.Context, r gen.UpdateUserRequestObject) (gen.UpdateUserResponseObject, error) {
	return respond[gen.UpdateUser200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.updateUser))
}

func (s *Server) updateUser(c *call, p gen.UpdateUserIntent) (work, error) {
	if p.UserID == "" {
		return nil, invalidArgument("userId is required")
	}
	if p.UserName != nil && strings.TrimSpace(*p.UserName) == "" {
		return nil, invalidArgument("userName must not be empty")
	}
	if p.UserTagIds != nil {
		if err := checkIDs("userTagIds", *p.UserTagIds); err != nil {
			return nil, err
		}
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := o.user(p.UserID)
		if err != nil {
			return nil, err
		}
		if p.UserTagIds != nil {
			for _, id := range *p.UserTagIds {
				if _, err := o.tag(id, gen.TagTypeUser); err != nil {
					return nil, err
				}
			}
			for _, t := range o.tags {
				if t.typ == gen.TagTypeUser {
					delete(t.members, u.id)
				}
			}
			for _, id := range *p.UserTagIds {
				o.tags[id].members[u.id] = true
			}
		}
		if p.UserName != nil {
			u.name = *p.UserName
		}
		if p.UserEmail != nil {
			u.email = p.UserEmail
		}
		if p.UserPhoneNumber != nil {
			u.phone = p.UserPhoneNumber
		}
		u.updatedAt = now
		return gen.UpdateUserOutcome{UserID: u.id}, nil
	}), nil
}

// GetUser returns one user.
func (h *handlers) GetUser(ctx context.Context, r gen.GetUserRequestObject) (gen.GetUserResponseObject, error) {
	return query(ctx, h.s, func(st *state, _ *call, o *org) (gen.GetUser200JSONResponse, error) {
		u, err := o.user(r.Body.UserID)
		if err != nil {
			return gen.GetUser200JSONResponse{}, err
		}
		return gen.GetUser200JSONResponse{User: st.renderUser(o, u)}, nil
	})
}

// ListUsers lists the users of the organization.
func (h *handlers) ListUsers(ctx context.Context, _ gen.ListUsersRequestObject) (gen.ListUsersResponseObject, error) {
	return query(ctx, h.s, func(st *state, _ *call, o *org) (gen.ListUsers200JSONResponse, error) {
		out := gen.ListUsers200JSONResponse{Users: []gen.User{}}
		for _, u := range sortedBySeq(o.users, func(u *user) uint64 { return u.seq }) {
			out.Users = append(out.Users, st.renderUser(o, u))
		}
		return out, nil
	})
}
