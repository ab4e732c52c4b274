"""The demo province: a real province (Lai Châu) with its 2025 lineage, departments, the built-in templates assigned
and two years of plausible submissions from a seeded random generator (some late, some missing, one returned)."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import Assignment, expected_units
from tonghop.regime.errors import RegimeError
from tonghop.regime.org_units import OrgUnit
from tonghop.regime.periods import Period, make_period
from tonghop.regime.templates import Indicator, Template
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk, save
from tonghop.services.templates import ensure_builtins
from tonghop.services.units import import_province, list_units, store_units

DEMO_TODAY = date(2026, 11, 23)  # the demo's filings run up to this day; its November is left to file
PROVINCE = "Lai Châu"
ROOT = "12"
SEED = 20251
MONTHLY = ("bc-kinh-te-xa-hoi-thang", "bc-tu-tuong-thang")
ANNUAL = "bc-thuc-hien-ke-hoach-nam"
DEPARTMENTS = [
    ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("STP", "Sở Tư pháp"), ("SCT", "Sở Công Thương"),
    ("SXD", "Sở Xây dựng"), ("SYT", "Sở Y tế"), ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
]
ASSIGN = {"bc-kinh-te-xa-hoi-thang": ["commune", "ward"], "bc-tu-tuong-thang": ["department", "commune", "ward"],
          ANNUAL: ["district", "department", "commune", "ward"]}
RETURN_COMMENT = "Đề nghị bổ sung số lượt chia sẻ, quan tâm (mục 2.b) và gửi lại trước ngày 25."
_SENTENCES = {  # keyword of a narrative section's title -> sentences a unit might write under it
    "KINH NGHIỆM": ["Phát huy vai trò của đội ngũ báo cáo viên, tuyên truyền viên ở thôn, bản.",
                    "Kết hợp tuyên truyền trực tiếp với đăng tải trên trang thông tin điện tử và nhóm Zalo của xã.",
                    "Phối hợp chặt chẽ với Đoàn Thanh niên, Hội Phụ nữ trong tuyên truyền."],
    "PHƯƠNG HƯỚNG": ["Tiếp tục bám sát chỉ đạo của cấp trên, chủ động tham mưu và tổ chức thực hiện hiệu quả nhiệm vụ.",
                     "Tăng cường tuyên truyền trên không gian mạng, nâng cao chất lượng tin, bài."],
    "NHIỆM VỤ": ["Đẩy mạnh giải ngân vốn đầu tư công, chăm lo đời sống Nhân dân.",
                 "Tập trung thu ngân sách, chuẩn bị tốt các điều kiện cho sản xuất vụ tới."],
    "KIẾN NGHỊ": ["Đề nghị cấp trên quan tâm bố trí kinh phí hỗ trợ các xã khó khăn.",
                  "Đề nghị tổ chức tập huấn nghiệp vụ cho cán bộ phụ trách."],
    "QUỐC PHÒNG": ["Tình hình an ninh chính trị, trật tự an toàn xã hội được giữ vững.",
                   "Hoàn thành kế hoạch huấn luyện dân quân; không để xảy ra điểm nóng.",
                   "Tổ chức tuần tra, kiểm soát địa bàn biên giới theo kế hoạch."],
    "TÌNH HÌNH": ["Các chỉ tiêu chủ yếu đạt và vượt kế hoạch; sản xuất nông nghiệp ổn định.",
                  "Thu ngân sách đạt khá; tiến độ gieo trồng vụ mùa bảo đảm khung thời vụ."],
    "KẾT QUẢ": ["Triển khai đầy đủ các nhiệm vụ theo kế hoạch; các lớp bồi dưỡng, hội nghị được tổ chức đúng tiến độ.",
                "Công tác tuyên truyền được đẩy mạnh trên hệ thống truyền thanh cơ sở và trang thông tin điện tử."],
    "ĐÁNH GIÁ": ["Hoàn thành cơ bản các nhiệm vụ đề ra; còn khó khăn trong giải ngân vốn đầu tư công."],
}


def _magnitude(ind: Indicator) -> tuple[float, float]:
    unit = ind.unit.lower()
    if "triệu đồng" in unit:
        return 300, 4000
    if unit == "đồng":
        return 40_000_000, 400_000_000
    if unit in ("ha", "m²"):
        return 5, 250
    if unit in ("người", "học viên", "lượt", "hồ sơ", "hộ"):
        return 20, 600
    return 0, 25


def _values(template: Template, size: float, season: float, rng: random.Random, annual: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ind in template.indicators:
        if ind.type == "text":
            out[ind.code] = rng.choice(["Tổ chức thành công các hoạt động chào mừng ngày lễ lớn.",
                                        "Ra quân vệ sinh môi trường, xây dựng nông thôn mới.",
                                        "Hoàn thành kế hoạch tiêm chủng mở rộng."])
            continue
        if ind.type == "percent":
            out[ind.code] = round(rng.uniform(72, 99.5), 1)
            continue
        low, high = _magnitude(ind)
        scale = size * season * (12 if annual else 1)

        def draw(low=low, high=high, scale=scale, whole=ind.type == "integer") -> float:
            v = rng.uniform(low, high) * scale
            return round(v) if whole else round(v, 1)

        out[ind.code] = {c: draw() for c in ind.categories} if ind.categories else draw()
    for rule in template.rules:
        a, b = out.get(rule.indicator or ""), out.get(rule.other or "")
        if rule.kind == "le" and isinstance(a, int | float) and isinstance(b, int | float) and a > b:
            out[rule.indicator] = type(a)(b * rng.uniform(0.8, 1.0)) if isinstance(a, float) else int(b * 0.9)
        elif rule.kind == "ge" and isinstance(a, int | float) and isinstance(b, int | float) and a < b:
            out[rule.indicator] = b
    return out


def _narrative(template: Template, rng: random.Random) -> dict[str, str]:
    out: dict[str, str] = {}
    for section in template.sections:
        pool = next((v for k, v in _SENTENCES.items() if k in section.title.upper()), None)
        pool = pool or (_SENTENCES["TÌNH HÌNH"] if section.required else None)
        if pool and (section.required or rng.random() < 0.7):
            out[section.code] = rng.choice(pool)
    return out


def _periods(today: date) -> list[tuple[str, Period]]:
    out: list[tuple[str, Period]] = []
    y, m = today.year, today.month
    months = []
    for _ in range(25):  # the 24 closed months and the current one
        months.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    for code in MONTHLY:
        out.extend((code, make_period("month", yy, mm)) for yy, mm in reversed(months))
    out.extend((ANNUAL, make_period("year", yy)) for yy in (today.year - 2, today.year - 1))
    return out


def _when(rng: random.Random, due: date, late: bool) -> datetime:
    day = due + timedelta(days=rng.randint(1, 8)) if late else due - timedelta(days=rng.randint(0, 4))
    return datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59), tzinfo=UTC)


def clerk_commune(*, url: str | None = None) -> str:
    """The commune of the demo's commune accounts: the first in tree order; its current month is left to file."""
    return next(u["code"] for u in list_units(under=ROOT, url=url) if u["kind"] in ("commune", "ward"))


def build_demo_province(*, url: str | None = None, today: date = DEMO_TODAY) -> dict[str, Any]:
    """Build the demo province into URL (idempotent: an existing demo is left as it is); a summary."""
    started = time.perf_counter()
    url = database_url(url)
    with transaction(url) as session:
        if repo.get_submission(session, "SNV", "bc-tu-tuong-thang", f"{today.year - 1}M{today.month}"):
            return {"province": PROVINCE, "root": ROOT, "existing": True}
    imported = import_province(PROVINCE, url=url)
    clerk, this_month = clerk_commune(url=url), f"{today.year}M{today.month}"
    rng = random.Random(SEED)
    stats = {"submitted": 0, "late": 0, "missing": 0, "approved": 0}
    with transaction(url) as session:
        store_units(session, [OrgUnit(code, name, "department", ROOT) for code, name in DEPARTMENTS], [], [])
        ensure_builtins(session)
        for template, kinds in ASSIGN.items():
            for kind in kinds:
                repo.add_assignment(session, Assignment(template, unit_kind=kind))
        desk = Desk(session, url)
        tree = desk.tree()
        assignments = repo.load_assignments(session)
        sizes: dict[str, float] = {}
        returned = None
        last_month = f"{today.year}M{today.month - 1}" if today.month > 1 else f"{today.year - 1}M12"
        for code, period in _periods(today):
            template = desk.template(code)
            period = desk.period(template, period.code)
            view = tree.at(period.end)
            due = desk.deadline(template, period)
            open_period = due >= today
            for unit in sorted(expected_units(view, assignments, code)):
                size = sizes.setdefault(unit, rng.uniform(0.5, 1.6))
                if (unit == clerk and period.code == this_month) or rng.random() < (0.35 if open_period else 0.04):
                    stats["missing"] += 1
                    continue
                late = not open_period and rng.random() < 0.08
                when = _when(rng, min(due, today - timedelta(days=1)) if open_period else due, late)
                season = 1 + 0.25 * ((period.index % 12) in (11, 0, 1)) + rng.uniform(-0.1, 0.1)
                values = _values(template, size, season, rng, period.kind == "year")
                texts = _narrative(template, rng)
                try:
                    saved = save(desk, unit, code, period.code, values, narrative=texts,
                                 author=f"Văn thư {view.get(unit).name}", source="demo", now=when)
                except RegimeError:
                    stats["missing"] += 1
                    continue
                stats["submitted"] += 1
                stats["late"] += int(late)
                if returned is None and code == "bc-tu-tuong-thang" and period.code == last_month and unit.isdigit():
                    save(desk, unit, code, period.code, values, narrative=texts,
                         action="return", based_on=saved.version, author="Phòng Tổng hợp", comment=RETURN_COMMENT,
                         source="review", now=when + timedelta(days=1))
                    returned = {"unit": unit, "template": code, "period": period.code, "comment": RETURN_COMMENT}
                elif not open_period and rng.random() < 0.3:
                    save(desk, unit, code, period.code, values, narrative=texts,
                         action="approve", based_on=saved.version, author="Phòng Tổng hợp", source="review",
                         now=when + timedelta(days=2))
                    stats["approved"] += 1
    return {"province": imported.province, "root": ROOT, "units": imported.units + len(DEPARTMENTS),
            "lineage_events": imported.events, "departments": len(DEPARTMENTS), "templates": sorted(ASSIGN),
            "returned": returned, **stats, "seconds": round(time.perf_counter() - started, 1), "existing": False}
