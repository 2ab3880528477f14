"""Clauses on both sides of each line drawn in taxonomy.md ("where the line falls").

Each clause names the thing that decides the label, so the pair teaches the distinction:
a flooded road is drainage or disaster, smoke from burning rubbish is pollution, and so on.
"""

BOUNDARY: dict[str, tuple[str, ...]] = {
    "drainase": (
        "jalan di depan {lm} tergenang setinggi lutut tiap hujan karena gotnya mampet",
        "jalan raya di {st} jadi seperti sungai setiap hujan karena saluran airnya buntu",
        "jalan kampung kebanjiran setiap sore hujan, airnya tidak bisa masuk selokan",
        "aspal di {st} terendam genangan sampai dua hari karena gorong-gorongnya tersumbat",
        "air hujan menggenangi jalan dan halaman rumah warga karena parit tidak pernah dikeruk",
        "genangan di jalan depan {lm} itu bukan karena jalannya, tapi gotnya tertutup tanah",
        "underpass dekat {lm} banjir sepinggang setiap hujan karena pompanya mati",
        "sampah menyumbat gorong-gorong sehingga air meluap ke jalan",
    ),
    "bencana": (
        "banjir di {kel} sudah masuk rumah dan warga mulai mengungsi ke balai RW",
        "jalan dan rumah-rumah di {kel} terendam banjir sepinggang, warga dievakuasi",
        "pohon tumbang di belasan ruas jalan dan atap rumah rusak setelah badai semalam",
        "angin kencang semalam menumbangkan pohon di banyak jalan dan merobohkan rumah warga",
        "air sungai meluap menenggelamkan jalan dan rumah, warga butuh perahu karet",
        "banjir setinggi dada memaksa warga {kel} mengungsi ke masjid",
        "tanah longsor menutup jalan desa dan menimbun dua rumah warga",
        "puting beliung merusak puluhan rumah dan menumbangkan pohon di seluruh kelurahan",
    ),
    "jalan": (
        "lubang di {st} kalau hujan tertutup genangan dan tidak kelihatan, aspalnya memang sudah hancur",
        "setelah banjir surut aspal di {st} mengelupas dan berlubang besar",
        "jalan di depan {lm} berlubang dalam, bukan soal got, aspalnya yang rusak",
        "jembatan kecil di {kel} papannya patah, kendaraan tidak bisa lewat",
        "polisi tidur di depan {lm} terlalu tinggi dan tidak dicat",
    ),
    "pencemaran": (
        "tetangga membakar sampah plastik tiap sore dan asapnya masuk ke kamar anak saya",
        "asap dari pembakaran sampah di lahan kosong dekat {lm} membuat warga sesak napas",
        "orang membakar tumpukan sampah di pinggir {st} setiap malam, asapnya pekat dan bau",
        "bau asap bakaran sampah dari belakang rumah membuat anak-anak batuk",
        "suara mesin pabrik di dekat {lm} bising sepanjang malam",
        "bunyi gerinda dan mesin bengkel las di sebelah rumah berisik dari pagi sampai malam",
        "pabrik di {kel} membuang limbah sehingga air sumur warga berbau",
    ),
    "sampah": (
        "sampah menumpuk di lahan kosong dekat {lm} dan belum diangkut, belum ada yang membakar",
        "TPS di {kel} penuh dan sampahnya meluber ke jalan",
        "orang membuang sampah sembarangan di bantaran kali dekat {lm}",
        "gerobak sampah tidak datang sehingga kantong sampah menumpuk di depan rumah",
    ),
    "ketertiban": (
        "karaoke di {st} berisik sampai jam tiga pagi dan warga tidak bisa tidur",
        "suara musik keras dari kafe dan bar di dekat {lm} mengganggu setiap malam",
        "tempat hiburan malam di {kel} bising dan pengunjungnya sering mabuk",
        "pedagang kaki lima memenuhi trotoar di depan {lm}",
        "lapak PKL di {st} memakan jalur pejalan kaki",
        "pengamen dewasa dan preman mabuk membuat onar di {lm}",
    ),
    "sosial": (
        "ada gelandangan dan anak jalanan tidur di trotoar depan {lm}",
        "anak-anak jalanan mengamen dan meminta-minta di lampu merah {st}",
        "orang dengan gangguan jiwa tidur di emperan toko di {st}",
        "seorang pengemis tua tidur di halte dekat {lm} setiap malam",
        "anak-anak putus sekolah mengemis di perempatan sampai malam",
    ),
    "taman_pohon": (
        "satu pohon besar tumbang di depan {lm} dan menutupi jalan, belum ada yang memotong",
        "dahan pohon patah tertiup angin dan menimpa pagar rumah di {st}",
        "pohon tua di pinggir {st} condong ke jalan dan bisa roboh kalau hujan angin",
        "ranting pohon di depan rumah patah dan menggantung di atas jalan",
    ),
    "lalu_lintas": (
        "lampu lalu lintas di perempatan {st} mati dan kendaraan saling serobot",
        "traffic light di simpang {lm} cuma menyala merah terus",
        "lampu merah di dekat {lm} padam sejak kemarin, rawan tabrakan",
        "lampu hijau di persimpangan {st} tidak menyala",
        "angkot ngetem di badan jalan depan {lm} menyebabkan macet panjang",
        "bus berhenti sembarangan di tengah jalan untuk menaikkan penumpang",
    ),
    "penerangan_jalan": (
        "lampu jalan di {st} mati, bukan lampu merahnya, tapi lampu penerangan di tiangnya",
        "lampu PJU di dekat perempatan {lm} padam sehingga jalan gelap",
        "lampu penerangan di sepanjang {st} mati padahal lampu lalu lintasnya menyala",
    ),
    "parkir": (
        "mobil-mobil parkir di kedua sisi {st} sampai jalan tidak bisa dilewati",
        "mobil parkir menutup jalan di depan {lm} sehingga terjadi macet",
        "truk parkir di badan jalan {st} dan menghalangi kendaraan lain",
        "kendaraan pengunjung restoran parkir di jalan sehingga arus macet",
        "mobil tamu parkir di depan gang dan menutup akses jalan warga",
    ),
    "aparatur": (
        "oknum pegawai kelurahan meminta uang kepada pedagang di {lm} dengan alasan keamanan",
        "pegawai dinas memeras warga dengan ancaman akan melaporkan rumahnya",
        "oknum ASN kecamatan meminta uang lima ratus ribu untuk surat keterangan waris",
        "petugas kelurahan meminta uang untuk memasukkan nama ke daftar penerima bantuan",
        "pegawai dinas minta uang rokok kepada sopir truk yang lewat {st}",
    ),
    "perizinan": (
        "petugas perizinan meminta uang tambahan supaya izin usaha saya cepat terbit",
        "pengurusan PBG dipersulit dan ada yang menawarkan jalur cepat berbayar",
        "izin usaha saya sengaja diperlambat karena saya tidak mau memberi uang",
        "oknum di loket perizinan meminta biaya di luar ketentuan untuk izin reklame",
    ),
    "air_bersih": (
        "pipa PDAM pecah di {st} dan airnya menggenangi jalan",
        "kebocoran pipa PDAM membuat aspal di depan {lm} basah terus dan air bersih terbuang",
    ),
    "kebakaran": (
        "ada api besar dari tumpukan sampah yang merambat ke rumah warga, mohon damkar",
        "hidran di depan {lm} tidak keluar air saat ada kebakaran",
        "kebakaran di pasar {kel}, api sudah membakar beberapa kios",
    ),
    "kesehatan": (
        "tolong fogging di RW kami karena sudah ada tiga warga kena DBD",
        "pasien BPJS Kesehatan ditolak di rumah sakit dengan alasan kamar penuh",
    ),
    "ketenagakerjaan": (
        "perusahaan tempat saya bekerja menahan ijazah asli dan tidak mau mengembalikan",
        "iuran BPJS Ketenagakerjaan saya tidak disetor perusahaan",
    ),
    "pendidikan": (
        "sekolah negeri menahan ijazah anak saya karena uang komite belum lunas",
        "kepala sekolah meminta uang supaya anak saya diterima di sekolah negeri",
    ),
    "layanan_digital": (
        "aplikasi antrean online untuk mengurus KTP tidak bisa dibuka, errornya di aplikasinya",
        "website pembayaran PBB milik pemkot down terus",
        "wifi gratis di taman kota mati, tamannya sendiri sudah bagus",
    ),
    "kependudukan": (
        "KTP saya belum dicetak karena blangko habis, bukan masalah aplikasinya",
        "data KK saya salah dan harus diperbaiki di Disdukcapil",
    ),
    "pajak_daerah": (
        "pajak parkir di mal dibebankan ke pengunjung tanpa bukti setor",
        "PBB saya naik tiga kali lipat, pembayarannya lewat aplikasi lancar tapi jumlahnya tidak wajar",
    ),
    "pasar": (
        "pasar {kel} kotor dan becek, saluran di dalam pasar tidak berfungsi",
        "gas LPG langka, harga di pengecer tiga puluh ribu",
        "pasar {kel} bau busuk, sampah pedagang menumpuk di lorong pasar dan tidak dibersihkan pengelola",
        "lorong-lorong di dalam pasar kotor dan becek, pengelola pasar diam saja",
    ),
    "lainnya": (
        "tetangga menyetel musik keras di rumahnya sendiri saat hajatan keluarga",
        "pohon di halaman tetangga daunnya rontok ke halaman saya, kami bertengkar",
        "listrik PLN di rumah saya padam sejak kemarin",
        "terima kasih, jalan di depan rumah sudah diaspal",
        "terima kasih, lampu jalan yang saya laporkan sudah diganti",
        "saya berselisih dengan tetangga soal batas pagar",
        "banjir di Jakarta kemarin parah sekali ya, semoga cepat surut",
        "sinyal internet operator seluler di kampung kami lemah",
    ),
}
