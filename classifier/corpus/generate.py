"""Style families: each turns a category's fragment pools into one complaint text.

A family is a writing style (chat, caps rant, regional mix, tweet, WhatsApp group, web form,
question, story) or a content pattern (indirect, two issues, boundary). Every family produces
every category, lainnya included, so grouping cross-validation by family measures whether the
model learned the topic rather than the style.
"""

import random
import re
import weakref
from collections.abc import Callable

from classifier.corpus import common as c
from classifier.corpus import lainnya as lx
from classifier.corpus import lexicon
from classifier.corpus.boundary import BOUNDARY
from classifier.corpus.lexicon import LEXICON
from classifier.corpus.topic import Topic

Family = Callable[[Topic, list[Topic], random.Random], str]


def _pick(rng: random.Random, *pools: tuple[tuple[str, ...], float]) -> str:
    total = sum(weight for _, weight in pools)
    roll = rng.random() * total
    for pool, weight in pools:
        if roll < weight:
            return rng.choice(pool)
        roll -= weight
    return rng.choice(pools[-1][0])


def _maybe(rng: random.Random, p: float, text: str) -> str:
    return text if rng.random() < p else ""


def _since(duration: str) -> str:
    """'sudah 2 minggu' stays; 'sejak Senin' becomes 'sudah berlangsung sejak Senin'."""
    if duration.startswith("sudah"):
        return duration
    if duration.startswith(("sejak", "dari", "beberapa", "tiga")):
        return f"sudah berlangsung {duration}"
    return f"terjadi {duration}"


def _duration(topic: Topic, rng: random.Random) -> str:
    urgent = topic.urgent or rng.random() < 0.1
    return c.fill(rng.choice(c.URGENT_TIMES if urgent else c.DURATIONS), rng)


def _effect(topic: Topic, rng: random.Random) -> str:
    return c.fill(_pick(rng, (topic.effects, 0.7), (c.GENERIC_EFFECTS, 0.3)), rng)


def _ask(topic: Topic, rng: random.Random) -> str:
    return c.fill(_pick(rng, (topic.asks, 0.6), (c.GENERIC_ASKS, 0.4)), rng)


def _problem(topic: Topic, rng: random.Random, short_weight: float = 0.0) -> str:
    return c.fill(_pick(rng, (topic.problems, 1.0), (topic.short, short_weight)), rng)


def _join(parts: list[str], rng: random.Random, seps: tuple[str, ...] = (" ", ", ", ". ")) -> str:
    parts = [p for p in parts if p]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += rng.choice(seps) + part
    return out


def _lainnya_chat(rng: random.Random) -> str:
    """A lainnya message as typed in chat: a bare greeting, thanks, spam, gossip, a question."""
    kind = rng.random()
    if kind < 0.22:
        text = rng.choice(lx.GREETINGS)
        return _join([text, _maybe(rng, 0.3, rng.choice(c.EMOJI))], rng, (" ",))
    if kind < 0.42:
        body = rng.choice(lx.THANKS)
    elif kind < 0.55:
        return rng.choice(lx.SPAM)
    elif kind < 0.72:
        body = _join(
            [rng.choice(lx.PRIVATE), _maybe(rng, 0.4, rng.choice(lx.LAINNYA.effects))], rng
        )
    elif kind < 0.84:
        body = rng.choice(lx.NATIONAL)
    elif kind < 0.93:
        body = rng.choice(lx.OFF_CITY)
    else:
        body = rng.choice(lx.QUESTIONS)
    return _join(
        [rng.choice(c.CHAT_OPENERS), body, _maybe(rng, 0.3, rng.choice(lx.LAINNYA.asks))], rng
    )


def _lainnya_body(rng: random.Random) -> str:
    """A lainnya matter in full sentences, for formal and semi-formal styles."""
    return rng.choice(
        _pick(
            rng,
            ((lx.PRIVATE,), 0.35),
            ((lx.THANKS,), 0.2),
            ((lx.NATIONAL,), 0.15),
            ((lx.OFF_CITY,), 0.2),
            ((lx.QUESTIONS,), 0.1),
        )
    )


def _core(topic: Topic, rng: random.Random, short_weight: float = 0.0) -> str:
    if topic.code == "lainnya":
        return _lainnya_body(rng)
    return _problem(topic, rng, short_weight)


# --- families -------------------------------------------------------------------------


def chat_slang(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    if topic.code == "lainnya":
        return c.chatify(_lainnya_chat(rng), rng)
    parts = [
        rng.choice(c.CHAT_OPENERS),
        _problem(topic, rng, short_weight=0.5),
        _maybe(rng, 0.5, c.location(rng)),
        _maybe(rng, 0.4, _duration(topic, rng)),
        _maybe(rng, 0.35, _effect(topic, rng)),
        _maybe(rng, 0.4, _ask(topic, rng)),
        _maybe(rng, 0.3, rng.choice(c.CHAT_CLOSERS)),
    ]
    text = c.chatify(_join(parts, rng), rng, abbrev_rate=0.7, typo_rate=0.05)
    return _join([text, _maybe(rng, 0.35, rng.choice(c.EMOJI))], rng, (" ",))


RANTS = (
    "PARAH",
    "GIMANA INI PEMKOT",
    "KERJA DONG",
    "WOY",
    "SUDAH BERAPA KALI LAPOR",
    "NGGAK ADA TINDAKAN",
    "PERCUMA BAYAR PAJAK",
    "MANA JANJINYA",
    "TOLONG LAH",
    "KAMI BUTUH BUKTI BUKAN JANJI",
    "MALU SAMA KOTA SEBELAH",
    "HALOOO ADA ORANG GAK",
    "CAPEK",
    "KEBANGETAN",
    "PEJABATNYA KEMANA",
    "BURUAN",
)


def chat_caps(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    if topic.code == "lainnya":
        body = _lainnya_chat(rng)
    else:
        body = _join(
            [
                _problem(topic, rng, short_weight=0.6),
                _maybe(rng, 0.5, c.location(rng)),
                _maybe(rng, 0.5, _duration(topic, rng)),
                _maybe(rng, 0.3, _effect(topic, rng)),
            ],
            rng,
        )
    body = c.chatify(body, rng, abbrev_rate=0.5, typo_rate=0.03)
    rants = [rng.choice(RANTS) for _ in range(rng.randint(0, 2))]
    text = _join([body.upper(), *rants], rng, ("!!! ", "!! ", " ", "!!!!! "))
    return text + rng.choice(("!!!", "!!", "", " 😡😡", " 🤬"))


def chat_regional(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    dialect = rng.choice(sorted(c.DIALECTS))
    if topic.code == "lainnya":
        body = _lainnya_chat(rng) if rng.random() < 0.7 else c.fill(rng.choice(topic.regional), rng)
    elif topic.regional and rng.random() < 0.3:
        body = _join(
            [c.fill(rng.choice(topic.regional), rng), _maybe(rng, 0.4, _duration(topic, rng))], rng
        )
    else:
        body = _join(
            [
                _problem(topic, rng, short_weight=0.4),
                _maybe(rng, 0.5, c.location(rng)),
                _maybe(rng, 0.4, _duration(topic, rng)),
                _maybe(rng, 0.3, _effect(topic, rng)),
                _maybe(rng, 0.4, _ask(topic, rng)),
            ],
            rng,
        )
    body = c.regionalize(body.lower(), dialect, rng)
    body = c.chatify(body, rng, abbrev_rate=0.4, typo_rate=0.03)
    tag = rng.choice(c.DIALECT_TAGS[dialect])
    if rng.random() < 0.5:
        return f"{body} {tag}"
    return f"{tag} {body}" if rng.random() < 0.5 else body


def tweet(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    handle = c.fill(rng.choice(c.HANDLES), rng)
    body = _join(
        [
            _maybe(rng, 0.3, rng.choice(("min", "pak", "halo", "tolong", "woi", "permisi"))),
            _lainnya_chat(rng) if topic.code == "lainnya" else _problem(topic, rng, 0.3),
            _maybe(rng, 0.5, c.location(rng)) if topic.code != "lainnya" else "",
            _maybe(rng, 0.4, _duration(topic, rng)) if topic.code != "lainnya" else "",
            _maybe(rng, 0.5, _ask(topic, rng)),
        ],
        rng,
    )
    body = c.chatify(body, rng, abbrev_rate=0.5, typo_rate=0.02)
    tags = " ".join(t for t in (c.fill(rng.choice(c.HASHTAGS), rng) for _ in range(2)) if t)
    text = f"{handle} {body} {tags}" if rng.random() < 0.5 else f"{body} {handle} {tags}"
    return text[:280].strip()


WA_OPENERS = (
    "Assalamualaikum bapak ibu warga RT {rt}",
    "*INFO WARGA*",
    "Bapak2 ibu2 mohon maaf mengganggu",
    "Selamat pagi grup",
    "Assalamualaikum wr wb",
    "Izin share bapak ibu",
    "Mohon izin admin grup",
    "Info dari warga",
    "Bapak RT yth",
    "Sekedar info",
    "Pak RW mohon maaf",
    "Mohon perhatian warga {kel}",
    "Teruskan ke grup sebelah",
)
WA_CLOSERS = (
    "Mohon pak RT diteruskan ke kelurahan",
    "Matur nuwun",
    "Hatur nuhun",
    "Terima kasih 🙏",
    "Mohon pak RW bisa disampaikan ke pemkot",
    "Wassalam",
    "Mohon ditindaklanjuti bersama",
    "Mungkin ada yang punya kenalan di dinas?",
    "Tolong dishare",
    "Sekian info dari saya",
)


def wa_group(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    opener = c.fill(rng.choice(WA_OPENERS), rng)
    if topic.code == "lainnya":
        if rng.random() < 0.3:
            return _join([opener, rng.choice(lx.SPAM)], rng, ("\n", ". "))
        body = _lainnya_body(rng)
    else:
        body = _join(
            [
                rng.choice(("mau menyampaikan", "mau info", "sekedar info", "", "mau tanya,")),
                _problem(topic, rng, 0.2),
                _maybe(rng, 0.6, c.location(rng)),
                _maybe(rng, 0.5, _duration(topic, rng)),
            ],
            rng,
            (" ",),
        )
        body = _join([body, _maybe(rng, 0.5, _effect(topic, rng))], rng, (". ", ", "))
    closer = rng.choice(WA_CLOSERS)
    text = _join([opener, body, closer], rng, ("\n", ". ", "\n\n"))
    return c.squash(text if rng.random() < 0.5 else c.chatify(text, rng, 0.4, 0.01))


def webform_formal(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    name = rng.choice(c.NAMES)
    head = f"Yth. {rng.choice(c.ADDRESSEES)}"
    opening = rng.choice(c.FORMAL_OPENINGS)
    intro = rng.choice(
        (
            f"Saya {name}, warga {c.full_address(rng)}",
            f"Perkenalkan, nama saya {name}, beralamat di {c.full_address(rng)}",
            f"Saya yang bertanda tangan di bawah ini, {name}, warga {c.full_address(rng)}",
            f"Kami warga {c.full_address(rng)}",
            f"Saya warga {c.full_address(rng)}",
        )
    )
    verb = rng.choice(c.FORMAL_VERBS)
    if topic.code == "lainnya":
        body = [f"{verb} {_lainnya_body(rng)}", _maybe(rng, 0.5, rng.choice(topic.effects))]
        asks = [rng.choice(topic.asks)]
    else:
        main = _problem(topic, rng)
        if rng.random() < 0.4:
            main = f"{main} {c.location(rng)}"
        body = [
            f"{verb} {main}",
            _maybe(rng, 0.6, f"Hal ini terjadi {c.date_phrase(rng)}")
            or _maybe(rng, 0.7, f"Kondisi ini {_since(_duration(topic, rng))}"),
            _maybe(rng, 0.35, c.fill(rng.choice(topic.indirect), rng)),
            _maybe(rng, 0.7, f"Akibatnya {_effect(topic, rng)}"),
            _maybe(rng, 0.3, rng.choice(c.GENERIC_EFFECTS)),
        ]
        asks = [
            rng.choice(
                ("Oleh karena itu, ", "Untuk itu ", "Kami berharap ", "", "Sehubungan dengan itu, ")
            )
            + _ask(topic, rng)
        ]
    sentences = [c.sentence(f"{intro}, {body[0]}")]
    sentences += [c.sentence(s) for s in body[1:] if s]
    sentences += [c.sentence(s) for s in asks]
    closing = rng.choice(c.FORMAL_CLOSINGS)
    sign = rng.choice((f"\n\nHormat saya,\n{name}", f"\n{name}", "", f"\n\nSalam,\n{name}"))
    return f"{head}\n{opening}\n" + " ".join(sentences) + f"\n{closing}" + sign


def webform_plain(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    lead = rng.choice(
        (
            "Saya ingin melaporkan",
            "Melaporkan",
            "Saya mau mengadukan",
            "Laporan:",
            "Mohon ditindaklanjuti,",
            "Kepada petugas,",
            "Saya warga {kel} ingin menyampaikan",
            "Pengaduan warga:",
            "Dengan ini saya melaporkan",
            "Mau menyampaikan keluhan,",
            "Lapor,",
        )
    )
    core = _core(topic, rng)
    parts = [
        c.fill(lead, rng) + " " + core,
        _maybe(rng, 0.5, c.location(rng))
        if topic.code != "lainnya"
        else _maybe(rng, 0.2, c.location(rng)),
    ]
    first = c.sentence(" ".join(p for p in parts if p))
    rest = []
    if topic.code != "lainnya":
        rest.append(_maybe(rng, 0.6, _since(_duration(topic, rng))))
        rest.append(_maybe(rng, 0.5, _effect(topic, rng)))
    else:
        rest.append(_maybe(rng, 0.4, rng.choice(topic.effects)))
    rest.append(_maybe(rng, 0.7, _ask(topic, rng)))
    rest.append(
        _maybe(rng, 0.4, rng.choice(("Terima kasih", "Terima kasih banyak", "Salam", "Makasih")))
    )
    return " ".join([first] + [c.sentence(r) for r in rest if r])


def question(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    if topic.code == "lainnya":
        body = rng.choice(lx.QUESTIONS) if rng.random() < 0.6 else _lainnya_body(rng)
        return c.chatify(
            _join(
                [
                    rng.choice(("mau tanya", "min mau nanya", "izin bertanya", "", "tanya dong")),
                    body,
                ],
                rng,
            ),
            rng,
            0.4,
            0.02,
        ) + rng.choice(("?", " ?", "??", ""))
    problem = _problem(topic, rng, 0.3)
    loc = _maybe(rng, 0.5, c.location(rng))
    dur = _maybe(rng, 0.4, _duration(topic, rng))
    pattern = rng.randrange(6)
    if pattern == 0:
        text = f"mau tanya, {problem} {loc} {dur}, kapan ditangani?"
    elif pattern == 1:
        text = f"ini urusan siapa ya? {problem} {loc} {dur}"
    elif pattern == 2:
        text = f"kenapa {problem} {loc} dibiarkan saja {dur}?"
    elif pattern == 3:
        text = f"ke mana saya harus lapor kalau {problem} {loc}?"
    elif pattern == 4:
        text = f"apakah bisa dibantu? {problem} {loc} {dur}. {_ask(topic, rng)}"
    else:
        text = f"{problem} {loc} {dur}, apa memang tidak ada yang peduli?"
    text = c.squash(text)
    return c.chatify(text, rng, 0.4, 0.02) if rng.random() < 0.5 else c.sentence(text)


STORY_INTROS = (
    "Kemarin sore",
    "Tadi pagi",
    "Minggu lalu",
    "Semalam",
    "Jadi begini ceritanya,",
    "Curhat sedikit ya min,",
    "Sudah lama sebenarnya mau cerita di sini.",
    "Kejadiannya hari {weekday},",
    "Saya mau cerita pengalaman saya.",
    "Waktu saya pulang kerja kemarin,",
    "Pagi ini,",
    "Dua hari lalu,",
    "Singkat cerita,",
    "Begini pak,",
    "Maaf kalau panjang.",
)


def story(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    intro = c.fill(rng.choice(STORY_INTROS), rng)
    if topic.code == "lainnya":
        body = [
            _lainnya_body(rng),
            _maybe(rng, 0.6, rng.choice(topic.effects)),
            _maybe(rng, 0.5, rng.choice(topic.asks)),
        ]
    else:
        first = c.fill(_pick(rng, (topic.problems, 0.5), (topic.indirect, 0.5)), rng)
        body = [
            first,
            _maybe(rng, 0.5, c.location(rng)),
            _maybe(rng, 0.4, f"ini {_since(_duration(topic, rng))}"),
            _maybe(rng, 0.6, _effect(topic, rng)),
            _maybe(rng, 0.3, rng.choice(c.GENERIC_EFFECTS)),
            _maybe(rng, 0.6, _ask(topic, rng)),
        ]
    text = intro + " " + _join(body, rng, (". ", ", ", ". "))
    text = c.squash(text)
    return c.chatify(text, rng, 0.5, 0.03) if rng.random() < 0.4 else c.sentence(text)


def indirect(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    if topic.code == "lainnya":
        body = c.fill(rng.choice(topic.indirect), rng)
        parts = [rng.choice(c.CHAT_OPENERS), body, _maybe(rng, 0.3, rng.choice(c.EMOJI))]
        text = _join(parts, rng)
        return c.chatify(text, rng, 0.5, 0.02) if rng.random() < 0.5 else c.sentence(text)
    parts = [
        _maybe(rng, 0.4, rng.choice(c.CHAT_OPENERS)),
        c.fill(rng.choice(topic.indirect), rng),
        _maybe(rng, 0.4, c.location(rng)),
        _maybe(rng, 0.4, _duration(topic, rng)),
        _maybe(rng, 0.3, rng.choice(c.GENERIC_EFFECTS)),
        _maybe(rng, 0.5, c.fill(rng.choice(c.GENERIC_ASKS), rng)),
    ]
    text = _join(parts, rng, (". ", ", ", " "))
    return c.chatify(text, rng, 0.5, 0.03) if rng.random() < 0.5 else c.sentence(c.squash(text))


def two_issues(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    other = rng.choice([t for t in others if t.code != topic.code and t.code != "lainnya"])
    minor = c.fill(rng.choice(other.short), rng)
    if topic.code == "lainnya":
        main = _join([rng.choice(lx.PRIVATE), rng.choice(topic.effects)], rng)
        minor = rng.choice(lx.THANKS)
    else:
        main = _join(
            [
                _problem(topic, rng),
                _maybe(rng, 0.6, c.location(rng)),
                _maybe(rng, 0.6, _duration(topic, rng)),
            ],
            rng,
            (" ",),
        )
        main = _join(
            [main, _effect(topic, rng), _maybe(rng, 0.6, _ask(topic, rng))], rng, (". ", ", ")
        )
    pattern = rng.randrange(5)
    if pattern == 0:
        text = f"{main}. Oh iya, {minor} juga sih, tapi itu bisa belakangan."
    elif pattern == 1:
        text = f"Selain {minor}, yang paling mendesak adalah ini: {main}."
    elif pattern == 2:
        text = f"{minor} masih bisa kami maklumi, tapi {main}, ini sudah keterlaluan."
    elif pattern == 3:
        text = f"Yang utama: {main}. Sedikit tambahan, {minor}, tapi tidak terlalu parah."
    else:
        text = f"{main}. Btw {minor} juga, tapi fokus yang ini dulu."
    text = c.squash(text)
    return c.chatify(text, rng, 0.5, 0.02) if rng.random() < 0.4 else text


def boundary(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    clause = c.fill(rng.choice(BOUNDARY[topic.code]), rng)
    parts = [
        _maybe(rng, 0.4, rng.choice(c.CHAT_OPENERS)),
        clause,
        _maybe(rng, 0.4, _duration(topic, rng)) if topic.code != "lainnya" else "",
        _maybe(rng, 0.4, c.fill(rng.choice(topic.asks), rng)),
    ]
    text = _join(parts, rng, (". ", ", ", " "))
    return c.chatify(text, rng, 0.5, 0.03) if rng.random() < 0.5 else c.sentence(c.squash(text))


FAMILIES: dict[str, tuple[Family, int]] = {
    # family name: (generator, lines per category)
    "chat_slang": (chat_slang, 50),
    "chat_caps": (chat_caps, 12),
    "chat_regional": (chat_regional, 28),
    "tweet": (tweet, 24),
    "wa_group": (wa_group, 20),
    "webform_formal": (webform_formal, 30),
    "webform_plain": (webform_plain, 32),
    "question": (question, 18),
    "story": (story, 20),
    "indirect": (indirect, 32),
    "two_issues": (two_issues, 16),
    "boundary": (boundary, 14),
}


# --- lexicon families -------------------------------------------------------------------
#
# Six registers seen in real complaints to a regency (WhatsApp chat, a post tagging the
# regency's account, a formal letter to the Bupati or Wali Kota, a long narrative touching two
# matters, a transcribed voice note, a one-liner), built around LEXICON terms and SETTINGS
# words, in regency (desa, dusun) and city (kelurahan) settings and in six regional registers.
# Each category's terms are shared out among the six families by a split seeded with the
# category, and each family deals its share row by row, so every term reaches the corpus.
# Setting words are dealt the same way in every category, lainnya included, so that they pull
# toward none. Terms and setting words are kept out of the chat transforms (typos,
# abbreviations, dialect swaps) so that they arrive whole.

LEX_ROWS: dict[str, int] = {
    "lex_wa": 8,
    "lex_post": 7,
    "lex_letter": 5,
    "lex_narrative": 5,
    "lex_voice": 7,
    "lex_oneliner": 8,
}
# How many terms and setting words a row of each register holds, before the split rounds up.
LEX_TERM_SLOTS: dict[str, int] = {
    "lex_wa": 2,
    "lex_post": 2,
    "lex_letter": 4,
    "lex_narrative": 3,
    "lex_voice": 3,
    "lex_oneliner": 1,
}
LEX_SETTING_SLOTS: dict[str, int] = {
    "lex_wa": 2,
    "lex_post": 2,
    "lex_letter": 3,
    "lex_narrative": 3,
    "lex_voice": 2,
    "lex_oneliner": 1,
}

# Setting words by how a sentence can hold them: people and bodies, meetings, else places.
SETTING_WHO = frozenset(
    {
        "bupati",
        "wakil bupati",
        "pemkab",
        "pemerintah kabupaten",
        "karang taruna",
        "wali kota",
        "wakil wali kota",
        "pemkot",
        "pemerintah kota",
        "ketua RT",
        "ketua RW",
        "masyarakat",
        "warga",
        "penduduk",
        "tokoh masyarakat",
        "tokoh agama",
        "pemda",
        "pemerintah daerah",
        "DPRD",
        "anggota dewan",
        "dinas terkait",
        "OPD",
        "kepala dinas",
        "PKK",
    }
)
SETTING_EVENTS = frozenset({"musyawarah desa", "musrenbang"})


def _rows_in_mode(family: str, regency: bool) -> int:
    """Rows alternate regency, city, regency ...: how many of a family's rows are which."""
    rows = LEX_ROWS[family]
    return (rows + 1) // 2 if regency else rows // 2


def _apportion(items: tuple[str, ...], salt: str, weights: dict[str, int]) -> dict[str, list[str]]:
    """Split items among families in proportion to weights (largest remainder), seeded."""
    order = sorted(items, key=str.lower)
    random.Random(f"lexicon:{salt}").shuffle(order)
    total = sum(weights.values())
    quotas = {f: len(order) * w / total for f, w in weights.items()}
    sizes = {f: int(q) for f, q in quotas.items()}
    spare = len(order) - sum(sizes.values())
    for f in sorted(quotas, key=lambda f: (sizes[f] - quotas[f], f))[:spare]:
        sizes[f] += 1
    shares, start = {}, 0
    for f in sorted(weights):
        shares[f] = order[start : start + sizes[f]]
        start += sizes[f]
    return shares


class _Pile:
    """A family's share of words, shuffled once and dealt a fixed number per row, cycling."""

    def __init__(self, words: list[str], rows: int, rng: random.Random):
        self.words = list(words)
        rng.shuffle(self.words)
        self.per_row = -(-len(self.words) // max(rows, 1))
        self.pos = 0

    def deal(self) -> list[str]:
        out = []
        for _ in range(self.per_row):
            out.append(self.words[self.pos % len(self.words)])
            self.pos += 1
        return out


class _Deck:
    """What one (family, category) generator deals from, one row after another."""

    def __init__(self, family: str, code: str, rng: random.Random):
        terms = _apportion(
            LEXICON[code], f"terms:{code}", {f: LEX_ROWS[f] * LEX_TERM_SLOTS[f] for f in LEX_ROWS}
        )
        half = len(lexicon.SHARED_SETTINGS) // 2
        piles = {}
        for regency, words in (
            (True, lexicon.RURAL_SETTINGS + lexicon.SHARED_SETTINGS[:half]),
            (False, lexicon.URBAN_SETTINGS + lexicon.SHARED_SETTINGS[half:]),
        ):
            weights = {f: _rows_in_mode(f, regency) * LEX_SETTING_SLOTS[f] for f in LEX_ROWS}
            shares = _apportion(words, f"settings:{regency}:{code}", weights)
            piles[regency] = _Pile(shares[family], _rows_in_mode(family, regency), rng)
        self.row = 0
        self.terms = _Pile(terms[family], LEX_ROWS[family], rng)
        self.settings = piles


# The build gives each (family, category) a fresh random.Random and draws every row of it
# from that one generator, so the deck lives as long as its generator and no longer.
_DECKS: "weakref.WeakKeyDictionary[random.Random, _Deck]" = weakref.WeakKeyDictionary()


class _Row:
    """One row's material: terms and setting words (as protected marks), setting, dialect."""

    def __init__(self, family: str, topic: Topic, rng: random.Random, dialect_rate: float):
        deck = _DECKS.get(rng)
        if deck is None:
            deck = _DECKS[rng] = _Deck(family, topic.code, rng)
        self.regency = deck.row % 2 == 0
        deck.row += 1
        self._protected: list[str] = []
        self._kinds: dict[str, str] = {}
        self.terms = [self.mark(t) for t in deck.terms.deal()]
        self.settings = []
        for word in deck.settings[self.regency].deal():
            mark = self.mark(word)
            self.settings.append(mark)
            kind = "who" if word in SETTING_WHO else "place"
            self._kinds[mark] = "event" if word in SETTING_EVENTS else kind
        self.name = rng.choice(c.NAMES)
        self.rt = f"{rng.randint(1, 15):02d}"
        self.rw = f"{rng.randint(1, 9):02d}"
        self.dialect = rng.choice(sorted(LEX_DIALECTS)) if rng.random() < dialect_rate else ""
        regencies, cities = LEX_REGIONS.get(self.dialect, LEX_REGIONS[""])
        if self.regency:
            self.region = rng.choice(regencies)
            self.district = rng.choice(lexicon.RURAL_DISTRICTS)
            self.village = rng.choice(lexicon.VILLAGES)
            hamlet = rng.choice(lexicon.HAMLETS)
            self.hamlet = f"Banjar {hamlet}" if self.dialect == "bali" else f"Dusun {hamlet}"
            self.head = f"Bupati {self.region}"
            self.unit = f"Desa {self.village}"
        else:
            self.region = rng.choice(cities)
            self.district = rng.choice(c.KECAMATAN)
            self.village = rng.choice(c.KELURAHAN)
            self.hamlet = c.street(rng)
            self.head = f"Wali Kota {self.region}"
            self.unit = f"Kelurahan {self.village}"

    def mark(self, text: str) -> str:
        self._protected.append(text)
        return f"⟨{len(self._protected) - 1}⟩"

    def restore(self, text: str, rng: random.Random, lower: float = 0.0) -> str:
        def one(match: re.Match[str]) -> str:
            word = self._protected[int(match.group(1))]
            return word.lower() if rng.random() < lower else word

        return re.sub(r"⟨(\d+)⟩", one, text)

    def place(self, rng: random.Random) -> str:
        if self.regency:
            return rng.choice(
                (
                    f"{self.hamlet}, Desa {self.village}",
                    f"Desa {self.village}",
                    f"Desa {self.village} Kecamatan {self.district}",
                    f"{self.hamlet} RT {self.rt}",
                    f"Desa {self.village}, Kabupaten {self.region}",
                )
            )
        return rng.choice(
            (
                f"Kelurahan {self.village}",
                f"{self.hamlet}, Kelurahan {self.village}",
                f"RT {self.rt} RW {self.rw} Kelurahan {self.village}",
                f"{self.village}, Kota {self.region}",
            )
        )

    def address(self) -> str:
        unit = "Kabupaten" if self.regency else "Kota"
        return (
            f"{self.hamlet} RT {self.rt} RW {self.rw}, {self.unit}, "
            f"Kecamatan {self.district}, {unit} {self.region}"
        )

    def fill(self, template: str, rng: random.Random) -> str:
        """c.fill, but in a regency row {kel} is the row's village, {city} its regency and
        the pemkot the pemkab."""
        if self.regency:
            template = template.replace("{kel}", f"desa {self.village}")
            template = template.replace("{city}", f"Kabupaten {self.region}")
            template = template.replace("pemkot", "pemkab").replace("Pemkot", "Pemkab")
        return c.fill(template, rng)

    def words(self, pool: str, rng: random.Random) -> str:
        """A phrase from the row's dialect pool (open, close), or "" without a dialect."""
        return rng.choice(LEX_DIALECTS[self.dialect][pool]) if self.dialect else ""

    def lead(self, term: str, place: str, rng: random.Random) -> str:
        """The first mention of the row's main term, in the row's dialect if it has one."""
        if self.dialect:
            frame = rng.choice(LEX_DIALECTS[self.dialect]["lead"])
            return frame.replace("{t}", term).replace("{place}", place)
        return rng.choice(LEX_LEADS).replace("{t}", term) + f" di {place}"

    def more(self, terms: list[str], rng: random.Random, formal: bool = False) -> str:
        """One clause naming the row's further terms."""
        if not terms:
            return ""
        if formal:
            pool, conj = LEX_FORMAL_MORE, "dan"
        elif self.dialect:
            pool, conj = LEX_DIALECTS[self.dialect]["more"], LEX_DIALECTS[self.dialect]["and"][0]
        else:
            pool, conj = LEX_MORE, "dan"
        return rng.choice(pool).replace("{t}", _series(terms, conj))

    def setting(self, rng: random.Random, formal: bool = False) -> list[str]:
        """A clause for each kind of setting word the row holds (places, people, meetings)."""
        frames = SETTING_FORMAL if formal else SETTING_FRAMES
        clauses = []
        for kind in ("place", "who", "event"):
            marks = [m for m in self.settings if self._kinds[m] == kind]
            if marks:
                clauses.append(rng.choice(frames[kind]).replace("{s}", _series(marks, "dan")))
        rng.shuffle(clauses)
        return clauses

    def local(self, text: str, rng: random.Random) -> str:
        """Swap the dialect's everyday words into the Indonesian parts of a row."""
        swap = LEX_SWAPS.get(self.dialect)
        return c.regionalize(text, swap, rng, rate=0.5) if swap else text


def _series(items: list[str], conj: str) -> str:
    if len(items) < 3:
        return f" {conj} ".join(items)
    return ", ".join(items[:-1]) + f" {conj} {items[-1]}"


# Regencies and cities where each dialect is spoken: (regencies, cities).
LEX_REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "": (lexicon.REGENCIES, c.CITIES),
    "ngoko": (
        ("Sleman", "Bantul", "Klaten", "Sragen", "Pati", "Jombang", "Nganjuk", "Tulungagung"),
        ("Semarang", "Solo", "Yogyakarta", "Malang", "Surabaya", "Kediri", "Madiun"),
    ),
    "krama": (
        ("Sleman", "Gunungkidul", "Kulon Progo", "Boyolali", "Wonosobo", "Temanggung"),
        ("Yogyakarta", "Surakarta", "Magelang", "Salatiga"),
    ),
    "sunda": (
        ("Garut", "Cianjur", "Sumedang", "Majalengka", "Kuningan", "Subang", "Bandung Barat"),
        ("Bandung", "Bogor", "Sukabumi", "Tasikmalaya", "Cimahi", "Banjar"),
    ),
    "betawi": (("Bekasi", "Tangerang", "Bogor"), ("Depok", "Bekasi", "Tangerang Selatan")),
    "pontianak": (
        ("Kubu Raya", "Mempawah", "Sambas", "Landak", "Sanggau", "Ketapang"),
        ("Pontianak", "Singkawang"),
    ),
    "bali": (
        ("Gianyar", "Tabanan", "Buleleng", "Karangasem", "Klungkung", "Badung"),
        ("Denpasar",),
    ),
}

# Regional pools: openers, a first mention of a term ({t}, {place}), further mentions, closers,
# and the word for "and". Javanese comes as ngoko and as krama; Balinese as alus.
LEX_DIALECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ngoko": {
        "open": ("lur", "rek", "mas admin", "dulur-dulur", "lik", "mbak admin"),
        "lead": (
            "aku arep lapor soal {t} ning {place}",
            "iki lho {t} ning {place} kok ora ono kabare",
            "{t} ning {place} ki piye to, wis suwe ora digubris",
            "arep takon masalah {t} ning {place}, kok meneng wae",
        ),
        "more": ("{t} yo podo wae", "durung maneh soal {t}", "{t} yo ora beres-beres"),
        "close": ("suwun", "matur nuwun", "tulung ya", "ojo meneng wae", "piye iki"),
        "and": ("karo",),
    },
    "krama": {
        "open": ("Nyuwun sewu", "Sugeng enjing", "Kula nuwun", "Nuwun sewu Bapak Ibu"),
        "lead": (
            "kula badhe matur babagan {t} wonten {place}",
            "kula nyuwun pirsa babagan {t} wonten {place}",
            "{t} wonten {place} menika sampun dangu dereng wonten tindak lanjut",
        ),
        "more": (
            "{t} ugi dereng wonten kabar",
            "kalih malih babagan {t}",
            "warga ugi sami sambat babagan {t}",
        ),
        "close": (
            "Matur nuwun sanget",
            "Mugi enggal dipun tanggapi",
            "Nyuwun pangapunten menawi lepat",
        ),
        "and": ("kaliyan",),
    },
    "sunda": {
        "open": ("punten", "sampurasun", "wilujeng enjing", "kang admin", "teh admin"),
        "lead": (
            "abdi bade wadul perkawis {t} di {place}",
            "{t} di {place} teh tos lami teu aya kajelasan",
            "kumaha ieu {t} di {place}, tos sababaraha kali dilaporkeun",
        ),
        "more": ("{t} oge sami wae", "teras perkawis {t} kumaha", "{t} oge teu acan beres"),
        "close": ("hatur nuhun", "nuhun pisan", "punten pisan", "mangga dibantosan"),
        "and": ("sareng",),
    },
    "betawi": {
        "open": ("bang", "bang admin", "aye mau lapor nih", "eh bang", "permisi bang"),
        "lead": (
            "{t} di {place} kagak bener nih, udeh lame",
            "gimane nih soal {t} di {place}, kagak ade yang ngurusin",
            "aye udeh bolak-balik nanya soal {t} di {place}, kagak ade jawaban",
        ),
        "more": ("{t} juga kagak beres", "belon lagi soal {t}", "{t} mah dari kemaren begitu aje"),
        "close": ("makasih ye", "tolongin dah", "jangan diem aje", "kagak bener nih"),
        "and": ("ame",),
    },
    "pontianak": {
        "open": ("bang", "assalamualaikum bang", "permisi kawan admin", "kak admin"),
        "lead": (
            "kamek nak ngadu pasal {t} kat {place}",
            "{t} kat {place} ni dah lame ndak ade kabar",
            "cemane ni {t} kat {place}, kamek dah lapor tapi ndak ade tanggapan",
        ),
        "more": ("{t} pun same jak", "belum agik pasal {t}", "ngape {t} ni ndak diurus bah"),
        "close": ("terima kaseh bah", "tolong ye", "kamek tunggu", "macam mane ni"),
        "and": ("dengan",),
    },
    "bali": {
        "open": ("Om Swastyastu", "Swastyastu", "Nunas ampura"),
        "lead": (
            "tiang jagi matur indik {t} ring {place}",
            "{t} ring {place} sampun sue nenten wenten kepastian",
            "sapunapi niki {t} ring {place}, sampun kaping kalih tiang melapor",
        ),
        "more": ("{t} taler nenten wenten kabar", "indik {t} taler", "{t} taler sampun sue"),
        "close": ("Suksma", "Matur suksma", "Om Shanti Shanti Shanti Om", "Nunas gelis kaurus"),
        "and": ("miwah",),
    },
}
# Dialects whose everyday words common.regionalize can also swap into the Indonesian parts.
LEX_SWAPS = {"ngoko": "jawa", "sunda": "sunda", "betawi": "betawi", "pontianak": "melayu"}

LEX_LEADS = (
    "mau lapor soal {t}",
    "mau menanyakan masalah {t}",
    "ada keluhan terkait {t}",
    "ini tentang {t}",
    "masalah {t} sampai sekarang belum ada kejelasan",
    "urusan {t} ini bagaimana kelanjutannya",
    "mohon perhatian soal {t}",
    "mau mengadukan {t}",
)
LEX_MORE = (
    "{t} juga jadi keluhan",
    "belum lagi soal {t}",
    "ditambah masalah {t}",
    "termasuk soal {t}",
    "{t} juga sama saja",
    "lalu {t} bagaimana",
    "soal {t} juga sudah pernah ditanyakan",
    "{t} juga belum beres",
)
LEX_FORMAL_LEADS = (
    "Dengan ini saya menyampaikan pengaduan mengenai {t} di {place}",
    "Melalui surat ini kami hendak mengadukan permasalahan {t} di {place}",
    "Bersama surat ini saya bermaksud melaporkan persoalan {t} di {place}",
    "Kami warga {place} ingin menyampaikan keluhan terkait {t}",
)
LEX_FORMAL_MORE = (
    "Selain itu, persoalan {t} juga dikeluhkan warga",
    "Kami juga mempertanyakan {t} yang hingga kini belum jelas",
    "Permasalahan {t} pun belum mendapat penanganan",
    "Hal lain yang perlu kami sampaikan adalah soal {t}",
)
SETTING_FRAMES = {
    "place": (
        "di {s} juga begitu",
        "warga di {s} sudah mengeluh",
        "lokasinya dekat {s}",
        "yang di {s} juga sama",
        "kejadian serupa ada di {s}",
        "sampai ke {s} juga kena",
    ),
    "who": (
        "sudah disampaikan ke {s}",
        "{s} juga sudah tahu",
        "mohon perhatian {s}",
        "sudah kami sampaikan kepada {s}",
        "{s} belum turun tangan",
    ),
    "event": ("sudah diusulkan lewat {s}", "sudah dibahas di {s} tapi belum ada hasil"),
}
SETTING_FORMAL = {
    "place": (
        "Kondisi serupa juga dialami warga di {s}",
        "Lokasi tersebut berada dekat {s}",
        "Warga di {s} turut merasakan dampaknya",
    ),
    "who": (
        "Hal ini telah kami sampaikan kepada {s}, namun belum ada tindak lanjut",
        "Kami mohon perhatian {s}",
        "Permasalahan ini sudah diketahui {s}",
    ),
    "event": (
        "Usulan ini telah kami sampaikan dalam {s}",
        "Permasalahan ini pernah dibahas dalam {s}, namun belum ada realisasi",
    ),
}


def _lex_problem(topic: Topic, row: _Row, rng: random.Random) -> str:
    if topic.code == "lainnya":
        return c.fill(rng.choice(topic.problems), rng)
    return row.fill(_pick(rng, (topic.problems, 0.7), (topic.indirect, 0.3)), rng)


def _lex_ask(topic: Topic, row: _Row, rng: random.Random) -> str:
    if topic.code == "lainnya":
        return rng.choice(topic.asks + ("mohon diteruskan ke instansi yang berwenang",))
    return row.fill(_pick(rng, (topic.asks, 0.6), (c.GENERIC_ASKS, 0.4)), rng)


WA_STAMPS = (
    "[{d}/{m}/24 {h}.{mi}] {name}:",
    "{d}/{m}/25 {h}.{mi} - {name}:",
    "[{h}:{mi}, {d}/{m}/2025] {name}:",
)


def lex_wa(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """A private WhatsApp chat to the complaint number: a few short messages, typed fast."""
    row = _Row("lex_wa", topic, rng, dialect_rate=0.5)
    first, *rest = row.terms
    messages = [
        row.words("open", rng) or rng.choice(c.CHAT_OPENERS),
        row.lead(first, row.place(rng), rng),
        _lex_problem(topic, row, rng),
        row.more(rest, rng),
        *row.setting(rng),
        _maybe(rng, 0.3, _duration(topic, rng)),
        _maybe(rng, 0.4, _lex_ask(topic, row, rng)),
        row.words("close", rng) or rng.choice(c.CHAT_CLOSERS),
    ]
    messages = [m for m in messages if m]
    if rng.random() < 0.5:
        text = _join(messages, rng, (" ", ", "))
    else:  # sent as several bubbles
        bubbles = [_join(messages[i : i + 2], rng, (" ", ", ")) for i in range(0, len(messages), 2)]
        text = "\n".join(bubbles)
    text = c.chatify(row.local(text, rng), rng, abbrev_rate=0.6, typo_rate=0.03)
    if "\n" not in text and rng.random() < 0.3:
        stamp = rng.choice(WA_STAMPS)
        for slot, value in (
            ("{d}", str(rng.randint(1, 28))),
            ("{m}", str(rng.randint(1, 12))),
            ("{h}", f"{rng.randint(6, 22):02d}"),
            ("{mi}", f"{rng.randint(0, 59):02d}"),
            ("{name}", row.name.split()[0]),
        ):
            stamp = stamp.replace(slot, value)
        text = f"{stamp} {text}"
    text = _join([text, _maybe(rng, 0.3, rng.choice(c.EMOJI))], rng, (" ",))
    return row.restore(text, rng, lower=0.6)


def _handles(row: _Row, rng: random.Random) -> list[str]:
    slug = row.region.replace(" ", "").lower()
    pool = (
        ("@pemkab{s}", "@humaspemkab{s}", "@bupati{s}", "@info{s}", "@kab.{s}", "@diskominfo{s}")
        if row.regency
        else ("@pemkot{s}", "@humas{s}", "@walikota{s}", "@info{s}", "@kota{s}", "@lapor_{s}")
    )
    return [h.replace("{s}", slug) for h in rng.sample(pool, rng.randint(1, 2))]


POST_OPENERS = ("min", "pak", "tolong", "halo", "mohon izin admin", "permisi", "assalamualaikum")


def lex_post(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """A social media post tagging the regency's or the city's accounts."""
    row = _Row("lex_post", topic, rng, dialect_rate=0.35)
    first, *rest = row.terms
    slug = row.region.replace(" ", "").lower()
    body = _join(
        [
            row.words("open", rng) or _maybe(rng, 0.5, rng.choice(POST_OPENERS)),
            row.lead(first, row.place(rng), rng),
            _lex_problem(topic, row, rng),
            row.more(rest, rng),
            *row.setting(rng),
            _maybe(rng, 0.4, _lex_ask(topic, row, rng)),
        ],
        rng,
        (". ", ", "),
    )
    body = row.local(body, rng)
    if rng.random() < 0.6:
        body = c.chatify(body, rng, abbrev_rate=0.4, typo_rate=0.02)
    else:
        body = c.sentence(c.squash(body))
    handles = " ".join(_handles(row, rng))
    tags = " ".join(rng.sample((f"#{slug}", f"#{slug}hariini", "#suarawarga", "#lapor"), 2))
    tagged = f"{handles} {body} {tags}" if rng.random() < 0.5 else f"{body}\n\n{handles} {tags}"
    return row.restore(tagged, rng, lower=0.3)


LETTER_JOBS = (
    "Petani",
    "Wiraswasta",
    "Ibu Rumah Tangga",
    "Karyawan Swasta",
    "Pensiunan",
    "Nelayan",
    "Tukang Kayu",
)
LETTER_OPENINGS = {
    "": (
        "Dengan hormat,",
        "Assalamualaikum warahmatullahi wabarakatuh,",
        "Salam sejahtera,",
        "Dengan hormat, semoga Bapak/Ibu senantiasa sehat.",
    ),
    "krama": ("Kanthi hormat,", "Nuwun sewu, dengan hormat,"),
    "sunda": ("Sampurasun, dengan hormat,",),
    "bali": ("Om Swastyastu,",),
}
LETTER_CLOSINGS = (
    "Demikian pengaduan ini kami sampaikan, atas perhatiannya kami ucapkan terima kasih.",
    "Atas perhatian Bapak/Ibu saya ucapkan terima kasih.",
    "Besar harapan kami pengaduan ini segera ditindaklanjuti. Terima kasih.",
    "Atas perhatian dan kebijaksanaan Bapak/Ibu, kami ucapkan terima kasih.",
)
LETTER_DIALECT_CLOSINGS = {
    "krama": "Matur nuwun sanget.",
    "sunda": "Hatur nuhun.",
    "bali": "Om Shanti Shanti Shanti Om.",
}


def lex_letter(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """A formal letter to the Bupati or Wali Kota: salutation, identity, body, closing."""
    row = _Row("lex_letter", topic, rng, dialect_rate=0.0)
    if rng.random() < 0.2:  # a letter keeps to the polite registers
        row.dialect = rng.choice(("krama", "sunda", "bali"))
    first, *rest = row.terms
    sir = rng.choice(("Bapak", "Ibu"))
    to = rng.choice(
        (
            f"Kepada Yth.\n{sir} {row.head}\ndi Tempat",
            f"Yth. {sir} {row.head}\ndi {row.region}",
            f"Kepada Yth. {sir} {row.head}\nc.q. Kepala Dinas terkait",
        )
    )
    subject = f"{rng.choice(('Perihal', 'Hal'))}: Pengaduan terkait {first}"
    identity = [
        "Yang bertanda tangan di bawah ini:",
        f"Nama: {row.name}",
        _maybe(rng, 0.6, f"Pekerjaan: {rng.choice(LETTER_JOBS)}"),
        f"Alamat: {row.address()}",
        _maybe(rng, 0.4, f"No. HP: 08{rng.randint(11, 59)}{rng.randint(1000000, 9999999)}"),
    ]
    place = row.place(rng)
    body = [
        row.lead(first, row.unit, rng) if row.dialect == "krama" else "",
        rng.choice(LEX_FORMAL_LEADS).replace("{t}", first).replace("{place}", place),
        _lex_problem(topic, row, rng),
        _maybe(rng, 0.5, f"Kondisi ini {_since(_duration(topic, rng))}"),
        row.more(rest, rng, formal=True),
        *row.setting(rng, formal=True),
        _maybe(rng, 0.5, f"Akibatnya {_effect(topic, rng)}"),
        "Oleh karena itu, " + _lex_ask(topic, row, rng),
    ]
    paragraph = " ".join(c.sentence(c.squash(s)) for s in body if s)
    closing = rng.choice(LETTER_CLOSINGS)
    if row.dialect:
        closing += " " + LETTER_DIALECT_CLOSINGS[row.dialect]
    town = row.region if rng.random() < 0.5 else row.village
    date = f"{town}, {rng.randint(1, 28)} {rng.choice(c.MONTHS)} {rng.choice((2024, 2025))}"
    sign = f"{date}\n{rng.choice(('Hormat saya,', 'Hormat kami,', 'Pelapor,'))}\n{row.name}"
    copies = _maybe(rng, 0.2, f"\nTembusan: Ketua RT {row.rt}, Ketua RW {row.rw}")
    opening = rng.choice(LETTER_OPENINGS[row.dialect])
    head = "\n".join(line for line in identity if line)
    text = f"{to}\n{subject}\n\n{opening}\n{head}\n\n{paragraph}\n{closing}\n\n{sign}{copies}"
    return row.restore(text, rng)


NARRATIVE_INTROS = (
    "Mohon maaf kalau tulisan saya panjang.",
    "Izin bercerita, Bapak/Ibu.",
    "Sudah lama saya ingin menulis ini.",
    "Begini ceritanya, Pak.",
    "Saya bingung harus mengadu ke mana, jadi saya tulis di sini.",
    "",
)
NARRATIVE_ASIDES = (
    "Sebenarnya ada juga soal {o}, {short}, tapi itu bisa menyusul",
    "Memang ada juga {o}, {short}, tetapi yang paling mendesak tetap yang di atas",
    "Kemarin sempat juga kami keluhkan {o}, {short}, namun itu urusan lain",
    "Di tempat kami juga ada {o}, {short}, tapi fokus saya yang pertama tadi",
)


def lex_narrative(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """A long account that touches a second matter in passing; the first one is the label."""
    row = _Row("lex_narrative", topic, rng, dialect_rate=0.2)
    first, *rest = row.terms
    who = rng.choice(
        (
            f"Saya {row.name}, warga {row.address()}.",
            f"Nama saya {row.name}, tinggal di {row.place(rng)}.",
            f"Saya warga {row.unit}, Kecamatan {row.district}.",
        )
    )
    lead = row.lead(first, row.place(rng), rng)
    if row.dialect:
        lead = f"{row.words('open', rng)}, {lead}"
    if topic.code == "lainnya":
        aside = rng.choice(lx.THANKS)
    else:
        other = rng.choice([t for t in others if t.code not in (topic.code, "lainnya")])
        aside = (
            rng.choice(NARRATIVE_ASIDES)
            .replace("{o}", rng.choice(LEXICON[other.code]))
            .replace("{short}", c.fill(rng.choice(other.short), rng))
        )
    parts = [
        rng.choice(NARRATIVE_INTROS),
        who,
        lead,
        _lex_problem(topic, row, rng),
        _maybe(rng, 0.6, f"Ini {_since(_duration(topic, rng))}"),
        row.more(rest, rng),
        *row.setting(rng),
        _effect(topic, rng),
        aside,
        _lex_ask(topic, row, rng),
    ]
    text = " ".join(c.sentence(c.squash(row.local(p, rng))) for p in parts if p)
    return row.restore(text, rng)


VOICE_MARKS = (
    "[pesan suara]",
    "(VN)",
    "Transkrip VN:",
    "[voice note 0:{s}]",
    "vn dari warga:",
)
VOICE_FILLERS = ("eee", "anu", "apa namanya", "gitu", "ya kan", "hmm", "nah", "jadi", "itu lho")
VOICE_OPENERS = (
    "halo halo",
    "assalamualaikum min",
    "halo pak ini kedengeran ya",
    "iya halo",
    "ini saya rekam ya pak",
)
VOICE_CLOSERS = ("ya udah itu aja", "makasih ya", "itu aja pak", "tolong ya")


def lex_voice(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """A voice note as transcribed: lower case, fillers, pauses, no punctuation."""
    row = _Row("lex_voice", topic, rng, dialect_rate=0.5)
    first, *rest = row.terms
    parts = [
        row.words("open", rng) or rng.choice(VOICE_OPENERS),
        f"ini saya {row.name.split()[0]} dari {row.unit}",
        row.lead(first, row.hamlet if row.regency else row.unit, rng),
        _lex_problem(topic, row, rng),
        row.more(rest, rng),
        *row.setting(rng),
        _maybe(rng, 0.3, _duration(topic, rng)),
        _maybe(rng, 0.4, _lex_ask(topic, row, rng)),
        row.words("close", rng) or rng.choice(VOICE_CLOSERS),
    ]
    spoken = []
    for part in parts:
        if rng.random() < 0.4:
            spoken.append(rng.choice(VOICE_FILLERS))
        spoken.append(row.local(re.sub(r"[.,;:!?]", "", part).lower(), rng))
        if rng.random() < 0.05:
            spoken.append("[tidak jelas]")
    text = re.sub(r"\s+", " ", " ... ".join(p for p in spoken if p))
    mark = rng.choice(VOICE_MARKS).replace("{s}", f"{rng.randint(20, 59)}")
    return row.restore(f"{mark} {text}", rng, lower=0.8)


ONELINERS = (
    "{t} di {place}, mohon dicek",
    "tolong {t} di {place}",
    "{t} di {place} gimana kabarnya",
    "{place}: {t}, {dur}",
    "lapor {t} di {place}",
    "{t} di {place} {dur}, tolong",
    "kapan {t} di {place} diurus",
)


def lex_oneliner(topic: Topic, others: list[Topic], rng: random.Random) -> str:
    """One line, as sent by someone in a hurry."""
    row = _Row("lex_oneliner", topic, rng, dialect_rate=0.35)
    first, *rest = row.terms
    place = row.unit if rng.random() < 0.5 else row.hamlet
    if row.dialect:
        text = row.lead(first, place, rng)
    else:
        frame = rng.choice(ONELINERS).replace("{dur}", _duration(topic, rng))
        text = frame.replace("{t}", first).replace("{place}", place)
    text = _join([text, row.more(rest, rng), *row.setting(rng)], rng, (", ",))
    if rng.random() < 0.5:
        text = c.chatify(row.local(text, rng), rng, abbrev_rate=0.5, typo_rate=0.02)
    text += rng.choice(("", "", "?", "!!", " 🙏", "."))
    return row.restore(text, rng, lower=0.5)


FAMILIES.update(
    {
        # the lexicon families, LEX_ROWS lines per category each
        family: (make, LEX_ROWS[family])
        for family, make in (
            ("lex_wa", lex_wa),
            ("lex_post", lex_post),
            ("lex_letter", lex_letter),
            ("lex_narrative", lex_narrative),
            ("lex_voice", lex_voice),
            ("lex_oneliner", lex_oneliner),
        )
    }
)
