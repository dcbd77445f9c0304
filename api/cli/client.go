package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// client calls Fanout's /api/v1 with a token.
type client struct {
	base, token string
	http        *http.Client
}

// apiError is the /api/v1 error envelope.
type apiError struct {
	Status int
	Code   string `json:"code"`
	Msg    string `json:"message"`
	Fields []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"fields"`
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d): %s", e.Code, e.Status, e.Msg)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

func (c *client) do(ctx context.Context, method, path string, body io.Reader, contentType string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		var env struct {
			Error apiError `json:"error"`
		}
		if json.Unmarshal(raw, &env) == nil && env.Error.Code != "" {
			env.Error.Status = res.StatusCode
			return &env.Error
		}
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil && len(raw) > 0 {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (c *client) json(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	return c.do(ctx, method, path, body, "application/json", out)
}

// progress counts bytes read and reports every whole percent.
type progress struct {
	r          io.Reader
	done, size int64
	last       int
	report     func(pct int, done, size int64)
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.size > 0 {
		if pct := int(p.done * 100 / p.size); pct != p.last {
			p.last = pct
			p.report(pct, p.done, p.size)
		}
	}
	return n, err
}

// upload streams path as multipart to /api/v1/files, reporting progress.
func (c *client) upload(ctx context.Context, path, kind string, report func(pct int, done, size int64)) (file, error) {
	var f file
	fh, err := os.Open(path)
	if err != nil {
		return f, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return f, err
	}
	if !st.Mode().IsRegular() {
		return f, errors.New(path + " is not a regular file")
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(w, &progress{r: fh, size: st.Size(), last: -1, report: report})
		}
		pw.CloseWithError(errors.Join(err, mw.Close()))
	}()
	q := ""
	if kind != "" {
		q = "?kind=" + kind
	}
	return f, c.do(ctx, "POST", "/api/v1/files"+q, pr, mw.FormDataContentType(), &f)
}

type file struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	SizeBytes int64  `json:"size_bytes"`
	SHA256    string `json:"sha256"`
}

type account struct {
	ID            string     `json:"id"`
	Platform      string     `json:"platform"`
	Name          string     `json:"name"`
	Status        string     `json:"status"`
	HasCookies    bool       `json:"has_cookies"`
	LastCheckedAt *time.Time `json:"last_checked_at"`
	ExpiresHint   *time.Time `json:"expires_hint"`
}

type task struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Platform  string          `json:"platform"`
	AccountID string          `json:"account_id"`
	State     string          `json:"state"`
	Step      string          `json:"step"`
	Progress  int             `json:"progress"`
	Result    json.RawMessage `json:"result"`
	Error     *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Step    string `json:"step"`
	} `json:"error"`
}

func (t task) terminal() bool {
	return t.State == "succeeded" || t.State == "failed" || t.State == "canceled"
}

// result is what a task's result may show.
type result struct {
	Phase     string `json:"phase"`
	QRCode    string `json:"qrcode"`
	Message   string `json:"message"`
	Valid     *bool  `json:"valid"`
	Challenge *struct {
		Kind   string `json:"kind"`
		Prompt string `json:"prompt"`
	} `json:"challenge"`
	Warnings []struct {
		Step   string `json:"step"`
		Reason string `json:"reason"`
	} `json:"warnings"`
}

// follow polls tasks until every one has ended, calling change for each
// change of state, step or phase.
func (c *client) follow(ctx context.Context, ids []string, every time.Duration, change func(task, result)) (map[string]task, error) {
	seen := map[string]string{}
	out := map[string]task{}
	for {
		open := 0
		for _, id := range ids {
			if t, ok := out[id]; ok && t.terminal() {
				continue
			}
			var t task
			if err := c.json(ctx, "GET", "/api/v1/tasks/"+id, nil, &t); err != nil {
				return out, err
			}
			var r result
			_ = json.Unmarshal(t.Result, &r)
			if key := t.State + "/" + t.Step + "/" + r.Phase; seen[id] != key {
				seen[id] = key
				change(t, r)
			}
			out[id] = t
			if !t.terminal() {
				open++
			}
		}
		if open == 0 {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-time.After(every):
		}
	}
}
