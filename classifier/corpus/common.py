"""Category-neutral slot pools (places, times, people, openings) and style transforms.

Nothing here may hint at a category: every pool is drawn for every category, lainnya
included, so the classifier cannot learn a style or a place as a shortcut.
"""

import random
import re

CITIES = (
    "Surabaya",
    "Bandung",
    "Semarang",
    "Medan",
    "Makassar",
    "Palembang",
    "Depok",
    "Bekasi",
    "Bogor",
    "Tangerang",
    "Malang",
    "Solo",
    "Yogyakarta",
    "Pekanbaru",
    "Pontianak",
    "Banjarmasin",
    "Balikpapan",
    "Samarinda",
    "Manado",
    "Padang",
    "Denpasar",
    "Mataram",
    "Kupang",
    "Jambi",
    "Bengkulu",
    "Bandar Lampung",
    "Cirebon",
    "Tasikmalaya",
    "Tegal",
    "Pekalongan",
    "Kediri",
    "Madiun",
    "Jember",
    "Sidoarjo",
    "Gresik",
    "Batam",
    "Ambon",
    "Jayapura",
    "Palu",
    "Kendari",
    "Gorontalo",
    "Serang",
    "Cilegon",
    "Sukabumi",
    "Cimahi",
    "Magelang",
    "Salatiga",
    "Blitar",
    "Probolinggo",
    "Pasuruan",
    "Binjai",
    "Pematangsiantar",
    "Dumai",
    "Tanjungpinang",
    "Lubuklinggau",
    "Prabumulih",
    "Tarakan",
    "Bontang",
    "Parepare",
    "Palopo",
    "Bitung",
    "Ternate",
    "Sorong",
    "Bima",
    "Banda Aceh",
    "Lhokseumawe",
    "Sabang",
    "Bukittinggi",
    "Payakumbuh",
    "Pangkalpinang",
    "Singkawang",
    "Palangka Raya",
    "Mojokerto",
    "Batu",
    "Surakarta",
    "Banjar",
    "Tangerang Selatan",
    "Padang Panjang",
    "Sawahlunto",
)

KELURAHAN = (
    "Sukajadi",
    "Sukamaju",
    "Karanganyar",
    "Kebonsari",
    "Tegalrejo",
    "Sidomulyo",
    "Margorejo",
    "Sumbersari",
    "Kedungkandang",
    "Bojongsari",
    "Cibeunying",
    "Cipamokolan",
    "Pondok Cina",
    "Kemiling",
    "Tamalanrea",
    "Panakkukang",
    "Helvetia",
    "Sei Sikambing",
    "Tanjung Rejo",
    "Simpang Tiga",
    "Labuh Baru",
    "Sungai Bangkong",
    "Kuin Utara",
    "Gunung Sari",
    "Kampung Baru",
    "Pasar Baru",
    "Rawa Buaya",
    "Jatimulyo",
    "Ngaliyan",
    "Pedurungan",
    "Tembalang",
    "Banyumanik",
    "Genuk",
    "Mulyorejo",
    "Wonokromo",
    "Rungkut",
    "Kenjeran",
    "Sukolilo",
    "Gubeng",
    "Tandes",
    "Lowokwaru",
    "Blimbing",
    "Klojen",
    "Cicendo",
    "Antapani",
    "Arcamanik",
    "Ujungberung",
    "Cibiru",
    "Kiaracondong",
    "Batununggal",
    "Sekeloa",
    "Cigadung",
    "Bubulak",
    "Tanah Sareal",
    "Cibuluh",
    "Harjamukti",
    "Kesambi",
    "Pekiringan",
    "Kalijaga",
    "Mergangsan",
    "Gondokusuman",
    "Umbulharjo",
    "Kotagede",
    "Baciro",
    "Wirobrajan",
    "Laweyan",
    "Jebres",
    "Banjarsari",
    "Pasar Kliwon",
    "Serengan",
    "Mojosongo",
    "Kadipiro",
    "Tampan",
    "Marpoyan",
    "Sail",
    "Rumbai",
    "Sukarame",
    "Kedaton",
    "Rajabasa",
    "Way Halim",
    "Panjang Utara",
    "Telanaipura",
    "Kotabaru",
    "Sekip Jaya",
    "Ilir Barat",
    "Plaju",
    "Kertapati",
    "Talang Kelapa",
    "Bontoala",
    "Mariso",
    "Rappocini",
    "Biringkanaya",
    "Manggala",
    "Paal Dua",
    "Wenang",
    "Tikala",
    "Kuranji",
    "Koto Tangah",
    "Nanggalo",
    "Lubuk Begalung",
    "Dangung-Dangung",
    "Sanur Kaja",
    "Pemecutan",
    "Dauh Puri",
    "Ampenan Utara",
    "Cakranegara",
    "Oebobo",
    "Kelapa Lima",
    "Batu Ampar",
    "Sagulung",
    "Sekupang",
    "Bengkong",
    "Lubuk Baja",
    "Sungai Pinang",
    "Loa Bakung",
    "Klandasan",
    "Gunung Samarinda",
    "Sepinggan",
    "Baloi Permai",
    "Tanjung Uncang",
    "Kampung Melayu",
    "Karang Anyar",
    "Jati",
    "Pasirkaliki",
    "Cijerah",
    "Cigugur Tengah",
    "Leuwigajah",
    "Pabuaran",
    "Cipayung",
    "Beji",
    "Sawangan",
    "Cinere",
    "Bojong Gede",
    "Jatiasih",
    "Margahayu",
    "Pekayon",
    "Harapan Jaya",
    "Kaliabang",
    "Karawaci",
    "Cipondoh",
    "Periuk",
    "Ciledug",
    "Serpong",
    "Pamulang",
    "Ciputat",
    "Bintaro",
    "Kademangan",
    "Mayangan",
    "Bugul Kidul",
    "Gadingrejo",
    "Sananwetan",
    "Kepanjenkidul",
    "Ngronggo",
    "Mojoroto",
    "Manguharjo",
    "Taman",
    "Kartoharjo",
)

KECAMATAN = (
    "Kota Barat",
    "Kota Timur",
    "Kota Selatan",
    "Kota Utara",
    "Tengah",
    "Pedurungan",
    "Tembalang",
    "Sukolilo",
    "Rungkut",
    "Lowokwaru",
    "Klojen",
    "Cibeunying Kaler",
    "Coblong",
    "Sukasari",
    "Bogor Barat",
    "Tanah Sareal",
    "Harjamukti",
    "Umbulharjo",
    "Laweyan",
    "Banjarsari",
    "Jebres",
    "Tampan",
    "Marpoyan Damai",
    "Kedaton",
    "Way Halim",
    "Ilir Timur I",
    "Seberang Ulu II",
    "Panakkukang",
    "Rappocini",
    "Wenang",
    "Kuranji",
    "Denpasar Selatan",
    "Ampenan",
    "Oebobo",
    "Batu Ampar",
    "Sagulung",
    "Sungai Kunjang",
    "Balikpapan Kota",
    "Beji",
    "Cimanggis",
    "Bekasi Timur",
    "Medan Satria",
    "Karawaci",
    "Ciledug",
    "Pamulang",
    "Ciputat Timur",
    "Kademangan",
    "Mojoroto",
    "Kartoharjo",
    "Medan Helvetia",
    "Medan Johor",
    "Medan Tembung",
    "Pontianak Barat",
    "Banjarmasin Utara",
)

STREET_NAMES = (
    "Merdeka",
    "Sudirman",
    "Diponegoro",
    "Ahmad Yani",
    "Gatot Subroto",
    "Pahlawan",
    "Kartini",
    "Veteran",
    "Imam Bonjol",
    "Teuku Umar",
    "Cut Nyak Dien",
    "Hasanuddin",
    "Pattimura",
    "Gajah Mada",
    "Hayam Wuruk",
    "Siliwangi",
    "Mawar",
    "Melati",
    "Kenanga",
    "Anggrek",
    "Flamboyan",
    "Cempaka",
    "Raya Bogor",
    "Kaliurang",
    "Magelang",
    "Kapten Tendean",
    "Sisingamangaraja",
    "Urip Sumoharjo",
    "Perintis Kemerdekaan",
    "Dr. Wahidin",
    "Ki Hajar Dewantara",
    "RA Kartini",
    "Sultan Agung",
    "Pemuda",
    "Pramuka",
    "Kolonel Sugiono",
    "Letjen Suprapto",
    "MT Haryono",
    "S. Parman",
    "Dr. Soetomo",
    "Basuki Rahmat",
    "Panglima Sudirman",
    "Yos Sudarso",
    "Sam Ratulangi",
    "Pangeran Antasari",
    "Juanda",
    "Cendrawasih",
    "Rajawali",
    "Nusantara",
    "Kebon Jeruk",
    "Cipto Mangunkusumo",
    "Tuanku Tambusai",
    "Arifin Ahmad",
    "Soekarno Hatta",
    "Ringroad Utara",
    "Lingkar Selatan",
    "Mangga Dua",
    "Kemuning",
    "Teratai",
    "Dahlia",
    "Nangka",
    "Rambutan",
    "Durian",
    "Jambu",
    "Kelapa Gading",
    "Bougenville",
    "Seroja",
    "Haji Agus Salim",
    "Hos Cokroaminoto",
    "Wolter Monginsidi",
    "Adisucipto",
)

GANG = (
    "Gg. Masjid",
    "Gg. Mangga",
    "Gg. Haji Naim",
    "Gg. Buntu",
    "Gg. Damai",
    "Gg. Sawo",
    "Gg. Langgar",
    "Gg. Rukun",
    "Gg. Kelinci",
    "Gg. Sepakat",
    "Gg. Kenari",
    "Gg. III",
    "Gang Makam",
    "Gang Pelita",
    "Gang Swadaya",
    "Gang Mushola",
)

PERUMAHAN = (
    "Perum Griya Asri",
    "Komplek Bumi Indah",
    "Perumnas Klender",
    "Griya Permata",
    "Perum Taman Sari",
    "Komplek Pondok Hijau",
    "Perumahan Villa Mutiara",
    "Puri Indah",
    "Perum Bukit Sejahtera",
    "Komplek Dosen",
    "Perum Graha Kencana",
    "Cluster Anggrek",
)

LANDMARKS = (
    "masjid Al-Ikhlas",
    "masjid raya",
    "mushola Nurul Huda",
    "SDN 3",
    "SMPN 12",
    "pasar lama",
    "indomaret",
    "alfamart",
    "pertigaan",
    "bundaran",
    "kantor pos",
    "gereja",
    "pom bensin",
    "puskesmas",
    "kantor kelurahan",
    "balai RW",
    "pos ronda",
    "lapangan bola",
    "stasiun",
    "terminal",
    "RSUD",
    "kampus",
    "bank BRI",
    "warung bakso",
    "toko bangunan",
    "bengkel motor",
    "SPBU",
    "kantor camat",
    "alun-alun",
    "tugu",
    "jembatan kali",
    "rel kereta",
    "gerbang perumahan",
    "TK Pertiwi",
    "pabrik roti",
    "rumah makan padang",
    "apotek",
    "klenteng",
    "pura",
    "makam",
    "ruko",
    "gudang",
    "pangkalan ojek",
    "lapangan voli",
    "madrasah",
    "pesantren",
    "kantor polsek",
    "koramil",
    "GOR",
    "hotel",
    "minimarket",
    "warung kopi",
    "sekolah",
    "perempatan",
    "tikungan",
    "gapura kampung",
    "taman kota",
    "kantor bupati lama",
    "pasar pagi",
)

NAMES = (
    "Budi Santoso",
    "Siti Aminah",
    "Agus Setiawan",
    "Dewi Lestari",
    "Rahmat Hidayat",
    "Sri Wahyuni",
    "Eko Prasetyo",
    "Nur Aisyah",
    "Andi Saputra",
    "Yuliana",
    "Hendra",
    "Rina Marlina",
    "Slamet Riyadi",
    "Wayan Sudarsana",
    "Ketut Ariani",
    "Teguh Wibowo",
    "Fitriani",
    "Muhammad Rizki",
    "Ahmad Fauzi",
    "Lestari Handayani",
    "Yohanes Lado",
    "Maria Ulfa",
    "Dodi Firmansyah",
    "Ujang Sopian",
    "Euis Komariah",
    "Asep Saepudin",
    "Bambang Suryadi",
    "Sutini",
    "Tumpal Siregar",
    "Rosmawati Nasution",
    "Irfan Hakim",
    "Novitasari",
    "Hasanuddin",
    "Andi Tenri",
    "Baso Amir",
    "Made Suardana",
    "Linda Susanti",
    "Yusuf Maulana",
    "Nining",
    "Darmawan",
    "Ratna Sari",
    "Joko Susilo",
    "Suparmi",
)

ADDRESSEES = (
    "Bapak/Ibu Admin",
    "Bapak Walikota",
    "Bapak/Ibu Pimpinan",
    "Bapak/Ibu Petugas",
    "Pemerintah Kota",
    "Admin LAPOR!",
    "Bapak/Ibu yang berwenang",
    "Ibu Walikota",
    "Bapak Camat",
    "Tim Pengaduan",
    "Bapak/Ibu Pejabat terkait",
    "Bapak Bupati",
    "Pengelola Layanan Aspirasi",
    "Bapak/Ibu",
)

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

DURATIONS = (
    "sejak {n} hari lalu",
    "sudah {n} minggu",
    "sudah {n} bulan",
    "dari bulan {month}",
    "sudah berbulan-bulan",
    "sejak lebaran kemarin",
    "dari tahun lalu",
    "sejak kemarin",
    "dari minggu lalu",
    "sudah lama",
    "sejak awal tahun",
    "sudah hampir sebulan",
    "sejak {weekday} kemarin",
    "sejak tanggal {d} {month}",
    "dari kemarin sore",
    "sudah dua pekan",
    "sejak puasa",
    "sudah setahun lebih",
    "beberapa hari ini",
    "dari awal bulan",
    "sudah seminggu lebih",
    "tiga hari terakhir",
    "sejak akhir bulan lalu",
)

URGENT_TIMES = (
    "barusan",
    "sekarang",
    "tadi malam",
    "sejak subuh tadi",
    "sore ini",
    "pagi ini",
    "sekitar jam {h} tadi",
    "baru saja",
    "malam ini",
    "tadi siang",
    "saat ini",
)

GENERIC_EFFECTS = (
    "warga sudah resah",
    "sudah lapor ke pak RT tapi tidak ada tanggapan",
    "sudah berkali-kali dilaporkan tapi tidak ada tindak lanjut",
    "kami sangat kecewa",
    "jangan cuma janji",
    "sudah viral di grup warga tapi belum ada yang datang",
    "sudah dua kali saya laporkan lewat telepon",
    "warga di sini sudah capek menunggu",
    "ini sangat merugikan warga",
    "kami yang kecil ini cuma bisa mengadu ke sini",
    "tolong jangan dibiarkan berlarut-larut",
    "banyak warga yang mengeluhkan hal yang sama",
    "kejadiannya berulang terus",
    "saya mewakili warga sekitar",
)

GENERIC_ASKS = (
    "mohon segera ditindaklanjuti",
    "tolong segera ditangani",
    "mohon bantuannya",
    "mohon perhatiannya",
    "tolong dicek ke lokasi",
    "mohon segera ada tindakan",
    "tolong diproses",
    "mohon ditanggapi",
    "tolong ya",
    "mohon solusinya",
    "tolong diteruskan ke dinas terkait",
    "mohon petugas turun ke lapangan",
    "mohon kejelasan",
    "semoga cepat ditangani",
    "mohon arahannya",
)

CHAT_OPENERS = (
    "",
    "",
    "",
    "",
    "min",
    "halo min",
    "pak",
    "tolong",
    "lapor",
    "lapor min",
    "permisi min",
    "mau lapor",
    "gan",
    "assalamualaikum",
    "selamat pagi",
    "pagi min",
    "admin",
    "bapak ibu",
    "mau ngadu",
    "kak",
    "min tolong",
    "siang min",
    "malam min",
    "sore min",
    "numpang lapor",
    "izin lapor",
    "halo",
    "bang",
    "mas admin",
    "punten min",
)

CHAT_CLOSERS = (
    "",
    "",
    "",
    "makasih",
    "trims",
    "thx min",
    "tolong ya",
    "buruan",
    "parah sih",
    "capek lapor terus",
    "mohon dibantu",
    "ditunggu",
    "plis",
    "hadeh",
    "gimana sih",
    "terima kasih",
    "nuhun",
    "matur nuwun",
    "makasih min",
    "tq",
    "kok gitu ya",
    "semoga pak wali baca",
    "moga dibaca",
    "up",
    "tolong diviralkan",
    "sedih liatnya",
    "pemkot tidur?",
    "jangan diem aja",
    "mohon atensinya",
)

EMOJI = (
    "😡",
    "😤",
    "🙏",
    "😭",
    "😩",
    "🤬",
    "👍",
    "🙄",
    "😢",
    "⚠️",
    "💀",
    "😅",
    "🥲",
    "😠",
    "🙏🙏",
    "😡😡😡",
    "🤦",
    "😒",
    "🙏🏻",
    "😞",
    "!!!",
    "??",
    "...",
)

FORMAL_CLOSINGS = (
    "Terima kasih atas perhatiannya.",
    "Atas perhatian Bapak/Ibu saya ucapkan terima kasih.",
    "Demikian laporan ini saya sampaikan, atas perhatiannya diucapkan terima kasih.",
    "Terima kasih atas perhatian dan kerja samanya.",
    "Demikian, terima kasih.",
    "Besar harapan kami laporan ini segera ditindaklanjuti. Terima kasih.",
    "Atas perhatian dan tindak lanjutnya kami ucapkan terima kasih.",
    "Demikian pengaduan ini, semoga dapat menjadi perhatian.",
)

FORMAL_OPENINGS = (
    "Dengan hormat,",
    "Dengan hormat.",
    "Assalamualaikum warahmatullahi wabarakatuh,",
    "Selamat siang,",
    "Salam sejahtera,",
    "Dengan hormat, bersama ini",
    "Selamat pagi Bapak/Ibu,",
    "Yang terhormat,",
)

FORMAL_VERBS = (
    "ingin melaporkan bahwa",
    "ingin menyampaikan bahwa",
    "bermaksud mengadukan bahwa",
    "ingin memberitahukan bahwa",
    "ingin menyampaikan keluhan bahwa",
    "hendak menyampaikan pengaduan bahwa",
    "ingin menginformasikan bahwa",
)

HANDLES = (
    "@pemkot{c}",
    "@humas{c}",
    "@lapor_{c}",
    "@walikota{c}",
    "@info{c}",
    "@{c}update",
    "@kota{c}",
    "@LAPOR1708",
    "@pemkot_{c}",
    "@diskominfo{c}",
)

HASHTAGS = (
    "#{c}",
    "#lapor",
    "#pelayananpublik",
    "#viral",
    "#tolongdong",
    "#warga{c}",
    "#{c}hariini",
    "#infowarga",
    "#suarawarga",
    "",
)


def fill(template: str, rng: random.Random) -> str:
    """Replace every {slot} with an independent draw, so two slots rarely agree."""

    def one(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot == "st":
            return street(rng)
        if slot == "lm":
            return rng.choice(LANDMARKS)
        if slot == "kel":
            return rng.choice(KELURAHAN)
        if slot == "kec":
            return rng.choice(KECAMATAN)
        if slot == "city":
            return rng.choice(CITIES)
        if slot == "n":
            return rng.choice(("2", "3", "4", "5", "dua", "tiga", "empat", "lima", "enam", "10"))
        if slot == "d":
            return str(rng.randint(1, 28))
        if slot == "h":
            return str(rng.randint(1, 12))
        if slot == "month":
            return rng.choice(MONTHS)
        if slot == "weekday":
            return rng.choice(WEEKDAYS)
        if slot == "rt":
            return f"{rng.randint(1, 15):02d}"
        if slot == "rw":
            return f"{rng.randint(1, 12):02d}"
        if slot == "name":
            return rng.choice(NAMES)
        if slot == "c":
            return rng.choice(CITIES).replace(" ", "").lower()
        return match.group(0)

    return re.sub(r"\{(\w+)\}", one, template)


def street(rng: random.Random) -> str:
    roll = rng.random()
    name = rng.choice(STREET_NAMES)
    if roll < 0.45:
        return f"Jl. {name}"
    if roll < 0.6:
        return f"jalan {name}"
    if roll < 0.75:
        return f"{rng.choice(GANG)}"
    if roll < 0.85:
        return f"{rng.choice(PERUMAHAN)}"
    return f"Jl. {name} gang {rng.randint(1, 9)}"


def location(rng: random.Random) -> str:
    """A short place phrase for chat-style messages."""
    return fill(
        rng.choice(
            (
                "di {st}",
                "di {st} RT {rt}",
                "dekat {lm}",
                "di kelurahan {kel}",
                "di {kel} {city}",
                "depan {lm} {st}",
                "di gang sebelah {lm}",
                "di daerah {kel}",
                "di {st} {kel}",
                "di RT {rt} RW {rw} {kel}",
                "sekitar {lm} {kel}",
                "di kampung {kel}",
                "di {city}",
                "di {st} arah {lm}",
            )
        ),
        rng,
    )


def full_address(rng: random.Random) -> str:
    return fill(
        rng.choice(
            (
                "Jl. {sn} No. {num} RT {rt}/RW {rw}, Kelurahan {kel}, Kecamatan {kec}, Kota {city}",
                "{st} RT {rt} RW {rw} Kel. {kel} Kec. {kec}",
                "Jalan {sn} nomor {num}, Kelurahan {kel}, Kecamatan {kec}",
                "RT {rt}/RW {rw} Kelurahan {kel}, Kecamatan {kec}, {city}",
                "{perum} Blok {blok} No. {num}, Kel. {kel}, Kec. {kec}, {city}",
            )
        )
        .replace("{sn}", rng.choice(STREET_NAMES))
        .replace("{num}", str(rng.randint(1, 140)))
        .replace("{perum}", rng.choice(PERUMAHAN))
        .replace("{blok}", rng.choice("ABCDEFGH") + str(rng.randint(1, 12))),
        rng,
    )


def date_phrase(rng: random.Random) -> str:
    return fill(
        rng.choice(
            (
                "pada hari {weekday} tanggal {d} {month} {y}",
                "sejak tanggal {d} {month} {y}",
                "per {d} {month} {y}",
                "pada {d}/{m}/{y}",
                "sejak {weekday}, {d} {month}",
            )
        )
        .replace("{y}", str(rng.choice((2023, 2024, 2025))))
        .replace("{m}", f"{rng.randint(1, 12):02d}"),
        rng,
    )


# --- style transforms -------------------------------------------------------------------

ABBREV: dict[str, tuple[str, ...]] = {
    "yang": ("yg", "yg", "yang"),
    "tidak": ("tdk", "gk", "ga", "gak", "nggak", "engga"),
    "sudah": ("udh", "sdh", "udah", "dah"),
    "banget": ("bgt", "bngt", "bangettt"),
    "sangat": ("bgt", "sangat", "sgt"),
    "saya": ("sy", "aku", "gw", "gue", "saya", "sya"),
    "jalan": ("jln", "jl", "jalan"),
    "dari": ("dr", "dari"),
    "karena": ("krn", "krna", "soalnya", "gara2"),
    "tapi": ("tp", "tpi"),
    "belum": ("blm", "blum", "belom"),
    "saja": ("aja", "doang"),
    "dengan": ("dgn", "sama"),
    "untuk": ("utk", "buat"),
    "bagaimana": ("gmn", "gimana"),
    "kenapa": ("knp", "kok"),
    "lagi": ("lg", "lagi"),
    "juga": ("jg", "juga"),
    "orang": ("org", "orang"),
    "tolong": ("tlg", "tolong", "tolongin"),
    "segera": ("sgr", "cepetan", "segera"),
    "bisa": ("bs", "bisa"),
    "kalau": ("kalo", "klo", "kl"),
    "seperti": ("kyk", "kayak", "kaya"),
    "sampai": ("sampe", "smpe"),
    "hari": ("hr", "hari"),
    "malam": ("mlm", "malem"),
    "minggu": ("mgg", "minggu"),
    "bulan": ("bln", "bulan"),
    "tahun": ("thn", "taun"),
    "terima": ("trima", "terima"),
    "kasih": ("kasih", "ksh"),
    "sekali": ("bgt", "sekali"),
    "begini": ("gini",),
    "begitu": ("gitu",),
    "mohon": ("mhn", "mohon"),
    "sekarang": ("skrg", "skrang"),
    "pagi": ("pgi", "pagi"),
    "sama": ("sm", "sama"),
    "tetapi": ("tp", "tapi"),
    "apa": ("ap", "apa"),
    "ada": ("ad", "ada"),
    "banyak": ("byk", "banyak"),
    "harus": ("hrs", "harus"),
    "kami": ("kmi", "kami"),
    "warga": ("wrga", "warga"),
    "rumah": ("rmh", "rumah"),
    "depan": ("dpn", "depan"),
    "kemarin": ("kmrn", "kemaren"),
    "dong": ("dong", "dnk"),
    "nih": ("nih", "ni"),
    "padahal": ("pdhl", "padahal"),
    "langsung": ("lgsg", "langsung"),
    "pernah": ("prnh", "pernah"),
    "tempat": ("tmpt", "tempat"),
    "gimana": ("gmn",),
    "terus": ("trs", "mulu", "terus"),
    "mau": ("mo", "mau"),
    "bapak": ("bpk", "pak"),
    "ibu": ("bu", "ibu"),
    "lubang": ("lobang", "lubang", "lubangg"),
    "hujan": ("ujan", "hujan"),
    "habis": ("abis", "habis"),
    "pakai": ("pake", "pakai"),
    "lihat": ("liat", "lihat"),
    "mengalir": ("ngalir", "mengalir"),
    "dekat": ("deket", "dkt"),
    "cepat": ("cepet", "cpt"),
    "semua": ("smua", "semua"),
    "sakit": ("sakit", "skt"),
    "besar": ("gede", "besar", "bsr"),
    "kecil": ("kecil", "kcl"),
    "ribu": ("rb", "ribu"),
    "juta": ("jt", "juta"),
}

# Dialect swaps: Javanese, Sundanese, Betawi, Malay (Riau/Deli/Kalimantan).
DIALECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "jawa": {
        "tidak": ("ora", "ndak", "gak"),
        "sudah": ("wis", "wes", "uwis"),
        "di": ("ning", "neng", "nang", "di"),
        "jalan": ("dalan", "dalane"),
        "rusak": ("rusak pol", "rusak", "ajur"),
        "sampah": ("uwuh", "sampah"),
        "air": ("banyu", "banyune"),
        "gelap": ("peteng", "peteng ndedet"),
        "saya": ("aku", "kulo"),
        "ada": ("ono", "enek"),
        "apa": ("opo",),
        "bagaimana": ("piye", "yo opo"),
        "kenapa": ("ngopo", "kok"),
        "belum": ("durung", "urung"),
        "lagi": ("maneh",),
        "mau": ("arep", "ate"),
        "orang": ("wong",),
        "rumah": ("omah",),
        "besar": ("gede",),
        "lama": ("suwe",),
        "hari": ("dino",),
        "kemarin": ("wingi",),
        "sangat": ("banget", "pol"),
        "tolong": ("tulung", "nyuwun tulung"),
        "ini": ("iki",),
        "itu": ("iku", "kuwi"),
        "terima kasih": ("matur nuwun", "suwun"),
        "banyak": ("akeh",),
        "semua": ("kabeh",),
    },
    "sunda": {
        "tidak": ("teu", "henteu"),
        "sudah": ("geus", "atos"),
        "rusak": ("ruksak",),
        "sampah": ("runtah",),
        "air": ("cai",),
        "gelap": ("poek",),
        "mati": ("pareum", "paeh"),
        "saya": ("abdi", "urang"),
        "ada": ("aya",),
        "apa": ("naon",),
        "bagaimana": ("kumaha",),
        "kenapa": ("naha",),
        "belum": ("acan", "can"),
        "lagi": ("deui",),
        "mau": ("bade", "rek"),
        "rumah": ("imah",),
        "besar": ("ageung", "gede"),
        "lama": ("lami", "lila"),
        "sangat": ("pisan", "mani"),
        "tolong": ("punten", "tulung"),
        "ini": ("ieu",),
        "itu": ("eta",),
        "terima kasih": ("hatur nuhun", "nuhun"),
        "banyak": ("seueur", "loba"),
        "hari": ("poe",),
        "kemarin": ("kamari",),
    },
    "betawi": {
        "tidak": ("kagak", "kaga", "ngga"),
        "sudah": ("udeh", "ude"),
        "saya": ("aye", "gue"),
        "apa": ("ape",),
        "bagaimana": ("gimane", "pegimane"),
        "kenapa": ("ngapa", "kenape"),
        "belum": ("belon",),
        "air": ("aer",),
        "sangat": ("bener", "banget"),
        "lama": ("lame",),
        "ada": ("ade",),
        "kita": ("kite",),
        "kami": ("kite",),
        "dia": ("die",),
        "ini": ("nih",),
        "itu": ("tuh",),
        "sama": ("ame",),
        "mau": ("mao",),
        "kemarin": ("kemaren",),
        "rumah": ("rume",),
    },
    "melayu": {
        "tidak": ("tak", "tidak"),
        "sudah": ("sudah lah", "dah", "sudah"),
        "sangat": ("teruk", "nian", "sangat"),
        "bagaimana": ("macam mana",),
        "kenapa": ("apasal", "mengapa"),
        "saya": ("awak", "saye", "aku"),
        "kami": ("kami ni",),
        "di": ("kat", "di"),
        "ini": ("ni",),
        "itu": ("tu",),
        "air": ("air",),
        "mau": ("nak",),
        "belum": ("belum lagi",),
        "banyak": ("ramai", "banyak"),
        "lama": ("lame", "lama"),
    },
}

DIALECT_TAGS: dict[str, tuple[str, ...]] = {
    "jawa": ("lur", "tenan", "rek", "mas", "piye iki", "yo opo iki", "gek ndang", "mbok ya"),
    "sunda": ("euy", "atuh", "mani", "kang", "teh", "punten", "geuning", "sok"),
    "betawi": ("nih bang", "bang", "gile", "kagak bener nih", "ye", "dah", "nyak"),
    "melayu": ("lah", "ni", "bah", "kan", "macam mana ni", "sudah lah", "cik", "bang"),
}

_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")


def _swap_words(
    text: str, table: dict[str, tuple[str, ...]], rate: float, rng: random.Random
) -> str:
    # Two-word keys first (e.g. "terima kasih"), then single words.
    for key in sorted((k for k in table if " " in k), key=len, reverse=True):
        if key in text and rng.random() < rate:
            text = text.replace(key, rng.choice(table[key]))
    out = []
    for tok in _TOKEN.findall(text):
        low = tok.lower()
        if low in table and rng.random() < rate:
            out.append(rng.choice(table[low]))
        else:
            out.append(tok)
    return "".join(out)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    kind = rng.randrange(4)
    i = rng.randrange(1, len(word) - 2)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word + word[-1] * rng.randint(1, 3)
    return word[:i] + word[i] + word[i:]


def chatify(
    text: str, rng: random.Random, abbrev_rate: float = 0.6, typo_rate: float = 0.04
) -> str:
    """Lower-case, abbreviate the way people type in chat, add typos and drop punctuation."""
    text = _swap_words(text.lower(), ABBREV, abbrev_rate, rng)
    words = []
    for tok in _TOKEN.findall(text):
        if tok.isalpha() and rng.random() < typo_rate:
            tok = _typo(tok, rng)
        words.append(tok)
    text = "".join(words)
    if rng.random() < 0.6:
        text = re.sub(r"[.,;:]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def regionalize(text: str, dialect: str, rng: random.Random, rate: float = 0.7) -> str:
    return _swap_words(text, DIALECTS[dialect], rate, rng)


def squash(text: str) -> str:
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    text = re.sub(r"([,.!?])\1+", r"\1", text) if "!!!" not in text else text
    return re.sub(r"[ \t]+", " ", text).strip()


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop, for formal styles."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
