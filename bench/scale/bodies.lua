-- wrk script of bench/scale: sends request bodies read from a file, one body
-- per line, with the headers of bench/list.lua.  Environment:
--   TOKEN ACCOUNT STREAM   credentials of the tenant (required for the API)
--   REQ_PATH               request target (default: Get All Campaigns)
--   REQ_METHOD             default POST
--   BODIES                 file of bodies, one per line (absent: one request,
--                          no body, e.g. a GET)
--   NTHREADS               the -t given to wrk
--   MODE                   "cycle" (default): every thread cycles through all
--                          bodies, each starting at its own offset;
--                          "cold": the file is cut into PARTS*NTHREADS disjoint
--                          slices and thread t of part PART sends slice
--                          PART*NTHREADS+t once, in order (a body sent a second
--                          time is counted in "repeats")
--   PART PARTS             see MODE=cold (default 0 and 1)
--   STOP_AT_END            "1" with MODE=cold: a thread that has sent its whole
--                          slice stops sending instead of repeating
--   LINE_KIND              "body" (default) or "path": each line is a request
--                          target, sent without a body
--   COUNT_STATUS           "1": count every status other than 200 (costs a Lua
--                          call per response); otherwise wrk's own count of
--                          statuses >= 400 is reported
-- done() prints "non-200 responses: N", "repeats: N" and "bodies: N".
local token = os.getenv("TOKEN") or ""
local account = os.getenv("ACCOUNT") or ""
local stream = os.getenv("STREAM") or ""
local nthreads = tonumber(os.getenv("NTHREADS") or "1")
local mode = os.getenv("MODE") or "cycle"
local part = tonumber(os.getenv("PART") or "0")
local parts = tonumber(os.getenv("PARTS") or "1")
local bodies_file = os.getenv("BODIES")
local count_status = os.getenv("COUNT_STATUS") == "1"
local stop_at_end = os.getenv("STOP_AT_END") == "1"
local line_kind = os.getenv("LINE_KIND") or "body"

wrk.method = os.getenv("REQ_METHOD") or "POST"
wrk.path = os.getenv("REQ_PATH") or
    ("/campaign/api/v2/public/" .. stream .. "/campaign/getAllCampaignDetails?accountId=" .. account)
if token ~= "" then
  wrk.headers["auth"] = token
  wrk.headers["accountid"] = account
  wrk.headers["iid"] = stream
end
if bodies_file and line_kind == "body" then
  wrk.headers["Content-Type"] = "application/json"
end

-- main state: give each thread its index
local threads = {}
local next_tid = 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

-- thread state
local reqs = {}
local n = 0
local i = 1
sent = 0
non200 = 0
nbodies = 0

function init(args)
  if not bodies_file then
    reqs[1] = wrk.format(nil, nil, nil, nil)
    n = 1
    nbodies = 1
    return
  end
  local total = 0
  for _ in io.lines(bodies_file) do total = total + 1 end
  local lo, hi = 1, total
  if mode == "cold" then
    local slices = parts * nthreads
    local s = part * nthreads + tid
    lo = math.floor(total * s / slices) + 1
    hi = math.floor(total * (s + 1) / slices)
  end
  local k = 0
  for line in io.lines(bodies_file) do
    k = k + 1
    if k >= lo and k <= hi and #line > 0 then
      n = n + 1
      if line_kind == "path" then
        reqs[n] = wrk.format(nil, line, nil, nil)
      else
        reqs[n] = wrk.format(nil, nil, nil, line)
      end
    end
  end
  nbodies = n
  if n == 0 then
    error("no bodies in slice " .. lo .. ".." .. hi .. " of " .. bodies_file)
  end
  if mode ~= "cold" then
    -- each thread starts at its own place in the cycle
    i = math.floor(n * tid / nthreads) + 1
  end
end

function request()
  local r = reqs[i]
  sent = sent + 1
  i = i + 1
  if i > n then
    i = 1
    if mode == "cold" and stop_at_end then wrk.thread:stop() end
  end
  return r
end

if count_status then
  function response(status, headers, body)
    if status ~= 200 then non200 = non200 + 1 end
  end
end

function done(summary, latency, requests)
  local bad, rep, nb = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non200") or 0)
    local s, b = t:get("sent") or 0, t:get("nbodies") or 0
    if mode == "cold" and s > b then rep = rep + s - b end
    nb = nb + b
  end
  if not count_status then bad = summary.errors.status end
  io.write(string.format("non-200 responses: %d\n", bad))
  io.write(string.format("repeats: %d\n", rep))
  io.write(string.format("bodies: %d\n", nb))
end
