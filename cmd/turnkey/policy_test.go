package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

const twoAdminsPolicies = `[
 {"policyName": "two admins add users", "effect": "EFFECT_ALLOW",
  "consensus": "approvers.filter(u, u.tags.contains('admin')).count() >= 2",
  "condition": "activity.resource == 'USER' && activity.action == 'CREATE'"},
 {"policyId": "no-deletes", "effect": "EFFECT_DENY", "condition": "activity.action == 'DELETE'"}]`

func TestPolicyCheck(t *testing.T) {
	clearEnv(t)
	good := writeFile(t, "good.json", twoAdminsPolicies)
	r := runCLI(t, "", "policy", "check", good)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `policy 1 "two admins add users": ok`)
	assert.Contains(t, r.stdout, "policy 2: ok")

	// {"policies": [...]}, as list_policies answers, from standard input.
	r = runCLI(t, `{"policies": [{"effect": "EFFECT_ALLOW", "condition": "true"}]}`, "policy", "check", "-")
	require.Equal(t, exitOK, r.code, r.stderr)

	bad := writeFile(t, "bad.json", `[
 {"policyName": "syntax", "effect": "EFFECT_ALLOW", "condition": "activity.action == 'SIGN' &&\n  wallet.id = 'w'"},
 {"policyName": "typo", "effect": "EFFECT_ALLOW", "consensus": "approvers.any(u, u.idd == 'x')"},
 {"policyName": "types", "effect": "EFFECT_DENY", "condition": "wallets == 'w'"},
 {"policyName": "fine", "effect": "EFFECT_DENY"},
 {"policyName": "misspelt", "effect": "EFFECT_ALLOW", "conditon": "activity.action == 'SIGN'"}]`)
	r = runCLI(t, "", "policy", "check", bad)
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stdout, `policy 1 "syntax": invalid policy condition: syntax error at 2:13 (offset 41): expected "==" (the operator is doubled), found '='`)
	assert.Contains(t, r.stdout, "      wallet.id = 'w'\n                ^\n")
	assert.Contains(t, r.stdout, `policy 2 "typo": invalid policy consensus: 1:20: unknown field "idd" of User; did you mean id?`)
	assert.Contains(t, r.stdout, `policy 3 "types": invalid policy condition: 1:9: type error: == compares values of one type: a list<Wallet> and a string`)
	assert.Contains(t, r.stdout, `policy 4 "fine": ok`)
	assert.Contains(t, r.stdout, `policy 5 "misspelt": unknown field(s) conditon`)
	assert.Contains(t, r.stderr, "4 invalid policies")

	r = runCLI(t, "", "policy", "check", writeFile(t, "x.json", `{"effect": 3}`))
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "not a policy file")
	r = runCLI(t, "", "policy", "check")
	require.Equal(t, exitUsage, r.code)
	r = runCLI(t, "", "policy", "lint", good)
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown policy subcommand "lint"`)
}

func TestPolicyEval(t *testing.T) {
	clearEnv(t)
	pols := writeFile(t, "p.json", twoAdminsPolicies)
	act := writeFile(t, "a.json", `{"activity": {"type": "ACTIVITY_TYPE_CREATE_USERS_V3"},
	  "approvers": [{"id": "a1", "tags": ["admin"]}],
	  "users": [{"id": "a2", "tags": ["admin"]}, {"id": "bob", "tags": []}]}`)

	// One admin: needs the other one.
	r := runCLI(t, "", "policy", "eval", "--policies", pols, "--activity", act)
	require.Equal(t, exitAPI, r.code, r.stderr)
	assert.Contains(t, r.stdout, `CONSENSUS_NEEDED: waiting for consensus: "two admins add users" (#1) needs more approvals (may approve: a2)`)
	assert.Contains(t, r.stdout, `missing approvals for "two admins add users" (#1): may approve: a2`)
	assert.Contains(t, r.stderr, "needs more approvals")

	// Both admins: allowed, and by which policy.
	r = runCLI(t, "", "policy", "eval", "--policies", pols, "--activity", act, "--approver", "a2:admin")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `OUTCOME_ALLOW: allowed by "two admins add users" (#1)`)

	// A delete, from flags only: the deny policy says no.
	r = runCLI(t, "", "policy", "eval", "--policies", pols, "--type", "ACTIVITY_TYPE_DELETE_USERS", "--approver", "a1", "--json")
	require.Equal(t, exitAPI, r.code, r.stderr)
	var d struct {
		Outcome     string `json:"outcome"`
		Explicit    bool   `json:"explicit"`
		Evaluations []struct {
			PolicyID string `json:"policyId"`
			Outcome  string `json:"outcome"`
		} `json:"policyEvaluations"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &d), r.stdout)
	assert.Equal(t, "OUTCOME_DENY", d.Outcome)
	assert.True(t, d.Explicit)
	assert.Equal(t, "no-deletes", d.Evaluations[1].PolicyID)
	assert.Equal(t, "OUTCOME_DENY_EXPLICIT", d.Evaluations[1].Outcome)
	assert.Contains(t, r.stderr, "The following policies denied this action: no-deletes")

	// An Ethereum transaction, only to one address.
	toA := writeFile(t, "to.json", `{"policyId": "only-a", "effect": "EFFECT_ALLOW",
	  "consensus": "approvers.any(user, user.id == 'x')", "condition": "eth.tx.to == '0xaaaa' && eth.tx.value < 1000"}`)
	tx := func(to string) string {
		return writeFile(t, "tx.json", `{"activity": {"type": "ACTIVITY_TYPE_SIGN_TRANSACTION_V2"}, "approvers": [{"id": "x"}],
		  "eth": {"tx": {"to": "`+to+`", "value": "999", "data": "0x", "nonce": 0, "chain_id": 1, "type": "TYPE_2"}}}`)
	}
	r = runCLI(t, "", "policy", "eval", "--policies", toA, "--activity", tx("0xaaaa"))
	require.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	r = runCLI(t, "", "policy", "eval", "--policies", toA, "--activity", tx("0xbbbb"))
	require.Equal(t, exitAPI, r.code)
	assert.Contains(t, r.stdout, "implicit deny")
	assert.Contains(t, r.stdout, "condition false")

	// Bad inputs are usage errors that say what is wrong.
	r = runCLI(t, "", "policy", "eval", "--policies", pols)
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "activity type is missing")
	r = runCLI(t, "", "policy", "eval", "--policies", pols, "--activity", writeFile(t, "b.json", `{"activty": {}}`))
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown field "activty"`)
	r = runCLI(t, "", "policy", "eval", "--policies", pols, "--type", "X", "--activity",
		writeFile(t, "c.json", `{"eth": {"eip_712": {"primary_typ": "x"}}}`))
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "did you mean primary_type")
	r = runCLI(t, "", "policy", "eval", "--policies", writeFile(t, "bad.json", `{"effect": "EFFECT_ALLOW", "condition": "x ="}`), "--type", "X")
	require.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "run turnkey policy check")
}
