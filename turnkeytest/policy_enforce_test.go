package turnkeytest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/internal/chain/solana"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// policyDenial asserts err is Turnkey's policy denial and returns its
// PolicyEnginePermissionError detail.
func policyDenial(t *testing.T, err error) map[string]any {
	t.Helper()
	ae := apiError(t, err, 403, 7)
	require.Contains(t, ae.Message, "You don't have sufficient permissions to take this action.")
	var body struct {
		Details []map[string]any `json:"details"`
	}
	require.NoError(t, json.Unmarshal(ae.Body, &body))
	require.Len(t, body.Details, 1)
	require.Equal(t, "type.googleapis.com/errors.v1.PolicyEnginePermissionError", body.Details[0]["@type"])
	return body.Details[0]
}

func TestPolicyOnlyUserXSignsWithWalletW(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)

	w, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "W", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	require.NoError(t, err)
	other, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "other", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	require.NoError(t, err)
	xKey, yKey := newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256)
	users, _, err := c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{
		{UserName: "x", UserTags: []string{}, APIKeys: []gen.APIKeyParams{{APIKeyName: "x", PublicKey: xKey.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
		{UserName: "y", UserTags: []string{}, APIKeys: []gen.APIKeyParams{{APIKeyName: "y", PublicKey: yKey.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
	}})
	require.NoError(t, err)
	// y's clock runs ahead: the same body from x and y in one millisecond
	// would be one activity.
	x, y := newClient(t, s, sdk.WithStamper(xKey)), newClient(t, s, sdk.WithStamper(yKey), later())
	sign := func(cl *sdk.Client, signWith string, hf gen.HashFunction) error {
		_, _, err := cl.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: signWith, Payload: hex.EncodeToString([]byte("pay")),
			Encoding: gen.PayloadEncodingHexadecimal, HashFunction: hf})
		return err
	}

	// Before any policy, a non-root user is denied implicitly.
	detail := policyDenial(t, sign(x, w.Addresses[0], gen.HashFunctionKeccak256))
	assert.Equal(t, "No policies evaluated to outcome: Allow", detail["message"])

	allow, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "only x signs with W", Effect: gen.EffectAllow,
		Consensus: ptr("approvers.any(user, user.id == '" + users.UserIds[0] + "')"),
		Condition: ptr("activity.action == 'SIGN' && wallet.id == '" + w.WalletID + "'")})
	require.NoError(t, err)

	require.NoError(t, sign(x, w.Addresses[0], gen.HashFunctionKeccak256), "x signs with W")
	detail = policyDenial(t, sign(x, other.Addresses[0], gen.HashFunctionKeccak256))
	assert.Equal(t, []any{map[string]any{"policyId": allow.PolicyID, "outcome": "OUTCOME_DENY_IMPLICIT"}}, detail["policyEvaluations"])
	policyDenial(t, sign(y, w.Addresses[0], gen.HashFunctionKeccak256))
	_, _, err = y.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "y's", Accounts: []gen.WalletAccountParams{}})
	policyDenial(t, err)

	// Users may change their own credentials, not others'.
	_, _, err = y.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: users.UserIds[1],
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "y2", PublicKey: newKey(t, stamp.CurveP256).PublicKey(), CurveType: gen.APIKeyCurveP256}}})
	require.NoError(t, err, "y adds a key to themselves")
	_, _, err = y.CreateAPIKeys(ctx, gen.CreateAPIKeysIntentV2{UserID: users.UserIds[0],
		APIKeys: []gen.APIKeyParamsV2{{APIKeyName: "x2", PublicKey: newKey(t, stamp.CurveP256).PublicKey(), CurveType: gen.APIKeyCurveP256}}})
	policyDenial(t, err)

	// Policies cannot open the root quorum's activities.
	_, _, err = c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "y changes the quorum", Effect: gen.EffectAllow,
		Condition: ptr("activity.type == 'ACTIVITY_TYPE_UPDATE_ROOT_QUORUM'")})
	require.NoError(t, err)
	_, _, err = y.UpdateRootQuorum(ctx, gen.UpdateRootQuorumIntent{Threshold: 1, UserIds: []string{users.UserIds[1]}})
	policyDenial(t, err)
	require.ErrorContains(t, err, "governed by the root quorum alone")

	// An explicit deny wins over the allow, but not over the root user.
	deny, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "no NO_OP", Effect: gen.EffectDeny,
		Condition: ptr("activity.type == 'ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2' && activity.params.hash_function == 'HASH_FUNCTION_NO_OP' && activity.params.encoding != 'PAYLOAD_ENCODING_EIP712'")})
	require.NoError(t, err)
	noop := hex.EncodeToString(make([]byte, 32))
	_, _, err = x.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: w.Addresses[0], Payload: noop,
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp})
	detail = policyDenial(t, err)
	assert.Equal(t, "The following policies denied this action: "+deny.PolicyID, detail["message"])
	_, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: w.Addresses[0], Payload: noop,
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp})
	require.NoError(t, err, "root users bypass policies")
	require.NoError(t, sign(x, w.Addresses[0], gen.HashFunctionSha256), "the deny leaves other hash functions alone")

	// Nothing denied was stored as an activity.
	acts, err := c.ListActivities(ctx, gen.ListActivitiesRequest{FilterByType: &[]gen.ActivityType{gen.ActivityType(gen.SignRawPayloadRequestTypeSignRawPayloadV2)},
		PaginationOptions: &gen.Pagination{Limit: ptr("100")}})
	require.NoError(t, err)
	assert.Len(t, acts.Activities, 3)
}

func TestPolicyTwoApproversConsensus(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	tag, _, err := c.CreateUserTag(ctx, gen.CreateUserTagIntent{UserTagName: "admins", UserIds: []string{}})
	require.NoError(t, err)
	k1, k2, k3 := newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256)
	user := func(name string, k *stamp.APIKey, tags []string) gen.UserParamsV2 {
		return gen.UserParamsV2{UserName: name, UserTags: tags, APIKeys: []gen.APIKeyParams{{APIKeyName: name, PublicKey: k.PublicKey()}},
			Authenticators: []gen.AuthenticatorParamsV2{}}
	}
	_, _, err = c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{
		user("admin-1", k1, []string{tag.UserTagID}), user("admin-2", k2, []string{tag.UserTagID}), user("intern", k3, []string{})}})
	require.NoError(t, err)
	_, _, err = c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "two admins add users", Effect: gen.EffectAllow,
		Consensus: ptr("approvers.filter(user, user.tags.contains('" + tag.UserTagID + "')).count() >= 2"),
		Condition: ptr("activity.resource == 'USER' && activity.action == 'CREATE'")})
	require.NoError(t, err)
	admin1, admin2, intern := newClient(t, s, sdk.WithStamper(k1)), newClient(t, s, sdk.WithStamper(k2)),
		newClient(t, s, sdk.WithStamper(k3), later()) // the intern sends admin-1's body again: another millisecond

	newUser := gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{{UserName: "dave", UserTags: []string{}, APIKeys: []gen.APIKeyParams{},
		Authenticators: []gen.AuthenticatorParamsV2{}}}}
	_, act, err := admin1.CreateUsers(ctx, newUser)
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	require.Equal(t, gen.ActivityStatusConsensusNeeded, act.Status)
	require.Len(t, act.Votes, 1, "the submitter's approval counts")

	// The intern's approval does not count: refused. The intern's own
	// request is denied outright.
	seen, err := intern.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	assert.False(t, seen.Activity.CanApprove)
	_, err = intern.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "nor counted by the consensus of a policy")
	_, _, err = intern.CreateUsers(ctx, newUser)
	policyDenial(t, err)

	still, err := c.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusConsensusNeeded, still.Activity.Status)

	seen, err = admin2.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	assert.True(t, seen.Activity.CanApprove)
	approval, err := admin2.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, approval.Status)
	done, err := c.WaitForActivity(ctx, act.ID)
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, done.Status)
	require.Len(t, done.Result.CreateUsersResult.UserIds, 1)
}

func TestPolicyApprovalThatMakesADenyApplyFails(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	tag, _, err := c.CreateUserTag(ctx, gen.CreateUserTagIntent{UserTagName: "signers", UserIds: []string{}})
	require.NoError(t, err)
	k1, k2 := newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256)
	_, _, err = c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{
		{UserName: "a", UserTags: []string{tag.UserTagID}, APIKeys: []gen.APIKeyParams{{APIKeyName: "a", PublicKey: k1.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
		{UserName: "b", UserTags: []string{tag.UserTagID}, APIKeys: []gen.APIKeyParams{{APIKeyName: "b", PublicKey: k2.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
	}})
	require.NoError(t, err)
	_, _, err = c.CreatePolicies(ctx, gen.CreatePoliciesIntent{Policies: []gen.CreatePolicyIntentV3{
		{PolicyName: "two signers", Effect: gen.EffectAllow, Condition: ptr("activity.resource == 'WALLET'"),
			Consensus: ptr("approvers.filter(u, u.tags.contains('" + tag.UserTagID + "')).count() >= 2")},
		{PolicyName: "b never approves wallets", Effect: gen.EffectDeny, Condition: ptr("activity.resource == 'WALLET'"),
			Consensus: ptr("approvers.any(u, u.alias == 'b')")},
	}})
	require.NoError(t, err)
	_, act, err := newClient(t, s, sdk.WithStamper(k1)).CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{}})
	require.ErrorIs(t, err, sdk.ErrConsensusNeeded)
	_, err = newClient(t, s, sdk.WithStamper(k2)).ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: act.Fingerprint})
	require.NoError(t, err)
	got, err := c.GetActivity(ctx, gen.GetActivityRequest{ActivityID: act.ID})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusFailed, got.Activity.Status)
	require.Equal(t, int32(7), *got.Activity.Failure.Code)
	require.Contains(t, *got.Activity.Failure.Message, "The following policies denied this action")
}

func TestMalformedPoliciesAreRefused(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	_, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "typo", Effect: gen.EffectAllow, Condition: ptr("activity.action = 'SIGN'")})
	ae := apiError(t, err, 400, 3)
	assert.Contains(t, ae.Message, "invalid policy condition: syntax error at 1:17")
	_, _, err = c.CreatePolicies(ctx, gen.CreatePoliciesIntent{Policies: []gen.CreatePolicyIntentV3{
		{PolicyName: "ok", Effect: gen.EffectAllow, Condition: ptr("true")},
		{PolicyName: "bad", Effect: gen.EffectAllow, Consensus: ptr("aprovers.any(u, u.id == 'x')")},
	}})
	ae = apiError(t, err, 400, 3)
	assert.Contains(t, ae.Message, "policies[1].invalid policy consensus")
	assert.Contains(t, ae.Message, "did you mean approvers?")
	ok, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "ok", Effect: gen.EffectAllow, Condition: ptr("true")})
	require.NoError(t, err)
	_, _, err = c.UpdatePolicy(ctx, gen.UpdatePolicyIntent{PolicyID: ok.PolicyID, PolicyCondition: ptr("approvers.count() == 'two'")})
	ae = apiError(t, err, 400, 3)
	assert.Contains(t, ae.Message, "invalid policy condition")
	list, err := c.ListPolicies(ctx, gen.ListPoliciesRequest{})
	require.NoError(t, err)
	require.Len(t, list.Policies, 1, "nothing malformed was stored")
	require.Equal(t, "true", list.Policies[0].Condition)
}

// The end-to-end case, through sdk.Client and sign_transaction: a
// policy "only user X may sign with wallet W, only to address A". X signing
// an EIP-1559 transaction to A completes; to B is denied; user Y is denied.
// A Solana policy allows a transfer to one recipient and refuses another.
func TestPolicySignTransaction(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	w, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "W", Accounts: []gen.WalletAccountParams{
		ethAccount("m/44'/60'/0'/0/0"), solanaAccount("m/44'/501'/0'/0'")}})
	require.NoError(t, err)
	other, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "other", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	require.NoError(t, err)
	ethAddr, solAddr := w.Addresses[0], w.Addresses[1]
	xKey, yKey := newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256)
	users, _, err := c.CreateUsers(ctx, gen.CreateUsersIntentV2{Users: []gen.UserParamsV2{
		{UserName: "x", UserTags: []string{}, APIKeys: []gen.APIKeyParams{{APIKeyName: "x", PublicKey: xKey.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
		{UserName: "y", UserTags: []string{}, APIKeys: []gen.APIKeyParams{{APIKeyName: "y", PublicKey: yKey.PublicKey()}}, Authenticators: []gen.AuthenticatorParamsV2{}},
	}})
	require.NoError(t, err)
	const addrA, addrB = "0x000000000000000000000000000000000000aaaa", "0x000000000000000000000000000000000000bbbb"
	allow, _, err := c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "x signs with W to A", Effect: gen.EffectAllow,
		Consensus: ptr("approvers.any(user, user.id == '" + users.UserIds[0] + "')"),
		Condition: ptr("activity.action == 'SIGN' && activity.params.type == 'TRANSACTION_TYPE_ETHEREUM' && wallet.id == '" + w.WalletID +
			"' && eth.tx.to == '" + addrA + "' && eth.tx.from == '" + strings.ToLower(ethAddr) + "' && eth.tx.type == 'TYPE_2'")})
	require.NoError(t, err)
	// y's clock runs ahead: the same body from x and y in one millisecond
	// would be one activity.
	x, y := newClient(t, s, sdk.WithStamper(xKey)), newClient(t, s, sdk.WithStamper(yKey), later())

	eip1559 := func(to string) []byte {
		return append([]byte{0x02}, rlpList(rlpUint(11155111), rlpUint(0), rlpUint(1e9), rlpUint(30e9), rlpUint(21000),
			rlpStr(mustHex(t, strings.TrimPrefix(to, "0x"))), rlpUint(1e15), rlpStr(nil), rlpList())...)
	}
	toA := eip1559(addrA)
	signed, err := signTx(t, x, ethAddr, gen.TransactionTypeEthereum, toA)
	require.NoError(t, err, "x signs with W to A")
	items := rlpItems(t, signed[1:])
	require.Len(t, items, 12)
	var rec byte
	if len(items[9]) == 1 {
		rec = items[9][0]
	}
	require.True(t, strings.EqualFold(ethAddr, recoverEthSender(t, keccak(toA), items[10], items[11], rec)), "signed by W's account")

	_, err = signTx(t, x, ethAddr, gen.TransactionTypeEthereum, eip1559(addrB))
	detail := policyDenial(t, err)
	assert.Equal(t, "No policies evaluated to outcome: Allow", detail["message"])
	assert.Equal(t, []any{map[string]any{"policyId": allow.PolicyID, "outcome": "OUTCOME_DENY_IMPLICIT"}}, detail["policyEvaluations"])
	_, err = signTx(t, y, ethAddr, gen.TransactionTypeEthereum, toA)
	policyDenial(t, err)
	_, err = signTx(t, x, other.Addresses[0], gen.TransactionTypeEthereum, eip1559(addrA))
	policyDenial(t, err)

	// Solana: transfers from W's account to recipient R only.
	acct, err := c.GetWalletAccount(ctx, gen.GetWalletAccountRequest{WalletID: w.WalletID, Address: &solAddr})
	require.NoError(t, err)
	pub := mustHex(t, *acct.Account.PublicKey)
	recipientR, recipientS := bytes.Repeat([]byte{0x11}, 32), bytes.Repeat([]byte{0x22}, 32)
	_, _, err = c.CreatePolicy(ctx, gen.CreatePolicyIntentV3{PolicyName: "x pays R from W", Effect: gen.EffectAllow,
		Consensus: ptr("approvers.any(user, user.id == '" + users.UserIds[0] + "')"),
		Condition: ptr("activity.params.type == 'TRANSACTION_TYPE_SOLANA' && wallet.id == '" + w.WalletID + "' && " +
			"solana.tx.transfers.count() == 1 && solana.tx.transfers.all(t, t.from == '" + solAddr + "' && t.to == '" +
			solana.Base58(recipientR) + "' && t.amount <= 5000)")})
	require.NoError(t, err)
	toR := solanaTransferTo(pub, recipientR, 5000)
	signed, err = signTx(t, x, solAddr, gen.TransactionTypeSolana, toR)
	require.NoError(t, err, "x pays R")
	require.True(t, ed25519.Verify(pub, toR, signed[1:65]))
	_, err = signTx(t, x, solAddr, gen.TransactionTypeSolana, solanaTransferTo(pub, recipientS, 5000))
	policyDenial(t, err)
	_, err = signTx(t, x, solAddr, gen.TransactionTypeSolana, solanaTransferTo(pub, recipientR, 5001))
	policyDenial(t, err)
	_, err = signTx(t, y, solAddr, gen.TransactionTypeSolana, toR)
	policyDenial(t, err)

	// Nothing denied was stored.
	acts, err := c.ListActivities(ctx, gen.ListActivitiesRequest{FilterByType: &[]gen.ActivityType{gen.ActivityTypeSignTransactionV2}})
	require.NoError(t, err)
	assert.Len(t, acts.Activities, 2)
}

// solanaTransferTo is a legacy System Program transfer message from the
// signer from to to, in the Solana wire format.
func solanaTransferTo(from, to []byte, lamports uint64) []byte {
	m := []byte{1, 0, 1, 3} // 1 signer, 0 read-only signed, 1 read-only unsigned; 3 keys
	m = append(m, from...)
	m = append(m, to...)
	m = append(m, make([]byte, 32)...)               // system program
	m = append(m, bytes.Repeat([]byte{0xbb}, 32)...) // recent blockhash
	data := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint32(nil, 2), lamports)
	m = append(m, 1, 2, 2, 0, 1, byte(len(data)))
	return append(m, data...)
}
