package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"CreateWallet":          "CreateWallet",
		"GetApiKeys":            "GetAPIKeys",
		"CreateApiKeysIntentV2": "CreateAPIKeysIntentV2",
		"GetWalletAccount":      "GetWalletAccount",
		"OauthLogin":            "OauthLogin",
		"InitOtp":               "InitOtp",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The checked-in sdk/operations.gen.go is what the spec and models generate.
func TestGeneratedFileIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "operations.gen.go")
	if err := run("../../../api/openapi.yaml", "../../../gen/models.gen.go", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../../sdk/operations.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("sdk/operations.gen.go is out of date: run scripts/regen.sh")
	}
}
