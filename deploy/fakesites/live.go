package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"fanout/pkg/live/tencent/tencenttest"
	"fanout/pkg/live/webcast/webcasttest"
)

// startLiveFakes serves the live assistant's fakes: Douyin's webcast and
// passport endpoints with their signer (webcasttest) and the Tencent Cloud
// API (tencenttest, with a fresh demo SecretId/SecretKey). It returns the
// env-file lines that point Fanout at them and a func that stops them.
func startLiveFakes(log *slog.Logger, webcastAddr, tencentAddr string) (envLines string, stop func(), err error) {
	wl, err := net.Listen("tcp", webcastAddr)
	if err != nil {
		return "", nil, fmt.Errorf("listen %s: %w", webcastAddr, err)
	}
	tl, err := net.Listen("tcp", tencentAddr)
	if err != nil {
		_ = wl.Close()
		return "", nil, fmt.Errorf("listen %s: %w", tencentAddr, err)
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	tc := tencenttest.New("AKIDfanoutdemo", hex.EncodeToString(key))
	ws := &http.Server{Handler: logRequests(log, webcasttest.New(webcasttest.Options{})), ReadHeaderTimeout: 10 * time.Second}
	ts := &http.Server{Handler: logRequests(log, tc), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = ws.Serve(wl) }()
	go func() { _ = ts.Serve(tl) }()
	wURL, tURL := "http://"+wl.Addr().String(), "http://"+tl.Addr().String()
	fmt.Printf("webcast %s\ntencent %s\n", wURL, tURL)
	log.Info("fake Douyin webcast/passport listening", "url", wURL)
	log.Info("fake Tencent Cloud API listening", "url", tURL)
	envLines = "FAKE_WEBCAST_URL=" + wURL + "\n" +
		"FAKE_TENCENT_URL=" + tURL + "\n" +
		"FAKE_TENCENT_SECRET_ID=" + tc.SecretID + "\n" +
		"FAKE_TENCENT_SECRET_KEY=" + tc.SecretKey + "\n"
	return envLines, func() { _ = ws.Close(); _ = ts.Close() }, nil
}
