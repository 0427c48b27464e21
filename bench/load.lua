-- wrk script: a mix of searches, with and without facet filters, for the
-- load run in the README (wrk -t2 -c16 -d30s -s bench/load.lua URL).
local paths = {
  "/api/search?q=rygestop",
  "/api/search?q=udskrivelse%20psykiatri",
  "/api/search?q=%22den%20n%C3%A6re%20psykiatri%22",
  "/api/search?q=alkohol&kind=referat",
  "/api/search?q=ledsagerafatlen",
  "/api/search?q=IV-behandling&municipality=Herning&municipality=Holstebro",
  "/api/search?q=vaccination&sort=date",
  "/api/search?group=Klyngestyregruppen%20Horsensklyngen&from=2021-01-01&to=2022-12-31",
  "/api/search?q=hjemloese",
  "/api/search?q=sygefrav%C3%A6r&topic=beskaeftigelse",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
  for _, p in pairs({50, 90, 99}) do
    io.write(string.format("latency p%d: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
