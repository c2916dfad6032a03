package policy_test

import (
	"fmt"

	"github.com/turnkey-go/turnkey/policy"
)

func ExampleEvaluate() {
	p, err := policy.Compile(policy.Policy{
		ID:        "only-treasury-bot",
		Effect:    policy.EffectAllow,
		Consensus: "approvers.any(user, user.id == 'treasury-bot')",
		Condition: "activity.action == 'SIGN' && eth.tx.to == '0x000000000000000000000000000000000000aaaa'",
	})
	if err != nil {
		panic(err)
	}
	in := policy.Input{
		Activity:  policy.Activity{Type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2"},
		Approvers: []policy.User{{ID: "treasury-bot"}},
		Eth: &policy.Eth{Tx: &policy.EthereumTransaction{
			To: "0x000000000000000000000000000000000000aaaa", Data: "0x", Type: "TYPE_2",
			Value: policy.AmountOf(1), Nonce: policy.AmountOf(0), ChainID: policy.AmountOf(1)}},
	}
	d, err := policy.Evaluate([]*policy.Compiled{p}, in)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Outcome, "-", d.Reason)
	// Output: OUTCOME_ALLOW - allowed by only-treasury-bot
}

func ExampleCompile_error() {
	_, err := policy.Compile(policy.Policy{Effect: policy.EffectAllow, Condition: "activity.actoin == 'SIGN'"})
	fmt.Println(err)
	// Output: invalid policy condition: 1:10: unknown field "actoin" of Activity; did you mean action? (valid: action, params, resource, type)
}
