package turnkeytest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/turnkey-go/turnkey/internal/chain/eth"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// decodePayload decodes a payload to sign as its encoding says.
func decodePayload(field, payload string, enc gen.PayloadEncoding) ([]byte, error) {
	switch enc {
	case gen.PayloadEncodingHexadecimal:
		b, err := hex.DecodeString(strings.TrimPrefix(payload, "0x"))
		if err != nil {
			return nil, invalidArgument("%s is not hexadecimal (encoding %s)", field, enc)
		}
		return b, nil
	case gen.PayloadEncodingTextUTF8:
		return []byte(payload), nil
	case "":
		return nil, invalidArgument("encoding is required")
	case gen.PayloadEncodingEip712, gen.PayloadEncodingEip7702Authorization:
		return nil, invalidArgument("payload encoding %s is not simulated (simulated: %s, %s)", enc,
			gen.PayloadEncodingHexadecimal, gen.PayloadEncodingTextUTF8)
	}
	return nil, invalidArgument("unknown payload encoding %q", enc)
}

func checkHashFunction(hf gen.HashFunction) error {
	switch hf {
	case gen.HashFunctionNoOp, gen.HashFunctionSha256, gen.HashFunctionKeccak256, gen.HashFunctionNotApplicable:
		return nil
	case "":
		return invalidArgument("hashFunction is required")
	}
	return invalidArgument("unknown hash function %q", hf)
}

// signRaw signs payload as Turnkey does: secp256k1 keys sign the payload's
// digest (hf) with RFC 6979 ECDSA and return r, s and the recovery id v;
// Ed25519 keys sign the payload itself (hf must be NOT_APPLICABLE) and return
// the signature as r ‖ s, with v "00".
func (k *keyPair) signRaw(payload []byte, hf gen.HashFunction) (gen.SignRawPayloadOutcome, error) {
	if k.curve == curveEd25519 {
		if hf != gen.HashFunctionNotApplicable {
			return gen.SignRawPayloadOutcome{}, invalidArgument("Ed25519 keys sign the payload itself: hashFunction must be %s, got %s",
				gen.HashFunctionNotApplicable, hf)
		}
		sig := ed25519.Sign(k.ed, payload)
		return gen.SignRawPayloadOutcome{R: hex.EncodeToString(sig[:32]), S: hex.EncodeToString(sig[32:]), V: "00"}, nil
	}
	var digest []byte
	switch hf {
	case gen.HashFunctionNoOp:
		if len(payload) != 32 {
			return gen.SignRawPayloadOutcome{}, invalidArgument("with %s the payload must be a 32-byte digest, got %d bytes", hf, len(payload))
		}
		digest = payload
	case gen.HashFunctionSha256:
		h := sha256.Sum256(payload)
		digest = h[:]
	case gen.HashFunctionKeccak256:
		h := eth.Keccak256(payload)
		digest = h[:]
	default:
		return gen.SignRawPayloadOutcome{}, invalidArgument("secp256k1 keys sign a digest: hashFunction must be %s, %s or %s, got %s",
			gen.HashFunctionNoOp, gen.HashFunctionSha256, gen.HashFunctionKeccak256, hf)
	}
	// SignCompact returns 27+recid ‖ R ‖ S, with a low S.
	sig := ecdsa.SignCompact(k.k1, digest, false)
	return gen.SignRawPayloadOutcome{
		R: hex.EncodeToString(sig[1:33]),
		S: hex.EncodeToString(sig[33:65]),
		V: hex.EncodeToString([]byte{sig[0] - 27}),
	}, nil
}

// signer finds the key signWith names in o: a wallet account address, a
// private key ID or a private key address.
func (o *org) signer(signWith string) (*keyPair, error) {
	if a := o.findAccount(signWith); a != nil {
		return a.key, nil
	}
	if pk := o.findPrivateKey(signWith); pk != nil {
		return pk.key, nil
	}
	return nil, notFound("signWith %q is no wallet account address, private key ID or private key address in organization %s", signWith, o.id)
}

func (s *Server) prepareSign(c *call, signWith string, enc gen.PayloadEncoding, hf gen.HashFunction, payloads []string) (func(*state) ([]gen.SignRawPayloadOutcome, error), error) {
	if signWith == "" {
		return nil, invalidArgument("signWith is required")
	}
	if err := checkHashFunction(hf); err != nil {
		return nil, err
	}
	raw := make([][]byte, len(payloads))
	for i, p := range payloads {
		b, err := decodePayload("payload", p, enc)
		if err != nil {
			return nil, err
		}
		raw[i] = b
	}
	return func(st *state) ([]gen.SignRawPayloadOutcome, error) {
		o, err := st.org(c.orgID)
		if err != nil {
			return nil, err
		}
		k, err := o.signer(signWith)
		if err != nil {
			return nil, err
		}
		out := make([]gen.SignRawPayloadOutcome, len(raw))
		for i, b := range raw {
			if out[i], err = k.signRaw(b, hf); err != nil {
				return nil, err
			}
		}
		return out, nil
	}, nil
}

// SignRawPayload signs one payload (V2).
func (h *handlers) SignRawPayload(ctx context.Context, r gen.SignRawPayloadRequestObject) (gen.SignRawPayloadResponseObject, error) {
	return respond[gen.SignRawPayload200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.signRawPayload))
}

func (s *Server) signRawPayload(c *call, p gen.SignRawPayloadIntentV2) (work, error) {
	sign, err := s.prepareSign(c, p.SignWith, p.Encoding, p.HashFunction, []string{p.Payload})
	if err != nil {
		return nil, err
	}
	return func(st *state, _ time.Time) (any, error) {
		sigs, err := sign(st)
		if err != nil {
			return nil, err
		}
		return sigs[0], nil
	}, nil
}

// SignRawPayloads signs several payloads with one key.
func (h *handlers) SignRawPayloads(ctx context.Context, r gen.SignRawPayloadsRequestObject) (gen.SignRawPayloadsResponseObject, error) {
	return respond[gen.SignRawPayloads200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.signRawPayloads))
}

func (s *Server) signRawPayloads(c *call, p gen.SignRawPayloadsIntent) (work, error) {
	if len(p.Payloads) == 0 {
		return nil, invalidArgument("payloads: at least one payload is required")
	}
	sign, err := s.prepareSign(c, p.SignWith, p.Encoding, p.HashFunction, p.Payloads)
	if err != nil {
		return nil, err
	}
	return func(st *state, _ time.Time) (any, error) {
		sigs, err := sign(st)
		if err != nil {
			return nil, err
		}
		return gen.SignRawPayloadsOutcome{Signatures: &sigs}, nil
	}, nil
}
