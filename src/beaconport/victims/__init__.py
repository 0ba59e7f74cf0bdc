"""Victim and survivor engagement: each complainant's support for the review, their contact plan,
every contact with them, and the Victims' Code duties owed to them."""
