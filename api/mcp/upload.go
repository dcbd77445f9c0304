package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/netguard"
)

type uploadIn struct {
	Path     string `json:"path,omitempty" jsonschema:"a file inside the server's upload directory, absolute or relative to it"`
	URL      string `json:"url,omitempty" jsonschema:"an http(s) URL to download the file from"`
	Filename string `json:"filename,omitempty" jsonschema:"the name to keep (default: the path's or the URL's last element)"`
	Kind     string `json:"kind,omitempty" jsonschema:"video (the default), or cover or image (png, jpeg, webp: a cover, or an image note's image)"`
}

// uploadFile stores a file from the upload directory or a URL, through the
// same app.Upload as POST /api/v1/files: the same size limit, content
// sniffing and name cleaning.
func (t *tools) uploadFile(ctx context.Context, _ *sdk.CallToolRequest, in uploadIn) (*sdk.CallToolResult, job.File, error) {
	f, err := t.upload(ctx, in)
	if err != nil {
		return nil, job.File{}, t.asToolError(ctx, "upload_file", err)
	}
	return nil, f, nil
}

func (t *tools) upload(ctx context.Context, in uploadIn) (job.File, error) {
	kind := filestore.Video
	switch in.Kind {
	case "", "video":
	case "cover", "image":
		kind = filestore.Image
	default:
		return job.File{}, invalid("kind", "must be video or cover")
	}
	var (
		r    io.ReadCloser
		name string
		err  error
	)
	switch {
	case (in.Path == "") == (in.URL == ""):
		return job.File{}, invalid("path", "give exactly one of path and url")
	case in.Path != "":
		r, name, err = t.openLocal(in.Path)
	default:
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.cfg.FetchTimeout)
		defer cancel()
		r, name, err = t.download(ctx, in.URL)
	}
	if err != nil {
		return job.File{}, err
	}
	defer r.Close()
	if in.Filename != "" {
		name = in.Filename
	}
	return t.app.Upload(ctx, name, kind, r)
}

// openLocal opens a regular file inside the upload directory. The path is
// resolved in an os.Root, which refuses ".." and symlinks that lead out
// of the directory; the messages never say whether something outside
// exists.
func (t *tools) openLocal(p string) (*os.File, string, error) {
	dir := t.cfg.UploadDir
	if dir == "" {
		return nil, "", invalid("path", "uploads from server paths are off (FANOUT_MCP_UPLOAD_DIR is not set); give a url")
	}
	outside := invalid("path", "must name a file inside the upload directory "+dir)
	rel := filepath.Clean(p)
	if filepath.IsAbs(rel) {
		var err error
		if rel, err = filepath.Rel(dir, rel); err != nil {
			return nil, "", outside
		}
	}
	if !filepath.IsLocal(rel) {
		return nil, "", outside
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", fmt.Errorf("upload directory: %w", err)
	}
	defer root.Close()
	// Stat before opening: opening a FIFO would block.
	st, err := root.Stat(rel)
	if err != nil || !st.Mode().IsRegular() {
		return nil, "", invalid("path", "not a readable file inside the upload directory")
	}
	f, err := root.Open(rel)
	if err != nil {
		return nil, "", invalid("path", "not a readable file inside the upload directory")
	}
	return f, filepath.Base(rel), nil
}

// errPrivateURL refuses a URL on the server's own network.
var errPrivateURL = invalid("url", "points at a loopback, link-local or private address (set FANOUT_MCP_ALLOW_PRIVATE_URLS=true to allow)")

// download opens an http(s) URL's body. Unless private addresses are
// allowed, the host is checked first for a clear message and every
// connection again when it is dialled (a redirect or a DNS answer that
// changed cannot lead inside). A declared length over the upload limit is
// refused before reading; app.Upload bounds the rest.
func (t *tools) download(ctx context.Context, raw string) (io.ReadCloser, string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, "", invalid("url", "must be an http(s) URL")
	}
	if !t.cfg.AllowPrivateURLs && errors.Is(netguard.CheckHost(ctx, u.Hostname()), netguard.ErrPrivate) {
		return nil, "", errPrivateURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", invalid("url", "must be an http(s) URL")
	}
	res, err := t.client.Do(req)
	switch {
	case errors.Is(err, netguard.ErrPrivate):
		return nil, "", errPrivateURL
	case err != nil && ctx.Err() != nil:
		return nil, "", invalid("url", fmt.Sprintf("the download did not finish within %s", t.cfg.FetchTimeout))
	case err != nil:
		return nil, "", invalid("url", "could not be downloaded: "+err.Error())
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, "", invalid("url", fmt.Sprintf("answered %s", res.Status))
	}
	if res.ContentLength > t.app.MaxUploadBytes() {
		res.Body.Close()
		return nil, "", &job.Error{Code: job.ETooLarge, Message: "file too large",
			Fields: []job.FieldError{{Field: "url", Message: "exceeds the upload size limit"}}}
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." {
		name = "download"
	}
	return res.Body, name, nil
}

// downloadClient fetches upload URLs: no proxy from the environment (a
// proxy would dial for us, past the address check), at most five
// redirects, and bounded waits for each phase.
func downloadClient(cfg Config) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivateURLs {
		d.Control = netguard.Control
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second, MaxIdleConns: 4, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if s := strings.ToLower(req.URL.Scheme); s != "http" && s != "https" {
			return errors.New("a redirect to another scheme")
		}
		return nil
	}}
}
