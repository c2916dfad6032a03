package eth

import (
	"errors"
	"fmt"
	"math/big"
)

// TxType is the EIP-2718 type of a transaction.
type TxType byte

// The transaction types Parse understands.
const (
	// LegacyTx is an untyped transaction: RLP of nonce, gasPrice, gas, to,
	// value, data, and for EIP-155 chainId, 0, 0.
	LegacyTx TxType = 0
	// AccessListTx is an EIP-2930 transaction (0x01 ‖ RLP).
	AccessListTx TxType = 1
	// DynamicFeeTx is an EIP-1559 transaction (0x02 ‖ RLP).
	DynamicFeeTx TxType = 2
)

func (t TxType) String() string {
	switch t {
	case LegacyTx:
		return "legacy"
	case AccessListTx:
		return "EIP-2930"
	case DynamicFeeTx:
		return "EIP-1559"
	}
	return fmt.Sprintf("type 0x%02x", byte(t))
}

// ErrUnsupportedType: the transaction's EIP-2718 type is not legacy, 0x01
// or 0x02 (blob and set-code transactions are not handled).
var ErrUnsupportedType = errors.New("eth: unsupported transaction type")

// ErrSigned: Parse was given a transaction that already carries a signature.
var ErrSigned = errors.New("eth: transaction is already signed")

// AccessTuple is one entry of an EIP-2930 access list.
type AccessTuple struct {
	Address     Address
	StorageKeys [][32]byte
}

// Tx is a parsed Ethereum transaction. Big integers are never nil after
// Parse, except ChainID of a pre-EIP-155 legacy transaction and the fee
// fields that the type does not have.
type Tx struct {
	Type TxType
	// ChainID is nil for a legacy transaction without EIP-155 replay
	// protection.
	ChainID *big.Int
	Nonce   uint64
	// GasPrice is set for legacy and EIP-2930 transactions.
	GasPrice *big.Int
	// MaxPriorityFeePerGas and MaxFeePerGas are set for EIP-1559 ones.
	MaxPriorityFeePerGas *big.Int
	MaxFeePerGas         *big.Int
	Gas                  uint64
	// To is nil for a contract creation.
	To         *Address
	Value      *big.Int
	Data       []byte
	AccessList []AccessTuple
}

// Signature is a secp256k1 signature with its recovery id (0 or 1).
type Signature struct {
	R, S     [32]byte
	Recovery byte
}

// ParseUnsigned parses an unsigned transaction: a legacy RLP list of 6
// fields (pre-EIP-155) or 9 (EIP-155: chainId, 0, 0), or 0x01 / 0x02
// followed by the RLP list of an EIP-2930 / EIP-1559 transaction without
// its signature fields.
func ParseUnsigned(raw []byte) (*Tx, error) {
	tx, sig, err := parse(raw)
	if err != nil {
		return nil, err
	}
	if sig != nil {
		return nil, ErrSigned
	}
	return tx, nil
}

// ParseSigned parses a signed transaction as SignedBytes writes it, and
// returns its signature with the recovery id taken from v (EIP-155 or 27/28
// for legacy transactions, yParity for typed ones).
func ParseSigned(raw []byte) (*Tx, *Signature, error) {
	tx, sig, err := parse(raw)
	if err != nil {
		return nil, nil, err
	}
	if sig == nil {
		return nil, nil, errors.New("eth: transaction is not signed")
	}
	return tx, sig, nil
}

func parse(raw []byte) (*Tx, *Signature, error) {
	if len(raw) == 0 {
		return nil, nil, fmt.Errorf("%w: empty transaction", ErrRLP)
	}
	if raw[0] >= 0xc0 {
		return parseLegacy(raw)
	}
	if raw[0] > 0x7f {
		return nil, nil, fmt.Errorf("%w: a transaction starts with a type byte or an RLP list", ErrRLP)
	}
	t := TxType(raw[0])
	if t != AccessListTx && t != DynamicFeeTx {
		return nil, nil, fmt.Errorf("%w: %v", ErrUnsupportedType, t)
	}
	it, err := decodeRLP(raw[1:])
	if err != nil {
		return nil, nil, err
	}
	if it.isStr {
		return nil, nil, fmt.Errorf("%w: %v payload must be a list", ErrRLP, t)
	}
	f := it.list
	n := 8 // EIP-2930
	if t == DynamicFeeTx {
		n = 9
	}
	if len(f) != n && len(f) != n+3 {
		return nil, nil, fmt.Errorf("%w: %v transaction has %d fields, want %d (unsigned) or %d (signed)", ErrRLP, t, len(f), n, n+3)
	}
	tx := &Tx{Type: t}
	if tx.ChainID, err = f[0].bigInt("chainId"); err != nil {
		return nil, nil, err
	}
	if tx.Nonce, err = f[1].uint64("nonce"); err != nil {
		return nil, nil, err
	}
	i := 2
	if t == AccessListTx {
		if tx.GasPrice, err = f[2].bigInt("gasPrice"); err != nil {
			return nil, nil, err
		}
		i = 3
	} else {
		if tx.MaxPriorityFeePerGas, err = f[2].bigInt("maxPriorityFeePerGas"); err != nil {
			return nil, nil, err
		}
		if tx.MaxFeePerGas, err = f[3].bigInt("maxFeePerGas"); err != nil {
			return nil, nil, err
		}
		i = 4
	}
	if err := tx.readCommon(f[i : i+4]); err != nil {
		return nil, nil, err
	}
	if tx.AccessList, err = parseAccessList(f[i+4]); err != nil {
		return nil, nil, err
	}
	if len(f) == n {
		return tx, nil, nil
	}
	v, err := f[n].uint64("yParity")
	if err != nil {
		return nil, nil, err
	}
	if v > 1 {
		return nil, nil, fmt.Errorf("%w: yParity %d", ErrRLP, v)
	}
	sig, err := readRS(f[n+1], f[n+2])
	if err != nil {
		return nil, nil, err
	}
	sig.Recovery = byte(v)
	return tx, sig, nil
}

func parseLegacy(raw []byte) (*Tx, *Signature, error) {
	it, err := decodeRLP(raw)
	if err != nil {
		return nil, nil, err
	}
	f := it.list
	if len(f) != 6 && len(f) != 9 {
		return nil, nil, fmt.Errorf("%w: legacy transaction has %d fields, want 6 or 9", ErrRLP, len(f))
	}
	tx := &Tx{Type: LegacyTx}
	if tx.Nonce, err = f[0].uint64("nonce"); err != nil {
		return nil, nil, err
	}
	if tx.GasPrice, err = f[1].bigInt("gasPrice"); err != nil {
		return nil, nil, err
	}
	if err := tx.readCommon(f[2:6]); err != nil {
		return nil, nil, err
	}
	if len(f) == 6 {
		return tx, nil, nil
	}
	v, err := f[6].bigInt("v")
	if err != nil {
		return nil, nil, err
	}
	r, err1 := f[7].bytes("r")
	s, err2 := f[8].bytes("s")
	if err := errors.Join(err1, err2); err != nil {
		return nil, nil, err
	}
	if len(r) == 0 && len(s) == 0 { // EIP-155 signing form: chainId, 0, 0
		if v.Sign() == 0 {
			return nil, nil, fmt.Errorf("%w: EIP-155 chainId must not be 0", ErrRLP)
		}
		tx.ChainID = v
		return tx, nil, nil
	}
	sig, err := readRS(f[7], f[8])
	if err != nil {
		return nil, nil, err
	}
	switch {
	case v.IsUint64() && (v.Uint64() == 27 || v.Uint64() == 28):
		sig.Recovery = byte(v.Uint64() - 27)
	case v.Cmp(big.NewInt(35)) >= 0:
		// v = chainId*2 + 35 + recovery
		w := new(big.Int).Sub(v, big.NewInt(35))
		sig.Recovery = byte(w.Bit(0))
		tx.ChainID = w.Rsh(w, 1)
	default:
		return nil, nil, fmt.Errorf("%w: legacy v %s", ErrRLP, v)
	}
	return tx, sig, nil
}

// readCommon reads gas, to, value and data.
func (tx *Tx) readCommon(f []item) error {
	var err error
	if tx.Gas, err = f[0].uint64("gas"); err != nil {
		return err
	}
	to, err := f[1].bytes("to")
	if err != nil {
		return err
	}
	switch len(to) {
	case 0:
	case 20:
		tx.To = new(Address)
		copy(tx.To[:], to)
	default:
		return fmt.Errorf("%w: to is %d bytes, want 20 or empty", ErrRLP, len(to))
	}
	if tx.Value, err = f[2].bigInt("value"); err != nil {
		return err
	}
	data, err := f[3].bytes("data")
	tx.Data = append([]byte{}, data...)
	return err
}

func parseAccessList(it item) ([]AccessTuple, error) {
	if it.isStr {
		return nil, fmt.Errorf("%w: accessList must be a list", ErrRLP)
	}
	out := make([]AccessTuple, 0, len(it.list))
	for i, e := range it.list {
		if e.isStr || len(e.list) != 2 {
			return nil, fmt.Errorf("%w: accessList[%d] must be [address, storageKeys]", ErrRLP, i)
		}
		addr, err := e.list[0].bytes("accessList address")
		if err != nil || len(addr) != 20 {
			return nil, fmt.Errorf("%w: accessList[%d] address must be 20 bytes", ErrRLP, i)
		}
		if e.list[1].isStr {
			return nil, fmt.Errorf("%w: accessList[%d] storage keys must be a list", ErrRLP, i)
		}
		t := AccessTuple{StorageKeys: make([][32]byte, 0, len(e.list[1].list))}
		copy(t.Address[:], addr)
		for j, k := range e.list[1].list {
			b, err := k.bytes("storage key")
			if err != nil || len(b) != 32 {
				return nil, fmt.Errorf("%w: accessList[%d] storage key %d must be 32 bytes", ErrRLP, i, j)
			}
			t.StorageKeys = append(t.StorageKeys, [32]byte(b))
		}
		out = append(out, t)
	}
	return out, nil
}

func readRS(ri, si item) (*Signature, error) {
	r, err := ri.bigInt("r")
	if err != nil {
		return nil, err
	}
	s, err := si.bigInt("s")
	if err != nil {
		return nil, err
	}
	sig := &Signature{}
	r.FillBytes(sig.R[:])
	s.FillBytes(sig.S[:])
	return sig, nil
}

// fields encodes the transaction's fields without signature, in its type's
// order.
func (tx *Tx) fields() [][]byte {
	to := encBytes(nil)
	if tx.To != nil {
		to = encBytes(tx.To[:])
	}
	common := [][]byte{encUint(tx.Gas), to, encBig(tx.Value), encBytes(tx.Data)}
	switch tx.Type {
	case LegacyTx:
		return append([][]byte{encUint(tx.Nonce), encBig(tx.GasPrice)}, common...)
	case AccessListTx:
		f := append([][]byte{encBig(tx.ChainID), encUint(tx.Nonce), encBig(tx.GasPrice)}, common...)
		return append(f, tx.encAccessList())
	default:
		f := append([][]byte{encBig(tx.ChainID), encUint(tx.Nonce), encBig(tx.MaxPriorityFeePerGas), encBig(tx.MaxFeePerGas)}, common...)
		return append(f, tx.encAccessList())
	}
}

func (tx *Tx) encAccessList() []byte {
	tuples := make([][]byte, len(tx.AccessList))
	for i, t := range tx.AccessList {
		keys := make([][]byte, len(t.StorageKeys))
		for j := range t.StorageKeys {
			keys[j] = encBytes(t.StorageKeys[j][:])
		}
		tuples[i] = appendList(nil, encBytes(t.Address[:]), appendList(nil, keys...))
	}
	return appendList(nil, tuples...)
}

// SigningPayload returns the bytes whose Keccak-256 is signed: for legacy
// transactions RLP(fields) or, with a chain ID, RLP(fields, chainId, 0, 0)
// (EIP-155); for typed ones type ‖ RLP(fields).
func (tx *Tx) SigningPayload() []byte {
	f := tx.fields()
	if tx.Type == LegacyTx {
		if tx.ChainID != nil {
			f = append(f, encBig(tx.ChainID), encBytes(nil), encBytes(nil))
		}
		return appendList(nil, f...)
	}
	return appendList([]byte{byte(tx.Type)}, f...)
}

// SigningHash is Keccak-256 of SigningPayload.
func (tx *Tx) SigningHash() [32]byte { return Keccak256(tx.SigningPayload()) }

// SignedBytes returns the signed transaction, ready to broadcast: for
// legacy ones v is chainId*2+35+recovery (EIP-155) or 27+recovery; typed
// ones append yParity, r and s.
func (tx *Tx) SignedBytes(sig Signature) []byte {
	f := tx.fields()
	r := encBig(new(big.Int).SetBytes(sig.R[:]))
	s := encBig(new(big.Int).SetBytes(sig.S[:]))
	if tx.Type == LegacyTx {
		v := big.NewInt(27 + int64(sig.Recovery))
		if tx.ChainID != nil {
			v = new(big.Int).Lsh(tx.ChainID, 1)
			v.Add(v, big.NewInt(35+int64(sig.Recovery)))
		}
		return appendList(nil, append(f, encBig(v), r, s)...)
	}
	return appendList([]byte{byte(tx.Type)}, append(f, encUint(uint64(sig.Recovery)), r, s)...)
}
