package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestSuborgOffline runs the example against the in-process simulator.
func TestSuborgOffline(t *testing.T) {
	for _, v := range []string{"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE", "TURNKEY_ORGANIZATION_ID", "TURNKEY_BASE_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"Mode: offline",
		"2. the parent created sub-organization ",
		`3. whoami with the user's key: user "end user"`,
		"4. the sub-organization has 1 wallet(s):",
		`- "main"`,
		"m/44'/60'/0'/0/0 ADDRESS_FORMAT_ETHEREUM 0x",
		"6. signature verified",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
