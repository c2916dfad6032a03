package turnkeytest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// verifySecp256k1 checks a sign_raw_payload result against the public key
// (compressed hex) and the digest, including the recovery id.
func verifySecp256k1(t *testing.T, pubHex string, digest []byte, sig *gen.SignRawPayloadOutcome) {
	t.Helper()
	r, err := hex.DecodeString(sig.R)
	require.NoError(t, err)
	s, err := hex.DecodeString(sig.S)
	require.NoError(t, err)
	require.Len(t, r, 32)
	require.Len(t, s, 32)
	pubBytes, err := hex.DecodeString(pubHex)
	require.NoError(t, err)
	pub, err := secp256k1.ParsePubKey(pubBytes)
	require.NoError(t, err)

	var rs, ss secp256k1.ModNScalar
	require.False(t, rs.SetByteSlice(r))
	require.False(t, ss.SetByteSlice(s))
	require.False(t, ss.IsOverHalfOrder(), "s must be low")
	require.True(t, ecdsa.NewSignature(&rs, &ss).Verify(digest, pub), "signature does not verify")

	v, err := hex.DecodeString(sig.V)
	require.NoError(t, err)
	require.Len(t, v, 1)
	require.LessOrEqual(t, v[0], byte(1))
	compact := append([]byte{27 + v[0]}, append(r, s...)...)
	recovered, _, err := ecdsa.RecoverCompact(compact, digest)
	require.NoError(t, err)
	require.True(t, recovered.IsEqual(pub), "v does not recover the public key")
}

func TestWalletSignAndVerify(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)

	res, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "main", Accounts: []gen.WalletAccountParams{
		ethAccount("m/44'/60'/0'/0/0"), ethAccount("m/44'/60'/0'/0/1"), solanaAccount("m/44'/501'/0'/0'"),
	}})
	require.NoError(t, err)
	require.Equal(t, gen.ActivityStatusCompleted, act.Status)
	require.Equal(t, gen.ActivityType("ACTIVITY_TYPE_CREATE_WALLET"), act.Type)
	require.NotNil(t, act.Intent.CreateWalletIntent)
	require.Equal(t, "main", act.Intent.CreateWalletIntent.WalletName)
	require.Len(t, res.Addresses, 3)
	require.Regexp(t, `^0x[0-9a-fA-F]{40}$`, res.Addresses[0])
	require.NotEqual(t, res.Addresses[0], res.Addresses[1])
	require.Equal(t, res.Addresses[0], eip55(mustHex(t, res.Addresses[0][2:])), "EIP-55 checksummed")

	eth, err := c.GetWalletAccount(ctx, gen.GetWalletAccountRequest{WalletID: res.WalletID, Address: &res.Addresses[0]})
	require.NoError(t, err)
	require.Equal(t, "m/44'/60'/0'/0/0", eth.Account.Path)
	require.NotNil(t, eth.Account.PublicKey)

	// secp256k1 with KECCAK256, signing with the (lower-cased) address.
	msg := []byte("hello turnkey")
	sig, _, err := c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: res.Addresses[0], Payload: hex.EncodeToString(msg),
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionKeccak256})
	require.NoError(t, err)
	digest := keccak256(msg)
	verifySecp256k1(t, *eth.Account.PublicKey, digest[:], sig)

	// SHA256 over UTF-8 text, and NO_OP over a 32-byte digest.
	sig, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: res.Addresses[0], Payload: "text",
		Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionSha256})
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("text"))
	verifySecp256k1(t, *eth.Account.PublicKey, sum[:], sig)
	sig, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: res.Addresses[0], Payload: "0x" + hex.EncodeToString(sum[:]),
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp})
	require.NoError(t, err)
	verifySecp256k1(t, *eth.Account.PublicKey, sum[:], sig)

	// ed25519 signs the payload itself: r ‖ s is the signature.
	sol, err := c.GetWalletAccount(ctx, gen.GetWalletAccountRequest{WalletID: res.WalletID, Path: ptr("m/44'/501'/0'/0'")})
	require.NoError(t, err)
	require.Equal(t, res.Addresses[2], sol.Account.Address)
	require.Equal(t, base58(mustHex(t, *sol.Account.PublicKey)), sol.Account.Address)
	sig, _, err = c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: sol.Account.Address, Payload: hex.EncodeToString(msg),
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNotApplicable})
	require.NoError(t, err)
	require.Equal(t, "00", sig.V)
	edSig := mustHex(t, sig.R+sig.S)
	require.True(t, ed25519.Verify(mustHex(t, *sol.Account.PublicKey), msg, edSig))

	// Several payloads at once.
	sigs, _, err := c.SignRawPayloads(ctx, gen.SignRawPayloadsIntent{SignWith: res.Addresses[1], Payloads: []string{"a", "b"},
		Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionKeccak256})
	require.NoError(t, err)
	require.Len(t, *sigs.Signatures, 2)
	acct1, err := c.GetWalletAccount(ctx, gen.GetWalletAccountRequest{WalletID: res.WalletID, Address: &res.Addresses[1]})
	require.NoError(t, err)
	for i, p := range []string{"a", "b"} {
		d := keccak256([]byte(p))
		verifySecp256k1(t, *acct1.Account.PublicKey, d[:], &(*sigs.Signatures)[i])
	}
}

func TestSigningErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	res, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w", Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0"), solanaAccount("m/44'/501'/0'/0'")}})
	require.NoError(t, err)
	eth, sol := res.Addresses[0], res.Addresses[1]

	// Static mistakes are refused at once, with HTTP 400.
	for _, p := range []gen.SignRawPayloadIntentV2{
		{SignWith: eth, Payload: "zz", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionSha256},
		{SignWith: eth, Payload: "{}", Encoding: gen.PayloadEncodingEip712, HashFunction: gen.HashFunctionNoOp},
		{SignWith: eth, Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: "HASH_FUNCTION_MD5"},
		{SignWith: "", Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionSha256},
	} {
		_, _, err := c.SignRawPayload(ctx, p)
		apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	}
	// Mistakes that depend on the key fail the activity.
	for _, p := range []gen.SignRawPayloadIntentV2{
		{SignWith: eth, Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp},
		{SignWith: eth, Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNotApplicable},
		{SignWith: sol, Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionSha256},
		{SignWith: "0xdeadbeef", Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionSha256},
	} {
		_, act, err := c.SignRawPayload(ctx, p)
		require.ErrorIs(t, err, sdk.ErrActivityFailed)
		require.Equal(t, gen.ActivityStatusFailed, act.Status)
		require.NotEmpty(t, *act.Failure.Message)
	}
}

func TestWalletLifecycle(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)

	res, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w1", MnemonicLength: ptr(int32(24)), Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	require.Empty(t, res.Addresses)

	more, _, err := c.CreateWalletAccounts(ctx, gen.CreateWalletAccountsIntent{WalletID: res.WalletID, Accounts: []gen.WalletAccountParams{
		ethAccount("m/44'/60'/0'/0/0"), {Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/44'/60'/0'/0/0", AddressFormat: gen.AddressFormatCompressed},
	}})
	require.NoError(t, err)
	require.Len(t, more.Addresses, 2)
	require.Regexp(t, `^0[23][0-9a-f]{64}$`, more.Addresses[1])

	// The same account twice fails; a non-persisted derivation leaves no trace.
	_, _, err = c.CreateWalletAccounts(ctx, gen.CreateWalletAccountsIntent{WalletID: res.WalletID, Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	preview, _, err := c.CreateWalletAccounts(ctx, gen.CreateWalletAccountsIntent{WalletID: res.WalletID, Persist: ptr(false), Accounts: []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/7")}})
	require.NoError(t, err)
	accts, err := c.ListWalletAccounts(ctx, gen.ListWalletAccountsRequest{WalletID: res.WalletID})
	require.NoError(t, err)
	require.Len(t, accts.Accounts, 2)
	require.NotEqual(t, preview.Addresses[0], accts.Accounts[0].Address)

	// Pagination.
	page, err := c.ListWalletAccounts(ctx, gen.ListWalletAccountsRequest{WalletID: res.WalletID,
		PaginationOptions: &gen.Pagination{Limit: ptr("1"), After: &accts.Accounts[0].WalletAccountID}})
	require.NoError(t, err)
	require.Len(t, page.Accounts, 1)
	require.Equal(t, accts.Accounts[1].WalletAccountID, page.Accounts[0].WalletAccountID)

	// Names are unique; renaming works.
	_, _, err = c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "w1", Accounts: []gen.WalletAccountParams{}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	_, _, err = c.UpdateWallet(ctx, gen.UpdateWalletIntent{WalletID: res.WalletID, WalletName: ptr("renamed")})
	require.NoError(t, err)
	w, err := c.GetWallet(ctx, gen.GetWalletRequest{WalletID: res.WalletID})
	require.NoError(t, err)
	require.Equal(t, "renamed", w.Wallet.WalletName)
	require.False(t, w.Wallet.Exported)

	// Deleting an unexported wallet needs deleteWithoutExport.
	_, _, err = c.DeleteWallets(ctx, gen.DeleteWalletsIntent{WalletIds: []string{res.WalletID}})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "deleteWithoutExport")
	_, _, err = c.DeleteWallets(ctx, gen.DeleteWalletsIntent{WalletIds: []string{res.WalletID}, DeleteWithoutExport: ptr(true)})
	require.NoError(t, err)
	_, err = c.GetWallet(ctx, gen.GetWalletRequest{WalletID: res.WalletID})
	require.ErrorIs(t, err, sdk.ErrNotFound)
	list, err := c.ListWallets(ctx, gen.ListWalletsRequest{})
	require.NoError(t, err)
	require.Empty(t, list.Wallets)
}

func TestWalletParameterErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	for name, acct := range map[string]gen.WalletAccountParams{
		"not simulated format": {Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "m/0", AddressFormat: gen.AddressFormatBitcoinMainnetP2Wpkh},
		"wrong curve":          {Curve: gen.CurveEd25519, PathFormat: gen.PathFormatBip32, Path: "m/0", AddressFormat: gen.AddressFormatEthereum},
		"p256":                 {Curve: gen.CurveP256, PathFormat: gen.PathFormatBip32, Path: "m/0", AddressFormat: gen.AddressFormatCompressed},
		"bad path":             {Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: "44/60", AddressFormat: gen.AddressFormatEthereum},
	} {
		_, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: name, Accounts: []gen.WalletAccountParams{acct}})
		ae := apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
		if name == "not simulated format" {
			require.Contains(t, ae.Message, "address format ADDRESS_FORMAT_BITCOIN_MAINNET_P2WPKH is not simulated")
		}
	}
	_, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "x", MnemonicLength: ptr(int32(13))})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	require.Zero(t, s.Stats().ActivitiesCreated)
}

func TestPrivateKeys(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	res, _, err := c.CreatePrivateKeys(ctx, gen.CreatePrivateKeysIntentV2{PrivateKeys: []gen.PrivateKeyParams{
		{PrivateKeyName: "k1", Curve: gen.CurveSecp256K1, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum, gen.AddressFormatUncompressed}, PrivateKeyTags: []string{}},
		{PrivateKeyName: "ed", Curve: gen.CurveEd25519, AddressFormats: []gen.AddressFormat{}, PrivateKeyTags: []string{}},
	}})
	require.NoError(t, err)
	require.Len(t, res.PrivateKeys, 2)
	k1ID := *res.PrivateKeys[0].PrivateKeyID
	require.Len(t, *res.PrivateKeys[0].Addresses, 2)

	pk, err := c.GetPrivateKey(ctx, gen.GetPrivateKeyRequest{PrivateKeyID: k1ID})
	require.NoError(t, err)
	require.Equal(t, gen.CurveSecp256K1, pk.PrivateKey.Curve)

	// Sign by private key ID, and by its address.
	for _, signWith := range []string{k1ID, *(*res.PrivateKeys[0].Addresses)[0].Address} {
		sig, _, err := c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: signWith, Payload: "hi",
			Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionSha256})
		require.NoError(t, err)
		d := sha256.Sum256([]byte("hi"))
		verifySecp256k1(t, pk.PrivateKey.PublicKey, d[:], sig)
	}
	edID := *res.PrivateKeys[1].PrivateKeyID
	ed, err := c.GetPrivateKey(ctx, gen.GetPrivateKeyRequest{PrivateKeyID: edID})
	require.NoError(t, err)
	sig, _, err := c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{SignWith: edID, Payload: "hi",
		Encoding: gen.PayloadEncodingTextUTF8, HashFunction: gen.HashFunctionNotApplicable})
	require.NoError(t, err)
	require.True(t, ed25519.Verify(mustHex(t, ed.PrivateKey.PublicKey), []byte("hi"), mustHex(t, sig.R+sig.S)))

	// Tags.
	tagRes, _, err := c.CreatePrivateKeyTag(ctx, gen.CreatePrivateKeyTagIntent{PrivateKeyTagName: "hot", PrivateKeyIds: []string{k1ID}})
	require.NoError(t, err)
	pk, err = c.GetPrivateKey(ctx, gen.GetPrivateKeyRequest{PrivateKeyID: k1ID})
	require.NoError(t, err)
	require.Equal(t, []string{tagRes.PrivateKeyTagID}, pk.PrivateKey.PrivateKeyTags)
	_, _, err = c.UpdatePrivateKeyTag(ctx, gen.UpdatePrivateKeyTagIntent{PrivateKeyTagID: tagRes.PrivateKeyTagID, NewPrivateKeyTagName: ptr("cold"),
		AddPrivateKeyIds: []string{edID}, RemovePrivateKeyIds: []string{k1ID}})
	require.NoError(t, err)
	tags, err := c.ListPrivateKeyTags(ctx, gen.ListPrivateKeyTagsRequest{})
	require.NoError(t, err)
	require.Len(t, tags.PrivateKeyTags, 1)
	require.Equal(t, "cold", tags.PrivateKeyTags[0].TagName)
	del, _, err := c.DeletePrivateKeyTags(ctx, gen.DeletePrivateKeyTagsIntent{PrivateKeyTagIds: []string{tagRes.PrivateKeyTagID}})
	require.NoError(t, err)
	require.Equal(t, []string{edID}, del.PrivateKeyIds)

	list, err := c.ListPrivateKeys(ctx, gen.ListPrivateKeysRequest{})
	require.NoError(t, err)
	require.Len(t, list.PrivateKeys, 2)
	_, _, err = c.DeletePrivateKeys(ctx, gen.DeletePrivateKeysIntent{PrivateKeyIds: []string{k1ID, edID}, DeleteWithoutExport: ptr(true)})
	require.NoError(t, err)
	list, err = c.ListPrivateKeys(ctx, gen.ListPrivateKeysRequest{})
	require.NoError(t, err)
	require.Empty(t, list.PrivateKeys)
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}
