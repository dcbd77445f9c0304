package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// bearer adds the API token to every MCP request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// mcpFlow is what an agent does over /mcp with the official SDK's client:
// list the tools, publish an uploaded video to a logged-in account through
// the publish tool, and follow the task with get_task until it ends.
func (d *demo) mcpFlow(ctx context.Context, p, accountID, fileID, fake string) ([]row, error) {
	var rows []row
	start := time.Now()
	tr := &sdk.StreamableClientTransport{Endpoint: d.base + "/mcp", MaxRetries: -1,
		HTTPClient: &http.Client{Timeout: time.Minute, Transport: bearer{token: d.token, next: http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "fanout-demo", Version: "1"}, nil).Connect(ctx, tr, nil)
	if err != nil {
		return rows, fmt.Errorf("mcp connect: %w", err)
	}
	defer cs.Close()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		return rows, fmt.Errorf("mcp tools/list: %w", err)
	}
	var names []string
	for _, t := range tools.Tools {
		names = append(names, t.Name)
	}
	rows = append(rows, row{Platform: "mcp", Step: "tools/list", State: "ok", Detail: fmt.Sprint(names), Took: time.Since(start)})
	if !slices.Contains(names, "publish") || !slices.Contains(names, "get_task") {
		return rows, fmt.Errorf("mcp: tools %v lack publish or get_task", names)
	}

	start = time.Now()
	title := "Fanout MCP 演示"
	var pub struct {
		TaskIDs []string `json:"task_ids"`
	}
	if err := callTool(ctx, cs, "publish", map[string]any{"file_ids": []string{fileID}, "account_ids": []string{accountID}, "title": title, "tags": []string{"mcp"}}, &pub); err != nil || len(pub.TaskIDs) != 1 {
		return rows, fmt.Errorf("mcp publish: %v %v", err, pub.TaskIDs)
	}
	id := pub.TaskIDs[0]
	var t task
	for t.State != "succeeded" && t.State != "failed" && t.State != "canceled" {
		if err := callTool(ctx, cs, "get_task", map[string]any{"task_id": id}, &t); err != nil {
			return rows, fmt.Errorf("mcp get_task: %w", err)
		}
		select {
		case <-ctx.Done():
			return rows, fmt.Errorf("mcp: task %s still %s: %w", id, t.State, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	rows = append(rows, row{Platform: "mcp", Step: "publish → " + p, Task: id[:8], State: t.State, Detail: detail(t), Took: time.Since(start)})
	if t.State != "succeeded" {
		return rows, fmt.Errorf("mcp publish: %s", detail(t))
	}
	var posts []struct {
		Title string `json:"title"`
	}
	if err := d.getJSON(ctx, fake+"/__fake__/published", &posts); err != nil {
		return rows, err
	}
	n := 0
	for _, post := range posts {
		if post.Title == title {
			n++
		}
	}
	state := "verified"
	if n != 1 {
		state = "MISMATCH"
	}
	rows = append(rows, row{Platform: "mcp", Step: "on platform", State: state, Detail: fmt.Sprintf("%d post(s) titled %q", n, title)})
	if n != 1 {
		return rows, fmt.Errorf("mcp: the fake holds %d posts titled %q, want 1", n, title)
	}
	return rows, nil
}

// callTool calls an MCP tool and decodes its structured output into out.
func callTool(ctx context.Context, cs *sdk.ClientSession, name string, args map[string]any, out any) error {
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return err
	}
	if res.IsError {
		for _, c := range res.Content {
			if tc, ok := c.(*sdk.TextContent); ok {
				return fmt.Errorf("%s: %s", name, tc.Text)
			}
		}
		return fmt.Errorf("%s failed", name)
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
