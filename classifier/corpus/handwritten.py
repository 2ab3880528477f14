"""Complete complaints written one by one for training (not templated).

They add sentence shapes the slot generators cannot make: long Facebook-group posts, replies
in a thread, elderly formal letters, code-mixed rants. None of them is in the holdout.
"""

HANDWRITTEN: tuple[tuple[str, str], ...] = (
    # jalan
    (
        "jalan",
        "Dulur-dulur, hati-hati kalau lewat turunan dekat pabrik es, ada cekungan dalam pas di tengah, semalam ada bapak-bapak jatuh sama dagangannya. Pemkot kapan ini diurus?",
    ),
    (
        "jalan",
        "Sebagai warga yang taat bayar pajak saya kecewa, ruas jalan provinsi sampai jalan kota di wilayah kami tambal sulam terus, tiap musim hujan hancur lagi.",
    ),
    ("jalan", "ini jalan apa kolam lele sih, tiap lewat motor kudu nyemplung"),
    (
        "jalan",
        "Jembatan bambu di dusun kami sudah miring, kalau banjir kecil saja sudah goyang. Anak-anak tiap hari menyeberang untuk sekolah.",
    ),
    (
        "jalan",
        "Permukaan jalan di depan gerbang tol keluar kota retak-retak dan ada bagian yang turun, truk-truk sering oleng.",
    ),
    ("jalan", "kpn jln d kmpg kami d aspal pak, udh 10 thn cm batu doang"),
    (
        "jalan",
        "Mohon perhatian, trotoar baru di kawasan kota tua sudah banyak yang jebol padahal baru diresmikan, ubinnya licin dan pecah.",
    ),
    # drainase
    (
        "drainase",
        "Warga Perum Bumi Asri tiap hujan deras pasti kebanjiran jalan komplek sebetis, penyebabnya saluran di ujung blok yang menyempit. Belum sampai masuk rumah tapi mobil tidak bisa keluar.",
    ),
    (
        "drainase",
        "Gorong-gorong di bawah rel kereta tersumbat, sisi utara rel selalu tergenang habis hujan.",
    ),
    ("drainase", "got depan toko sy ketutup tanah bekas galian pipa, air nya luber kemana2"),
    (
        "drainase",
        "Mohon kali kecil di belakang perumahan dikeruk. Sedimennya sudah tinggi dan ditumbuhi rumput, setiap hujan air balik ke selokan warga.",
    ),
    (
        "drainase",
        "Ada lubang saluran air di pinggir jalan yang terbuka tanpa penutup, sudah dua motor nyungsep ke situ.",
    ),
    ("drainase", "Banyune ora iso mili merga gorong-gorong e kebak lemah, saben udan ngembeng."),
    # sampah
    (
        "sampah",
        "Gimana mau bersih kalau truk pengangkut cuma datang seminggu sekali, sementara satu RW ada 400 KK. Tempat penampungan sementara selalu kelebihan.",
    ),
    (
        "sampah",
        "Saya lihat sendiri mobil dari restoran besar buang sisa makanan berkarung-karung ke lahan kosong dekat rel.",
    ),
    (
        "sampah",
        "tolonggg sampah di jembatan udah numpuk sampe bau bgt, lewat situ harus tahan napas",
    ),
    (
        "sampah",
        "Bank sampah sudah kami bentuk tapi hasil pilahan tidak pernah diambil petugas, akhirnya warga buang campur lagi.",
    ),
    (
        "sampah",
        "Di pinggir pantai banyak sampah plastik, wisatawan jadi malas datang, tolong dibersihkan dan disediakan tong.",
    ),
    (
        "sampah",
        "Gerobak pengangkut rusak, petugasnya bilang belum diganti dinas, sudah dua minggu rumah-rumah menumpuk kantong di depan pagar.",
    ),
    # pencemaran
    (
        "pencemaran",
        "Kepada yang terhormat, kami warga sekitar kawasan industri sudah bertahun-tahun menghirup bau kimia setiap malam, banyak anak yang sakit pernapasan. Mohon diukur kualitas udaranya.",
    ),
    (
        "pencemaran",
        "kali di kampung ku jadi item pekat, bau solar, ikan pada mati, pasti ada pabrik nakal",
    ),
    (
        "pencemaran",
        "Tiap Minggu pagi pemilik kebun sebelah membakar tumpukan daun dan plastik, asapnya mengepul masuk ke rumah-rumah, jemuran bau asap semua.",
    ),
    (
        "pencemaran",
        "Rumah makan besar di dekat kompleks membuang minyak jelantah ke saluran, baunya tengik dan airnya berminyak.",
    ),
    (
        "pencemaran",
        "Gudang pengepul rongsok di samping rumah memotong besi pakai mesin sampai jam 11 malam, bisingnya luar biasa.",
    ),
    (
        "pencemaran",
        "Asep pabrik aspal masuk kampung, mata pedes, dada sesek, tiap hari kayak gini.",
    ),
    # taman_pohon
    (
        "taman_pohon",
        "Pohon cemara di pinggir lapangan sudah mati kering, tinggal batang, takutnya roboh pas anak-anak main bola.",
    ),
    (
        "taman_pohon",
        "Taman lansia di dekat kantor kecamatan sekarang kumuh, alat olahraganya karatan dan rumputnya tidak pernah dipotong.",
    ),
    (
        "taman_pohon",
        "dahan gede nyangkut di atap rumah warga abis angin semalem, cuma satu pohon sih tapi ngeri",
    ),
    (
        "taman_pohon",
        "Di pemakaman umum banyak makam yang ambles dan jalan setapaknya hilang ditutup semak, mohon ada perawatan rutin.",
    ),
    (
        "taman_pohon",
        "Pohon ketapang di depan sekolah rantingnya sudah menjulur ke kelas, dulu pernah ada yang patah menimpa motor guru.",
    ),
    (
        "taman_pohon",
        "Ruang terbuka hijau di perumahan kami malah dipagari dan mau dibangun ruko, padahal itu tempat anak-anak main.",
    ),
    # penerangan_jalan
    (
        "penerangan_jalan",
        "Dari ujung jembatan sampai pertigaan kuburan tidak ada penerangan sama sekali, pengendara cuma modal lampu motor.",
    ),
    ("penerangan_jalan", "lampu jln depan gg nyala mati nyala mati, kadang mati total sampe pagi"),
    (
        "penerangan_jalan",
        "Tiang PJU di samping lapangan sudah lama lampunya hilang, tinggal kap lampunya saja.",
    ),
    (
        "penerangan_jalan",
        "Sejak pelebaran jalan, tiang-tiang lampu dicabut dan tidak dipasang lagi, sekarang kalau malam gelap total.",
    ),
    (
        "penerangan_jalan",
        "Lampu penerangan jalan di komplek menyala terus dari pagi sampai pagi lagi, mungkin sensornya rusak.",
    ),
    (
        "penerangan_jalan",
        "Lampu jalan mati sejak ada pemadaman listrik minggu lalu dan tidak nyala lagi meski listrik rumah sudah normal.",
    ),
    # lalu_lintas
    (
        "lalu_lintas",
        "Kenapa di jalur sekolah tidak ada petugas yang mengatur pas jam masuk? Kendaraan saling serobot, anak-anak nyebrang sendiri.",
    ),
    (
        "lalu_lintas",
        "Bangjo di simpang empat dekat kampus hijaunya cuma 10 detik, antrean dari arah barat sampai 1 km.",
    ),
    (
        "lalu_lintas",
        "angkot sama bus pada berhenti sembarangan nurunin penumpang di tikungan, bahaya banget",
    ),
    (
        "lalu_lintas",
        "Rambu dilarang masuk di mulut jalan satu arah sudah roboh, banyak mobil salah masuk dan bikin macet.",
    ),
    (
        "lalu_lintas",
        "Usul pak, di depan pasar pagi dibuat jembatan penyeberangan atau pelican crossing, sudah banyak ibu-ibu keserempet.",
    ),
    (
        "lalu_lintas",
        "Bus rapid transit jurusan terminal ke bandara sering tidak berhenti di halte, sopirnya ngebut.",
    ),
    # parkir
    (
        "parkir",
        "Di sepanjang jalan ruko, mobil parkir dua lapis. Kalau ada mobil pemadam lewat pasti tidak bisa.",
    ),
    ("parkir", "jukir di depan apotek galak bgt, baru turun udh ditagih, pas keluar ditagih lagi"),
    (
        "parkir",
        "Sudah bayar parkir berlangganan tiap tahun, tapi di pinggir jalan masih ditarik bayaran oleh juru parkir.",
    ),
    (
        "parkir",
        "Mobil-mobil rental parkir menginap di badan jalan kampung, warga tidak bisa lewat dengan mobil.",
    ),
    (
        "parkir",
        "Parkir di rumah sakit umum mahal sekali, per jam lima ribu, pasien rawat inap keluarganya bangkrut bayar parkir.",
    ),
    (
        "parkir",
        "Ada orang yang menguasai lahan di depan gedung olahraga dan menarik uang parkir tanpa karcis resmi.",
    ),
    # kesehatan
    (
        "kesehatan",
        "Anak saya kejang malam-malam, dibawa ke puskesmas rawat inap katanya dokter tidak ada, disuruh ke RS yang jaraknya 30 km.",
    ),
    (
        "kesehatan",
        "Kader posyandu bilang PMT untuk balita stunting tidak turun lagi sejak awal tahun.",
    ),
    (
        "kesehatan",
        "min rs daerah nyuruh kita beli obat sendiri di luar padahal pakai bpjs, itu boleh ga sih",
    ),
    (
        "kesehatan",
        "Tolong sosialisasi pemberantasan sarang nyamuk di kampung kami, sudah ada yang meninggal karena demam berdarah.",
    ),
    (
        "kesehatan",
        "Petugas pendaftaran puskesmas membentak ibu-ibu yang tidak membawa fotokopi KTP, padahal sudah sakit.",
    ),
    (
        "kesehatan",
        "Pelayanan cuci darah di RSUD antreannya berbulan-bulan, pasien gagal ginjal harus ke kota lain.",
    ),
    # kependudukan
    (
        "kependudukan",
        "Saya TKI yang baru pulang, mau urus KTP baru karena yang lama hilang tapi disuruh bawa surat yang macam-macam.",
    ),
    (
        "kependudukan",
        "Kartu identitas anak sudah diajukan sejak anak saya umur 5, sekarang umur 7 belum juga jadi.",
    ),
    (
        "kependudukan",
        "dukcapil kok bisa salah cetak tanggal lahir di kk, pas diurus lagi suruh nunggu sebulan",
    ),
    (
        "kependudukan",
        "Pelayanan cetak KTP di mal pelayanan hanya melayani 50 orang per hari, yang datang ratusan.",
    ),
    (
        "kependudukan",
        "Mohon dibantu perbaikan elemen data di KK, nama almarhum suami masih tercantum sebagai kepala keluarga.",
    ),
    (
        "kependudukan",
        "Mau urus akta cerai untuk perubahan status di kartu keluarga, katanya sistemnya belum tersambung.",
    ),
    # pendidikan
    (
        "pendidikan",
        "Kami orang tua murid keberatan sekolah mewajibkan les tambahan sore berbayar 300 ribu per bulan.",
    ),
    (
        "pendidikan",
        "Gedung SD di kampung kami tinggal dua kelas yang layak, kelas lain retak dan bocor, murid belajar bergantian.",
    ),
    (
        "pendidikan",
        "anak sy udah lulus smk, mau kerja butuh ijazah, sekolah nahan krn uang praktik blm lunas",
    ),
    (
        "pendidikan",
        "PPDB online jalur zonasi dipenuhi KK titipan, alamat numpang di rumah orang dekat sekolah.",
    ),
    ("pendidikan", "Guru olahraga memukul murid sampai memar karena telat ikut upacara."),
    (
        "pendidikan",
        "Sekolah negeri menjual kalender dan majalah sekolah ke murid dengan harga mahal dan wajib dibeli.",
    ),
    # ketertiban
    (
        "ketertiban",
        "Tiap sore lapangan kota dipenuhi pedagang yang membuka lapak sampai ke jalan, pengunjung taman tidak bisa jalan.",
    ),
    (
        "ketertiban",
        "Ada bangunan ruko baru yang menutup sebagian bahu jalan dan melewati garis sempadan, kok dibiarkan?",
    ),
    (
        "ketertiban",
        "anak2 muda nongkrong minum2 di taman sampai pagi, ribut, kadang ngelempar botol",
    ),
    (
        "ketertiban",
        "Bar di lantai atas ruko sebelah hotel selalu buka lewat jam 2 malam, musiknya menggelegar ke perumahan belakang.",
    ),
    (
        "ketertiban",
        "Spanduk dan umbul-umbul promosi dipasang melintang jalan tanpa izin, banyak yang sudah robek dan menjuntai.",
    ),
    (
        "ketertiban",
        "Warung yang katanya jual jamu ternyata jual minuman oplosan, sudah ada pemuda yang masuk rumah sakit.",
    ),
    # sosial
    (
        "sosial",
        "Ada nenek yang tiap hari duduk di trotoar depan bank sambil minta-minta, katanya anaknya tidak mengurus lagi.",
    ),
    ("sosial", "Bantuan PKH dipotong 50 ribu oleh ketua kelompok dengan alasan uang transport."),
    (
        "sosial",
        "orang gila di perempatan pasar suka ngejar2 anak sekolah, kasian juga sih tapi bahaya",
    ),
    (
        "sosial",
        "Keluarga tetangga kami enam orang tinggal di satu kamar kontrakan, ayahnya lumpuh, belum pernah dapat bantuan apa pun.",
    ),
    (
        "sosial",
        "Mohon pendataan ulang DTKS di RW kami, banyak penerima yang sudah pindah atau meninggal tapi masih tercatat.",
    ),
    (
        "sosial",
        "Setiap malam di pertigaan ada anak usia SD jualan koran dan mengamen sampai jam sebelas, kemana Dinas Sosial?",
    ),
    # air_bersih
    (
        "air_bersih",
        "Kami pelanggan lama, tiga bulan terakhir air cuma keluar dua hari dalam seminggu, tapi abonemen tetap penuh.",
    ),
    ("air_bersih", "air pam d rmh bau besi, klo didiemin jd merah, ga brani buat masak"),
    (
        "air_bersih",
        "Sudah tiga kali lapor kebocoran pipa distribusi di depan rumah, petugas datang cuma foto-foto lalu pergi.",
    ),
    (
        "air_bersih",
        "Mohon jaringan perpipaan air minum diperluas ke kampung kami, selama ini warga beli air jeriken.",
    ),
    (
        "air_bersih",
        "Rekening air tetap datang padahal rumah kosong dan meteran sudah disegel sejak tahun lalu.",
    ),
    (
        "air_bersih",
        "Kualitas air dari perusahaan air minum daerah menurun, banyak lumut dan pasir di penampungan rumah.",
    ),
    # kebakaran
    (
        "kebakaran",
        "ASAP HITAM DARI GUDANG KERTAS DI UJUNG GANG, APINYA MULAI KELIHATAN, TOLONG SEGERA!",
    ),
    (
        "kebakaran",
        "Ada anak yang kepalanya terjepit di pagar besi sekolah, guru-guru sudah mencoba tapi tidak bisa dilepas.",
    ),
    (
        "kebakaran",
        "Tawon ndas bersarang di plafon rumah, sudah sebesar ember, kami tidak berani masuk kamar belakang.",
    ),
    (
        "kebakaran",
        "Kemarin ada ular kobra di dapur tetangga, sempat lari ke kolong lemari, kami butuh petugas penyelamat.",
    ),
    (
        "kebakaran",
        "Hidran di kawasan permukiman padat kami sudah dicek warga, tidak ada tekanan airnya sama sekali.",
    ),
    ("kebakaran", "Kabel di tiang listrik depan rumah terbakar dan memercik api ke atap warung."),
    # bencana
    (
        "bencana",
        "Desa kami terdampak banjir sejak subuh, air setinggi dada, puluhan keluarga sudah di posko tapi kekurangan selimut.",
    ),
    (
        "bencana",
        "Tebing setinggi 20 meter di belakang sekolah retak dan sebagian sudah longsor, mohon segera dikaji.",
    ),
    (
        "bencana",
        "angin kenceng sore tadi banyak atap rumah terbang, pohon roboh di beberapa jalan, listrik mati semua",
    ),
    (
        "bencana",
        "Pasca gempa kemarin banyak warga takut tidur di rumah dan memilih di tenda, mohon bantuan terpal dan makanan.",
    ),
    (
        "bencana",
        "Tanggul kali meluap lagi, air masuk ke rumah-rumah di RW 3 dan RW 4, perabotan warga terendam.",
    ),
    (
        "bencana",
        "Longsor menimbun jalan dan dua rumah di dusun atas, warga masih mencari satu orang yang hilang.",
    ),
    # perizinan
    (
        "perizinan",
        "Pengajuan izin usaha mikro saya di sistem perizinan ditolak karena KBLI, padahal sudah saya ikuti petunjuk petugas.",
    ),
    (
        "perizinan",
        "Persetujuan bangunan gedung untuk toko kami sudah 120 hari belum terbit, padahal janjinya 28 hari kerja.",
    ),
    ("perizinan", "urus izin praktik bidan di dpmptsp lama bgt, berkas bolak balik dikembalikan"),
    (
        "perizinan",
        "Ada oknum di kantor pelayanan perizinan yang minta biaya percepatan untuk izin restoran kami.",
    ),
    (
        "perizinan",
        "Kenapa izin mendirikan menara telekomunikasi di kampung kami keluar padahal warga menolak dan tidak pernah disosialisasikan?",
    ),
    (
        "perizinan",
        "Izin usaha toko kelontong saya dibekukan tanpa surat peringatan, bagaimana cara mengurus ulang?",
    ),
    # pajak_daerah
    (
        "pajak_daerah",
        "Saya pensiunan dengan rumah kecil, tapi PBB saya naik tiga kali lipat karena NJOP kawasan dinaikkan. Mohon keringanan.",
    ),
    (
        "pajak_daerah",
        "SPPT PBB tahun ini ganda, satu atas nama saya satu atas nama penjual, dua-duanya ditagih.",
    ),
    ("pajak_daerah", "bayar pbb via e-wallet udah sukses, tapi pas dicek status masih belum lunas"),
    (
        "pajak_daerah",
        "Mohon penjelasan dasar pengenaan pajak hiburan yang naik jadi 40 persen untuk usaha karaoke keluarga kecil.",
    ),
    (
        "pajak_daerah",
        "Pengajuan pengurangan PBB untuk lahan pertanian belum ada jawaban sejak lima bulan lalu.",
    ),
    (
        "pajak_daerah",
        "Kedai kopi di pusat kota mengenakan pajak restoran tapi tidak pernah memberikan bukti pembayaran resmi.",
    ),
    # aparatur
    (
        "aparatur",
        "Pegawai kantor kelurahan kami sering pulang jam satu siang, warga yang datang sore selalu disuruh kembali besok.",
    ),
    ("aparatur", "Ada pejabat di kecamatan yang minta fee dari dana kegiatan RW, katanya jatah."),
    (
        "aparatur",
        "mau minta surat pengantar skck aja di kelurahan disuruh bayar 50 rb, katanya buat kas",
    ),
    (
        "aparatur",
        "Oknum Satpol PP menyita dagangan ibu saya lalu minta uang tebusan supaya barangnya dikembalikan.",
    ),
    (
        "aparatur",
        "Kepala seksi di kecamatan tidak pernah ada di mejanya, tanda tangan surat tertunda seminggu.",
    ),
    (
        "aparatur",
        "Petugas kelurahan merokok di ruang pelayanan dan berbicara kasar kepada ibu-ibu lansia.",
    ),
    # layanan_digital
    (
        "layanan_digital",
        "Aplikasi pengaduan pemkot versi baru tidak bisa upload foto, selalu gagal di 99 persen.",
    ),
    (
        "layanan_digital",
        "Halaman pendaftaran antrean online di situs pelayanan kota menampilkan pesan sertifikat tidak aman.",
    ),
    (
        "layanan_digital",
        "wifi publik di taman baca ga bisa dipake, sinyal full tapi ga ada internet",
    ),
    (
        "layanan_digital",
        "Kamera pengawas kota di persimpangan pasar sudah setahun tidak merekam, padahal sering ada jambret.",
    ),
    (
        "layanan_digital",
        "Email konfirmasi dari sistem layanan online pemkot tidak pernah masuk, jadi akun tidak bisa diaktifkan.",
    ),
    (
        "layanan_digital",
        "Aplikasi smart city milik pemkot menampilkan data pribadi warga lain di menu riwayat, ini bahaya.",
    ),
    # pasar
    (
        "pasar",
        "Pedagang di pasar ikan menggunakan anak timbangan yang sudah diganjal magnet, pembeli rugi.",
    ),
    (
        "pasar",
        "Harga daging ayam di pasar naik jadi 45 ribu per kilo, padahal kata pemerintah stok aman.",
    ),
    (
        "pasar",
        "pasar tradisional jorok bgt, lorongnya becek, atap seng banyak bolong, pembeli pindah ke minimarket",
    ),
    (
        "pasar",
        "Elpiji tiga kilo di pangkalan selalu habis dalam satu jam, warga yang kerja tidak pernah kebagian.",
    ),
    (
        "pasar",
        "Kios di pasar hasil revitalisasi dijual ratusan juta, pedagang kecil tidak mampu beli dan terpaksa berjualan di luar.",
    ),
    (
        "pasar",
        "Beras premium yang dijual di pasar kemasannya ternyata diisi beras medium, mohon diawasi.",
    ),
    # ketenagakerjaan
    (
        "ketenagakerjaan",
        "Sudah lima tahun kerja sebagai karyawan kontrak di pabrik yang sama, tidak pernah diangkat tetap.",
    ),
    (
        "ketenagakerjaan",
        "Upah harian di proyek pembangunan gedung pemerintah dibayar terlambat dua bulan oleh kontraktor.",
    ),
    ("ketenagakerjaan", "thr dari toko tempat sy kerja cuma dikasih sembako, katanya gantinya"),
    (
        "ketenagakerjaan",
        "Perusahaan menyuruh kami tanda tangan surat pengunduran diri supaya tidak bayar pesangon.",
    ),
    (
        "ketenagakerjaan",
        "Pendaftaran pelatihan kerja berbasis kompetensi sudah ditutup padahal baru dibuka sehari.",
    ),
    (
        "ketenagakerjaan",
        "Satpam di perusahaan outsourcing digaji di bawah UMK dan tidak dapat uang lembur meski jaga 12 jam.",
    ),
    # lainnya
    ("lainnya", "selamat malam, saya cuma mau bilang aplikasi ini keren"),
    ("lainnya", "Boleh kenalan sama adminnya gak?"),
    (
        "lainnya",
        "Anak saya dipukul anak tetangga waktu main, orang tuanya malah marah ke saya. Saya harus bagaimana?",
    ),
    ("lainnya", "GRATIS ONGKIR SELURUH INDONESIA, ORDER SEKARANG JUGA"),
    ("lainnya", "Siapa yang menang debat capres semalam menurut admin?"),
    ("lainnya", "Saya tertipu investasi bodong teman kantor, uang 50 juta hilang."),
    ("lainnya", "Lampu jalan di gang kami sudah terang sekarang, terima kasih pemkot"),
    ("lainnya", "Mohon doanya ibu saya sedang sakit"),
    ("lainnya", "Sepeda anak saya dicuri di teras rumah tadi malam, apakah bisa dibantu cari?"),
    ("lainnya", "Kenapa harga tiket kereta ekonomi naik terus?"),
)
