package turnkeytest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/turnkey-go/turnkey/api"
)

// operations is the operation table of api/openapi.yaml, read once per
// process: the simulator takes each submit's activity type, intent and result
// properties from the spec's x-turnkey-activity extension, as the client does.
var operations = sync.OnceValues(func() (map[string]*api.Operation, error) {
	doc, err := api.Load(context.Background())
	if err != nil {
		return nil, fmt.Errorf("turnkeytest: %w", err)
	}
	ops, err := api.Operations(doc)
	if err != nil {
		return nil, fmt.Errorf("turnkeytest: %w", err)
	}
	m := make(map[string]*api.Operation, len(ops))
	for i := range ops {
		// The generated Go names differ from the spec's operationIds in
		// initialisms only (GetAPIKey, GetApiKey): key by lower case.
		m[strings.ToLower(ops[i].ID)] = &ops[i]
	}
	return m, nil
})

// lookupOperation finds an operation by its generated Go name, as the strict
// server's middleware receives it.
func lookupOperation(ops map[string]*api.Operation, goName string) (*api.Operation, bool) {
	op, ok := ops[strings.ToLower(goName)]
	return op, ok
}
