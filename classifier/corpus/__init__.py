"""Labelled training corpus for the complaint classifier, written for this project.

Generators compose complaints from independent slot fragments (opening, problem, place,
duration, consequence, request, closing) in several writing styles; `build` writes
`classifier/data/complaints.jsonl` and `classifier/data/holdout.jsonl` deterministically.
"""

CATEGORIES: tuple[str, ...] = (
    "jalan",
    "drainase",
    "sampah",
    "pencemaran",
    "taman_pohon",
    "penerangan_jalan",
    "lalu_lintas",
    "parkir",
    "kesehatan",
    "kependudukan",
    "pendidikan",
    "ketertiban",
    "sosial",
    "air_bersih",
    "kebakaran",
    "bencana",
    "perizinan",
    "pajak_daerah",
    "aparatur",
    "layanan_digital",
    "pasar",
    "ketenagakerjaan",
    "lainnya",
)
