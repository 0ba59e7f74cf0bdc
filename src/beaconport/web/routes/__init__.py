"""One module of page routes per area; ``router`` gathers them, every unsafe method CSRF-checked."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from beaconport.web.routes.actions import router as action_pages
from beaconport.web.routes.admin import router as admin_pages
from beaconport.web.routes.allocation import router as allocation_pages
from beaconport.web.routes.home import router as home_pages
from beaconport.web.routes.imports import router as import_pages
from beaconport.web.routes.learning import router as learning_pages
from beaconport.web.routes.outcomes import router as outcome_pages
from beaconport.web.routes.panel import router as panel_pages
from beaconport.web.routes.people import router as people_pages
from beaconport.web.routes.referrals import router as referral_pages
from beaconport.web.routes.reviews import router as review_pages
from beaconport.web.routes.safeguarding import router as safeguarding_pages
from beaconport.web.routes.screening import router as screening_pages
from beaconport.web.routes.sign_in import router as sign_in_pages
from beaconport.web.routes.statistics import router as statistics_pages
from beaconport.web.routes.triage import router as triage_pages
from beaconport.web.routes.victims import router as victim_pages
from beaconport.web.security import verify_csrf

#: Every router of pages, in the order they are matched (also walked by the route tests).
PAGE_ROUTERS = (sign_in_pages, home_pages, referral_pages, screening_pages, triage_pages,
                allocation_pages, review_pages, panel_pages, action_pages, outcome_pages,
                learning_pages, safeguarding_pages, victim_pages, statistics_pages, people_pages,
                import_pages, admin_pages)

router = APIRouter(dependencies=[Depends(verify_csrf)])
for pages in PAGE_ROUTERS:
    router.include_router(pages)
