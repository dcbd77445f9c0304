package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"fanout/pkg/platform/baijiahao/baijiahaotest"
	"fanout/pkg/platform/bilibili/bilibilitest"
	"fanout/pkg/platform/channels/channelstest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/kuaishou/kuaishoutest"
	"fanout/pkg/platform/tiktok/tiktoktest"
	"fanout/pkg/platform/weibo/weibotest"
	"fanout/pkg/platform/xiaohongshu/xiaohongshutest"
	"fanout/pkg/platform/youtube/youtubetest"
)

// urlSetter is a fake site that must know the URL it is served at (its QR
// codes and redirects name it).
type urlSetter interface {
	http.Handler
	SetURL(string)
}

// startPlatformFakes serves the fake creator sites of the platforms beside
// Douyin, each on its own listener (FAKESITES_<NAME>_ADDR, default a free
// loopback port), and returns their FAKE_<NAME>_URL env lines.
func startPlatformFakes(log *slog.Logger, upload time.Duration) (string, func(), error) {
	sites := []struct {
		name string
		site urlSetter
	}{
		{"kuaishou", kuaishoutest.New(fakesite.Options{UploadDuration: upload})},
		{"xiaohongshu", xiaohongshutest.New(fakesite.Options{UploadDuration: upload})},
		{"channels", channelstest.New(fakesite.Options{UploadDuration: upload})},
		{"tiktok", tiktoktest.New(fakesite.Options{UploadDuration: upload})},
		// Bilibili's passport, member and UPOS hosts, all on one URL.
		{"bilibili", bilibilitest.New(fakesite.Options{UploadDuration: upload})},
		{"youtube", youtubetest.New(fakesite.Options{UploadDuration: upload})},
		{"baijiahao", baijiahaotest.New(fakesite.Options{UploadDuration: upload})},
		{"weibo", weibotest.New(fakesite.Options{UploadDuration: upload})},
	}
	var servers []*http.Server
	stop := func() {
		for _, s := range servers {
			_ = s.Close()
		}
	}
	var lines strings.Builder
	for _, s := range sites {
		addr := env(fmt.Sprintf("FAKESITES_%s_ADDR", strings.ToUpper(s.name)), "127.0.0.1:0")
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			stop()
			return "", nil, fmt.Errorf("listen %s for %s: %w", addr, s.name, err)
		}
		url := "http://" + ln.Addr().String()
		s.site.SetURL(url)
		srv := &http.Server{Handler: logRequests(log.With("site", s.name), s.site), ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() { _ = srv.Serve(ln) }()
		fmt.Printf("%s %s\n", s.name, url)
		fmt.Fprintf(&lines, "FAKE_%s_URL=%s\n", strings.ToUpper(s.name), url)
		log.Info("fake site listening", "site", s.name, "url", url)
	}
	return lines.String(), stop, nil
}
