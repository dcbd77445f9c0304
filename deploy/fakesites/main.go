// Command fakesites serves the fake platform sites (today the Douyin creator
// site of douyintest) on real listeners, for the demo and for trying the
// worker by hand without a real account. It prints one line per site,
//
//	douyin http://127.0.0.1:PORT
//
// (plus "webcast URL" and "tencent URL", the live assistant's fakes, see
// live.go) and, with -env-file, writes FAKE_DOUYIN_URL=... (and
// FAKE_WEBCAST_URL, FAKE_TENCENT_URL, FAKE_TENCENT_SECRET_ID/KEY) there once
// the listeners are up (atomically, so a script polling the file never reads
// half of it). The
// simulated phone scans with: curl -X POST $FAKE_DOUYIN_URL/__fake__/scan.
// See package douyintest for the other /__fake__/ endpoints.
//
// Flags take their defaults from the environment: FAKESITES_DOUYIN_ADDR,
// FAKESITES_WEBCAST_ADDR, FAKESITES_TENCENT_ADDR, FAKESITES_ENV_FILE,
// FAKESITES_UPLOAD_DURATION.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(log); err != nil {
		log.Error("fakesites", "err", err)
		os.Exit(1)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func run(log *slog.Logger) error {
	upload, err := time.ParseDuration(env("FAKESITES_UPLOAD_DURATION", "1500ms"))
	if err != nil {
		return fmt.Errorf("FAKESITES_UPLOAD_DURATION: %w", err)
	}
	addr := flag.String("douyin-addr", env("FAKESITES_DOUYIN_ADDR", "127.0.0.1:0"), "listen address of the fake Douyin creator site (port 0 picks a free port)")
	webcastAddr := flag.String("webcast-addr", env("FAKESITES_WEBCAST_ADDR", "127.0.0.1:0"), "listen address of the fake Douyin webcast/passport endpoints (live assistant)")
	tencentAddr := flag.String("tencent-addr", env("FAKESITES_TENCENT_ADDR", "127.0.0.1:0"), "listen address of the fake Tencent Cloud API (live relay)")
	envFile := flag.String("env-file", env("FAKESITES_ENV_FILE", ""), "write FAKE_DOUYIN_URL=... to this file once listening")
	flag.DurationVar(&upload, "upload-duration", upload, "simulated processing time after a video upload")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	site := douyintest.New(fakesite.Options{UploadDuration: upload})
	url := "http://" + ln.Addr().String()
	site.SetURL(url)
	srv := &http.Server{
		Handler:           logRequests(log, site),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	fmt.Printf("douyin %s\n", url)
	liveEnv, stopLive, err := startLiveFakes(log, *webcastAddr, *tencentAddr)
	if err != nil {
		_ = srv.Close()
		return err
	}
	defer stopLive()
	platformEnv, stopPlatforms, err := startPlatformFakes(log, upload)
	if err != nil {
		_ = srv.Close()
		return err
	}
	defer stopPlatforms()
	if *envFile != "" {
		if err := writeEnv(*envFile, "FAKE_DOUYIN_URL="+url+"\n"+platformEnv+liveEnv); err != nil {
			_ = srv.Close()
			return err
		}
	}
	log.Info("fake douyin listening", "url", url, "upload_duration", upload)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// writeEnv replaces path with content atomically.
func writeEnv(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fakesites-env-*")
	if err != nil {
		return fmt.Errorf("env file: %w", err)
	}
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("env file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("env file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("env file: %w", err)
	}
	return nil
}

// logRequests logs the requests that matter in a demo (scans, knobs,
// publishes) at info and the rest at debug, except the login page's and the
// upload page's polls, which would drown everything else.
func logRequests(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		level := slog.LevelDebug
		switch r.URL.Path {
		case "/passport/web/check_qrconnect/", "/web/api/media/upload/status/":
			return
		case "/__fake__/scan", "/__fake__/knobs", "/__fake__/reset", "/web/api/media/aweme/create/":
			level = slog.LevelInfo
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "took", time.Since(start))
	})
}
