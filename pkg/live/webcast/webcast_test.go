package webcast_test

import (
	"context"
	"errors"
	"testing"

	"fanout/pkg/live/webcast"
	"fanout/pkg/live/webcast/webcasttest"
)

func newClient(fake *webcasttest.Server) *webcast.Client {
	return webcast.New(webcast.Config{WebcastURL: fake.URL(), PassportURL: fake.URL(), WebURL: fake.URL(),
		Signer: webcast.HTTPSigner{URL: webcasttest.SignerURL(fake.URL())}, AllowPrivateProxy: true})
}

// login runs the passport QR flow against the fake and returns the session.
func login(t *testing.T, c *webcast.Client, fake *webcasttest.Server, proxy string) *webcast.Session {
	t.Helper()
	ctx := context.Background()
	dev := webcast.NewDevice()
	conn, err := c.Conn(&dev, proxy)
	if err != nil {
		t.Fatal(err)
	}
	qr, err := conn.GetQRCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st, _, err := conn.CheckQR(ctx, qr.Token); err != nil || st != webcast.QRNew {
		t.Fatalf("check before scan: %d %v", st, err)
	}
	if err := fake.Scan("", false); err != nil {
		t.Fatal(err)
	}
	if st, _, err := conn.CheckQR(ctx, qr.Token); err != nil || st != webcast.QRScanned {
		t.Fatalf("check after scan: %d %v", st, err)
	}
	if err := fake.Scan("", true); err != nil {
		t.Fatal(err)
	}
	st, cookies, err := conn.CheckQR(ctx, qr.Token)
	if err != nil || st != webcast.QRConfirmed || len(cookies) == 0 {
		t.Fatalf("check after confirm: %d %v %v", st, cookies, err)
	}
	dev.Cookies = cookies
	return &dev
}

func TestCompanionFlowThroughProxy(t *testing.T) {
	fake := webcasttest.NewServer(t, webcasttest.Options{})
	proxy := webcasttest.NewProxy(t, "alice", "s3cret")
	c := newClient(fake)
	defer c.Close()
	ctx := context.Background()
	sess := login(t, c, fake, proxy.URL())
	conn, err := c.Conn(sess, proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	me, err := conn.Me(ctx)
	if err != nil || me.DouyinID != "123456" || me.Nickname != "用户_123456" || me.Signature != "这是123456的签名" {
		t.Fatalf("me %+v %v", me, err)
	}
	u, err := conn.SearchUser(ctx, "123456")
	if err != nil || u.Nickname != "用户_123456" || u.Signature != "这是123456的签名" {
		t.Fatalf("search %+v %v", u, err)
	}
	if _, err := conn.SearchUser(ctx, "999999"); !errors.Is(err, webcast.ErrUserNotFound) {
		t.Fatalf("search unknown: %v", err)
	}
	info, err := conn.CreateInfo(ctx)
	if err != nil || info.Title == "" || info.CoverURI == "" || info.PreScheduleKey == "" {
		t.Fatalf("create info %+v %v", info, err)
	}
	room, err := conn.CreateRoom(ctx, webcast.RoomRequest{Title: "测试直播", CoverURI: info.CoverURI, PreScheduleKey: info.PreScheduleKey})
	if err != nil || room.RoomID == "" || room.StreamID == "" || room.PushURL == "" {
		t.Fatalf("create %+v %v", room, err)
	}
	if err := conn.Ping(ctx, room.RoomID, room.StreamID); err != nil {
		t.Fatal(err)
	}
	if st, err := conn.RoomStatus(ctx, room.RoomID); err != nil || st != webcast.StatusLiving {
		t.Fatalf("status %d %v", st, err)
	}
	if err := conn.CloseRoom(ctx, room.RoomID, room.StreamID); err != nil {
		t.Fatal(err)
	}
	if st, err := conn.RoomStatus(ctx, room.RoomID); err != nil || st != webcast.StatusFinish {
		t.Fatalf("status after close %d %v", st, err)
	}
	// Closing twice is fine; pinging a closed room says it ended.
	if err := conn.CloseRoom(ctx, room.RoomID, room.StreamID); err != nil {
		t.Fatal(err)
	}
	if err := conn.Ping(ctx, room.RoomID, room.StreamID); !errors.Is(err, webcast.ErrRoomEnded) {
		t.Fatalf("ping closed: %v", err)
	}
	fr, _ := fake.Room(room.RoomID)
	if fr.Pings != 1 || fr.Title != "测试直播" {
		t.Fatalf("fake room %+v", fr)
	}
	// Every signed request the fake served came through the proxy (the
	// signer is called directly).
	if proxy.Forwarded() != fake.Requests() || proxy.Forwarded() < 12 || proxy.Denied() != 0 {
		t.Fatalf("proxy forwarded %d, denied %d; fake served %d", proxy.Forwarded(), proxy.Denied(), fake.Requests())
	}
}

func TestCompanionErrors(t *testing.T) {
	fake := webcasttest.NewServer(t, webcasttest.Options{})
	c := newClient(fake)
	ctx := context.Background()
	sess := login(t, c, fake, "")
	conn, _ := c.Conn(sess, "")

	info, err := conn.CreateInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fake.FailNextCreate(4003028, "需要人脸认证")
	_, err = conn.CreateRoom(ctx, webcast.RoomRequest{Title: "t", PreScheduleKey: info.PreScheduleKey})
	var ae *webcast.APIError
	if !errors.As(err, &ae) || ae.Code != 4003028 || ae.AuthURL == "" || ae.Message != "需要人脸认证" {
		t.Fatalf("face check: %v", err)
	}

	// Without the signer the fake answers like Douyin: an empty body.
	unsigned := webcast.New(webcast.Config{WebcastURL: fake.URL(), PassportURL: fake.URL(), WebURL: fake.URL()})
	uc, _ := unsigned.Conn(sess, "")
	if _, err := uc.Me(ctx); err == nil {
		t.Fatal("unsigned request succeeded")
	}

	// A proxy that refuses the credentials fails the call.
	proxy := webcasttest.NewProxy(t, "alice", "right")
	bad, _ := c.Conn(sess, "http://alice:wrong@"+proxy.URL()[len("http://alice:right@"):])
	if _, err := bad.Me(ctx); err == nil || proxy.Denied() == 0 {
		t.Fatalf("wrong proxy credentials: %v (denied %d)", err, proxy.Denied())
	}

	fake.ExpireSessions()
	if _, err := conn.Me(ctx); !errors.Is(err, webcast.ErrLoginRequired) {
		t.Fatalf("expired: %v", err)
	}
	noSess, _ := c.Conn(nil, "")
	if _, err := noSess.CreateInfo(ctx); !errors.Is(err, webcast.ErrLoginRequired) {
		t.Fatalf("no session: %v", err)
	}
}
