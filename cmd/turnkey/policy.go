package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/turnkey-go/turnkey/policy"
)

func policyCommand() *command {
	return &command{
		name: "policy",
		synopsis: "turnkey policy check FILE...\n" +
			"turnkey policy eval --policies FILE [--activity FILE] [--type TYPE] [--approver ID[:TAG,...]]... [--json]",
		help: `Checks and evaluates Turnkey policies offline, with the policy language of
package policy (github.com/turnkey-go/turnkey/policy).

A policy file is JSON: one policy, a list of policies, or {"policies": [...]}
(what list_policies answers). A policy has "effect" (EFFECT_ALLOW or
EFFECT_DENY) and optional "condition", "consensus", "policyName", "policyId"
and "notes", as in create_policy:

  [{"policyName": "treasury bot signs", "effect": "EFFECT_ALLOW",
    "consensus": "approvers.any(user, user.id == '<USER_ID>')",
    "condition": "activity.action == 'SIGN' && wallet.id == '<WALLET_ID>'"}]

check parses and type-checks every policy and prints what is wrong, with the
position (line:col) and what was expected, or close valid names. It exits 0
when every policy is valid, 2 otherwise. FILE - reads standard input.

eval decides an activity under the policies (Turnkey's rules: a root quorum
allows; otherwise an applicable EFFECT_DENY denies; otherwise an applicable
EFFECT_ALLOW allows; otherwise deny) and prints the outcome, the reason, each
policy's outcome and who may still approve. The activity is a JSON file in
the policy language's names (--activity), and/or flags:

  {"activity": {"type": "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
                "params": {"type": "TRANSACTION_TYPE_ETHEREUM"}},
   "approvers": [{"id": "<USER_ID>", "tags": []}],
   "wallet": {"id": "<WALLET_ID>"},
   "eth": {"tx": {"to": "0x...", "value": "1000", "chain_id": 1, "nonce": 0,
                  "data": "0x", "type": "TYPE_2"}},
   "root_quorum": {"threshold": 1, "user_ids": ["<ROOT_USER_ID>"]},
   "users": [{"id": "<USER_ID>", "tags": ["<TAG_ID>"]}]}

"users" lists who else could approve, so that eval can tell an activity
waiting for consensus from a denied one. Keywords left out are not part of
the activity (an expression reading them fails, as in Turnkey). eval exits 0
when the activity is allowed, 1 when it is denied or needs more approvals.
`,
		setup: func(fs *flag.FlagSet) runner {
			p := &policyCmd{}
			fs.StringVar(&p.policies, "policies", "", "eval: `FILE` of policies (- for standard input)")
			fs.StringVar(&p.activity, "activity", "", "eval: `FILE` describing the activity (JSON)")
			fs.StringVar(&p.typ, "type", "", "eval: the activity `TYPE`, e.g. ACTIVITY_TYPE_CREATE_WALLET (overrides the file's)")
			fs.Func("approver", "eval: an approver, `ID[:TAG,...]` (repeatable; adds to the file's)", func(s string) error {
				id, tags, _ := strings.Cut(s, ":")
				if id == "" {
					return errors.New("empty approver ID")
				}
				u := policy.User{ID: id, Tags: []string{}}
				if tags != "" {
					u.Tags = strings.Split(tags, ",")
				}
				p.approvers = append(p.approvers, u)
				return nil
			})
			fs.BoolVar(&p.json, "json", false, "eval: print the decision as JSON")
			return p
		},
	}
}

type policyCmd struct {
	policies, activity, typ string
	approvers               []policy.User
	json                    bool
}

func (p *policyCmd) run(_ context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError("missing the subcommand: check or eval")
	}
	switch args[0] {
	case "check":
		if len(args) == 1 {
			return usageError("policy check: name at least one policy FILE")
		}
		return p.check(e, args[1:])
	case "eval":
		if len(args) > 1 {
			return usageError("policy eval: unexpected argument %q (use --policies and --activity)", args[1])
		}
		return p.eval(e)
	}
	return usageError("unknown policy subcommand %q: want check or eval", args[0])
}

// policyFields are the fields a policy file's policy may have: those of
// create_policy and what list_policies adds.
var policyFields = map[string]bool{
	"policyId": true, "policyName": true, "effect": true, "condition": true, "consensus": true, "notes": true,
	"createdAt": true, "updatedAt": true,
}

// filePolicy is a policy of a file, with the fields it has that policies
// do not (a misspelt "conditon" would otherwise vanish, leaving a policy
// that applies to everything).
type filePolicy struct {
	policy.Policy
	unknown []string
}

// readPolicies reads a policy file: one policy, a list, or {"policies": [...]}.
func readPolicies(e *env, name string) ([]filePolicy, error) {
	raw, err := readInput(e, name)
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimSpace(raw)
	var items []json.RawMessage
	switch {
	case len(raw) > 0 && raw[0] == '[':
		err = json.Unmarshal(raw, &items)
	default:
		var obj map[string]json.RawMessage
		if err = json.Unmarshal(raw, &obj); err == nil {
			if list, ok := obj["policies"]; ok && len(obj) == 1 {
				err = json.Unmarshal(list, &items)
			} else {
				items = []json.RawMessage{raw}
			}
		}
	}
	var out []filePolicy
	for i := 0; err == nil && i < len(items); i++ {
		var fp filePolicy
		var fields map[string]json.RawMessage
		if err = json.Unmarshal(items[i], &fields); err != nil {
			break
		}
		if err = json.Unmarshal(items[i], &fp.Policy); err != nil {
			break
		}
		for k := range fields {
			if !policyFields[k] {
				fp.unknown = append(fp.unknown, k)
			}
		}
		slices.Sort(fp.unknown)
		out = append(out, fp)
	}
	if err != nil {
		return nil, badInput("%s: not a policy file (one policy, a list of them, or {\"policies\": [...]}): %v", name, err)
	}
	if len(out) == 0 {
		return nil, badInput("%s: no policies", name)
	}
	return out, nil
}

// compile checks a file's policy, unknown fields included.
func (fp filePolicy) compile() (*policy.Compiled, error) {
	if len(fp.unknown) > 0 {
		return nil, fmt.Errorf("unknown field(s) %s: a policy has policyId, policyName, effect, condition, consensus and notes",
			strings.Join(fp.unknown, ", "))
	}
	return policy.Compile(fp.Policy)
}

func readInput(e *env, name string) ([]byte, error) {
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(e.stdin)
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, localError(fmt.Errorf("reading %s: %w", name, err))
	}
	return raw, nil
}

func (p *policyCmd) check(e *env, files []string) error {
	var out strings.Builder
	bad := 0
	for _, f := range files {
		list, err := readPolicies(e, f)
		if err != nil {
			return err
		}
		for i, pol := range list {
			where := fmt.Sprintf("%s: policy %d", f, i+1)
			if pol.Name != "" {
				where += fmt.Sprintf(" %q", pol.Name)
			}
			if _, err := pol.compile(); err != nil {
				bad++
				fmt.Fprintf(&out, "%s: %v\n%s", where, err, caret(pol.Policy, err))
				continue
			}
			fmt.Fprintf(&out, "%s: ok\n", where)
		}
	}
	if err := write(e.stdout, out.String()); err != nil {
		return err
	}
	if bad > 0 {
		return badInput("%d invalid polic%s", bad, map[bool]string{true: "y", false: "ies"}[bad == 1])
	}
	return nil
}

// caret shows the line of the expression an error points at, and a ^ under
// the position.
func caret(pol policy.Policy, err error) string {
	var fe *policy.FieldError
	if !errors.As(err, &fe) {
		return ""
	}
	src := pol.Condition
	if fe.Field == string(policy.FieldConsensus) {
		src = pol.Consensus
	}
	var pos policy.Pos
	var se *policy.SyntaxError
	var ue *policy.UnknownNameError
	var te *policy.TypeError
	switch {
	case errors.As(err, &se):
		pos = se.Pos
	case errors.As(err, &ue):
		pos = ue.Pos
	case errors.As(err, &te):
		pos = te.Pos
	default:
		return ""
	}
	lines := strings.Split(src, "\n")
	if pos.Line < 1 || pos.Line > len(lines) {
		return ""
	}
	line := lines[pos.Line-1]
	return fmt.Sprintf("    %s\n    %s^\n", line, strings.Repeat(" ", max(0, pos.Col-1)))
}

func (p *policyCmd) eval(e *env) error {
	if p.policies == "" {
		return usageError("policy eval: --policies FILE is required")
	}
	list, err := readPolicies(e, p.policies)
	if err != nil {
		return err
	}
	compiled := make([]*policy.Compiled, 0, len(list))
	for i, pol := range list {
		if pol.ID == "" {
			pol.ID = fmt.Sprintf("#%d", i+1)
		}
		c, err := pol.compile()
		if err != nil {
			return badInput("%s: policy %d: %v (run turnkey policy check)", p.policies, i+1, err)
		}
		compiled = append(compiled, c)
	}
	var in policy.Input
	if p.activity != "" {
		raw, err := readInput(e, p.activity)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return badInput("%s: not an activity description: %v", p.activity, err)
		}
	}
	if p.typ != "" {
		in.Activity.Type = p.typ
	}
	in.Approvers = append(in.Approvers, p.approvers...)
	if in.Activity.Type == "" {
		return usageError("policy eval: the activity type is missing (--type or \"activity\": {\"type\": ...})")
	}
	d, err := policy.Evaluate(compiled, in)
	if err != nil {
		return badInput("%v", err)
	}
	if p.json {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		if err := write(e.stdout, string(b)+"\n"); err != nil {
			return err
		}
	} else if err := write(e.stdout, describeDecision(d)); err != nil {
		return err
	}
	if d.Allowed() {
		return nil
	}
	if d.Waiting {
		return &exitErr{code: exitAPI, err: errors.New("the activity needs more approvals (CONSENSUS_NEEDED)")}
	}
	return &exitErr{code: exitAPI, err: errors.New("denied: " + d.Message())}
}

func describeDecision(d policy.Decision) string {
	var b strings.Builder
	status := d.Outcome
	if d.Waiting {
		status = "CONSENSUS_NEEDED"
	}
	fmt.Fprintf(&b, "%s: %s\n", status, d.Reason)
	if len(d.Evaluations) > 0 {
		b.WriteString("\npolicies:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, ev := range d.Evaluations {
			why := ""
			switch {
			case ev.Error != "":
				why = ev.Error
			case ev.Outcome == policy.OutcomeDenyImplicit && !ev.ConditionMet:
				why = "condition false"
			case ev.Outcome == policy.OutcomeDenyImplicit:
				why = "consensus not met"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", ev.PolicyID, ev.PolicyName, ev.Effect, ev.Outcome, why)
		}
		_ = tw.Flush()
	}
	for _, pend := range d.Pending {
		who := strings.Join(pend.MayApprove, ", ")
		if who == "" {
			who = "(none of the listed users)"
		}
		fmt.Fprintf(&b, "\nmissing approvals for %s: may approve: %s\n", policy.Policy{ID: pend.PolicyID, Name: pend.PolicyName}.Label(), who)
	}
	if len(d.RootPending) > 0 {
		fmt.Fprintf(&b, "\nroot quorum: may approve: %s\n", strings.Join(d.RootPending, ", "))
	}
	return b.String()
}
