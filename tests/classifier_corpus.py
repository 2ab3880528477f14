"""A small synthetic corpus of templated complaints for the classifier tests.

The real corpus is large and slow to train on; these sentences give every category its own
vocabulary across three "sources" written in different styles, which is enough to test
behaviour (determinism, thresholds, retraining), not accuracy. (A module of its own, not
conftest, so tests can import it by a name no other test folder uses.)
"""

import random
from datetime import UTC, datetime

from classifier.dataset import CATEGORIES, Example

# Two phrases per category that only that category uses.
PHRASES = {
    "jalan": ["jalan berlubang besar", "aspal jalan rusak parah"],
    "drainase": ["selokan mampet penuh lumpur", "gorong gorong tersumbat"],
    "sampah": ["sampah menumpuk tidak diangkut", "tps liar bau sampah"],
    "pencemaran": ["limbah pabrik mencemari sungai", "asap pabrik bikin sesak"],
    "taman_pohon": ["pohon tumbang menimpa pagar", "dahan pohon hampir patah"],
    "penerangan_jalan": ["lampu jalan mati total", "pju padam gelap gulita"],
    "lalu_lintas": ["lampu merah perempatan rusak", "angkot ngetem bikin macet"],
    "parkir": ["jukir liar minta uang parkir", "parkir liar di trotoar"],
    "kesehatan": ["antrean puskesmas lama sekali", "fogging demam berdarah belum ada"],
    "kependudukan": ["ktp elektronik belum jadi", "akta kelahiran anak lama"],
    "pendidikan": ["pungutan sekolah negeri mahal", "ppdb zonasi tidak adil"],
    "ketertiban": ["pedagang kaki lima di trotoar", "karaoke buka sampai pagi"],
    "sosial": ["bansos pkh tidak tepat sasaran", "anak jalanan mengemis di lampu"],
    "air_bersih": ["air pdam mati seminggu", "air keruh dari pipa pdam"],
    "kebakaran": ["rumah terbakar api besar", "sarang tawon di atap rumah"],
    "bencana": ["banjir masuk rumah warga mengungsi", "tanah longsor menutup kampung"],
    "perizinan": ["izin usaha oss lama keluar", "pengurusan pbg dipersulit"],
    "pajak_daerah": ["tagihan pbb naik tinggi", "denda pajak bumi bangunan"],
    "aparatur": ["pegawai kelurahan minta pungli", "pns kecamatan sering bolos"],
    "layanan_digital": ["aplikasi pemkot error terus", "wifi taman kota tidak konek"],
    "pasar": ["harga cabai di pasar naik", "elpiji tiga kilo langka"],
    "ketenagakerjaan": ["thr karyawan belum dibayar", "gaji di bawah umk"],
    "lainnya": ["terima kasih atas pelayanannya", "selamat pagi admin salam kenal"],
}
STYLES = {
    "formal": ["Dengan hormat, kami laporkan {p} di {w}.", "Mohon ditindaklanjuti: {p} di {w}."],
    "chat": ["min {p} di {w} gmn nih", "tlg dong {p} udh lama bgt di {w}"],
    "twitter": ["@pemkot {p} di {w}!! parah 😡", "{p} lagi di {w}, kapan beres? #lapor"],
}
PLACES = ["kelurahan sukamaju", "rt 05 rw 02", "dekat masjid", "jalan melati", "kampung baru"]


def synthetic_examples(per_style: int = 4, seed: int = 0) -> list[Example]:
    rng = random.Random(seed)
    examples = []
    for category in CATEGORIES:
        for source, templates in STYLES.items():
            for _ in range(per_style):
                text = rng.choice(templates).format(
                    p=rng.choice(PHRASES[category]), w=rng.choice(PLACES)
                )
                examples.append(Example(text, category, source))
        # Real complaints mention other matters in passing; these blur the edges, so the
        # model is not certain of everything and the threshold means something.
        other = rng.choice([c for c in CATEGORIES if c != category])
        for source in STYLES:
            text = f"{rng.choice(PHRASES[category])} dan juga {rng.choice(PHRASES[other])}"
            examples.append(Example(text, category, source))
    return examples


TRAINED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
