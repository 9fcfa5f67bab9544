"""A recorded visit with its regions swapped for others: each simulated visitor sees its own regions."""

from __future__ import annotations


def visit_for(visit: list[dict], recorded: list[str], regions: list[str]) -> list[dict]:
    """The visit's callback requests with `recorded` regions replaced by `regions` (ids, URL queries,
    button indices); region codes are upper-case, so the lower-case digests in a request never match."""
    steps = []
    for step in visit:
        requests = []
        for request in step["requests"]:
            body = request["body"]
            for old, new in zip(recorded, regions):
                body = body.replace(old, new)
            requests.append({"path": request["path"], "body": body})
        steps.append({"name": step["name"], "requests": requests})
    return steps
