package turnkeytest

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Whoami returns the organization acted on and the user who stamped.
func (h *handlers) Whoami(ctx context.Context, _ gen.WhoamiRequestObject) (gen.WhoamiResponseObject, error) {
	return query(ctx, h.s, func(st *state, c *call, o *org) (gen.Whoami200JSONResponse, error) {
		return gen.Whoami200JSONResponse{OrganizationID: o.id, OrganizationName: o.name,
			UserID: c.key.userID, Username: st.renderUserByID(c.key.orgID, c.key.userID).UserName}, nil
	})
}

func (o *org) renderFeatures() []gen.Feature {
	out := make([]gen.Feature, 0, len(o.features))
	for name, value := range o.features {
		out = append(out, gen.Feature{Name: &name, Value: &value})
	}
	slices.SortFunc(out, func(a, b gen.Feature) int { return cmp.Compare(*a.Name, *b.Name) })
	return out
}

// GetOrganizationConfigs returns the root quorum and the features.
func (h *handlers) GetOrganizationConfigs(ctx context.Context, _ gen.GetOrganizationConfigsRequestObject) (gen.GetOrganizationConfigsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetOrganizationConfigs200JSONResponse, error) {
		features := o.renderFeatures()
		q := gen.Quorum{Threshold: int32(o.quorum.threshold), UserIds: append([]string{}, o.quorum.userIDs...)}
		return gen.GetOrganizationConfigs200JSONResponse{Configs: gen.Config{Features: &features, Quorum: &q}}, nil
	})
}

// SetOrganizationFeature sets a feature's value (stored, without effect).
func (h *handlers) SetOrganizationFeature(ctx context.Context, r gen.SetOrganizationFeatureRequestObject) (gen.SetOrganizationFeatureResponseObject, error) {
	return respond[gen.SetOrganizationFeature200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.setFeature))
}

func (s *Server) setFeature(c *call, p gen.SetOrganizationFeatureIntent) (work, error) {
	if !p.Name.Valid() {
		return nil, invalidArgument("unknown feature name %q", p.Name)
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		o.features[p.Name] = p.Value
		return gen.SetOrganizationFeatureOutcome{Features: o.renderFeatures()}, nil
	}), nil
}

// RemoveOrganizationFeature removes a feature.
func (h *handlers) RemoveOrganizationFeature(ctx context.Context, r gen.RemoveOrganizationFeatureRequestObject) (gen.RemoveOrganizationFeatureResponseObject, error) {
	return respond[gen.RemoveOrganizationFeature200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.removeFeature))
}

func (s *Server) removeFeature(c *call, p gen.RemoveOrganizationFeatureIntent) (work, error) {
	if !p.Name.Valid() {
		return nil, invalidArgument("unknown feature name %q", p.Name)
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		if _, ok := o.features[p.Name]; !ok {
			return nil, notFound("feature %s is not set in organization %s", p.Name, o.id)
		}
		delete(o.features, p.Name)
		return gen.RemoveOrganizationFeatureOutcome{Features: o.renderFeatures()}, nil
	}), nil
}

// UpdateRootQuorum changes the root quorum's members and threshold.
func (h *handlers) UpdateRootQuorum(ctx context.Context, r gen.UpdateRootQuorumRequestObject) (gen.UpdateRootQuorumResponseObject, error) {
	return respond[gen.UpdateRootQuorum200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.updateRootQuorum))
}

func (s *Server) updateRootQuorum(c *call, p gen.UpdateRootQuorumIntent) (work, error) {
	if err := checkIDs("userIds", p.UserIds); err != nil {
		return nil, err
	}
	if p.Threshold < 1 || int(p.Threshold) > len(p.UserIds) {
		return nil, invalidArgument("threshold %d must be between 1 and the %d users of the quorum", p.Threshold, len(p.UserIds))
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		for _, id := range p.UserIds {
			if _, err := o.user(id); err != nil {
				return nil, err
			}
		}
		o.quorum = quorum{threshold: int(p.Threshold), userIDs: slices.Clone(p.UserIds)}
		return gen.UpdateRootQuorumOutcome{}, nil
	}), nil
}

// CreateSubOrganization creates a sub-organization with its root users,
// their API keys and optionally a wallet (V7, and V8 through versions.go).
func (h *handlers) CreateSubOrganization(ctx context.Context, r gen.CreateSubOrganizationRequestObject) (gen.CreateSubOrganizationResponseObject, error) {
	p, err := versioned(ctx, r.Body.Parameters, map[string]func(json.RawMessage) (gen.CreateSubOrganizationIntentV7, error){
		string(gen.CreateSubOrganizationRequestV8TypeCreateSubOrganizationV8): as(subOrganizationV7),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.CreateSubOrganization200JSONResponse](submit(ctx, h.s, p, h.s.createSubOrganization))
}

func (s *Server) createSubOrganization(c *call, p gen.CreateSubOrganizationIntentV7) (work, error) {
	if strings.TrimSpace(p.SubOrganizationName) == "" {
		return nil, invalidArgument("subOrganizationName is required")
	}
	if len(p.RootUsers) == 0 {
		return nil, invalidArgument("rootUsers: at least one root user is required")
	}
	if p.RootQuorumThreshold < 1 || int(p.RootQuorumThreshold) > len(p.RootUsers) {
		return nil, invalidArgument("rootQuorumThreshold %d must be between 1 and the %d root users", p.RootQuorumThreshold, len(p.RootUsers))
	}
	users := make([]newUserParams, len(p.RootUsers))
	for i, u := range p.RootUsers {
		field := "rootUsers[" + strconv.Itoa(i) + "]"
		if err := checkUserName(field, u.UserName); err != nil {
			return nil, err
		}
		if err := checkAuthenticators(field, u.Authenticators); err != nil {
			return nil, err
		}
		claims, err := checkOAuthProviders(field, u.OauthProviders)
		if err != nil {
			return nil, err
		}
		users[i] = newUserParams{name: u.UserName, email: u.UserEmail, phone: u.UserPhoneNumber,
			authenticators: u.Authenticators, oauth: u.OauthProviders, oauthClaims: claims}
		for j, k := range u.APIKeys {
			kp, err := checkAPIKeyParams(field+".apiKeys["+strconv.Itoa(j)+"]", k.APIKeyName, k.PublicKey, k.CurveType, k.ExpirationSeconds)
			if err != nil {
				return nil, err
			}
			users[i].keys = append(users[i].keys, kp)
		}
	}
	words := 0
	if p.Wallet != nil {
		var err error
		if words, err = checkWallet(p.Wallet.WalletName, p.Wallet.MnemonicLength, p.Wallet.Accounts); err != nil {
			return nil, invalidArgument("wallet: %s", strings.TrimPrefix(err.Error(), "turnkeytest: "))
		}
	}
	return func(st *state, now time.Time) (any, error) {
		parent, err := st.org(c.orgID)
		if err != nil {
			return nil, err
		}
		sub := st.newOrg(p.SubOrganizationName, parent.id, now)
		res := gen.CreateSubOrganizationResultV7{SubOrganizationID: sub.id}
		ids := []string{}
		for _, up := range users {
			u, err := st.createUser(sub, up, now)
			if err != nil {
				st.deleteOrg(sub)
				return nil, err
			}
			ids = append(ids, u.id)
		}
		sub.quorum = quorum{threshold: int(p.RootQuorumThreshold), userIDs: ids}
		res.RootUserIds = &ids
		if p.Wallet != nil {
			w, addrs, err := st.createWallet(sub, p.Wallet.WalletName, newMnemonic(words), p.Wallet.Accounts, false, now)
			if err != nil {
				st.deleteOrg(sub)
				return nil, err
			}
			res.Wallet = &gen.WalletResult{WalletID: w.id, Addresses: addrs}
		}
		return res, nil
	}, nil
}

// DeleteSubOrganization deletes the sub-organization the request acts on,
// with its own sub-organizations.
func (h *handlers) DeleteSubOrganization(ctx context.Context, r gen.DeleteSubOrganizationRequestObject) (gen.DeleteSubOrganizationResponseObject, error) {
	return respond[gen.DeleteSubOrganization200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteSubOrganization))
}

func (s *Server) deleteSubOrganization(c *call, p gen.DeleteSubOrganizationIntent) (work, error) {
	force := p.DeleteWithoutExport != nil && *p.DeleteWithoutExport
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		if o.parentID == "" {
			return nil, failedPrecondition("organization %s is not a sub-organization", o.id)
		}
		if !force {
			for _, w := range o.wallets {
				if !w.exported {
					return nil, failedPrecondition("wallet %s has not been exported: export it first or set deleteWithoutExport", w.id)
				}
			}
			for _, pk := range o.privateKeys {
				if !pk.exported {
					return nil, failedPrecondition("private key %s has not been exported: export it first or set deleteWithoutExport", pk.id)
				}
			}
		}
		st.deleteOrg(o)
		return gen.DeleteSubOrganizationOutcome{SubOrganizationUUID: o.id}, nil
	}), nil
}

// ListSuborgs lists the direct sub-organizations, optionally filtered.
func (h *handlers) ListSuborgs(ctx context.Context, r gen.ListSuborgsRequestObject) (gen.ListSuborgsResponseObject, error) {
	return query(ctx, h.s, func(st *state, _ *call, o *org) (gen.ListSuborgsResponseObject, error) {
		b := r.Body
		filter, value := "", ""
		if b.FilterType != nil {
			filter = *b.FilterType
		}
		if b.FilterValue != nil {
			value = *b.FilterValue
		}
		if filter != "" {
			if _, ok := suborgFilters[filter]; !ok {
				return nil, invalidArgument("filterType %q is not simulated (simulated: %s)", filter, strings.Join(slices.Sorted(maps.Keys(suborgFilters)), ", "))
			}
		}
		var subs []*org
		for _, sub := range sortedBySeq(st.orgs, func(o *org) uint64 { return o.seq }) {
			if sub.parentID == o.id && (filter == "" || suborgFilters[filter](sub, value)) {
				subs = append(subs, sub)
			}
		}
		page, err := paginate(subs, func(o *org) string { return o.id }, b.PaginationOptions)
		if err != nil {
			return nil, err
		}
		out := gen.ListSuborgs200JSONResponse{OrganizationIds: make([]string, 0, len(page))}
		for _, sub := range page {
			out.OrganizationIds = append(out.OrganizationIds, sub.id)
		}
		return out, nil
	})
}

// suborgFilters are the filterType values of list_suborgs the simulator
// knows, each matching a sub-organization against filterValue.
var suborgFilters = map[string]func(o *org, v string) bool{
	"NAME": func(o *org, v string) bool { return o.name == v },
	"USERNAME": func(o *org, v string) bool {
		return anyUser(o, func(u *user) bool { return u.name == v })
	},
	"EMAIL": func(o *org, v string) bool {
		return anyUser(o, func(u *user) bool { return u.email != nil && strings.EqualFold(*u.email, v) })
	},
	"PHONE_NUMBER": func(o *org, v string) bool {
		return anyUser(o, func(u *user) bool { return u.phone != nil && *u.phone == v })
	},
	"PUBLIC_KEY": func(o *org, v string) bool {
		return anyUser(o, func(u *user) bool {
			for _, k := range u.apiKeys {
				if strings.EqualFold(k.publicKey, v) {
					return true
				}
			}
			return false
		})
	},
	"CREDENTIAL_ID": func(o *org, v string) bool {
		return anyUser(o, func(u *user) bool {
			return slices.ContainsFunc(u.authenticators, func(a gen.Authenticator) bool { return a.CredentialID == v })
		})
	},
	"WALLET_ACCOUNT_ADDRESS": func(o *org, v string) bool { return o.findAccount(v) != nil },
}

func anyUser(o *org, f func(*user) bool) bool {
	for _, u := range o.users {
		if f(u) {
			return true
		}
	}
	return false
}
