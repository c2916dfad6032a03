package sdk

import (
	"slices"
	"strings"
)

// Kind says whether an operation reads state or creates an activity.
type Kind string

const (
	// KindQuery reads state under /public/v1/query/.
	KindQuery Kind = "query"
	// KindSubmit creates an activity under /public/v1/submit/.
	KindSubmit Kind = "submit"
)

// Operation is one endpoint of the API, as api/openapi.yaml describes it.
type Operation struct {
	Name string // e.g. "create_wallet"
	Path string // e.g. "/public/v1/submit/create_wallet"
	// Method is the Client method that calls it, e.g. "CreateWallet". The
	// operations whose method does enclave cryptography around the call
	// (CreateReadWriteSession, ExportWallet, ...) have their plain form as
	// <Method>Raw.
	Method string
	Kind   Kind
	// For submits: the activity type version sent, and the properties of the
	// activity's intent and result that belong to it (Result is empty for
	// activities without a result, such as approve_activity).
	ActivityType string
	Intent       string
	Result       string
	// Versions lists, for a submit, every activity version this client has
	// a typed method for: the default (documented) one first, the one
	// Method sends, then the newer ones, each sent by a method named after
	// its version (CreateSubOrganizationV8). A version not listed can still
	// be sent with SubmitActivity.
	Versions []ActivityVersion
}

// ActivityVersion is one activity version of a submit and the Client method that
// sends it.
type ActivityVersion struct {
	Type   string // e.g. "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8"
	Intent string // property of the activity's intent, e.g. "createSubOrganizationIntentV8"
	Result string // property of the activity's result; empty if none
	Method string // e.g. "CreateSubOrganizationV8"
	// Default marks the documented version, the one the unsuffixed method
	// sends.
	Default bool
}

// route is an operation together with the generated client's method that
// sends a request to it (sdk/operations.gen.go lists them), or, for the
// escape hatches, a sender for a path the spec does not know, and the
// decoder of its answers (sdk/decode.go).
type route struct {
	Operation
	send   sender
	decode func(data []byte, out any) error
}

// Operations lists every operation the client knows, in path order.
func Operations() []Operation {
	out := make([]Operation, len(operations))
	for i, op := range operations {
		out[i] = op.Operation
		out[i].Versions = slices.Clone(op.Versions)
	}
	return out
}

// LookupOperation finds an operation by name ("create_wallet") or path.
func LookupOperation(nameOrPath string) (Operation, bool) {
	for _, op := range operations {
		if op.Name == nameOrPath || op.Path == nameOrPath {
			found := op.Operation
			found.Versions = slices.Clone(op.Versions)
			return found, true
		}
	}
	return Operation{}, false
}

func pathFor(kind Kind, nameOrPath string) string {
	if strings.HasPrefix(nameOrPath, "/") {
		return nameOrPath
	}
	return "/public/v1/" + string(kind) + "/" + nameOrPath
}
