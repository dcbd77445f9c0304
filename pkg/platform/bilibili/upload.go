package bilibili

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fanout/pkg/platform"
)

// upos is one file's upload after the preupload (§3.2): the fields biliup
// reads.
type upos struct {
	OK        int    `json:"OK"`
	Auth      string `json:"auth"`
	BizID     int64  `json:"biz_id"`
	ChunkSize int64  `json:"chunk_size"`
	Endpoint  string `json:"endpoint"`
	UposURI   string `json:"upos_uri"`
	// Code and Message come with a refusal (601/406, §7).
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// fileURL is https: + endpoint + / + upos_uri without upos:// (§3.3); the
// scheme follows the member host's, so a fake on http works alike.
func (d *Driver) fileURL(u upos) string {
	scheme := "https"
	if p, err := url.Parse(d.cfg.BaseURL); err == nil && p.Scheme != "" {
		scheme = p.Scheme
	}
	return scheme + ":" + u.Endpoint + "/" + strings.TrimPrefix(u.UposURI, "upos://")
}

// stem is the upload's name in the submit: the stem of upos_uri (§3.5).
func (u upos) stem() string {
	base := path.Base(strings.TrimPrefix(u.UposURI, "upos://"))
	return strings.TrimSuffix(base, path.Ext(base))
}

// upload sends the video (§3.2–3.5) and returns its upos_uri stem,
// reporting StepUploading with the share of bytes sent.
func (d *Driver) upload(ctx context.Context, videoPath string, onProgress func(platform.Progress) error) (string, error) {
	f, err := os.Open(videoPath)
	if err != nil {
		return "", fmt.Errorf("bilibili: open video: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("bilibili: stat video: %w", err)
	}
	total, name := fi.Size(), filepath.Base(videoPath)
	u, err := d.preupload(ctx, name, total)
	if err != nil {
		return "", err
	}
	fileURL := d.fileURL(u)
	auth := http.Header{"X-Upos-Auth": {u.Auth}}
	var initRes struct {
		OK       int    `json:"OK"`
		UploadID string `json:"upload_id"`
	}
	if err := d.uposCall(ctx, call{method: "POST", url: fileURL, query: url.Values{"uploads": {""}, "output": {"json"}},
		header: auth, ua: uploadUA, timeout: 60 * time.Second, record: true}, 5, &initRes); err != nil {
		return "", fmt.Errorf("bilibili: upload init: %w", err)
	}
	if initRes.OK != 1 || initRes.UploadID == "" {
		return "", fmt.Errorf("bilibili: upload init: no upload id: %w", platform.ErrUploadFailed)
	}
	if err := onProgress(platform.Progress{Step: platform.StepUploading, Percent: 0}); err != nil {
		return "", err
	}
	parts, err := d.chunks(ctx, f, total, u, fileURL, initRes.UploadID, onProgress)
	if err != nil {
		return "", err
	}
	var done struct {
		OK int `json:"OK"`
	}
	q := url.Values{"output": {"json"}, "name": {name}, "profile": {"ugcupos/bup"}, "uploadId": {initRes.UploadID},
		"biz_id": {strconv.FormatInt(u.BizID, 10)}}
	if err := d.uposCall(ctx, call{method: "POST", url: fileURL, query: q, json: map[string]any{"parts": parts},
		header: auth, ua: uploadUA, timeout: 60 * time.Second, record: true}, 5, &done); err != nil {
		return "", fmt.Errorf("bilibili: upload complete: %w", err)
	}
	if done.OK != 1 {
		return "", fmt.Errorf("bilibili: upload complete: not OK: %w", platform.ErrUploadFailed)
	}
	return u.stem(), nil
}

// preupload asks the member host where to send the file (§3.2). Its rate
// limit (601, or 406 since 2025) is reported as the site's refusal: the
// reference's users see it last about an hour, so an automatic retry
// cannot help (§8, inferred).
func (d *Driver) preupload(ctx context.Context, name string, size int64) (upos, error) {
	q := url.Values{"zone": {"cs"}, "upcdn": {d.cfg.Line}, "probe_version": {"20221109"}, "name": {name}, "r": {"upos"},
		"profile": {"ugcupos/bup"}, "ssl": {"0"}, "version": {"2.14.0"}, "build": {"2140000"}, "size": {strconv.FormatInt(size, 10)}}
	res, err := d.do(ctx, call{method: "GET", url: d.cfg.BaseURL + "/preupload", query: q, cookies: true, ua: cookieUA,
		timeout: d.cfg.Timeout, record: true})
	if err != nil {
		return upos{}, err
	}
	var u upos
	if err := json.Unmarshal(res.body, &u); err != nil {
		return upos{}, fmt.Errorf("bilibili: preupload: HTTP %d, not the site's JSON: %w", res.status, platform.ErrUploadFailed)
	}
	switch {
	case u.Code == codeNotLoggedIn:
		return upos{}, fmt.Errorf("bilibili: preupload: %s (%d): %w", u.Message, u.Code, platform.ErrLoginRequired)
	case u.Code == codeRateLimit || u.Code == codeRateLimit2:
		return upos{}, fmt.Errorf("bilibili: preupload refused: upload rate limit, wait about an hour: %s (%d): %w", u.Message, u.Code, platform.ErrRejected)
	case res.status/100 != 2 || u.OK != 1:
		return upos{}, fmt.Errorf("bilibili: preupload: HTTP %d, %s (%d): %w", res.status, u.Message, u.Code, platform.ErrUploadFailed)
	case u.ChunkSize <= 0 || u.Endpoint == "" || u.UposURI == "" || u.Auth == "":
		return upos{}, fmt.Errorf("bilibili: preupload: incomplete answer: %w", platform.ErrUploadFailed)
	}
	return u, nil
}

// uposCall sends an init or complete with up to retries retries on a
// network error or a 5xx (§3.6, reqwest-retry) and decodes the {"OK":…}
// answer into out.
func (d *Driver) uposCall(ctx context.Context, c call, retries int, out any) error {
	return d.retry(ctx, retries, func() error {
		res, err := d.do(ctx, c)
		switch {
		case err != nil:
			return err
		case res.status >= 500:
			return fmt.Errorf("HTTP %d: %.200s", res.status, res.body)
		case res.status/100 != 2:
			return permanent{fmt.Errorf("HTTP %d: %.200s: %w", res.status, res.body, platform.ErrUploadFailed)}
		}
		if err := json.Unmarshal(res.body, out); err != nil {
			return permanent{fmt.Errorf("not the site's JSON: %w", platform.ErrUploadFailed)}
		}
		return nil
	})
}

// permanent is an error retry gives up on at once.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retry runs f until it succeeds, fails permanently, ctx ends or it failed
// 1+retries times, sleeping RetryBase·2^n plus up to a second of jitter
// (capped at 64s) between tries (§3.6). The last error is wrapped as
// ErrUploadFailed.
func (d *Driver) retry(ctx context.Context, retries int, f func() error) error {
	for n := 0; ; n++ {
		err := f()
		var p permanent
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &p):
			return p.error
		case n >= retries:
			return fmt.Errorf("%w after %d tries: %w", platform.ErrUploadFailed, n+1, err)
		}
		wait := min(d.cfg.RetryBase<<n, 64*time.Second)
		wait += time.Duration(rand.Int64N(int64(min(time.Second, d.cfg.RetryBase)) + 1))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// part is one sent chunk as complete lists it (§3.4: eTag is the literal
// "etag").
type part struct {
	PartNumber int    `json:"partNumber"`
	ETag       string `json:"eTag"`
}

// chunks PUTs the file in ChunkSize pieces, Threads at once, each retried
// on its own (a failed chunk is sent again alone, the rest stands), and
// returns the parts in completion order (§3.4, §3.5). Progress is reported
// from this goroutine only, as chunks finish.
func (d *Driver) chunks(ctx context.Context, f *os.File, total int64, u upos, fileURL, uploadID string, onProgress func(platform.Progress) error) ([]part, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := int((total + u.ChunkSize - 1) / u.ChunkSize)
	if total == 0 {
		return nil, fmt.Errorf("bilibili: the video is empty: %w", platform.ErrUploadFailed)
	}
	todo := make(chan int)
	type result struct {
		part part
		size int64
		err  error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for range min(d.cfg.Threads, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range todo {
				size, err := d.chunk(ctx, f, i, n, total, u, fileURL, uploadID)
				select {
				case results <- result{part{i + 1, "etag"}, size, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(todo)
		for i := range n {
			select {
			case todo <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	var (
		parts    []part
		sent     int64
		reported = -1
	)
	for len(parts) < n {
		var r result
		select {
		case r = <-results:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
		if r.err != nil {
			cancel(r.err)
			return nil, fmt.Errorf("bilibili: chunk %d of %d: %w", r.part.PartNumber, n, r.err)
		}
		parts = append(parts, r.part)
		sent += r.size
		if pct := int(sent * 100 / total); pct >= reported+5 || len(parts) == n {
			reported = pct
			if err := onProgress(platform.Progress{Step: platform.StepUploading, Percent: pct}); err != nil {
				cancel(err)
				return nil, err
			}
		}
	}
	return parts, nil
}

// chunk sends chunk i of n (§3.4) with its retries and returns its size.
func (d *Driver) chunk(ctx context.Context, f *os.File, i, n int, total int64, u upos, fileURL, uploadID string) (int64, error) {
	start := int64(i) * u.ChunkSize
	size := min(u.ChunkSize, total-start)
	buf := make([]byte, size)
	if _, err := f.ReadAt(buf, start); err != nil {
		return 0, permanent{fmt.Errorf("read the video: %w", err)}
	}
	q := url.Values{"uploadId": {uploadID}, "chunks": {strconv.Itoa(n)}, "total": {strconv.FormatInt(total, 10)},
		"chunk": {strconv.Itoa(i)}, "size": {strconv.FormatInt(size, 10)}, "partNumber": {strconv.Itoa(i + 1)},
		"start": {strconv.FormatInt(start, 10)}, "end": {strconv.FormatInt(start+size, 10)}}
	err := d.retry(ctx, d.cfg.ChunkRetries, func() error {
		res, err := d.do(ctx, call{method: "PUT", url: fileURL, query: q, body: buf,
			header: http.Header{"X-Upos-Auth": {u.Auth}}, ua: uploadUA, timeout: d.cfg.ChunkTimeout})
		if err != nil {
			return err
		}
		if res.status/100 != 2 {
			return fmt.Errorf("HTTP %d: %.200s", res.status, res.body)
		}
		return nil
	})
	return size, err
}
