// Suborg creates a sub-organization for an end user, then acts inside it
// with that user's own API key.
//
//	go run ./examples/suborg
//
// The usual Turnkey setup for a product with many users: the parent
// organization creates one sub-organization per user, whose root user holds
// credentials the parent does not (here, a fresh API key generated locally),
// with a wallet. The user's client then stamps with that key and acts on the
// sub-organization: it lists its wallets and signs with its account.
//
// With no environment variables it runs offline against the in-process
// simulator (package turnkeytest). With TURNKEY_API_PRIVATE_KEY and
// TURNKEY_ORGANIZATION_ID set it uses the real API (sdk.NewFromEnv), creating
// a real sub-organization under that organization.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "\nsuborg failed: %v\n", err)
		os.Exit(1)
	}
}

// run performs the example, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	parent, newClient, cleanup, err := connect(w)
	if err != nil {
		return err
	}
	defer cleanup()

	// 1. The end user's API key. It is generated here, on the user's side;
	// only its public key goes to Turnkey.
	userKey, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. generated the user's API key (P-256), public key %s\n", userKey.PublicKey())

	// 2. The parent creates the sub-organization: one root user holding that
	// key, and a wallet with an Ethereum account.
	suffix := time.Now().UnixMilli()
	created, act, err := parent.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: fmt.Sprintf("example user %d", suffix),
		RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{
			UserName: "end user",
			APIKeys: []gen.APIKeyParamsV2{{
				APIKeyName: "end user key",
				CurveType:  gen.APIKeyCurveP256,
				PublicKey:  userKey.PublicKey(),
			}},
			Authenticators: []gen.AuthenticatorParamsV2{},
			OauthProviders: []gen.OauthProviderParams{},
		}},
		Wallet: &gen.WalletParams{
			WalletName: "main",
			Accounts: []gen.WalletAccountParams{{
				Curve:         gen.CurveSecp256K1,
				PathFormat:    gen.PathFormatBip32,
				Path:          "m/44'/60'/0'/0/0",
				AddressFormat: gen.AddressFormatEthereum,
			}},
		},
	})
	if err != nil {
		return fmt.Errorf("create sub-organization: %w", err)
	}
	if created.Wallet == nil || len(created.Wallet.Addresses) != 1 {
		return errors.New("create sub-organization: the result has no wallet address")
	}
	subOrg, address := created.SubOrganizationID, created.Wallet.Addresses[0]
	fmt.Fprintf(w, "2. the parent created sub-organization %s (activity %s, %s)\n", subOrg, act.ID, act.Status)
	fmt.Fprintf(w, "   with wallet %s, account %s\n", created.Wallet.WalletID, address)

	// 3. The user's client: stamped with the user's key, acting on the
	// sub-organization.
	user, err := newClient(sdk.WithStamper(userKey), sdk.WithOrganizationID(subOrg))
	if err != nil {
		return err
	}
	me, err := user.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		return fmt.Errorf("whoami as the user: %w", err)
	}
	if me.OrganizationID != subOrg {
		return fmt.Errorf("whoami as the user: organization %s, want the sub-organization %s", me.OrganizationID, subOrg)
	}
	fmt.Fprintf(w, "3. whoami with the user's key: user %q (%s) in %q\n", me.Username, me.UserID, me.OrganizationName)

	// 4. The user lists the sub-organization's wallets and their accounts.
	wallets, err := user.ListWallets(ctx, gen.ListWalletsRequest{})
	if err != nil {
		return fmt.Errorf("list wallets: %w", err)
	}
	fmt.Fprintf(w, "4. the sub-organization has %d wallet(s):\n", len(wallets.Wallets))
	var pubHex string
	for _, wal := range wallets.Wallets {
		accts, err := user.ListWalletAccounts(ctx, gen.ListWalletAccountsRequest{WalletID: wal.WalletID})
		if err != nil {
			return fmt.Errorf("list wallet accounts: %w", err)
		}
		fmt.Fprintf(w, "   - %q (%s)\n", wal.WalletName, wal.WalletID)
		for _, a := range accts.Accounts {
			fmt.Fprintf(w, "     %s %s %s\n", a.Path, a.AddressFormat, a.Address)
			if a.Address == address && a.PublicKey != nil {
				pubHex = *a.PublicKey
			}
		}
	}
	if pubHex == "" {
		return fmt.Errorf("list wallet accounts: no public key for %s", address)
	}

	// 5. The user signs with the account, and we check the signature.
	digest := sha256.Sum256([]byte("signed inside the sub-organization"))
	sig, act, err := user.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
		SignWith:     address,
		Payload:      hex.EncodeToString(digest[:]),
		Encoding:     gen.PayloadEncodingHexadecimal,
		HashFunction: gen.HashFunctionNoOp,
	})
	if err != nil {
		return fmt.Errorf("sign raw payload as the user: %w", err)
	}
	fmt.Fprintf(w, "5. the user signed %x in activity %s\n", digest, act.ID)
	if err := verify(digest[:], sig, pubHex); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintf(w, "6. signature verified under the account's public key %s\n", pubHex)
	return nil
}

// connect returns the parent organization's client, and a function making
// further clients for the same API (same address and polling) with other
// options. It uses the real API when the environment has an API key and an
// organization, and otherwise a simulator started here; cleanup stops it.
func connect(w io.Writer) (parent *sdk.Client, newClient func(...sdk.Option) (*sdk.Client, error), cleanup func(), err error) {
	key := strings.TrimSpace(os.Getenv(sdk.EnvAPIPrivateKey))
	org := strings.TrimSpace(os.Getenv(sdk.EnvOrganizationID))
	switch {
	case key != "" && org != "":
		parent, err := sdk.NewFromEnv()
		if err != nil {
			return nil, nil, nil, err
		}
		base := strings.TrimSpace(os.Getenv(sdk.EnvBaseURL))
		if base == "" {
			base = sdk.DefaultBaseURL
		}
		fmt.Fprintf(w, "Mode: live, the Turnkey API at %s, parent organization %s\n\n", base, org)
		newClient := func(opts ...sdk.Option) (*sdk.Client, error) {
			return sdk.New(append([]sdk.Option{sdk.WithBaseURL(base)}, opts...)...)
		}
		return parent, newClient, func() {}, nil
	case key != "" || org != "":
		return nil, nil, nil, fmt.Errorf("set both %s and %s to use the real API, or neither to run offline",
			sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
	}
	srv, err := turnkeytest.NewServer()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("start the simulator: %w", err)
	}
	parent, err = srv.Client()
	if err != nil {
		srv.Close()
		return nil, nil, nil, err
	}
	fmt.Fprintf(w, "Mode: offline, the in-process Turnkey simulator at %s\n\n", srv.URL)
	return parent, srv.Client, srv.Close, nil
}

// verify checks Turnkey's (r, s) secp256k1 signature of digest by the
// public key pubHex.
func verify(digest []byte, sig *gen.SignRawPayloadOutcome, pubHex string) error {
	pubBytes, err := hex.DecodeString(pubHex)
	if err != nil {
		return fmt.Errorf("public key: %w", err)
	}
	pub, err := secp256k1.ParsePubKey(pubBytes)
	if err != nil {
		return fmt.Errorf("public key: %w", err)
	}
	var r, s secp256k1.ModNScalar
	for _, part := range []struct {
		name string
		hex  string
		into *secp256k1.ModNScalar
	}{{"r", sig.R, &r}, {"s", sig.S, &s}} {
		b, err := hex.DecodeString(part.hex)
		if err != nil || len(b) > 32 {
			return fmt.Errorf("%s %q is not a 32-byte hex scalar", part.name, part.hex)
		}
		if part.into.SetByteSlice(b) {
			return fmt.Errorf("%s is not below the curve order", part.name)
		}
	}
	if !ecdsa.NewSignature(&r, &s).Verify(digest, pub) {
		return errors.New("the signature does not verify under the account's public key")
	}
	return nil
}
