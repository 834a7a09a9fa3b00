// Package sarif writes regaudit findings as a SARIF 2.1.0 log, the format
// that code-scanning services (GitHub code scanning among them) ingest.
//
// The log has one rule per check of internal/checks, with its title as the
// short description, its documentation as the full description and the
// -explain text as help. Artifact URIs are relative to a root directory
// (given as the %SRCROOT% base), and every result carries a partial
// fingerprint that hashes the check ID, the relative path and the
// whitespace-normalized text of the finding's line, plus an occurrence
// number, so that it survives edits elsewhere in the file.
package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/regaudit/regaudit/internal/checks"
)

// Version and Schema identify the SARIF format written.
const (
	Version = "2.1.0"
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"

	// FingerprintKey names the partial fingerprint in each result.
	FingerprintKey = "regauditLineHash/v1"

	srcRoot = "%SRCROOT%"
)

// A Finding is one diagnostic to write. Lines and columns are 1-based, and
// columns count bytes, as in go/token.
type Finding struct {
	CheckID   string
	Message   string
	Filename  string // absolute, or relative to the current directory
	Line      int
	Column    int
	EndLine   int // 0 if unknown
	EndColumn int
}

// Options control the log.
type Options struct {
	Root        string // directory that URIs are relative to
	ToolVersion string // optional
	// Failures are tool execution errors (analysis or load errors), recorded
	// as notifications; a log with failures has executionSuccessful false.
	Failures []string
}

// Write writes findings as a SARIF log to w.
func Write(w io.Writer, findings []Finding, opts Options) error {
	log, err := Build(findings, opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// Build returns the SARIF log for findings.
func Build(findings []Finding, opts Options) (*Log, error) {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, err
	}
	rootURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(root) + "/"}).String()
	if !strings.HasPrefix(rootURI, "file:///") { // Windows drive letters
		rootURI = "file:///" + strings.TrimPrefix(rootURI, "file://")
	}

	all := checks.All()
	ruleIndex := map[string]int{}
	rules := make([]Rule, len(all))
	for i, c := range all {
		ruleIndex[c.ID] = i
		rules[i] = Rule{
			ID:               c.ID,
			Name:             c.Name,
			ShortDescription: Message{Text: c.Title},
			FullDescription:  Message{Text: strings.TrimSpace(c.Doc)},
			Help:             &Message{Text: checks.Explain(c)},
			HelpURI:          "https://github.com/regaudit/regaudit/blob/main/docs/checks.md#" + strings.ToLower(c.ID),
			DefaultConfiguration: &Configuration{
				Level:   level(c.Severity),
				Enabled: !c.OptIn,
			},
		}
	}

	lines := lineCache{}
	results := make([]Result, 0, len(findings))
	for _, f := range findings {
		idx, ok := ruleIndex[f.CheckID]
		if !ok {
			return nil, fmt.Errorf("finding of unknown check %q", f.CheckID)
		}
		abs, err := filepath.Abs(f.Filename)
		if err != nil {
			return nil, err
		}
		loc := ArtifactLocation{}
		rel, err := filepath.Rel(root, abs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			rel = filepath.ToSlash(rel)
			loc.URI = (&url.URL{Path: rel}).String()
			loc.URIBaseID = srcRoot
		} else {
			rel = filepath.ToSlash(abs) // outside the root: an absolute URI
			loc.URI = (&url.URL{Scheme: "file", Path: rel}).String()
		}
		text := lines.get(abs, f.Line)
		region := &Region{StartLine: f.Line, StartColumn: utf16Column(text, f.Column)}
		if text != "" {
			region.Snippet = &Message{Text: text}
		}
		if f.EndLine > 0 {
			region.EndLine = f.EndLine
			region.EndColumn = utf16Column(lines.get(abs, f.EndLine), f.EndColumn)
		}
		results = append(results, Result{
			RuleID:    f.CheckID,
			RuleIndex: idx,
			Level:     level(all[idx].Severity),
			Message:   Message{Text: f.Message},
			Locations: []Location{{PhysicalLocation: PhysicalLocation{
				ArtifactLocation: loc,
				Region:           region,
			}}},
			PartialFingerprints: map[string]string{
				FingerprintKey: lineHash(f.CheckID, rel, text),
			},
		})
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i], results[j]
		la, lb := a.Locations[0].PhysicalLocation, b.Locations[0].PhysicalLocation
		if la.ArtifactLocation.URI != lb.ArtifactLocation.URI {
			return la.ArtifactLocation.URI < lb.ArtifactLocation.URI
		}
		if la.Region.StartLine != lb.Region.StartLine {
			return la.Region.StartLine < lb.Region.StartLine
		}
		if la.Region.StartColumn != lb.Region.StartColumn {
			return la.Region.StartColumn < lb.Region.StartColumn
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message.Text < b.Message.Text
	})
	// Number identical hashes in file order, so that two findings on equal
	// lines get distinct, still line-number-free, fingerprints.
	seen := map[string]int{}
	for i := range results {
		h := results[i].PartialFingerprints[FingerprintKey]
		seen[h]++
		results[i].PartialFingerprints[FingerprintKey] = fmt.Sprintf("%s:%d", h, seen[h])
	}

	inv := Invocation{ExecutionSuccessful: len(opts.Failures) == 0}
	for _, msg := range opts.Failures {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, Notification{
			Level:   "error",
			Message: Message{Text: msg},
		})
	}
	return &Log{
		Version: Version,
		Schema:  Schema,
		Runs: []Run{{
			Tool: Tool{Driver: Driver{
				Name:           "regaudit",
				InformationURI: "https://github.com/regaudit/regaudit",
				Version:        opts.ToolVersion,
				Rules:          rules,
			}},
			OriginalURIBaseIDs: map[string]ArtifactLocation{srcRoot: {URI: rootURI}},
			Invocations:        []Invocation{inv},
			Results:            results,
			ColumnKind:         "utf16CodeUnits",
		}},
	}, nil
}

func level(s checks.Severity) string {
	switch s {
	case checks.Error, checks.Warning, checks.Note:
		return string(s)
	}
	return "warning"
}

// lineHash hashes what identifies a finding independently of line numbers.
func lineHash(id, relPath, line string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + relPath + "\x00" + strings.Join(strings.Fields(line), " ")))
	return hex.EncodeToString(sum[:16])
}

// utf16Column converts a 1-based byte column of line to the 1-based UTF-16
// code unit column that SARIF expects by default.
func utf16Column(line string, byteCol int) int {
	if byteCol <= 1 || line == "" {
		return max(byteCol, 1)
	}
	if byteCol-1 > len(line) {
		// Past the text we have (end of line, or the file changed): keep
		// the distance past the end.
		return len(utf16.Encode([]rune(line))) + byteCol - len(line)
	}
	return len(utf16.Encode([]rune(line[:byteCol-1]))) + 1
}

// lineCache reads source files once, for line texts.
type lineCache map[string][]string

func (c lineCache) get(file string, line int) string {
	ls, ok := c[file]
	if !ok {
		data, err := os.ReadFile(file)
		if err == nil {
			ls = strings.Split(string(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))), "\n")
		}
		c[file] = ls
	}
	if line < 1 || line > len(ls) {
		return ""
	}
	return ls[line-1]
}
