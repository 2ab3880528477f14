"""Hand-written evaluation complaints, one by one; never used for training.

They stand in for "complaints written by other people": tweets, WhatsApp messages, posts in a
kelurahan's Facebook group, LAPOR! web forms. Do not tune them to the model; if the score is
low, widen the training pools instead. `build` refuses any generated text equal to one of these.
"""

HOLDOUT: tuple[tuple[str, str], ...] = (
    # jalan
    (
        "jalan",
        "Pak Wali, kapan jalan ke arah Pasar Cik Puan ditambal? Tiap hari saya antar anak lewat situ, lubangnya makin menganga, kemarin tetangga saya jatuh sampai lecet lututnya.",
    ),
    (
        "jalan",
        "Ya Allah jalan sepanjang Jl. Soekarno Hatta km 5 itu kayak bekas dibom. Malu sama tamu dari luar kota.",
    ),
    (
        "jalan",
        "@pemkotbogor itu jalanan depan stasiun Batutulis ancur lebur, ban motor istri saya sobek. kapan dibenerin?",
    ),
    (
        "jalan",
        "Numpang tanya warga grup, ada yg tau ga siapa yg tanggung jawab aspal di tanjakan Cibogo? Udah 2 bulan bolong, malem2 ga kelihatan",
    ),
    (
        "jalan",
        "jembatan penghubung dusun krajan ke sekolahan kayunya pada lapuk, anak2 takut nyebrang",
    ),
    (
        "jalan",
        "Kepada Yth. Kepala Dinas PUPR. Dengan hormat, bersama ini kami warga Perumahan Bukit Permai menyampaikan bahwa ruas jalan utama perumahan mengalami kerusakan berat berupa retakan dan lubang di beberapa titik sehingga menyulitkan kendaraan roda empat. Mohon kiranya dapat dianggarkan perbaikannya. Hormat kami, Ketua RW 09.",
    ),
    (
        "jalan",
        "Trotoar di sepanjang jalan Pemuda banyak yang anjlok, ubinnya copot2. Kasihan tuna netra, guiding blocknya juga putus-putus.",
    ),
    ("jalan", "dalane ajur remuk ning Karangmalang, wis tahunan. mbok yo diaspal pak"),
    (
        "jalan",
        "Sudah 3x ganti shock breaker gara2 jalan dari terminal ke arah kampus. Tolong lah diperhatikan.",
    ),
    (
        "jalan",
        "Polisi tidurnya kebanyakan dan tinggi-tinggi di Jl. Kenari, kayak naik turun gunung. Kasian mobil ceper.",
    ),
    ("jalan", "aspal baru 2 bulan udah bopeng lagi, kontraktornya siapa sih ini, proyek asal jadi"),
    (
        "jalan",
        "jalan tembus ke kampung nelayan masih tanah, kalau hujan becek, motor slip. kapan dicor?",
    ),
    ("jalan", "JALAN DEPAN SMA 2 HANCUR!!! ANAK SEKOLAH PADA JATUH!!"),
    (
        "jalan",
        "Mohon ditinjau jalan beton di Dusun Sumberejo yang patah dan menonjol, sudah ada dua pengendara terjatuh.",
    ),
    # drainase
    (
        "drainase",
        "Selokan di jalan Cempaka Putih gak pernah dibersihin, hujan dikit langsung luber ke jalan, bau lagi.",
    ),
    (
        "drainase",
        "@dpupr_kota gorong2 di bawah jalan Raya Tlogomas tersumbat, tiap hujan air kemana2. Mohon dikeruk.",
    ),
    (
        "drainase",
        "Warga RT 4 mengeluhkan saluran pembuangan yang tidak mengalir, airnya hijau dan banyak jentik. Kami sudah kerja bakti tapi lumpurnya terlalu banyak, butuh alat.",
    ),
    (
        "drainase",
        "habis ujan dikit aja jalan depan rumah udah kayak empang, airnya ga bisa kemana mana. udah seminggu ga surut",
    ),
    (
        "drainase",
        "Got di samping masjid ditutup pemilik ruko buat lahan parkir, sekarang air hujan balik ke gang kami.",
    ),
    (
        "drainase",
        "Dengan hormat, kami sampaikan bahwa saluran drainase di sepanjang Jl. Kapten Mulyadi mengalami pendangkalan, sehingga saat hujan air meluap dan menggenangi badan jalan hingga 30 cm. Kami mohon dilakukan pengerukan. Terima kasih.",
    ),
    (
        "drainase",
        "Tolong pak, parit di belakang sekolah penuh endapan, kalau hujan air masuk ke halaman sekolah",
    ),
    (
        "drainase",
        "Pas hujan kemarin air setinggi mata kaki diem di perempatan Sawojajar 3 jam lebih. Itu salurannya kemana ya?",
    ),
    ("drainase", "saluran aer depan rume aye mampet kagak ngalir, aer item bau bangkai"),
    (
        "drainase",
        "Besi penutup got di trotoar Jl Basuki Rahmat ilang, ada lobang kotak gede, bahaya buat pejalan kaki.",
    ),
    ("drainase", "gorong-gorong jebol di depan gang 7 tanahnya ambrol ke dalam, air ga lancar"),
    (
        "drainase",
        "Kalau hujan deras kampung kami langganan genangan karena kali kecilnya tertutup sampah dan sudah dangkal. Tolong dinormalisasi sebelum musim hujan.",
    ),
    ("drainase", "mampet maneh got e, wis ping telu tak resiki dewe"),
    (
        "drainase",
        "Drainase di perumahan baru tidak disambungkan ke saluran kota, developernya kabur. Air hujan menggenang di jalan blok C.",
    ),
    # sampah
    (
        "sampah",
        "Pak, sampah di pojok belakang terminal udah kayak bukit, baunya sampai ke dalam angkot.",
    ),
    (
        "sampah",
        "@dlhkota sampah di TPS Jl. Brigjen Katamso udh seminggu lebih gk diangkut, luber ke jalan, dikerubutin lalat",
    ),
    (
        "sampah",
        "Ada orang naik mobil pick up buang karungan tiap subuh di lahan kosong samping kuburan. Sudah saya foto plat nomornya.",
    ),
    (
        "sampah",
        "Petugas sampah komplek kami mogok katanya belum dibayar, sampah numpuk di depan rumah masing-masing sudah 10 hari.",
    ),
    (
        "sampah",
        "Sungai di belakang kampung penuh sampah kiriman, plastik, kasur, sampai bangkai kambing.",
    ),
    (
        "sampah",
        "Yth. Kepala DLH. Kami warga RW 05 Kelurahan Tegalsari mengadukan belum adanya layanan pengangkutan sampah di wilayah kami, sehingga warga terpaksa membuang ke sungai. Mohon kiranya wilayah kami dapat dimasukkan dalam rute pengangkutan.",
    ),
    ("sampah", "tong sampah di taman kota udah penuh dari minggu lalu, isinya tumpah kemana2"),
    ("sampah", "kontainer di ujung jalan kampung bau banget, airnya netes2 item, kapan diangkut"),
    ("sampah", "Kenapa iuran sampah naik jadi 40rb tapi yang ngangkut cuma seminggu sekali?"),
    (
        "sampah",
        "Warga sekitar jalan lingkar banyak yang lempar kantong sampah dari motor ke semak-semak, tolong dipasang papan larangan.",
    ),
    ("sampah", "uwis rong minggu bak sampah ning ngarep gang ora diangkut, ambune"),
    ("sampah", "runtah di sisi jalan ka pasar numpuk, mani bau"),
    ("sampah", "SAMPAH DIMANA MANA, KOTA KOK JOROK BANGET"),
    (
        "sampah",
        "Setelah konser di alun-alun kemarin botol dan bungkus makanan ditinggal begitu saja sampai sekarang.",
    ),
    # pencemaran
    (
        "pencemaran",
        "Pabrik karet di dekat perumahan kami baunya ampun, kalau malam sampai ke kamar, anak-anak mual.",
    ),
    (
        "pencemaran",
        "@dlh air sungai Cikapundung hari ini warnanya biru tua, pasti ada pabrik yang buang limbah",
    ),
    (
        "pencemaran",
        "Tetangga belakang rumah tiap hari bakar plastik dan kabel, asapnya hitam, cucian saya jadi bau semua.",
    ),
    (
        "pencemaran",
        "Usaha pengolahan tahu di RT 3 buang ampas dan air sisa ke got, baunya asem busuk seluruh gang.",
    ),
    (
        "pencemaran",
        "Suara mesin stone crusher dari jam 6 pagi sampai jam 10 malam tanpa henti, rumah bergetar.",
    ),
    (
        "pencemaran",
        "Dengan hormat, kami warga Dusun Ngemplak menyampaikan keberatan atas aktivitas peternakan ayam petelur yang berjarak kurang dari 50 meter dari permukiman. Bau kotoran sangat menyengat dan lalat berkembang biak. Mohon dilakukan pemeriksaan dokumen lingkungannya.",
    ),
    (
        "pencemaran",
        "Ikan-ikan di kolam warga mati mendadak setelah air irigasi berubah warna jadi kehitaman.",
    ),
    (
        "pencemaran",
        "Debu batubara dari stockpile di pelabuhan masuk ke rumah, lantai hitam tiap hari, anak saya sesak.",
    ),
    (
        "pencemaran",
        "bengkel las di sebelah rumah berisik terus sampai malam, udah ditegur tapi ngeyel",
    ),
    (
        "pencemaran",
        "ada yang bakar sampah di kebun kosong belakang perumahan tiap malam, asapnya masuk kamar, anak saya asma kambuh",
    ),
    ("pencemaran", "Sumur warga di sekitar SPBU berbau bensin, airnya tidak bisa dipakai masak."),
    ("pencemaran", "pabrik e mbuang limbah neng kali, banyune ireng lan mambu"),
    ("pencemaran", "Asap cerobong pabrik kertas di pinggir kota bikin langit kuning tiap pagi"),
    (
        "pencemaran",
        "Rumah potong ayam di gang sebelah buang darah dan bulu ke saluran, bau amisnya luar biasa",
    ),
    # taman_pohon
    (
        "taman_pohon",
        "Pohon asam besar di depan SD Inpres sudah doyong ke jalan, anak-anak sering main di bawahnya. Tolong dicek sebelum ambruk.",
    ),
    (
        "taman_pohon",
        "@disperkim dahan pohon di Jl Ijen patah nyangkut di kabel, ngeri kalo jatuh pas ada yang lewat",
    ),
    (
        "taman_pohon",
        "Taman Sari di kelurahan kami dulu bagus, sekarang rumput liar setinggi lutut, ayunan patah, tidak ada yang merawat.",
    ),
    (
        "taman_pohon",
        "Makam umum Karet Tengsin ilalangnya tinggi sekali, susah cari makam keluarga waktu ziarah.",
    ),
    (
        "taman_pohon",
        "Kemarin hujan angin, satu pohon trembesi tumbang di jalan Veteran menutup satu lajur, sampai sekarang batangnya belum dipotong.",
    ),
    (
        "taman_pohon",
        "Dengan hormat, kami mohon dilakukan perantingan pohon-pohon angsana di sepanjang Jl. Ahmad Yani yang cabangnya sudah menyentuh atap rumah warga dan jaringan listrik. Dikhawatirkan saat musim hujan terjadi kerusakan. Terima kasih.",
    ),
    ("taman_pohon", "Akar pohon beringin di alun-alun menjebol bangku taman dan pagar tanaman."),
    (
        "taman_pohon",
        "pohon mangga punya pemkot di pinggir trotoar buahnya jatuh terus kena mobil orang, sekalian dipangkas aja",
    ),
    (
        "taman_pohon",
        "Tolong taman bermain di RPTRA diperbaiki, perosotannya retak dan ada paku mencuat, anak saya luka.",
    ),
    ("taman_pohon", "tangkal ageung payuneun masjid tos rapuh, sieun rubuh"),
    (
        "taman_pohon",
        "Kenapa pohon-pohon rindang di Jl Diponegoro ditebangi semua? Sekarang panas banget, kota jadi gersang.",
    ),
    ("taman_pohon", "Air mancur di taman kota mati dan kolamnya berlumut hijau, bau."),
    (
        "taman_pohon",
        "Pohon palem di median jalan depan mall sudah kering mati, pelepahnya jatuh ke jalan.",
    ),
    (
        "taman_pohon",
        "Lahan TPU di kampung sudah habis, warga yang meninggal minggu lalu harus dimakamkan di kota sebelah.",
    ),
    # penerangan_jalan
    (
        "penerangan_jalan",
        "Jl. Raya Kedungwaru sepanjang 1 km gelap total tiap malam, PJU nya mati semua. Kemarin ada yang dibegal.",
    ),
    ("penerangan_jalan", "@dishub lampu jalan di flyover Janti mati sebagian, bahaya malam-malam"),
    (
        "penerangan_jalan",
        "Min lampu jalanan depan rumah nyala pas siang doang, malem malah mati, kebalik",
    ),
    (
        "penerangan_jalan",
        "Tiang lampu di tikungan Jl. Sriwijaya ketabrak mobil bulan lalu, sampai sekarang masih rebah dan gelap.",
    ),
    (
        "penerangan_jalan",
        "lampu jalan di gang kami ga ada sama sekali, ibu2 pulang kerja shift malam takut lewat.",
    ),
    (
        "penerangan_jalan",
        "Kepada Yth. Bapak Kepala Dinas Perumahan dan Kawasan Permukiman. Kami warga RT 02 RW 07 memohon penambahan titik penerangan jalan umum di Jl. Kenari II karena sepanjang 300 meter tidak ada penerangan dan sering terjadi tindak kriminal. Atas perhatiannya kami ucapkan terima kasih.",
    ),
    (
        "penerangan_jalan",
        "lampu pju di depan kantor pos kedip kedip dari minggu kemarin, kayak film horor",
    ),
    ("penerangan_jalan", "Lampu-lampu sorot di jembatan kota mati semua, jembatan jadi seram"),
    ("penerangan_jalan", "Kabel PJU di Jl Gajah Mada putus dicuri maling, sudah 2 minggu gelap"),
    ("penerangan_jalan", "lampu dalan mati kabeh ning dalan tembus, peteng banget"),
    (
        "penerangan_jalan",
        "PJU tenaga surya yang dipasang tahun lalu cuma nyala sebulan, baterainya katanya hilang.",
    ),
    (
        "penerangan_jalan",
        "GELAP BANGET JALAN KE KAMPUS, LAMPU JALAN MATI SEMUA. NUNGGU ADA KORBAN DULU?",
    ),
    (
        "penerangan_jalan",
        "Lampu penerangan di bawah underpass Kentungan padam, kendaraan harus nyalain lampu jauh.",
    ),
    (
        "penerangan_jalan",
        "Bohlam lampu jalan depan masjid sudah putus seminggu, mohon diganti sebelum tarawih.",
    ),
    # lalu_lintas
    (
        "lalu_lintas",
        "Traffic light simpang lima mati total pagi ini, semua kendaraan adu kepala, gak ada polisi.",
    ),
    (
        "lalu_lintas",
        "@dishubkota lampu merah di perempatan Kertajaya nyala hijau barengan dari dua arah! Hampir tabrakan tadi!",
    ),
    (
        "lalu_lintas",
        "Min, bisa ga rambu dilarang putar balik dipasang di depan RS? Mobil pada muter seenaknya bikin macet.",
    ),
    (
        "lalu_lintas",
        "macet parah tiap pagi di jalan Raya Darmo, apalagi ada penyempitan jalan tanpa rambu",
    ),
    (
        "lalu_lintas",
        "Zebra cross di depan pasar sudah hilang, nenek-nenek susah nyebrang, kendaraan ga mau ngalah.",
    ),
    (
        "lalu_lintas",
        "Dengan hormat, kami mengusulkan pemasangan lampu lalu lintas di persimpangan Jl. Merpati - Jl. Garuda, karena dalam tiga bulan terakhir telah terjadi lima kali kecelakaan di lokasi tersebut. Terima kasih atas perhatiannya.",
    ),
    (
        "lalu_lintas",
        "Angkot jurusan Cicaheum-Ledeng suka ngetem lama di mulut terminal, bikin antrean panjang.",
    ),
    (
        "lalu_lintas",
        "Halte Trans di jalan Sudirman atapnya bolong, penumpang kehujanan pas nunggu bus",
    ),
    (
        "lalu_lintas",
        "Bus trans kota koridor 3 jarang datang, nunggu bisa sejam, padahal jadwalnya tiap 10 menit.",
    ),
    (
        "lalu_lintas",
        "lampu abang ning perempatan Kartasura suwi banget, 3 menit, antrine tekan adoh",
    ),
    (
        "lalu_lintas",
        "Marka jalan di ring road sudah tidak kelihatan, kalau hujan malam bingung lajur.",
    ),
    (
        "lalu_lintas",
        "Papan penunjuk arah di pertigaan kota lama menunjuk arah yang salah, banyak pendatang nyasar.",
    ),
    (
        "lalu_lintas",
        "Truk tronton lewat tengah kota jam 7 pagi, padahal ada larangan. Macet dan bahaya buat anak sekolah.",
    ),
    (
        "lalu_lintas",
        "Cermin di tikungan tajam Jl. Bukit Barisan pecah, kendaraan dari arah berlawanan tidak kelihatan.",
    ),
    # parkir
    (
        "parkir",
        "Di depan Indomaret Jl Kaliurang ada tukang parkir yang maksa, padahal di pintunya ada tulisan bebas parkir.",
    ),
    (
        "parkir",
        "@dishub mobil-mobil pengunjung cafe parkir di dua sisi jalan Dago sampai jalan tinggal satu lajur",
    ),
    (
        "parkir",
        "Bayar parkir motor di alun-alun dimintain 10 ribu, karcisnya ga dikasih, pas ditanya malah nyolot.",
    ),
    (
        "parkir",
        "Truk-truk ekspedisi parkir di pinggir jalan perumahan tiap malam, jalan jadi sempit.",
    ),
    ("parkir", "Tukang parkir dadakan muncul tiap ada acara di GOR, tarifnya seenak udel."),
    (
        "parkir",
        "Yth. Kepala Dinas Perhubungan. Kami menyampaikan keluhan terkait kendaraan yang parkir di bahu jalan depan Rumah Makan Sederhana yang menyebabkan penyempitan jalan dan kemacetan setiap jam makan siang. Mohon dilakukan penertiban.",
    ),
    ("parkir", "Trotoar depan bank dipake parkir motor, pejalan kaki jalan di aspal."),
    ("parkir", "mobil bak terbuka parkir di mulut gang udah 3 hari, motor aja susah lewat"),
    ("parkir", "Jukir liar di depan ATM minta duit padahal cuma ambil uang 2 menit"),
    ("parkir", "tukang parkir nang ngarep toko emas njaluk 5 ewu, karcis ora ono"),
    ("parkir", "Bus pariwisata parkir berjejer di jalan depan masjid agung, jamaah susah lewat"),
    ("parkir", "Karcis parkir resmi tulisnya 2000 tapi ditarik 5000, uangnya kemana?"),
    ("parkir", "PARKIR LIAR DI DEPAN SEKOLAH BIKIN MACET TIAP PAGI, DISHUB KEMANA?"),
    (
        "parkir",
        "Mobil rongsok dibiarkan parkir di pinggir jalan kampung sudah setahun, bannya kempes, jadi sarang tikus.",
    ),
    # kesehatan
    (
        "kesehatan",
        "Ke puskesmas jam 7 pagi dapet nomor 80, dokternya cuma satu. Anak saya demam nunggu sampai jam 1 siang.",
    ),
    ("kesehatan", "@dinkes kami di RT 8 sudah 4 orang positif DB, minta fogging dong secepatnya"),
    (
        "kesehatan",
        "Ibu saya pasien BPJS disuruh pulang padahal belum sembuh, katanya plafon habis.",
    ),
    (
        "kesehatan",
        "Apotek puskesmas bilang obat hipertensi kosong, suruh beli sendiri. Pensiunan kayak saya berat.",
    ),
    (
        "kesehatan",
        "Posyandu balita di RW kami sudah vakum setengah tahun, kader bilang tidak ada dana PMT.",
    ),
    (
        "kesehatan",
        "Dengan hormat, saya ingin menyampaikan keluhan atas pelayanan IGD RSUD pada tanggal 14 Juli. Ayah saya yang mengalami serangan jantung dibiarkan menunggu lebih dari dua jam tanpa penanganan dokter. Mohon evaluasi terhadap pelayanan IGD tersebut.",
    ),
    (
        "kesehatan",
        "Bidan di ruang bersalin judes banget, istri saya dimarahin pas kesakitan mau melahirkan.",
    ),
    ("kesehatan", "bpjs ku tiba2 ga aktif padahal PBI dari pemerintah, pas mau berobat ditolak"),
    ("kesehatan", "Vaksin polio buat bayi kosong terus di puskesmas, disuruh balik bulan depan"),
    ("kesehatan", "Ambulans desa ditelpon ga diangkat, akhirnya pasien dibawa pakai pick up."),
    ("kesehatan", "RSUD minta deposit 5 juta sebelum anak saya dirawat, padahal kami peserta KIS."),
    ("kesehatan", "pukesmas deket rume aye tutup jam 11, kagak ada dokter"),
    (
        "kesehatan",
        "Nyamuk di kampung banyak banget, dua anak masuk rumah sakit trombosit drop, tolong disemprot",
    ),
    (
        "kesehatan",
        "Ruang tunggu poli RSUD penuh sesak, pasien lansia sampai duduk di lantai berjam-jam.",
    ),
    # kependudukan
    (
        "kependudukan",
        "KTP saya rusak, mau ganti baru di disdukcapil katanya blangko kosong, udah 2 bulan bolak balik.",
    ),
    (
        "kependudukan",
        "@dukcapil akta lahir anak saya nama bapaknya salah tulis, perbaikannya kok disuruh ke pengadilan?",
    ),
    (
        "kependudukan",
        "Mau urus KK karena nambah anggota keluarga, sudah sebulan statusnya masih diproses terus.",
    ),
    (
        "kependudukan",
        "Pindah dari Medan ke sini, surat pindah sudah ada tapi di dukcapil katanya data belum masuk.",
    ),
    (
        "kependudukan",
        "Anak saya sudah umur 17 tapi belum bisa rekam KTP karena alat di kecamatan rusak.",
    ),
    (
        "kependudukan",
        "Dengan hormat, saya mengajukan permohonan penerbitan akta kematian almarhumah ibu saya sejak tanggal 3 Februari, namun hingga saat ini belum terbit. Dokumen tersebut diperlukan untuk pengurusan pensiun janda. Mohon kiranya dapat dipercepat.",
    ),
    (
        "kependudukan",
        "NIK saya ternyata terdaftar atas dua nama berbeda, pas saya cek di kantor datanya dobel.",
    ),
    (
        "kependudukan",
        "KIA anak saya sudah diajukan kolektif lewat sekolah tapi kartunya tidak pernah jadi.",
    ),
    (
        "kependudukan",
        "status di ktp masih belum kawin padahal udah nikah 3 taun, mau ubah disuruh antri dari subuh",
    ),
    (
        "kependudukan",
        "e-KTP ku ilang, wis lapor polisi, tapi nang dukcapil dikon balik sesuk terus",
    ),
    (
        "kependudukan",
        "Nenek saya 80 tahun tidak bisa ke kantor untuk rekam KTP, apakah ada layanan jemput bola?",
    ),
    ("kependudukan", "KARTU KELUARGA SAYA SALAH ALAMAT, SUDAH 3X DIPERBAIKI MASIH SALAH"),
    (
        "kependudukan",
        "Mau bikin akta kelahiran anak yang lahir di rumah, diminta surat keterangan lahir dari bidan yang kami tidak punya.",
    ),
    (
        "kependudukan",
        "Data agama di KK saya berbeda dengan KTP, akibatnya pendaftaran nikah saya ditolak.",
    ),
    # pendidikan
    (
        "pendidikan",
        "SD negeri tempat anak saya narik iuran 150rb per bulan katanya buat gaji guru honor, bukannya sekolah negeri gratis?",
    ),
    (
        "pendidikan",
        "@disdik PPDB zonasi tahun ini aneh, anak tetangga yang rumahnya 2 km diterima, anak saya 500 m ditolak",
    ),
    (
        "pendidikan",
        "Ijazah SMP anak saya masih di sekolah, katanya harus bayar tunggakan 2 juta dulu.",
    ),
    (
        "pendidikan",
        "Wali kelas anak saya sering ninggalin kelas, anak-anak cuma disuruh nyatet buku.",
    ),
    ("pendidikan", "Atap kelas 4 SDN Sukamulya ambruk sebagian, murid belajar di teras masjid."),
    (
        "pendidikan",
        "Dengan hormat, kami orang tua siswa kelas IX SMP Negeri 7 keberatan dengan adanya pungutan sebesar Rp750.000 untuk kegiatan perpisahan dan wisuda yang bersifat wajib. Kami mohon Dinas Pendidikan meninjau kebijakan tersebut.",
    ),
    (
        "pendidikan",
        "Anak saya tiap hari dipalak dan dipukul teman sekelasnya, sudah lapor guru BK tapi cuma disuruh damai.",
    ),
    (
        "pendidikan",
        "sekolah maksa beli seragam batik sama olahraga di koperasi sekolah 1,2 juta, di luar jauh lebih murah",
    ),
    (
        "pendidikan",
        "Guru di sekolah ngasih bocoran soal ulangan cuma ke murid yang ikut les berbayar sama dia.",
    ),
    (
        "pendidikan",
        "Anak saya penyandang autisme ditolak di SD negeri terdekat dengan alasan tidak ada guru pendamping.",
    ),
    ("pendidikan", "dana PIP anak saya dipotong pihak sekolah 200 ribu tanpa alasan"),
    ("pendidikan", "sakola negeri menta sumbangan wangunan 3 juta, abdi teu gaduh artos"),
    (
        "pendidikan",
        "Kepsek SMA negeri di kota kami jual kursi PPDB, ada yang bayar 10 juta bisa masuk.",
    ),
    (
        "pendidikan",
        "Sudah 2 minggu tahun ajaran baru tapi buku paket belum dibagi, siswa disuruh fotokopi sendiri.",
    ),
    # ketertiban
    (
        "ketertiban",
        "PKL di sepanjang jalan depan stasiun makan trotoar, pejalan kaki desak-desakan.",
    ),
    (
        "ketertiban",
        "@satpolpp tempat karaoke di ruko Jl Pemuda buka sampe jam 4 pagi, suaranya kedengeran sampe perumahan",
    ),
    (
        "ketertiban",
        "Ada warung jual tuak dan ciu di dekat SMP, anak-anak muda mabuk tiap malam di situ.",
    ),
    (
        "ketertiban",
        "Baliho-baliho caleg dipaku di pohon-pohon dan tiang listrik, sudah lewat pemilu belum dicopot juga.",
    ),
    (
        "ketertiban",
        "Tiap malam minggu anak-anak motor trek-trekan di jalan lingkar selatan, knalpot brong, warga gak bisa tidur.",
    ),
    (
        "ketertiban",
        "Dengan hormat, kami warga Kelurahan Pasirjati melaporkan berdirinya bangunan semi permanen di atas lahan fasilitas umum perumahan yang digunakan sebagai warung malam dan diduga menjual minuman beralkohol. Mohon dilakukan penertiban.",
    ),
    ("ketertiban", "Lapak pedagang pakaian di depan stasiun menutup jalur keluar masuk penumpang."),
    (
        "ketertiban",
        "Ada kios rokok yang dibangun nempel di pagar sekolah, listriknya nyolong dari tiang.",
    ),
    (
        "ketertiban",
        "Cafe remang-remang di pinggir jalan provinsi kalau malam ramai, ada cewek-cewek pakai baju seksi, meresahkan.",
    ),
    ("ketertiban", "wong mendem bengok-bengok ning pos ronda saben bengi, warga wedi"),
    (
        "ketertiban",
        "Pedagang kaki lima di alun-alun balik lagi jualan padahal minggu lalu udah ditertibkan.",
    ),
    ("ketertiban", "ADA PESTA MIRAS DI KOS-KOSAN SEBELAH TIAP MALAM, BERISIK DAN BERANTEM"),
    ("ketertiban", "Orang bikin pagar seng dan kios di trotoar depan rumah sakit, seenaknya saja."),
    (
        "ketertiban",
        "Biliar dan warung kopi di sebelah musala buka 24 jam, musik dangdut keras sampai subuh.",
    ),
    # sosial
    (
        "sosial",
        "Ibu saya janda, dulu dapat PKH, sejak tahun ini berhenti tanpa alasan, padahal kondisi kami masih sama.",
    ),
    (
        "sosial",
        "@dinsos ada bapak-bapak ODGJ telanjang jalan di sekitar pasar Senen, kasihan dan bikin takut anak-anak",
    ),
    (
        "sosial",
        "Penerima BPNT di RT kami kebanyakan keluarga pengurus RT, yang benar-benar miskin malah tidak dapat.",
    ),
    (
        "sosial",
        "Tiap lampu merah Bundaran ada anak-anak kecil jualan tisu sampai jam 12 malam, orang tuanya nunggu di pinggir.",
    ),
    (
        "sosial",
        "Kakek tua tidur di halte depan kampus tiap malam, bajunya lusuh, kayaknya tidak punya keluarga.",
    ),
    (
        "sosial",
        "Dengan hormat, kami melaporkan bahwa keluarga Bapak Sarman (70 tahun) dan istrinya yang lumpuh tinggal di rumah bambu yang hampir roboh dan tidak pernah menerima bantuan sosial apa pun. Mohon kiranya dapat dilakukan pendataan ke DTKS dan diberikan bantuan.",
    ),
    ("sosial", "Sudah 3 kali usul masuk DTKS lewat kelurahan, tidak pernah keluar namanya."),
    (
        "sosial",
        "Bantuan sembako di kampung kami dibagi ke yang punya mobil juga, yang miskin cuma dapat setengah.",
    ),
    ("sosial", "Saldo KKS ibu saya kosong terus, kata bank belum ada transfer dari pusat"),
    ("sosial", "Pengemis yang sama mangkal di depan masjid tiap Jumat, bawa bayi sewaan katanya."),
    ("sosial", "aya jalma gelo sok ngamuk di jalan, ngalungan batu ka motor"),
    (
        "sosial",
        "Tolong ada nenek-nenek pikun jalan sendirian di Jl Merdeka, sepertinya tersesat, tidak tahu rumahnya.",
    ),
    ("sosial", "BLT tahun ini tidak cair ke kami padahal nama ada di daftar."),
    ("sosial", "Anak punk kumpul di bawah jembatan layang, ngelem dan minta uang ke pengendara."),
    # air_bersih
    (
        "air_bersih",
        "PDAM mati lagi dari kemarin subuh, nggak ada pengumuman sama sekali. Mau mandi sekolah anak-anak gimana?",
    ),
    (
        "air_bersih",
        "@pdam air di perumahan Griya Indah keruh kayak kopi susu, bak mandi jadi kuning",
    ),
    (
        "air_bersih",
        "Tagihan air saya bulan ini 650rb, biasanya cuma 80rb. Meteran sudah dicek ga bocor.",
    ),
    (
        "air_bersih",
        "Pipa PDAM bocor di depan SD Muhammadiyah, air muncrat ke jalan sudah 4 hari, sayang airnya.",
    ),
    ("air_bersih", "Airnya baru ngalir jam 1 malam dan kecil banget, harus begadang nampung."),
    (
        "air_bersih",
        "Dengan hormat, kami pelanggan PDAM dengan nomor sambungan 03-1245 mengeluhkan distribusi air yang tidak mengalir sejak tanggal 2 Agustus tanpa pemberitahuan. Mohon segera dilakukan perbaikan dan pengiriman air tangki.",
    ),
    ("air_bersih", "Air ledeng bau kaporit nyengat, ga bisa buat masak."),
    (
        "air_bersih",
        "Sudah bayar pasang baru 2 juta bulan Maret, sampai sekarang meteran belum dipasang.",
    ),
    ("air_bersih", "cai di imah teu ngocor tilu poe, kumaha ieu PDAM"),
    ("air_bersih", "AIR MATI 5 HARI!!! MAU WUDHU AJA SUSAH"),
    ("air_bersih", "Petugas PDAM cabut meteran saya padahal tagihan sudah lunas, buktinya ada."),
    ("air_bersih", "Air PDAM ada cacing kecil merahnya, anak saya takut mandi."),
    ("air_bersih", "Tekanan air di lantai atas nol, cuma bisa ngisi ember di lantai bawah."),
    ("air_bersih", "Mobil tangki yang dijanjikan buat warga yang airnya mati tidak pernah datang."),
    # kebakaran
    ("kebakaran", "TOLONG ADA KEBAKARAN DI GANG MELATI DEKAT PASAR, APINYA GEDE!!"),
    (
        "kebakaran",
        "Ada sarang tawon vespa segede helm di pohon jambu depan rumah, anak saya sudah kena sengat.",
    ),
    ("kebakaran", "Min, ada ular piton di atap rumah warga RT 5, tolong damkar."),
    (
        "kebakaran",
        "Waktu kebakaran di kampung kemarin, hidran di ujung jalan ga keluar air, pemadam harus ambil air dari kali.",
    ),
    (
        "kebakaran",
        "Gudang kayu di Jl Industri terbakar, asap hitam membumbung tinggi, cepat kirim pemadam!",
    ),
    (
        "kebakaran",
        "Dengan hormat, kami mohon pemeriksaan hidran-hidran di kawasan pasar dan permukiman padat di Kelurahan Kebon Jeruk, karena pada peristiwa kebakaran tanggal 12 Mei lalu tidak satu pun hidran berfungsi. Terima kasih.",
    ),
    (
        "kebakaran",
        "Kucing saya masuk ke pipa saluran dan nyangkut sudah dua hari, bisa dibantu evakuasi?",
    ),
    (
        "kebakaran",
        "Lahan ilalang di belakang perumahan terbakar, angin kencang, apinya mendekati pagar rumah.",
    ),
    (
        "kebakaran",
        "Jari anak saya kejepit di lubang kursi besi, nggak bisa ditarik, tolong dibantu.",
    ),
    ("kebakaran", "ana geni gede ning omah e pak Karto, tulung cepet"),
    ("kebakaran", "Mobil terbakar di SPBU Jl Ahmad Yani, orang-orang lari."),
    (
        "kebakaran",
        "Bau gas menyengat dari rumah kosong sebelah, takut meledak, tolong dicek petugas pemadam",
    ),
    ("kebakaran", "Ada biawak segede anjing masuk kandang ayam warga."),
    (
        "kebakaran",
        "Pos damkar paling dekat 15 km dari kampung kami, kemarin rumah habis terbakar sebelum mobil pemadam sampai.",
    ),
    # bencana
    (
        "bencana",
        "Banjir sudah masuk rumah sepinggang di Perumahan Pondok Gede Permai, banyak lansia belum bisa keluar, butuh perahu!",
    ),
    ("bencana", "@bpbd longsor di tebing belakang kampung Cibunar nimpa 2 rumah, ada korban luka"),
    ("bencana", "Angin puting beliung tadi sore menerbangkan atap puluhan rumah di Desa Sukamaju."),
    (
        "bencana",
        "Pengungsi di masjid Al Falah sudah 3 hari tidak dapat kiriman makanan, bayi butuh susu dan popok.",
    ),
    ("bencana", "Gempa tadi malam bikin tembok rumah saya retak panjang, takut tinggal di dalam."),
    (
        "bencana",
        "Dengan hormat, kami melaporkan bahwa tanggul sungai di wilayah RW 11 mengalami retakan dan rembesan setelah hujan deras tiga hari berturut-turut. Warga khawatir tanggul jebol dan menggenangi ratusan rumah. Mohon segera dilakukan penanganan darurat.",
    ),
    (
        "bencana",
        "Banjir rob masuk rumah lagi, air asin sampai ke kamar, warga pesisir sudah capek.",
    ),
    ("bencana", "Tanah di kampung kami bergerak, rumah-rumah retak dan miring, jalan merekah."),
    (
        "bencana",
        "Air kali meluap tengah malam, rumah-rumah di bantaran tenggelam sampai atap, warga naik ke loteng.",
    ),
    ("bencana", "banjir mlebu omah sedhengkul, barang-barang podo kintir"),
    ("bencana", "SEMALAM BADAI, POHON TUMBANG DIMANA-MANA, LISTRIK PADAM, RUMAH WARGA RUSAK"),
    (
        "bencana",
        "Bantuan untuk korban longsor hanya sampai ke posko utama, dusun kami yang terisolir belum dapat apa-apa.",
    ),
    ("bencana", "Jembatan satu-satunya ke desa putus dibawa banjir bandang, warga terisolir."),
    (
        "bencana",
        "Hujan abu vulkanik tebal turun di kota, warga butuh masker dan atap rumah banyak yang jebol.",
    ),
    # perizinan
    (
        "perizinan",
        "Sudah 4 bulan ngajuin PBG lewat SIMBG statusnya masih verifikasi dokumen, padahal semua lengkap.",
    ),
    (
        "perizinan",
        "@dpmptsp mau urus izin usaha katering diminta rekomendasi dari 3 dinas, muter-muter sebulan belum beres",
    ),
    (
        "perizinan",
        "Petugas di mal pelayanan publik bilang izin saya bisa jadi seminggu kalau nambah 1,5 juta. Itu pungli kan?",
    ),
    (
        "perizinan",
        "NIB saya di OSS sudah terbit, tapi izin operasionalnya ditahan dinas tanpa alasan jelas.",
    ),
    ("perizinan", "Izin reklame toko saya ditolak terus padahal syarat sudah lengkap semua."),
    (
        "perizinan",
        "Dengan hormat, saya mengajukan permohonan persetujuan bangunan gedung untuk rumah tinggal dua lantai sejak bulan Januari. Hingga saat ini belum ada kejelasan meskipun seluruh persyaratan telah dipenuhi dan retribusi telah dibayar. Mohon informasi dan percepatan proses.",
    ),
    (
        "perizinan",
        "Calo di depan kantor perizinan nawarin jasa urus izin usaha jadi 3 hari dengan harga 5 juta, kok dibiarkan?",
    ),
    (
        "perizinan",
        "Mau buka apotek, STRA sudah ada, tapi izin apotek dari DPMPTSP 6 bulan belum keluar.",
    ),
    (
        "perizinan",
        "Syarat izin usaha berubah terus tiap saya datang, kemarin diminta surat keterangan domisili usaha lagi.",
    ),
    (
        "perizinan",
        "Sertifikat laik fungsi gedung kami sudah diajukan sejak tahun lalu tapi belum ada kunjungan tim teknis.",
    ),
    (
        "perizinan",
        "ngurus izin usaha ning MPP jarene iso sedino, nyatane wis sewulan durung rampung",
    ),
    ("perizinan", "IZIN BANGUNAN RUMAH SAYA DIGANTUNG, DISURUH BAYAR LEBIH BARU DIPROSES"),
    (
        "perizinan",
        "Berkas PBG saya katanya hilang dan harus mengulang dari awal, padahal sudah ada tanda terima.",
    ),
    ("perizinan", "Retribusi PBG saya dihitung 15 juta untuk rumah tipe 45, tidak ada rinciannya."),
    # pajak_daerah
    (
        "pajak_daerah",
        "PBB rumah saya tahun ini naik dari 300 ribu jadi 1,2 juta, padahal rumah tidak direnovasi.",
    ),
    (
        "pajak_daerah",
        "@bapenda SPPT PBB tahun ini belum dibagikan ke warga RT kami, padahal jatuh tempo akhir bulan",
    ),
    (
        "pajak_daerah",
        "Saya sudah bayar PBB tiap tahun lewat bank, tapi pas mau jual rumah dibilang nunggak 4 tahun.",
    ),
    (
        "pajak_daerah",
        "Restoran di mall nambahin pajak 10% tapi di struknya tidak ada NPWPD, curiga tidak disetor.",
    ),
    (
        "pajak_daerah",
        "BPHTB rumah yang saya beli dihitung pakai harga pasar yang jauh di atas harga transaksi.",
    ),
    (
        "pajak_daerah",
        "Dengan hormat, saya mengajukan keberatan atas penetapan NJOP bumi pada SPPT PBB tahun 2024 untuk objek pajak di Jl. Flamboyan No. 12 yang naik 250 persen dibanding tahun sebelumnya tanpa adanya perubahan fisik. Mohon dilakukan peninjauan kembali.",
    ),
    (
        "pajak_daerah",
        "SPPT saya masih atas nama almarhum bapak, sudah urus balik nama 2 tahun belum berubah.",
    ),
    (
        "pajak_daerah",
        "Petugas pemungut PBB keliling narik lebih dari yang tertera di SPPT, katanya buat biaya antar.",
    ),
    ("pajak_daerah", "Luas bangunan di SPPT tertulis 300 m2, rumah saya cuma 70 m2."),
    ("pajak_daerah", "PBB imah abdi naek tilu kali lipet, teu kaharti"),
    ("pajak_daerah", "Program pemutihan denda PBB katanya ada, tapi di loket tetap ditagih denda."),
    ("pajak_daerah", "TAGIHAN PBB NAIK GILA2AN, RAKYAT DICEKIK"),
    (
        "pajak_daerah",
        "Hotel tempat saya menginap narik pajak daerah tapi kuitansinya bukan dari sistem bapenda.",
    ),
    ("pajak_daerah", "Pajak kos saya dihitung untuk 20 kamar, padahal cuma 8 kamar."),
    # aparatur
    (
        "aparatur",
        "Ngurus surat keterangan ahli waris di kelurahan diminta 500 ribu 'uang administrasi', ga ada kuitansinya.",
    ),
    (
        "aparatur",
        "@inspektorat pegawai kecamatan jam 10 pagi sudah ngopi di warung depan kantor, loket kosong, warga antre",
    ),
    (
        "aparatur",
        "Pak lurah kami jarang ngantor, mau minta tanda tangan harus datang ke rumahnya malam-malam.",
    ),
    (
        "aparatur",
        "Staf di kantor kelurahan ngomongnya kasar, saya tanya syarat malah dibentak disuruh baca sendiri.",
    ),
    (
        "aparatur",
        "Oknum pegawai dinas minta setoran harian ke pedagang kaki lima, katanya biar gak digusur.",
    ),
    (
        "aparatur",
        "Dengan hormat, saya melaporkan dugaan pungutan liar yang dilakukan oleh oknum pegawai Kantor Kecamatan dalam pengurusan surat keterangan tidak mampu, di mana warga dimintai uang sebesar Rp100.000 per surat. Mohon Inspektorat melakukan pemeriksaan.",
    ),
    (
        "aparatur",
        "Mobil dinas plat merah dipakai buat mudik sama keluarga pejabat, saya lihat sendiri di rest area.",
    ),
    (
        "aparatur",
        "Pegawai honorer di kelurahan minta uang buat masukin nama ke daftar penerima bansos.",
    ),
    (
        "aparatur",
        "Kantor kelurahan jam 2 siang sudah tutup, padahal papan jam layanan sampai jam 4.",
    ),
    ("aparatur", "pegawe kecamatan njaluk duit rokok nggo surat pengantar nikah"),
    ("aparatur", "ASN dinas ikut kampanye terang-terangan pakai seragam, upload di medsos."),
    ("aparatur", "PELAYANAN KANTOR CAMAT LELET DAN PEGAWAINYA SOMBONG"),
    (
        "aparatur",
        "Sekretaris kelurahan bilang kalau mau surat cepat jadi harus ada 'uang terima kasih'.",
    ),
    ("aparatur", "Pegawai di loket kelurahan asyik nonton video di hp, warga dicuekin."),
    # layanan_digital
    (
        "layanan_digital",
        "Aplikasi layanan warga punya pemkot nggak bisa login dari kemarin, muncul error terus.",
    ),
    ("layanan_digital", "@diskominfo website pemkot down lagi, mau download formulir aja gak bisa"),
    (
        "layanan_digital",
        "Wifi gratis di alun-alun ada sinyal tapi ga bisa konek internet, halaman loginnya error.",
    ),
    (
        "layanan_digital",
        "Kamera CCTV di perempatan Jl Sudirman mati, kemarin ada tabrak lari gak ada rekamannya.",
    ),
    ("layanan_digital", "OTP buat daftar akun di aplikasi pengaduan gak pernah masuk ke HP saya."),
    (
        "layanan_digital",
        "Dengan hormat, kami sampaikan bahwa portal e-layanan kelurahan tidak dapat diakses sejak tanggal 5 Juni dan menampilkan pesan kesalahan server. Akibatnya warga tidak dapat mengajukan surat secara daring. Mohon segera diperbaiki.",
    ),
    ("layanan_digital", "Situs resmi kota kok isinya iklan judi online, kayaknya dihack."),
    (
        "layanan_digital",
        "Aplikasi antrean puskesmas milik pemkot selalu force close di HP android saya.",
    ),
    (
        "layanan_digital",
        "Layanan chat WA pemkot cuma dibalas bot, tidak pernah nyambung ke petugas.",
    ),
    ("layanan_digital", "wifi gratis ning taman kota ra iso nyambung"),
    (
        "layanan_digital",
        "Data di website satu data kota masih data tahun 2019, tidak pernah update.",
    ),
    (
        "layanan_digital",
        "APLIKASI PEMKOT ERROR TERUS, BUAT APA BIKIN APLIKASI KALAU GA BISA DIPAKAI",
    ),
    ("layanan_digital", "Link formulir pengaduan di website kecamatan mengarah ke halaman 404."),
    (
        "layanan_digital",
        "Hotspot internet gratis di balai warga sudah 3 bulan mati, anak-anak sekolah daring susah.",
    ),
    # pasar
    ("pasar", "Gas melon langka di kecamatan kami, kalaupun ada harganya 35 ribu."),
    ("pasar", "@disdag harga cabe rawit di pasar induk tembus 120rb/kg, tolong operasi pasar"),
    ("pasar", "Los daging di pasar Legi becek, bau, atapnya bocor, lalat di mana-mana."),
    (
        "pasar",
        "Beli beras 5 kg di kios pasar, pas ditimbang di rumah kurang setengah kilo. Timbangannya diakali.",
    ),
    (
        "pasar",
        "Pasar baru sudah jadi tapi pedagang lama tidak kebagian kios, malah dijual ke orang luar.",
    ),
    (
        "pasar",
        "Dengan hormat, kami para pedagang Pasar Kliwon menyampaikan bahwa kondisi atap dan saluran air di blok B rusak parah sehingga setiap hujan los pedagang tergenang. Mohon dilakukan perbaikan. Terima kasih.",
    ),
    ("pasar", "Minyak goreng curah di warung sudah 22 ribu seliter, ibu-ibu pusing."),
    (
        "pasar",
        "Toilet pasar tidak ada air dan pintunya rusak, pedagang terpaksa numpang di masjid.",
    ),
    (
        "pasar",
        "Pangkalan elpiji di RT kami jual tabung 3 kg ke pedagang besar, warga sendiri tidak kebagian.",
    ),
    ("pasar", "rego brambang neng pasar mundhak terus, wong cilik susah"),
    ("pasar", "Pasar darurat selama renovasi cuma tenda terpal, panas dan kalau hujan becek."),
    ("pasar", "GAS LPG 3 KG HILANG DARI PASARAN, MAU MASAK PAKE APA?"),
    ("pasar", "Ada pedagang di pasar jual daging sapi campur daging celeng, tolong diawasi."),
    ("pasar", "Lantai dua pasar sepi dan gelap, tangganya rusak, pedagang di atas bangkrut."),
    # ketenagakerjaan
    (
        "ketenagakerjaan",
        "Lebaran kurang seminggu, THR dari pabrik belum ada kabar, HRD bilang tunggu keputusan pusat.",
    ),
    (
        "ketenagakerjaan",
        "@disnaker gaji kami di toko retail cuma 2 juta padahal UMK sudah 4,5 juta",
    ),
    ("ketenagakerjaan", "Saya kena PHK bulan lalu tanpa pesangon, katanya perusahaan rugi."),
    (
        "ketenagakerjaan",
        "Perusahaan tempat saya kerja potong gaji buat BPJS Ketenagakerjaan tapi waktu saya cek tidak terdaftar.",
    ),
    (
        "ketenagakerjaan",
        "Mau bikin kartu kuning buat melamar kerja, di disnaker disuruh balik besok terus.",
    ),
    (
        "ketenagakerjaan",
        "Dengan hormat, kami perwakilan karyawan PT Sinar Abadi melaporkan bahwa upah bulan Mei dan Juni belum dibayarkan oleh perusahaan, dan perusahaan tidak memberikan kejelasan. Mohon Dinas Tenaga Kerja melakukan pemeriksaan dan mediasi.",
    ),
    (
        "ketenagakerjaan",
        "Kerja 12 jam di gudang, lembur tidak dihitung, kalau protes diancam tidak diperpanjang kontraknya.",
    ),
    (
        "ketenagakerjaan",
        "Ijazah asli saya ditahan perusahaan sebagai jaminan, sekarang saya resign tidak dikembalikan.",
    ),
    ("ketenagakerjaan", "Teman saya hamil langsung diputus kontrak, padahal kerjanya bagus."),
    ("ketenagakerjaan", "THR ku mung dibayar separo, jarene perusahaan lagi sepi"),
    (
        "ketenagakerjaan",
        "Pelatihan las gratis di BLK pesertanya orang-orang titipan, yang daftar online tidak dipanggil.",
    ),
    ("ketenagakerjaan", "PHK MASSAL DI PABRIK SEPATU TANPA PESANGON, KAMI HARUS KEMANA?"),
    (
        "ketenagakerjaan",
        "Buruh bangunan proyek mall tidak pakai helm dan sabuk pengaman, sudah ada yang jatuh.",
    ),
    (
        "ketenagakerjaan",
        "Agen penyalur kerja minta uang 3 juta buat penempatan kerja di pabrik, setelah bayar tidak ada kabar.",
    ),
    # lainnya
    ("lainnya", "Assalamualaikum pak admin, semoga sehat selalu"),
    ("lainnya", "Mantul pelayanan disdukcapil sekarang, KTP jadi sehari. Terima kasih!"),
    (
        "lainnya",
        "Tetangga depan rumah suka ngomongin saya di grup arisan, saya sakit hati, bisa dilaporkan ke mana?",
    ),
    ("lainnya", "JUAL BELI HP BEKAS BERGARANSI, CEK IG KAMI"),
    ("lainnya", "Kapan timnas masuk piala dunia min wkwk"),
    (
        "lainnya",
        "Jaringan internet fiber dari provider di rumah mati 3 hari, teknisinya belum datang juga.",
    ),
    (
        "lainnya",
        "Adik saya diusir suaminya dari rumah, padahal rumah itu atas nama berdua, gimana cara ngurusnya?",
    ),
    ("lainnya", "Pemerintah pusat tolong turunkan harga BBM, rakyat kecil menjerit"),
    ("lainnya", "Min, ini nomor buat lapor apa ya? saya baru install"),
    ("lainnya", "Listrik padam dari jam 6 sore sampai sekarang, PLN dihubungi sibuk terus"),
    ("lainnya", "selamat ulang tahun kota, semoga makin maju"),
    ("lainnya", "Tolong bantu cari kucing saya yang hilang, warna oranye, namanya Mochi"),
    ("lainnya", "Saya mau protes acara TV yang tayang jam anak-anak isinya kekerasan"),
    (
        "lainnya",
        "Kemarin saya lapor lampu jalan dan sudah diganti, terima kasih respon cepatnya petugas",
    ),
    ("lainnya", "Tanah warisan kakek diserobot paman sendiri, saya butuh bantuan hukum"),
    ("lainnya", "hp saya kecopetan di bus kota, bisa dilacak ga"),
)
