package live

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ParseProxy validates a proxy as the seed's frontend sends it —
// host:port, optionally with an http:// or socks5:// scheme and user:pass@
// credentials — and returns the URL to store (scheme always explicit).
func ParseProxy(in string) (string, error) {
	s := strings.TrimSpace(in)
	if s == "" || len(s) > 512 {
		return "", ErrBadProxy
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "socks5") || u.Opaque != "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", ErrBadProxy
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" || strings.ContainsAny(host, " /") {
		return "", ErrBadProxy
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", ErrBadProxy
	}
	if u.User != nil && u.User.Username() == "" {
		return "", ErrBadProxy
	}
	out := url.URL{Scheme: u.Scheme, Host: u.Host, User: u.User}
	return out.String(), nil
}

// DisplayProxy is a stored proxy as the API shows it: host:port for http
// (the seed's form), socks5://host:port otherwise, and never the
// credentials.
func DisplayProxy(stored string) string {
	u, err := url.Parse(stored)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Scheme == "http" {
		return u.Host
	}
	return u.Scheme + "://" + u.Host
}
