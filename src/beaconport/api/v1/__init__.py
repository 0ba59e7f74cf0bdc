"""Version 1 of the API: one router per area, gathered into one application."""

from __future__ import annotations

from fastapi import FastAPI

from beaconport.api.v1.actions import router as actions
from beaconport.api.v1.problems import ApiProblem, api_problem
from beaconport.api.v1.referrals import router as referrals
from beaconport.api.v1.review import router as review
from beaconport.api.v1.safeguarding import router as safeguarding
from beaconport.api.v1.victims import router as victims

#: Every router of the API (also walked by the route contract test).
API_ROUTERS = (referrals, actions, review, safeguarding, victims)

DESCRIPTION = """\
For police forces' systems: submit referrals in the Referral Interchange Format and follow what
became of them, and work the review's actions allocated to the force (record the work done and
the result, with what became of the suspects). Authenticate with an API token issued for one force
(`Authorization: Bearer <token>`); a force system's token sees and submits only its own force's
referrals, and sees and works only the actions allocated to its force. A person's token (for the
national team's own tools) acts as that person, with their roles: the review's endpoints
(triage, allocation, the structured review, quality assurance, the panel, raising and managing
actions, outcomes, the case's story, the learning, safeguarding: flags on dangerous
suspects and their referrals to the authorities, and victim and survivor engagement) are for
it.
Every error is JSON: `{"status", "title", "detail"}`, with `problems` when there is a list.
"""


def create_api() -> FastAPI:
    """The API application. ``main.create_app`` mounts it and installs the shared error handlers
    (plain JSON, no stack traces); the API's own refusals are ``ApiProblem``."""
    api = FastAPI(title="Beaconport API", version="1", description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)
    for router in API_ROUTERS:
        api.include_router(router)
    api.add_exception_handler(ApiProblem, api_problem)
    return api
