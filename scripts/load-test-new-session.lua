-- wrk script for scripts/load-test.sh: every request is a NewSession POST with a JSON body and
-- HTTP Basic credentials (demo:demo).
--
-- The server appends each session to its in-memory store (about 1.7 KiB of RSS each), so an
-- unbounded run would grow it by gigabytes in 30 s. The first script argument (after `--`) is
-- a pause in milliseconds before each request on a connection, which bounds the rate to about
-- connections * 1000 / pause per second; 0 means no pause.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic ZGVtbzpkZW1v"
wrk.body = '{"channel":"Voice","toAddress":"+15550000000","fromName":"Load Test",'
    .. '"displayName":"wrk","memberEmailAddresses":["agent@example.com"]}'

local pause = 10

function init(args)
    pause = tonumber(args[1]) or pause
end

function delay()
    return pause
end
