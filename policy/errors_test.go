package policy

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSyntaxErrorsArePositioned(t *testing.T) {
	cases := []struct {
		src       string
		line, col int
		expected  string
	}{
		{"activity.action == ", 1, 20, "an operand after =="},
		{"activity.action = 'SIGN'", 1, 17, `"=="`},
		{"activity.action == \"SIGN\"", 1, 20, "single quotes"},
		{"approvers.any(user, user.id == 'a'", 1, 35, "',' or ')'"},
		{"activity.type == 'x' &&\n  (wallet.id == 'w'", 2, 20, "')' to close"},
		{"activity.type == 'unterminated", 1, 18, "closing '"},
		{"[1, 2", 1, 6, "',' or ']'"},
		{"eth.tx.data[0..", 1, 16, "an operand"},
		{"", 1, 1, "an expression"},
		{"a b", 1, 3, "end of the expression"},
		{"activity. == 'x'", 1, 11, "a field or function name"},
		{"12abc", 1, 3, "a digit or an operator"},
		{"x # y", 1, 3, "a name, a number"},
	}
	for _, c := range cases {
		_, err := Parse(c.src)
		var se *SyntaxError
		require.ErrorAs(t, err, &se, c.src)
		assert.Equal(t, c.line, se.Pos.Line, "%q: %v", c.src, err)
		assert.Equal(t, c.col, se.Pos.Col, "%q: %v", c.src, err)
		assert.Contains(t, se.Expected, c.expected, c.src)
		assert.Contains(t, err.Error(), se.Pos.String())
	}
}

func TestUnknownNamesSuggest(t *testing.T) {
	cases := []struct {
		src     string
		field   Field
		kind    string
		name    string
		suggest string
	}{
		{"aprovers.any(u, u.id == 'x')", FieldConsensus, "keyword", "aprovers", "approvers"},
		{"approvers.any(u, u.idd == 'x')", FieldConsensus, "field", "idd", "id"},
		{"approvers.anyy(u, u.id == 'x')", FieldConsensus, "function", "anyy", "any"},
		{"activity.actoin == 'SIGN'", FieldCondition, "field", "actoin", "action"},
		{"walet.id == 'w'", FieldCondition, "keyword", "walet", "wallet"},
		{"eth.tx.chainid == 1", FieldCondition, "field", "chainid", "chain_id"},
		{"solana.tx.transfer.count() == 1", FieldCondition, "field", "transfer", "transfers"},
		{"wallet_account.path == 'm'", FieldCondition, "field", "path", "path_indexes"},
		{"activity.params.hash_fn == 'x'", FieldCondition, "field", "hash_fn", "hash_function"},
		{"action == 'SIGN' && wallet.id == 'w'", FieldCondition, "keyword", "action", "activity.action"},
	}
	for _, c := range cases {
		_, err := CompileExpr(c.src, c.field)
		var ue *UnknownNameError
		require.ErrorAs(t, err, &ue, c.src)
		assert.Contains(t, ue.Kind, c.kind, c.src)
		assert.Equal(t, c.name, ue.Name, c.src)
		assert.Contains(t, ue.Suggestions, c.suggest, c.src)
		assert.Contains(t, err.Error(), "did you mean "+c.suggest, c.src)
	}
	_, err := CompileExpr("approvers.count() > 1", FieldCondition)
	var ue *UnknownNameError
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "approvers is a consensus keyword")
}

func TestTypeErrors(t *testing.T) {
	cases := []struct{ src, msg string }{
		{"approvers == 'alice'", "list<User> and a string"},
		{"activity.type > 3", "compares two ints"},
		{"activity.type", "must evaluate to a bool"},
		{"1 in 'abc'", "needs a list"},
		{"'a' in [1, 2]", "element type"},
		{"activity.type && true", "needs two bools"},
		{"[1, 'a'] == [1]", "one type"},
		{"wallet.id[0..'a'] == 'x'", "range bound"},
		{"wallet.id.count() == 1", "function of lists"},
		{"approvers.any(1, true)", "names the item"},
		{"approvers.any(u, u.id)", "must be a bool"},
		{"approvers.contains(1)", "contains looks for a User"},
		{"eth.tx.contract_call_args.wad == 1", "read its values with ['wad']"},
		{"!eth.tx.value", "! needs a bool"},
	}
	for _, c := range cases {
		field := FieldCondition
		if len(c.src) >= 9 && c.src[:9] == "approvers" {
			field = FieldConsensus
		}
		_, err := CompileExpr(c.src, field)
		var te *TypeError
		require.ErrorAs(t, err, &te, c.src)
		assert.Contains(t, err.Error(), c.msg, c.src)
	}
}

func TestCompileWrapsField(t *testing.T) {
	_, err := Compile(Policy{Effect: EffectAllow, Consensus: "approvers.any(u, u.id == 'x')", Condition: "activity.type = 'x'"})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "condition", fe.Field)
	var se *SyntaxError
	assert.True(t, errors.As(err, &se))
	assert.Contains(t, err.Error(), "invalid policy condition: syntax error at 1:15")

	_, err = Compile(Policy{Effect: "EFFECT_MAYBE"})
	var ee *EffectError
	require.ErrorAs(t, err, &ee)
}

func TestEvaluationSemantics(t *testing.T) {
	eval := func(cond string, in Input) (bool, error) {
		e, err := CompileExpr(cond, FieldCondition)
		require.NoError(t, err, cond)
		kw, err := in.values(FieldCondition)
		require.NoError(t, err)
		return evalBool(e, kw)
	}
	in := Input{Activity: Activity{Type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"}, Wallet: &Wallet{ID: "w1"}}
	for cond, want := range map[string]bool{
		"activity.resource == 'PRIVATE_KEY' && activity.action == 'SIGN'": true,
		"'abc'[0] == 'a' && 'abc'[0..2] == 'ab'":                          true,
		"[1,2,3][0..2] == [1,2] && [1,2,3][2] == 3":                       true,
		"[1,2,3].filter(x, x > 1).count() == 2 && [1,1].all(x, x == 1)":   true,
		"[1,2,3].any(x, x == 4) || !(1 in [1])":                           false,
		"-1 < 0 && 170141183460469231731687303715884105728 > 1":           true,
		"'it\\'s' == 'it' || true":                                        true,
	} {
		got, err := eval(cond, in)
		require.NoError(t, err, cond)
		assert.Equal(t, want, got, cond)
	}
	// No short-circuit: the wallet clause is true, the private key is
	// absent, and the whole expression fails, as Turnkey documents.
	_, err := eval("wallet.id == 'w1' || private_key.id == 'k'", in)
	var ee *EvalError
	require.ErrorAs(t, err, &ee)
	assert.Contains(t, err.Error(), "private_key is not part of this activity")
	_, err = eval("wallet.id[5] == 'x'", in)
	require.ErrorAs(t, err, &ee)
	assert.Contains(t, err.Error(), "out of range")
}

func TestInputErrors(t *testing.T) {
	in := Input{Eth: &Eth{EIP712: map[string]any{"primary_typ": "x"}}}
	_, err := Evaluate(nil, in)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "eth.eip_712.primary_typ", ie.Path)
	assert.Contains(t, err.Error(), "did you mean primary_type")
}
