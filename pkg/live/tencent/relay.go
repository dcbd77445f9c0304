package tencent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Relay is one pull-and-push task: CSS pulls SourceURL (the broadcaster's
// stream on Tencent) and pushes it to ToURL (Douyin's RTMP ingest).
type Relay struct {
	SourceURL string
	ToURL     string
	Start     time.Time
	End       time.Time
	// Operator is recorded by Tencent as who made the task.
	Operator string
}

// relayTimeFormat is the UTC ISO 8601 form the relay actions take.
const relayTimeFormat = "2006-01-02T15:04:05Z"

// CreateRelay creates a CreateLivePullStreamTask of type PullLivePushLive
// and returns its TaskId. The destination is a full URL (ToUrl), so
// DomainName, AppName and StreamName are sent empty, as the API asks for a
// non-Tencent destination.
func (c *Client) CreateRelay(ctx context.Context, r Relay) (string, error) {
	if r.SourceURL == "" || r.ToURL == "" {
		return "", errors.New("tencent: relay needs a source and a destination URL")
	}
	params := map[string]any{
		"SourceType": "PullLivePushLive",
		"SourceUrls": []string{r.SourceURL},
		"DomainName": "",
		"AppName":    "",
		"StreamName": "",
		"ToUrl":      r.ToURL,
		"StartTime":  r.Start.UTC().Format(relayTimeFormat),
		"EndTime":    r.End.UTC().Format(relayTimeFormat),
		"Operator":   r.Operator,
	}
	var out struct {
		TaskID string `json:"TaskId"`
	}
	if err := c.Call(ctx, "CreateLivePullStreamTask", LiveVersion, params, &out); err != nil {
		return "", err
	}
	if out.TaskID == "" {
		return "", fmt.Errorf("tencent: CreateLivePullStreamTask: no TaskId in the answer")
	}
	return out.TaskID, nil
}

// DeleteRelay deletes a relay task. A task Tencent no longer knows (it ended
// or was deleted) counts as deleted.
func (c *Client) DeleteRelay(ctx context.Context, taskID, operator string) error {
	err := c.Call(ctx, "DeleteLivePullStreamTask", LiveVersion, map[string]any{"TaskId": taskID, "Operator": operator}, nil)
	var ae *APIError
	if errors.As(err, &ae) && strings.Contains(ae.Code, "NotFound") {
		return nil
	}
	return err
}
