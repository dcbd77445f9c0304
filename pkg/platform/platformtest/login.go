package platformtest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

func exerciseLogin(t *testing.T, h Harness) {
	t.Run("ShowsQRThenSucceedsAfterScan", func(t *testing.T) {
		s := newSetup(t, h, false)
		var phases []platform.Phase
		err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
			phases = append(phases, c.Phase)
			switch c.Phase {
			case platform.PhaseQRCode:
				if !strings.HasPrefix(c.QRCode, "data:image") {
					t.Errorf("QRCode = %.40q, want a data:image URL", c.QRCode)
				}
				// Scan without confirming first, so the driver must see the
				// scanned state before the login completes.
				if err := s.site.Scan(false); err != nil {
					t.Errorf("Scan(false): %v", err)
				}
			case platform.PhaseScanned:
				if err := s.site.Scan(true); err != nil {
					t.Errorf("Scan(true): %v", err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Login: %v (phases %v)", err, phases)
		}
		wantOrder(t, phases, platform.PhaseQRCode, platform.PhaseScanned)
		assertSessionCookie(t, s)
		ok, err := s.driver.CheckLogin(s.ctx)
		if err != nil || !ok {
			t.Errorf("CheckLogin after Login = %v, %v; want true, nil", ok, err)
		}
	})

	t.Run("ExpiredQRIsRefreshed", func(t *testing.T) {
		s := newSetup(t, h, false)
		var (
			phases []platform.Phase
			codes  []string
		)
		err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
			phases = append(phases, c.Phase)
			if c.Phase != platform.PhaseQRCode {
				return nil
			}
			codes = append(codes, c.QRCode)
			if len(codes) == 1 {
				s.site.ExpireQR()
				return nil
			}
			if err := s.site.Scan(true); err != nil {
				t.Errorf("Scan(true) on the refreshed code: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Login: %v (phases %v)", err, phases)
		}
		wantOrder(t, phases, platform.PhaseQRCode, platform.PhaseExpired, platform.PhaseQRCode)
		if len(codes) < 2 || codes[0] == codes[1] {
			t.Errorf("QR codes reported: %d, want a second, different code after the refresh", len(codes))
		}
		assertSessionCookie(t, s)
	})
}

// exerciseCookieLogin checks the Login of a platform whose accounts are
// added by importing cookies: it refuses at once, as an invalid request
// that names the cookie import, and shows no QR code.
func exerciseCookieLogin(t *testing.T, h Harness) {
	t.Run("RefusedWithCookieImportHint", func(t *testing.T) {
		s := newSetup(t, h, false)
		var phases []platform.Phase
		start := time.Now()
		err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
			phases = append(phases, c.Phase)
			return nil
		})
		if !errors.Is(err, platform.ErrInvalidRequest) || !strings.Contains(strings.ToLower(err.Error()), "cookies") {
			t.Fatalf("Login = %v, want ErrInvalidRequest saying to import cookies", err)
		}
		if len(phases) != 0 {
			t.Errorf("phases %v, want none", phases)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Login took %s to refuse", d)
		}
	})
}

func exerciseCheckLogin(t *testing.T, h Harness) {
	t.Run("True", func(t *testing.T) {
		s := newSetup(t, h, true)
		ok, err := s.driver.CheckLogin(s.ctx)
		if err != nil || !ok {
			t.Errorf("CheckLogin = %v, %v; want true, nil", ok, err)
		}
	})
	t.Run("False", func(t *testing.T) {
		s := newSetup(t, h, false)
		ok, err := s.driver.CheckLogin(s.ctx)
		if err != nil || ok {
			t.Errorf("CheckLogin = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("FalseAfterSessionExpired", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.ExpireSessions()
		ok, err := s.driver.CheckLogin(s.ctx)
		if err != nil || ok {
			t.Errorf("CheckLogin = %v, %v; want false, nil", ok, err)
		}
	})
}

// assertSessionCookie checks that the tab holds the site's session cookie.
func assertSessionCookie(t *testing.T, s *setup) {
	t.Helper()
	for _, c := range s.site.SessionCookies() {
		ok, err := browser.HasCookie(s.ctx, c.Name)
		if err != nil {
			t.Fatalf("HasCookie(%s): %v", c.Name, err)
		}
		if !ok {
			t.Errorf("cookie %s missing after login", c.Name)
		}
	}
}

// wantOrder checks that want appears in got as a subsequence.
func wantOrder[T comparable](t *testing.T, got []T, want ...T) {
	t.Helper()
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("sequence %v does not contain %v in order", got, want)
	}
}
