package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/task"
	"fanout/pkg/web"
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

// sauAccountRow is the original's positional row [id, type, filePath,
// userName, status]; its frontend reads it by index.
func sauAccountRow(a job.SeqAccount, status int) []any {
	t, _ := sauTypeOf(a.Platform)
	return []any{a.Seq, t.Num, cookieFilePath(a.Account), a.Name, status}
}

func (s *Server) sauGetAccounts(c *gin.Context) {
	as, err := s.store.SeqAccounts(c.Request.Context())
	if err != nil {
		s.sauFail(c, err)
		return
	}
	rows := make([][]any, 0, len(as))
	for _, a := range as {
		rows = append(rows, sauAccountRow(a, sauStatus(a.Status)))
	}
	sauOK(c, "", rows)
}

// sauGetValidAccounts runs a cookie check for every account that has cookies
// as check tasks in parallel (joining a check already queued for an account
// instead of adding another), waits at most cfg.ValidAccountsWait, and
// answers with what it knows: a finished check's verdict, otherwise the
// account's status from before. An account without cookies is invalid
// without a check.
func (s *Server) sauGetValidAccounts(c *gin.Context) {
	ctx := c.Request.Context()
	before, err := s.store.SeqAccounts(ctx)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	pending, err := s.store.PendingTasks(ctx, job.KindCheck)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	checkOf := map[string]string{} // account id → check task id
	for _, t := range pending {
		checkOf[t.AccountID] = t.ID
	}
	var nts []job.NewTask
	for _, a := range before {
		if _, ok := checkOf[a.ID]; ok || !a.HasCookies || !a.Platform.Valid() {
			continue
		}
		id := uuid.NewString()
		checkOf[a.ID] = id
		nts = append(nts, job.NewTask{ID: id, Kind: job.KindCheck, Platform: a.Platform, AccountID: a.ID,
			MaxAttempts: task.Policies[job.KindCheck].MaxAttempts})
	}
	if len(nts) > 0 {
		if _, err := s.createAndEnqueue(c, nts); err != nil {
			s.sauFail(c, err)
			return
		}
	}
	ids := make([]string, 0, len(checkOf))
	for _, id := range checkOf {
		ids = append(ids, id)
	}
	done := s.waitTerminal(ctx, ids, s.cfg.ValidAccountsWait)
	if ctx.Err() != nil {
		c.Abort()
		return
	}
	after, err := s.store.SeqAccounts(ctx)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	prior := map[string]job.AccountStatus{}
	for _, a := range before {
		prior[a.ID] = a.Status
	}
	rows := make([][]any, 0, len(after))
	for _, a := range after {
		st := a.Status
		if tid, checking := checkOf[a.ID]; checking && !done[tid] {
			if p, ok := prior[a.ID]; ok {
				st = p
			}
		} else if !a.HasCookies {
			st = job.AccountExpired
		}
		rows = append(rows, sauAccountRow(a, sauStatus(st)))
	}
	sauOK(c, "", rows)
}

// waitTerminal polls tasks until all are terminal or wait passes, and
// returns which ones finished.
func (s *Server) waitTerminal(ctx context.Context, ids []string, wait time.Duration) map[string]bool {
	done := map[string]bool{}
	if len(ids) == 0 {
		return done
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(s.cfg.EventPoll)
	defer tick.Stop()
	for {
		ts, err := s.store.GetTasks(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("wait for checks", "err", err)
			}
			return done
		}
		for _, t := range ts {
			if t.State.Terminal() {
				done[t.ID] = true
			}
		}
		if len(done) >= len(ids) {
			return done
		}
		select {
		case <-ctx.Done():
			return done
		case <-deadline.C:
			return done
		case <-tick.C:
		}
	}
}

type sauUserinfo struct {
	ID       json.RawMessage `json:"id"`
	Type     json.RawMessage `json:"type"`
	UserName *string         `json:"userName"`
}

// sauUpdateUserinfo renames an account. The original also rewrote its type;
// here an account's platform is fixed (its cookies belong to that platform),
// so a different type is refused.
func (s *Server) sauUpdateUserinfo(c *gin.Context) {
	var req sauUserinfo
	if err := sauBindJSON(c, &req); err != nil {
		s.sauFail(c, err)
		return
	}
	id, ok := parseSauID(rawScalar(req.ID))
	if !ok {
		s.sauFail(c, sauErr(job.EInvalid, "Invalid or missing account ID"))
		return
	}
	ctx := c.Request.Context()
	a, err := s.sauAccount(ctx, id)
	if job.ErrorCode(err) == job.ENotFound {
		err = sauErr(job.ENotFound, "account not found")
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	if t := rawScalar(req.Type); t != "" {
		want, err := sauPlatform(t)
		if err != nil {
			s.sauFail(c, err)
			return
		}
		if want.Name != a.Platform {
			s.sauFail(c, sauErr(job.EInvalid, "不能修改账号的平台类型（账号的 Cookie 属于原平台），请在新平台登录一个新账号"))
			return
		}
	}
	if req.UserName == nil {
		s.sauFail(c, sauErr(job.EInvalid, "userName is required"))
		return
	}
	name := strings.TrimSpace(*req.UserName)
	var fe job.FieldErrors
	checkName(&fe, name)
	if err := fe.Err(); err != nil {
		s.sauFail(c, sauErr(job.EInvalid, "userName: %s", fe[0].Message))
		return
	}
	if _, err := s.store.UpdateAccount(ctx, a.ID, &name, nil); err != nil {
		if job.ErrorCode(err) == job.EConflict {
			err = sauErr(job.EConflict, "该平台已有同名账号: %s", name)
		}
		s.sauFail(c, err)
		return
	}
	sauOK(c, "account update successfully", nil)
}

// sauDeleteAccount deletes an account. Its queued or running logins and
// checks (which the frontend starts on its own) are canceled first; a
// publish in flight keeps the account (409) until it ends or is canceled.
func (s *Server) sauDeleteAccount(c *gin.Context) {
	id, ok := parseSauID(c.Query("id"))
	if !ok {
		s.sauFail(c, sauErr(job.EInvalid, "Invalid or missing account ID"))
		return
	}
	ctx := c.Request.Context()
	a, err := s.sauAccount(ctx, id)
	if job.ErrorCode(err) == job.ENotFound {
		err = sauErr(job.ENotFound, "account not found")
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	s.cancelAccountTasks(ctx, a.ID, job.KindCheck, job.KindLogin)
	err = s.store.DeleteAccount(ctx, a.ID)
	if job.ErrorCode(err) == job.EConflict {
		// A running check stops within a heartbeat of its cancel.
		s.waitTerminal(ctx, s.pendingOf(ctx, a.ID, job.KindCheck, job.KindLogin), 5*time.Second)
		err = s.store.DeleteAccount(ctx, a.ID)
	}
	if job.ErrorCode(err) == job.EConflict {
		err = sauErr(job.EConflict, "账号有排队或进行中的任务，请先取消后再删除")
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "account deleted successfully", nil)
}

// pendingOf lists the queued or running tasks of these kinds for an account.
func (s *Server) pendingOf(ctx context.Context, accountID string, kinds ...job.Kind) []string {
	var ids []string
	for _, k := range kinds {
		ts, err := s.store.PendingTasks(ctx, k)
		if err != nil {
			s.log.Warn("pending tasks", "err", err)
			continue
		}
		for _, t := range ts {
			if t.AccountID == accountID {
				ids = append(ids, t.ID)
			}
		}
	}
	return ids
}

// cancelAccountTasks cancels an account's queued or running tasks of these
// kinds, best effort (a task that ends meanwhile is fine).
func (s *Server) cancelAccountTasks(ctx context.Context, accountID string, kinds ...job.Kind) {
	for _, id := range s.pendingOf(ctx, accountID, kinds...) {
		s.cancelTaskByID(ctx, id)
	}
}

// cancelTaskByID cancels one task in Postgres and in the queue, best effort.
func (s *Server) cancelTaskByID(ctx context.Context, id string) {
	t, err := s.store.RequestCancel(ctx, id)
	if err != nil {
		if job.ErrorCode(err) != job.EConflict {
			s.log.Warn("cancel task", "task_id", id, "err", err)
		}
		return
	}
	if err := s.queue.Cancel(ctx, t); err != nil {
		s.log.Warn("cancel in queue failed; the worker will see the cancel in Postgres", "task_id", id, "err", err)
	}
}

// sauUploadCookie stores a Playwright storage state for an account (sealed,
// exactly as PUT /api/v1/accounts/{id}/cookies) and queues a check.
func (s *Server) sauUploadCookie(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxCookieBody+64<<10)
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.sauFail(c, sauErr(job.ETooLarge, "Cookie文件过大（最大 1 MiB）"))
			return
		}
		s.sauFail(c, sauErr(job.EInvalid, "没有找到Cookie文件"))
		return
	}
	switch {
	case fh.Filename == "":
		s.sauFail(c, sauErr(job.EInvalid, "Cookie文件名不能为空"))
		return
	case !strings.HasSuffix(strings.ToLower(fh.Filename), ".json"):
		s.sauFail(c, sauErr(job.EInvalid, "Cookie文件必须是JSON格式"))
		return
	}
	rawID := c.PostForm("id")
	if rawID == "" || c.PostForm("platform") == "" {
		s.sauFail(c, sauErr(job.EInvalid, "缺少账号ID或平台信息"))
		return
	}
	ctx := c.Request.Context()
	var a job.SeqAccount
	id, ok := parseSauID(rawID)
	if ok {
		a, err = s.sauAccount(ctx, id)
	}
	if !ok || job.ErrorCode(err) == job.ENotFound {
		s.sauFail(c, sauErr(job.ENotFound, "账号不存在"))
		return
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.sauFail(c, err)
		return
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxCookieBody+1))
	if err != nil {
		s.sauFail(c, err)
		return
	}
	if len(body) > maxCookieBody {
		s.sauFail(c, sauErr(job.ETooLarge, "Cookie文件过大（最大 1 MiB）"))
		return
	}
	cookies, err := web.ParseCookies(body)
	if err != nil {
		s.sauFail(c, sauErr(job.EInvalid, "Cookie文件格式错误: %s", strings.TrimPrefix(err.Error(), "platform: ")))
		return
	}
	if err := s.store.SaveCookies(ctx, a.ID, cookies, job.AccountActive, true); err != nil {
		s.sauFail(c, err)
		return
	}
	if _, err := s.createAndEnqueue(c, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindCheck, Platform: a.Platform,
		AccountID: a.ID, MaxAttempts: task.Policies[job.KindCheck].MaxAttempts}}); err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "Cookie文件上传成功", nil)
}

// sauDownloadCookie returns an account's cookies as a Playwright storage
// state file. filePath must be exactly an account's "<uuid>.json": it names a
// row, never a path on disk.
func (s *Server) sauDownloadCookie(c *gin.Context) {
	p := c.Query("filePath")
	if p == "" {
		s.sauFail(c, sauErr(job.EInvalid, "缺少文件路径参数"))
		return
	}
	id, err := uuid.Parse(strings.TrimSuffix(p, ".json"))
	if err != nil || strings.ContainsAny(p, `/\`) || !strings.HasSuffix(p, ".json") {
		s.sauFail(c, sauErr(job.EInvalid, "非法文件路径"))
		return
	}
	ctx := c.Request.Context()
	cookies, _, err := s.store.AccountSecrets(ctx, id.String())
	if job.ErrorCode(err) == job.ENotFound || (err == nil && len(cookies) == 0) {
		err = sauErr(job.ENotFound, "Cookie文件不存在")
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": id.String() + ".json"}))
	c.JSON(http.StatusOK, web.NewStorageState(cookies))
}

// sauPlatformStats is the shape of the original's (unmerged)
// /getPlatformStats: per type, accounts and valid accounts.
func (s *Server) sauPlatformStats(c *gin.Context) {
	ctx := c.Request.Context()
	as, err := s.store.SeqAccounts(ctx)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	fs, err := s.store.SeqFiles(ctx)
	if err != nil {
		s.sauFail(c, err)
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
	sauOK(c, "success", gin.H{"platform_stats": stats,
		"overall": gin.H{"total_accounts": len(as), "valid_accounts": valid, "total_files": len(fs)}})
}
