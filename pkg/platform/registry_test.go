package platform

import (
	"context"
	"testing"
)

type stubDriver struct{ name Name }

func (s stubDriver) Name() Name                                       { return s.name }
func (stubDriver) Login(context.Context, func(Challenge) error) error { return nil }
func (stubDriver) CheckLogin(context.Context) (bool, error)           { return true, nil }
func (stubDriver) FindPublished(context.Context, PublishRequest) (PublishResult, bool, error) {
	return PublishResult{}, false, nil
}
func (stubDriver) Publish(context.Context, PublishRequest, func(Progress) error) (PublishResult, error) {
	return PublishResult{}, nil
}

func TestRegistryAndNames(t *testing.T) {
	t.Parallel()
	r := NewRegistry(stubDriver{"b"}, stubDriver{"a"})
	if got := r.Names(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("names %v", got)
	}
	if _, err := r.Driver("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Driver("zzz"); err == nil {
		t.Fatal("unknown platform found")
	}
	if !Douyin.Valid() || Name("myspace").Valid() || Name("").Valid() {
		t.Fatal("Valid")
	}
}
