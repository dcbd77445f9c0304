// Package testenv gives tests the real services they need — a fresh Postgres
// schema, a private Redis database index, the Chromium binary — and the one
// policy for when a service is missing: skip on a developer machine, fail
// when CI is set, so a CI run can never pass by skipping.
//
// Only tests import this package.
package testenv

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"fanout/pkg/browser"
)

// Missing skips the test, or fails it under CI, because a service is absent.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatalf("testenv: %s (CI is set, so this fails instead of skipping)", msg)
	}
	t.Skipf("testenv: %s", msg)
}

// DatabaseURL is the server tests use: TEST_DATABASE_URL, then DATABASE_URL,
// then the local default.
func DatabaseURL() string {
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// RedisAddr is the Redis tests use: TEST_REDIS_ADDR, then REDIS_ADDR, then
// 127.0.0.1:6379.
func RedisAddr() string {
	for _, k := range []string{"TEST_REDIS_ADDR", "REDIS_ADDR"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "127.0.0.1:6379"
}

// Postgres creates an empty schema for this test and returns a DSN whose
// connections use it (search_path), so migrations and queries land there. The
// schema is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	base := DatabaseURL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		Missing(t, "postgres at %s: %v", base, err)
		return ""
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("t_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testenv: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	return withParam(base, "search_path", schema)
}

func withParam(dsn, k, v string) string {
	sep := "?"
	for _, c := range dsn {
		if c == '?' {
			sep = "&"
		}
	}
	return dsn + sep + k + "=" + v
}

// Redis reserves a Redis database index (1–15) for this test, flushes it and
// returns the address and index. The reservation is a key with a TTL in DB 0,
// so parallel test binaries sharing one server never share an index.
func Redis(t testing.TB) (addr string, db int) {
	t.Helper()
	addr = RedisAddr()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ctl := redis.NewClient(&redis.Options{Addr: addr})
	if err := ctl.Ping(ctx).Err(); err != nil {
		_ = ctl.Close()
		Missing(t, "redis at %s: %v", addr, err)
		return "", 0
	}
	token := fmt.Sprintf("%d-%d", os.Getpid(), rand.Int64())
	deadline := time.Now().Add(60 * time.Second)
	for db = 0; ; {
		for i := 1; i <= 15; i++ {
			ok, err := ctl.SetNX(ctx, fmt.Sprintf("fanout:testenv:db:%d", i), token, 10*time.Minute).Result()
			if err == nil && ok {
				db = i
				break
			}
		}
		if db != 0 {
			break
		}
		if time.Now().After(deadline) {
			_ = ctl.Close()
			t.Fatalf("testenv: no free redis db index")
		}
		time.Sleep(200 * time.Millisecond)
	}
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db})
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("testenv: flush redis db %d: %v", db, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.FlushDB(ctx).Err()
		_ = c.Close()
		key := fmt.Sprintf("fanout:testenv:db:%d", db)
		if v, _ := ctl.Get(ctx, key).Result(); v == token {
			ctl.Del(ctx, key)
		}
		_ = ctl.Close()
	})
	return addr, db
}

// Chrome returns the Chromium binary, or skips/fails when there is none.
func Chrome(t testing.TB) string {
	t.Helper()
	p, err := browser.FindChrome("")
	if err != nil {
		Missing(t, "%v", err)
	}
	return p
}

// Testdata returns the path of a file in this package's testdata folder:
// sample.mp4 (a 2-second H.264 video) and cover.png.
func Testdata(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", name)
}

// SampleUpload is a multipart/form-data body carrying the test video
// sample.mp4 as the part "file", and its content type.
func SampleUpload(t testing.TB) (*bytes.Buffer, string) {
	t.Helper()
	data, err := os.ReadFile(Testdata("sample.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "sample.mp4")
	w.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}
