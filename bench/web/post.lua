-- Review POSTs for wrk: request i (numbered from BENCH_POST_OFFSET across threads) goes to
-- product i mod P, sent by account i div P, so no account reviews a product twice (one
-- review per account and product revision). BENCH_POST_TARGET=api posts through the API
-- with the account's key; =baseline to the bench's minimal insert (no key).
dofile(os.getenv("BENCH_REPORT_LUA"))

local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

function init(args)
  offset = tonumber(os.getenv("BENCH_POST_OFFSET"))
  threads = tonumber(os.getenv("BENCH_THREADS"))
  target = os.getenv("BENCH_POST_TARGET")
  skus = lines(os.getenv("BENCH_SKUS_FILE"))
  keys = lines(os.getenv("BENCH_KEYS_FILE"))
  sent = 0
end

local text = "Kept me dry for a week of rain; the zip runs smoothly and the straps hold well."

function request()
  local i = offset + thread_index + threads * sent
  sent = sent + 1
  local sku = skus[(i % #skus) + 1]
  local body = string.format('{"rating": %d, "title": "Bench %d", "body": "%s"}', 1 + i % 5, i, text)
  local headers = {["Content-Type"] = "application/json"}
  if target == "api" then
    headers["Authorization"] = "Api-Key " .. keys[(math.floor(i / #skus) % #keys) + 1]
    return wrk.format("POST", "/api/v1/products/" .. sku .. "/reviews/", headers, body)
  end
  return wrk.format("POST", "/bench/baseline/products/" .. sku .. "/reviews/", headers, body)
end
