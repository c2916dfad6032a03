package turnkeytest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/sha3"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// A minimal RLP encoder and decoder of the test's own, so that what is
// checked does not depend on the simulator's transaction code.

func rlpStr(b []byte) []byte {
	if len(b) == 1 && b[0] < 0x80 {
		return b
	}
	return append(rlpHeader(0x80, len(b)), b...)
}

func rlpUint(v uint64) []byte { return rlpStr(new(big.Int).SetUint64(v).Bytes()) }

func rlpHeader(base byte, n int) []byte {
	if n <= 55 {
		return []byte{base + byte(n)}
	}
	l := big.NewInt(int64(n)).Bytes()
	return append([]byte{base + 55 + byte(len(l))}, l...)
}

func rlpList(items ...[]byte) []byte {
	body := bytes.Join(items, nil)
	return append(rlpHeader(0xc0, len(body)), body...)
}

// rlpItems splits the top-level list of b into its items' payloads.
func rlpItems(t *testing.T, b []byte) [][]byte {
	t.Helper()
	body, rest := rlpNext(t, b)
	require.Empty(t, rest)
	var out [][]byte
	for len(body) > 0 {
		var item []byte
		item, body = rlpNext(t, body)
		out = append(out, item)
	}
	return out
}

// rlpNext returns the payload of the first item of b and what follows it.
func rlpNext(t *testing.T, b []byte) ([]byte, []byte) {
	t.Helper()
	require.NotEmpty(t, b)
	p := b[0]
	var hdr, n int
	switch {
	case p < 0x80:
		return b[:1], b[1:]
	case p <= 0xb7:
		hdr, n = 1, int(p-0x80)
	case p < 0xc0:
		ll := int(p - 0xb7)
		hdr, n = 1+ll, int(new(big.Int).SetBytes(b[1:1+ll]).Int64())
	case p <= 0xf7:
		hdr, n = 1, int(p-0xc0)
	default:
		ll := int(p - 0xf7)
		hdr, n = 1+ll, int(new(big.Int).SetBytes(b[1:1+ll]).Int64())
	}
	require.GreaterOrEqual(t, len(b), hdr+n)
	return b[hdr : hdr+n], b[hdr+n:]
}

func keccak(b []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	return h.Sum(nil)
}

// recoverEthSender recovers the address that signed digest with r, s and
// recovery id rec, with decred's public-key recovery.
func recoverEthSender(t *testing.T, digest, r, s []byte, rec byte) string {
	t.Helper()
	compact := make([]byte, 65)
	compact[0] = 27 + rec
	copy(compact[33-len(r):33], r)
	copy(compact[65-len(s):], s)
	pub, _, err := ecdsa.RecoverCompact(compact, digest)
	require.NoError(t, err)
	return "0x" + hex.EncodeToString(keccak(pub.SerializeUncompressed()[1:])[12:])
}

func signTx(t *testing.T, c *sdk.Client, signWith string, typ gen.TransactionType, unsigned []byte) ([]byte, error) {
	t.Helper()
	res, _, err := c.SignTransaction(testContext(t), gen.SignTransactionIntentV2{SignWith: signWith, Type: typ,
		UnsignedTransaction: hex.EncodeToString(unsigned)})
	if err != nil {
		return nil, err
	}
	out, err := hex.DecodeString(res.SignedTransaction)
	require.NoError(t, err)
	return out, nil
}

func TestSignEthereumTransactions(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	res, err := importMnemonic(t, s, "eth", testMnemonic, []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")})
	require.NoError(t, err)
	from := res.Addresses[0]
	require.Equal(t, testEthAddress0, from)

	to := bytes.Repeat([]byte{0x35}, 20)
	data, _ := hex.DecodeString("a9059cbb000000000000000000000000353535353535353535353535353535353535353500000000000000000000000000000000000000000000000000000000000003e8")
	accessList := rlpList(rlpList(rlpStr(to), rlpList(rlpStr(bytes.Repeat([]byte{1}, 32)))))
	gwei := func(n uint64) []byte { return rlpUint(n * 1e9) }

	for _, tc := range []struct {
		name   string
		fields [][]byte // unsigned fields
		prefix []byte   // EIP-2718 type byte
	}{
		{"EIP-1559", [][]byte{rlpUint(11155111), rlpUint(7), gwei(2), gwei(40), rlpUint(65000), rlpStr(to), rlpUint(0), rlpStr(data), accessList}, []byte{0x02}},
		{"EIP-2930", [][]byte{rlpUint(1), rlpUint(0), gwei(30), rlpUint(50000), rlpStr(to), rlpUint(1e15), rlpStr(nil), accessList}, []byte{0x01}},
		{"legacy EIP-155", [][]byte{rlpUint(9), gwei(20), rlpUint(21000), rlpStr(to), rlpUint(1e18), rlpStr(nil), rlpUint(137), rlpStr(nil), rlpStr(nil)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unsigned := append(append([]byte{}, tc.prefix...), rlpList(tc.fields...)...)
			signed, err := signTx(t, c, from, gen.TransactionTypeEthereum, unsigned)
			require.NoError(t, err)
			require.True(t, bytes.HasPrefix(signed, tc.prefix))
			items := rlpItems(t, signed[len(tc.prefix):])
			// Every transaction type signs the Keccak-256 of its unsigned form.
			digest := keccak(unsigned)
			var rec byte
			n := len(tc.fields)
			if tc.prefix == nil { // legacy: chainId, 0, 0 become v, r, s with v = chainId*2 + 35 + recovery
				n -= 3
				v := new(big.Int).SetBytes(items[n]).Int64()
				require.Contains(t, []int64{137*2 + 35, 137*2 + 36}, v)
				rec = byte(v - 137*2 - 35)
			} else {
				require.Len(t, items, n+3)
				if len(items[n]) == 1 {
					rec = items[n][0]
				}
			}
			require.Len(t, items, n+3)
			// The signed transaction keeps every field of the unsigned one.
			unsignedItems := rlpItems(t, unsigned[len(tc.prefix):])
			require.Equal(t, unsignedItems[:n], items[:n])
			got := recoverEthSender(t, digest, items[n+1], items[n+2], rec)
			require.True(t, strings.EqualFold(from, got), "recovered sender %s, want %s", got, from)
			// Low S, as Ethereum requires (EIP-2).
			halfN, _ := new(big.Int).SetString("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16)
			require.LessOrEqual(t, new(big.Int).SetBytes(items[n+2]).Cmp(halfN), 0)
		})
	}

	// A pre-EIP-155 legacy transaction (6 fields) gets v = 27 or 28.
	unsigned := rlpList(rlpUint(0), gwei(1), rlpUint(21000), rlpStr(to), rlpUint(1), rlpStr(nil))
	signed, err := signTx(t, c, strings.ToLower(from), gen.TransactionTypeEthereum, unsigned)
	require.NoError(t, err)
	items := rlpItems(t, signed)
	require.Len(t, items, 9)
	v := new(big.Int).SetBytes(items[6]).Int64()
	require.Contains(t, []int64{27, 28}, v)
	require.True(t, strings.EqualFold(from, recoverEthSender(t, keccak(unsigned), items[7], items[8], byte(v-27))))
}

// solanaTransfer is a system-program transfer message from the given
// signer, written out by hand in the Solana wire format.
func solanaTransfer(from []byte, lamports uint64) []byte {
	m := []byte{1, 0, 1, 3} // header: 1 signer, 0 read-only signed, 1 read-only unsigned; 3 keys
	m = append(m, from...)
	m = append(m, bytes.Repeat([]byte{9}, 32)...) // recipient
	m = append(m, make([]byte, 32)...)            // system program
	m = append(m, bytes.Repeat([]byte{0xbb}, 32)...)
	data := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint32(nil, 2), lamports)
	m = append(m, 1, 2, 2, 0, 1, byte(len(data)))
	return append(m, data...)
}

func TestSignSolanaTransaction(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	res, err := importMnemonic(t, s, "sol", testMnemonic, []gen.WalletAccountParams{solanaAccount("m/44'/501'/0'/0'")})
	require.NoError(t, err)
	acct, err := c.GetWalletAccount(testContext(t), gen.GetWalletAccountRequest{WalletID: res.WalletID, Address: &res.Addresses[0]})
	require.NoError(t, err)
	pub := ed25519.PublicKey(mustHex(t, *acct.Account.PublicKey))
	require.Equal(t, testSolAddress, acct.Account.Address)

	msg := solanaTransfer(pub, 5000)
	unsignedTx := append(append([]byte{1}, make([]byte, 64)...), msg...) // one empty signature slot
	for name, input := range map[string][]byte{"transaction": unsignedTx, "message": msg} {
		signed, err := signTx(t, c, testSolAddress, gen.TransactionTypeSolana, input)
		require.NoError(t, err, name)
		require.Equal(t, byte(1), signed[0], name)
		require.Equal(t, msg, signed[65:], "%s: the message is unchanged", name)
		require.True(t, ed25519.Verify(pub, msg, signed[1:65]), "%s: the signature verifies with crypto/ed25519", name)
	}

	// The account must be a signer of the message.
	_, err = signTx(t, c, testSolAddress, gen.TransactionTypeSolana, solanaTransfer(bytes.Repeat([]byte{4}, 32), 1))
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "not a required signer")
}

func TestSignTransactionErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	_, err := importMnemonic(t, s, "w", testMnemonic, []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0"), solanaAccount("m/44'/501'/0'/0'")})
	require.NoError(t, err)
	eth1559 := append([]byte{0x02}, rlpList(rlpUint(1), rlpUint(0), rlpUint(1), rlpUint(1), rlpUint(21000), rlpStr(bytes.Repeat([]byte{1}, 20)), rlpUint(1), rlpStr(nil), rlpList())...)

	for _, tc := range []struct {
		name     string
		signWith string
		typ      gen.TransactionType
		unsigned string
		want     string
	}{
		{"bitcoin", testEthAddress0, gen.TransactionTypeBitcoin, "00", "transaction type TRANSACTION_TYPE_BITCOIN is not simulated (simulated: TRANSACTION_TYPE_ETHEREUM (legacy"},
		{"unknown type", testEthAddress0, "TRANSACTION_TYPE_NOPE", "00", `unknown transaction type "TRANSACTION_TYPE_NOPE"`},
		{"blob tx", testEthAddress0, gen.TransactionTypeEthereum, "03c0", "type 0x03 is not simulated (simulated: TRANSACTION_TYPE_ETHEREUM"},
		{"not hex", testEthAddress0, gen.TransactionTypeEthereum, "zz", "non-empty hex"},
		{"not rlp", testEthAddress0, gen.TransactionTypeEthereum, "02c3", "not an Ethereum transaction"},
		{"not solana", testSolAddress, gen.TransactionTypeSolana, "0102", "not a Solana transaction or message"},
		{"no signWith", "", gen.TransactionTypeEthereum, hex.EncodeToString(eth1559), "signWith is required"},
	} {
		_, _, err := c.SignTransaction(testContext(t), gen.SignTransactionIntentV2{SignWith: tc.signWith, Type: tc.typ, UnsignedTransaction: tc.unsigned})
		require.ErrorIs(t, err, sdk.ErrInvalidArgument, tc.name)
		require.ErrorContains(t, err, tc.want, tc.name)
	}

	// The key must fit the chain; unknown signers fail the activity.
	_, err = signTx(t, c, testSolAddress, gen.TransactionTypeEthereum, eth1559)
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "need a CURVE_SECP256K1 key")
	_, err = signTx(t, c, testEthAddress0, gen.TransactionTypeSolana, solanaTransfer(bytes.Repeat([]byte{4}, 32), 1))
	require.ErrorContains(t, err, "need an CURVE_ED25519 key")
	_, err = signTx(t, c, "0x0000000000000000000000000000000000000001", gen.TransactionTypeEthereum, eth1559)
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "no wallet account address")

	// An already signed transaction is refused.
	signed, err := signTx(t, c, testEthAddress0, gen.TransactionTypeEthereum, eth1559)
	require.NoError(t, err)
	_, err = signTx(t, c, testEthAddress0, gen.TransactionTypeEthereum, signed)
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
	require.ErrorContains(t, err, "already carries a signature")
}

// Private keys sign transactions too, named by ID or address.
func TestSignTransactionWithPrivateKeys(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	created, _, err := c.CreatePrivateKeys(testContext(t), gen.CreatePrivateKeysIntentV2{PrivateKeys: []gen.PrivateKeyParams{
		{PrivateKeyName: "k1", Curve: gen.CurveSecp256K1, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum}, PrivateKeyTags: []string{}},
		{PrivateKeyName: "ed", Curve: gen.CurveEd25519, AddressFormats: []gen.AddressFormat{gen.AddressFormatSolana}, PrivateKeyTags: []string{}},
	}})
	require.NoError(t, err)
	k1, ed := created.PrivateKeys[0], created.PrivateKeys[1]
	ethAddr, solAddr := *(*k1.Addresses)[0].Address, *(*ed.Addresses)[0].Address

	unsigned := append([]byte{0x02}, rlpList(rlpUint(5), rlpUint(0), rlpUint(1), rlpUint(2), rlpUint(21000),
		rlpStr(bytes.Repeat([]byte{2}, 20)), rlpUint(3), rlpStr(nil), rlpList())...)
	signed, err := signTx(t, c, *k1.PrivateKeyID, gen.TransactionTypeEthereum, unsigned)
	require.NoError(t, err)
	items := rlpItems(t, signed[1:])
	var rec byte
	if len(items[9]) == 1 {
		rec = items[9][0]
	}
	require.True(t, strings.EqualFold(ethAddr, recoverEthSender(t, keccak(unsigned), items[10], items[11], rec)))

	pk, err := c.GetPrivateKey(testContext(t), gen.GetPrivateKeyRequest{PrivateKeyID: *ed.PrivateKeyID})
	require.NoError(t, err)
	pub := ed25519.PublicKey(mustHex(t, pk.PrivateKey.PublicKey))
	msg := solanaTransfer(pub, 42)
	for _, signWith := range []string{*ed.PrivateKeyID, solAddr} {
		signed, err := signTx(t, c, signWith, gen.TransactionTypeSolana, msg)
		require.NoError(t, err)
		require.True(t, ed25519.Verify(pub, msg, signed[1:65]))
	}
}
