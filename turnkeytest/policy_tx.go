package turnkeytest

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"

	"github.com/turnkey-go/turnkey/internal/chain/eth"
	"github.com/turnkey-go/turnkey/internal/chain/solana"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	tkpolicy "github.com/turnkey-go/turnkey/policy"
)

// What sign_transaction conditions see (eth.tx, solana.tx), built from the
// transaction sign_transaction parses (parseTransaction).
//
// Ethereum: to and from are lower-case 0x-hex addresses, as Turnkey's policy
// examples compare them (eth.tx.to == '0xa0b8...eb48'); to is absent for a
// contract creation. data is 0x-hex ("0x" when empty). gas_price is the
// legacy or EIP-2930 gas price, and max_fee_per_gas for EIP-1559, as Turnkey
// sets it. chain_id is absent for a pre-EIP-155 legacy transaction. ABI
// fields (function_name, contract_call_args) need an uploaded ABI, which the
// simulator does not keep: they are absent.
//
// Solana: account_keys are the message's static keys; an instruction
// account or transfer party that a v0 message loads from an address lookup
// table is written ADDRESS_TABLE_LOOKUP, as Turnkey writes it. transfers
// are the System Program's transfer instructions. spl_transfers and
// parsed_instruction_data (IDL) are not derived: always empty.

// signTransactionInput gives sign_transaction conditions the parsed
// transaction (eth.tx or solana.tx) from the activity's type
// (TRANSACTION_TYPE_ETHEREUM, TRANSACTION_TYPE_SOLANA) and
// unsignedTransaction. A variable so that a test can see what the policy
// engine sees.
var signTransactionInput = policyTransaction

// policyTransaction parses unsignedTx as sign_transaction does and
// describes it to the policy engine.
func policyTransaction(txType, unsignedTx string) (*tkpolicy.Eth, *tkpolicy.Solana, error) {
	p, err := parseTransaction(gen.TransactionType(txType), unsignedTx)
	if err != nil {
		return nil, nil, err
	}
	if p.eth != nil {
		return &tkpolicy.Eth{Tx: policyEthTx(p.eth)}, nil, nil
	}
	return nil, &tkpolicy.Solana{Tx: policySolanaTx(&p.sol.Message)}, nil
}

// ethAddress is a in lower-case 0x-hex.
func ethAddress(a eth.Address) string { return "0x" + hex.EncodeToString(a[:]) }

func policyAmount(x *big.Int) tkpolicy.Amount {
	if x == nil {
		return tkpolicy.Amount{}
	}
	return tkpolicy.NewAmount(x)
}

func policyEthTx(tx *eth.Tx) *tkpolicy.EthereumTransaction {
	out := &tkpolicy.EthereumTransaction{
		Data:    "0x" + hex.EncodeToString(tx.Data),
		Value:   policyAmount(tx.Value),
		Gas:     policyAmount(new(big.Int).SetUint64(tx.Gas)),
		ChainID: policyAmount(tx.ChainID),
		Nonce:   policyAmount(new(big.Int).SetUint64(tx.Nonce)),
	}
	if tx.To != nil {
		out.To = ethAddress(*tx.To)
	}
	switch tx.Type {
	case eth.LegacyTx:
		out.Type, out.GasPrice = "LEGACY", policyAmount(tx.GasPrice)
	case eth.AccessListTx:
		out.Type, out.GasPrice = "TYPE_1", policyAmount(tx.GasPrice)
	case eth.DynamicFeeTx:
		out.Type, out.GasPrice = "TYPE_2", policyAmount(tx.MaxFeePerGas)
		out.MaxFeePerGas, out.MaxPriorityFeePerGas = policyAmount(tx.MaxFeePerGas), policyAmount(tx.MaxPriorityFeePerGas)
	default: // the parser refuses other types
		out.Type = fmt.Sprintf("TYPE_%d", byte(tx.Type))
	}
	return out
}

// ethSender is the lower-case address of the secp256k1 key signWith names
// in o, or "" when it names none.
func (o *org) ethSender(signWith string) string {
	k, err := o.signer(signWith)
	if err != nil || k.curve != curveSecp256k1 {
		return ""
	}
	return ethAddress(eth.AddressOf(k.k1.PubKey().SerializeUncompressed()))
}

// addressTableLookup is how Turnkey writes an account loaded from an
// address lookup table, whose address the message does not carry.
const addressTableLookup = "ADDRESS_TABLE_LOOKUP"

// systemProgram is the System Program's address.
var systemProgram = solana.PublicKey{}.String()

func policySolanaTx(m *solana.Message) *tkpolicy.SolanaTransaction {
	out := &tkpolicy.SolanaTransaction{
		AccountKeys:         make([]string, len(m.AccountKeys)),
		ProgramKeys:         []string{},
		Instructions:        make([]tkpolicy.SolanaInstruction, 0, len(m.Instructions)),
		Transfers:           []tkpolicy.SolanaTransfer{},
		RecentBlockhash:     solana.Base58(m.RecentBlockhash[:]),
		SPLTransfers:        []tkpolicy.SPLTransfer{},
		AddressTableLookups: make([]tkpolicy.SolanaAddressTableLookup, 0, len(m.AddressTableLookups)),
	}
	for i, k := range m.AccountKeys {
		out.AccountKeys[i] = k.String()
	}
	for _, l := range m.AddressTableLookups {
		out.AddressTableLookups = append(out.AddressTableLookups, tkpolicy.SolanaAddressTableLookup{
			AddressTableKey: l.AccountKey.String(), WritableIndexes: ints(l.WritableIndexes), ReadonlyIndexes: ints(l.ReadonlyIndexes)})
	}
	seen := map[string]bool{}
	for _, in := range m.Instructions {
		program := m.AccountKeys[in.ProgramIDIndex].String() // the parser checked the index
		if !seen[program] {
			seen[program] = true
			out.ProgramKeys = append(out.ProgramKeys, program)
		}
		pi := tkpolicy.SolanaInstruction{ProgramKey: program, Accounts: make([]tkpolicy.SolanaAccount, 0, len(in.Accounts)),
			InstructionDataHex: hex.EncodeToString(in.Data), AddressTableLookups: []tkpolicy.SolanaAddressTableLookup{}}
		used := map[int]*tkpolicy.SolanaAddressTableLookup{}
		for _, idx := range in.Accounts {
			acct, table, tableIndex, writable := policySolanaAccount(m, int(idx))
			pi.Accounts = append(pi.Accounts, acct)
			if table < 0 {
				continue
			}
			l := used[table]
			if l == nil {
				pi.AddressTableLookups = append(pi.AddressTableLookups, tkpolicy.SolanaAddressTableLookup{
					AddressTableKey: m.AddressTableLookups[table].AccountKey.String(), WritableIndexes: []int{}, ReadonlyIndexes: []int{}})
				l = &pi.AddressTableLookups[len(pi.AddressTableLookups)-1]
				used[table] = l
			}
			if writable {
				l.WritableIndexes = append(l.WritableIndexes, tableIndex)
			} else {
				l.ReadonlyIndexes = append(l.ReadonlyIndexes, tableIndex)
			}
		}
		out.Instructions = append(out.Instructions, pi)
		if t, ok := systemTransfer(program, pi.Accounts, in.Data); ok {
			out.Transfers = append(out.Transfers, t)
		}
	}
	return out
}

// policySolanaAccount describes the account at index idx of m's accounts: the
// static keys, then the writable addresses loaded from each lookup table in
// order, then the read-only ones. table is the lookup table it comes from
// (-1 for a static key) and tableIndex its index in that table.
func policySolanaAccount(m *solana.Message, idx int) (acct tkpolicy.SolanaAccount, table, tableIndex int, writable bool) {
	h, n := m.Header, len(m.AccountKeys)
	if idx < n {
		signers := int(h.NumRequiredSignatures)
		if idx < signers {
			writable = idx < signers-int(h.NumReadonlySignedAccounts)
		} else {
			writable = idx < n-int(h.NumReadonlyUnsignedAccounts)
		}
		return tkpolicy.SolanaAccount{AccountKey: m.AccountKeys[idx].String(), Signer: idx < signers, Writable: writable}, -1, 0, writable
	}
	j := idx - n
	for _, pass := range []bool{true, false} {
		for t, l := range m.AddressTableLookups {
			indexes := l.ReadonlyIndexes
			if pass {
				indexes = l.WritableIndexes
			}
			if j < len(indexes) {
				return tkpolicy.SolanaAccount{AccountKey: addressTableLookup, Writable: pass}, t, int(indexes[j]), pass
			}
			j -= len(indexes)
		}
	}
	// An index past every loaded address: the runtime would refuse the
	// transaction; the policy sees an unknown account.
	return tkpolicy.SolanaAccount{AccountKey: addressTableLookup}, -1, 0, false
}

// systemTransfer reads a System Program transfer instruction (index 2,
// lamports as a little-endian u64; accounts: from, to).
func systemTransfer(program string, accounts []tkpolicy.SolanaAccount, data []byte) (tkpolicy.SolanaTransfer, bool) {
	if program != systemProgram || len(data) != 12 || binary.LittleEndian.Uint32(data) != 2 || len(accounts) < 2 {
		return tkpolicy.SolanaTransfer{}, false
	}
	lamports := new(big.Int).SetUint64(binary.LittleEndian.Uint64(data[4:]))
	return tkpolicy.SolanaTransfer{From: accounts[0].AccountKey, To: accounts[1].AccountKey, Amount: tkpolicy.NewAmount(lamports)}, true
}

func ints(b []uint8) []int {
	out := make([]int, len(b))
	for i, v := range b {
		out[i] = int(v)
	}
	return out
}
