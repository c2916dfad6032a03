package turnkeytest

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/internal/chain/eth"
	"github.com/turnkey-go/turnkey/internal/chain/solana"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// simulatedTransactions says what sign_transaction simulates, for errors.
const simulatedTransactions = "simulated: " + string(gen.TransactionTypeEthereum) +
	" (legacy with or without EIP-155, EIP-2930 and EIP-1559 unsigned transactions, hex RLP) and " +
	string(gen.TransactionTypeSolana) + " (legacy or v0 unsigned transactions or messages, hex)"

// parsedTransaction is an unsigned transaction that sign_transaction
// parsed: exactly one of eth and sol is set.
type parsedTransaction struct {
	eth *eth.Tx
	sol *solana.Transaction
}

// parseTransaction decodes and parses an unsignedTransaction of type typ,
// with a 400 that says what is wrong and what is simulated.
func parseTransaction(typ gen.TransactionType, unsigned string) (*parsedTransaction, error) {
	switch typ {
	case gen.TransactionTypeEthereum, gen.TransactionTypeSolana:
	case "":
		return nil, invalidArgument("type is required (%s)", simulatedTransactions)
	default:
		if !typ.Valid() {
			return nil, invalidArgument("unknown transaction type %q (%s)", typ, simulatedTransactions)
		}
		return nil, invalidArgument("transaction type %s is not simulated (%s)", typ, simulatedTransactions)
	}
	raw, err := hex.DecodeString(strings.TrimPrefix(unsigned, "0x"))
	if err != nil || len(raw) == 0 {
		return nil, invalidArgument("unsignedTransaction must be a non-empty hex string")
	}
	if typ == gen.TransactionTypeSolana {
		tx, _, err := solana.Parse(raw)
		if err != nil {
			return nil, invalidArgument("unsignedTransaction is not a Solana transaction or message: %v", err)
		}
		return &parsedTransaction{sol: tx}, nil
	}
	tx, err := eth.ParseUnsigned(raw)
	switch {
	case errors.Is(err, eth.ErrUnsupportedType):
		return nil, invalidArgument("unsignedTransaction: %v is not simulated (%s)", err, simulatedTransactions)
	case errors.Is(err, eth.ErrSigned):
		return nil, invalidArgument("unsignedTransaction already carries a signature: send it without (%s)", simulatedTransactions)
	case err != nil:
		return nil, invalidArgument("unsignedTransaction is not an Ethereum transaction: %v", err)
	}
	return &parsedTransaction{eth: tx}, nil
}

// sign signs the transaction with k and returns the signed transaction.
func (p *parsedTransaction) sign(k *keyPair, signWith string) ([]byte, error) {
	if p.eth != nil {
		if k.curve != curveSecp256k1 {
			return nil, invalidArgument("%s cannot sign %s transactions: they need a %s key, not %s", signWith, gen.TransactionTypeEthereum, curveSecp256k1, k.curve)
		}
		return eth.Sign(p.eth, k.k1), nil
	}
	if k.curve != curveEd25519 {
		return nil, invalidArgument("%s cannot sign %s transactions: they need an %s key, not %s", signWith, gen.TransactionTypeSolana, curveEd25519, k.curve)
	}
	// Sign a copy: a retried activity must not see a signed transaction.
	tx := *p.sol
	tx.Signatures = append([][64]byte(nil), p.sol.Signatures...)
	if err := tx.Sign(k.ed); err != nil {
		return nil, invalidArgument("%s is not a required signer of the transaction (its signers: %v)", signWith, tx.Message.Signers())
	}
	return tx.Bytes(), nil
}

// SignTransaction signs an unsigned Ethereum or Solana transaction (V2).
func (h *handlers) SignTransaction(ctx context.Context, r gen.SignTransactionRequestObject) (gen.SignTransactionResponseObject, error) {
	return respond[gen.SignTransaction200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.signTransaction))
}

func (s *Server) signTransaction(c *call, p gen.SignTransactionIntentV2) (work, error) {
	if p.SignWith == "" {
		return nil, invalidArgument("signWith is required")
	}
	tx, err := parseTransaction(p.Type, p.UnsignedTransaction)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(_ *state, o *org, _ time.Time) (any, error) {
		k, err := o.signer(p.SignWith)
		if err != nil {
			return nil, err
		}
		signed, err := tx.sign(k, p.SignWith)
		if err != nil {
			return nil, err
		}
		return gen.SignTransactionOutcome{SignedTransaction: hex.EncodeToString(signed)}, nil
	}), nil
}
