package shared

// Plural writes a count with the noun that agrees with it: Plural(1, "avviso", "avvisi") is
// "1 avviso", Plural(0, …) and Plural(3, …) "0 avvisi" and "3 avvisi". Every count a person
// reads goes through it, so that no page says «1 avvisi» or «1 richieste».
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return itoa(n) + " " + one
	}
	return itoa(n) + " " + many
}
