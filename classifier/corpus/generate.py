"""Style families: each turns a category's fragment pools into one complaint text.

A family is a writing style (chat, caps rant, regional mix, tweet, WhatsApp group, web form,
question, story) or a content pattern (indirect, two issues, boundary). Every family produces
every category, lainnya included, so grouping cross-validation by family measures whether the
model learned the topic rather than the style.
"""

import random
from collections.abc import Callable

from classifier.corpus import common as c
from classifier.corpus import lainnya as lx
from classifier.corpus.boundary import BOUNDARY
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
