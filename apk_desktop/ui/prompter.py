"""The seam for message boxes and file pickers, so tests can answer them without a modal loop."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Prompter:
    """Real dialogs. Tests replace the instance on ``AppContext`` with a scripted one."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose(
        self, parent: QWidget | None, title: str, text: str, accept: str, reject: str
    ) -> bool:
        """A question answered by two buttons named for what they do; True for ``accept``."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton
        )
        box.setParent(parent, box.windowFlags())
        chosen = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(chosen)
        box.setEscapeButton(box.addButton(reject, QMessageBox.ButtonRole.RejectRole))
        box.exec()
        return box.clickedButton() is chosen

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def open_file(self, parent: QWidget | None, title: str, filter_: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
        return path or None

    def open_files(self, parent: QWidget | None, title: str, filter_: str = "") -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filter_)
        return list(paths)

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str = "", filter_: str = ""
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_)
        return path or None

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> str | None:
        path = QFileDialog.getExistingDirectory(parent, title, start)
        return path or None
