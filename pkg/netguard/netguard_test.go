package netguard

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

func TestBlockedAddresses(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"fe80::1", "fc00::1", "0.0.0.0", "::", "100.64.0.1", "::ffff:127.0.0.1", "224.0.0.1"} {
		if !Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is not blocked", s)
		}
	}
	for _, s := range []string{"203.0.113.7", "8.8.8.8", "2001:4860:4860::8888"} {
		if Blocked(netip.MustParseAddr(s)) {
			t.Errorf("%s is blocked", s)
		}
	}
}

func TestCheckHost(t *testing.T) {
	ctx := context.Background()
	for _, h := range []string{"127.0.0.1", "[::1]", "localhost", "LOCALHOST.", "metadata.localhost", "10.0.0.8"} {
		if err := CheckHost(ctx, h); !errors.Is(err, ErrPrivate) {
			t.Errorf("CheckHost(%q) = %v, want ErrPrivate", h, err)
		}
	}
	if err := CheckHost(ctx, "203.0.113.7"); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}

func TestControlRefusesPrivateConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := net.Dialer{Control: Control, Timeout: 2 * time.Second}
	if _, err := d.Dial("tcp", ln.Addr().String()); !errors.Is(err, ErrPrivate) {
		t.Fatalf("dial loopback through Control: %v, want ErrPrivate", err)
	}
}
