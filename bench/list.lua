-- wrk script: the documented SMS Get All Campaigns request against the demo
-- tenant.  TOKEN, ACCOUNT and STREAM come from the environment.
local token = os.getenv("TOKEN")
local account = os.getenv("ACCOUNT")
local stream = os.getenv("STREAM")
wrk.method = "POST"
wrk.path = "/campaign/api/v2/public/" .. stream .. "/campaign/getAllCampaignDetails?accountId=" .. account
wrk.headers["auth"] = token
wrk.headers["accountid"] = account
wrk.headers["iid"] = stream
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{
  "limit": 50,
  "skip": 0,
  "page": 1,
  "startDate": "2025-12-01T00:00:00.000Z",
  "endDate" : "2025-12-08T00:00:00.000Z",
  "type" :"sms",
  "sortBy": {
    "createdAt": "desc"
  },
  "filters": {
    "status": ["Ready", "Stopped"],
    "priority": [5]
  }
}
]]

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local non200 = summary.requests - (statuses[200] or 0)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
end
