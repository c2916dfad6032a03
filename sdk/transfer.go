package sdk

import (
	"context"
	"errors"
	"fmt"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
)

// ExportWallet exports a wallet's mnemonic end to end: it generates a target
// key, submits ACTIVITY_TYPE_EXPORT_WALLET, verifies the export bundle's
// enclave signature and organization, and decrypts it. Leave
// params.TargetPublicKey empty; ExportWalletRaw returns the bundle as is.
// The mnemonic is in the returned Export, which redacts itself when printed.
func (c *Client) ExportWallet(ctx context.Context, params gen.ExportWalletIntent, opts ...CallOption) (*enclave.Export, *gen.Activity, error) {
	return c.export(&params.TargetPublicKey, func() (string, *gen.Activity, error) {
		res, act, err := c.ExportWalletRaw(ctx, params, opts...)
		if err != nil {
			return "", act, err
		}
		return res.ExportBundle, act, nil
	})
}

// ExportPrivateKey exports a private key end to end, as ExportWallet does;
// the key is in the returned Export (PrivateKeyHex).
func (c *Client) ExportPrivateKey(ctx context.Context, params gen.ExportPrivateKeyIntent, opts ...CallOption) (*enclave.Export, *gen.Activity, error) {
	return c.export(&params.TargetPublicKey, func() (string, *gen.Activity, error) {
		res, act, err := c.ExportPrivateKeyRaw(ctx, params, opts...)
		if err != nil {
			return "", act, err
		}
		return res.ExportBundle, act, nil
	})
}

// ExportWalletAccount exports the private key of one wallet account end to
// end, as ExportWallet does; the key is in the returned Export.
func (c *Client) ExportWalletAccount(ctx context.Context, params gen.ExportWalletAccountIntent, opts ...CallOption) (*enclave.Export, *gen.Activity, error) {
	return c.export(&params.TargetPublicKey, func() (string, *gen.Activity, error) {
		res, act, err := c.ExportWalletAccountRaw(ctx, params, opts...)
		if err != nil {
			return "", act, err
		}
		return res.ExportBundle, act, nil
	})
}

// export sets *target to a fresh target key, runs the export activity, and
// verifies and decrypts the bundle it returns.
func (c *Client) export(target *string, run func() (bundle string, act *gen.Activity, err error)) (*enclave.Export, *gen.Activity, error) {
	if *target != "" {
		return nil, nil, errors.New("sdk: export makes its own target key: leave TargetPublicKey empty or use the Raw method")
	}
	key, err := enclave.GenerateTargetKey()
	if err != nil {
		return nil, nil, fmt.Errorf("sdk: export: %w", err)
	}
	*target = key.PublicKeyHex()
	bundle, act, err := run()
	if err != nil {
		return nil, act, err
	}
	exp, err := enclave.DecryptExportBundle(bundle, key, act.OrganizationID, c.enclaveOpts...)
	if err != nil {
		return nil, act, fmt.Errorf("sdk: export bundle of activity %s: %w", act.ID, err)
	}
	return exp, act, nil
}

// ImportWallet imports a mnemonic end to end: init_import_wallet for
// params.UserID, verification of the import bundle's enclave signature,
// organization and user, encryption of the mnemonic to the enclave, then
// ACTIVITY_TYPE_IMPORT_WALLET. Leave params.EncryptedBundle empty.
func (c *Client) ImportWallet(ctx context.Context, params gen.ImportWalletIntent, mnemonic string, opts ...CallOption) (*gen.ImportWalletOutcome, *gen.Activity, error) {
	if params.EncryptedBundle != "" {
		return nil, nil, errors.New("sdk: ImportWallet encrypts the mnemonic itself: leave EncryptedBundle empty or use ImportWalletRaw")
	}
	init, act, err := c.InitImportWallet(ctx, gen.InitImportWalletIntent{UserID: params.UserID}, opts...)
	if err != nil {
		return nil, act, err
	}
	enc, err := enclave.EncryptMnemonicForImport(init.ImportBundle, mnemonic, act.OrganizationID, params.UserID, c.enclaveOpts...)
	if err != nil {
		return nil, act, fmt.Errorf("sdk: import bundle of activity %s: %w", act.ID, err)
	}
	params.EncryptedBundle = enc
	return c.ImportWalletRaw(ctx, params, opts...)
}

// ImportPrivateKey imports a private key (hex) end to end, as ImportWallet
// does for mnemonics. Leave params.EncryptedBundle empty.
func (c *Client) ImportPrivateKey(ctx context.Context, params gen.ImportPrivateKeyIntent, privateKeyHex string, opts ...CallOption) (*gen.ImportPrivateKeyOutcome, *gen.Activity, error) {
	if params.EncryptedBundle != "" {
		return nil, nil, errors.New("sdk: ImportPrivateKey encrypts the key itself: leave EncryptedBundle empty or use ImportPrivateKeyRaw")
	}
	init, act, err := c.InitImportPrivateKey(ctx, gen.InitImportPrivateKeyIntent{UserID: params.UserID}, opts...)
	if err != nil {
		return nil, act, err
	}
	enc, err := enclave.EncryptPrivateKeyForImport(init.ImportBundle, privateKeyHex, act.OrganizationID, params.UserID, c.enclaveOpts...)
	if err != nil {
		return nil, act, fmt.Errorf("sdk: import bundle of activity %s: %w", act.ID, err)
	}
	params.EncryptedBundle = enc
	return c.ImportPrivateKeyRaw(ctx, params, opts...)
}
