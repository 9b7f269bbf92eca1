"""Who may see athlete records in the app: the privacy model, as one pure decision.

- Listening on this computer only (the default, `server.address = "localhost"`): the
  person at the computer owns the records, kept in their own records file.
- Shared on a network (any other address): records are off (nothing saved, no history
  shown), so no visitor sees another person's athletes, unless the person who starts
  the app deliberately names a shared clinic file (MOVEMENT_SCREEN_SHARED_DB) and a
  password (MOVEMENT_SCREEN_RECORDS_PASSWORD) that every browser session must give
  before records are shown or saved.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

from movement_screen.records.model import resolve_db_path

SHARED_DB = "MOVEMENT_SCREEN_SHARED_DB"
PASSWORD = "MOVEMENT_SCREEN_RECORDS_PASSWORD"
HELP = "see “Sharing the app” in the README"


@dataclass(frozen=True)
class RecordsAccess:
    """The records file the app may use (None: records are off) and what to tell the user."""

    db: str | None
    password: str | None  # every browser session must give it first; None: not asked
    why: str  # one sentence for the page

    def unlocks(self, given: str) -> bool:
        """Does `given` open the records (always True when no password is asked)?"""
        if self.password is None:
            return True
        return hmac.compare_digest(given.encode("utf-8"), self.password.encode("utf-8"))


def is_local(address: str | None) -> bool:
    """Does a server listening on `address` accept connections from this computer only?"""
    if not address:
        return False  # Streamlit listens on every interface when no address is set
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def records_access(address: str | None, env: Mapping[str, str] = os.environ) -> RecordsAccess:
    """The records model for an app listening on `address`, as the module docstring says."""
    if is_local(address):
        return RecordsAccess(
            resolve_db_path(None), None, "Athlete records are kept on this computer, in:"
        )
    shared, password = env.get(SHARED_DB), env.get(PASSWORD)
    if shared and password:
        return RecordsAccess(
            os.path.abspath(shared),
            password,
            "This app is shared on a network: athlete records are the clinic's shared "
            "file, open to those who know its password.",
        )
    if shared:
        why = f"Athlete records are off: a shared records file needs a password ({HELP})."
    else:
        why = (
            "Athlete records are off because this app is shared on a network: screens are "
            f"not saved and no history is shown, so no one sees another's athletes ({HELP})."
        )
    return RecordsAccess(None, None, why)
