package hdwallet

import (
	"encoding/hex"
	"errors"
	"testing"
)

type vector struct{ path, chainCode, private, public string }

// BIP-32 test vector 1 (also SLIP-10's secp256k1 vector 1) and SLIP-10's
// Ed25519 vector 1, seed 000102030405060708090a0b0c0d0e0f.
var (
	seed1    = "000102030405060708090a0b0c0d0e0f"
	secpVec1 = []vector{
		{"m", "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508", "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35",
			"0339a36013301597daef41fbe593a02cc513d0b55527ec2df1050e2e8ff49c85c2"},
		{"m/0H", "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141", "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea",
			"035a784662a4a20a65bf6aab9ae98a6c068a81c52e4b032c0fb5400c706cfccc56"},
		{"m/0H/1", "2a7857631386ba23dacac34180dd1983734e444fdbf774041578e9b6adb37c19", "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368",
			"03501e454bf00751f24b1b489aa925215d66af2234e3891c3b21a52bedb3cd711c"},
		{"m/0H/1/2H", "04466b9cc8e161e966409ca52986c584f07e9dc81f735db683c3ff6ec7b1503f", "cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca",
			"0357bfe1e341d01c69fe5654309956cbea516822fba8a601743a012a7896ee8dc2"},
		{"m/0H/1/2H/2", "cfb71883f01676f587d023cc53a35bc7f88f724b1f8c2892ac1275ac822a3edd", "0f479245fb19a38a1954c5c7c0ebab2f9bdfd96a17563ef28a6a4b1a2a764ef4",
			"02e8445082a72f29b75ca48748a914df60622a609cacfce8ed0e35804560741d29"},
		{"m/0H/1/2H/2/1000000000", "c783e67b921d2beb8f6b389cc646d7263b4145701dadd2161548a8b078e65e9e", "471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8",
			"022a471424da5e657499d1ff51cb43c47481a03b1e77f951fe64cec9f5a48f7011"},
	}
	edVec1 = []vector{
		{"m", "90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb", "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7",
			"a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed"},
		{"m/0H", "8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69", "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3",
			"8c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c"},
		{"m/0H/1H", "a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14", "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2",
			"1932a5270f335bed617d5b935c80aedb1a35bd9fc1e31acafd5372c30f5c1187"},
		{"m/0H/1H/2H", "2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c", "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9",
			"ae98736566d30ed0e9d2f4486a64bc95740d89c7db33f52121f8ea8f76ff0fc1"},
		{"m/0H/1H/2H/2H", "8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc", "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662", ""},
		{"m/0H/1H/2H/2H/1000000000H", "68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230", "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793", ""},
	}
)

func checkVectors(t *testing.T, c Curve, seedHex string, vs []vector) {
	t.Helper()
	seed, _ := hex.DecodeString(seedHex)
	for _, v := range vs {
		p, err := ParsePath(v.path)
		if err != nil {
			t.Fatal(err)
		}
		k, err := Derive(c, seed, p)
		if err != nil {
			t.Fatalf("%v %s: %v", c, v.path, err)
		}
		if got := hex.EncodeToString(k.ChainCode[:]); got != v.chainCode {
			t.Errorf("%v %s: chain code %s, want %s", c, v.path, got, v.chainCode)
		}
		if got := hex.EncodeToString(k.Private[:]); got != v.private {
			t.Errorf("%v %s: private %s, want %s", c, v.path, got, v.private)
		}
		if got := hex.EncodeToString(k.PublicKey()); v.public != "" && got != v.public {
			t.Errorf("%v %s: public %s, want %s", c, v.path, got, v.public)
		}
	}
}

func TestBIP32Vector1(t *testing.T)  { checkVectors(t, Secp256k1, seed1, secpVec1) }
func TestSLIP10Vector1(t *testing.T) { checkVectors(t, Ed25519, seed1, edVec1) }

func TestEd25519NeedsHardened(t *testing.T) {
	seed, _ := hex.DecodeString(seed1)
	if _, err := Derive(Ed25519, seed, Path{Hardened, 0}); !errors.Is(err, ErrNotHardened) {
		t.Fatalf("got %v", err)
	}
	if _, err := Master(Secp256k1, make([]byte, 15)); !errors.Is(err, ErrSeedLength) {
		t.Fatalf("got %v", err)
	}
}

func TestParsePath(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Path
	}{
		{"m", Path{}},
		{"m/44'/60'/0'/0/0", Path{44 | Hardened, 60 | Hardened, Hardened, 0, 0}},
		{"m/44h/501H/0'/0'", Path{44 | Hardened, 501 | Hardened, Hardened, Hardened}},
		{"m/2147483647", Path{2147483647}},
	} {
		got, err := ParsePath(c.in)
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("ParsePath(%q) = %v, %v", c.in, got, err)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("ParsePath(%q) = %v, want %v", c.in, got, c.want)
			}
		}
	}
	if s := (Path{44 | Hardened, 0}).String(); s != "m/44'/0" {
		t.Fatal(s)
	}
	for _, bad := range []string{"", "M/0", "m/", "m//0", "m/x", "m/-1", "m/2147483648", "m/01", "m/0''", "m/0/", "44'/60'", "m/1 "} {
		if _, err := ParsePath(bad); !errors.Is(err, ErrBadPath) {
			t.Errorf("ParsePath(%q) = %v, want ErrBadPath", bad, err)
		}
	}
}
