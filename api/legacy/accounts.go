package legacy

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/app"
	"fanout/pkg/job"
)

// sauStatus is the original's account status: 1 valid, 0 invalid, and -1
// (which its frontend shows as 验证中) while a check is running.
func sauStatus(st job.AccountStatus) int {
	switch st {
	case job.AccountActive:
		return 1
	case job.AccountChecking:
		return -1
	}
	return 0
}

// accountRow is the original's positional row [id, type, filePath,
// userName, status]; its frontend reads it by index.
func accountRow(a job.SeqAccount, status job.AccountStatus) []any {
	t, _ := sauTypeOf(a.Platform)
	return []any{a.Seq, t.Num, cookieFilePath(a.Account), a.Name, sauStatus(status)}
}

func (h *handler) getAccounts(c *gin.Context) {
	as, err := h.app.SeqAccounts(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	rows := make([][]any, 0, len(as))
	for _, a := range as {
		rows = append(rows, accountRow(a, a.Status))
	}
	ok(c, "", rows)
}

// getValidAccounts checks every account that has cookies and answers within
// cfg.ValidAccountsWait with what it knows (app.CheckAll).
func (h *handler) getValidAccounts(c *gin.Context) {
	as, err := h.app.CheckAll(c.Request.Context(), h.cfg.ValidAccountsWait)
	if err != nil {
		h.fail(c, err)
		return
	}
	rows := make([][]any, 0, len(as))
	for _, a := range as {
		rows = append(rows, accountRow(a.SeqAccount, a.Status))
	}
	ok(c, "", rows)
}

type userinfo struct {
	ID       json.RawMessage `json:"id"`
	Type     json.RawMessage `json:"type"`
	UserName *string         `json:"userName"`
}

// updateUserinfo renames an account. The original also rewrote its type;
// here an account's platform is fixed (its cookies belong to that platform),
// so a different type is refused.
func (h *handler) updateUserinfo(c *gin.Context) {
	var req userinfo
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	ref, valid := parseRef(rawScalar(req.ID))
	if !valid {
		h.fail(c, sauErr(job.EInvalid, "Invalid or missing account ID"))
		return
	}
	ctx := c.Request.Context()
	a, err := h.app.SeqAccount(ctx, ref)
	if err != nil {
		h.fail(c, notFound(err, "account not found"))
		return
	}
	if t := rawScalar(req.Type); t != "" {
		want, err := sauPlatform(t)
		if err != nil {
			h.fail(c, err)
			return
		}
		if want.Name != a.Platform {
			h.fail(c, sauErr(job.EInvalid, "不能修改账号的平台类型（账号的 Cookie 属于原平台），请在新平台登录一个新账号"))
			return
		}
	}
	if req.UserName == nil {
		h.fail(c, sauErr(job.EInvalid, "userName is required"))
		return
	}
	name := strings.TrimSpace(*req.UserName)
	var fe job.FieldErrors
	app.CheckAccountName(&fe, name)
	if err := fe.Err(); err != nil {
		h.fail(c, sauErr(job.EInvalid, "userName: %s", fe[0].Message))
		return
	}
	if _, err := h.app.UpdateAccount(ctx, a.ID, app.AccountInput{Name: &name}); err != nil {
		if job.ErrorCode(err) == job.EConflict {
			err = sauErr(job.EConflict, "该平台已有同名账号: %s", name)
		}
		h.fail(c, err)
		return
	}
	ok(c, "account update successfully", nil)
}

// deleteAccount deletes an account, canceling its logins and checks first
// (app.RemoveAccount).
func (h *handler) deleteAccount(c *gin.Context) {
	ref, valid := parseRef(c.Query("id"))
	if !valid {
		h.fail(c, sauErr(job.EInvalid, "Invalid or missing account ID"))
		return
	}
	ctx := c.Request.Context()
	a, err := h.app.SeqAccount(ctx, ref)
	if err != nil {
		h.fail(c, notFound(err, "account not found"))
		return
	}
	err = h.app.RemoveAccount(ctx, a.ID)
	if job.ErrorCode(err) == job.EConflict {
		err = sauErr(job.EConflict, "账号有排队或进行中的任务，请先取消后再删除")
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "account deleted successfully", nil)
}

// uploadCookie stores a Playwright storage state for an account (sealed,
// exactly as PUT /api/v1/accounts/{id}/cookies) and queues a check.
func (h *handler) uploadCookie(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, app.MaxCookieBytes+64<<10)
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.fail(c, sauErr(job.ETooLarge, "Cookie文件过大（最大 1 MiB）"))
			return
		}
		h.fail(c, sauErr(job.EInvalid, "没有找到Cookie文件"))
		return
	}
	switch {
	case fh.Filename == "":
		h.fail(c, sauErr(job.EInvalid, "Cookie文件名不能为空"))
		return
	case !strings.HasSuffix(strings.ToLower(fh.Filename), ".json"):
		h.fail(c, sauErr(job.EInvalid, "Cookie文件必须是JSON格式"))
		return
	}
	rawID := c.PostForm("id")
	if rawID == "" || c.PostForm("platform") == "" {
		h.fail(c, sauErr(job.EInvalid, "缺少账号ID或平台信息"))
		return
	}
	ctx := c.Request.Context()
	var a job.SeqAccount
	ref, valid := parseRef(rawID)
	if valid {
		a, err = h.app.SeqAccount(ctx, ref)
	}
	if !valid || job.ErrorCode(err) == job.ENotFound {
		h.fail(c, sauErr(job.ENotFound, "账号不存在"))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	f, err := fh.Open()
	if err != nil {
		h.fail(c, err)
		return
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, app.MaxCookieBytes+1))
	if err != nil {
		h.fail(c, err)
		return
	}
	cookies, err := app.ParseCookies(body)
	if e, isJob := asJobError(err); isJob {
		switch {
		case e.Code == job.ETooLarge:
			err = sauErr(job.ETooLarge, "Cookie文件过大（最大 1 MiB）")
		case len(e.Fields) > 0:
			err = sauErr(job.EInvalid, "Cookie文件格式错误: %s", strings.TrimPrefix(e.Fields[0].Message, "web: "))
		}
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if _, err := h.app.ImportCookies(ctx, a.ID, cookies); err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "Cookie文件上传成功", nil)
}

// downloadCookie returns an account's cookies as a Playwright storage state
// file. filePath must be exactly an account's "<uuid>.json": it names a row,
// never a path on disk.
func (h *handler) downloadCookie(c *gin.Context) {
	p := c.Query("filePath")
	if p == "" {
		h.fail(c, sauErr(job.EInvalid, "缺少文件路径参数"))
		return
	}
	id, err := uuid.Parse(strings.TrimSuffix(p, ".json"))
	if err != nil || strings.ContainsAny(p, `/\`) || !strings.HasSuffix(p, ".json") {
		h.fail(c, sauErr(job.EInvalid, "非法文件路径"))
		return
	}
	st, err := h.app.ExportCookies(c.Request.Context(), id.String())
	if err != nil {
		h.fail(c, notFound(err, "Cookie文件不存在"))
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": id.String() + ".json"}))
	c.JSON(http.StatusOK, st)
}

// platformStats is the shape of the original's (unmerged)
// /getPlatformStats: per type, accounts and valid accounts.
func (h *handler) platformStats(c *gin.Context) {
	ctx := c.Request.Context()
	as, err := h.app.SeqAccounts(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	fs, err := h.app.SeqFiles(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	type stat struct {
		Platform int `json:"platform"`
		Total    int `json:"total"`
		Valid    int `json:"valid"`
	}
	by := map[int]*stat{}
	for _, t := range sauTypes {
		if t.Name.Valid() {
			by[t.Num] = &stat{Platform: t.Num}
		}
	}
	valid := 0
	for _, a := range as {
		t, _ := sauTypeOf(a.Platform)
		st := by[t.Num]
		if st == nil {
			st = &stat{Platform: t.Num}
			by[t.Num] = st
		}
		st.Total++
		if a.Status == job.AccountActive {
			st.Valid++
			valid++
		}
	}
	stats := make([]stat, 0, len(by))
	for _, st := range by {
		stats = append(stats, *st)
	}
	sort.Slice(stats, func(i, j int) bool { return stats[i].Platform < stats[j].Platform })
	ok(c, "success", gin.H{"platform_stats": stats,
		"overall": gin.H{"total_accounts": len(as), "valid_accounts": valid, "total_files": len(fs)}})
}
