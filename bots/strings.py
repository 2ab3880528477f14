"""Everything the bots say to citizens, in Bahasa Indonesia (the default) and English.

Keys are the same in both languages (a test checks it). Button labels stay within WhatsApp's
20 characters. Placeholders use str.format names.
"""

from __future__ import annotations

LANGUAGES = ("id", "en")

ID: dict[str, str] = {
    # greeting and help
    "greeting": (
        "Selamat datang di layanan pengaduan {city}. Kami siap menerima laporan Anda "
        "tentang layanan dan fasilitas publik."
    ),
    "help": (
        "Cara memakai layanan ini:\n"
        "• Ceritakan masalahnya dalam pesan (atau ketik /lapor) untuk membuat laporan.\n"
        "• /status KODE untuk cek status laporan, misalnya /status ABCDE-FGH12 "
        "(bisa juga: cek ABCDE-FGH12).\n"
        "• /laporanku untuk melihat laporan Anda.\n"
        "• /batal untuk membatalkan laporan yang sedang dibuat.\n"
        "• /bahasa untuk mengganti bahasa."
    ),
    "unknown_command": "Maaf, perintah itu tidak kami kenal.",
    # a message that is no complaint (a greeting, thanks, a question): answered, not filed
    "reply_salam": "Wa'alaikumsalam warahmatullahi wabarakatuh.",
    "reply_not_a_complaint": (
        "Terima kasih atas pesannya. Bila ada masalah layanan atau fasilitas publik yang ingin "
        "Anda laporkan, ceritakan saja di sini: apa yang terjadi, di mana, dan sejak kapan. "
        "Untuk cek laporan, ketik /status KODE; bantuan: /bantuan. Bila pesan tadi memang "
        "laporan, tekan Lanjut."
    ),
    # writing the description
    "ask_description": (
        "Silakan ceritakan masalahnya: apa yang terjadi, sejak kapan, dan dampaknya. "
        "Anda boleh mengirim beberapa pesan dan foto."
    ),
    "description_noted": (
        "Terima kasih, keterangan sudah kami catat ({length} karakter). Anda boleh menambah "
        "keterangan atau foto, lalu tekan Lanjut."
    ),
    "description_too_short": (
        "Keterangannya masih terlalu singkat. Mohon ceritakan lebih lengkap "
        "(paling sedikit {minimum} karakter)."
    ),
    "draft_in_progress": "Anda sedang membuat laporan. Mari kita lanjutkan.",
    # location
    "ask_location": (
        "Di mana lokasinya? Bagikan lokasi lewat tombol lampiran (📎 → Lokasi), ketik "
        "alamatnya, atau tekan Lewati."
    ),
    "location_noted": "Lokasi sudah kami catat.",
    "location_outside": (
        "Maaf, lokasi itu berada di luar wilayah Indonesia. Mohon bagikan lokasi kejadian, "
        "atau ketik alamatnya."
    ),
    "address_too_long": "Alamatnya terlalu panjang. Mohon ringkas menjadi paling banyak {maximum} karakter.",
    # photos
    "ask_photos": (
        "Ada foto kejadian? Kirim paling banyak {maximum} foto, atau tekan Selesai bila tidak ada."
    ),
    "photo_noted": "Foto diterima ({count} dari {maximum}).",
    "photo_limit": "Laporan ini sudah berisi {maximum} foto, jumlah paling banyak.",
    "photo_fetch_failed": "Maaf, foto Anda gagal kami unduh. Silakan coba kirim lagi.",
    "photo_too_large": "Maaf, foto itu lebih besar dari 5 MB. Mohon kirim foto yang lebih kecil.",
    "photo_not_image": "Maaf, berkas itu bukan foto yang kami kenali. Kirim foto JPEG, PNG, atau WebP.",
    "photo_unreadable": (
        "Maaf, foto itu tidak dapat kami buka; berkasnya mungkin rusak. Mohon kirim foto lain."
    ),
    "photo_too_many_pixels": (
        "Maaf, ukuran gambar itu terlalu besar (lebih dari 40 megapiksel). "
        "Mohon kirim foto yang lebih kecil."
    ),
    "photo_not_now": "Tahap foto sudah lewat, jadi foto itu tidak kami tambahkan.",
    "photos_text_hint": (
        "Saat ini kami menunggu foto. Keterangan laporan bisa diubah nanti dengan tombol Ubah."
    ),
    # privacy
    "ask_rahasia": (
        "Apakah laporan ini rahasia? Laporan rahasia tidak ditampilkan ke publik; hanya Anda "
        "(dengan kode pelacakan) dan petugas yang dapat melihatnya. Pilihan bawaan: {default}."
    ),
    "ask_anonim": (
        "Apakah Anda ingin anonim? Jika anonim, identitas Anda disembunyikan dari siapa pun, "
        "termasuk petugas. Pilihan bawaan: {default}."
    ),
    "choose_yes_no": "Mohon pilih Ya atau Tidak.",
    # summary and sending
    "summary": (
        "Ringkasan laporan Anda:\n"
        "Keterangan: {text}\n"
        "Lokasi: {location}\n"
        "Foto: {photos}\n"
        "Rahasia: {rahasia}\n"
        "Anonim: {anonim}\n"
        "Perkiraan kategori: {category}\n"
        "{privacy}\n"
        "Tekan Kirim untuk mengirim, Ubah untuk menulis ulang keterangan, atau Batal."
    ),
    "summary_hidden": "Data pribadi ({kinds}) disembunyikan dari tampilan publik.\n",
    "summary_suggest_rahasia": (
        "Saran: laporan ini menyebut seseorang dalam tuduhan (pungli, suap, pemerasan). Demi "
        "keamanan Anda dan orang yang disebut, sebaiknya dibuat rahasia. Ketik RAHASIA untuk "
        "menjadikannya rahasia; pilihan tetap di tangan Anda.\n"
    ),
    "suggest_rahasia": (
        "Laporan Anda menyebut seseorang dalam tuduhan (pungli, suap, pemerasan). Demi keamanan "
        "Anda dan orang yang disebut, kami sarankan memilih rahasia (Ya)."
    ),
    "rahasia_set": "Baik, laporan ini akan dikirim sebagai laporan rahasia.",
    "summary_no_location": "tidak diisi",
    "summary_coordinates": "titik {lat:.5f}, {lon:.5f}",
    "summary_no_category": "akan ditentukan oleh petugas verifikasi",
    "summary_category_note": "{name} (akan diperiksa petugas)",
    "confirm_hint": "Mohon tekan Kirim, Ubah, atau Batal.",
    "ask_rewrite": "Silakan tulis ulang keterangan laporan Anda dalam satu pesan.",
    "filed": (
        "Laporan Anda sudah kami terima. Terima kasih!\n"
        "Kode pelacakan: {code}\n"
        "Simpan kode ini untuk memantau laporan Anda: {url}\n"
        "Kami akan mengabari Anda di sini setiap ada perkembangan."
    ),
    "filed_before": "Laporan ini sudah terkirim sebelumnya dengan kode {code}: {url}",
    "filing_failed": "Maaf, laporan belum bisa dikirim: {reason}",
    "filing_limited": (
        "Anda sudah mengirim banyak laporan dalam waktu singkat. Laporan ini tetap kami simpan; "
        "silakan tekan Kirim lagi dalam {minutes} menit."
    ),
    # cancel and expiry
    "cancelled": "Laporan yang sedang dibuat sudah dibatalkan. Ketik /lapor bila ingin melapor lagi.",
    "nothing_to_cancel": "Tidak ada laporan yang sedang dibuat.",
    "expired": (
        "Draf laporan Anda kami hapus karena tidak dilanjutkan selama 24 jam. "
        "Silakan kirim pesan baru bila ingin melapor."
    ),
    # status
    "status_usage": "Ketik /status diikuti kode pelacakan, misalnya /status ABCDE-FGH12.",
    "status": "Laporan {code}\nStatus: {label}",
    "status_agency": "Ditangani oleh: {agency}",
    "status_note": "Catatan terakhir: {note}",
    "status_link": "Selengkapnya: {url}",
    "code_typo": "Kode {code} sepertinya salah ketik. Mohon periksa kembali setiap hurufnya.",
    "code_malformed": (
        "Itu bukan kode pelacakan. Kode terdiri dari 10 huruf dan angka, misalnya ABCDE-FGH12."
    ),
    "code_unknown": "Laporan dengan kode {code} tidak kami temukan.",
    # my reports
    "my_reports": "Laporan Anda (paling baru di atas):",
    "my_report_line": "• {code} ({date}) {label}: {excerpt}",
    "my_reports_none": "Anda belum pernah mengirim laporan lewat sini.",
    # language
    "choose_language": "Pilih bahasa / Choose a language:",
    "language_set": "Baik, kami akan memakai Bahasa Indonesia.",
    # unexpected input
    "unsupported": "Maaf, jenis pesan ini belum bisa kami proses. Silakan kirim teks, foto, atau lokasi.",
    "text_too_long": (
        "Maaf, pesan itu terlalu panjang. Keterangan laporan paling banyak {maximum} karakter; "
        "keterangan sebelumnya tetap tersimpan."
    ),
    "no_words": "Maaf, kami belum memahami pesan itu. Mohon tulis dengan kata-kata.",
    "stale_choice": "Pilihan itu sudah tidak berlaku.",
    "start_hint": "Ceritakan masalah Anda dalam pesan untuk membuat laporan, atau ketik /bantuan.",
    "invalid": "Maaf, ada isian yang belum sesuai: {reason}",
    "error": "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi sebentar lagi.",
    # words used inside other strings
    "yes": "Ya",
    "no": "Tidak",
    # buttons (WhatsApp: at most 20 characters)
    "button_next": "Lanjut",
    "button_skip": "Lewati",
    "button_done": "Selesai",
    "button_yes": "Ya",
    "button_no": "Tidak",
    "button_send": "Kirim",
    "button_edit": "Ubah",
    "button_cancel": "Batal",
    # status labels
    "status_received": "Belum terverifikasi",
    "status_assigned": "Terverifikasi",
    "status_in_progress": "Diproses",
    "status_resolved": "Selesai",
    "status_closed": "Ditutup",
    "status_rejected": "Ditolak",
}

EN: dict[str, str] = {
    "greeting": (
        "Welcome to the {city} complaint service. We are ready to receive your reports about "
        "public services and facilities."
    ),
    "help": (
        "How to use this service:\n"
        "• Describe the problem in a message (or type /lapor) to start a report.\n"
        "• /status CODE to check a report, e.g. /status ABCDE-FGH12 (or: cek ABCDE-FGH12).\n"
        "• /laporanku to see your reports.\n"
        "• /batal to cancel the report you are writing.\n"
        "• /bahasa to change the language."
    ),
    "unknown_command": "Sorry, we do not know that command.",
    "reply_salam": "Wa'alaikumsalam warahmatullahi wabarakatuh.",
    "reply_not_a_complaint": (
        "Thank you for your message. If there is a problem with a public service or facility "
        "you want to report, just describe it here: what happened, where, and since when. "
        "To check a report, type /status CODE; help: /bantuan. If your message was a report, "
        "press Next."
    ),
    "ask_description": (
        "Please describe the problem: what happened, since when, and how it affects people. "
        "You may send several messages and photos."
    ),
    "description_noted": (
        "Thank you, we have noted your description ({length} characters). You may add more "
        "details or photos, then tap Next."
    ),
    "description_too_short": (
        "The description is still too short. Please tell us more (at least {minimum} characters)."
    ),
    "draft_in_progress": "You are writing a report. Let us carry on.",
    "ask_location": (
        "Where is it? Share a location with the attachment button (📎 → Location), type the "
        "address, or tap Skip."
    ),
    "location_noted": "We have noted the location.",
    "location_outside": (
        "Sorry, that location is outside Indonesia. Please share where it happened, or type "
        "the address."
    ),
    "address_too_long": "The address is too long. Please shorten it to at most {maximum} characters.",
    "ask_photos": "Do you have photos? Send up to {maximum} photos, or tap Done if you have none.",
    "photo_noted": "Photo received ({count} of {maximum}).",
    "photo_limit": "This report already has {maximum} photos, the most allowed.",
    "photo_fetch_failed": "Sorry, we could not download your photo. Please try sending it again.",
    "photo_too_large": "Sorry, that photo is larger than 5 MB. Please send a smaller one.",
    "photo_not_image": "Sorry, that file is not a photo we recognise. Send a JPEG, PNG or WebP photo.",
    "photo_unreadable": (
        "Sorry, we could not open that photo; the file may be damaged. Please send another one."
    ),
    "photo_too_many_pixels": (
        "Sorry, that image is too large (more than 40 megapixels). Please send a smaller photo."
    ),
    "photo_not_now": "The photo step is over, so we did not add that photo.",
    "photos_text_hint": (
        "We are waiting for photos now. You can change the description later with Edit."
    ),
    "ask_rahasia": (
        "Should this report be confidential? A confidential report is not shown to the public; "
        "only you (with the tracking code) and officers can see it. Default: {default}."
    ),
    "ask_anonim": (
        "Do you want to stay anonymous? If anonymous, your identity is hidden from everyone, "
        "officers included. Default: {default}."
    ),
    "choose_yes_no": "Please choose Yes or No.",
    "summary": (
        "Your report:\n"
        "Description: {text}\n"
        "Location: {location}\n"
        "Photos: {photos}\n"
        "Confidential: {rahasia}\n"
        "Anonymous: {anonim}\n"
        "Likely category: {category}\n"
        "{privacy}\n"
        "Tap Send to submit, Edit to rewrite the description, or Cancel."
    ),
    "summary_hidden": "Personal data ({kinds}) is hidden from the public view.\n",
    "summary_suggest_rahasia": (
        "Suggestion: this report names someone in an accusation (illegal fees, bribery, "
        "extortion). For your safety and theirs, it is better kept confidential. Type RAHASIA "
        "to make it confidential; the choice stays yours.\n"
    ),
    "suggest_rahasia": (
        "Your report names someone in an accusation (illegal fees, bribery, extortion). For "
        "your safety and theirs, we suggest making it confidential (Yes)."
    ),
    "rahasia_set": "Fine, this report will be sent as a confidential report.",
    "summary_no_location": "not given",
    "summary_coordinates": "point {lat:.5f}, {lon:.5f}",
    "summary_no_category": "to be decided by the verification desk",
    "summary_category_note": "{name} (an officer will check it)",
    "confirm_hint": "Please tap Send, Edit or Cancel.",
    "ask_rewrite": "Please write the description of your report again in one message.",
    "filed": (
        "We have received your report. Thank you!\n"
        "Tracking code: {code}\n"
        "Keep this code to follow your report: {url}\n"
        "We will tell you here whenever there is progress."
    ),
    "filed_before": "This report was already sent with code {code}: {url}",
    "filing_failed": "Sorry, the report could not be sent yet: {reason}",
    "filing_limited": (
        "You have sent many reports in a short time. We have kept this one; "
        "please tap Send again in {minutes} minutes."
    ),
    "cancelled": "The report you were writing has been cancelled. Type /lapor to report again.",
    "nothing_to_cancel": "You are not writing a report.",
    "expired": (
        "We deleted your draft report because it was left for 24 hours. "
        "Send a new message whenever you want to report."
    ),
    "status_usage": "Type /status followed by the tracking code, e.g. /status ABCDE-FGH12.",
    "status": "Report {code}\nStatus: {label}",
    "status_agency": "Handled by: {agency}",
    "status_note": "Latest note: {note}",
    "status_link": "More: {url}",
    "code_typo": "The code {code} seems to have a typo. Please check each character again.",
    "code_malformed": (
        "That is not a tracking code. A code has 10 letters and digits, e.g. ABCDE-FGH12."
    ),
    "code_unknown": "We could not find a report with the code {code}.",
    "my_reports": "Your reports (latest first):",
    "my_report_line": "• {code} ({date}) {label}: {excerpt}",
    "my_reports_none": "You have not sent any report here yet.",
    "choose_language": "Pilih bahasa / Choose a language:",
    "language_set": "Fine, we will use English.",
    "unsupported": "Sorry, we cannot handle this kind of message yet. Please send text, a photo or a location.",
    "text_too_long": (
        "Sorry, that message is too long. A report's description has at most {maximum} "
        "characters; what you wrote before is kept."
    ),
    "no_words": "Sorry, we did not understand that message. Please write it in words.",
    "stale_choice": "That choice no longer applies.",
    "start_hint": "Describe your problem in a message to start a report, or type /bantuan.",
    "invalid": "Sorry, something is not right yet: {reason}",
    "error": "Sorry, something went wrong while handling your message. Please try again shortly.",
    "yes": "Yes",
    "no": "No",
    "button_next": "Next",
    "button_skip": "Skip",
    "button_done": "Done",
    "button_yes": "Yes",
    "button_no": "No",
    "button_send": "Send",
    "button_edit": "Edit",
    "button_cancel": "Cancel",
    "status_received": "Not yet verified",
    "status_assigned": "Verified",
    "status_in_progress": "In progress",
    "status_resolved": "Resolved",
    "status_closed": "Closed",
    "status_rejected": "Rejected",
}

STRINGS: dict[str, dict[str, str]] = {"id": ID, "en": EN}

# Fixed labels of the language choice: each named in its own language.
LANGUAGE_BUTTONS = (("Bahasa Indonesia", "bahasa:id"), ("English", "bahasa:en"))


def text(language: str, key: str, **values: object) -> str:
    """The string `key` in `language` (Indonesian when the language is unknown)."""
    table = STRINGS.get(language, ID)
    return table[key].format(**values) if values else table[key]
