"""What each button above a screen's list does, in one place (as a translation table is):
page key -> attribute path of the button on the page -> tooltip. The main window applies them
when it builds a screen; a tooltip the page set itself is left alone."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QWidget

TOOLTIPS: dict[str, dict[str, str]] = {
    "dashboard": {
        "no_team.button": "Otevřít Asistenty a obsadit pozice",
        "team_grid_button": "Zapsat úrovně celého týmu najednou (Hodnocení týmu)",
        "progress_button": "Zobrazit pokrok týmu a splnění cíle 1",
        "publicity.button": "Přejít k logu EU (logolinku) v Nastavení",
    },
    "assistants": {
        "end_button": "Zapsat poslední den pracovního poměru vybraného asistenta",
        "restore_button": "Vrátit archivovaného člověka do seznamu",
        "empty_state.button": "Přidat člověka na první neobsazenou pozici",
    },
    "plans": {
        "empty_state.button": "Otevřít Asistenty a obsadit pozice",
        "edit_button": "Upravit období, mentora a podpisy plánu",
        "sign_button": "Zapsat datum podpisu; další změny vytvoří novou verzi",
        "print_button": "Zobrazit individuální plán rozvoje k tisku nebo uložení do PDF",
        "delete_button": "Smazat nepodepsaný návrh plánu",
        "final_button": "Uložit závěrečné hodnocení plánu",
        "add_review_button": "Zapsat průběžné hodnocení plánu nebo jednoho cíle",
        "edit_review_button": "Upravit vybrané průběžné hodnocení",
        "remove_review_button": "Odebrat vybrané průběžné hodnocení",
        "add_goal_button": "Přidat vzdělávací oblast s cíli a aktivitami",
        "edit_goal_button": "Upravit cíle vybrané oblasti",
        "remove_goal_button": "Odebrat vybranou oblast z plánu",
        "new_button": "Založit nový plán rozvoje vybranému asistentovi",
        "copy_button": "Založit nový plán s cíli vybraného plánu",
    },
    "assessments": {
        "progress.print_button": "Zobrazit přehled pokroku k tisku nebo uložení do PDF",
        "team.save_button": "Uložit zapsané úrovně celého týmu (Enter)",
        "records.new_button": "Zapsat hodnocení jednoho asistenta",
        "records.edit_button": "Upravit vybrané hodnocení",
        "records.delete_button": "Smazat vybrané hodnocení",
        "records.progress_button": "Zobrazit pokrok vybraného asistenta v oblastech",
    },
    "sessions": {
        "buttons.plan": "Naplánovat vzdělávání, mentoring nebo supervizi",
        "buttons.edit": "Upravit vybrané setkání",
        "buttons.attendance": "Zapsat, kdo se vybraného setkání zúčastnil a kolik hodin",
        "buttons.scan": "Přiložit sken podepsané prezenční listiny k vybranému setkání",
        "buttons.signed": "Přečíst naskenované podepsané listiny (PDF, obrázky nebo složku), "
        "zkontrolovat docházku a přiložit skeny k setkáním",
        "buttons.print": "Vytisknout prezenční listinu vybraného setkání",
        "buttons.batch": "Vytisknout listiny všech setkání zvoleného měsíce",
        "buttons.export": "Uložit setkání, docházku a hodiny jako CSV (podle filtrů seznamu) "
        "nebo jako sešit XLSX (za zvolené období)",
        "buttons.archive": "Skrýt vybrané setkání ze seznamu a z hodin; v databázi zůstane",
        "empty_state.button": "Naplánovat první setkání",
    },
    "backups": {
        "save_button": "Uložit složku a pravidla záloh",
        "backup_button": "Vytvořit zálohu databáze a skenů hned teď",
        "verify_button": "Zkontrolovat, že vybranou zálohu lze obnovit",
        "restore_button": "Nahradit současná data vybranou zálohou (předtím se uloží pojistná)",
        "restore_file_button": "Obnovit data ze souboru zálohy odjinud (.zip)",
        "reload_button": "Znovu načíst seznam záloh ze složky",
        "cancel_button": "Přerušit probíhající zálohu nebo ověření",
    },
    "settings": {
        "choose_logo_button": "Vybrat obrázek s logy EU pro hlavičku tiskopisů",
        "clear_logo_button": "Tiskopisy budou bez loga",
        "revert_button": "Zahodit neuložené změny nastavení",
        "save_button": "Uložit nastavení projektu",
        "database.form.test_button": "Připojit se k serveru a ověřit přihlášení a databázi",
        "database.save_button": "Zapamatovat si, kde jsou data, pro další spuštění aplikace",
        "database.move_button": "Zkopírovat data a skeny do prázdné databáze a porovnat je",
    },
}


def _resolve(page: QWidget, path: str) -> object:
    target: object = page
    for part in path.split("."):
        target = target.get(part) if isinstance(target, dict) else getattr(target, part, None)
        if target is None:
            return None
    return target


def apply_tooltips(key: str, page: QWidget) -> None:
    """Give the buttons of screen ``key`` their tooltips."""
    for path, text in TOOLTIPS.get(key, {}).items():
        button = _resolve(page, path)
        if isinstance(button, QAbstractButton) and not button.toolTip():
            button.setToolTip(text)
