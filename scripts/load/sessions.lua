-- wrk script: GETs $SESSION_PATH (a form page) again and again without a cookie; every answer
-- opens a new anonymous session. Writes "COOKIE <TAB> CSRF" lines to $SESSIONS_OUT.<thread>, so
-- scripts/load.sh can post sign-ups and log-ins, each with a fresh session as a browser would.

local threads, counter = {}, 0
local out

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  out = io.open(os.getenv("SESSIONS_OUT") .. "." .. id, "w")
  wrk.method = "GET"
  wrk.path = os.getenv("SESSION_PATH")
end

function response(status, headers, body)
  local cookie = headers["set-cookie"] or headers["Set-Cookie"]
  local csrf = string.match(body, 'name="csrf" value="([^"]+)"')
  if cookie and csrf then
    out:write(string.match(cookie, "^([^;]+)"), "\t", csrf, "\n")
    out:flush()
  end
end
