"""Drop what carries no routing signal before the features: salutations, honorifics, closings,
letter boilerplate and identity or address headers.

Citizens write to their Bupati as they would write a letter: "Assalamu'alaikum wr. wb. Yth.
Bapak Bupati ... dengan hormat ... atas perhatiannya kami ucapkan terima kasih", often under a
header of name, NIK, desa and kecamatan. Those words are the same in every category, so on a
short complaint they outweigh the one sentence that says what is wrong (pulling it to
`lainnya`), and the officials named in an address (lurah, camat) pull it to `aparatur`.
`strip_boilerplate` keeps only the body; the stored complaint always keeps the whole text.

Openers are removed only at the start, closings only at the end, so "terima kasih, jalan kami
sudah diperbaiki" (praise: the thanks is the message) keeps its words while "... mohon segera
diperbaiki. Terima kasih" loses its last two.
"""

from __future__ import annotations

import re
import unicodedata

from classifier.normalize import EmptyText, normalize

__all__ = ["prepare", "require_prepared", "strip_boilerplate"]

_FLAGS = re.IGNORECASE | re.UNICODE
_SEP = r"[\s,.;:!\-–—/()]*"  # what may stand between formula words and after them

# Religious and general greetings, forms of address to the head of region, letter openings.
_GREETING = (
    r"(?:ass?alamu?['`’]?\s?a?laikum|ass?alamm?u?alaikum|aslm|ass?wr\s?wb|"
    r"salam\s+sejahtera(?:\s+(?:untuk|bagi)\s+kita\s+(?:semua|sekalian))?|salam\s+kebajikan|"
    r"om\s+swastiastu|shalom|namo\s+buddhaya|salam\s+(?:pancasila|hormat|sehat)|"
    r"selamat\s+(?:pagi|siang|sore|malam)|met\s+(?:pagi|siang|sore|malam)|"
    r"sugeng\s+(?:enjing|siang|sonten|ndalu)|wilujeng\s+(?:enjing|siang|sonten|wengi)|"
    r"punten|permisi|hall?o+|hai+|hi+|pagi|siang|sore|malam)"
    r"(?:\s*(?:wr\.?\s*wb\.?|warahmatullahi\s+wabarakatuh|warohmatullohi\s+wabarokatuh|"
    r"wr\s*wb))?"
)
_TITLE = (
    r"(?:yth\.?|yang\s+(?:ter)?hormat|kepada\s+yth\.?|kepada|kpd\.?|bapak|bpk\.?|ibu|pak|bu|"
    r"mas|mbak|kak|min|admin|mimin|sdr\.?|saudara)"
)
_OFFICE = (
    r"(?:bupati|wakil\s+bupati|wali\s?kota|walikota|wakil\s+wali\s?kota|gubernur|"
    r"kepala\s+dinas|kadis|sekda|camat|lurah|kades|kepala\s+desa|pejabat|admin|petugas|tim|"
    r"pengelola|pemerintah|pemkab|pemkot|pemda|lapor|lapor!|span|sp4n|dprd)"
)
# "Yth. Bapak Bupati Banyumas", "Kepada Yth Bapak Wali Kota Bekasi di tempat": the title, the
# office and up to three capitalized words naming the place, then an optional "di tempat".
_ADDRESS = (
    rf"(?:{_TITLE}{_SEP})+(?:{_OFFICE})(?:\s+(?-i:[A-Z][\w'-]*)){{0,3}}"
    r"(?:\s*(?:di|ditempat)\s*(?:tempat)?)?"
)
_OPENING_PHRASE = (
    r"(?:dengan\s+hormat|dgn\s+hormat|"
    r"(?:mohon|minta|nyuwun)\s+(?:ij|iz)in(?:\s+(?:bertanya|melapor|melaporkan|menyampaikan|"
    r"mengadu|mengadukan|bapak|pak|ibu|bu|min|admin))*|"
    r"(?:ij|iz)in\s+(?:bertanya|melapor|melaporkan|menyampaikan|lapor)|"
    r"tanpa\s+mengurangi\s+rasa\s+hormat(?:\s+(?:saya|kami))?|"
    r"(?:sebelumnya\s+)?(?:mohon\s+)?maaf\s+(?:sebelumnya|mengganggu(?:\s+waktu(?:nya)?)?|"
    r"atas\s+(?:waktunya|ketidaknyamanannya))(?:\s+(?:bapak|pak|ibu|bu|min))?|"
    r"nuwun\s+sewu|ampura|tabik|"
    r"perkenankan\s+(?:saya|kami)|bersama\s+(?:surat|pesan)\s+ini|"
    r"melalui\s+(?:surat|pesan|aplikasi|kanal|media)\s+ini|"
    r"(?:(?:saya|kami)\s+)?yang\s+bertanda\s+tangan\s+di\s?bawah\s+ini|"
    r"c\.?\s?q\.?\s+[^\n]*|u\.?\s?p\.?\s+[^\n]*|"
    r"di\s*(?:tempat|(?-i:[A-Z][\w-]*))\s*$|"
    r"semoga\s+(?:bapak|ibu|kita)\s+(?:semua\s+)?(?:selalu\s+)?(?:dalam\s+)?"
    r"(?:sehat|keadaan\s+sehat|lindungan\s+allah)[\w\s]{0,30}?(?=[,.!\n]))"
)
_OPENER = re.compile(
    rf"^{_SEP}(?:{_GREETING}|{_ADDRESS}|{_OPENING_PHRASE}|{_TITLE}){_SEP}(?=\W|$)", _FLAGS
)

_CLOSING = re.compile(
    r"(?:^|(?<=[\s,.;:!]))(?:"
    r"(?:demikian|sekian)(?:\s+(?:surat|laporan|pengaduan|aduan|keluhan|pesan|informasi|"
    r"yang\s+dapat))?(?:\s+(?:ini|saya|kami))*(?:\s+(?:sampaikan|buat|laporkan))?|"
    r"atas\s+(?:perhatian|bantuan|tindak\s+lanjut|respon|kerja\s*sama)\w*"
    r"(?:\s+(?:dan|serta)\s+(?:kerja\s*sama|kebijaksanaan|bantuan|tindak\s+lanjut)\w*)*"
    r"(?:\s+(?:bapak|ibu|pak|bu|kami|saya|diucapkan|ucapkan|haturkan|sampaikan|"
    r"mengucapkan|menghaturkan))*|"
    r"(?:kami|saya)?\s*(?:ucapkan|mengucapkan|haturkan|sampaikan)\s+(?:banyak\s+)?terima\s?kasih|"
    r"(?:banyak\s+)?terima\s?kasih(?:\s+banyak)?(?:\s+(?:bapak|ibu|pak|bu|min|admin|sebelumnya))*|"
    r"trima\s?kasih|terimakasih|makasih|mksh|tks|thx|thanks|matur\s+nuwun(?:\s+sanget)?|"
    r"hatur\s+nuhun|suksma|"
    r"wass?alam(?:u['`’]?alaikum)?(?:\s*(?:wr\.?\s*wb\.?|warahmatullahi\s+wabarakatuh))?|"
    r"salam(?:\s+hormat)?|hormat\s+(?:kami|saya)|(?:kami|saya)\s+yang\s+melaporkan|"
    r"mohon\s+(?:maaf\s+)?(?:jika|bila|apabila)\s+ada\s+(?:kata|tutur)[\w\s]{0,40}|"
    r"wassalam|om\s+shanti\s+shanti\s+shanti\s+om|"
    r"mohon\s+(?:tindak\s+lanjut(?:nya)?|perhatian(?:nya)?|bantuan(?:nya)?|respon(?:nya)?)"
    r"(?:\s+(?:bapak|ibu|pak|bu|min|admin))*"
    r")[\s,.;:!🙏]*$",
    _FLAGS,
)

# A line of an identity or address header: "Nama : Budi", "NIK: 3302...", "Alamat Desa X".
_HEADER_KEYS = (
    r"nama(?:\s+lengkap|\s+pelapor)?|nik|no\.?\s*(?:ktp|kk|hp|telp|telepon|wa)|nomor\s+\w+|"
    r"hp|telp|telepon|wa|whatsapp|email|e-mail|alamat(?:\s+(?:rumah|lengkap))?|"
    r"desa|kelurahan|dusun|rt\s*/\s*rw|rt|rw|kecamatan|kec\.?|kabupaten|kab\.?|kota|provinsi|"
    r"pekerjaan|umur|usia|jenis\s+kelamin|tempat(?:\s*/\s*|,\s*)tanggal\s+lahir|ttl|"
    r"tanggal|tgl|lampiran|lamp\.?|nomor|no\.?|sifat|tembusan|status|"
    r"lurah|camat|kepala\s+desa|kades|ketua\s+r[tw]|pak\s+r[tw]"
)
_HEADER_LINE = re.compile(rf"^\s*(?:\d+[.)]\s*)?(?:{_HEADER_KEYS})\s*:.*$", _FLAGS | re.MULTILINE)
# "Perihal: Jalan rusak" and "Hal: ..." carry the subject: keep what follows the key.
_SUBJECT_KEY = re.compile(r"^\s*(?:perihal|hal|judul|subjek|subject)\s*:\s*", _FLAGS | re.MULTILINE)
# After the closing, a signature block: "Hormat saya,\nBudi Santoso\nRT 02": a line that is
# only a closing formula, then at most six short lines to the end.
_SIGNATURE = re.compile(
    r"(?:\n|^)[ \t]*(?:hormat\s+(?:saya|kami)|salam(?:\s+hormat)?|pelapor|yang\s+melaporkan|"
    r"wass?alam\w*(?:\s*(?:wr\.?\s*wb\.?|warahmatullahi\s+wabarakatuh))?|"
    r"(?:banyak\s+)?terima\s?kasih[^\n]{0,40}|matur\s+nuwun[^\n]{0,20})[ \t]*[,.:!]?[ \t]*"
    r"(?:\n[^\n]{0,60}){0,6}\s*$",
    _FLAGS,
)

_MIN_KEPT_LETTERS = 3


def strip_boilerplate(text: str) -> str:
    """Return the body of `text` without openers, closings, headers and signature.

    When nothing of substance would remain (a bare "Assalamualaikum", "terima kasih min"),
    the whole text is returned: it is then the message itself, and the model must see it to
    tell a greeting or thanks from a complaint.
    """
    original = text
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n")
    text = _SIGNATURE.sub("", text)
    text = _SUBJECT_KEY.sub("", text)
    text = _HEADER_LINE.sub("", text)
    # Letters put their openers each on a line of its own ("Perihal", then "Yth.", then
    # "Dengan hormat,"): strip them at the start of every line, closings only at the end.
    text = "\n".join(_strip_openers(line) for line in text.split("\n"))
    text = _strip_closings(text)
    if sum(ch.isalpha() for ch in text) < _MIN_KEPT_LETTERS:
        return original
    return text.strip()


def _strip_openers(text: str) -> str:
    for _ in range(12):  # a letter stacks a handful of them; the bound keeps it linear
        stripped = _OPENER.sub("", text.lstrip(), count=1)
        if stripped == text.lstrip():
            return stripped
        text = stripped
    return text


def _strip_closings(text: str) -> str:
    for _ in range(12):
        stripped = _CLOSING.sub("", text.rstrip(), count=1).rstrip()
        if stripped == text.rstrip():
            return stripped
        text = stripped
    return text


def prepare(text: str) -> str:
    """The text as the model sees it, in training and prediction alike: body only, normalized."""
    return normalize(strip_boilerplate(text))


def require_prepared(text: str) -> str:
    """`prepare` for prediction, raising EmptyText when nothing classifiable is left."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    prepared = prepare(text)
    if not prepared:
        raise EmptyText("complaint text is empty")
    return prepared
