package turnkeytest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	tkpolicy "github.com/turnkey-go/turnkey/policy"
)

// Policies are stored, returned and enforced (policy_enforce.go); a
// condition or consensus that does not parse is refused.

func checkPolicy(field string, p gen.CreatePolicyIntentV3) error {
	if strings.TrimSpace(p.PolicyName) == "" {
		return invalidArgument("%spolicyName is required", field)
	}
	if !p.Effect.Valid() {
		return invalidArgument("%seffect %q must be %s or %s", field, p.Effect, gen.EffectAllow, gen.EffectDeny)
	}
	if err := validatePolicyExpr(field, tkpolicy.FieldCondition, p.Condition); err != nil {
		return err
	}
	return validatePolicyExpr(field, tkpolicy.FieldConsensus, p.Consensus)
}

func (o *org) policy(id string) (*policy, error) {
	if p := o.policies[id]; p != nil {
		return p, nil
	}
	return nil, notFound("policy %s not found in organization %s", id, o.id)
}

func (st *state) addPolicy(o *org, p gen.CreatePolicyIntentV3, now time.Time) string {
	pol := gen.Policy{PolicyID: newID(), PolicyName: p.PolicyName, Effect: p.Effect, Notes: p.Notes,
		CreatedAt: timestamp(now), UpdatedAt: timestamp(now)}
	if p.Condition != nil {
		pol.Condition = *p.Condition
	}
	if p.Consensus != nil {
		pol.Consensus = *p.Consensus
	}
	o.policies[pol.PolicyID] = &policy{p: pol, seq: st.nextSeq()}
	return pol.PolicyID
}

// CreatePolicy stores a policy (V3).
func (h *handlers) CreatePolicy(ctx context.Context, r gen.CreatePolicyRequestObject) (gen.CreatePolicyResponseObject, error) {
	return respond[gen.CreatePolicy200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createPolicy))
}

func (s *Server) createPolicy(c *call, p gen.CreatePolicyIntentV3) (work, error) {
	if err := checkPolicy("", p); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		return gen.CreatePolicyOutcome{PolicyID: st.addPolicy(o, p, now)}, nil
	}), nil
}

// CreatePolicies stores several policies.
func (h *handlers) CreatePolicies(ctx context.Context, r gen.CreatePoliciesRequestObject) (gen.CreatePoliciesResponseObject, error) {
	return respond[gen.CreatePolicies200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createPolicies))
}

func (s *Server) createPolicies(c *call, p gen.CreatePoliciesIntent) (work, error) {
	if len(p.Policies) == 0 {
		return nil, invalidArgument("policies: at least one policy is required")
	}
	for i, pol := range p.Policies {
		if err := checkPolicy("policies["+strconv.Itoa(i)+"].", pol); err != nil {
			return nil, err
		}
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		ids := make([]string, len(p.Policies))
		for i, pol := range p.Policies {
			ids[i] = st.addPolicy(o, pol, now)
		}
		return gen.CreatePoliciesOutcome{PolicyIds: ids}, nil
	}), nil
}

// UpdatePolicy changes a policy.
func (h *handlers) UpdatePolicy(ctx context.Context, r gen.UpdatePolicyRequestObject) (gen.UpdatePolicyResponseObject, error) {
	p, err := versioned(ctx, r.Body.Parameters, map[string]func(json.RawMessage) (gen.UpdatePolicyIntent, error){
		string(gen.UpdatePolicyRequestV2TypeUpdatePolicyV2): as(policyV1),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.UpdatePolicy200JSONResponse](submit(ctx, h.s, p, h.s.updatePolicy))
}

func (s *Server) updatePolicy(c *call, p gen.UpdatePolicyIntent) (work, error) {
	if p.PolicyID == "" {
		return nil, invalidArgument("policyId is required")
	}
	if p.PolicyEffect != nil && !p.PolicyEffect.Valid() {
		return nil, invalidArgument("policyEffect %q must be %s or %s", *p.PolicyEffect, gen.EffectAllow, gen.EffectDeny)
	}
	if p.PolicyName != nil && strings.TrimSpace(*p.PolicyName) == "" {
		return nil, invalidArgument("policyName must not be empty")
	}
	if err := validatePolicyExpr("", tkpolicy.FieldCondition, p.PolicyCondition); err != nil {
		return nil, err
	}
	if err := validatePolicyExpr("", tkpolicy.FieldConsensus, p.PolicyConsensus); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		pol, err := o.policy(p.PolicyID)
		if err != nil {
			return nil, err
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&pol.p.PolicyName, p.PolicyName)
		set(&pol.p.Condition, p.PolicyCondition)
		set(&pol.p.Consensus, p.PolicyConsensus)
		set(&pol.p.Notes, p.PolicyNotes)
		if p.PolicyEffect != nil {
			pol.p.Effect = *p.PolicyEffect
		}
		pol.p.UpdatedAt = timestamp(now)
		return gen.UpdatePolicyOutcome{PolicyID: p.PolicyID}, nil
	}), nil
}

// DeletePolicy deletes a policy.
func (h *handlers) DeletePolicy(ctx context.Context, r gen.DeletePolicyRequestObject) (gen.DeletePolicyResponseObject, error) {
	return respond[gen.DeletePolicy200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deletePolicy))
}

func (s *Server) deletePolicy(c *call, p gen.DeletePolicyIntent) (work, error) {
	if p.PolicyID == "" {
		return nil, invalidArgument("policyId is required")
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		if _, err := o.policy(p.PolicyID); err != nil {
			return nil, err
		}
		delete(o.policies, p.PolicyID)
		return gen.DeletePolicyOutcome(p), nil
	}), nil
}

// GetPolicy returns one policy.
func (h *handlers) GetPolicy(ctx context.Context, r gen.GetPolicyRequestObject) (gen.GetPolicyResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetPolicy200JSONResponse, error) {
		pol, err := o.policy(r.Body.PolicyID)
		if err != nil {
			return gen.GetPolicy200JSONResponse{}, err
		}
		return gen.GetPolicy200JSONResponse{Policy: pol.p}, nil
	})
}

// ListPolicies lists the policies of the organization.
func (h *handlers) ListPolicies(ctx context.Context, _ gen.ListPoliciesRequestObject) (gen.ListPoliciesResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListPolicies200JSONResponse, error) {
		out := gen.ListPolicies200JSONResponse{Policies: []gen.Policy{}}
		for _, pol := range sortedBySeq(o.policies, func(p *policy) uint64 { return p.seq }) {
			out.Policies = append(out.Policies, pol.p)
		}
		return out, nil
	})
}
