package sqlstore

import "strings"

// foldPairs are the letters a territory search folds: accented vowels,
// ü and ñ, in both cases, to their plain lower-case letter, so that
// "chiquinquira" finds "Chiquinquirá" and "NUNEZ" finds "Núñez". The same
// table folds the query in Go and the column in SQL, so the two always
// agree on SQLite (whose LOWER folds ASCII only) and on PostgreSQL.
var foldPairs = [][2]string{
	{"á", "a"}, {"é", "e"}, {"í", "i"}, {"ó", "o"}, {"ú", "u"}, {"ü", "u"}, {"ñ", "n"},
	{"Á", "a"}, {"É", "e"}, {"Í", "i"}, {"Ó", "o"}, {"Ú", "u"}, {"Ü", "u"}, {"Ñ", "n"},
	{"à", "a"}, {"è", "e"}, {"ì", "i"}, {"ò", "o"}, {"ù", "u"},
	{"À", "a"}, {"È", "e"}, {"Ì", "i"}, {"Ò", "o"}, {"Ù", "u"},
}

var folder = func() *strings.Replacer {
	var args []string
	for _, p := range foldPairs {
		args = append(args, p[0], p[1])
	}
	return strings.NewReplacer(args...)
}()

// foldSearch folds a search query: lower case, accents removed.
func foldSearch(s string) string { return folder.Replace(strings.ToLower(s)) }

// foldSQL is the SQL expression that folds column as foldSearch folds a
// query.
func foldSQL(column string) string {
	expr := "LOWER(" + column + ")"
	for _, p := range foldPairs {
		expr = "REPLACE(" + expr + ", '" + p[0] + "', '" + p[1] + "')"
	}
	return expr
}
