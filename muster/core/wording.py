"""Action messages (plain English, for logs, the CLI and the API) in the reader's language.

Each app keeps a table of the message shapes its actions produce, each with a translatable
sentence; `reword` picks the first that matches the whole message. An unknown message is shown
as it is, so a new rule is never hidden.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise

Wordings = list[tuple[re.Pattern[str], Promise]]


def reword(message: str, wordings: Wordings) -> str:
    """`message` in the active language; named groups of the pattern fill the sentence."""
    for pattern, wording in wordings:
        match = pattern.fullmatch(message)
        if match:
            return str(wording) % match.groupdict() if match.groupdict() else str(wording)
    return message
