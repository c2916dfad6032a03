package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

// Input describes an activity to evaluate policies against: the values of
// the keywords, plus what the outcome rules need (the root quorum, the users
// who could still approve). Its JSON form, with the policy language's field
// names, is what `turnkey policy eval` reads. Keywords left nil are not part
// of the activity: an expression that reads them fails, as Turnkey's does
// ("field does not exist").
type Input struct {
	Activity    Activity     `json:"activity"`
	Approvers   []User       `json:"approvers"`
	Credentials []Credential `json:"credentials,omitempty"`

	Wallet        *Wallet        `json:"wallet,omitempty"`
	Wallets       []Wallet       `json:"wallets,omitempty"`
	WalletAccount *WalletAccount `json:"wallet_account,omitempty"`
	PrivateKey    *PrivateKey    `json:"private_key,omitempty"`

	Eth     *Eth    `json:"eth,omitempty"`
	Solana  *Solana `json:"solana,omitempty"`
	Tron    *Chain  `json:"tron,omitempty"`
	Bitcoin *Chain  `json:"bitcoin,omitempty"`
	Tempo   *Chain  `json:"tempo,omitempty"`

	// RootQuorum is the organization's root quorum: when enough of its users
	// are approvers, policies are bypassed.
	RootQuorum *Quorum `json:"root_quorum,omitempty"`
	// Users are the organization's users who could still approve, with their
	// credentials: they tell a policy that needs more approvals from one
	// that can never allow.
	Users []Candidate `json:"users,omitempty"`
}

// Activity is the activity keyword. Resource and Action, when empty, come
// from Type (ResourceAction).
type Activity struct {
	Type     string         `json:"type"`
	Resource string         `json:"resource,omitempty"`
	Action   string         `json:"action,omitempty"`
	Params   map[string]any `json:"params,omitempty"`
}

// User is an approver.
type User struct {
	ID    string   `json:"id"`
	Tags  []string `json:"tags"`
	Email string   `json:"email,omitzero"`
	Alias string   `json:"alias,omitzero"`
}

// Credential is a credential that approved the activity.
type Credential struct {
	ID           string `json:"id"`
	UserID       string `json:"user_id"`
	Type         string `json:"type"`
	CredentialID string `json:"credential_id,omitzero"`
	PublicKey    string `json:"public_key"`
}

// Candidate is a user of the organization with their credentials.
type Candidate struct {
	User
	Credentials []Credential `json:"credentials,omitempty"`
}

// Quorum is a root quorum.
type Quorum struct {
	Threshold int      `json:"threshold"`
	UserIDs   []string `json:"user_ids"`
}

// Wallet is the wallet keyword.
type Wallet struct {
	ID       string `json:"id"`
	Imported bool   `json:"imported"`
	Exported bool   `json:"exported"`
	Label    string `json:"label"`
}

// WalletAccount is the wallet_account keyword.
type WalletAccount struct {
	Address      string `json:"address"`
	PathIndexes  []int  `json:"path_indexes,omitempty"`
	PathHardened []bool `json:"path_hardened,omitempty"`
}

// PrivateKey is the private_key keyword.
type PrivateKey struct {
	ID       string   `json:"id"`
	Tags     []string `json:"tags"`
	Imported bool     `json:"imported"`
	Exported bool     `json:"exported"`
	Label    string   `json:"label"`
}

// Eth holds the eth.* keywords.
type Eth struct {
	Tx                   *EthereumTransaction `json:"tx,omitempty"`
	EIP712               map[string]any       `json:"eip_712,omitempty"`
	EIP7702Authorization map[string]any       `json:"eip_7702_authorization,omitempty"`
}

// EthereumTransaction is eth.tx: the parsed Ethereum transaction a
// sign_transaction activity signs. A field left zero is absent (legacy
// transactions have no max_fee_per_gas); Turnkey sets gas_price to
// max_fee_per_gas for EIP-1559 transactions, and so should the caller.
type EthereumTransaction struct {
	From                 string         `json:"from,omitzero"`
	To                   string         `json:"to,omitzero"`
	Data                 string         `json:"data"`
	Value                Amount         `json:"value"`
	Gas                  Amount         `json:"gas,omitzero"`
	GasPrice             Amount         `json:"gas_price,omitzero"`
	ChainID              Amount         `json:"chain_id,omitzero"`
	Nonce                Amount         `json:"nonce"`
	MaxFeePerGas         Amount         `json:"max_fee_per_gas,omitzero"`
	MaxPriorityFeePerGas Amount         `json:"max_priority_fee_per_gas,omitzero"`
	MaxFeePerBlobGas     Amount         `json:"max_fee_per_blob_gas,omitzero"`
	Type                 string         `json:"type"` // LEGACY, TYPE_1, TYPE_2, TYPE_3 or TYPE_4
	FunctionName         string         `json:"function_name,omitzero"`
	FunctionSignature    string         `json:"function_signature,omitzero"`
	ContractCallArgs     map[string]any `json:"contract_call_args,omitempty"`
}

// Solana holds the solana.tx keyword.
type Solana struct {
	Tx *SolanaTransaction `json:"tx,omitempty"`
}

// SolanaTransaction is solana.tx: the parsed Solana transaction.
type SolanaTransaction struct {
	AccountKeys         []string                   `json:"account_keys"`
	ProgramKeys         []string                   `json:"program_keys"`
	Instructions        []SolanaInstruction        `json:"instructions"`
	Transfers           []SolanaTransfer           `json:"transfers"`
	RecentBlockhash     string                     `json:"recent_blockhash"`
	SPLTransfers        []SPLTransfer              `json:"spl_transfers"`
	AddressTableLookups []SolanaAddressTableLookup `json:"address_table_lookups"`
}

// SolanaInstruction is one instruction of a Solana transaction.
type SolanaInstruction struct {
	ProgramKey            string                     `json:"program_key"`
	Accounts              []SolanaAccount            `json:"accounts"`
	InstructionDataHex    string                     `json:"instruction_data_hex"`
	AddressTableLookups   []SolanaAddressTableLookup `json:"address_table_lookups"`
	ParsedInstructionData map[string]any             `json:"parsed_instruction_data,omitempty"`
}

// SolanaAccount is an account of an instruction.
type SolanaAccount struct {
	AccountKey string `json:"account_key"`
	Signer     bool   `json:"signer"`
	Writable   bool   `json:"writable"`
}

// SolanaTransfer is a native SOL transfer.
type SolanaTransfer struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount Amount `json:"amount"`
}

// SPLTransfer is an SPL token transfer.
type SPLTransfer struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Amount    Amount   `json:"amount"`
	Owner     string   `json:"owner"`
	Signers   []string `json:"signers"`
	TokenMint string   `json:"token_mint"`
}

// SolanaAddressTableLookup is an address table lookup.
type SolanaAddressTableLookup struct {
	AddressTableKey string `json:"address_table_key"`
	WritableIndexes []int  `json:"writable_indexes"`
	ReadonlyIndexes []int  `json:"readonly_indexes"`
}

// Chain holds the tx keyword of tron, bitcoin or tempo, in the policy
// language's field names (see Keywords for the fields).
type Chain struct {
	Tx map[string]any `json:"tx,omitempty"`
}

// Amount is an integer of any size (wei, lamports). Its JSON form is a
// number; a decimal or 0x-hex string is also read.
type Amount struct{ v *big.Int }

// NewAmount is the Amount x (copied).
func NewAmount(x *big.Int) Amount { return Amount{new(big.Int).Set(x)} }

// AmountOf is the Amount n.
func AmountOf(n int64) Amount { return Amount{big.NewInt(n)} }

// Big returns the amount (nil for an absent one).
func (a Amount) Big() *big.Int { return a.v }

// IsZero reports whether the amount is absent.
func (a Amount) IsZero() bool { return a.v == nil }

// MarshalJSON writes the amount as a JSON number.
func (a Amount) MarshalJSON() ([]byte, error) {
	if a.v == nil {
		return []byte("null"), nil
	}
	return []byte(a.v.String()), nil
}

// UnmarshalJSON reads a number, or a decimal or 0x-hex string.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		a.v = nil
		return nil
	}
	v, err := parseInt(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	a.v = v
	return nil
}

func parseInt(s string) (*big.Int, error) {
	base := 10
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		s, base = h, 16
	}
	v, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, fmt.Errorf("policy: %q is not an integer", s)
	}
	return v, nil
}

// InputError is an Input whose values do not fit the keywords' types.
type InputError struct {
	Path string // e.g. eth.tx.value
	Msg  string
}

func (e *InputError) Error() string { return "policy input " + e.Path + ": " + e.Msg }

// values turns the input into the keyword values of field, checked against
// the keywords' types.
func (in *Input) values(field Field) (map[string]any, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if act, ok := m["activity"].(map[string]any); ok {
		if r, a, ok := ResourceAction(in.Activity.Type); ok {
			if in.Activity.Resource == "" {
				act["resource"] = r
			}
			if in.Activity.Action == "" {
				act["action"] = a
			}
		}
	}
	out := map[string]any{}
	for name, t := range Keywords(field) {
		v, err := normalize(m[name], t, name)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[name] = v
		}
	}
	return out, nil
}

// normalize converts a decoded JSON value to an evaluation value of type t.
// null is absent, except for lists, where it is the empty list.
func normalize(v any, t *Type, path string) (any, error) {
	if v == nil {
		if t.Kind == KindList {
			return []any{}, nil
		}
		return nil, nil
	}
	bad := func() error {
		return &InputError{Path: path, Msg: fmt.Sprintf("want %s, got %s", article(t), jsonKind(v))}
	}
	switch t.Kind {
	case KindDynamic:
		return dynamic(v, path)
	case KindBool:
		if _, ok := v.(bool); !ok {
			return nil, bad()
		}
		return v, nil
	case KindString:
		if _, ok := v.(string); !ok {
			return nil, bad()
		}
		return v, nil
	case KindInt:
		var s string
		switch x := v.(type) {
		case json.Number:
			s = x.String()
		case string:
			s = x
		default:
			return nil, bad()
		}
		n, err := parseInt(s)
		if err != nil {
			return nil, &InputError{Path: path, Msg: err.Error()}
		}
		return n, nil
	case KindList:
		l, ok := v.([]any)
		if !ok {
			return nil, bad()
		}
		out := make([]any, 0, len(l))
		for i, x := range l {
			y, err := normalize(x, t.Elem, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			if y == nil {
				return nil, &InputError{Path: fmt.Sprintf("%s[%d]", path, i), Msg: "null in a list"}
			}
			out = append(out, y)
		}
		return out, nil
	case KindMap, KindStruct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, bad()
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			ft := t.Elem
			if t.Kind == KindStruct {
				ft = t.Fields[k]
				if ft == nil {
					names := t.FieldNames()
					msg := fmt.Sprintf("%s has no field %q", t.Name, k)
					if s := suggest(k, names); len(s) > 0 {
						msg += "; did you mean " + strings.Join(s, " or ") + "?"
					}
					return nil, &InputError{Path: path + "." + k, Msg: msg}
				}
			}
			y, err := normalize(x, ft, path+"."+k)
			if err != nil {
				return nil, err
			}
			if y != nil {
				out[k] = y
			}
		}
		return out, nil
	}
	return nil, bad()
}

// dynamic converts a value of unknown type: numbers become ints.
func dynamic(v any, path string) (any, error) {
	switch x := v.(type) {
	case json.Number:
		n, err := parseInt(x.String())
		if err != nil {
			return nil, &InputError{Path: path, Msg: "numbers must be integers (the language has no fractions)"}
		}
		return n, nil
	case []any:
		return normalize(x, ListOf(Dynamic), path)
	case map[string]any:
		return normalize(x, MapOf(Dynamic), path)
	}
	return v, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case bool:
		return "a bool"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// toJSONValue is v as decoded JSON (numbers as json.Number).
func toJSONValue(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out any
	if dec.Decode(&out) != nil {
		return nil
	}
	return out
}
