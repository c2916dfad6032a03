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
	// JSON request body and of the 200 response.
	RequestSchema  string
	ResponseSchema string
	// Activity is set for submits only.
	Activity *Activity
}

// Activity links a submit operation to the activity it creates.
type Activity struct {
	Type   string `json:"type"`   // e.g. "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"
	Intent string `json:"intent"` // property of Intent, e.g. "createSubOrganizationIntentV7"
	Result string `json:"result"` // property of Result, e.g. "createSubOrganizationResultV7"; empty if none
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
				o.RequestSchema = refName(mt.Schema.Ref)
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
		ops = append(ops, o)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path < ops[j].Path })
	return ops, nil
}

func refName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}
