"""RFC 9457 problem documents (application/problem+json) for every error the API answers."""

from __future__ import annotations

import json

from flask import Response, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA_REF = "#/components/schemas/Problem"


class ApiProblem(Exception):
    """Raised by a route: answered as a problem document with this status."""

    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def problem_response(status: int, title: str, detail: str | None = None, errors: list | None = None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": request.path}
    if errors is not None:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MEDIA_TYPE)


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3 calls this for a request that does not match its model: 400, each error named."""
    errors = [{"where": ".".join(str(p) for p in e["loc"]) or "request", "message": e["msg"],
               "input": e["input"] if isinstance(e.get("input"), (str, int, float, bool)) else None}
              for e in error.errors(include_url=False)]
    names = ", ".join(dict.fromkeys(e["where"] for e in errors))
    return problem_response(400, "Invalid request parameter", f"check {names}", errors)


def documented(*statuses: int) -> dict:
    """The responses entries of an operation for these error statuses (problem+json)."""
    titles = {400: "Invalid request parameter", 404: "Not found",
              422: "The region cannot be used for this ranking"}
    return {status: {"description": titles[status],
                     "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}}}
            for status in statuses}


def register(app) -> None:
    @app.errorhandler(ApiProblem)
    def api_problem(error: ApiProblem):
        return problem_response(error.status, error.title, error.detail)

    @app.errorhandler(HTTPException)
    def http_problem(error: HTTPException):
        if error.response is not None and error.response.mimetype == PROBLEM_MEDIA_TYPE:
            return error.response  # a validation problem raised through abort()
        response = problem_response(error.code or 500, error.name, error.description)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)  # RFC 9110: a 405 names what is allowed
        return response

    @app.errorhandler(Exception)
    def server_problem(error: Exception):
        app.logger.exception("API error")
        return problem_response(500, "Internal server error", "the error was logged")
