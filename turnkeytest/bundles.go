package turnkeytest

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/stamp"
)

// The activities that move secrets in and out of the enclave, with real
// bundles from package enclave: credential bundles encrypted to the
// client's target key, and export and import bundles signed by the
// simulator's enclave signer (Server.EnclaveSignerPublicKey).

// defaultSessionSeconds is the lifetime of a read-write session key when the
// request does not say.
const defaultSessionSeconds = 900

func checkTargetPublicKey(hexKey string) error {
	raw, err := hex.DecodeString(hexKey)
	if err == nil {
		_, err = ecdh.P256().NewPublicKey(raw)
	}
	if err != nil {
		return invalidArgument("targetPublicKey must be an uncompressed P-256 public key in hex (65 bytes, starting 04)")
	}
	return nil
}

// userOf returns the user an activity names, or the caller if id is empty.
func userOf(o *org, c *call, id *string) (*user, error) {
	switch {
	case id != nil && *id != "":
		return o.user(*id)
	case c.key.orgID != o.id:
		return nil, invalidArgument("userId is required when acting on organization %s with a key of organization %s", o.id, c.key.orgID)
	}
	return o.user(c.key.userID)
}

// CreateReadWriteSession creates a P-256 session key for a user and returns
// it in a credential bundle encrypted to targetPublicKey (V2).
func (h *handlers) CreateReadWriteSession(ctx context.Context, r gen.CreateReadWriteSessionRequestObject) (gen.CreateReadWriteSessionResponseObject, error) {
	return respond[gen.CreateReadWriteSession200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createReadWriteSession))
}

func (s *Server) createReadWriteSession(c *call, p gen.CreateReadWriteSessionIntentV2) (work, error) {
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	secs := int64(defaultSessionSeconds)
	if p.ExpirationSeconds != nil && *p.ExpirationSeconds != "" {
		n, err := strconv.ParseInt(*p.ExpirationSeconds, 10, 64)
		if err != nil || n <= 0 || n > maxExpirationSeconds {
			return nil, invalidArgument("expirationSeconds %q must be a positive number of seconds, at most %d", *p.ExpirationSeconds, int64(maxExpirationSeconds))
		}
		secs = n
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := userOf(o, c, p.UserID)
		if err != nil {
			return nil, err
		}
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		scalar, err := priv.Bytes()
		if err != nil {
			return nil, err
		}
		defer clear(scalar)
		bundle, err := enclave.EncryptCredentialBundle(p.TargetPublicKey, scalar)
		if err != nil {
			return nil, invalidArgument("%v", err)
		}
		if p.InvalidateExisting != nil && *p.InvalidateExisting {
			for _, k := range u.apiKeys {
				if k.credType == gen.CredentialTypeReadWriteSessionKeyP256 {
					st.removeKey(k)
				}
			}
		}
		name := fmt.Sprintf("read-write session %s", now.UTC().Format(time.RFC3339))
		if p.APIKeyName != nil && *p.APIKeyName != "" {
			name = *p.APIKeyName
		}
		exp := strconv.FormatInt(secs, 10)
		pub, err := priv.PublicKey.Bytes()
		if err != nil {
			return nil, err
		}
		k := &apiKey{name: name, publicKey: compressP256(pub), curve: stamp.CurveP256,
			credType: gen.CredentialTypeReadWriteSessionKeyP256, expiration: &exp, expiresAt: now.Add(time.Duration(secs) * time.Second)}
		if err := st.addKey(u, k, now); err != nil {
			return nil, err
		}
		return gen.CreateReadWriteSessionResultV2{APIKeyID: k.id, CredentialBundle: bundle,
			OrganizationID: o.id, OrganizationName: o.name, UserID: u.id, Username: u.name}, nil
	}), nil
}

// ExportWallet returns a wallet's mnemonic in an export bundle.
func (h *handlers) ExportWallet(ctx context.Context, r gen.ExportWalletRequestObject) (gen.ExportWalletResponseObject, error) {
	return respond[gen.ExportWallet200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.exportWallet))
}

func (s *Server) exportWallet(c *call, p gen.ExportWalletIntent) (work, error) {
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	if p.Language != nil && *p.Language != "" && *p.Language != gen.MnemonicLanguageEnglish {
		return nil, invalidArgument("mnemonic language %s is not simulated (simulated: %s)", *p.Language, gen.MnemonicLanguageEnglish)
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		w, err := o.wallet(p.WalletID)
		if err != nil {
			return nil, err
		}
		bundle, err := s.signer.SealExportBundle(p.TargetPublicKey, []byte(w.mnemonic), o.id)
		if err != nil {
			return nil, invalidArgument("%v", err)
		}
		w.exported = true
		return gen.ExportWalletOutcome{WalletID: w.id, ExportBundle: bundle}, nil
	}), nil
}

// ExportPrivateKey returns a private key's 32 bytes in an export bundle.
func (h *handlers) ExportPrivateKey(ctx context.Context, r gen.ExportPrivateKeyRequestObject) (gen.ExportPrivateKeyResponseObject, error) {
	return respond[gen.ExportPrivateKey200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.exportPrivateKey))
}

func (s *Server) exportPrivateKey(c *call, p gen.ExportPrivateKeyIntent) (work, error) {
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		pk, err := o.privateKey(p.PrivateKeyID)
		if err != nil {
			return nil, err
		}
		bundle, err := s.sealKey(o, p.TargetPublicKey, pk.key)
		if err != nil {
			return nil, err
		}
		pk.exported = true
		return gen.ExportPrivateKeyOutcome{PrivateKeyID: pk.id, ExportBundle: bundle}, nil
	}), nil
}

// ExportWalletAccount returns a wallet account's 32 private bytes in an
// export bundle.
func (h *handlers) ExportWalletAccount(ctx context.Context, r gen.ExportWalletAccountRequestObject) (gen.ExportWalletAccountResponseObject, error) {
	return respond[gen.ExportWalletAccount200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.exportWalletAccount))
}

func (s *Server) exportWalletAccount(c *call, p gen.ExportWalletAccountIntent) (work, error) {
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	if p.Address == "" {
		return nil, invalidArgument("address is required")
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		a := o.findAccount(p.Address)
		if a == nil {
			return nil, notFound("no wallet account with address %s in organization %s", p.Address, o.id)
		}
		bundle, err := s.sealKey(o, p.TargetPublicKey, a.key)
		if err != nil {
			return nil, err
		}
		return gen.ExportWalletAccountOutcome{Address: a.address, ExportBundle: bundle}, nil
	}), nil
}

func (s *Server) sealKey(o *org, target string, k *keyPair) (string, error) {
	raw := k.privateBytes()
	defer clear(raw)
	bundle, err := s.signer.SealExportBundle(target, raw, o.id)
	if err != nil {
		return "", invalidArgument("%v", err)
	}
	return bundle, nil
}

// initImport returns an import bundle for a user and keeps its target key
// until the import.
func (s *Server) initImport(c *call, kind, userID string) (work, error) {
	if userID == "" {
		return nil, invalidArgument("userId is required")
	}
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		if _, err := o.user(userID); err != nil {
			return nil, err
		}
		bundle, key, err := s.signer.NewImportBundle(o.id, userID)
		if err != nil {
			return nil, err
		}
		o.importTargets[kind+"/"+userID] = key
		if kind == "wallet" {
			return gen.InitImportWalletOutcome{ImportBundle: bundle}, nil
		}
		return gen.InitImportPrivateKeyOutcome{ImportBundle: bundle}, nil
	}), nil
}

// openImport decrypts an import's encrypted bundle with the target key of
// the user's init_import_* activity, which it uses up.
func openImport(o *org, kind, userID, encrypted string) ([]byte, error) {
	key := o.importTargets[kind+"/"+userID]
	if key == nil {
		return nil, failedPrecondition("no pending import for user %s: call init_import_%s first", userID, map[string]string{"wallet": "wallet", "key": "private_key"}[kind])
	}
	plaintext, err := enclave.DecryptImportBundle(encrypted, key)
	if err != nil {
		return nil, invalidArgument("encryptedBundle: %v", err)
	}
	delete(o.importTargets, kind+"/"+userID)
	return plaintext, nil
}

// InitImportWallet starts a wallet import: it returns the import bundle.
func (h *handlers) InitImportWallet(ctx context.Context, r gen.InitImportWalletRequestObject) (gen.InitImportWalletResponseObject, error) {
	return respond[gen.InitImportWallet200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.InitImportWalletIntent) (work, error) {
		return h.s.initImport(c, "wallet", p.UserID)
	}))
}

// InitImportPrivateKey starts a private key import: it returns the import
// bundle.
func (h *handlers) InitImportPrivateKey(ctx context.Context, r gen.InitImportPrivateKeyRequestObject) (gen.InitImportPrivateKeyResponseObject, error) {
	return respond[gen.InitImportPrivateKey200JSONResponse](submit(ctx, h.s, r.Body.Parameters, func(c *call, p gen.InitImportPrivateKeyIntent) (work, error) {
		return h.s.initImport(c, "key", p.UserID)
	}))
}

// ImportWallet creates a wallet from an encrypted mnemonic.
func (h *handlers) ImportWallet(ctx context.Context, r gen.ImportWalletRequestObject) (gen.ImportWalletResponseObject, error) {
	return respond[gen.ImportWallet200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.importWallet))
}

func (s *Server) importWallet(c *call, p gen.ImportWalletIntent) (work, error) {
	if p.UserID == "" || p.EncryptedBundle == "" {
		return nil, invalidArgument("userId and encryptedBundle are required")
	}
	if _, err := checkWallet(p.WalletName, nil, p.Accounts); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		plaintext, err := openImport(o, "wallet", p.UserID, p.EncryptedBundle)
		if err != nil {
			return nil, err
		}
		mnemonic := strings.Join(strings.Fields(string(plaintext)), " ")
		clear(plaintext)
		if err := checkMnemonic(mnemonic); err != nil {
			return nil, err
		}
		w, addrs, err := st.createWallet(o, p.WalletName, mnemonic, p.Accounts, true, now)
		if err != nil {
			return nil, err
		}
		return gen.ImportWalletOutcome{WalletID: w.id, Addresses: addrs}, nil
	}), nil
}

// ImportPrivateKey creates a private key from its encrypted 32 bytes.
func (h *handlers) ImportPrivateKey(ctx context.Context, r gen.ImportPrivateKeyRequestObject) (gen.ImportPrivateKeyResponseObject, error) {
	return respond[gen.ImportPrivateKey200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.importPrivateKey))
}

func (s *Server) importPrivateKey(c *call, p gen.ImportPrivateKeyIntent) (work, error) {
	if p.UserID == "" || p.EncryptedBundle == "" {
		return nil, invalidArgument("userId and encryptedBundle are required")
	}
	if err := checkPrivateKeyParams("parameters", p.PrivateKeyName, p.Curve, p.AddressFormats); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		plaintext, err := openImport(o, "key", p.UserID, p.EncryptedBundle)
		if err != nil {
			return nil, err
		}
		k, err := keyFromBytes(p.Curve, plaintext)
		clear(plaintext)
		if err != nil {
			return nil, err
		}
		pk, err := st.addPrivateKey(o, p.PrivateKeyName, k, p.AddressFormats, nil, true, now)
		if err != nil {
			return nil, err
		}
		return gen.ImportPrivateKeyOutcome{PrivateKeyID: pk.id, Addresses: pk.addresses}, nil
	}), nil
}
