package kube

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// scalarPool holds plain scalars whose YAML 1.1 meaning is subtle: the
// generated documents put them as keys and values, in block and flow style,
// plain and quoted.
var scalarPool = []string{
	"a", "image", "y", "Y", "n", "N", "yes", "No", "on", "OFF", "true", "False", "~", "null", "NULL", "",
	"0", "7", "-3", "+4", "0755", "08", "0x1F", "0X1f", "0o17", "0b101", "-0b11", "1_000", "0x_1F",
	"1.5", ".5", "-.5e-2", "1e3", "1E+3", "1.", "1.10", ".inf", "-.Inf", ".nan", "9223372036854775807",
	"9223372036854775808", "18446744073709551615", "18446744073709551616", "1e400", "2001-01-01",
	"2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2002-1-2", "12:30:00", "1:20", "100m",
	"500Mi", "v1", "apps/v1", "<<", "a b", "é", "nginx:1.27", "-", "--", "0.0.0.0",
}

// genYAML writes a random document of depth at most d.
func genYAML(r *rand.Rand, b *strings.Builder, indent string, d int) {
	n := 1 + r.IntN(4)
	for i := 0; i < n; i++ {
		fmt.Fprintf(b, "%s%s:", indent, genScalar(r, true))
		switch k := r.IntN(6); {
		case k == 0 && d > 0:
			b.WriteString("\n")
			genYAML(r, b, indent+"  ", d-1)
		case k == 1 && d > 0:
			b.WriteString("\n")
			for j := 0; j < 1+r.IntN(3); j++ {
				fmt.Fprintf(b, "%s- %s\n", indent, genScalar(r, false))
			}
		case k == 2:
			fmt.Fprintf(b, " [%s, %s]\n", genScalar(r, false), genScalar(r, false))
		case k == 3:
			fmt.Fprintf(b, " {%s: %s}\n", genScalar(r, true), genScalar(r, false))
		default:
			fmt.Fprintf(b, " %s\n", genScalar(r, false))
		}
	}
}

func genScalar(r *rand.Rand, key bool) string {
	s := scalarPool[r.IntN(len(scalarPool))]
	switch r.IntN(8) {
	case 0:
		return `"` + s + `"`
	case 1:
		return "'" + s + "'"
	}
	if s == "" && key {
		return "k"
	}
	if s == "-" || s == "--" {
		return "x" + s
	}
	return s
}

// TestFastJSONMatchesGenerated runs the differential check on generated
// documents, which reach the YAML 1.1 resolution rules far more often than
// byte-level fuzzing does.
func TestFastJSONMatchesGenerated(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	var fast int
	const runs = 20000
	for i := 0; i < runs; i++ {
		var b strings.Builder
		genYAML(r, &b, "", 2)
		if checkFastJSON(t, []byte(b.String())) {
			fast++
		}
	}
	t.Logf("fast path took %d of %d generated documents", fast, runs)
	if fast < runs/10 {
		t.Errorf("fast path took only %d of %d generated documents", fast, runs)
	}
}
