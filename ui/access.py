"""Who may change the articles: readers ask, editors add, delete and rebuild.

``qa serve`` keeps reading open to everyone it serves. Changing the seeds
folder needs an editor:

* on 127.0.0.1 (or ``localhost`` / ``::1``) the person at the machine is the
  editor - nobody else can reach the page;
* on any other address the articles tab's write actions need a login with the
  editor token (``QA_EDITOR_TOKEN`` or ``editor_token`` in a local ``qa.toml``);
  without a token configured the page is served read-only, because a page
  reachable from the network must not let every reader delete articles;
* ``qa serve --read-only`` hides the write actions everywhere.

The check is enforced on the server, per browser session (``gr.State``, which
the browser cannot forge): hiding the buttons alone would leave the Gradio
queue endpoints callable over plain HTTP.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

LOCAL = "local"  # the local user is the editor
LOGIN = "login"  # editors log in with the token
READ_ONLY = "read-only"  # nobody edits from the page

# Names that reach only this machine. 127.0.0.2 and the rest of 127/8 are loopback too, but
# binding them is a deliberate choice (containers, tests) that the issue asks to treat as "another host".
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
FAILED_LOGIN_DELAY = 1.0  # seconds a wrong token costs, so guessing it over HTTP is slow
MIN_TOKEN_CHARS = 12


@dataclass(frozen=True)
class Access:
    """The page's access mode and the token editors log in with ("" unless the mode is :data:`LOGIN`)."""

    mode: str
    token: str = ""

    @property
    def can_edit(self) -> bool:
        """Whether the page offers write actions at all (to the local user or after a login)."""
        return self.mode in (LOCAL, LOGIN)

    @property
    def editor_by_default(self) -> bool:
        """Whether a new browser session starts as an editor (no login needed)."""
        return self.mode == LOCAL


def access_for(host: str, read_only: bool = False, token: str = "") -> Access:
    """The access mode of a page served on ``host``.

    ``read_only`` wins; 127.0.0.1 / localhost / ::1 make the local user the
    editor; any other address needs ``token`` (at least
    :data:`MIN_TOKEN_CHARS` characters), and without one the page is read-only.
    """
    if read_only:
        return Access(READ_ONLY)
    if (host or "").strip().lower().strip("[]") in LOCAL_HOSTS:
        return Access(LOCAL)
    token = (token or "").strip()
    if not token:
        log.warning("serving on %s without an editor token: the page is read-only - set QA_EDITOR_TOKEN "
                    "(or editor_token in qa.toml) to let editors add and delete articles", host)
        return Access(READ_ONLY)
    if len(token) < MIN_TOKEN_CHARS:
        from qa.core.errors import QAError

        raise QAError("the editor token is %d characters long - use at least %d random characters in "
                      "QA_EDITOR_TOKEN (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(24))'`)"
                      % (len(token), MIN_TOKEN_CHARS))
    return Access(LOGIN, token)


_login_lock = threading.Lock()


def check_token(access: Access, given) -> bool:
    """Whether ``given`` is the editor token; a wrong guess waits :data:`FAILED_LOGIN_DELAY` seconds.

    Failed attempts are serialised, so parallel guesses cannot outrun the delay.
    """
    if access.mode != LOGIN or not isinstance(given, str):
        return False
    if hmac.compare_digest(given.strip().encode("utf-8"), access.token.encode("utf-8")):
        return True
    with _login_lock:
        time.sleep(FAILED_LOGIN_DELAY)
    log.warning("a failed editor login")
    return False
