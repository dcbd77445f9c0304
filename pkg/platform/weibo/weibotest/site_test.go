package weibotest

import (
	"slices"
	"strings"
	"testing"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToNewlogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return strings.HasPrefix(loc, "/newlogin?") }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, pathHome, pathPublish)
}

func TestQRLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct{ Data struct{ Qrid, Image string } }
		fakesite.Call(t, c, "POST", s.URL()+"/sso/v2/qrcode/image", &qr)
		// The passport's code is an image URL with "qrcode" in it (§3.9).
		if !strings.Contains(qr.Data.Image, "qrcode") {
			t.Errorf("qrcode/image = %+v, want an image URL holding qrcode", qr)
		}
		return qr.Data.Qrid
	}, func(token string) string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+"/sso/v2/qrcode/check?qrid="+token, &st)
		return st.Data.Status
	})
}

func TestContentSplitsTopics(t *testing.T) {
	desc, tags := splitContent("窗外的雨声\n#春天# #vlog#")
	if desc != "窗外的雨声" || !slices.Equal(tags, []string{"春天", "vlog"}) {
		t.Errorf("splitContent = %q, %v", desc, tags)
	}
}
