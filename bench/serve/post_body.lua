-- wrk script for scripts/bench-serve: POSTs the same prediction body on every request, with an
-- API key, counts answers that are not 200 (wrk itself counts only socket errors and
-- non-2xx/3xx) and the answers of each model version (header X-Model-Version).
-- BODY: the file with the JSON body; KEY: the API key.
local body_file = assert(os.getenv("BODY"), "set BODY to the request body's file")
local file = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("KEY"), "set KEY to an API key")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  versions = {}
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
  local version = headers["X-Model-Version"] or "none"
  versions[version] = (versions[version] or 0) + 1
end

function done(summary, latency, requests)
  local failed = 0
  local versions = {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("not_ok")
    for version, count in pairs(thread:get("versions")) do
      versions[version] = (versions[version] or 0) + count
    end
  end
  io.write(string.format("non-200 answers: %d\n", failed))
  for version, count in pairs(versions) do
    io.write(string.format("answers of version %s: %d\n", version, count))
  end
end
