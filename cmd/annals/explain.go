package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/suggest"
)

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain [CODE]",
		Short: "Say what a finding's code means and how to fix it",
		Long: `Explain describes a code that annals findings carry (the code is in the
json and github output of validate): what it means, how to fix it, its
severity, and whether the manifest's checks can change that severity.
Without a code, it lists them all.`,
		Example: `  annals explain quote-not-found
  annals explain`,
		Args: cobra.MaximumNArgs(1),
		// The codes complete, each with its summary (shells that show
		// descriptions show it).
		ValidArgsFunction: func(_ *cobra.Command, args []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var codes []cobra.Completion
			for _, c := range check.Codes() {
				if strings.HasPrefix(c.Code, prefix) {
					codes = append(codes, cobra.CompletionWithDesc(c.Code, c.Summary))
				}
			}
			return codes, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			if len(args) == 0 {
				for _, c := range check.Codes() {
					fmt.Fprintf(w, "%-20s %-8s %s\n", c.Code, c.Severity, c.Summary)
				}
				return nil
			}
			info, ok := check.LookupCode(args[0])
			if !ok {
				var codes []string
				for _, c := range check.Codes() {
					codes = append(codes, c.Code)
				}
				msg := fmt.Sprintf("%q is not a code of annals; annals explain lists them", args[0])
				if s := suggest.Nearest(args[0], codes); s != "" {
					msg = fmt.Sprintf("%q is not a code of annals (did you mean %q?); annals explain lists them", args[0], s)
				}
				return &exitError{exitUsage, fmt.Errorf("%s", msg)}
			}
			fmt.Fprintf(w, "%s: %s\n\n", info.Code, info.Summary)
			if info.Explain != "" {
				fmt.Fprintf(w, "%s\n\n", wrap(info.Explain, 78))
			}
			if info.Example != "" {
				fmt.Fprintf(w, "Example:\n  %s\n\n", info.Example)
			}
			fmt.Fprintf(w, "Severity: %s.", info.Severity)
			if info.Adjustable {
				fmt.Fprintf(w, " The manifest can change it:\n\n  checks:\n    %s: warning   # or error, info, off\n", info.Code)
			} else {
				fmt.Fprintln(w, " It cannot be changed: the data cannot be read or does not follow the schema.")
			}
			return nil
		},
	}
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		l := len([]rune(word))
		if i > 0 && n+1+l > width {
			b.WriteString("\n")
			n = 0
		} else if i > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += l
	}
	return b.String()
}
