"""A bounded load on a running server from a process of its own: a fixed number of client
threads, each requesting the paths in turn for a fixed time. Prints JSON: requests, errors
(anything but 200, and failed connections), requests per second and latency percentiles.

    python bench/load.py --base http://127.0.0.1:8765 --cookie sessionid=... \
        --seconds 20 --clients 8 /partnerships/national-0001/budget/ /compare/
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def run(base: str, cookie: str, paths: list[str], seconds: float, clients: int) -> dict:
    address = urlsplit(base)
    deadline = [0.0]
    # Every client first requests every path once, untimed: each server worker imports,
    # connects and fills its caches before the clock starts.
    warmed = threading.Barrier(clients + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        for path in paths:
            connection.request("GET", path, headers={"Cookie": cookie})
            connection.getresponse().read()
        warmed.wait()
        index = offset
        while time.monotonic() < deadline[0]:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                outcome = None if response.status == 200 else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if outcome:
                    errors[outcome] = errors.get(outcome, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds  # provisional, in case a client is released first
    warmed.wait()
    started = time.monotonic()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "requests_per_second": round(len(latencies) / wall, 1),
        "median_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 1) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--cookie", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    json.dump(run(args.base, args.cookie, args.paths, args.seconds, args.clients), sys.stdout)


if __name__ == "__main__":
    main()
