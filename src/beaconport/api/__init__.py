"""The JSON API for force systems, mounted at ``/api/v1`` by ``beaconport.main.create_app``.

A separate application rather than a router of the web app: it has its own OpenAPI document
(``/api/v1/openapi.json``), knows only bearer tokens (never the session cookie, so CSRF cannot
reach it) and answers only JSON. docs/api.md describes it for the people who connect to it.
"""

from __future__ import annotations

from beaconport.api.v1 import create_api

API_PREFIX = "/api/v1"

__all__ = ["API_PREFIX", "create_api"]
