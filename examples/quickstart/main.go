// Quickstart creates a wallet with an Ethereum account, signs a payload with
// the account's key, and verifies the signature locally.
//
//	go run ./examples/quickstart
//
// With no environment variables it runs offline: it starts the Turnkey
// simulator of package turnkeytest in-process, on a loopback port, and needs
// no account. With TURNKEY_API_PRIVATE_KEY and TURNKEY_ORGANIZATION_ID set
// (and optionally TURNKEY_API_PUBLIC_KEY, TURNKEY_API_KEY_CURVE and
// TURNKEY_BASE_URL, as sdk.NewFromEnv reads them) it does the same steps
// against the real Turnkey API, creating a real wallet in that organization.
//
// It prints each step and ends with "signature verified"; it exits with
// status 1 if any step fails.
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
	"github.com/turnkey-go/turnkey/turnkeytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "\nquickstart failed: %v\n", err)
		os.Exit(1)
	}
}

// message is what the quickstart signs (its SHA-256 digest, to be exact).
const message = "Hello from the Turnkey Go SDK quickstart"

// run performs the quickstart, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	c, cleanup, err := connect(w)
	if err != nil {
		return err
	}
	defer cleanup()

	// 1. Who are we? A cheap call that checks the key and the organization.
	me, err := c.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		return fmt.Errorf("whoami: %w", err)
	}
	fmt.Fprintf(w, "1. whoami: user %q (%s) in organization %q (%s)\n",
		me.Username, me.UserID, me.OrganizationName, me.OrganizationID)

	// 2. Create a wallet with one Ethereum account. The SDK submits the
	// activity and polls it until it completes.
	walletName := fmt.Sprintf("quickstart-%d", time.Now().UnixMilli())
	created, act, err := c.CreateWallet(ctx, gen.CreateWalletIntent{
		WalletName: walletName,
		Accounts: []gen.WalletAccountParams{{
			Curve:         gen.CurveSecp256K1,
			PathFormat:    gen.PathFormatBip32,
			Path:          "m/44'/60'/0'/0/0",
			AddressFormat: gen.AddressFormatEthereum,
		}},
	})
	if err != nil {
		return fmt.Errorf("create wallet: %w", err)
	}
	if len(created.Addresses) != 1 {
		return fmt.Errorf("create wallet: got %d addresses, want 1", len(created.Addresses))
	}
	address := created.Addresses[0]
	fmt.Fprintf(w, "2. created wallet %q (%s) in activity %s (%s)\n", walletName, created.WalletID, act.ID, act.Status)
	fmt.Fprintf(w, "   Ethereum account m/44'/60'/0'/0/0: %s\n", address)

	// 3. Look the account up to get its public key, to verify with.
	acct, err := c.GetWalletAccount(ctx, gen.GetWalletAccountRequest{WalletID: created.WalletID, Address: &address})
	if err != nil {
		return fmt.Errorf("get wallet account: %w", err)
	}
	if acct.Account.PublicKey == nil || *acct.Account.PublicKey == "" {
		return errors.New("get wallet account: the account has no public key")
	}
	pubHex := *acct.Account.PublicKey
	pub, err := parsePublicKey(pubHex)
	if err != nil {
		return fmt.Errorf("get wallet account: public key %s: %w", pubHex, err)
	}
	fmt.Fprintf(w, "3. the account's public key: %s\n", pubHex)

	// 4. Sign the SHA-256 digest of the message with the account's key.
	// HASH_FUNCTION_NO_OP signs the 32 bytes as given.
	digest := sha256.Sum256([]byte(message))
	sig, act, err := c.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
		SignWith:     address,
		Payload:      hex.EncodeToString(digest[:]),
		Encoding:     gen.PayloadEncodingHexadecimal,
		HashFunction: gen.HashFunctionNoOp,
	})
	if err != nil {
		return fmt.Errorf("sign raw payload: %w", err)
	}
	fmt.Fprintf(w, "4. signed sha256(%q) = %x in activity %s\n", message, digest, act.ID)
	fmt.Fprintf(w, "   r=%s\n   s=%s\n   v=%s\n", sig.R, sig.S, sig.V)

	// 5. Verify locally: the signature must verify under the account's
	// public key, and the key recovered from it (with v) must be that key.
	if err := verify(digest[:], sig, pub); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintf(w, "5. signature verified: secp256k1 ECDSA by %s, and the key recovered from (r, s, v) matches\n", pubHex)
	return nil
}

// connect returns a client for the real API when the environment has an API
// key and an organization, and otherwise for a simulator started here.
// cleanup stops the simulator, if any.
func connect(w io.Writer) (c *sdk.Client, cleanup func(), err error) {
	key := strings.TrimSpace(os.Getenv(sdk.EnvAPIPrivateKey))
	org := strings.TrimSpace(os.Getenv(sdk.EnvOrganizationID))
	switch {
	case key != "" && org != "":
		c, err := sdk.NewFromEnv()
		if err != nil {
			return nil, nil, err
		}
		base := strings.TrimSpace(os.Getenv(sdk.EnvBaseURL))
		if base == "" {
			base = sdk.DefaultBaseURL
		}
		fmt.Fprintf(w, "Mode: live, the Turnkey API at %s, organization %s (from %s and %s)\n\n",
			base, org, sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
		return c, func() {}, nil
	case key != "" || org != "":
		return nil, nil, fmt.Errorf("set both %s and %s to use the real API, or neither to run offline",
			sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
	}
	srv, err := turnkeytest.NewServer()
	if err != nil {
		return nil, nil, fmt.Errorf("start the simulator: %w", err)
	}
	c, err = srv.Client()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	fmt.Fprintf(w, "Mode: offline, the in-process Turnkey simulator at %s (no account needed;\n", srv.URL)
	fmt.Fprintf(w, "      set %s and %s to run against the real API)\n\n", sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
	return c, srv.Close, nil
}

// parsePublicKey parses a secp256k1 public key in hex, compressed or not.
func parsePublicKey(s string) (*secp256k1.PublicKey, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, err
	}
	return secp256k1.ParsePubKey(b)
}

// verify checks Turnkey's (r, s, v) signature of digest by pub.
func verify(digest []byte, sig *gen.SignRawPayloadOutcome, pub *secp256k1.PublicKey) error {
	var r, s secp256k1.ModNScalar
	rb, err := hex32(sig.R)
	if err != nil {
		return fmt.Errorf("r: %w", err)
	}
	sb, err := hex32(sig.S)
	if err != nil {
		return fmt.Errorf("s: %w", err)
	}
	if r.SetBytes(&rb) != 0 || s.SetBytes(&sb) != 0 {
		return errors.New("r or s is not below the curve order")
	}
	if !ecdsa.NewSignature(&r, &s).Verify(digest, pub) {
		return errors.New("the signature does not verify under the account's public key")
	}

	// Recover the key with v: a compact signature is 27+v, then r and s.
	v, err := hex.DecodeString(strings.TrimPrefix(sig.V, "0x"))
	if err != nil || len(v) != 1 {
		return fmt.Errorf("v %q is not one hex byte", sig.V)
	}
	recID := v[0]
	if recID >= 27 {
		recID -= 27
	}
	if recID > 3 {
		return fmt.Errorf("v %q is not a recovery id", sig.V)
	}
	compact := append(append([]byte{27 + recID}, rb[:]...), sb[:]...)
	recovered, _, err := ecdsa.RecoverCompact(compact, digest)
	if err != nil {
		return fmt.Errorf("recover the public key: %w", err)
	}
	if !recovered.IsEqual(pub) {
		return fmt.Errorf("the recovered public key %x is not the account's", recovered.SerializeCompressed())
	}
	return nil
}

// hex32 decodes a hex scalar of at most 32 bytes, left-padded to 32.
func hex32(s string) ([32]byte, error) {
	var out [32]byte
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return out, err
	}
	if len(b) > 32 {
		return out, fmt.Errorf("%d bytes, want at most 32", len(b))
	}
	copy(out[32-len(b):], b)
	return out, nil
}
