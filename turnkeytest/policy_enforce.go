package turnkeytest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	tkpolicy "github.com/turnkey-go/turnkey/policy"
)

// Policy enforcement. Every activity but approve_activity and
// reject_activity is decided by Turnkey's outcome rules (package policy): a
// quorum of root users allows it; otherwise an applicable EFFECT_DENY policy
// denies it; otherwise an applicable EFFECT_ALLOW policy allows it;
// otherwise it is denied. A denied activity is answered with HTTP 403, code
// 7 and a PolicyEnginePermissionError detail listing each policy's outcome,
// as Turnkey does; none is stored. An activity that more approvals can
// allow (an allow policy's consensus counts the submitter, or the submitter
// is one of a root quorum of several) is CONSENSUS_NEEDED and re-decided on
// each approval; an approval that makes a deny policy apply fails it.
//
// Not governed by policies, as in Turnkey: a user changing their own
// credentials (create/delete API keys, authenticators, OAuth providers for
// their own userId), and the flows a parent organization's key runs in a
// sub-organization (parentMaySubmit). update_root_quorum and the
// organization feature activities need the root quorum, whatever the
// policies say.

// authorization is what an activity's policy decision needs besides its
// approvers.
type authorization struct {
	typ    string
	params map[string]any
	wait   bool // submit: the activity waits for consensus
}

// authorize decides a new activity submitted by c's user. It answers an
// error for a denied activity.
func (s *Server) authorize(st *state, o *org, c *call, typ string, params any) (*authorization, error) {
	if isVote(gen.ActivityType(typ)) || c.key.orgID != o.id {
		return &authorization{wait: o.quorum.threshold > 1 && !isVote(gen.ActivityType(typ))}, nil
	}
	az := &authorization{typ: typ, params: jsonObject(params)}
	if !o.quorum.has(c.key.userID) && ownCredentials(typ, az.params, c.key.userID) {
		return az, nil
	}
	d := st.decide(o, az, []approval{{c.key.userID, c.key.publicKey}})
	switch {
	case d.Allowed():
		return az, nil
	case d.Waiting:
		az.wait = true
		return az, nil
	}
	return nil, policyDenied(d)
}

// ownCredentials reports whether an activity changes the submitter's own
// credentials, which every user may do.
func ownCredentials(typ string, params map[string]any, userID string) bool {
	switch typ := versionless(typ); typ {
	case "CREATE_API_KEYS", "DELETE_API_KEYS", "CREATE_AUTHENTICATORS", "DELETE_AUTHENTICATORS",
		"CREATE_OAUTH_PROVIDERS", "DELETE_OAUTH_PROVIDERS":
		return params["userId"] == userID
	}
	return false
}

var versionSuffix = regexp.MustCompile(`_V[0-9]+$`)

func versionless(typ string) string {
	return versionSuffix.ReplaceAllString(strings.TrimPrefix(typ, "ACTIVITY_TYPE_"), "")
}

type approval struct{ userID, publicKey string }

// approvals are the users who approved a, with the key each used.
func approvals(a *activity) []approval {
	var out []approval
	for _, v := range a.votes {
		if v.selection == gen.VoteSelectionApproved {
			out = append(out, approval{v.userID, v.publicKey})
		}
	}
	return out
}

// decide evaluates o's policies for an activity approved by approvers.
func (st *state) decide(o *org, az *authorization, approvers []approval) tkpolicy.Decision {
	in := st.policyInput(o, az, approvers)
	var compiled []*tkpolicy.Compiled
	for _, p := range sortedBySeq(o.policies, func(p *policy) uint64 { return p.seq }) {
		c, err := tkpolicy.Compile(tkpolicy.Policy{ID: p.p.PolicyID, Name: p.p.PolicyName, Effect: tkpolicy.Effect(p.p.Effect),
			Condition: p.p.Condition, Consensus: p.p.Consensus})
		if err == nil { // stored policies compiled when created; this never skips one
			compiled = append(compiled, c)
		}
	}
	if tkpolicy.RootQuorumOnly(az.typ) {
		compiled = nil // only the root quorum decides
	}
	d, err := tkpolicy.Evaluate(compiled, in)
	if err != nil {
		return tkpolicy.Decision{Outcome: tkpolicy.OutcomeDeny, Reason: err.Error()}
	}
	if tkpolicy.RootQuorumOnly(az.typ) && !d.Allowed() && !d.Waiting {
		d.Reason = az.typ + " is governed by the root quorum alone, not by policies"
	}
	return d
}

// policyInput describes an activity of o to the policy engine.
func (st *state) policyInput(o *org, az *authorization, approvers []approval) tkpolicy.Input {
	in := tkpolicy.Input{
		Activity:   tkpolicy.Activity{Type: az.typ, Params: activityParams(az.typ, az.params)},
		Approvers:  []tkpolicy.User{},
		RootQuorum: &tkpolicy.Quorum{Threshold: o.quorum.threshold, UserIDs: slices.Clone(o.quorum.userIDs)},
	}
	for _, ap := range approvers {
		u := o.users[ap.userID]
		if u == nil {
			continue
		}
		in.Approvers = append(in.Approvers, policyUser(o, u))
		for _, k := range u.apiKeys {
			if k.publicKey == ap.publicKey {
				in.Credentials = append(in.Credentials, policyCredential(k))
			}
		}
	}
	for _, u := range sortedBySeq(o.users, func(u *user) uint64 { return u.seq }) {
		cand := tkpolicy.Candidate{User: policyUser(o, u)}
		for _, k := range u.apiKeys {
			cand.Credentials = append(cand.Credentials, policyCredential(k))
		}
		in.Users = append(in.Users, cand)
	}
	str := func(k string) string { s, _ := az.params[k].(string); return s }
	if target := str("signWith"); target != "" {
		st.addSigner(o, &in, target)
	}
	if id := str("walletId"); id != "" {
		if w := o.wallets[id]; w != nil {
			in.Wallet = policyWallet(w)
		}
	}
	if addr := str("address"); addr != "" {
		st.addSigner(o, &in, addr)
	}
	if id := str("privateKeyId"); id != "" {
		st.addSigner(o, &in, id)
	}
	if ids, ok := az.params["walletIds"].([]any); ok {
		for _, id := range ids {
			if w := o.wallets[fmt.Sprint(id)]; w != nil {
				in.Wallets = append(in.Wallets, *policyWallet(w))
			}
		}
	}
	if versionless(az.typ) == "SIGN_TRANSACTION" {
		// eth.tx or solana.tx (policy_tx.go). A transaction that does not
		// parse leaves them out; sign_transaction itself refuses it.
		if eth, sol, err := signTransactionInput(str("type"), str("unsignedTransaction")); err == nil {
			if eth != nil && eth.Tx != nil && eth.Tx.From == "" {
				eth.Tx.From = o.ethSender(str("signWith"))
			}
			in.Eth, in.Solana = eth, sol
		}
	}
	return in
}

// addSigner sets wallet, wallet_account or private_key from a signWith:
// a wallet account address, a private key ID or a private key address.
func (st *state) addSigner(o *org, in *tkpolicy.Input, target string) {
	if a := o.findAccount(target); a != nil {
		in.WalletAccount = &tkpolicy.WalletAccount{Address: a.address}
		if w := o.wallets[a.walletID]; w != nil {
			in.Wallet = policyWallet(w)
		}
		return
	}
	if pk := o.findPrivateKey(target); pk != nil {
		in.PrivateKey = &tkpolicy.PrivateKey{ID: pk.id, Tags: nonNil(o.tagsOf(pk.id, gen.TagTypePrivateKey)),
			Imported: pk.imported, Exported: pk.exported, Label: pk.name}
	}
}

func policyWallet(w *wallet) *tkpolicy.Wallet {
	return &tkpolicy.Wallet{ID: w.id, Imported: w.imported, Exported: w.exported, Label: w.name}
}

func policyUser(o *org, u *user) tkpolicy.User {
	pu := tkpolicy.User{ID: u.id, Tags: nonNil(o.tagsOf(u.id, gen.TagTypeUser)), Alias: u.name}
	if u.email != nil {
		pu.Email = *u.email
	}
	return pu
}

func policyCredential(k *apiKey) tkpolicy.Credential {
	return tkpolicy.Credential{ID: k.id, UserID: k.userID, Type: string(k.credType), PublicKey: k.publicKey}
}

// exposedParams lists, by activity type without its version, the
// parameters Turnkey's policy reference exposes under activity.params: the
// request's name and the policy language's.
var exposedParams = map[string][][2]string{
	"SIGN_RAW_PAYLOAD":  {{"hashFunction", "hash_function"}, {"encoding", "encoding"}},
	"SIGN_RAW_PAYLOADS": {{"hashFunction", "hash_function"}, {"encoding", "encoding"}},
	"SIGN_TRANSACTION":  {{"type", "type"}},
	"DELETE_USERS":      {{"userIds", "user_ids"}},
	"UPDATE_WALLET":     {{"walletId", "wallet_id"}},
	"INIT_OTP_AUTH":     {{"otpLength", "otp_length"}},
}

// activityParams is activity.params for an activity of type typ.
func activityParams(typ string, p map[string]any) map[string]any {
	out := map[string]any{}
	for _, names := range exposedParams[versionless(typ)] {
		if v, ok := p[names[0]]; ok && v != nil {
			out[names[1]] = v
		}
	}
	return out
}

func jsonObject(v any) map[string]any {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// policyDenied is Turnkey's answer to a denied activity.
func policyDenied(d tkpolicy.Decision) *rpcError {
	e := permissionDenied("You don't have sufficient permissions to take this action. %s (%s)", d.Message(), d.Reason)
	evals := make([]any, 0, len(d.Evaluations))
	for _, ev := range d.Evaluations {
		evals = append(evals, map[string]any{"policyId": ev.PolicyID, "outcome": ev.Outcome})
	}
	e.details = []any{map[string]any{
		"@type":             "type.googleapis.com/errors.v1.PolicyEnginePermissionError",
		"message":           d.Message(),
		"policyEvaluations": evals,
	}}
	return e
}

// consensusMet re-decides an activity waiting for consensus after a vote:
// true when it may run. An explicit deny fails it.
func (st *state) consensusMet(o *org, a *activity, now time.Time) bool {
	if a.authz == nil || a.authz.typ == "" { // not governed by policies: the root quorum alone
		n := 0
		for _, ap := range approvals(a) {
			if o.quorum.has(ap.userID) {
				n++
			}
		}
		return n >= o.quorum.threshold
	}
	d := st.decide(o, a.authz, approvals(a))
	if d.Allowed() {
		return true
	}
	if !d.Waiting {
		re := policyDenied(d)
		a.status, a.run, a.updatedAt = gen.ActivityStatusFailed, nil, now
		a.base.Failure = &gen.Status{Code: &re.code, Message: &re.msg, Details: &[]gen.Any{}}
	}
	return false
}

// mayApprove reports whether userID may vote on a: a member of the root
// quorum, or a user whose approval counts for a policy the activity waits
// for.
func (st *state) mayApprove(o *org, a *activity, userID string) bool {
	if o.quorum.has(userID) {
		return true
	}
	if a.authz == nil || a.authz.typ == "" {
		return false
	}
	for _, p := range st.decide(o, a.authz, approvals(a)).Pending {
		if slices.Contains(p.MayApprove, userID) {
			return true
		}
	}
	return false
}

// validatePolicyExpr refuses a condition or consensus that does not parse
// or type-check, as Turnkey's create_policy does (code 3, "invalid policy
// condition: ...").
func validatePolicyExpr(prefix string, field tkpolicy.Field, src *string) error {
	if src == nil || *src == "" {
		return nil
	}
	if _, err := tkpolicy.CompileExpr(*src, field); err != nil {
		return invalidArgument("%sinvalid policy %s: %v", prefix, field, err)
	}
	return nil
}
