package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/schema"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of annals and of its record schema",
		Long: `Version prints the version of annals, the commit it was built from when
known, the version of the record schema it checks against, and the Go
version and platform it was built for. Cite them with a dataset, so that
others check it with the same rules.`,
		Example: `  annals version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), versionText())
			return err
		},
	}
}

// versionText is what annals version and annals --version print.
func versionText() string {
	v := "annals " + annalsVersion()
	if rev, modified := buildCommit(); rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (commit " + rev
		if modified {
			v += ", with uncommitted changes"
		}
		v += ")"
	}
	return fmt.Sprintf("%s\nrecord schema %s\n%s %s/%s\n", v, schema.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// annalsVersion is the version set for a release build, or else the
// module version the go command recorded (go install …@v1.2.0 records
// v1.2.0), or "dev".
func annalsVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}

// buildCommit returns the commit annals was built from, in full, as the
// go command recorded it, if it did.
func buildCommit() (rev string, modified bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, modified
}
