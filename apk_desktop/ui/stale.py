"""A record changed by someone else since the user opened it (StaleRecordError): say so, and
with "Načíst znovu" show what is stored now, the user's own values kept beside the fields.

One mechanism for every form and list: ``actions.store`` and ``actions.act`` call
``offer_reload`` with the form's or the page's own ``reload``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from apk_desktop.domain.errors import AppError, StaleRecordError
from apk_desktop.ui.forms import FieldErrors
from apk_desktop.ui.prompter import Prompter

TITLE = "Záznam byl mezitím změněn"
RELOAD = "Načíst znovu"
CANCEL = "Zrušit"
KEPT = "co jste zadali vy, zůstane vypsané pod poli, kde se to liší"
LOST = "vaše úpravy se zahodí"
FORM_TEXT = (
    f"{StaleRecordError.MESSAGE} Vaše změny se neuložily.\n\n"
    f"„{RELOAD}“ ukáže uložené údaje ({{fate}}). „{CANCEL}“ ponechá formulář, "
    "jak jste ho vyplnili."
)
LIST_TEXT = (
    f"{StaleRecordError.MESSAGE} Nic se nezměnilo.\n\n"
    f"„{RELOAD}“ ukáže uložené údaje, pak můžete akci zopakovat."
)


def offer_reload(
    parent: QWidget | None,
    prompter: Prompter,
    reload: Callable[[], None],
    forms: Sequence[FieldErrors] | None = None,
) -> None:
    """Ask whether to load the record again; if so, ``reload()`` it. ``forms``: the fields of
    the form that was being saved (None: an action on a list, no form); the user's edits are
    shown under those fields that now show something else."""
    text = LIST_TEXT if forms is None else FORM_TEXT.format(fate=KEPT if forms else LOST)
    if not prompter.choose(parent, TITLE, text, RELOAD, CANCEL):
        return
    edits = [form.edits() for form in forms or ()]
    try:
        reload()
    except AppError as exc:  # e.g. the record was deleted meanwhile
        prompter.warning(parent, TITLE, exc.message)
        return
    for form, mine in zip(forms or (), edits, strict=True):
        form.show_yours(mine)
