"""Write a deterministic synthetic project: N claims in files of 1 000, N/100 Vietnamese source
texts, with places, organizations, people, events and positions whose quotes really occur in
the texts and whose numbers are written the Vietnamese way.

    python -m benchmarks.generate --n 10000 --out /tmp/bench-10k [--format yaml|json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

CLAIMS_PER_FILE = 1000
CLAIMS_PER_SOURCE = 100
SYLLABLES = [
    "An",
    "Bình",
    "Đông",
    "Hòa",
    "Phú",
    "Thạnh",
    "Long",
    "Giang",
    "Sơn",
    "Hải",
    "Đức",
    "Ninh",
    "Quảng",
    "Tân",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Xuân", "Hữu", "Thanh", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phong", "Sơn", "Tuấn", "Yến"]
ORG_KINDS = ["Hiệp hội hữu nghị", "Trung tâm xúc tiến đầu tư", "Quỹ hợp tác", "Liên hiệp doanh nghiệp"]
PROPERTIES = [
    {"id": "grant_total", "label_vi": "Tổng vốn tài trợ", "label_en": "Total grants", "value_type": "quantity", "unit": "USD"},
    {"id": "share_expanding", "label_vi": "Tỷ lệ doanh nghiệp mở rộng", "label_en": "Share of firms expanding", "value_type": "quantity", "unit": "percent"},
    {"id": "documents", "label_vi": "Số văn kiện", "label_en": "Documents signed", "value_type": "quantity", "unit": "document"},
    {"id": "delegates", "label_vi": "Số đại biểu", "label_en": "Delegates", "value_type": "quantity", "unit": "delegate"},
    {"id": "delegations", "label_vi": "Số đoàn khách", "label_en": "Delegations received", "value_type": "quantity", "unit": "delegation"},
]  # fmt: skip


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _ascii(text: str) -> str:
    from toolkit.core.searchfold import search_key

    return "-".join(search_key(text).split())


def _dump(data: Any, schema: str, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"$schema": schema, **data}, ensure_ascii=False, indent=1) + "\n"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
    return f"# yaml-language-server: $schema={schema}\n{body}"


def _write(path: Path, kind: str, records: list[dict[str, Any]], depth: int, fmt: str) -> None:
    """YAML: a plain list file of one kind (what yaml-to-sqlite reads); JSON: a record file."""
    up = "../" * depth
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.with_suffix(".json").write_text(
            _dump({kind: records}, f"{up}schema/records.schema.json", fmt), "utf-8"
        )
    else:
        text = yaml.dump(records, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096)
        path.write_text(f"# yaml-language-server: $schema={up}schema/{kind}.schema.json\n{text}", "utf-8")


def generate(n: int, out: Path, fmt: str = "yaml", seed: int = 2023) -> dict[str, int]:
    """Write the project into `out` (which must not hold one already); returns record counts."""
    rnd = random.Random(seed)
    seeds = out / "seeds"
    seeds.mkdir(parents=True, exist_ok=False)
    schema_src = Path(__file__).resolve().parent.parent / "schema"
    (out / "schema").mkdir()
    for schema in schema_src.glob("*.schema.json"):
        (out / "schema" / schema.name).write_bytes(schema.read_bytes())

    n_sources = max(1, n // CLAIMS_PER_SOURCE)
    places = [
        {"id": f"tinh-{i}", "name": f"{SYLLABLES[i % 14]} {SYLLABLES[(i // 14) % 14]} {i}", "name_en": f"Province {i}",
         "type": "province"}
        for i in range(100)
    ]  # fmt: skip
    orgs = [
        {"id": f"to-chuc-{i}", "name": f"{ORG_KINDS[i % 4]} {SYLLABLES[i % 14]} {i}", "name_en": f"Organization {i}",
         "type": "association"}
        for i in range(max(5, n_sources // 20))
    ]  # fmt: skip
    people = []
    for i in range(max(10, n_sources // 5)):
        name = f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 13]} {i}"
        people.append({"id": f"nguoi-{i}", "name": name, "name_en": _ascii(name).replace("-", " ").title()})

    sources: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    posts: dict[tuple[str, str], dict[str, Any]] = {}
    start = date(2023, 1, 1)
    for s in range(n_sources):
        day = start + timedelta(days=s)  # one date per source: its claims' point in time
        published = day + timedelta(days=1)
        # Every entity is used, so every name is written in some source.
        place, org, person = places[s % len(places)], orgs[s % len(orgs)], people[s % len(people)]
        sid = f"bao-{s:05d}"
        title = f"Hợp tác giữa {place['name']} và các đối tác Nhật Bản (bài {s})"
        head = [
            "Trang chủ | Tin tức | Hợp tác quốc tế",
            f"{8 + s % 12:02d}:{s % 60:02d} | {published.day:02d}/{published.month:02d}/{published.year} GMT+7",
            title,
            "",
        ]
        lines: list[str] = []
        event_line = f"Sáng {day.day}/{day.month}, tại {place['name']}, {org['name']} đã tổ chức hội nghị lần thứ {s % 9 + 1}."
        lines.append(event_line)
        pos_line = f"Ông {person['name']}, Phó Chủ tịch {org['name']}, phát biểu tại hội nghị."
        lines.append(pos_line)
        events.append(
            {"id": f"hoi-nghi-{s:05d}", "type": "conference", "name": f"Hội nghị tại {place['name']}",
             "name_en": f"Conference in {place['name_en']}", "date": day.isoformat(), "place": place["id"],
             "organizers": [org["id"]], "evidence": [{"source": sid, "quote": event_line}]}
        )  # fmt: skip
        post_evidence = {"source": sid, "quote": f"Ông {person['name']}, Phó Chủ tịch {org['name']}"}
        if (person["id"], org["id"]) in posts:  # one post, one record: a later page is more evidence
            posts[(person["id"], org["id"])]["evidence"].append(post_evidence)
        else:
            posts[(person["id"], org["id"])] = {
                "id": f"chuc-vu-{s:05d}", "person": person["id"], "organization": org["id"],
                "title": f"Phó Chủ tịch {org['name']}", "title_en": "Vice-chairman", "as_of": published.isoformat(),
                "evidence": [post_evidence],
            }  # fmt: skip
            positions.append(posts[(person["id"], org["id"])])
        for c in range(CLAIMS_PER_SOURCE):
            if len(claims) >= n:
                break
            # distinct subjects per property within a source: no accidental duplicate claims
            subject = places[(s * 7 + c) % len(places)]
            kind = c % 5
            if kind == 0:
                a, b = rnd.randint(1, 99), rnd.randint(1, 9)
                original = f"khoảng {a},{b} triệu đô la"
                line = f"Năm 2022, {subject['name']} đã tiếp nhận {original} từ {org['name']} cho {rnd.randint(2, 40)} dự án (mục {c})."
                value: dict[str, Any] = {
                    "amount": a * 1_000_000 + b * 100_000,
                    "unit": "USD",
                    "comparator": "about",
                }
                prop, statement = "grant_total", f"{subject['name_en']} received about USD {a}.{b} million."
            elif kind == 1:
                p = rnd.randint(10, 95)
                original = f"{p}%"
                line = f"Theo khảo sát của {org['name']}, {p}% doanh nghiệp tại {subject['name']} có ý định mở rộng (mục {c})."
                value, prop = {"amount": p, "unit": "percent"}, "share_expanding"
                statement = f"{p}% of firms in {subject['name_en']} intend to expand."
            elif kind == 2:
                k = rnd.randint(5, 500)
                original = f"hơn {k} văn kiện"
                line = f"Đến nay {subject['name']} đã ký kết {original} hợp tác với các đối tác Nhật Bản (mục {c})."
                value = {"amount": k, "unit": "document", "comparator": "more_than"}
                prop, statement = "documents", f"{subject['name_en']} has signed more than {k} documents."
            elif kind == 3:
                k = rnd.randint(1, 9) * 1000 + rnd.randint(0, 999)
                written = f"{k // 1000}.{k % 1000:03d}"
                original = f"gần {written} đại biểu"
                line = f"Hội nghị tại {subject['name']} có {original} tham dự (mục {c})."
                value = {"amount": k, "unit": "delegate", "comparator": "nearly"}
                prop, statement = "delegates", f"Nearly {k} delegates attended in {subject['name_en']}."
            else:
                k = rnd.randint(2, 60)
                original = f"{k} đoàn khách"
                line = f"Trong năm 2022, {subject['name']} đã đón {original} từ Nhật Bản (mục {c})."
                value, prop = {"amount": k, "unit": "delegation"}, "delegations"
                statement = f"{subject['name_en']} received {k} delegations from Japan."
            lines.append(line)
            value["original"] = original
            claims.append(
                {"id": f"claim-{len(claims):06d}", "subject": subject["id"], "property": prop, "value": value,
                 "point_in_time": published.isoformat(), "statement_en": statement,
                 "evidence": [{"source": sid, "quote": line}]}
            )  # fmt: skip
        tail = ["", "Tin bài liên quan", f"Một tin khác năm 2026 về {rnd.choice(places)['name']}"]
        text = "\n".join(head + lines + tail) + "\n"
        file = f"{sid}.txt"
        (seeds / file).write_text(text, encoding="utf-8")
        sources.append(
            {"id": sid, "file": file, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "title": title,
             "publisher": "Báo tổng hợp", "published": f"{published.isoformat()}T{head[1][:5]}:00+07:00",
             "published_quote": head[1], "language": "vi",
             "body": {"start_line": len(head) + 1, "end_line": len(head) + len(lines)}}
        )  # fmt: skip
    _write(seeds / "sources.yaml", "sources", sources, 1, fmt)
    _write(seeds / "properties.yaml", "properties", PROPERTIES, 1, fmt)
    _write(seeds / "places.yaml", "places", places, 1, fmt)
    _write(seeds / "organizations.yaml", "organizations", orgs, 1, fmt)
    _write(seeds / "persons.yaml", "persons", people, 1, fmt)
    _write(seeds / "facts" / "events.yaml", "events", events, 2, fmt)
    _write(seeds / "facts" / "positions.yaml", "positions", positions, 2, fmt)
    for i in range(0, len(claims), CLAIMS_PER_FILE):
        _write(
            seeds / "facts" / f"claims-{i // CLAIMS_PER_FILE + 1:04d}.yaml",
            "claims",
            claims[i : i + CLAIMS_PER_FILE],
            2,
            fmt,
        )
    counts = {
        "sources": len(sources),
        "claims": len(claims),
        "events": len(events),
        "positions": len(positions),
    }
    counts.update({"places": len(places), "organizations": len(orgs), "persons": len(people)})
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, required=True, help="number of claims")
    parser.add_argument("--out", type=Path, required=True, help="directory to create")
    parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} exists and is not empty")
    counts = generate(args.n, args.out, args.format)
    print(f"wrote {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
