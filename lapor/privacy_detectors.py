"""The detectors behind lapor/privacy.py, one section per kind: e-mail addresses, numbers
(NIK, phone, bank account), vehicle plates, names, and accusations against a person.

Pure functions over text, no I/O; `redact` and `public_copy` in lapor/privacy.py put them
together and are what callers use.
"""

from __future__ import annotations

import re

NIK, PHONE, EMAIL, BANK_ACCOUNT, PLATE, NAME = (
    "nik",
    "phone",
    "email",
    "bank_account",
    "vehicle_plate",
    "name",
)
KINDS = (NIK, PHONE, EMAIL, BANK_ACCOUNT, PLATE, NAME)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(
    r"[\w.+\-]+\s?(?:@|\[at\]|\(at\))\s?[\w\-]+(?:\s?(?:\.|\[dot\]|\(dot\))\s?[\w\-]+)*"
    r"\s?(?:\.|\[dot\]|\(dot\))\s?[A-Za-z]{2,}\b"
)


# ---------------------------------------------------------------------------- numbers

# Digit groups joined by what people put between the parts of one number: a space, a dot, a
# dash, brackets ("(021) 555-1234", "0812 3456 7890", "3275.01.120389.0001").
_DIGITS = re.compile(r"\d+")
_GAP = re.compile(r"[ .\-()]{1,3}")

# Words that introduce a number as what it is; the number follows within a few words.
_INTRO_GAP = r"[^\d\n]{0,25}$"
_NIK_INTRO = re.compile(
    r"\b(?:nik|n\.i\.k\.?|ktp|e-?ktp|nomor\s+induk\s+kependudukan|no\.?\s*kk|kartu\s+keluarga)"
    + _INTRO_GAP,
    re.IGNORECASE,
)
_BANKS = (
    "bca|bri|bni|btn|bsi|bjb|mandiri|cimb|cimb\\s+niaga|danamon|permata|panin|ocbc|maybank|"
    "muamalat|jenius|jago|seabank|blu|bank\\s+\\w+"
)
_BANK_INTRO = re.compile(
    rf"(?:\bno\.?\s*rek\b|\bnorek\b|\brek\.?(?!\w)|\brekening\b|\b(?:{_BANKS})\b){_INTRO_GAP}",
    re.IGNORECASE,
)
_PHONE_INTRO = re.compile(
    r"\b(?:hp|handphone|ponsel|wa|whatsapp|telp|telpon|telepon|tlp|tel|nomor\s+(?:hp|wa|saya)|"
    r"no\.?\s*(?:hp|wa|telp)|hubungi|kontak|sms)\b" + _INTRO_GAP,
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"(?:\brp\.?|\bidr)\s?$", re.IGNORECASE)
# Province codes of the NIK (Kemendagri): Sumatra, Java, Bali and Nusa Tenggara, Kalimantan,
# Sulawesi, Maluku, Papua (with the provinces created in 2022).
_PROVINCES = frozenset(
    [str(n) for n in range(11, 20)]
    + ["21"]
    + [str(n) for n in range(31, 37)]
    + ["51", "52", "53"]
    + [str(n) for n in range(61, 66)]
    + [str(n) for n in range(71, 77)]
    + ["81", "82"]
    + [str(n) for n in range(91, 98)]
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_nik(digits: str) -> bool:
    """16 digits shaped like a NIK: province, regency and district codes, the birth date
    DDMMYY (40 added to the day for women) and a serial number."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    if digits[:2] not in _PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return False
    return digits[12:] != "0000"


def _numbers(text: str) -> list[tuple[int, int, str]]:
    """NIKs, phone numbers and introduced bank accounts among the text's digit runs."""
    found = []
    for run in _runs(text):
        i = 0
        while i < len(run):
            # The longest reading first; no number here has more than 16 digits.
            for j in range(min(len(run), i + 16), i, -1):
                kind = _classify(text, run[i:j])
                if kind is not None:
                    start, end = run[i][0], run[j - 1][1]
                    if kind == PHONE:  # "+62 812...", "(+62) 21 ...", "(021) 555 1234"
                        prefix = re.search(r"(?:\(\s?\+?|\+)\s?$", text[max(0, start - 3) : start])
                        if prefix and ("(" not in prefix.group() or ")" in text[start:end]):
                            start -= len(prefix.group())
                    found.append((start, end, kind))
                    i = j
                    break
            else:
                i += 1
    return found


def _runs(text: str) -> list[list[tuple[int, int]]]:
    runs: list[list[tuple[int, int]]] = []
    previous_end = None
    for match in _DIGITS.finditer(text):
        start, end = match.span()
        # A few digits glued to letters are part of a word or a code (K3QZ7, 5rb, jam8); a long
        # number stays a number ("nik3275...", "wa0812...").
        glued = (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())
        if glued and end - start < 7:
            previous_end = None
            continue
        if previous_end is not None and _GAP.fullmatch(text[previous_end:start]):
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
        previous_end = end
    return runs


def _classify(text: str, groups: list[tuple[int, int]]) -> str | None:
    digits = "".join(text[s:e] for s, e in groups)
    if len(digits) > 16:
        return None
    start = groups[0][0]
    before = text[max(0, start - 60) : start]
    gaps = {text[a[1] : b[0]] for a, b in zip(groups, groups[1:], strict=False)}
    if len(digits) == 16 and _NIK_INTRO.search(before):
        return NIK
    if 10 <= len(digits) <= 16 and _BANK_INTRO.search(before) and not _MONEY_BEFORE.search(before):
        return BANK_ACCOUNT
    # A NIK is written in one piece or in groups of two digits or more with one kind of
    # separator (3275 0112 0389 0001); mixed separators are a date and a phone side by side.
    if len(gaps) <= 1 and all(e - s >= 2 for s, e in groups) and is_nik(digits):
        return NIK
    if _is_phone(digits, before, first_group=groups[0][1] - groups[0][0]):
        return PHONE
    if 7 <= len(digits) <= 15 and _PHONE_INTRO.search(before):
        return PHONE
    return None


def _is_phone(digits: str, before: str, first_group: int) -> bool:
    plus = before.rstrip(" (").endswith("+")
    if plus and digits.startswith("62"):
        national = digits[2:].removeprefix("0")  # "+62 0812..." is written too
        return 8 <= len(national) <= 12
    if digits.startswith("628"):
        return 11 <= len(digits) <= 14
    # Mobile numbers: 08 and 8 to 11 more digits. A first group of two ("08 2024") is a date.
    return digits.startswith("08") and 10 <= len(digits) <= 13 and first_group >= 3


# ---------------------------------------------------------------------------- vehicle plates

# Region codes of Indonesian number plates (Korlantas), from Aceh (BL) to Papua (PA).
_PLATE_REGIONS = _words(
    "A B D E F G H K L M N P R S T W Z AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP "
    "DA DB DC DD DE DG DH DK DL DM DN DP DR DS DT DW EA EB ED KB KH KT KU PA PB"
)
_PLATE = re.compile(r"\b([A-Za-z]{1,2})\s?-?\s?(\d{1,4})\s?-?\s?([A-Za-z]{1,3})\b")
_VEHICLE = re.compile(
    r"\b(?:motor|mobil|kendaraan|plat|pelat|nopol|no\.?\s*pol(?:isi)?|nomor\s+polisi|"
    r"berplat|truk|pick\s?up|angkot|sepeda)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(
    r"\b(?:saya|sy|aku|kami|(?:motor|mobil|kendaraan|plat|pelat)ku)\b", re.IGNORECASE
)
_OWNED_AFTER = re.compile(r"^\W{0,3}(?:milik|punya)\s+(?:saya|sy|aku|kami)\b", re.IGNORECASE)


def _plates(text: str) -> list[tuple[int, int]]:
    """Plates the reporter gives as their own: "motor saya B 1234 XYZ", "plat nomor saya ...",
    "mobil B 1234 XYZ milik saya". A plate of someone else's car stays: it may be what the
    complaint is about."""
    found = []
    for match in _PLATE.finditer(text):
        if match.group(1).upper() not in _PLATE_REGIONS:
            continue
        before = re.split(r"[.!?\n]", text[max(0, match.start() - 60) : match.start()])[-1]
        after = text[match.end() : match.end() + 20]
        owned = _VEHICLE.search(before) and (
            _FIRST_PERSON.search(before) or _OWNED_AFTER.search(after)
        )
        if owned:
            found.append(match.span())
    return found


# ---------------------------------------------------------------------------- names

_HONORIFIC = (
    r"(?:bapak|bpk\.?|pak|ibu|bu|sdr\.?|sdri\.?|saudara|saudari|mas|mbak|mba|kak|bang|teh|"
    r"akang|kang|haji|hj\.?|h\.)"
)
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*\.?")
# Words that end a name, or show that what follows "saya" is not one.
_NOT_NAME = _words(
    """
    adalah ialah yaitu dari di ke dan atau yang warga tinggal beralamat alamat asal selaku
    sebagai umur usia rt rw no nomor nik hp wa telp telepon email mau ingin akan sudah belum
    telah sedang tidak bukan mohon minta hendak mengadu melapor lapor melaporkan mengeluhkan
    sangat kecewa juga cuma hanya punya pernah bisa dapat harus perlu ada merasa lihat
    melihat pagi siang sore malam hari ini itu tersebut dengan untuk karena pada saat ketika
    kemarin tadi sejak kami kita mereka dia beliau anda ketua kepala pak bu bapak ibu rumah
    jalan jl gang gg kampung desa kelurahan kecamatan kota kabupaten mahasiswa pelajar siswa
    guru pegawai karyawan pedagang pengemudi sopir ojol petani orang tua anak istri suami
    ayah keluarga bersama selama sampai hingga lalu kemudian tolong segera bahwa agar supaya
    jika kalau bila namun tetapi tapi serta oleh bagi atas nama satu dua tiga
    """
)
_NAME_JOINERS = frozenset({"bin", "binti", "al", "van", "de"})
_INTRO_NAME = re.compile(
    # not "atas nama saya" (in my name), which introduces no name
    r"(?<!atas\s)\bnama\s+(?:lengkap\s+)?(?:saya|sy|aku|pelapor)\s*(?:adalah|ialah|:|=|-)?\s*"
    r"|^[ \t]*nama(?:\s+lengkap)?\s*:\s*",  # a form-style line: "Nama: Budi Santoso"
    re.IGNORECASE | re.MULTILINE,
)
_INTRO_HONORIFIC = re.compile(
    rf"\b(?:saya|aku)\s*,?\s*(?:adalah\s+|yaitu\s+)?{_HONORIFIC}\s+", re.IGNORECASE
)
_INTRO_SAYA = re.compile(r"\b(?:saya|aku)\s*(,)?\s*(?:adalah\s+)?", re.IGNORECASE)
_AFTER_NAME = re.compile(
    r"^\s*(?:,|\(|\b(?:dari|warga|tinggal|beralamat|selaku|asal|yang\s+tinggal)\b)",
    re.IGNORECASE,
)


def _introduced_names(text: str) -> list[tuple[int, int]]:
    """Names the reporter gives as their own: "nama saya Budi Santoso", "saya Ibu Rina",
    "saya, Budi Santoso, warga ...", "Saya Andi dari RT 04"."""
    found = []
    for match in _INTRO_NAME.finditer(text):
        # After "nama saya" a name may be written in lower case too (chat style).
        span = _name_at(text, match.end(), capitals=False, skip_honorific=True)
        if span:
            found.append(span)
    for match in _INTRO_HONORIFIC.finditer(text):
        span = _name_at(text, match.end(), capitals=False, limit=3)
        if span:
            found.append(span)
    for match in _INTRO_SAYA.finditer(text):
        span = _name_at(text, match.end(), capitals=True)
        if span is None:
            continue
        # Only a name that the sentence then closes off ("saya Budi, warga ...", "saya, Budi
        # Santoso, ...") counts: "Saya Sangat kecewa" does not.
        if _AFTER_NAME.match(text[span[1] :]):
            found.append(span)
    return found


def _name_at(
    text: str, position: int, *, capitals: bool, skip_honorific: bool = False, limit: int = 4
) -> tuple[int, int] | None:
    start = end = None
    count = 0
    while count < limit:
        match = _NAME_WORD.match(text, position)
        if match is None:
            break
        word = match.group().rstrip(".")
        lowered = word.lower()
        if skip_honorific and count == 0 and start is None and re.fullmatch(_HONORIFIC, lowered):
            skip_honorific = False
            position = _skip_spaces(text, match.end())
            continue
        if lowered in _NOT_NAME or len(word) < 2 and lowered not in _NAME_JOINERS:
            break
        # Capitalised, not shouted: "SAYA MEWAKILI WARGA" names nobody.
        capitalised = word[0].isupper() and not (len(word) > 1 and word.isupper())
        if capitals and not capitalised and lowered not in _NAME_JOINERS:
            break
        if start is None:
            start = match.start()
        end = match.start() + len(word)
        count += 1
        following = text[match.end() : match.end() + 1]
        if following != " ":
            break
        position = match.end() + 1
    if start is None or end - start < 2:
        return None
    return start, end


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


# ---------------------------------------------------------------------------- accusations

_ACCUSATION = re.compile(
    r"\b(?:pungli|pungutan(?:\s+liar)?|suap|menyuap|disuap|suapan|sogok|sogokan|nyogok|"
    r"menyogok|disogok|korupsi|korup|pemerasan|memeras|diperas|gratifikasi|palak|dipalak|"
    r"memalak|calo|setoran|uang\s+(?:pelicin|damai|rokok|lelah|terima\s+kasih|jasa)|"
    r"(?:minta|meminta|dimintai|diminta|mintain|menarik|narik)\s+"
    r"(?:uang|duit|imbalan|jatah|bayaran|biaya\s+tambahan|fee|komisi))\b",
    re.IGNORECASE,
)
# Someone who can be recognised: a named person, or the one holder of an office.
_OFFICE_HOLDER = re.compile(
    r"\b(?:ketua\s+r[tw]|pak\s+r[tw]|bu\s+r[tw]|lurah|kades|kepala\s+(?:desa|dusun|kelurahan|"
    r"sekolah|dinas|puskesmas|bidang|seksi|kantor|upt|ruangan|rs|rumah\s+sakit)|kadus|sekdes|"
    r"seklur|camat|sekcam|kepsek|kadis|kabid|kasi|kasubag|kapolsek|kapolres|danramil|babinsa|"
    r"bhabinkamtibmas|bupati|wali\s?kota|sekda|direktur|mandor|oknum)\b",
    re.IGNORECASE,
)
_NAMED_PERSON = re.compile(
    rf"\b(?i:{_HONORIFIC}|bernama|namanya|inisial|an\.|a\.n\.|atas\s+nama)\s+[A-Z][A-Za-z]+"
)


def accuses_someone(text: str) -> bool:
    """Whether the text accuses a recognisable person: a name or an office holder ("ketua
    RT", "pak lurah", "kades", "oknum ...") together with pungli, bribes, extortion or an
    official asking for money."""
    if not _ACCUSATION.search(text):
        return False
    return bool(_OFFICE_HOLDER.search(text) or _NAMED_PERSON.search(text))
