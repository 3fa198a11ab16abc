//go:build !race

package testkit

const RaceEnabled = false
