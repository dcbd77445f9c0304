package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"fanout/pkg/job"
)

// maxSauBody bounds a legacy JSON body (a batch of posts included).
const maxSauBody = 1 << 20

// maxSauBatch bounds /postVideoBatch; each item is itself bounded by the
// publish limits.
const maxSauBatch = 50

// sauDefaultTimes are the original generator's default daily_times (hours).
var sauDefaultTimes = []string{"06:00", "11:00", "14:00", "16:00", "22:00"}

// sauPost is a /postVideo body as the seed document and the real frontend
// send it. Fields whose JSON type differs between the two are raw and read
// by the flex helpers below.
type sauPost struct {
	Type          json.RawMessage `json:"type"`
	Title         json.RawMessage `json:"title"`
	Description   json.RawMessage `json:"description"`
	Tags          json.RawMessage `json:"tags"`
	FileList      json.RawMessage `json:"fileList"`
	AccountList   json.RawMessage `json:"accountList"`
	EnableTimer   json.RawMessage `json:"enableTimer"`
	VideosPerDay  json.RawMessage `json:"videosPerDay"`
	DailyTimes    json.RawMessage `json:"dailyTimes"`
	StartDays     json.RawMessage `json:"startDays"`
	Category      json.RawMessage `json:"category"`
	Thumbnail     json.RawMessage `json:"thumbnail"`
	ThumbnailPath json.RawMessage `json:"thumbnail_path"`
	ProductLink   json.RawMessage `json:"productLink"`
	ProductTitle  json.RawMessage `json:"productTitle"`
	IsDraft       json.RawMessage `json:"isDraft"`
	IsDraftSnake  json.RawMessage `json:"is_draft"`
}

// sauBindJSON reads a bounded JSON body with the original's messages.
func sauBindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil {
		return sauErr(job.EInvalid, "请求数据不能为空")
	}
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, maxSauBody+1))
	if err != nil {
		return uploadErr(err)
	}
	if len(b) > maxSauBody {
		return sauErr(job.ETooLarge, "请求数据过大（最大 1 MiB）")
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return sauErr(job.EInvalid, "请求数据不能为空")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return sauErr(job.EInvalid, "请求数据不是合法的 JSON: %s", err)
	}
	return nil
}

func (s *Server) sauPostVideo(c *gin.Context) {
	var p sauPost
	if err := sauBindJSON(c, &p); err != nil {
		s.sauFail(c, err)
		return
	}
	req, err := s.sauPublishRequest(c, p, "")
	if err != nil {
		s.sauFail(c, err)
		return
	}
	ids, err := s.submitPublish(c, req)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "发布任务已提交", gin.H{"task_ids": ids})
}

// sauPostVideoBatch takes an array of /postVideo bodies and validates every
// one before it queues any (the original ran them one by one and stopped at
// the first crash, leaving the batch half done).
func (s *Server) sauPostVideoBatch(c *gin.Context) {
	var raw json.RawMessage
	if err := sauBindJSON(c, &raw); err != nil {
		s.sauFail(c, err)
		return
	}
	var items []sauPost
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		s.sauFail(c, sauErr(job.EInvalid, "Expected a JSON array"))
		return
	}
	switch {
	case len(items) == 0:
		s.sauFail(c, sauErr(job.EInvalid, "发布列表不能为空"))
		return
	case len(items) > maxSauBatch:
		s.sauFail(c, sauErr(job.EInvalid, "一次最多提交 %d 项", maxSauBatch))
		return
	}
	reqs := make([]publishRequest, 0, len(items))
	var fe job.FieldErrors
	for i, p := range items {
		req, err := s.sauPublishRequest(c, p, fmt.Sprintf("[%d]", i))
		if err != nil {
			var e *job.Error
			if !errors.As(err, &e) {
				s.sauFail(c, err)
				return
			}
			if len(e.Fields) == 0 {
				fe.Add(fmt.Sprintf("[%d]", i), "%s", e.Message)
			}
			fe = append(fe, e.Fields...)
			continue
		}
		reqs = append(reqs, req)
	}
	if err := fe.Err(); err != nil {
		s.sauFail(c, err)
		return
	}
	ids, err := s.submitPublish(c, reqs...)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "发布任务已提交", gin.H{"task_ids": ids})
}

// sauPublishRequest turns a legacy body into the /api/v1 publish request that
// submitPublish validates. It checks here only what the legacy shape adds:
// the original's required fields and messages, the platform type, the
// references by path, and the flexible JSON types. prefix names the item of
// a batch in field names.
func (s *Server) sauPublishRequest(c *gin.Context, p sauPost, prefix string) (publishRequest, error) {
	var req publishRequest
	ctx := c.Request.Context()
	files, err := stringList(p.FileList)
	if err != nil {
		return req, sauFieldErr(prefix, "fileList", "必须是文件路径数组")
	}
	accounts, err := stringList(p.AccountList)
	if err != nil {
		return req, sauFieldErr(prefix, "accountList", "必须是账号 filePath 数组")
	}
	lead := ""
	if prefix != "" {
		lead = prefix + ": "
	}
	typ := rawScalar(p.Type)
	title := strings.TrimSpace(rawScalar(p.Title))
	switch {
	case len(files) == 0:
		return req, sauErr(job.EInvalid, "%s文件列表不能为空", lead)
	case len(accounts) == 0:
		return req, sauErr(job.EInvalid, "%s账号列表不能为空", lead)
	case typ == "" || typ == "0":
		return req, sauErr(job.EInvalid, "%s平台类型不能为空", lead)
	case title == "":
		return req, sauErr(job.EInvalid, "%s标题不能为空", lead)
	}
	pt, err := sauPlatform(typ)
	if err != nil {
		var e *job.Error
		errors.As(err, &e)
		return req, sauErr(job.EInvalid, "%s%s", lead, e.Message)
	}
	var fe job.FieldErrors
	field := func(name string) string { return prefix + name }
	if prefix != "" {
		field = func(name string) string { return prefix + "." + name }
	}
	req.Title = title
	req.Description = rawScalar(p.Description)
	for i, f := range files {
		id, ok := uuidPrefix(f)
		if !ok {
			fe.Add(field(fmt.Sprintf("fileList[%d]", i)), "文件不存在: %s", f)
			continue
		}
		req.FileIDs = append(req.FileIDs, id)
	}
	for i, a := range accounts {
		f := field(fmt.Sprintf("accountList[%d]", i))
		id, ok := uuidPrefix(a)
		if !ok {
			fe.Add(f, "账号不存在: %s", a)
			continue
		}
		acc, err := s.store.GetAccount(ctx, id)
		switch {
		case job.ErrorCode(err) == job.ENotFound:
			fe.Add(f, "账号不存在: %s", a)
		case err != nil:
			return req, err
		case acc.Platform != pt.Name:
			fe.Add(f, "账号「%s」不是%s账号", acc.Name, pt.Label)
		default:
			req.AccountIDs = append(req.AccountIDs, id)
		}
	}
	if req.Tags, err = sauTags(p.Tags); err != nil {
		fe.Add(field("tags"), "必须是标签数组或以空格分隔的字符串")
	}
	timer, err := flexBool(p.EnableTimer)
	if err != nil {
		fe.Add(field("enableTimer"), "必须是 true/false 或 0/1")
	}
	if timer {
		sr := &scheduleRequest{}
		vpd, set, err := flexInt(p.VideosPerDay)
		if err != nil {
			fe.Add(field("videosPerDay"), "必须是整数")
		}
		if !set {
			vpd = 1
		}
		sr.VideosPerDay = &vpd
		if sr.StartDays, _, err = flexInt(p.StartDays); err != nil {
			fe.Add(field("startDays"), "必须是整数")
		}
		if sr.DailyTimes, err = sauTimes(p.DailyTimes); err != nil {
			fe.Add(field("dailyTimes"), "%s", err)
		}
		if len(sr.DailyTimes) == 0 && err == nil {
			sr.DailyTimes = sauDefaultTimes
		}
		req.Schedule = sr
	}
	// The original's category is 0/1 (its "声明原创" box), which no uploader
	// used; only a category given by name reaches the platform.
	if cat := rawScalar(p.Category); cat != "" {
		if _, err := strconv.ParseFloat(cat, 64); err != nil {
			req.Options.Category = cat
		}
	}
	thumb := rawScalar(p.Thumbnail)
	if thumb == "" {
		thumb = rawScalar(p.ThumbnailPath)
	}
	if thumb != "" {
		if id, ok := uuidPrefix(thumb); ok {
			req.CoverFileID = id
		} else {
			fe.Add(field("thumbnail"), "封面文件不存在: %s（先用 /uploadSave 上传封面图片）", thumb)
		}
	}
	req.Options.ProductLink = strings.TrimSpace(rawScalar(p.ProductLink))
	req.Options.ProductTitle = rawScalar(p.ProductTitle)
	draft := p.IsDraft
	if len(draft) == 0 {
		draft = p.IsDraftSnake
	}
	if req.Options.Draft, err = flexBool(draft); err != nil {
		fe.Add(field("isDraft"), "必须是 true/false 或 0/1")
	}
	return req, fe.Err()
}

func sauFieldErr(prefix, name, msg string) error {
	if prefix != "" {
		name = prefix + "." + name
	}
	var fe job.FieldErrors
	fe.Add(name, "%s", msg)
	return fe.Err()
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// rawScalar reads a JSON string, number or bool as text ("" for null or
// absent, and for arrays and objects).
func rawScalar(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return strconv.FormatBool(b)
	}
	return ""
}

// flexBool reads true/false, 0/1 or their string forms; absent is false.
func flexBool(raw json.RawMessage) (bool, error) {
	if isNull(raw) {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(rawScalar(raw))) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %s", raw)
}

// flexInt reads an integer or a string holding one; set is false when absent.
func flexInt(raw json.RawMessage) (n int, set bool, err error) {
	if isNull(raw) {
		return 0, false, nil
	}
	s := strings.TrimSpace(rawScalar(raw))
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	return n, true, err
}

// stringList reads an array of strings (or numbers), or one string.
func stringList(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one = strings.TrimSpace(one); one == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if v := strings.TrimSpace(rawScalar(e)); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

// sauTags reads tags as an array or one string, each split on spaces and
// '#' ("#a #b", "a b", ["a","#b"] are all [a b]).
func sauTags(raw json.RawMessage) ([]string, error) {
	list, err := stringList(raw)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range list {
		out = append(out, strings.FieldsFunc(t, func(r rune) bool {
			return unicode.IsSpace(r) || r == '#' || r == '＃' || r == ',' || r == '，'
		})...)
	}
	return out, nil
}

// sauTimes reads dailyTimes as "HH:MM" strings or hours as numbers (10.5 is
// 10:30, as in the original's generator) and returns "HH:MM" strings for the
// shared schedule validation.
func sauTimes(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("必须是时间数组，如 [\"10:00\"] 或 [10]")
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		var n float64
		if json.Unmarshal(e, &n) == nil {
			if n < 0 || n >= 24 || math.IsNaN(n) {
				return nil, fmt.Errorf("第 %d 个时间 %v 不是 0–23 点", i+1, n)
			}
			m := int(math.Round(n * 60))
			out = append(out, fmt.Sprintf("%02d:%02d", m/60, m%60))
			continue
		}
		var s string
		if json.Unmarshal(e, &s) != nil {
			return nil, fmt.Errorf("第 %d 个时间不是 \"HH:MM\" 或整点数字", i+1)
		}
		out = append(out, s)
	}
	return out, nil
}
