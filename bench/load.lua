-- wrk script for the HTTP figures of `arkiv-bench run`: the benchmark's
-- query mix (arkiv_index::query_mix), which arkiv-bench writes one path a
-- line to the file given after `--`:
--   wrk -t2 -c16 -d10s -s bench/load.lua URL -- PATHS
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
  for _, p in pairs({50, 90, 99}) do
    io.write(string.format("latency p%d: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
