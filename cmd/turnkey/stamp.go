package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/turnkey-go/turnkey/stamp"
)

func stampCommand() *command {
	return &command{
		name:     "stamp",
		synopsis: "turnkey stamp [--key-name NAME] [--keys-dir DIR] [--body-file FILE]\nturnkey stamp verify --stamp VALUE [--body-file FILE]",
		help: `Prints the X-Stamp header value for a request body, and nothing else, for
use with curl and other HTTP clients. The body is read from standard input
(or --body-file) and signed byte for byte, trailing newlines included, so send
exactly the same bytes, for example:

  body='{"organizationId":"<organization ID>"}'
  curl https://api.turnkey.com/public/v1/query/whoami \
    -H "X-Stamp: $(printf %s "$body" | turnkey stamp --key-name NAME)" \
    -H "Content-Type: application/json" \
    --data-binary "$body"

(curl -d strips newlines from files: use --data-binary.)

'turnkey stamp verify' checks a stamp made by any implementation instead: it
verifies --stamp VALUE (an X-Stamp value) against the body, as the API does,
and prints the scheme and public key that signed it. A stamp that does not
verify exits 1 with the reason (malformed, unknown scheme, or a signature that
does not match this body and key). docs/stamping.md describes the format, and
testdata/vectors/ holds test vectors.
`,
		setup: func(fs *flag.FlagSet) runner {
			s := &stamper{}
			s.key.register(fs)
			fs.StringVar(&s.bodyFile, "body-file", "", "`FILE` holding the body (default standard input; - also means standard input)")
			fs.StringVar(&s.verify, "stamp", "", "with verify: the X-Stamp `VALUE` to check")
			return s
		},
	}
}

type stamper struct {
	key      keyFlags
	bodyFile string
	verify   string
}

func (s *stamper) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "verify" {
		return s.runVerify(e, args[1:])
	}
	if len(args) > 0 {
		return usageError("unexpected argument %q (the body is read from standard input or --body-file)", args[0])
	}
	if s.verify != "" {
		return usageError("--stamp is for 'turnkey stamp verify'")
	}
	key, err := s.key.load(e.stderr)
	if err != nil {
		return err
	}
	body, err := s.readBody(e)
	if err != nil {
		return err
	}
	_, value, err := key.Stamp(ctx, body)
	if err != nil {
		return localError(fmt.Errorf("stamping: %w", err))
	}
	return write(e.stdout, value+"\n")
}

func (s *stamper) readBody(e *env) ([]byte, error) {
	var body []byte
	var err error
	if s.bodyFile == "" || s.bodyFile == "-" {
		body, err = io.ReadAll(e.stdin)
	} else {
		body, err = os.ReadFile(s.bodyFile)
	}
	if err != nil {
		return nil, localError(fmt.Errorf("reading the body: %w", err))
	}
	return body, nil
}

// runVerify checks --stamp against the body and prints who signed it.
func (s *stamper) runVerify(e *env, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q after verify", args[0])
	}
	if s.verify == "" {
		return usageError("verify needs --stamp VALUE")
	}
	body, err := s.readBody(e)
	if err != nil {
		return err
	}
	v, err := stamp.Verify(body, strings.TrimSpace(s.verify))
	if err != nil {
		return &exitErr{code: exitAPI, err: fmt.Errorf("stamp does not verify for this body (%d bytes): %w", len(body), err)}
	}
	return write(e.stdout, fmt.Sprintf("ok: %s %s\n", v.Scheme, v.PublicKey))
}
