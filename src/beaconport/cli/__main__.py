"""``python -m beaconport.cli`` runs the command line, like the ``beaconport`` script."""

from beaconport.cli import main

main()
