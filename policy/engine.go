package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Effect is what a policy does when it applies.
type Effect string

// The two effects.
const (
	EffectAllow Effect = "EFFECT_ALLOW"
	EffectDeny  Effect = "EFFECT_DENY"
)

// Outcome is the result of one policy, or the final result.
type Outcome string

// Outcomes. A policy evaluates to OutcomeAllow or OutcomeDenyExplicit when
// it applies (condition and consensus both true), to OutcomeDenyImplicit when
// it does not, and to OutcomeError when an expression fails. The final
// outcome is OutcomeAllow or OutcomeDeny.
const (
	OutcomeAllow        Outcome = "OUTCOME_ALLOW"
	OutcomeDeny         Outcome = "OUTCOME_DENY"
	OutcomeDenyExplicit Outcome = "OUTCOME_DENY_EXPLICIT"
	OutcomeDenyImplicit Outcome = "OUTCOME_DENY_IMPLICIT"
	OutcomeError        Outcome = "OUTCOME_ERROR"
)

// Policy is a policy as Turnkey stores it. An empty condition applies to
// every activity; an empty consensus to every approver.
type Policy struct {
	ID        string `json:"policyId,omitempty"`
	Name      string `json:"policyName,omitempty"`
	Effect    Effect `json:"effect"`
	Condition string `json:"condition,omitempty"`
	Consensus string `json:"consensus,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// Label is how errors and reasons name the policy.
func (p Policy) Label() string {
	switch {
	case p.Name != "" && p.ID != "":
		return fmt.Sprintf("%q (%s)", p.Name, p.ID)
	case p.Name != "":
		return fmt.Sprintf("%q", p.Name)
	case p.ID != "":
		return p.ID
	}
	return "policy"
}

// Compiled is a policy whose expressions parsed and type-checked.
type Compiled struct {
	Policy
	condition, consensus Expr // nil when empty
}

// EffectError is a policy whose effect is neither EFFECT_ALLOW nor
// EFFECT_DENY.
type EffectError struct{ Effect Effect }

func (e *EffectError) Error() string {
	return fmt.Sprintf("invalid policy effect %q: want %s or %s", e.Effect, EffectAllow, EffectDeny)
}

// Compile parses and checks a policy's condition and consensus. Errors are a
// *EffectError or a *FieldError around a *SyntaxError, *UnknownNameError or
// *TypeError.
func Compile(p Policy) (*Compiled, error) {
	if p.Effect != EffectAllow && p.Effect != EffectDeny {
		return nil, &EffectError{p.Effect}
	}
	c := &Compiled{Policy: p}
	var err error
	if c.condition, err = compileField(p.Condition, FieldCondition); err != nil {
		return nil, err
	}
	if c.consensus, err = compileField(p.Consensus, FieldConsensus); err != nil {
		return nil, err
	}
	return c, nil
}

// CompileExpr parses and checks one expression of field.
func CompileExpr(src string, field Field) (Expr, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e, Check(e, field)
}

func compileField(src string, field Field) (Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	e, err := CompileExpr(src, field)
	if err != nil {
		return nil, &FieldError{Field: string(field), Err: err}
	}
	return e, nil
}

// Evaluation is how one policy evaluated.
type Evaluation struct {
	PolicyID     string  `json:"policyId,omitempty"`
	PolicyName   string  `json:"policyName,omitempty"`
	Effect       Effect  `json:"effect"`
	Outcome      Outcome `json:"outcome"`
	ConditionMet bool    `json:"conditionMet"`
	ConsensusMet bool    `json:"consensusMet"`
	Error        string  `json:"error,omitempty"`
	err          error
}

// Err is the evaluation error of an OutcomeError policy.
func (e Evaluation) Err() error { return e.err }

// Pending is an allow policy whose condition holds and whose consensus more
// approvals can meet.
type Pending struct {
	PolicyID   string   `json:"policyId,omitempty"`
	PolicyName string   `json:"policyName,omitempty"`
	MayApprove []string `json:"mayApprove"` // IDs of the users whose approval counts, not yet given
}

// Decision is the outcome of an activity under an organization's policies.
type Decision struct {
	Outcome Outcome `json:"outcome"` // OutcomeAllow or OutcomeDeny
	// RootQuorum is true when a quorum of root users approved.
	RootQuorum bool `json:"rootQuorum"`
	// Explicit is true when a deny policy applied.
	Explicit bool `json:"explicit"`
	// Waiting is true for a denied activity that more approvals could
	// allow: an allow policy, or the root quorum, counts a current approver
	// and can be met. Turnkey holds such an activity in CONSENSUS_NEEDED.
	Waiting     bool         `json:"waiting"`
	Reason      string       `json:"reason"`
	Evaluations []Evaluation `json:"policyEvaluations"`
	Pending     []Pending    `json:"pending,omitempty"`
	// RootPending lists root users who may still approve, when the root
	// quorum counts a current approver but is not met.
	RootPending []string `json:"rootPending,omitempty"`
}

// Allowed reports whether the activity may run now.
func (d Decision) Allowed() bool { return d.Outcome == OutcomeAllow }

// Message is Turnkey's wording of a denial: which policies denied, or that
// none allowed.
func (d Decision) Message() string {
	if d.Explicit {
		var ids []string
		for _, e := range d.Evaluations {
			if e.Outcome == OutcomeDenyExplicit {
				ids = append(ids, cmpOr(e.PolicyID, e.PolicyName))
			}
		}
		return "The following policies denied this action: " + strings.Join(ids, ", ")
	}
	return "No policies evaluated to outcome: Allow"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Evaluate decides an activity: a quorum of root users allows it; otherwise
// any applicable EFFECT_DENY policy denies it; otherwise an applicable
// EFFECT_ALLOW policy allows it; otherwise it is denied implicitly. A policy
// applies when its condition and its consensus are both true; one whose
// expression fails neither allows nor denies (OutcomeError). The error is an
// *InputError for an input whose values do not fit the keywords.
func Evaluate(policies []*Compiled, in Input) (Decision, error) {
	cond, err := in.values(FieldCondition)
	if err != nil {
		return Decision{}, err
	}
	cons, err := in.values(FieldConsensus)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Outcome: OutcomeDeny, Evaluations: []Evaluation{}}
	approved := map[string]bool{}
	for _, u := range in.Approvers {
		approved[u.ID] = true
	}
	rootVotes := 0
	if q := in.RootQuorum; q != nil {
		for _, id := range q.UserIDs {
			if approved[id] {
				rootVotes++
			}
		}
		if q.Threshold > 0 && rootVotes >= q.Threshold {
			d.Outcome, d.RootQuorum = OutcomeAllow, true
			d.Reason = fmt.Sprintf("a quorum of root users approved (%d of %d needed): root users bypass policies", rootVotes, q.Threshold)
		}
	}
	var allowedBy, deniedBy []string
	for _, p := range policies {
		ev := Evaluation{PolicyID: p.ID, PolicyName: p.Name, Effect: p.Effect, Outcome: OutcomeDenyImplicit}
		var condErr, consErr error
		ev.ConditionMet, condErr = evalBool(p.condition, cond)
		ev.ConsensusMet, consErr = evalBool(p.consensus, cons)
		if err := errors.Join(condErr, consErr); err != nil {
			ev.Outcome, ev.err, ev.Error = OutcomeError, err, err.Error()
		} else if ev.ConditionMet && ev.ConsensusMet {
			if p.Effect == EffectDeny {
				ev.Outcome = OutcomeDenyExplicit
				deniedBy = append(deniedBy, p.Label())
			} else {
				ev.Outcome = OutcomeAllow
				allowedBy = append(allowedBy, p.Label())
			}
		}
		d.Evaluations = append(d.Evaluations, ev)
		// A consensus that fails now (approvers[1] with one approver) may
		// still be met by more approvals.
		if p.Effect == EffectAllow && condErr == nil && ev.ConditionMet && !ev.ConsensusMet {
			if pend, ok := pending(p, in, cons); ok {
				d.Pending = append(d.Pending, pend)
			}
		}
	}
	if d.RootQuorum {
		return d, nil
	}
	switch {
	case len(deniedBy) > 0:
		d.Explicit = true
		d.Reason = "explicit deny: " + strings.Join(deniedBy, ", ") + " applies (EFFECT_DENY wins over any allow)"
		d.Pending = nil
	case len(allowedBy) > 0:
		d.Outcome = OutcomeAllow
		d.Reason = "allowed by " + strings.Join(allowedBy, ", ")
		d.Pending = nil
	default:
		d.Reason = "implicit deny: no policy allows this activity"
		if len(d.Pending) > 0 {
			var parts []string
			for _, p := range d.Pending {
				parts = append(parts, fmt.Sprintf("%s needs more approvals (may approve: %s)",
					Policy{ID: p.PolicyID, Name: p.PolicyName}.Label(), strings.Join(p.MayApprove, ", ")))
			}
			d.Reason = "waiting for consensus: " + strings.Join(parts, "; ")
			d.Waiting = true
		}
	}
	if q := in.RootQuorum; q != nil && rootVotes > 0 && rootVotes < q.Threshold {
		for _, id := range q.UserIDs {
			if !approved[id] {
				d.RootPending = append(d.RootPending, id)
			}
		}
		if len(q.UserIDs) >= q.Threshold {
			d.Waiting = true
			d.Reason += fmt.Sprintf("; the root quorum has %d of %d approvals (may approve: %s)",
				rootVotes, q.Threshold, strings.Join(d.RootPending, ", "))
		}
	}
	return d, nil
}

func evalBool(e Expr, keywords map[string]any) (bool, error) {
	if e == nil {
		return true, nil
	}
	en := &env{keywords: keywords}
	v, err := en.eval(e)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, typeMismatch(e.Pos(), "the expression is a %s, not a bool", v)
	}
	return b, nil
}

// pending tells whether more approvals can meet p's consensus: a current
// approver must count for it (see counts), and the approvals of every
// candidate who counts must meet it.
func pending(p *Compiled, in Input, cons map[string]any) (Pending, bool) {
	counted := false
	for _, u := range in.Approvers {
		var creds []Credential
		for _, c := range in.Credentials {
			if c.UserID == u.ID {
				creds = append(creds, c)
			}
		}
		if counts(p.consensus, Candidate{User: u, Credentials: creds}) {
			counted = true
		}
	}
	if !counted {
		return Pending{}, false
	}
	more := in
	more.Approvers = slices.Clone(in.Approvers)
	more.Credentials = slices.Clone(in.Credentials)
	var ids []string
	for _, c := range in.Users {
		if slices.ContainsFunc(in.Approvers, func(u User) bool { return u.ID == c.ID }) || !counts(p.consensus, c) {
			continue
		}
		ids = append(ids, c.ID)
		more.Approvers = append(more.Approvers, c.User)
		more.Credentials = append(more.Credentials, c.Credentials...)
	}
	all, err := more.values(FieldConsensus)
	if err != nil {
		return Pending{}, false
	}
	if ok, err := evalBool(p.consensus, all); err != nil || !ok {
		return Pending{}, false
	}
	return Pending{PolicyID: p.ID, PolicyName: p.Name, MayApprove: ids}, true
}

// counts reports whether a user's approval counts for a consensus: the
// predicate of an approvers.any/all/filter (or of a credentials one, on one of
// their credentials) holds for them, or the consensus reads approvers or
// credentials some other way (approvers.count() counts everyone).
func counts(consensus Expr, c Candidate) bool {
	user, err := normalize(toJSONValue(c.User), userType, "user")
	if err != nil {
		return false
	}
	var creds []any
	for _, cr := range c.Credentials {
		v, err := normalize(toJSONValue(cr), credentialType, "credential")
		if err != nil {
			return false
		}
		creds = append(creds, v)
	}
	found := false
	var walk func(e Expr)
	walk = func(e Expr) {
		if found || e == nil {
			return
		}
		switch e := e.(type) {
		case *Ident:
			if e.Name == "approvers" || e.Name == "credentials" {
				found = true
			}
		case *Call:
			recv, isKw := e.X.(*Ident)
			if isKw && (recv.Name == "approvers" || recv.Name == "credentials") && len(e.Args) == 2 && e.Name != "contains" {
				name := e.Args[0].(*Ident).Name
				items := []any{user}
				if recv.Name == "credentials" {
					items = creds
				}
				for _, it := range items {
					en := &env{keywords: map[string]any{}, vars: []varBinding{{name, it}}}
					if v, err := en.eval(e.Args[1]); err == nil && v == true {
						found = true
					}
				}
				walk(e.Args[1])
				return
			}
			walk(e.X)
			for _, a := range e.Args {
				walk(a)
			}
		case *Unary:
			walk(e.X)
		case *Binary:
			walk(e.X)
			walk(e.Y)
		case *Member:
			walk(e.X)
		case *Index:
			walk(e.X)
			walk(e.Index)
		case *Slice:
			walk(e.X)
			walk(e.Lo)
			walk(e.Hi)
		case *ListLit:
			for _, x := range e.Elems {
				walk(x)
			}
		}
	}
	walk(consensus)
	return found
}

// MustCompile is Compile for policies known to be valid; it panics on an
// error.
func MustCompile(p Policy) *Compiled {
	c, err := Compile(p)
	if err != nil {
		panic(err)
	}
	return c
}
