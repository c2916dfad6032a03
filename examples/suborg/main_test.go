package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/turnkey-go/turnkey/turnkeytest"
)

// TestSuborgOffline runs the example against the in-process simulator.
func TestSuborgOffline(t *testing.T) {
	for _, v := range []string{"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE", "TURNKEY_ORGANIZATION_ID", "TURNKEY_BASE_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, nil); err != nil {
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

// TestSuborgLiveOnlyWithFlag points the live environment at a simulator
// standing in for the real API: without --live it gets no request; with
// --live the example says what it creates, then creates it there.
func TestSuborgLiveOnlyWithFlag(t *testing.T) {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	root := srv.Root()
	t.Setenv("TURNKEY_API_PRIVATE_KEY", root.APIKey.PrivateKeyHex())
	t.Setenv("TURNKEY_API_PUBLIC_KEY", root.APIKey.PublicKey())
	t.Setenv("TURNKEY_API_KEY_CURVE", string(root.APIKey.Curve()))
	t.Setenv("TURNKEY_ORGANIZATION_ID", root.OrganizationID)
	t.Setenv("TURNKEY_BASE_URL", srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var out bytes.Buffer
	if err := run(ctx, &out, nil); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "Mode: offline") || srv.Stats().Requests != 0 {
		t.Fatalf("without --live: %d requests to the environment's API; output:\n%s", srv.Stats().Requests, out.String())
	}

	out.Reset()
	if err := run(ctx, &out, []string{"--live"}); err != nil {
		t.Fatalf("run --live: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	announce, step := strings.Index(got, "This run creates, in that organization: a sub-organization"), strings.Index(got, "2. the parent created")
	if !strings.HasPrefix(got, "Mode: live") || announce < 0 || step < announce || !strings.Contains(got, "6. signature verified") {
		t.Errorf("output:\n%s", got)
	}
	if srv.Stats().ActivitiesCreated == 0 {
		t.Error("--live created nothing in the API of the environment")
	}
}
