// Command gensdk writes sdk/operations.gen.go: one typed method of sdk.Client
// per operation of api/openapi.yaml, and the operation table behind them;
// sdk/decode_activity.gen.go: reflection-free decoders of the answers that
// carry activities (see decode.go in this directory); and
// sdk/encode_request.gen.go: reflection-free encoders of the request types
// the typed methods send (see encode.go).
//
// It reads the activity type, intent and result of every submit from the
// spec's x-turnkey-activity extension, and the Go names of the request,
// response and result types from the oapi-codegen output (gen/models.gen.go),
// so that nothing is typed twice. scripts/regen.sh runs it.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/turnkey-go/turnkey/api"
)

func main() {
	specPath := flag.String("spec", "api/openapi.yaml", "OpenAPI spec")
	modelsPath := flag.String("models", "gen/models.gen.go", "oapi-codegen models file")
	out := flag.String("o", "sdk/operations.gen.go", "output file")
	decodeOut := flag.String("decode-o", "sdk/decode_activity.gen.go", "output file of the activity answers' decoders")
	encodeOut := flag.String("encode-o", "sdk/encode_request.gen.go", "output file of the requests' encoders")
	bounds := flag.String("bounds", "sdk/encode.go", "file of the minimums map the request encoders check")
	flag.Parse()
	if err := run(*specPath, *modelsPath, *bounds, *out, *decodeOut, *encodeOut); err != nil {
		fmt.Fprintln(os.Stderr, "gensdk:", err)
		os.Exit(1)
	}
}

// models maps each type of the generated models to its fields by JSON name,
// and holds each constant with no fields.
type models map[string]map[string]string

func parseModels(path string) (models, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	m := models{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		if gd.Tok == token.CONST {
			for _, spec := range gd.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					m[n.Name] = nil
				}
			}
			continue
		}
		if gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			fields := map[string]string{}
			if st, ok := ts.Type.(*ast.StructType); ok {
				for _, fld := range st.Fields.List {
					if fld.Tag == nil || len(fld.Names) != 1 {
						continue
					}
					tag, _ := strconv.Unquote(fld.Tag.Value)
					name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
					fields[name] = fld.Names[0].Name
				}
			}
			m[ts.Name.Name] = fields
		}
	}
	return m, nil
}

// goTypeOf returns the Go type oapi-codegen generated for a component schema.
func (m models) goTypeOf(doc *openapi3.T, schema string) (string, error) {
	if _, ok := doc.Components.Schemas[schema]; !ok {
		return "", fmt.Errorf("no schema %s", schema)
	}
	name := goName(schema)
	if _, ok := m[name]; !ok {
		return "", fmt.Errorf("schema %s: no type %s in the models", schema, name)
	}
	return name, nil
}

// goName applies oapi-codegen's ToCamelCaseWithInitialisms normalizer to a
// PascalCase schema name; the models lookup above checks the outcome.
func goName(s string) string {
	var parts []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || (s[i] >= 'A' && s[i] <= 'Z') {
			parts = append(parts, s[start:i])
			start = i
		}
	}
	for i, p := range parts {
		if up := strings.ToUpper(p); initialisms[up] {
			parts[i] = up
		}
	}
	return strings.Join(parts, "")
}

var initialisms = map[string]bool{"API": true, "ID": true, "URL": true, "HTTP": true, "JSON": true}

// wrapped lists the operations whose plain method is generated as <Name>Raw,
// because sdk/ hand-writes <Name> to do the enclave cryptography around it
// (sdk/session.go, sdk/transfer.go).
var wrapped = map[string]bool{
	"create_read_write_session": true,
	"export_wallet":             true,
	"export_private_key":        true,
	"export_wallet_account":     true,
	"import_wallet":             true,
	"import_private_key":        true,
}

// opData is one operation of the spec: its endpoint, and for a query its
// typed method.
type opData struct {
	api.Operation
	Method       string // Go method name of a query
	Var          string // table variable of the operation's default form
	Send         string // the generated client's method, e.g. "WhoamiWithBody"
	Decode       string // the sdk function that decodes its answers
	RequestType  string
	ResponseType string
	Description  string
	// Submits are the typed submit methods of the operation, one per activity
	// version it is offered in: the documented version first (its method
	// carries the operation's name), then any other.
	Submits []submitData
	// Versions lists a submit's versions for its table entry, default first.
	Versions []versionData
}

// versionData is one entry of an operation's Versions in the table.
type versionData struct {
	api.ActivityVersion
	Method  string
	Default bool
}

// submitData is one (operation, activity version) pair: everything the
// "submit" template needs to render its typed method and table entry.
type submitData struct {
	Op          *opData
	Activity    api.Activity
	Method      string // Go method name, e.g. "CreateSubOrganization"
	Var         string // table variable, e.g. "opCreateSubOrganization"
	RequestType string // the request body's type
	TypeConst   string // the request's type constant
	IntentType  string
	ResultType  string // "" when the activity has no result
	ResultField string // field of gen.Result
	// For a newer version than the documented one: the method and type of
	// the documented version, which the unsuffixed method sends.
	DefaultMethod string
	DefaultType   string
}

// run writes the three files: the operations (out), the decoders
// (decodeOut) and the request encoders (encodeOut), which check the
// minimums of boundsPath.
func run(specPath, modelsPath, boundsPath, out, decodeOut, encodeOut string) error {
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		return err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return err
	}
	ops, err := api.Operations(doc)
	if err != nil {
		return err
	}
	m, err := parseModels(modelsPath)
	if err != nil {
		return err
	}
	var data []*opData
	for _, op := range ops {
		d := &opData{Operation: op, Method: goName(op.ID), Var: "op" + goName(op.ID), Send: goName(op.ID) + "WithBody"}
		d.Description = doc.Paths.Find(op.Path).Post.Description
		if d.RequestType, err = m.goTypeOf(doc, op.RequestSchema); err != nil {
			return err
		}
		if d.ResponseType, err = m.goTypeOf(doc, op.ResponseSchema); err != nil {
			return err
		}
		d.Decode = "decodeAnswer"
		if carriesActivity(doc.Components.Schemas[op.ResponseSchema], map[*openapi3.Schema]bool{}) {
			d.Decode = "decodeActivities"
		}
		if op.Kind == api.KindSubmit {
			s, err := m.submit(doc, d, *op.Activity, op.RequestSchema)
			if err != nil {
				return err
			}
			s.Method, s.Var = d.Method, d.Var
			if wrapped[op.Name] {
				s.Method += "Raw"
			}
			d.Submits = append(d.Submits, s)
			d.Versions = []versionData{{ActivityVersion: api.ActivityVersion{Type: op.Activity.Type,
				Intent: op.Activity.Intent, Result: op.Activity.Result, Request: op.RequestSchema},
				Method: s.Method, Default: true}}
			for _, v := range op.Activity.Versions {
				if v.Suffix() == "" {
					return fmt.Errorf("%s: version %s has no _V<n> suffix to name its method", op.ID, v.Type)
				}
				if intentRef := doc.Components.Schemas["Intent"].Value.Properties[v.Intent]; intentRef == nil ||
					intentRef.Ref != doc.Components.Schemas[v.Request].Value.Properties["parameters"].Ref {
					return fmt.Errorf("%s: Intent.%s must be the parameters of %s", op.ID, v.Intent, v.Request)
				}
				vs, err := m.submit(doc, d, api.Activity{Type: v.Type, Intent: v.Intent, Result: v.Result}, v.Request)
				if err != nil {
					return err
				}
				// CreateUsersV3; for a wrapped operation, its plain form
				// (CreateReadWriteSessionV3Raw).
				vs.Method, vs.Var = goName(op.ID)+v.Suffix(), d.Var+v.Suffix()
				if wrapped[op.Name] {
					vs.Method += "Raw"
				}
				vs.DefaultMethod, vs.DefaultType = s.Method, op.Activity.Type
				d.Submits = append(d.Submits, vs)
				d.Versions = append(d.Versions, versionData{ActivityVersion: v, Method: vs.Method})
			}
		}
		data = append(data, d)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return fmt.Errorf("format: %w\n%s", err, buf.Bytes())
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return err
	}

	// The decoders of the answers decodeActivities decodes: the response
	// types of those operations (submits answer with ActivityResponse too).
	roots := map[string]bool{}
	for _, d := range data {
		if d.Decode == "decodeActivities" {
			roots[d.ResponseType] = true
		}
	}
	mt, err := parseModelTypes(modelsPath)
	if err != nil {
		return err
	}
	// Of an activity's intent and result, the walk decodes the members of
	// the versions the typed methods send.
	members := map[string]bool{}
	for _, d := range data {
		for _, v := range d.Versions {
			members[v.Intent] = true
			if v.Result != "" {
				members[v.Result] = true
			}
		}
	}
	src, err = writeDecoders(mt, slices.Collect(maps.Keys(roots)), members)
	if err != nil {
		return err
	}
	if err := os.WriteFile(decodeOut, src, 0o644); err != nil {
		return err
	}

	// The encoders of the bodies the typed methods send: the request type of
	// every operation and activity version.
	requests := map[string]bool{}
	for _, d := range data {
		requests[d.RequestType] = true
		for _, s := range d.Submits {
			requests[s.RequestType] = true
		}
	}
	src, err = writeEncoders(mt, boundsPath, slices.Collect(maps.Keys(requests)))
	if err != nil {
		return err
	}
	return os.WriteFile(encodeOut, src, 0o644)
}

// carriesActivity reports whether answers of schema s contain an Activity:
// those are decoded with the sdk's faster decoder (sdk/decode.go).
func carriesActivity(s *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) bool {
	if s == nil || s.Value == nil || seen[s.Value] {
		return false
	}
	if strings.HasSuffix(s.Ref, "/Activity") {
		return true
	}
	seen[s.Value] = true
	if carriesActivity(s.Value.Items, seen) {
		return true
	}
	for _, p := range s.Value.Properties {
		if carriesActivity(p, seen) {
			return true
		}
	}
	return false
}

// submit derives the Go names of one activity version of op from its request
// schema (whose type is a one-value enum) and the models.
func (m models) submit(doc *openapi3.T, op *opData, act api.Activity, requestSchema string) (submitData, error) {
	s := submitData{Op: op, Activity: act}
	var err error
	if s.RequestType, err = m.goTypeOf(doc, requestSchema); err != nil {
		return s, err
	}
	reqSchema := doc.Components.Schemas[requestSchema].Value
	typ := reqSchema.Properties["type"].Value
	names, _ := typ.Extensions["x-enum-varnames"].([]any)
	if len(typ.Enum) != 1 || len(names) != 1 {
		return s, fmt.Errorf("%s: type must be a one-value enum with x-enum-varnames", requestSchema)
	}
	if typ.Enum[0] != act.Type {
		return s, fmt.Errorf("%s: type is %v, want %s", requestSchema, typ.Enum[0], act.Type)
	}
	s.TypeConst = goName(fmt.Sprint(names[0])) // x-enum-varnames hold the whole constant name
	if _, ok := m[s.TypeConst]; !ok {
		return s, fmt.Errorf("%s: no constant %s in the models", requestSchema, s.TypeConst)
	}
	intentRef := reqSchema.Properties["parameters"].Ref
	if s.IntentType, err = m.goTypeOf(doc, intentRef[strings.LastIndexByte(intentRef, '/')+1:]); err != nil {
		return s, err
	}
	if act.Result != "" {
		field, ok := m["Result"][act.Result]
		if !ok {
			return s, fmt.Errorf("%s: Result has no field %s", op.ID, act.Result)
		}
		s.ResultField = field
		ref := doc.Components.Schemas["Result"].Value.Properties[act.Result].Ref
		if s.ResultType, err = m.goTypeOf(doc, ref[strings.LastIndexByte(ref, '/')+1:]); err != nil {
			return s, err
		}
	}
	return s, nil
}

// tmpl renders the operation table and the typed methods. Every method
// encodes its request and hands it to the shared call path (Client.query,
// Client.submit in sdk/activity.go), naming the generated client's method
// for its endpoint (route.send); the "submit" template renders the method
// of any (operation, activity version) pair.
var tmpl = template.Must(template.New("ops").Funcs(template.FuncMap{
	"comment": func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n// ") },
}).Parse(`// Code generated by internal/cmd/gensdk from api/openapi.yaml. DO NOT EDIT.

package sdk

import (
	"context"

	"github.com/turnkey-go/turnkey/gen"
)

{{define "endpoint"}}&route{Operation{Name: "{{.Name}}", Path: "{{.Path}}", Method: "{{.Method}}", Kind: KindQuery}, (*gen.Client).{{.Send}}, {{.Decode}}}{{end}}
{{- define "submitEndpoint"}}&route{Operation{Name: "{{.Op.Name}}", Path: "{{.Op.Path}}", Method: "{{.Method}}", Kind: KindSubmit
	{{- with .Activity}}, ActivityType: "{{.Type}}", Intent: "{{.Intent}}", Result: "{{.Result}}"{{end}}
	{{- if not .DefaultMethod}}{{with .Op.Versions}}, Versions: []ActivityVersion{
	{{- range .}}
		{Type: "{{.Type}}", Intent: "{{.Intent}}", Result: "{{.Result}}", Method: "{{.Method}}"{{if .Default}}, Default: true{{end}}},
	{{- end}}
	}{{end}}{{end}}}, (*gen.Client).{{.Op.Send}}, {{.Op.Decode}}}{{end}}

{{- define "query"}}
// {{.Method}} calls {{.Path}} ({{.Summary}}).
// {{comment .Description}}
//
// An empty OrganizationID in req is filled in from the call's or the client's
// organization; req itself is not modified.
func (c *Client) {{.Method}}(ctx context.Context, req gen.{{.RequestType}}, opts ...CallOption) (*gen.{{.ResponseType}}, error) {
	cc := c.callConfig(opts)
	if req.OrganizationID == "" {
		req.OrganizationID = cc.organizationID
	}
	out := new(gen.{{.ResponseType}})
	if err := c.query(ctx, cc, {{.Var}}, req.OrganizationID, (*body{{.RequestType}})(&req), out); err != nil {
		return nil, err
	}
	return out, nil
}
{{end}}

{{- define "submit"}}
// {{.Method}} submits {{.Activity.Type}} to {{.Op.Path}} ({{.Op.Summary}}).
// {{comment .Op.Description}}
{{- if .DefaultMethod}}
//
// It sends a newer activity version than {{.DefaultMethod}}, which sends the
// documented {{.DefaultType}}.
{{- end}}
//
// It fills in type, timestampMs and the organization, waits for the activity
// to reach a terminal status, and returns {{if .ResultType}}activity.result.{{.Activity.Result}} together
// with {{end}}the activity.
func (c *Client) {{.Method}}(ctx context.Context, params gen.{{.IntentType}}, opts ...CallOption) ({{if .ResultType}}*gen.{{.ResultType}}, {{end}}*gen.Activity, error) {
	cc := c.callConfig(opts)
	req := gen.{{.RequestType}}{
		Type:           gen.{{.TypeConst}},
		TimestampMs:    c.timestamp(),
		OrganizationID: cc.organizationID,
		Parameters:     params,
	}
	act, err := c.submit(ctx, cc, {{.Var}}, req.OrganizationID, (*body{{.RequestType}})(&req))
	{{- if .ResultType}}
	if err != nil {
		return nil, act, err
	}
	return resultOf(act, {{.Var}}, act.Result.{{.ResultField}})
	{{- else}}
	return act, err
	{{- end}}
}
{{end -}}

// The operation table, derived from the spec's x-turnkey-activity extension:
// each endpoint with the generated client's method that sends to it and the
// decoder of its answers.
var (
{{- range .}}
{{- if eq .Kind "query"}}
	{{.Var}} = {{template "endpoint" .}}
{{- else}}{{range .Submits}}
	{{.Var}} = {{template "submitEndpoint" .}}
{{- end}}{{end}}
{{- end}}
)

// operations lists every operation of the spec in its default form, in path
// order; the newer activity versions are in each submit's Versions.
var operations = []*route{
{{- range .}}
	{{.Var}},
{{- end}}
}
{{range .}}
{{- if eq .Kind "query"}}{{template "query" .}}{{else}}{{range .Submits}}{{template "submit" .}}{{end}}{{end}}
{{- end}}
`))
