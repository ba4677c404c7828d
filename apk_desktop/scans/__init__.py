"""Reading signed sheets back from scans (no Qt, no database): split a scanned stack into page
images (``pages``), read each page's QR code (``codes``), locate the printed signature cells on
the image (``locate``), measure the ink in them (``measure``) and group the pages into sheets
(``reader``). Takes the layouts stored when the sheets were printed (``reader.StoredLayout``);
returns plain dataclasses."""
