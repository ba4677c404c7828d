"""The user guide inside the app (F1, Nápověda → Uživatelská příručka): the chapters on the
left, the chapter on the right rendered from Markdown by QTextBrowser, Zpět / Vpřed / Obsah.

Links between chapters (and to their headings) open here; links to the web open in the
system's browser. Pictures are scaled down smoothly to the width of the window, never up.
Built on first use: nothing here is imported while the main window starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTextBrowser,
    QWidget,
)

from apk_desktop import APP_NAME, guide, paths
from apk_desktop.ui.screen_fit import fit_to_screen

log = logging.getLogger(__name__)

TITLE = f"Uživatelská příručka – {APP_NAME}"
NOT_FOUND = (
    "# Příručka nebyla nalezena\n\n"
    "Soubory příručky chybí ve složce aplikace. Aplikaci prosím přeinstalujte, nebo se "
    "obraťte na správce IT."
)
EXTERNAL_SCHEMES = ("http", "https", "mailto")
BODY_POINT_SIZE = 10.5
HEADING_MARGINS = {1: (4, 10), 2: (18, 6), 3: (14, 4)}  # level: (above, below) in px
FILE_ROLE = Qt.ItemDataRole.UserRole
CHAPTERS_STYLE = """
QListWidget#guide_chapters { background: #f4f6f8; border: none; font-size: 10.5pt; }
QListWidget#guide_chapters::item { padding: 5px 8px; }
QListWidget#guide_chapters::item:selected { background: #2b6cb0; color: white; }
"""


class GuideBrowser(QTextBrowser):
    """One chapter at a time. ``missing`` lists the pictures (URLs) that could not be loaded."""

    def __init__(self, open_external: Callable[[QUrl], object]) -> None:
        super().__init__()
        self.open_external = open_external
        self.missing: list[str] = []
        self._originals: dict[str, QImage] = {}
        self.setOpenLinks(False)  # every click goes through _follow
        self.anchorClicked.connect(self._follow)
        font = self.font()
        font.setPointSizeF(BODY_POINT_SIZE)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(60)
        self._refit.timeout.connect(self.fit_images)

    # ---- loading ---------------------------------------------------------------------------

    def doSetSource(
        self,
        name: QUrl | str,
        /,
        type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        super().doSetSource(name, type)
        self._name_headings()
        self.fit_images()
        url = QUrl(name)
        if url.hasFragment():  # the headings are named only now
            self.scrollToAnchor(url.fragment(QUrl.ComponentFormattingOption.FullyDecoded))

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        if type != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(type, name)
        return self.original(QUrl(name).toString())

    def original(self, name: str) -> QImage | None:
        """The picture ``name`` (relative to the chapter) as stored; None when it is missing."""
        url = self.source().resolved(QUrl(name))
        key = url.toString()
        if key not in self._originals:
            image = QImage(url.toLocalFile()) if url.isLocalFile() else QImage()
            if image.isNull():
                self.missing.append(key)
                log.warning("guide picture not found: %s", key)
            self._originals[key] = image  # a miss is remembered too: said once
        image = self._originals[key]
        return None if image.isNull() else image

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in EXTERNAL_SCHEMES:
            self.open_external(url)
            return
        target = self.source().resolved(url)
        if target.isLocalFile() and target.path().endswith(".md"):
            self.setSource(target)
        else:  # a file the guide points to (a picture): the system opens it
            self.open_external(target)

    # ---- polishing the rendered Markdown ---------------------------------------------------

    def _name_headings(self) -> None:
        """Room around the headings, and each named as GitHub names it (for links and F1)."""
        document = self.document()
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                above, below = HEADING_MARGINS.get(level, (10, 4))
                block_format = block.blockFormat()
                block_format.setTopMargin(0 if block.position() == 0 else above)
                block_format.setBottomMargin(below)
                cursor.setPosition(block.position())
                cursor.setBlockFormat(block_format)
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
                named = QTextCharFormat()
                named.setAnchor(True)
                named.setAnchorNames([guide.heading_anchor(block.text())])
                cursor.mergeCharFormat(named)
            block = block.next()

    def fit_images(self) -> None:
        """Each picture as wide as it is, or as the page when the page is narrower: scaled
        smoothly once (drawn 1:1), not squeezed by the painter at every paint."""
        document = self.document()
        room = int(self.viewport().width() - 2 * document.documentMargin() - 8)
        if room <= 0:
            return
        ratio = self.devicePixelRatioF()
        changes: list[tuple[int, int, QTextImageFormat]] = []
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                char_format = fragment.charFormat()
                if char_format.isImageFormat():
                    image_format = char_format.toImageFormat()
                    original = self.original(image_format.name())
                    if original is not None:
                        width = min(original.width(), room)
                        if int(image_format.width()) != width:
                            height = round(original.height() * width / original.width())
                            scaled = original.scaled(
                                round(width * ratio),
                                round(height * ratio),
                                Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.SmoothTransformation,
                            )
                            scaled.setDevicePixelRatio(ratio)
                            document.addResource(
                                QTextDocument.ResourceType.ImageResource.value,
                                QUrl(image_format.name()),
                                scaled,
                            )
                            image_format.setWidth(width)
                            image_format.setHeight(height)
                            changes.append((fragment.position(), fragment.length(), image_format))
                it += 1
            block = block.next()
        cursor = QTextCursor(document)
        for position, length, image_format in changes:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image_format)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_images()  # the width is known only now

    def image_names(self) -> list[str]:
        """The pictures of the shown chapter, in order (tests read them)."""
        names = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                char_format = it.fragment().charFormat()
                if char_format.isImageFormat():
                    names.append(char_format.toImageFormat().name())
                it += 1
            block = block.next()
        return names


class HelpWindow(QMainWindow):
    """The guide in a window of its own; ``show_for_page`` opens the chapter of a screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        # Seam: tests replace it to see which web page would be opened.
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.browser = GuideBrowser(lambda url: self.open_url(url))
        self.chapters = QListWidget()
        self.chapters.setObjectName("guide_chapters")
        self.chapters.setWordWrap(True)
        self.chapters.setStyleSheet(CHAPTERS_STYLE)
        self.chapters.setResizeMode(QListWidget.ResizeMode.Adjust)  # long titles wrap
        self.chapters.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for chapter in guide.CHAPTERS:
            item = QListWidgetItem(chapter.title)
            item.setData(FILE_ROLE, chapter.file)
            self.chapters.addItem(item)
        self.chapters.itemActivated.connect(self._chapter_chosen)
        self.chapters.itemClicked.connect(self._chapter_chosen)
        splitter = QSplitter()
        splitter.addWidget(self.chapters)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 860])
        self.setCentralWidget(splitter)

        bar = self.addToolBar("Navigace")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.back_action = QAction("← Zpět", self)
        self.back_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_action.triggered.connect(self.browser.backward)
        self.forward_action = QAction("Vpřed →", self)
        self.forward_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.forward_action.triggered.connect(self.browser.forward)
        self.home_action = QAction("Obsah", self)
        self.home_action.triggered.connect(lambda: self.open_place(guide.Place(guide.INDEX)))
        for action in (self.back_action, self.forward_action, self.home_action):
            action.setToolTip(
                f"{action.text()} ({action.shortcut().toString()})".replace(" ()", "")
            )
            bar.addAction(action)
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)
        self.browser.backwardAvailable.connect(self.back_action.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_action.setEnabled)
        self.browser.sourceChanged.connect(self._mark_chapter)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        try:
            self.folder: Path | None = paths.guide_dir()
        except FileNotFoundError:
            log.warning("the user guide was not found")
            self.folder = None
            self.chapters.setEnabled(False)
            self.browser.setMarkdown(NOT_FOUND)
        fit_to_screen(self, QSize(1120, 680))

    def url_of(self, place: guide.Place) -> QUrl | None:
        if self.folder is None:
            return None
        url = QUrl.fromLocalFile(str(self.folder / place.file))
        if place.anchor:
            url.setFragment(place.anchor)
        return url

    def open_place(self, place: guide.Place) -> None:
        url = self.url_of(place)
        if url is not None:
            self.browser.setSource(url)

    def show_for_page(self, page_key: str) -> None:
        """Open the chapter that explains the screen ``page_key`` and bring the window up."""
        self.show()  # first: the pictures fit, and the section scrolls, at the shown width
        self.raise_()
        self.activateWindow()
        self.open_place(guide.place_for_page(page_key))

    def current_file(self) -> str:
        return Path(self.browser.source().toLocalFile()).name

    def _chapter_chosen(self, item: QListWidgetItem) -> None:
        file = item.data(FILE_ROLE)
        if file != self.current_file() or self.browser.source().hasFragment():
            self.open_place(guide.Place(file))

    def _mark_chapter(self, url: QUrl) -> None:
        current = Path(url.toLocalFile()).name  # source() still names the previous chapter
        for row in range(self.chapters.count()):
            item = self.chapters.item(row)
            if item.data(FILE_ROLE) == current:
                self.chapters.setCurrentItem(item)
                return
