// Package policy parses, checks and evaluates Turnkey's policy language
// offline, and decides activities by Turnkey's outcome rules.
//
// A policy has an effect (EFFECT_ALLOW or EFFECT_DENY), a condition (when the
// policy applies: activity, wallet, wallet_account, private_key, eth.tx,
// solana.tx, ...) and a consensus (who may approve: approvers,
// credentials). Both are expressions that must evaluate to a bool; an empty
// one is true. Compile parses and type-checks both and reports a
// *SyntaxError (with line:col and what was expected), an *UnknownNameError
// (with close valid names) or a *TypeError, inside a *FieldError naming the
// field.
//
// Evaluate applies Turnkey's documented rules: a quorum of root users
// allows; otherwise any applicable EFFECT_DENY policy denies; otherwise an
// applicable EFFECT_ALLOW policy allows; otherwise the activity is denied
// implicitly. A policy applies when its condition and consensus are true. As
// in Turnkey's engine, && and || do not short-circuit: a clause that reads a
// keyword the activity lacks fails the whole expression, and such a policy
// neither allows nor denies (OUTCOME_ERROR).
//
// The caller describes the activity in an Input, whose JSON form uses the
// language's field names; eth.tx and solana.tx are typed structs
// (EthereumTransaction, SolanaTransaction) the caller fills from the parsed
// transaction.
package policy
