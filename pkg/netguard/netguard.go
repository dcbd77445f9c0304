// Package netguard keeps destinations a user supplies (account proxies, and
// later webhooks) away from the server's own network: loopback, link-local,
// private, shared (CGNAT) and unspecified addresses are refused unless the
// operator allows them. It checks when an address is stored (CheckHost) and
// again when a connection is made (Control), so a name that later resolves
// somewhere private is still refused.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrPrivate is a destination on the server's own network.
var ErrPrivate = errors.New("netguard: loopback, link-local and private addresses are not allowed")

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Blocked reports whether ip is on the server's own network.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || cgnat.Contains(ip)
}

// CheckHost refuses a host (a name or an IP literal, without port) that is
// or resolves to a blocked address. A name that does not resolve now is
// allowed: it cannot reach anything until it does, and Control checks then.
func CheckHost(ctx context.Context, host string) error {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if Blocked(ip) {
			return ErrPrivate
		}
		return nil
	}
	lower := strings.ToLower(host)
	if lower == "localhost" || strings.HasSuffix(lower, ".localhost") {
		return ErrPrivate
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, ip := range ips {
		if Blocked(ip) {
			return ErrPrivate
		}
	}
	return nil
}

// Control is a net.Dialer Control function that refuses to connect to a
// blocked address, whatever name led there.
func Control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("netguard: %q: %w", address, err)
	}
	if Blocked(ap.Addr()) {
		return ErrPrivate
	}
	return nil
}
