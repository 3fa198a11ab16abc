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

func TestReleaseRef(t *testing.T) {
	for v, want := range map[string]string{
		"dev": "main", "": "main", "1.2.0": "v1.2.0", "v1.2.0": "v1.2.0", "v1.2.0-rc.1": "v1.2.0-rc.1",
		"v0.0.0-20261205120000-abcdef123456": "main",
	} {
		if got := releaseRef(v); got != want {
			t.Errorf("%q: %q, want %q", v, got, want)
		}
	}
}
