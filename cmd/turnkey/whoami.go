package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/turnkey-go/turnkey/gen"
)

func whoamiCommand() *command {
	return &command{
		name:     "whoami",
		synopsis: "turnkey whoami [--organization ID] [--key-name NAME] [--keys-dir DIR] [--base-url URL] [--timeout DURATION]",
		help: `Prints, as JSON, the user the API key belongs to and its organization: a quick
check that the key, the organization and the API address work together.
`,
		setup: func(fs *flag.FlagSet) runner {
			w := &whoami{}
			w.conn.register(fs)
			return w
		},
	}
}

type whoami struct {
	conn connFlags
}

func (w *whoami) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q", args[0])
	}
	c, err := w.conn.client(e.stderr)
	if err != nil {
		return err
	}
	if c.OrganizationID() == "" {
		return errNoOrganization
	}
	ctx, cancel, err := w.conn.withTimeout(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	resp, err := c.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		return explainTimeout(ctx, err)
	}
	out, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encoding the answer: %w", err)
	}
	return printJSON(e.stdout, out)
}
