"""locust users for `python -m devtools.bench load`: each replays the recorded visit (S3MAP_VISIT).

A user opens the page (HTML, layout, dependencies, the page's first callbacks), then takes each
step of the visit, thinking 1-3 s between steps (none with S3MAP_THINK=0: saturation), and starts
over as a new visitor with two other regions: no visit repeats another's requests except where real
visitors' would (the page's first callbacks, the same indicator), so the servers' response caches
meet the mix they would meet in use. Requests are named by step, so the report shows "add to
comparison", "tab change"...

FastHttpUser (geventhttpclient): the load generator shares the 2 CPUs with the server under test, and
it needs about half the CPU per request of the requests-based HttpUser.
"""

import json
import os
import random

import gevent
from locust import FastHttpUser, task
from locust.exception import RescheduleTask

from devtools.visits import visit_for

VISIT = json.loads(open(os.environ["S3MAP_VISIT"]).read())
THINK = os.environ.get("S3MAP_THINK", "1") == "1"
# The visit was recorded with these two regions; each visit takes two others of these (all NUTS 2
# regions on the map), so caches meet new regions as they would with real visitors.
RECORDED = os.environ.get("S3MAP_RECORDED_REGIONS", "PL21,ES51").split(",")
REGIONS = [r for r in os.environ.get("S3MAP_REGIONS", "").split(",") if r] or RECORDED
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, br"}


class Visitor(FastHttpUser):
    def wait_time(self):
        return random.uniform(1.0, 3.0) if THINK else 0

    def _post(self, step: dict) -> None:
        for request in step["requests"]:
            with self.client.post(request["path"], data=request["body"], headers=HEADERS, name=step["name"],
                                  catch_response=True) as response:
                if response.status_code != 200 and response.status_code != 204:
                    response.failure(f"HTTP {response.status_code}")
                    raise RescheduleTask()

    @task
    def visit(self) -> None:
        steps = visit_for(VISIT, RECORDED, random.sample(REGIONS, len(RECORDED)))
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            self.client.get(path, headers=HEADERS, name="page load")
        self._post(steps[0])
        for step in steps[1:]:
            if THINK:
                self._sleep(self.wait_time())
            self._post(step)

    def _sleep(self, seconds: float) -> None:
        gevent.sleep(seconds)
