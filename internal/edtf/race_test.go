//go:build race

package edtf_test

const raceEnabled = true
