package sessions

import "net/http"

var sessions = map[string]string{}

func login(w http.ResponseWriter, r *http.Request) {
	sessions[r.FormValue("token")] = r.FormValue("user") // want "GMF101 write to sessions: login is an HTTP handler.*no fix: sessions is copied or passed on"
}

// All hands the map itself to the caller: a lock added here could not cover
// what the caller does with it.
func All() map[string]string {
	return sessions
}
