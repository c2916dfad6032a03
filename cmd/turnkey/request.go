package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/internal/editdist"
	"github.com/turnkey-go/turnkey/sdk"
)

func requestCommand() *command {
	return &command{
		name: "request",
		synopsis: `turnkey request ENDPOINT [--body JSON|@FILE|@-] [--organization ID] [--no-wait]
                [--key-name NAME] [--keys-dir DIR] [--base-url URL] [--timeout DURATION]
turnkey request --list`,
		help: `Makes a stamped call to any endpoint of the API, named like "whoami",
"list_wallets" or "create_wallet" (or by its path), and prints the answer as
indented JSON on standard output.

For a query, the body is the request; its organizationId is filled in from
--organization or TURNKEY_ORGANIZATION_ID when absent.

For an activity (a submit), the body is the activity's PARAMETERS (its intent);
the command adds the type (for example ACTIVITY_TYPE_CREATE_WALLET),
timestampMs and organizationId, waits until the activity reaches a terminal
status (unless --no-wait) and prints the activity. While it waits, progress
lines go to standard error. An activity that fails, is rejected or needs
consensus is printed too, and the exit status is 1.

Examples:
  turnkey request whoami
  turnkey request list_wallets --organization <organization ID>
  cat > wallet.json <<'EOF'
  {"walletName": "w1", "accounts": [{"curve": "CURVE_SECP256K1",
    "pathFormat": "PATH_FORMAT_BIP32", "path": "m/44'/60'/0'/0/0",
    "addressFormat": "ADDRESS_FORMAT_ETHEREUM"}]}
  EOF
  turnkey request create_wallet --body @wallet.json
  turnkey request sign_raw_payload --body @payload.json --no-wait
`,
		setup: func(fs *flag.FlagSet) runner {
			r := &request{}
			fs.StringVar(&r.body, "body", "", "request body: `JSON` text, @FILE to read it from FILE, or @- for standard input (default {})")
			r.conn.register(fs)
			fs.BoolVar(&r.noWait, "no-wait", false, "for an activity: print it as soon as the API accepted it, without waiting for it to finish")
			fs.BoolVar(&r.list, "list", false, "list the endpoints and exit")
			return r
		},
	}
}

type request struct {
	conn   connFlags
	body   string
	noWait bool
	list   bool
}

func (r *request) run(ctx context.Context, e *env, args []string) error {
	if r.list {
		if len(args) > 0 {
			return usageError("--list takes no ENDPOINT")
		}
		return listEndpoints(e.stdout)
	}
	switch len(args) {
	case 0:
		return usageError("missing ENDPOINT")
	case 1:
	default:
		return usageError("want one ENDPOINT, got %q", args)
	}
	op, err := lookupEndpoint(args[0])
	if err != nil {
		return err
	}
	raw, err := readBody(r.body, e.stdin)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return badInput("the body is not a JSON object: %s", jsonProblem(err))
	}
	if op.Kind == sdk.KindSubmit {
		if _, hasType := fields["type"]; hasType {
			if _, hasParams := fields["parameters"]; hasParams {
				return badInput("the body looks like a whole activity request: pass only its parameters; the command adds type (%s), timestampMs and organizationId", op.ActivityType)
			}
		}
	}
	c, err := r.conn.client(e.stderr)
	if err != nil {
		return err
	}
	ctx, cancel, err := r.conn.withTimeout(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if op.Kind == sdk.KindQuery {
		return explainTimeout(ctx, r.query(ctx, e, c, op, fields))
	}
	return explainTimeout(ctx, r.submit(ctx, e, c, op, raw))
}

func (r *request) query(ctx context.Context, e *env, c *sdk.Client, op sdk.Operation, fields map[string]json.RawMessage) error {
	if _, ok := fields["organizationId"]; !ok {
		org := r.conn.organization()
		if org == "" {
			return errNoOrganization
		}
		fields["organizationId"], _ = json.Marshal(org)
	}
	var out json.RawMessage
	if err := c.Query(ctx, op.Name, fields, &out); err != nil {
		return err
	}
	return printJSON(e.stdout, out)
}

func (r *request) submit(ctx context.Context, e *env, c *sdk.Client, op sdk.Operation, params []byte) error {
	if c.OrganizationID() == "" {
		return errNoOrganization
	}
	req := sdk.ActivityRequest{
		Endpoint:    op.Name,
		Type:        op.ActivityType,
		Parameters:  json.RawMessage(params),
		ResultField: op.Result,
	}
	if op.Result != "" {
		req.Result = new(json.RawMessage)
	}
	// Submitted without waiting, then waited for here, so that a pending
	// activity shows progress on stderr.
	act, err := c.SubmitActivity(ctx, req, sdk.NoWait())
	if err == nil && !r.noWait && !finished(act) {
		act, err = waitWithProgress(ctx, e.stderr, c, act, r.conn.timeout == 0)
	}
	if act != nil {
		// Print the activity even when it did not complete: its status,
		// failure and fingerprint are what the caller needs next.
		out, merr := json.Marshal(act)
		if merr != nil {
			return fmt.Errorf("encoding the activity: %w", merr)
		}
		if perr := printJSON(e.stdout, out); perr != nil {
			return perr
		}
	}
	return err
}

// finished reports whether act reached a status that waiting does not change.
func finished(act *gen.Activity) bool {
	return act.Status != gen.ActivityStatusCreated && act.Status != gen.ActivityStatusPending
}

// progressEvery is how often waitWithProgress reports an activity still
// pending.
var progressEvery = 2 * time.Second

// waitWithProgress waits for act as a submit does (sdk.DefaultPollOptions),
// until ctx ends or, if capped, for at most DefaultPollOptions().MaxWait (a
// minute), printing a line on w when the wait starts, whenever the status
// changes, and every progressEvery meanwhile.
func waitWithProgress(ctx context.Context, w io.Writer, c *sdk.Client, act *gen.Activity, capped bool) (*gen.Activity, error) {
	start := time.Now()
	fmt.Fprintf(w, "turnkey: activity %s is %s; waiting for it to finish (Ctrl-C stops waiting, not the activity)\n", act.ID, act.Status)
	total := sdk.DefaultPollOptions()
	if capped {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, total.MaxWait)
		defer cancel()
	}
	last := act.Status
	for {
		step := total
		step.MaxWait = progressEvery
		opts := []sdk.CallOption{sdk.WithCallPolling(step)}
		if act.OrganizationID != "" {
			opts = append(opts, sdk.WithOrganization(act.OrganizationID))
		}
		next, err := c.WaitForActivity(ctx, act.ID, opts...)
		var we *sdk.WaitError
		if err == nil || !errors.As(err, &we) || ctx.Err() != nil || !errors.Is(we.Err, context.DeadlineExceeded) {
			if next == nil {
				next = act
			}
			return next, err
		}
		if we.Activity != nil {
			act = we.Activity
		}
		what := "still"
		if act.Status != last {
			what, last = "now", act.Status
		}
		fmt.Fprintf(w, "turnkey: activity %s is %s %s after %s\n", act.ID, what, act.Status, time.Since(start).Round(time.Second))
	}
}

// readBody returns the body --body names: "" is {}, @- standard input,
// @FILE the file's contents, anything else the text itself.
func readBody(spec string, stdin io.Reader) ([]byte, error) {
	switch {
	case spec == "":
		return []byte("{}"), nil
	case spec == "@-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, localError(fmt.Errorf("reading the body from standard input: %w", err))
		}
		return b, nil
	case strings.HasPrefix(spec, "@"):
		b, err := os.ReadFile(spec[1:])
		if err != nil {
			return nil, localError(fmt.Errorf("reading the body: %w", err))
		}
		return b, nil
	}
	return []byte(spec), nil
}

func jsonProblem(err error) string {
	if err == nil {
		return "got null"
	}
	return err.Error()
}

// printJSON writes raw JSON indented, with a final newline.
func printJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("the API's answer is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	return write(w, buf.String())
}

func listEndpoints(w io.Writer) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENDPOINT\tKIND\tACTIVITY TYPE")
	ops := sdk.Operations()
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name < ops[j].Name })
	for _, op := range ops {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", op.Name, op.Kind, op.ActivityType)
	}
	tw.Flush()
	return write(w, buf.String())
}

// lookupEndpoint finds the operation name names, accepting "create-wallet"
// and "CreateWallet" for "create_wallet". An unknown name is a usage error
// that lists the names closest to it.
func lookupEndpoint(name string) (sdk.Operation, error) {
	if op, ok := sdk.LookupOperation(name); ok {
		return op, nil
	}
	norm := normalizeEndpoint(name)
	if op, ok := sdk.LookupOperation(norm); ok {
		return op, nil
	}
	msg := fmt.Sprintf("unknown endpoint %q", name)
	if close := closeEndpoints(norm); len(close) > 0 {
		msg += "; close names: " + strings.Join(close, ", ")
	}
	msg += "\n(run 'turnkey request --list' to see them all)"
	return sdk.Operation{}, badInput("%s", msg)
}

// normalizeEndpoint turns "CreateWallet", "create-wallet" or
// "/public/v1/submit/create_wallet/" into "create_wallet".
func normalizeEndpoint(name string) string {
	name = strings.Trim(strings.TrimSpace(name), "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range name {
		switch {
		case r == '-' || r == ' ' || r == '.':
			r = '_'
		case unicode.IsUpper(r):
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
		if r == '_' {
			prev = 0
		}
	}
	return b.String()
}

// closeEndpoints returns the endpoint names nearest to name: within a few
// edits of it, or containing it.
func closeEndpoints(name string) []string {
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	limit := max(2, len(name)/3)
	for _, op := range sdk.Operations() {
		d := editdist.Levenshtein(name, op.Name)
		if d <= limit || (len(name) >= 3 && strings.Contains(op.Name, name)) {
			cands = append(cands, cand{op.Name, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for i, c := range cands {
		if i == 8 {
			break
		}
		out = append(out, c.name)
	}
	return out
}
