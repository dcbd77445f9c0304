package webcast

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// CreateInfo is what the companion shows before going live: the default
// title and cover, and the key the room create must echo.
type CreateInfo struct {
	Title          string
	CoverURI       string
	PreScheduleKey string
}

// CreateInfo asks for the defaults of a new room (POST
// /webcast/room/create_info/).
func (c *Conn) CreateInfo(ctx context.Context) (CreateInfo, error) {
	form := url.Values{"enable_preview_stream": {"1"}, "speed_test_info": {"[]"}, "live_room_mode": {"1"}, "orientation": {"1"}}
	var d struct {
		Title string `json:"title"`
		Cover struct {
			URI     string   `json:"uri"`
			URLList []string `json:"url_list"`
		} `json:"cover"`
		PreviewStream struct {
			PrescheduleKey string `json:"preschedule_key"`
		} `json:"preview_stream"`
	}
	if err := c.call(ctx, "POST", "/webcast/room/create_info/", nil, form, &d); err != nil {
		return CreateInfo{}, err
	}
	return CreateInfo{Title: d.Title, CoverURI: d.Cover.URI, PreScheduleKey: d.PreviewStream.PrescheduleKey}, nil
}

// RoomRequest is a room to open in OBS mode (third-party push).
type RoomRequest struct {
	Title          string
	CoverURI       string
	PreScheduleKey string
}

// Room is an opened room: its id, its stream and Douyin's RTMP ingest URL
// (a secret: whoever has it can push to the room).
type Room struct {
	RoomID   string
	StreamID string
	Status   int
	PushURL  string
}

// CreateRoom opens a room (POST /webcast/room/create/). Douyin's checks
// come back as *APIError: 20054 agreement/real-name, 10018/20006/4003035
// banned, 4003028 face check (AuthURL says where).
func (c *Conn) CreateRoom(ctx context.Context, r RoomRequest) (Room, error) {
	form := url.Values{
		"title":            {r.Title},
		"orientation":      {"1"},
		"live_room_mode":   {"1"},
		"third_party":      {"1"},
		"push_stream_type": {"2"}, // OBS mode
		"pre_schedule_key": {r.PreScheduleKey},
		"gift_auth":        {"1"},
	}
	if r.CoverURI != "" {
		form.Set("cover_uri", r.CoverURI)
	} else {
		form.Set("auto_cover", "1")
	}
	var d struct {
		IDStr       string      `json:"id_str"`
		StreamIDStr string      `json:"stream_id_str"`
		StreamID    json.Number `json:"stream_id"`
		Status      int         `json:"status"`
		StreamURL   struct {
			RTMPPushURL string `json:"rtmp_push_url"`
		} `json:"stream_url"`
	}
	if err := c.call(ctx, "POST", "/webcast/room/create/", nil, form, &d); err != nil {
		return Room{}, err
	}
	room := Room{RoomID: d.IDStr, StreamID: d.StreamIDStr, Status: d.Status, PushURL: d.StreamURL.RTMPPushURL}
	if room.StreamID == "" {
		room.StreamID = d.StreamID.String()
	}
	if room.RoomID == "" || room.PushURL == "" {
		return Room{}, errors.New("webcast: room create: the answer has no room id or push URL")
	}
	return room, nil
}

// endedCodes are the status codes of a ping on a room Douyin already ended.
var endedCodes = map[int]bool{30001: true, 30003: true}

// Ping sends POST /webcast/room/ping/anchor/ with status 2 (living): once
// right after create, so viewers can see the room, then as the keep-alive.
// A room Douyin has ended answers ErrRoomEnded.
func (c *Conn) Ping(ctx context.Context, roomID, streamID string) error {
	err := c.ping(ctx, roomID, streamID, StatusLiving)
	var ae *APIError
	if errors.As(err, &ae) && endedCodes[ae.Code] {
		return fmt.Errorf("%w: %w", ErrRoomEnded, err)
	}
	return err
}

// CloseRoom ends the room: ping/anchor with status 4. A room that already
// ended (30001, 30003) counts as closed.
func (c *Conn) CloseRoom(ctx context.Context, roomID, streamID string) error {
	err := c.ping(ctx, roomID, streamID, StatusFinish)
	var ae *APIError
	if errors.As(err, &ae) && endedCodes[ae.Code] {
		return nil
	}
	return err
}

func (c *Conn) ping(ctx context.Context, roomID, streamID string, status int) error {
	form := url.Values{"room_id": {roomID}, "stream_id": {streamID}, "status": {strconv.Itoa(status)}}
	if status == StatusFinish {
		form.Set("reason_no", "1")
	}
	return c.call(ctx, "POST", "/webcast/room/ping/anchor/", nil, form, nil)
}

// RoomStatus probes a room (GET /webcast/room/check_exist/): its status, or
// StatusFinish when it no longer exists.
func (c *Conn) RoomStatus(ctx context.Context, roomID string) (int, error) {
	var d struct {
		Exist  bool `json:"exist"`
		Status int  `json:"status"`
	}
	if err := c.call(ctx, "GET", "/webcast/room/check_exist/", url.Values{"room_id": {roomID}}, nil, &d); err != nil {
		return 0, err
	}
	if !d.Exist {
		return StatusFinish, nil
	}
	return d.Status, nil
}
