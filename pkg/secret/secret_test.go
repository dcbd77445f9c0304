package secret

import (
	"bytes"
	"testing"
)

func TestSealOpenRoundTripAndBinding(t *testing.T) {
	t.Parallel()
	box, err := NewBox(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`[{"name":"sessionid","value":"abc"}]`)
	sealed := box.Seal(plain, []byte("account-1"))
	if bytes.Contains(sealed, []byte("sessionid")) {
		t.Fatal("sealed value contains the plaintext")
	}
	got, err := box.Open(sealed, []byte("account-1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := box.Open(sealed, []byte("account-2")); err == nil {
		t.Fatal("a value sealed for one account opened for another")
	}
	other, _ := NewBox(NewKey())
	if _, err := other.Open(sealed, []byte("account-1")); err == nil {
		t.Fatal("opened with the wrong key")
	}
	if _, err := box.Open([]byte{1, 2}, nil); err == nil {
		t.Fatal("opened garbage")
	}
}

func TestNewBoxRejectsBadKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"", "short", "!!!notbase64!!!", "AAAA"} {
		if _, err := NewBox(k); err == nil {
			t.Errorf("NewBox(%q) succeeded", k)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	tok, hash := NewToken()
	tok2, _ := NewToken()
	if tok == tok2 || len(tok) < 40 {
		t.Fatalf("weak tokens %q %q", tok, tok2)
	}
	if !bytes.Equal(HashToken(tok), hash) || bytes.Equal(HashToken(tok2), hash) {
		t.Fatal("hash does not identify its token")
	}
	if f := Fingerprint(tok); bytes.Contains([]byte(f), []byte(tok[3:10])) {
		t.Fatal("fingerprint leaks the token")
	}
}
