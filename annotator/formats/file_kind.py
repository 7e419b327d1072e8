"""What a file that is not annotation data looks like, so the import can say so instead of storing it.

:func:`binary_kind` names a binary file by its first bytes (PDF, a ZIP without annotation
files such as an Office document, gzip, images, ...; ZIPs of annotation files, an INCEpTION
project export above all, are unpacked by :mod:`annotator.formats.archives`); :func:`text_kind` names decoded text that is a web page,
an XML file other than UIMA CAS XMI, a UIMA type system or an older WebAnno TSV. Each answer
is the problem of one ``file: problem`` line: ``this is an HTML page, not annotation data``.
"""

from __future__ import annotations

import re

NOT_DATA = "not annotation data"

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive without annotation files (an Office document?)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"BZh", "a bzip2-compressed file (decompress it first)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"\x80\x04\x95", "a Python pickle"),
    (b"\x93NUMPY", "a NumPy array"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio file"),
]
_HTML = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE | re.DOTALL
)
_XML_ROOT = re.compile(r"\A(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([\w:.-]+)", re.DOTALL)
_WEBANNO_TSV2 = re.compile(r"\A\s?# (?:de\.tudarmstadt|webanno)\.|\A#id=\d+\s*\n#text=", re.IGNORECASE)


def binary_kind(data: bytes) -> str | None:
    """``"this is a PDF document, not annotation data"`` for a known binary file, else ``None``."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"this is {kind}, {NOT_DATA}"
    return None


def text_kind(text: str) -> str | None:
    """What decoded text is when it is no annotation format annotator reads (``None``: maybe one is)."""
    head = text[:4000].lstrip("\ufeff")
    if _HTML.match(head):
        return f"this is an HTML page, {NOT_DATA}"
    if _WEBANNO_TSV2.match(head):
        return "this is WebAnno TSV 2 (an older format); export the project again as WebAnno TSV 3.3"
    root = _XML_ROOT.match(head) if head.lstrip().startswith("<") else None
    if root:
        element = root.group(1)
        local = element.split(":")[-1]
        if local == "typeSystemDescription":
            return "this is a UIMA type system; import the .xmi files beside it (their types are read from it)"
        if local != "XMI":
            return f"this is an XML file (root element <{element}>), {NOT_DATA} annotator reads (UIMA CAS XMI is)"
    return None
