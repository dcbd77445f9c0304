package platform

import (
	"fmt"
	"sort"
)

// Registry maps platform names to the drivers a worker serves. It is filled
// once in main and read concurrently afterwards.
type Registry struct {
	drivers map[Name]Driver
}

// NewRegistry returns a registry holding drivers.
func NewRegistry(drivers ...Driver) *Registry {
	r := &Registry{drivers: map[Name]Driver{}}
	for _, d := range drivers {
		r.drivers[d.Name()] = d
	}
	return r
}

// Driver returns the driver for n.
func (r *Registry) Driver(n Name) (Driver, error) {
	d, ok := r.drivers[n]
	if !ok {
		return nil, fmt.Errorf("platform: no driver for %q", n)
	}
	return d, nil
}

// Names lists the registered platforms, sorted.
func (r *Registry) Names() []Name {
	out := make([]Name, 0, len(r.drivers))
	for n := range r.drivers {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
