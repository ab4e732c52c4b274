"""Generate official documents in the real shapes (varied numbers, issuers, dates, topics) for the benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tonghop.demo.build_archive import Source, to_text, write_docx

SYLLABLES = ("Tân Phú Hòa An Bình Long Thạnh Mỹ Đông Tây Hưng Lộc Thuận Phước Khánh Quang Sơn Hà Lâm Xuân Vĩnh "
             "Trung Nghĩa Thái Đức Minh Thủy Cẩm Hải Kim Ngọc Thanh Gia Lạc Yên").split()  # fmt: skip
TYPES = {"KH": "KẾ HOẠCH", "BC": "BÁO CÁO", "QĐ": "QUYẾT ĐỊNH", "TB": "THÔNG BÁO", "HD": "HƯỚNG DẪN", "CV": None,
         "NQ": "NGHỊ QUYẾT", "TIN": None}  # fmt: skip
TOPICS = (
    "công tác tuyên truyền, phổ biến, giáo dục pháp luật", "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "xây dựng nông thôn mới", "chuyển đổi số", "cải cách hành chính", "phòng cháy, chữa cháy",
    "bảo đảm trật tự an toàn giao thông", "giảm nghèo bền vững", "bảo vệ môi trường", "phát triển du lịch",
    "y tế cơ sở và phòng, chống dịch bệnh", "phổ cập giáo dục mầm non", "bảo vệ nền tảng tư tưởng của Đảng",
    "thu ngân sách nhà nước", "quản lý đất đai", "phát triển kinh tế tập thể, hợp tác xã", "an toàn thực phẩm",
    "công tác dân vận", "xây dựng đời sống văn hóa ở khu dân cư", "phòng, chống tác hại của thuốc lá",
)  # fmt: skip
SENTENCES = (
    "Đã tổ chức {n} hội nghị quán triệt, triển khai cho {m} lượt cán bộ, đảng viên tham gia.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {p}%, tăng so với cùng kỳ năm trước.",
    "Tổng kinh phí thực hiện {x} tỷ đồng, trong đó ngân sách tỉnh hỗ trợ {y} triệu đồng.",
    "Các xã, phường, thị trấn phát {n} tin, bài trên hệ thống truyền thanh cơ sở.",
    "Toàn {lv} có {n} mô hình tiêu biểu được biểu dương, khen thưởng.",
    "Diện tích gieo trồng đạt {m} ha, sản lượng ước đạt {n} tấn.",
    "Hơn {m} hộ gia đình đăng ký thực hiện phong trào thi đua của địa phương.",
    "Kiểm tra {n} cơ sở, phát hiện và xử lý {k} trường hợp vi phạm, nộp ngân sách {y} triệu đồng.",
    "Công tác lãnh đạo, chỉ đạo được triển khai kịp thời, đồng bộ, sát với tình hình thực tế của {lv}.",
    "Một số đơn vị báo cáo chưa đúng thời gian quy định, số liệu còn thiếu chính xác.",
    "Phối hợp với Ủy ban Mặt trận Tổ quốc và các đoàn thể tuyên truyền sâu rộng trong Nhân dân.",
    "Tiếp tục rà soát, kiện toàn tổ chức bộ máy, nâng cao chất lượng đội ngũ cán bộ, công chức.",
)  # fmt: skip


@dataclass
class GenDoc:
    """A generated document: its known header fields and the two-column source it is written from."""

    doc_type: str
    type_name: str | None
    number: str | None
    issuer: str
    date: str
    subject: str
    cited: list[str] = field(default_factory=list)
    source: Source = field(default_factory=Source)

    @property
    def text(self) -> str:
        """The plain-text copy, as copied out of Word."""
        return to_text(self.source)


def _place(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def _figures(rng: random.Random) -> dict:
    return {"n": rng.randint(2, 950), "m": f"{rng.randint(1, 98)}.{rng.randint(0, 999):03d}", "k": rng.randint(1, 40),
            "p": f"{rng.randint(50, 99)},{rng.randint(0, 9)}", "x": f"{rng.randint(1, 300)},{rng.randint(1, 9)}",
            "y": rng.randint(20, 950), "lv": rng.choice(["huyện", "tỉnh", "xã", "thành phố"])}  # fmt: skip


def generate(n: int, seed: int = 0) -> Iterator[GenDoc]:
    """N documents of mixed types; later ones cite earlier ones by number, as plans and reports do."""
    rng = random.Random(seed)
    numbered: list[tuple[str, str]] = []
    for _ in range(n):
        code = rng.choices(list(TYPES), weights=[20, 30, 12, 6, 4, 18, 4, 6])[0]
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
        level, place = rng.choice(["TỈNH", "HUYỆN", "XÃ"]), _place(rng)
        issuer = f"ỦY BAN NHÂN DÂN {level} {place.upper()}"
        topic = rng.choice(TOPICS)
        seq = rng.randint(1, 3500)
        number = {"CV": f"{seq}/UBND-VX", "NQ": f"{seq}-NQ/TU", "TIN": None}.get(code, f"{seq:02d}/{code}-UBND")
        cited = rng.sample(numbered[-500:], k=min(len(numbered), rng.randint(0, 2)))
        subject = (f"V/v {topic} năm {year}" if code == "CV" else
                   f"Kết quả {topic} {rng.choice(['6 tháng đầu năm', 'quý III', 'năm'])} {year}" if code == "BC" else
                   f"Về {topic} giai đoạn {year} - {year + 4}")  # fmt: skip
        body = [f"Thực hiện {kind} số {c} của Ủy ban nhân dân tỉnh về {rng.choice(TOPICS)};" for c, kind in cited]
        for section in ("I. KẾT QUẢ THỰC HIỆN", "II. HẠN CHẾ, NGUYÊN NHÂN", "III. NHIỆM VỤ THỜI GIAN TỚI"):
            body += ["", section] + [rng.choice(SENTENCES).format(**_figures(rng)) for _ in range(rng.randint(2, 5))]
        date_line = f"{place}, ngày {day:02d} tháng {month} năm {year}"
        doc = GenDoc(code, TYPES[code], number, issuer, f"{year}-{month:02d}-{day:02d}", subject, [c for c, _ in cited])
        if code == "TIN":
            doc.source = Source(body=[subject[4:].capitalize(), f"Ngày đăng {day:02d}/{month:02d}/{year}", ""] + body)
        else:
            head = [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (f"{level} {place.upper()}",
                    "Độc lập - Tự do - Hạnh phúc"), (f"Số: {number}", date_line)]  # fmt: skip
            title = [subject] if code == "CV" else [TYPES[code], subject]
            if code == "CV":
                head.append((subject, ""))
                title = ["Kính gửi: Ủy ban nhân dân các xã, thị trấn."]
            signer = f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])} Văn {rng.choice(SYLLABLES)}"
            sig = [("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Như trên,", "CHỦ TỊCH"), ("- Lưu: VT.", signer)]
            doc.source = Source(header=head, body=title + [""] + body, signature=sig)
        if number:
            numbered.append((number, "Công văn" if code == "CV" else TYPES[code].capitalize()))
        yield doc


def write_corpus(dest: Path, n: int, *, docx_share: float = 0.5, seed: int = 0) -> list[Path]:
    """Write N generated documents into DEST as TXT and (a DOCX_SHARE of them) DOCX; returns the paths."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    cut = int(n * (1 - docx_share))
    for i, doc in enumerate(generate(n, seed)):
        if i >= cut and doc.source.header:
            path = dest / f"doc{i:06d}.docx"
            write_docx(doc.source, path)
        else:
            path = dest / f"doc{i:06d}.txt"
            path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths
