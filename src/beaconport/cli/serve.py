"""``beaconport serve``: the web application and the API, under uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from beaconport.cli.common import console
from beaconport.settings import get_settings


def serve(
    host: str = typer.Option(None, help="Address to listen on [default: BEACONPORT_HOST]"),
    port: int = typer.Option(None, help="Port to listen on [default: BEACONPORT_PORT]"),
    workers: int = typer.Option(None, help="Worker processes [default: BEACONPORT_WORKERS]"),
) -> None:
    """Run the web application. Put it behind a TLS reverse proxy for anything but a demo."""
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    workers = workers or settings.workers
    console.print(f"Beaconport is running at http://{host}:{port}/ with {workers} worker"
                  f"{'' if workers == 1 else 's'}. Press Ctrl+C to stop.")
    # An import string, not the app, so that each worker process builds its own app and
    # database connections.
    uvicorn.run("beaconport.main:create_app", factory=True, host=host, port=port,
                workers=workers, proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips, server_header=False,
                log_level="info", access_log=False)
