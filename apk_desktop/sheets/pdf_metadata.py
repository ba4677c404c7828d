"""Document metadata reportlab does not write itself: an XMP packet in the catalog (/Metadata),
matching the document information dictionary, with the document language."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

LANGUAGE = "cs-CZ"

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def add_xmp_metadata(canvas: Canvas) -> None:
    """Attach the XMP packet built from the canvas's document information (title, author,
    subject, creator, producer) to the catalog. Call before ``save``."""
    doc: Any = canvas._doc  # type: ignore[attr-defined]  # reportlab has no XMP API
    info = doc.info
    packet = _XMP.format(
        title=_text(info.title),
        author=_text(info.author),
        subject=_text(info.subject),
        language=LANGUAGE,
        producer=_text(info.producer),
        creator=_text(info.creator),
    )
    dictionary = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    # Uncompressed, as XMP readers (and PDF/A) expect it.
    doc.Catalog.Metadata = PDFStream(dictionary, packet.encode("utf-8"), filters=[])


def _text(value: Any) -> str:
    return escape(str(value or ""))
