"""A file uploaded through the web: checked for its kind, then imported like any other file.

The upload is written to a private temporary folder under its own (cleaned) name, so the import
batch records the name the person chose, and removed afterwards whatever happens.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from beaconport.audit import service as audit
from beaconport.errors import InvalidRequest
from beaconport.referrals.carriers import upload_problem
from beaconport.referrals.carriers.base import Limits
from beaconport.referrals.importer import AfterChunk, ImportOutcome, UnitOfWork, import_file
from beaconport.settings import get_settings

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def clean_filename(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:120] or "upload"


def import_upload(filename: str, stream: BinaryIO | None, *, actor: str | audit.Actor,
                  unit_of_work: UnitOfWork,
                  permitted_forces: frozenset[str] | None = None,
                  after_chunk: AfterChunk | None = None) -> ImportOutcome:
    """``permitted_forces``: a force user's own force; referrals naming another are refused."""
    if not filename or stream is None:
        raise InvalidRequest("Choose a file to upload.")
    name = clean_filename(filename)
    head = stream.read(512)
    if not head:
        raise InvalidRequest(f"{name} is empty.")
    problem = upload_problem(name, head)
    if problem:
        raise InvalidRequest(problem)
    folder = Path(tempfile.mkdtemp(prefix="beaconport-upload-"))
    try:
        path = folder / name
        with path.open("wb") as out:
            out.write(head)
            shutil.copyfileobj(stream, out, 1 << 20)
        settings = get_settings()
        return import_file(path, actor=actor, unit_of_work=unit_of_work,
                           batch_size=settings.import_batch_size,
                           limits=Limits(max_file_bytes=settings.max_import_file_mb << 20),
                           permitted_forces=permitted_forces, after_chunk=after_chunk)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
