"""Legacy Vietnamese byte encodings: TCVN3 (ABC), VNI-Windows and Windows-1258.

TCVN3 uses the published TCVN 5712:1993 table (as shipped by GNU libiconv / glibc as
``TCVN5712-1``): one byte per letter, lower case in 0xA1-0xFF, upper case with tone marks in
0x80-0x9F and a few C0 slots. Documents typed with the ``.VnTime`` font use the same lower-case
bytes; capitals typed with ``.VnTimeH`` come out lower case, which is what every converter does.

VNI-Windows stores a base ASCII letter followed by a separate diacritic byte (``a`` + 0xF8 = à;
``o`` + 0xE2 = ô; ``o`` + 0xE1 = ố); a few letters (đ, ơ, ư, ì, í, ỉ, ĩ, ị, ỵ) are one byte.
Capitals use the same bytes minus 0x20. Other bytes follow Windows-1252.

Both tables are generated once at import from Unicode data, and round-trip every Vietnamese
letter (tests check all 134 letters).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from analysis.text.normalize import PLAIN_VOWELS as _BASE_VOWELS
from analysis.text.normalize import TONE_MARKS

__all__ = [
    "VIETNAMESE_LETTERS",
    "decode_tcvn3",
    "encode_tcvn3",
    "decode_vni",
    "encode_vni",
    "decode_cp1258",
    "encode_cp1258",
]

_LOWER_LETTERS = sorted(
    {unicodedata.normalize("NFC", v + t) for v in _BASE_VOWELS for t in ("", *TONE_MARKS)} | {"đ"}
)
#: Every letter of the Vietnamese alphabet that is not plain ASCII, both cases (134 letters).
VIETNAMESE_LETTERS = "".join(
    sorted({c for c in _LOWER_LETTERS if ord(c) > 127} | {c.upper() for c in _LOWER_LETTERS if ord(c) > 127})
)

# --- TCVN3 (TCVN 5712:1993, VN1 superset of the ABC VN3 font encoding) -----------------------
# Code points for bytes 0x80..0xFF, 16 per row.
_TCVN_HIGH = (
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8, 0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,  # noqa: E501
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8, 0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,  # noqa: E501
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,  # noqa: E501
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,  # noqa: E501
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,  # noqa: E501
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,  # noqa: E501
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,  # noqa: E501
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,  # noqa: E501
)
# Capitals that TCVN 5712 places in C0 control slots (tab, LF, CR and the rest stay ASCII).
_TCVN_LOW = {
    0x01: 0x00DA, 0x02: 0x1EE4, 0x04: 0x1EEA, 0x05: 0x1EEC, 0x06: 0x1EEE, 0x11: 0x1EE8,
    0x12: 0x1EF0, 0x13: 0x1EF2, 0x14: 0x1EF6, 0x15: 0x1EF8, 0x16: 0x00DD, 0x17: 0x1EF4,
}
_TCVN_DECODE = {i: chr(i) for i in range(0x80)}
_TCVN_DECODE.update({b: chr(u) for b, u in _TCVN_LOW.items()})
_TCVN_DECODE.update({0x80 + i: chr(u) for i, u in enumerate(_TCVN_HIGH)})
# charmap tables: the codec machinery in C is ~20x faster than str.translate on big files.
_TCVN_DECODING_TABLE = "".join(_TCVN_DECODE[b] for b in range(256))
# The C0 slots in _TCVN_LOW hold capitals, so those control characters cannot be written.
_TCVN_ENCODING_MAP = codecs.charmap_build(_TCVN_DECODING_TABLE)


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC / TCVN 5712) bytes to NFC Unicode text."""
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", _TCVN_DECODING_TABLE)[0])


def encode_tcvn3(text: str) -> bytes:
    """Encode text to TCVN3 bytes (raises ValueError on a character TCVN3 cannot hold)."""
    text = unicodedata.normalize("NFC", text)
    try:
        return codecs.charmap_encode(text, "strict", _TCVN_ENCODING_MAP)[0]
    except UnicodeEncodeError as exc:
        ch = text[exc.start]
        raise ValueError(f"character {ch!r} (U+{ord(ch):04X}) has no TCVN3 byte") from None


# --- VNI-Windows -------------------------------------------------------------------------------
# Lower-case diacritic bytes; capitals use the same byte minus 0x20.
_VNI_TONE = {"": "", "\u0300": "\xf8", "\u0301": "\xf9", "\u0309": "\xfb", "\u0303": "\xf5", "\u0323": "\xef"}
_VNI_CIRCUMFLEX = {"": "\xe2", "\u0301": "\xe1", "\u0300": "\xe0", "\u0309": "\xe5", "\u0303": "\xe3", "\u0323": "\xe4"}
_VNI_BREVE = {"": "\xea", "\u0301": "\xe9", "\u0300": "\xe8", "\u0309": "\xfa", "\u0303": "\xfc", "\u0323": "\xeb"}
# Letters VNI stores as one byte (the tone, if any, follows as a tone byte for ơ and ư).
_VNI_SINGLE = {"đ": "\xf1", "ơ": "\xf4", "ư": "\xf6", "ì": "\xec", "í": "\xed", "ỉ": "\xe6", "ĩ": "\xf3",
               "ị": "\xf2", "ỵ": "\xee"}


def _split_letter(letter: str) -> tuple[str, str]:
    """Split a lower-case Vietnamese letter into (letter without tone, tone mark)."""
    decomposed = unicodedata.normalize("NFD", letter)
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS)), tone


def _vni_lower(letter: str) -> str:
    """VNI spelling (as Latin-1 text) of one lower-case Vietnamese letter."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    base, tone = _split_letter(letter)
    if base in ("ơ", "ư"):
        return _VNI_SINGLE[base] + _VNI_TONE[tone]
    if base in ("â", "ê", "ô"):
        return unicodedata.normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    return base + _VNI_TONE[tone]


def _vni_upper(spelling: str) -> str:
    """Capital form of a VNI spelling: ASCII base upper-cased, diacritic bytes minus 0x20."""
    return "".join(c.upper() if c.isascii() else chr(ord(c) - 0x20) for c in spelling)


_VNI_ENCODE: dict[str, str] = {}
for _letter in _LOWER_LETTERS:
    if ord(_letter) > 127:
        _VNI_ENCODE[_letter] = _vni_lower(_letter)
        _VNI_ENCODE[_letter.upper()] = _vni_upper(_vni_lower(_letter))
# Decoding: a diacritic byte may come in either case after a base of either case (mixed-case
# text typed in VNI is common), so accept both and take the case from the base letter.
_VNI_DECODE: dict[str, str] = {}
for _letter, _spelling in _VNI_ENCODE.items():
    _VNI_DECODE[_spelling] = _letter
    if len(_spelling) == 2:
        _other = _spelling[1].upper() if _spelling[1].islower() else _spelling[1].lower()
        _VNI_DECODE.setdefault(_spelling[0] + _other, _letter)
# Two passes. 1: a byte table (fast, in C) turns one-byte letters (ñ→đ, ô→ơ, ö→ư, ì, í ...) and
# the cp1252 bytes VNI leaves alone (curly quotes, dashes; its five holes stay C1 controls) into
# Unicode; diacritic bytes stay Latin-1 characters, which no one-byte letter is. 2: base letter +
# diacritic pairs (with ơ/ư already decoded as base) become letters.
_VNI_SINGLE_BYTES = {ord(k): v for k, v in _VNI_DECODE.items() if len(k) == 1}


def _vni_byte(b: int) -> str:
    if b in _VNI_SINGLE_BYTES:
        return _VNI_SINGLE_BYTES[b]
    if 0x80 <= b < 0xA0:
        return bytes([b]).decode("cp1252", errors="ignore") or chr(b)
    return chr(b)


_VNI_BYTE_TABLE = "".join(_vni_byte(b) for b in range(256))
_VNI_PAIRS = {_vni_byte(ord(k[0])) + k[1]: v for k, v in _VNI_DECODE.items() if len(k) == 2}
_VNI_PAIR = re.compile(
    "[{}][{}]".format("".join(sorted({k[0] for k in _VNI_PAIRS})), "".join(sorted({k[1] for k in _VNI_PAIRS})))
)


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC Unicode text."""
    text = codecs.charmap_decode(data, "strict", _VNI_BYTE_TABLE)[0]
    return unicodedata.normalize("NFC", _VNI_PAIR.sub(_vni_pair, text))


def _vni_pair(match: re.Match[str]) -> str:
    pair = match.group(0)
    return _VNI_PAIRS.get(pair, pair)  # a diacritic byte after a base it cannot go with stays


def encode_vni(text: str) -> bytes:
    """Encode text to VNI-Windows bytes (raises ValueError on a character VNI cannot hold)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _VNI_ENCODE:
            out.append(_VNI_ENCODE[ch].encode("latin-1"))
        elif ord(ch) < 128:
            out.append(ch.encode("ascii"))
        else:
            try:
                out.append(ch.encode("cp1252"))
            except UnicodeEncodeError:
                raise ValueError(f"character {ch!r} (U+{ord(ch):04X}) has no VNI byte") from None
    return b"".join(out)


# --- Windows-1258 ------------------------------------------------------------------------------
def decode_cp1258(data: bytes) -> str:
    """Decode Windows-1258 (base letters + combining tone marks) to NFC text."""
    return unicodedata.normalize("NFC", data.decode("cp1258"))


def encode_cp1258(text: str) -> bytes:
    """Encode text to Windows-1258 the way Windows does: precomposed where the code page has
    the letter, else the toneless letter followed by a combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            base, tone = _split_letter(ch.lower())
            if not tone:
                raise ValueError(f"character {ch!r} (U+{ord(ch):04X}) has no cp1258 byte") from None
            base = base.upper() if ch.isupper() else base
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)
