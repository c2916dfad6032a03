package turnkeytest

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/internal/chain/solana"
	tkpolicy "github.com/turnkey-go/turnkey/policy"
)

// evalCondition evaluates one allow policy with condition against in.
func evalCondition(t *testing.T, condition string, in tkpolicy.Input) tkpolicy.Decision {
	t.Helper()
	p, err := tkpolicy.Compile(tkpolicy.Policy{ID: "p", Effect: tkpolicy.EffectAllow, Condition: condition})
	require.NoError(t, err)
	in.Activity = tkpolicy.Activity{Type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2"}
	in.Approvers = []tkpolicy.User{}
	d, err := tkpolicy.Evaluate([]*tkpolicy.Compiled{p}, in)
	require.NoError(t, err)
	return d
}

func TestPolicyEthereumTransaction(t *testing.T) {
	// An EIP-55 address in the transaction; eth.tx.to is lower case.
	to := mustHex(t, "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
	data := mustHex(t, "a9059cbb0000000000000000000000000000000000000000000000000000000000000001")
	gwei := func(n uint64) *big.Int { return new(big.Int).Mul(new(big.Int).SetUint64(n), big.NewInt(1e9)) }
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	big1 := func(b *big.Int) []byte { return rlpStr(b.Bytes()) }

	for _, tc := range []struct {
		name     string
		unsigned []byte
		want     tkpolicy.EthereumTransaction
	}{
		{"EIP-1559", append([]byte{2}, rlpList(rlpUint(11155111), rlpUint(7), big1(gwei(2)), big1(gwei(40)), rlpUint(65000),
			rlpStr(to), big1(ether), rlpStr(data), rlpList())...),
			tkpolicy.EthereumTransaction{To: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", Data: "0x" + hex.EncodeToString(data),
				Value: tkpolicy.NewAmount(ether), Gas: tkpolicy.AmountOf(65000), GasPrice: tkpolicy.NewAmount(gwei(40)),
				ChainID: tkpolicy.AmountOf(11155111), Nonce: tkpolicy.AmountOf(7), MaxFeePerGas: tkpolicy.NewAmount(gwei(40)),
				MaxPriorityFeePerGas: tkpolicy.NewAmount(gwei(2)), Type: "TYPE_2"}},
		{"EIP-2930", append([]byte{1}, rlpList(rlpUint(1), rlpUint(0), big1(gwei(30)), rlpUint(50000), rlpStr(to), rlpUint(0), rlpStr(nil), rlpList())...),
			tkpolicy.EthereumTransaction{To: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", Data: "0x", Value: tkpolicy.AmountOf(0),
				Gas: tkpolicy.AmountOf(50000), GasPrice: tkpolicy.NewAmount(gwei(30)), ChainID: tkpolicy.AmountOf(1), Nonce: tkpolicy.AmountOf(0), Type: "TYPE_1"}},
		{"legacy EIP-155", rlpList(rlpUint(9), big1(gwei(20)), rlpUint(21000), rlpStr(to), rlpUint(5), rlpStr(nil), rlpUint(137), rlpStr(nil), rlpStr(nil)),
			tkpolicy.EthereumTransaction{To: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", Data: "0x", Value: tkpolicy.AmountOf(5),
				Gas: tkpolicy.AmountOf(21000), GasPrice: tkpolicy.NewAmount(gwei(20)), ChainID: tkpolicy.AmountOf(137), Nonce: tkpolicy.AmountOf(9), Type: "LEGACY"}},
		{"legacy, no chain ID, contract creation", rlpList(rlpUint(0), rlpUint(1), rlpUint(90000), rlpStr(nil), rlpUint(0), rlpStr([]byte{0x60, 0x80})),
			tkpolicy.EthereumTransaction{Data: "0x6080", Value: tkpolicy.AmountOf(0), Gas: tkpolicy.AmountOf(90000), GasPrice: tkpolicy.AmountOf(1),
				Nonce: tkpolicy.AmountOf(0), Type: "LEGACY"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, sol, err := signTransactionInput("TRANSACTION_TYPE_ETHEREUM", "0x"+hex.EncodeToString(tc.unsigned))
			require.NoError(t, err)
			require.Nil(t, sol)
			require.NotNil(t, e)
			require.NotNil(t, e.Tx)
			assert.Equal(t, tc.want, *e.Tx)
			assert.Empty(t, e.Tx.From, "the adapter does not know the signer; policyInput sets from")
		})
	}

	// The fields are what the documented conditions compare.
	e, _, err := signTransactionInput("TRANSACTION_TYPE_ETHEREUM", hex.EncodeToString(append([]byte{2}, rlpList(rlpUint(11155111), rlpUint(3),
		rlpUint(1), rlpUint(2), rlpUint(21000), rlpStr(to), rlpUint(1), rlpStr(data), rlpList())...)))
	require.NoError(t, err)
	in := tkpolicy.Input{Eth: e}
	for cond, want := range map[string]bool{
		"eth.tx.to == '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'":                true,
		"eth.tx.to == '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'":                false, // compared as written, lower case
		"eth.tx.data[0..10] == '0xa9059cbb' && eth.tx.chain_id == 11155111":        true,
		"eth.tx.nonce <= 3 && eth.tx.gas_price == 2 && eth.tx.max_fee_per_gas > 1": true,
		"eth.tx.type == 'TYPE_2' && eth.tx.value < 1":                              false,
	} {
		assert.Equal(t, want, evalCondition(t, cond, in).Allowed(), cond)
	}
}

func TestPolicyTransactionInputErrors(t *testing.T) {
	for _, tc := range [][2]string{
		{"TRANSACTION_TYPE_ETHEREUM", "zz"},
		{"TRANSACTION_TYPE_ETHEREUM", "02c3"},
		{"TRANSACTION_TYPE_SOLANA", "0102"},
		{"TRANSACTION_TYPE_BITCOIN", "00"},
		{"", "00"},
	} {
		e, sol, err := signTransactionInput(tc[0], tc[1])
		require.Error(t, err, tc)
		require.Nil(t, e, tc)
		require.Nil(t, sol, tc)
	}
}

func TestPolicySolanaTransaction(t *testing.T) {
	from := bytes.Repeat([]byte{7}, 32)
	msg := solanaTransfer(from, 5000) // from, recipient (9s), system program; blockhash 0xbb...
	fromKey, recipient := solana.Base58(from), solana.Base58(bytes.Repeat([]byte{9}, 32))
	const system = "11111111111111111111111111111111"
	transferData := "02000000" + "8813000000000000" // 2, 5000 little-endian

	for name, unsigned := range map[string][]byte{"message": msg, "transaction": append(append([]byte{1}, make([]byte, 64)...), msg...)} {
		_, sol, err := signTransactionInput("TRANSACTION_TYPE_SOLANA", hex.EncodeToString(unsigned))
		require.NoError(t, err, name)
		require.NotNil(t, sol.Tx, name)
		assert.Equal(t, tkpolicy.SolanaTransaction{
			AccountKeys: []string{fromKey, recipient, system},
			ProgramKeys: []string{system},
			Instructions: []tkpolicy.SolanaInstruction{{ProgramKey: system, InstructionDataHex: transferData,
				Accounts:            []tkpolicy.SolanaAccount{{AccountKey: fromKey, Signer: true, Writable: true}, {AccountKey: recipient, Writable: true}},
				AddressTableLookups: []tkpolicy.SolanaAddressTableLookup{}}},
			Transfers:           []tkpolicy.SolanaTransfer{{From: fromKey, To: recipient, Amount: tkpolicy.AmountOf(5000)}},
			RecentBlockhash:     solana.Base58(bytes.Repeat([]byte{0xbb}, 32)),
			SPLTransfers:        []tkpolicy.SPLTransfer{},
			AddressTableLookups: []tkpolicy.SolanaAddressTableLookup{},
		}, *sol.Tx, name)
	}

	_, sol, err := signTransactionInput("TRANSACTION_TYPE_SOLANA", hex.EncodeToString(msg))
	require.NoError(t, err)
	in := tkpolicy.Input{Solana: sol}
	for cond, want := range map[string]bool{
		"solana.tx.transfers.count() == 1 && solana.tx.transfers.all(t, t.to == '" + recipient + "' && t.amount == 5000)":        true,
		"solana.tx.transfers.any(t, t.to == '" + fromKey + "')":                                                                  false,
		"solana.tx.program_keys.all(p, p == '" + system + "') && solana.tx.address_table_lookups.count() == 0":                   true,
		"solana.tx.instructions[0].accounts[0].account_key == '" + fromKey + "' && solana.tx.instructions[0].accounts[0].signer": true,
		"solana.tx.instructions[0].accounts[1].signer":                                                                           false,
	} {
		assert.Equal(t, want, evalCondition(t, cond, in).Allowed(), cond)
	}
}

// Transfer-shaped data for another program is no transfer.
func TestPolicySolanaOtherProgramIsNoTransfer(t *testing.T) {
	msg := solanaTransferTo(bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 32), 5000)
	copy(msg[4+64:4+96], bytes.Repeat([]byte{3}, 32)) // the program is no longer the System Program
	_, sol, err := signTransactionInput("TRANSACTION_TYPE_SOLANA", hex.EncodeToString(msg))
	require.NoError(t, err)
	assert.Equal(t, []string{solana.Base58(bytes.Repeat([]byte{3}, 32))}, sol.Tx.ProgramKeys)
	assert.Len(t, sol.Tx.Instructions, 1)
	assert.Empty(t, sol.Tx.Transfers)
}

// A v0 message whose transfer goes to an address loaded from a lookup
// table: the policy sees ADDRESS_TABLE_LOOKUP, as in Turnkey.
func TestPolicySolanaAddressTableLookups(t *testing.T) {
	from, table := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{5}, 32)
	m := []byte{0x80, 1, 0, 1, 2} // v0; 1 signer, 0 read-only signed, 1 read-only unsigned; 2 static keys
	m = append(m, from...)
	m = append(m, make([]byte, 32)...)               // system program
	m = append(m, bytes.Repeat([]byte{0xcc}, 32)...) // blockhash
	data := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint32(nil, 2), 1000)
	m = append(m, 2)                           // 2 instructions
	m = append(m, 1, 2, 0, 2, byte(len(data))) // system transfer: from, loaded writable #0
	m = append(m, data...)                     //
	m = append(m, 1, 1, 3, 1, 0xff)            // system, loaded read-only #0, data ff
	m = append(m, 1)                           // 1 lookup
	m = append(m, table...)                    //
	m = append(m, 1, 5, 1, 7)                  // writable [5], read-only [7]
	_, sol, err := signTransactionInput("TRANSACTION_TYPE_SOLANA", hex.EncodeToString(m))
	require.NoError(t, err)
	tx := sol.Tx
	fromKey, tableKey := solana.Base58(from), solana.Base58(table)
	const system, atl = "11111111111111111111111111111111", "ADDRESS_TABLE_LOOKUP"
	assert.Equal(t, []string{fromKey, system}, tx.AccountKeys)
	assert.Equal(t, []string{system}, tx.ProgramKeys)
	assert.Equal(t, []tkpolicy.SolanaAddressTableLookup{{AddressTableKey: tableKey, WritableIndexes: []int{5}, ReadonlyIndexes: []int{7}}}, tx.AddressTableLookups)
	require.Len(t, tx.Instructions, 2)
	assert.Equal(t, []tkpolicy.SolanaAccount{{AccountKey: fromKey, Signer: true, Writable: true}, {AccountKey: atl, Writable: true}}, tx.Instructions[0].Accounts)
	assert.Equal(t, []tkpolicy.SolanaAddressTableLookup{{AddressTableKey: tableKey, WritableIndexes: []int{5}, ReadonlyIndexes: []int{}}}, tx.Instructions[0].AddressTableLookups)
	assert.Equal(t, []tkpolicy.SolanaAccount{{AccountKey: atl}}, tx.Instructions[1].Accounts)
	assert.Equal(t, []tkpolicy.SolanaAddressTableLookup{{AddressTableKey: tableKey, WritableIndexes: []int{}, ReadonlyIndexes: []int{7}}}, tx.Instructions[1].AddressTableLookups)
	assert.Equal(t, "ff", tx.Instructions[1].InstructionDataHex)
	assert.Equal(t, []tkpolicy.SolanaTransfer{{From: fromKey, To: atl, Amount: tkpolicy.AmountOf(1000)}}, tx.Transfers, "only the transfer instruction is a transfer")

	// The documented guard: a deny on lookup-table recipients applies.
	deny, err := tkpolicy.Compile(tkpolicy.Policy{ID: "d", Effect: tkpolicy.EffectDeny, Condition: "solana.tx.transfers.any(t, t.to == 'ADDRESS_TABLE_LOOKUP')"})
	require.NoError(t, err)
	allow, err := tkpolicy.Compile(tkpolicy.Policy{ID: "a", Effect: tkpolicy.EffectAllow, Condition: "true"})
	require.NoError(t, err)
	d, err := tkpolicy.Evaluate([]*tkpolicy.Compiled{allow, deny}, tkpolicy.Input{Activity: tkpolicy.Activity{Type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2"},
		Approvers: []tkpolicy.User{}, Solana: sol})
	require.NoError(t, err)
	assert.False(t, d.Allowed())
	assert.Equal(t, tkpolicy.OutcomeDeny, d.Outcome)
	assert.True(t, d.Explicit, "denied by the deny policy, not for want of an allow")
}
