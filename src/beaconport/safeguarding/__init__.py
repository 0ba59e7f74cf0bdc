"""Safeguarding: flags on suspects who may still be a danger to children, and (to come) the
referrals to the authorities who can act on them."""
