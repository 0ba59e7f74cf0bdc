"""Imports every model module so that ``Base.metadata`` knows every table (for migrations)."""

from __future__ import annotations

from beaconport.audit import models as audit_models
from beaconport.auth import models as auth_models
from beaconport.instance import models as instance_models
from beaconport.outbox import models as outbox_models
from beaconport.people import models as people_models
from beaconport.reference import models as reference_models
from beaconport.referrals import models as referral_models
from beaconport.review import models as review_models
from beaconport.safeguarding import models as safeguarding_models
from beaconport.screening import models as screening_models
from beaconport.victims import models as victim_models

__all__ = [
    "audit_models", "auth_models", "instance_models", "outbox_models", "people_models",
    "reference_models", "referral_models", "review_models", "safeguarding_models",
    "screening_models", "victim_models",
]
