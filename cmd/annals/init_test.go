package main

import "testing"

func TestDatasetTitle(t *testing.T) {
	for dir, want := range map[string]string{
		"ferry-dataset": "Ferry dataset", "équipe-données": "Équipe données", "/tmp/my_new data": "My new data", "/": "New annals dataset",
	} {
		if got := datasetTitle(dir); got != want {
			t.Errorf("%q: %q, want %q", dir, got, want)
		}
	}
}

func TestPinFor(t *testing.T) {
	const commit = "0123456789abcdef0123456789abcdef01234567"
	for _, c := range []struct {
		version, commit string
		modified        bool
		module, rev     string
		warns           bool
	}{
		{"v1.2.0", "", false, "v1.2.0", "v1.2.0", false},
		{"1.2.0", commit, false, "v1.2.0", "v1.2.0", false},
		{"v1.2.0-rc.1", "", false, "v1.2.0-rc.1", "v1.2.0-rc.1", false},
		{"v0.0.0-20261205120000-abcdef123456", "", false, "v0.0.0-20261205120000-abcdef123456", "abcdef123456", false},
		{"v1.2.1-0.20261205120000-abcdef123456", "", false, "v1.2.1-0.20261205120000-abcdef123456", "abcdef123456", false},
		{"v0.0.0-20261205120000-0123456789ab", commit, false, "v0.0.0-20261205120000-0123456789ab", commit, false},
		{"v0.0.0-20261205120000-0123456789ab+dirty", commit, true, "v0.0.0-20261205120000-0123456789ab", commit, true},
		{"v0.0.0-20261205120000-abcdef123456+dirty", "", false, "v0.0.0-20261205120000-abcdef123456", "abcdef123456", true},
		{"dev", commit, false, commit, commit, false},
		{"dev", commit, true, commit, commit, true},
		{"dev", "", false, "main", "main", true},
		{"", "", false, "main", "main", true},
	} {
		p, warning := pinFor(c.version, c.commit, c.modified)
		if p.Module != c.module || p.Rev != c.rev || (warning != "") != c.warns {
			t.Errorf("pinFor(%q, %q, %v) = %+v, %q", c.version, c.commit, c.modified, p, warning)
		}
	}
}
