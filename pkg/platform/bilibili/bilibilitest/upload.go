package bilibilitest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fanout/pkg/platform/fakesite"
)

// upload is one file between preupload and complete.
type upload struct {
	name      string
	auth      string
	bizID     int64
	size      int64 // as the preupload declared it
	chunkSize int64
	uploadID  string
	total     int64 // as the first chunk named it
	chunks    map[int][]byte
	done      bool
}

// preupload names where the file goes (§3.2, §10 Preupload): it needs a
// live SESSDATA, name and size. The RateLimit knob answers HTTP 406 with
// code 601 (§7).
func (s *Site) preupload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !s.validSession(sessionOf(r)) {
		// assumed: the reference shows no logged-out preupload answer.
		fakesite.WriteJSON(w, http.StatusOK, map[string]any{"OK": 0, "code": CodeNotLoggedIn, "message": "账号未登录"})
		return
	}
	size, err := strconv.ParseInt(q.Get("size"), 10, 64)
	if err != nil || size <= 0 || q.Get("name") == "" || q.Get("r") != "upos" || q.Get("profile") != "ugcupos/bup" {
		fakesite.WriteJSON(w, http.StatusBadRequest, map[string]any{"OK": 0, "code": 400, "message": "参数错误"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimits > 0 {
		s.rateLimits--
		fakesite.WriteJSON(w, http.StatusNotAcceptable, map[string]any{"OK": 0, "code": 601,
			"message": "您上传视频过快，请您稍作休息后再继续", "detail": map[string]string{"v_voucher": "voucher_" + fakesite.RandomID(6)}})
		return
	}
	file := "n" + fakesite.RandomID(12)
	u := &upload{name: q.Get("name"), auth: "ak=" + fakesite.RandomID(10) + "&os=upos&uid=10086", bizID: time.Now().UnixNano() % 1e9,
		size: size, chunkSize: s.chunkSize, chunks: map[int][]byte{}}
	s.files[file] = u
	fakesite.WriteJSON(w, http.StatusOK, map[string]any{"OK": 1, "auth": u.auth, "biz_id": u.bizID, "chunk_size": u.chunkSize,
		"endpoint": "//" + r.Host, "upos_uri": "upos://ugcfx2lf/" + file + ".mp4", "threads": 3, "chunk_retry": 10, "timeout": 1200})
}

// fileOf returns the upload a UPOS path names, checking X-Upos-Auth (§10
// Init); it answers the refusal itself.
func (s *Site) fileOf(w http.ResponseWriter, r *http.Request) (string, *upload) {
	file := strings.TrimSuffix(r.PathValue("file"), ".mp4")
	s.mu.Lock()
	u := s.files[file]
	s.mu.Unlock()
	switch {
	case u == nil:
		http.Error(w, "NO_SUCH_UPLOAD", http.StatusNotFound)
		return "", nil
	case r.Header.Get("X-Upos-Auth") != u.auth:
		http.Error(w, "AUTH_FAILED", http.StatusForbidden)
		return "", nil
	}
	return file, u
}

// uposPost is the init (?uploads, §3.3) or the complete (?uploadId, §3.5).
func (s *Site) uposPost(w http.ResponseWriter, r *http.Request) {
	file, u := s.fileOf(w, r)
	if u == nil {
		return
	}
	q := r.URL.Query()
	if q.Has("uploads") {
		s.mu.Lock()
		u.uploadID = fakesite.RandomID(16)
		s.mu.Unlock()
		fakesite.WriteJSON(w, http.StatusOK, map[string]any{"OK": 1, "bucket": "ugcfx2lf", "key": "/" + file + ".mp4", "upload_id": u.uploadID})
		return
	}
	s.complete(w, r, file, u)
}

// chunk receives one PUT (§3.4) and checks it as §10 Chunk PUT lists: the
// auth and upload id, partNumber = chunk+1, start = chunk·chunk_size,
// end = start+size, body length = size = Content-Length, full chunks but
// the last (whose end is total), chunks = ceil(total/chunk_size) and the
// same total on every chunk. It counts the PUTs in flight; the
// FailNextUpload and FailChunk knobs fail them with HTTP 500.
func (s *Site) chunk(w http.ResponseWriter, r *http.Request) {
	_, u := s.fileOf(w, r)
	if u == nil {
		return
	}
	s.mu.Lock()
	s.inFlight++
	s.peak = max(s.peak, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	s.Sleep(r, fakesite.DelayUpload)
	q := r.URL.Query()
	n := func(k string) int64 {
		v, err := strconv.ParseInt(q.Get(k), 10, 64)
		if err != nil {
			return -1
		}
		return v
	}
	i, part, start, end, size, total, chunks := n("chunk"), n("partNumber"), n("start"), n("end"), n("size"), n("total"), n("chunks")
	body, err := io.ReadAll(io.LimitReader(r.Body, u.chunkSize+1))
	if err != nil {
		http.Error(w, "READ_FAILED", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bad := ""
	switch {
	case q.Get("uploadId") == "" || q.Get("uploadId") != u.uploadID:
		bad = "unknown uploadId"
	case i < 0 || part != i+1:
		bad = "partNumber must be chunk+1"
	case start != i*u.chunkSize:
		bad = "start must be chunk*chunk_size"
	case end != start+size:
		bad = "end must be start+size"
	case int64(len(body)) != size || r.ContentLength != size:
		bad = fmt.Sprintf("body %d bytes, Content-Length %d, size %d", len(body), r.ContentLength, size)
	case total != u.size || (u.total != 0 && total != u.total):
		bad = "total differs from the preupload's size or an earlier chunk's"
	case chunks != (total+u.chunkSize-1)/u.chunkSize || i >= chunks:
		bad = "chunks must be ceil(total/chunk_size)"
	case end < total && size != u.chunkSize, end > total, end == total && i != chunks-1:
		bad = "only the last chunk may be short, and it ends at total"
	}
	if bad != "" {
		http.Error(w, "BAD_CHUNK: "+bad, http.StatusBadRequest)
		return
	}
	if s.failChunk[int(i)] > 0 {
		s.failChunk[int(i)]--
		s.failed++
		http.Error(w, "INTERNAL_ERROR", http.StatusInternalServerError)
		return
	}
	if s.failChunks > 0 {
		s.failChunks--
		s.failed++
		http.Error(w, "INTERNAL_ERROR", http.StatusInternalServerError)
		return
	}
	u.total = total
	u.chunks[int(i)] = body
	_, _ = io.WriteString(w, "MULTIPART_PUT_SUCCESS")
}

// complete assembles the file (§3.5, §10 Complete): part numbers must be
// exactly 1..chunks in any order, each chunk received, else HTTP 500
// PART_COUNT_ERR; the name and biz_id must be the preupload's. The file's
// SHA-256 (which the real protocol does not carry) is stored under its
// upos stem for the submit and the tests.
func (s *Site) complete(w http.ResponseWriter, r *http.Request, file string, u *upload) {
	q := r.URL.Query()
	var body struct {
		Parts []struct {
			PartNumber int    `json:"partNumber"`
			ETag       string `json:"eTag"`
		} `json:"parts"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		http.Error(w, "BAD_BODY", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.Get("uploadId") != u.uploadID || q.Get("name") != u.name || q.Get("biz_id") != strconv.FormatInt(u.bizID, 10) || q.Get("output") != "json" {
		http.Error(w, "BAD_PARAMS", http.StatusBadRequest)
		return
	}
	want := int((u.size + u.chunkSize - 1) / u.chunkSize)
	seen := map[int]bool{}
	for _, p := range body.Parts {
		if p.PartNumber < 1 || p.PartNumber > want || seen[p.PartNumber] || u.chunks[p.PartNumber-1] == nil {
			break
		}
		seen[p.PartNumber] = true
	}
	if len(seen) != want || len(body.Parts) != want {
		http.Error(w, fmt.Sprintf("PART_COUNT_ERR_GOT_%d_EXPECT_%d", len(seen), want), http.StatusInternalServerError)
		return
	}
	h := sha256.New()
	var n int64
	for i := range want {
		h.Write(u.chunks[i])
		n += int64(len(u.chunks[i]))
	}
	u.done = true
	s.StoreVideo(file, fakesite.File{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Name: u.name, Start: time.Now(), ReadyAt: time.Now()})
	fakesite.WriteJSON(w, http.StatusOK, map[string]any{"OK": 1, "location": "upos://ugcfx2lf/" + file + ".mp4", "etag": "etag", "bucket": "ugcfx2lf", "key": "/" + file + ".mp4"})
}
