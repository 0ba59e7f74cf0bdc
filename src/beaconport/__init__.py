"""Beaconport: a case-review platform for reviews of closed CSAE investigations."""

__version__ = "0.1.0"
