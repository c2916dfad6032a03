package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func stampCommand() *command {
	return &command{
		name:     "stamp",
		synopsis: "turnkey stamp [--key-name NAME] [--keys-dir DIR] [--body-file FILE]",
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
`,
		setup: func(fs *flag.FlagSet) runner {
			s := &stamper{}
			s.key.register(fs)
			fs.StringVar(&s.bodyFile, "body-file", "", "`FILE` holding the body (default standard input; - also means standard input)")
			return s
		},
	}
}

type stamper struct {
	key      keyFlags
	bodyFile string
}

func (s *stamper) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q (the body is read from standard input or --body-file)", args[0])
	}
	key, err := s.key.load(e.stderr)
	if err != nil {
		return err
	}
	var body []byte
	if s.bodyFile == "" || s.bodyFile == "-" {
		body, err = io.ReadAll(e.stdin)
	} else {
		body, err = os.ReadFile(s.bodyFile)
	}
	if err != nil {
		return localError(fmt.Errorf("reading the body: %w", err))
	}
	_, value, err := key.Stamp(ctx, body)
	if err != nil {
		return localError(fmt.Errorf("stamping: %w", err))
	}
	return write(e.stdout, value+"\n")
}
