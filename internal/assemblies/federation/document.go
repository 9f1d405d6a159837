package federation

import (
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Article is one article of a document: where it sits (its title and
// chapter headings), its own heading and its paragraphs.
type Article struct {
	Number     int      `json:"number"`
	Title      string   `json:"title,omitempty"`   // the "Title I …" heading it is under
	Chapter    string   `json:"chapter,omitempty"` // the "Chapter 1 …" heading it is under
	Heading    string   `json:"heading"`
	Paragraphs []string `json:"paragraphs"`
	// Status is "" while open to amendments, then "approved" or "rejected".
	Status string `json:"status,omitempty"`
	Vote   *Tally `json:"vote,omitempty"`
}

// Amendment operations.
const (
	OpReplace = "replace" // replace paragraph N
	OpInsert  = "insert"  // insert a paragraph before paragraph N (N = count+1 appends)
	OpDelete  = "delete"  // delete paragraph N
)

// Amendment is a delegate's proposed change to one paragraph of an article.
type Amendment struct {
	ID        int    `json:"id"`
	Article   int    `json:"article"`
	Op        string `json:"op"`
	Paragraph int    `json:"paragraph"` // from 1
	Text      string `json:"text,omitempty"`
	By        int    `json:"by"` // delegate
	Supports  []int  `json:"supports"`
	// Status: "submitted", "debate" (support reached), "approved",
	// "rejected".
	Status string `json:"status"`
	Vote   *Tally `json:"vote,omitempty"`
}

// Version is one consolidated text of a document.
type Version struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
	Reason string `json:"reason"` // what made it
	Seq    int    `json:"seq"`
}

// Document is a programme or statutes under approval by a congress.
type Document struct {
	ID       int          `json:"id"`
	Congress int          `json:"congress"`
	Kind     string       `json:"kind"` // "statutes" or "programme"
	Name     string       `json:"name"`
	Articles []*Article   `json:"articles"`
	Amends   []*Amendment `json:"amendments"`
	// Threshold is how many delegates must support an amendment before it
	// is debated and voted.
	Threshold int       `json:"threshold"`
	Status    string    `json:"status,omitempty"` // "" open, "approved", "rejected"
	Vote      *Tally    `json:"vote,omitempty"`
	Versions  []Version `json:"versions"`
}

// Article returns article n, or nil.
func (d *Document) Article(n int) *Article {
	if n < 1 || n > len(d.Articles) {
		return nil
	}
	return d.Articles[n-1]
}

// Amendment returns amendment id, or nil.
func (d *Document) Amendment(id int) *Amendment {
	if id < 1 || id > len(d.Amends) {
		return nil
	}
	return d.Amends[id-1]
}

// ParseText reads a document written as headed lines:
//
//	# Title I. Of the federation        (a title)
//	## Chapter 1. Name and seat         (a chapter)
//	### Article 1. Name                 (an article and its heading)
//	A paragraph, one line each.
//
// Every paragraph belongs to an article; articles are numbered in order.
// Errors name the line.
func ParseText(text string) ([]*Article, error) {
	var arts []*Article
	title, chapter := "", ""
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "### "):
			arts = append(arts, &Article{Number: len(arts) + 1, Title: title, Chapter: chapter,
				Heading: strings.TrimSpace(line[4:]), Paragraphs: []string{}})
		case strings.HasPrefix(line, "## "):
			chapter = strings.TrimSpace(line[3:])
		case strings.HasPrefix(line, "# "):
			title, chapter = strings.TrimSpace(line[2:]), ""
		case strings.HasPrefix(line, "#"):
			return nil, &comuna.Error{Code: comuna.EInvalid, Field: "text", Line: i + 1, Message: "a heading is #, ## or ### and a space"}
		default:
			if len(arts) == 0 {
				return nil, &comuna.Error{Code: comuna.EInvalid, Field: "text", Line: i + 1, Message: "a paragraph before the first article (### …)"}
			}
			a := arts[len(arts)-1]
			a.Paragraphs = append(a.Paragraphs, line)
		}
	}
	if len(arts) == 0 {
		return nil, comuna.FieldError("text", "no articles: start each with a line \"### Article 1. …\"")
	}
	return arts, nil
}

// Text writes the document's current text in the form ParseText reads.
func (d *Document) Text() string {
	var b strings.Builder
	title, chapter := "", ""
	for _, a := range d.Articles {
		if a.Title != title {
			title, chapter = a.Title, ""
			if title != "" {
				fmt.Fprintf(&b, "# %s\n\n", title)
			}
		}
		if a.Chapter != chapter {
			chapter = a.Chapter
			if chapter != "" {
				fmt.Fprintf(&b, "## %s\n\n", chapter)
			}
		}
		fmt.Fprintf(&b, "### %s\n", a.Heading)
		for _, p := range a.Paragraphs {
			fmt.Fprintf(&b, "%s\n", p)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// apply makes an approved amendment's change to its article.
func (a *Article) apply(am *Amendment) {
	i := am.Paragraph - 1
	switch am.Op {
	case OpReplace:
		a.Paragraphs[i] = am.Text
	case OpInsert:
		a.Paragraphs = append(a.Paragraphs[:i], append([]string{am.Text}, a.Paragraphs[i:]...)...)
	case OpDelete:
		a.Paragraphs = append(a.Paragraphs[:i], a.Paragraphs[i+1:]...)
	}
}

// DiffLine is one line of a diff between two versions.
type DiffLine struct {
	Op   string `json:"op"` // " " same, "-" removed, "+" added
	Text string `json:"text"`
}

// Diff compares two texts line by line (longest common subsequence).
func Diff(from, to string) []DiffLine {
	a := strings.Split(strings.TrimRight(from, "\n"), "\n")
	b := strings.Split(strings.TrimRight(to, "\n"), "\n")
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, DiffLine{" ", a[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, DiffLine{"-", a[i]})
			i++
		default:
			out = append(out, DiffLine{"+", b[j]})
			j++
		}
	}
	return out
}
