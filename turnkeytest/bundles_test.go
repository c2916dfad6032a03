package turnkeytest

import (
	"crypto/ed25519"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/internal/chain/solana"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

func TestReadWriteSession(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)

	res, _, err := c.CreateReadWriteSessionRaw(ctx, gen.CreateReadWriteSessionIntentV2{TargetPublicKey: target.PublicKeyHex(), ExpirationSeconds: ptr("60")})
	require.NoError(t, err)
	require.Equal(t, s.Root().OrganizationID, res.OrganizationID)
	require.Equal(t, s.Root().UserID, res.UserID)
	require.Equal(t, "root", res.Username)

	secret, err := enclave.DecryptCredentialBundle(res.CredentialBundle, target)
	require.NoError(t, err)
	sessionKey, err := stamp.ParseAPIKey(stamp.CurveP256, secret.PrivateKeyHex())
	require.NoError(t, err)
	require.Equal(t, secret.CompressedPublicKeyHex(), sessionKey.PublicKey())

	// The session key stamps requests as the user...
	session := newClient(t, s, sdk.WithStamper(sessionKey))
	who, err := session.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, s.Root().UserID, who.UserID)
	_, _, err = session.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "from session", Accounts: []gen.WalletAccountParams{}})
	require.NoError(t, err)
	// ...and is listed as a session key with its expiry.
	key, err := c.GetAPIKey(ctx, gen.GetAPIKeyRequest{APIKeyID: res.APIKeyID})
	require.NoError(t, err)
	require.Equal(t, gen.CredentialTypeReadWriteSessionKeyP256, key.APIKey.Credential.Type)
	require.Equal(t, "60", *key.APIKey.ExpirationSeconds)

	// The sdk's end-to-end CreateReadWriteSession works against the
	// simulator; invalidateExisting removes the earlier session keys.
	sess, err := c.CreateReadWriteSession(ctx, gen.CreateReadWriteSessionIntentV2{InvalidateExisting: ptr(true)})
	require.NoError(t, err)
	who, err = sess.Client.Whoami(ctx, gen.WhoamiRequest{})
	require.NoError(t, err)
	require.Equal(t, s.Root().UserID, who.UserID)
	_, err = session.Whoami(ctx, gen.WhoamiRequest{})
	require.ErrorIs(t, err, sdk.ErrUnauthenticated)

	_, _, err = c.CreateReadWriteSessionRaw(ctx, gen.CreateReadWriteSessionIntentV2{TargetPublicKey: "04abcd"})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
}

func TestExportAndImportWallet(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	org, user := s.Root().OrganizationID, s.Root().UserID
	signer := enclave.WithSignerPublicKey(s.EnclaveSignerPublicKey())
	accounts := []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0"), solanaAccount("m/44'/501'/0'/0'")}

	orig, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "orig", Accounts: accounts, MnemonicLength: ptr(int32(24))})
	require.NoError(t, err)
	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)
	exp, _, err := c.ExportWalletRaw(ctx, gen.ExportWalletIntent{WalletID: orig.WalletID, TargetPublicKey: target.PublicKeyHex()})
	require.NoError(t, err)
	plain, err := enclave.DecryptExportBundle(exp.ExportBundle, target, org, signer)
	require.NoError(t, err)
	mnemonic := plain.Mnemonic()
	require.Len(t, strings.Fields(mnemonic), 24)
	w, err := c.GetWallet(ctx, gen.GetWalletRequest{WalletID: orig.WalletID})
	require.NoError(t, err)
	require.True(t, w.Wallet.Exported)

	// Bundles are signed by the simulator's signer, not Turnkey's.
	_, err = enclave.DecryptExportBundle(exp.ExportBundle, target, org)
	require.ErrorIs(t, err, enclave.ErrSignerMismatch)

	// Importing the mnemonic gives the same accounts.
	initRes, _, err := c.InitImportWallet(ctx, gen.InitImportWalletIntent{UserID: user})
	require.NoError(t, err)
	encrypted, err := enclave.EncryptMnemonicForImport(initRes.ImportBundle, mnemonic, org, user, signer)
	require.NoError(t, err)
	imp, _, err := c.ImportWalletRaw(ctx, gen.ImportWalletIntent{UserID: user, WalletName: "imported", EncryptedBundle: encrypted, Accounts: accounts})
	require.NoError(t, err)
	require.Equal(t, orig.Addresses, imp.Addresses)
	w, err = c.GetWallet(ctx, gen.GetWalletRequest{WalletID: imp.WalletID})
	require.NoError(t, err)
	require.True(t, w.Wallet.Imported)

	// The import bundle's key is used up.
	_, _, err = c.ImportWalletRaw(ctx, gen.ImportWalletIntent{UserID: user, WalletName: "twice", EncryptedBundle: encrypted, Accounts: accounts})
	require.ErrorIs(t, err, sdk.ErrActivityFailed)
	require.ErrorContains(t, err, "init_import_wallet")

	// Exporting an account gives its private key.
	exp2, _, err := c.ExportWalletAccountRaw(ctx, gen.ExportWalletAccountIntent{Address: orig.Addresses[1], TargetPublicKey: target.PublicKeyHex()})
	require.NoError(t, err)
	plain, err = enclave.DecryptExportBundle(exp2.ExportBundle, target, org, signer)
	require.NoError(t, err)
	edPub := ed25519.NewKeyFromSeed(plain.Bytes()).Public().(ed25519.PublicKey)
	require.Equal(t, orig.Addresses[1], solana.Base58(edPub))
}

func TestExportAndImportPrivateKey(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	org, user := s.Root().OrganizationID, s.Root().UserID
	signer := enclave.WithSignerPublicKey(s.EnclaveSignerPublicKey())
	target, err := enclave.GenerateTargetKey()
	require.NoError(t, err)

	created, _, err := c.CreatePrivateKeys(ctx, gen.CreatePrivateKeysIntentV2{PrivateKeys: []gen.PrivateKeyParams{
		{PrivateKeyName: "k", Curve: gen.CurveSecp256K1, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum}, PrivateKeyTags: []string{}}}})
	require.NoError(t, err)
	id := *created.PrivateKeys[0].PrivateKeyID
	exp, _, err := c.ExportPrivateKeyRaw(ctx, gen.ExportPrivateKeyIntent{PrivateKeyID: id, TargetPublicKey: target.PublicKeyHex()})
	require.NoError(t, err)
	plain, err := enclave.DecryptExportBundle(exp.ExportBundle, target, org, signer)
	require.NoError(t, err)
	pk, err := c.GetPrivateKey(ctx, gen.GetPrivateKeyRequest{PrivateKeyID: id})
	require.NoError(t, err)
	require.True(t, pk.PrivateKey.Exported)
	require.Equal(t, pk.PrivateKey.PublicKey, hex.EncodeToString(secp256k1.PrivKeyFromBytes(plain.Bytes()).PubKey().SerializeCompressed()))

	// Exported keys may be deleted without deleteWithoutExport; the import
	// brings back the same address.
	_, _, err = c.DeletePrivateKeys(ctx, gen.DeletePrivateKeysIntent{PrivateKeyIds: []string{id}})
	require.NoError(t, err)
	initRes, _, err := c.InitImportPrivateKey(ctx, gen.InitImportPrivateKeyIntent{UserID: user})
	require.NoError(t, err)
	encrypted, err := enclave.EncryptPrivateKeyForImport(initRes.ImportBundle, plain.PrivateKeyHex(), org, user, signer)
	require.NoError(t, err)
	imp, _, err := c.ImportPrivateKeyRaw(ctx, gen.ImportPrivateKeyIntent{UserID: user, PrivateKeyName: "k", Curve: gen.CurveSecp256K1,
		EncryptedBundle: encrypted, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum}})
	require.NoError(t, err)
	require.Equal(t, *(*created.PrivateKeys[0].Addresses)[0].Address, *imp.Addresses[0].Address)
}

// The sdk's end-to-end export and import wrappers trust the simulator's
// signer through Server.Client.
func TestSDKExportImportWrappers(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	accounts := []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}
	orig, _, err := c.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "orig", Accounts: accounts})
	require.NoError(t, err)
	exp, _, err := c.ExportWallet(ctx, gen.ExportWalletIntent{WalletID: orig.WalletID})
	require.NoError(t, err)
	imp, _, err := c.ImportWallet(ctx, gen.ImportWalletIntent{UserID: s.Root().UserID, WalletName: "copy", Accounts: accounts}, exp.Mnemonic())
	require.NoError(t, err)
	require.Equal(t, orig.Addresses, imp.Addresses)

	key, _, err := c.ExportWalletAccount(ctx, gen.ExportWalletAccountIntent{Address: orig.Addresses[0]})
	require.NoError(t, err)
	pk, _, err := c.ImportPrivateKey(ctx, gen.ImportPrivateKeyIntent{UserID: s.Root().UserID, PrivateKeyName: "from account",
		Curve: gen.CurveSecp256K1, AddressFormats: []gen.AddressFormat{gen.AddressFormatEthereum}}, key.PrivateKeyHex())
	require.NoError(t, err)
	require.Equal(t, orig.Addresses[0], *pk.Addresses[0].Address)
}
