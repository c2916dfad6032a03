// Package api embeds the OpenAPI description of the Turnkey API (openapi.yaml)
// and reads the operation table out of it.
//
// openapi.yaml is the single source of truth of this module: gen/ is generated
// from it by oapi-codegen, the sdk's typed methods by internal/cmd/gensdk, and
// the local simulator serves the same operations. Each submit operation links
// to its activity through the x-turnkey-activity extension, which Operations
// exposes.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is the raw OpenAPI 3.0 document, as checked in.
//
//go:embed openapi.yaml
var Spec []byte

// Kind says whether an operation reads state or creates an activity.
type Kind string

const (
	// KindQuery is a read under /public/v1/query/.
	KindQuery Kind = "query"
	// KindSubmit creates an activity under /public/v1/submit/.
	KindSubmit Kind = "submit"
)

// ActivityExtension is the name of the vendor extension that links a submit
// operation to its activity type, intent and result.
const ActivityExtension = "x-turnkey-activity"

// Operation is one endpoint of the API as the spec describes it.
type Operation struct {
	ID      string // operationId, e.g. "CreateWallet"
	Name    string // last path segment, e.g. "create_wallet"
	Path    string // e.g. "/public/v1/submit/create_wallet"
	Kind    Kind
	Tag     string
	Summary string
	// RequestSchema and ResponseSchema name the component schemas of the
	// JSON request body (for a submit with several activity versions, the
	// body of the default version) and of the 200 response.
	RequestSchema  string
	ResponseSchema string
	// BodySchema names the schema the request body refers to: RequestSchema,
	// or for a submit with several activity versions the oneOf of every
	// version's request, discriminated by type.
	BodySchema string
	// Activity is set for submits only.
	Activity *Activity
}

// Activity links a submit operation to the activity it creates. Type,
// Intent and Result describe the default version, the one Turnkey's API
// reference documents and the unsuffixed sdk method sends; Versions lists the
// other versions the API accepts.
type Activity struct {
	Type     string            `json:"type"`   // e.g. "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"
	Intent   string            `json:"intent"` // property of Intent, e.g. "createSubOrganizationIntentV7"
	Result   string            `json:"result"` // property of Result, e.g. "createSubOrganizationResultV7"; empty if none
	Versions []ActivityVersion `json:"versions,omitempty"`
}

// ActivityVersion is a version of an activity other than the default one.
type ActivityVersion struct {
	Type    string `json:"type"`    // e.g. "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"
	Intent  string `json:"intent"`  // property of Intent, e.g. "createSubOrganizationIntentV8"
	Result  string `json:"result"`  // property of Result; empty if none
	Request string `json:"request"` // component schema of its request body, e.g. "CreateSubOrganizationRequestV8"
}

// Suffix is the version part of the type, e.g. "V8"; empty for a type
// without one.
func (v ActivityVersion) Suffix() string { return VersionSuffix(v.Type) }

// VersionSuffix returns the version part of an activity type, e.g. "V8" for
// ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8, or "" for a type without one.
func VersionSuffix(activityType string) string {
	i := strings.LastIndex(activityType, "_V")
	if i < 0 || i+2 == len(activityType) {
		return ""
	}
	for _, r := range activityType[i+2:] {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return activityType[i+1:]
}

// Load parses and validates the embedded spec.
func Load(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(Spec)
	if err != nil {
		return nil, fmt.Errorf("api: parse openapi.yaml: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("api: validate openapi.yaml: %w", err)
	}
	return doc, nil
}

// Operations lists the operations of doc, sorted by path.
func Operations(doc *openapi3.T) ([]Operation, error) {
	var ops []Operation
	for path, item := range doc.Paths.Map() {
		op := item.Post
		if op == nil {
			return nil, fmt.Errorf("api: %s has no POST operation", path)
		}
		o := Operation{ID: op.OperationID, Path: path, Summary: op.Summary}
		switch {
		case strings.HasPrefix(path, "/public/v1/query/"):
			o.Kind = KindQuery
		case strings.HasPrefix(path, "/public/v1/submit/"):
			o.Kind = KindSubmit
		default:
			return nil, fmt.Errorf("api: %s is neither a query nor a submit", path)
		}
		o.Name = path[strings.LastIndexByte(path, '/')+1:]
		if len(op.Tags) > 0 {
			o.Tag = op.Tags[0]
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				o.BodySchema = refName(mt.Schema.Ref)
				o.RequestSchema = o.BodySchema
			}
		}
		if r := op.Responses.Status(200); r != nil && r.Value != nil {
			if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				o.ResponseSchema = refName(mt.Schema.Ref)
			}
		}
		if raw, ok := op.Extensions[ActivityExtension]; ok {
			b, err := json.Marshal(raw)
			if err != nil {
				return nil, fmt.Errorf("api: %s: %s: %w", path, ActivityExtension, err)
			}
			var a Activity
			if err := json.Unmarshal(b, &a); err != nil {
				return nil, fmt.Errorf("api: %s: %s: %w", path, ActivityExtension, err)
			}
			o.Activity = &a
		}
		if o.Kind == KindSubmit && o.Activity == nil {
			return nil, fmt.Errorf("api: submit %s lacks %s", path, ActivityExtension)
		}
		if err := resolveVersions(doc, &o); err != nil {
			return nil, fmt.Errorf("api: %s: %w", path, err)
		}
		ops = append(ops, o)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path < ops[j].Path })
	return ops, nil
}

// resolveVersions checks that a submit's body and its versions agree: a body
// with one version refers to its request schema; a body with several is a
// oneOf of the versions' requests, discriminated by type, with a mapping for
// each version. RequestSchema becomes the default version's request.
func resolveVersions(doc *openapi3.T, o *Operation) error {
	ref := doc.Components.Schemas[o.BodySchema]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("request body schema %q is not a component", o.BodySchema)
	}
	body := ref.Value
	if len(body.OneOf) == 0 {
		if o.Activity != nil && len(o.Activity.Versions) > 0 {
			return fmt.Errorf("%s lists versions but the request body %s is not a oneOf of them", ActivityExtension, o.BodySchema)
		}
		return nil
	}
	if o.Activity == nil {
		return fmt.Errorf("request body %s is a oneOf but the operation is not a submit", o.BodySchema)
	}
	d := body.Discriminator
	if d == nil || d.PropertyName != "type" {
		return fmt.Errorf("request body %s must be discriminated by type", o.BodySchema)
	}
	members := map[string]bool{}
	for _, m := range body.OneOf {
		members[refName(m.Ref)] = true
	}
	want := map[string]string{}
	for _, v := range o.Activity.Versions {
		if v.Type == "" || v.Intent == "" || v.Request == "" {
			return fmt.Errorf("%s: a version needs type, intent and request: %+v", ActivityExtension, v)
		}
		want[v.Type] = v.Request
	}
	mapped := refName(d.Mapping[o.Activity.Type].Ref)
	if mapped == "" {
		return fmt.Errorf("request body %s maps no schema for the default type %s", o.BodySchema, o.Activity.Type)
	}
	want[o.Activity.Type] = mapped
	if len(d.Mapping) != len(want) || len(members) != len(want) {
		return fmt.Errorf("request body %s has %d mappings and %d members for %d versions", o.BodySchema, len(d.Mapping), len(members), len(want))
	}
	for typ, schema := range want {
		if refName(d.Mapping[typ].Ref) != schema || !members[schema] {
			return fmt.Errorf("request body %s: %s must map to member %s", o.BodySchema, typ, schema)
		}
	}
	o.RequestSchema = mapped
	return nil
}

func refName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}
