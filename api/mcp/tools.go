package mcp

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/google/uuid"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/pkg/app"
	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// tools holds what the tool handlers need.
type tools struct {
	app    *app.App
	log    *slog.Logger
	cfg    Config
	client *http.Client
}

// The tools' inputs. Fields without omitempty are required; the SDK checks
// the arguments against the schemas inferred from these types (unknown
// fields included, as /api/v1 refuses them) before a handler runs.

type listAccountsIn struct {
	Platform string `json:"platform,omitempty" jsonschema:"only the accounts of this platform"`
}

type taskIn struct {
	TaskID string `json:"task_id" jsonschema:"the task's id"`
}

type answerIn struct {
	TaskID string `json:"task_id" jsonschema:"the task waiting at step verification_required"`
	Code   string `json:"code,omitempty" jsonschema:"the code the site sent (an SMS code)"`
	Done   bool   `json:"done,omitempty" jsonschema:"true once the person confirmed on their phone (instead of a code)"`
}

type listTasksIn struct {
	State     string `json:"state,omitempty" jsonschema:"only tasks in this state"`
	Kind      string `json:"kind,omitempty" jsonschema:"only tasks of this kind"`
	AccountID string `json:"account_id,omitempty" jsonschema:"only tasks of this account"`
	Limit     int    `json:"limit,omitempty" jsonschema:"page size, 1 to 200 (default 50)"`
	Cursor    string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous page"`
}

// publishIn is POST /api/v1/publish's body.
type publishIn struct {
	FileIDs      []string     `json:"file_ids,omitempty" jsonschema:"the videos (ids from upload_file), each listed once; or give image_file_ids"`
	ImageFileIDs []string     `json:"image_file_ids,omitempty" jsonschema:"instead of file_ids: one image note (图文) of these images in order (png, jpeg or webp uploaded with kind=image; 1 to 35, fewer where the platform takes fewer), one task per account"`
	AccountIDs   []string     `json:"account_ids" jsonschema:"the accounts (ids from list_accounts); every file goes to every account"`
	Title        string       `json:"title" jsonschema:"the title, at most 100 characters (cut to each platform's limit)"`
	Description  string       `json:"description,omitempty" jsonschema:"the description, at most 5000 characters"`
	Tags         []string     `json:"tags,omitempty" jsonschema:"topics, one word each, a leading # optional; at most 30"`
	CoverFileID  string       `json:"cover_file_id,omitempty" jsonschema:"a cover image uploaded with kind=cover"`
	Schedule     *scheduleIn  `json:"schedule,omitempty" jsonschema:"publish later: either at, or videos_per_day with daily_times; at least 2 hours ahead"`
	Options      *publishOpts `json:"options,omitempty" jsonschema:"platform options"`
}

// scheduleIn converts to app.ScheduleRequest (same fields, other tags).
type scheduleIn struct {
	At           *time.Time `json:"at,omitempty" jsonschema:"every file at this time (RFC 3339)"`
	VideosPerDay *int       `json:"videos_per_day,omitempty" jsonschema:"files per day, from tomorrow"`
	DailyTimes   []string   `json:"daily_times,omitempty" jsonschema:"times of day, HH:MM, at least videos_per_day of them"`
	StartDays    int        `json:"start_days,omitempty" jsonschema:"days to skip before the first (0 = from tomorrow)"`
}

// publishOpts converts to app.PublishOptions (same fields, other tags).
type publishOpts struct {
	Declaration  string `json:"declaration,omitempty" jsonschema:"the self-declaration or AI label; empty means the platform's default"`
	ProductLink  string `json:"product_link,omitempty" jsonschema:"an http(s) product link (needs product_title)"`
	ProductTitle string `json:"product_title,omitempty"`
	ShortTitle   string `json:"short_title,omitempty" jsonschema:"WeChat Channels' short title, 6 to 16 characters"`
	Category     string `json:"category,omitempty"`
	Draft        bool   `json:"draft,omitempty" jsonschema:"save as a draft where the platform has drafts"`
	Collection   string `json:"collection,omitempty" jsonschema:"the collection (合集) the post joins, by name"`
	Visibility   string `json:"visibility,omitempty" jsonschema:"YouTube: public, unlisted or private"`
	MadeForKids  *bool  `json:"made_for_kids,omitempty" jsonschema:"YouTube: whether the video is made for kids (default no)"`
}

// The tools' outputs.

type accountsOut struct {
	Items []job.Account `json:"items"`
}

type publishOut struct {
	TaskIDs []string `json:"task_ids"`
}

func ptr[T any](v T) *T { return &v }

// register adds every tool to s.
func (t *tools) register(s *sdk.Server) {
	enum := func(schema *jsonschema.Schema, field string, values ...string) *jsonschema.Schema {
		for _, v := range values {
			schema.Properties[field].Enum = append(schema.Properties[field].Enum, v)
		}
		return schema
	}
	platforms := make([]string, 0, len(platform.Names()))
	for _, p := range platform.Names() {
		platforms = append(platforms, string(p))
	}
	readOnly := &sdk.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}

	sdk.AddTool(s, &sdk.Tool{Name: "list_accounts", Title: "List accounts", Annotations: readOnly,
		Description: "The platform accounts Fanout can publish to, with their status (active accounts are logged in).",
		InputSchema: enum(schemaFor[listAccountsIn](), "platform", platforms...), OutputSchema: schemaFor[accountsOut]()},
		t.listAccounts)
	sdk.AddTool(s, &sdk.Tool{Name: "upload_file", Title: "Upload a file",
		Annotations: &sdk.ToolAnnotations{OpenWorldHint: ptr(true), DestructiveHint: ptr(false)},
		Description: "Store a video (or, with kind=cover or kind=image, a cover or an image note's image) for publish: from a path inside the server's upload directory " +
			"(FANOUT_MCP_UPLOAD_DIR), or downloaded from an http(s) URL. Give exactly one of path and url. Returns the file with its id.",
		InputSchema: enum(schemaFor[uploadIn](), "kind", "video", "cover", "image"), OutputSchema: schemaFor[job.File]()},
		t.uploadFile)
	sdk.AddTool(s, &sdk.Tool{Name: "publish", Title: "Publish",
		Annotations: &sdk.ToolAnnotations{OpenWorldHint: ptr(true), DestructiveHint: ptr(false)},
		Description: "Publish every file to every account, now or on a schedule: one task per (file, account), queued at once; " +
			"with image_file_ids instead of file_ids, one image note (图文) per account (Douyin, Kuaishou, Xiaohongshu). " +
			"Everything is checked first (a field the accounts' platforms cannot do is refused by name) and nothing is queued unless all is valid. " +
			"Returns the task ids; follow them with get_task.",
		InputSchema: schemaFor[publishIn](), OutputSchema: schemaFor[publishOut]()},
		t.publish)
	sdk.AddTool(s, &sdk.Tool{Name: "get_task", Title: "Get a task", Annotations: readOnly,
		Description: "A task's state (queued, running, succeeded, failed, canceled), step, progress, result and error.",
		InputSchema: schemaFor[taskIn](), OutputSchema: schemaFor[job.Task]()},
		t.getTask)
	sdk.AddTool(s, &sdk.Tool{Name: "cancel_task", Title: "Cancel a task",
		Annotations: &sdk.ToolAnnotations{DestructiveHint: ptr(true), IdempotentHint: false, OpenWorldHint: ptr(false)},
		Description: "Cancel a task: a queued one at once, a running one at its next safe point. A publish already clicked cannot be undone " +
			"(the task then succeeds with result.cancel_note). A finished task is a conflict.",
		InputSchema: schemaFor[taskIn](), OutputSchema: schemaFor[job.Task]()},
		t.cancelTask)
	sdk.AddTool(s, &sdk.Tool{Name: "answer_verification", Title: "Answer a verification",
		Annotations: &sdk.ToolAnnotations{OpenWorldHint: ptr(true), DestructiveHint: ptr(false)},
		Description: "Give a task waiting at step verification_required the person's answer to result.challenge: the code (an SMS code), " +
			"or done=true once they confirmed on their phone. The same attempt goes on. A task not waiting is a conflict.",
		InputSchema: schemaFor[answerIn](), OutputSchema: schemaFor[job.Task]()},
		t.answer)
	sdk.AddTool(s, &sdk.Tool{Name: "list_tasks", Title: "List tasks", Annotations: readOnly,
		Description: "Tasks, newest first, a page at a time (next_cursor is empty on the last page).",
		InputSchema: enum(enum(schemaFor[listTasksIn](), "state", "queued", "running", "succeeded", "failed", "canceled"),
			"kind", "publish", "login", "check"),
		OutputSchema: schemaFor[app.TaskPage]()},
		t.listTasks)
}

// schemaFor infers T's JSON schema; a json.RawMessage (a task's result)
// may hold any JSON value. It panics on a type it cannot describe: a
// programming error every test would show.
func schemaFor[T any]() *jsonschema.Schema {
	s, err := jsonschema.For[T](&jsonschema.ForOptions{
		TypeSchemas: map[reflect.Type]*jsonschema.Schema{reflect.TypeFor[json.RawMessage](): {}}})
	if err != nil {
		panic(err)
	}
	return s
}

func (t *tools) listAccounts(ctx context.Context, _ *sdk.CallToolRequest, in listAccountsIn) (*sdk.CallToolResult, accountsOut, error) {
	as, err := t.app.ListAccounts(ctx, platform.Name(in.Platform))
	if err != nil {
		return nil, accountsOut{}, t.asToolError(ctx, "list_accounts", err)
	}
	if as == nil {
		as = []job.Account{}
	}
	return nil, accountsOut{Items: as}, nil
}

func (t *tools) publish(ctx context.Context, _ *sdk.CallToolRequest, in publishIn) (*sdk.CallToolResult, publishOut, error) {
	req := app.PublishRequest{FileIDs: in.FileIDs, ImageFileIDs: in.ImageFileIDs, AccountIDs: in.AccountIDs, Title: in.Title, Description: in.Description,
		Tags: in.Tags, CoverFileID: in.CoverFileID}
	if in.Schedule != nil {
		sr := app.ScheduleRequest(*in.Schedule)
		req.Schedule = &sr
	}
	if in.Options != nil {
		req.Options = app.PublishOptions(*in.Options)
	}
	ids, err := t.app.Publish(ctx, req)
	if err != nil {
		return nil, publishOut{}, t.asToolError(ctx, "publish", err)
	}
	out := publishOut{TaskIDs: ids}
	// The answer links each task's resource, so a client can read (or
	// subscribe to) it without building the URI.
	text, _ := json.Marshal(out)
	res := &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: string(text)}}}
	for _, id := range ids {
		res.Content = append(res.Content, &sdk.ResourceLink{URI: taskURIPrefix + id, Name: "task " + id, MIMEType: "application/json"})
	}
	return res, out, nil
}

// taskID reads a task id argument, refusing anything but a UUID with the
// field named, as /api/v1 does for a path id.
func taskID(s string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", invalid("task_id", "must be a UUID")
	}
	return u.String(), nil
}

// onTask is the shape of the tools that act on one task.
func (t *tools) onTask(tool string, do func(context.Context, string) (job.Task, error)) sdk.ToolHandlerFor[taskIn, job.Task] {
	return func(ctx context.Context, _ *sdk.CallToolRequest, in taskIn) (*sdk.CallToolResult, job.Task, error) {
		id, err := taskID(in.TaskID)
		if err != nil {
			return nil, job.Task{}, t.asToolError(ctx, tool, err)
		}
		task, err := do(ctx, id)
		if err != nil {
			return nil, job.Task{}, t.asToolError(ctx, tool, err)
		}
		return nil, task, nil
	}
}

func (t *tools) getTask(ctx context.Context, req *sdk.CallToolRequest, in taskIn) (*sdk.CallToolResult, job.Task, error) {
	return t.onTask("get_task", t.app.GetTask)(ctx, req, in)
}

func (t *tools) cancelTask(ctx context.Context, req *sdk.CallToolRequest, in taskIn) (*sdk.CallToolResult, job.Task, error) {
	return t.onTask("cancel_task", t.app.CancelTask)(ctx, req, in)
}

func (t *tools) answer(ctx context.Context, req *sdk.CallToolRequest, in answerIn) (*sdk.CallToolResult, job.Task, error) {
	return t.onTask("answer_verification", func(ctx context.Context, id string) (job.Task, error) {
		return t.app.AnswerChallenge(ctx, id, app.Answer{Code: in.Code, Done: in.Done})
	})(ctx, req, taskIn{TaskID: in.TaskID})
}

func (t *tools) listTasks(ctx context.Context, _ *sdk.CallToolRequest, in listTasksIn) (*sdk.CallToolResult, app.TaskPage, error) {
	limit := in.Limit
	if limit < 0 {
		limit = -1 // the core's "given but wrong"
	}
	page, err := t.app.ListTasks(ctx, app.TaskQuery{State: in.State, Kind: in.Kind, AccountID: in.AccountID, Limit: limit, Cursor: in.Cursor})
	if err != nil {
		return nil, app.TaskPage{}, t.asToolError(ctx, "list_tasks", err)
	}
	if page.Items == nil {
		page.Items = []job.Task{}
	}
	return nil, page, nil
}

// taskURIPrefix starts a task resource's URI: fanout://tasks/{id}.
const taskURIPrefix = "fanout://tasks/"

// readTask reads the resource fanout://tasks/{id}.
func (t *tools) readTask(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	uri := req.Params.URI
	id, err := taskID(strings.TrimPrefix(uri, taskURIPrefix))
	if err != nil {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	task, err := t.app.GetTask(ctx, id)
	if job.ErrorCode(err) == job.ENotFound {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	if err != nil {
		return nil, t.asToolError(ctx, "resource task", err)
	}
	b, err := json.Marshal(task)
	if err != nil {
		return nil, err
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(b)}}}, nil
}
