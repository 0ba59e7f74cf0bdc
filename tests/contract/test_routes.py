"""Every route declares who may use it: a permission, "signed-in", or public on purpose.

Default deny depends on it: a route that forgot its ``require(...)`` would be open to anyone
signed in. Public routes are listed here by name, so adding one is a visible decision.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from beaconport.api.v1 import API_ROUTERS
from beaconport.auth.permissions import Permission
from beaconport.web.routes import PAGE_ROUTERS

PUBLIC_PAGES = {"sign_in_form", "sign_in_submit", "second_factor_form", "second_factor_submit",
                "signed_out", "health"}


def _markers(route: APIRoute) -> list[Any]:
    found = []
    for dependency in route.dependencies:
        call = dependency.dependency
        if call is not None and hasattr(call, "permission"):
            found.append(call.permission)
    return found


def page_routes() -> list[APIRoute]:
    return [r for router in PAGE_ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def test_every_page_route_declares_its_permission() -> None:
    routes = page_routes()
    assert len(routes) >= 22
    for route in routes:
        markers = _markers(route)
        assert len(markers) == 1, f"{route.path} {route.methods} declares {markers}"
        (marker,) = markers
        if marker is None:
            assert route.name in PUBLIC_PAGES, f"{route.path} is public but not listed as such"
        else:
            assert marker == "signed-in" or isinstance(marker, Permission), route.path


def test_public_pages_are_only_the_ones_listed() -> None:
    public = {r.name for r in page_routes() if _markers(r) == [None]}
    assert public == PUBLIC_PAGES


def test_page_functions_are_plain_def_so_the_sync_session_never_blocks_the_event_loop() -> None:
    import inspect

    for route in page_routes():
        assert not inspect.iscoroutinefunction(route.endpoint), route.name


def test_every_api_route_declares_a_permission_and_none_is_public() -> None:
    routes = [r for router in API_ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert routes
    for route in routes:
        marks = [getattr(d.call, "permission", None) for d in route.dependant.dependencies
                 if hasattr(d.call, "permission")]
        assert len(marks) == 1 and isinstance(marks[0], Permission), (
            f"{route.methods} {route.path} declares {marks}")
