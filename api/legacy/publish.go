package legacy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
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

// bindJSON reads a bounded JSON body with the original's messages.
func bindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil {
		return sauErr(job.EInvalid, "请求数据不能为空")
	}
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, maxSauBody+1))
	if err != nil {
		return app.UploadError(err)
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

func (h *handler) postVideo(c *gin.Context) {
	var p sauPost
	if err := bindJSON(c, &p); err != nil {
		h.fail(c, err)
		return
	}
	req, err := h.publishRequest(c, p, "")
	if err != nil {
		h.fail(c, err)
		return
	}
	ids, err := h.app.Publish(c.Request.Context(), req)
	if err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "发布任务已提交", gin.H{"task_ids": ids})
}

// postVideoBatch takes an array of /postVideo bodies and validates every
// one before it queues any (the original ran them one by one and stopped at
// the first crash, leaving the batch half done).
func (h *handler) postVideoBatch(c *gin.Context) {
	var raw json.RawMessage
	if err := bindJSON(c, &raw); err != nil {
		h.fail(c, err)
		return
	}
	var items []sauPost
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		h.fail(c, sauErr(job.EInvalid, "Expected a JSON array"))
		return
	}
	switch {
	case len(items) == 0:
		h.fail(c, sauErr(job.EInvalid, "发布列表不能为空"))
		return
	case len(items) > maxSauBatch:
		h.fail(c, sauErr(job.EInvalid, "一次最多提交 %d 项", maxSauBatch))
		return
	}
	reqs := make([]app.PublishRequest, 0, len(items))
	var fe job.FieldErrors
	for i, p := range items {
		req, err := h.publishRequest(c, p, fmt.Sprintf("[%d]", i))
		if err != nil {
			var e *job.Error
			if !errors.As(err, &e) {
				h.fail(c, err)
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
		h.fail(c, err)
		return
	}
	ids, err := h.app.Publish(c.Request.Context(), reqs...)
	if err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "发布任务已提交", gin.H{"task_ids": ids})
}

// publishRequest turns a legacy body into the /api/v1 publish request that
// app.Publish validates. It checks here only what the legacy shape adds:
// the original's required fields and messages, the platform type, the
// references by path, and the flexible JSON types. prefix names the item of
// a batch in field names.
func (h *handler) publishRequest(c *gin.Context, p sauPost, prefix string) (app.PublishRequest, error) {
	var req app.PublishRequest
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
		acc, err := h.app.GetAccount(ctx, id)
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
		sr := &app.ScheduleRequest{}
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
