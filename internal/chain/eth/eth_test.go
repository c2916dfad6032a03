package eth

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeccak256KnownAnswers(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
		"abc":                               "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
		"Transfer(address,address,uint256)": "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
	} {
		got := Keccak256([]byte(in[:len(in)/2]), []byte(in[len(in)/2:]))
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("Keccak256(%q) = %x, want %s", in, got, want)
		}
	}
}

func TestAddressEIP55(t *testing.T) {
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		var a Address
		copy(a[:], unhex(t, strings.ToLower(want)))
		if got := a.String(); got != want {
			t.Errorf("String = %s, want %s", got, want)
		}
	}
	k := secp256k1.PrivKeyFromBytes(append(make([]byte, 31), 1))
	if got := AddressOf(k.PubKey().SerializeUncompressed()).String(); got != "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf" {
		t.Fatal(got)
	}
}

// The example of EIP-155: its signing payload, hash and signed transaction.
func TestEIP155Example(t *testing.T) {
	const (
		payload = "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"
		hash    = "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"
		signed  = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
	)
	tx, err := ParseUnsigned(unhex(t, payload))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Type != LegacyTx || tx.ChainID.Int64() != 1 || tx.Nonce != 9 || tx.Gas != 21000 ||
		tx.GasPrice.Int64() != 20e9 || tx.Value.String() != "1000000000000000000" || len(tx.Data) != 0 ||
		tx.To.String() != "0x3535353535353535353535353535353535353535" {
		t.Fatalf("parsed %+v", tx)
	}
	if got := hex.EncodeToString(tx.SigningPayload()); got != payload {
		t.Fatalf("payload %s", got)
	}
	if h := tx.SigningHash(); hex.EncodeToString(h[:]) != hash {
		t.Fatalf("hash %x", h)
	}
	key := secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{0x46}, 32))
	if got := hex.EncodeToString(Sign(tx, key)); got != signed {
		t.Fatalf("signed\n%s\nwant\n%s", got, signed)
	}
	back, sig, err := ParseSigned(unhex(t, signed))
	if err != nil || back.ChainID.Int64() != 1 || sig.Recovery != 0 {
		t.Fatalf("%+v %+v %v", back, sig, err)
	}
}

// recover returns the sender of a signed transaction from its signature
// and the Keccak-256 of the given signing payload.
func recoverSender(t *testing.T, payload []byte, sig *Signature) string {
	t.Helper()
	h := Keccak256(payload)
	compact := append(append([]byte{27 + sig.Recovery}, sig.R[:]...), sig.S[:]...)
	pub, _, err := ecdsa.RecoverCompact(compact, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return AddressOf(pub.SerializeUncompressed()).String()
}

func TestTypedRoundTrip(t *testing.T) {
	key := secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{0x07}, 32))
	from := AddressOf(key.PubKey().SerializeUncompressed()).String()
	to := Address(bytes.Repeat([]byte{0xab}, 20))
	for _, tx := range []*Tx{
		{Type: DynamicFeeTx, ChainID: big.NewInt(11155111), Nonce: 3, MaxPriorityFeePerGas: big.NewInt(1e9), MaxFeePerGas: big.NewInt(3e10),
			Gas: 60000, To: &to, Value: big.NewInt(12345), Data: []byte{0xa9, 0x05, 0x9c, 0xbb},
			AccessList: []AccessTuple{{Address: to, StorageKeys: [][32]byte{{1}, {2}}}}},
		{Type: AccessListTx, ChainID: big.NewInt(1), Nonce: 0, GasPrice: big.NewInt(7), Gas: 21000, Value: new(big.Int), Data: bytes.Repeat([]byte{1}, 100),
			AccessList: []AccessTuple{}},
		{Type: LegacyTx, Nonce: 1, GasPrice: big.NewInt(1), Gas: 21000, To: &to, Value: big.NewInt(1), Data: []byte{}},
	} {
		payload := tx.SigningPayload()
		parsed, err := ParseUnsigned(payload)
		if err != nil {
			t.Fatalf("%v: %v", tx.Type, err)
		}
		if !bytes.Equal(parsed.SigningPayload(), payload) {
			t.Fatalf("%v: payload does not round-trip", tx.Type)
		}
		signed := Sign(parsed, key)
		back, sig, err := ParseSigned(signed)
		if err != nil {
			t.Fatalf("%v: %v", tx.Type, err)
		}
		if !bytes.Equal(back.SigningPayload(), payload) {
			t.Fatalf("%v: signed transaction changed its fields", tx.Type)
		}
		if got := recoverSender(t, payload, sig); got != from {
			t.Fatalf("%v: sender %s, want %s", tx.Type, got, from)
		}
		if _, err := ParseUnsigned(signed); !errors.Is(err, ErrSigned) {
			t.Fatalf("%v: ParseUnsigned(signed) = %v", tx.Type, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		hex  string
		want error
	}{
		{"", ErrRLP},
		{"03c0", ErrUnsupportedType},
		{"04c0", ErrUnsupportedType},
		{"02c0", ErrRLP},
		{"c0", ErrRLP},
		{"c3010203", ErrRLP},
		{"02c9018081", ErrRLP},          // truncated
		{"c7808080808080", ErrRLP},      // 6 fields but one missing byte
		{"c6808080808181", ErrRLP},      // non-canonical single byte
		{"c68000808080" + "80", ErrRLP}, // leading zero nonce is 0x00, not canonical
	} {
		if _, err := ParseUnsigned(unhex(t, c.hex)); !errors.Is(err, c.want) {
			t.Errorf("ParseUnsigned(%s) = %v, want %v", c.hex, err, c.want)
		}
	}
}
