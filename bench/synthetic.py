"""Deterministic synthetic plans in the ontology's shape, for store tests and benchmarks.

`generate(elements, plans, seed)` builds N plans (documents, goals with indicators,
special actions with tasks, standards, programmes, centres) over a vocabulary shared by
all plans (an industry hierarchy, technology areas, standard categories, organisations
and a pool of common standards), so that stores meet realistic fan-out and hubs. Every
node and edge cites its plan's documents; the batch passes loaders.validate. The same
arguments always give the same batch, of exactly `elements` nodes + edges once that is
more than the shared vocabulary and one plan's skeleton.

CLI: python -m bench.synthetic --elements 100000 --format yaml|csv|turtle --output PATH
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plankg.model import CONFIRMED, Edge, GraphBatch, Node, Source

UNCONFIRMED = "unconfirmed"
ELEMENTS_PER_PLAN = 400

SECTORS = [
    ("healthcare", "Healthcare", "医疗"),
    ("manufacturing", "Manufacturing", "制造"),
    ("energy", "Energy", "能源"),
    ("transport", "Transport", "交通"),
    ("education", "Education", "教育"),
    ("agriculture", "Agriculture", "农业"),
    ("finance", "Finance", "金融"),
    ("media", "Media", "媒体"),
    ("logistics", "Logistics", "物流"),
    ("mining", "Mining", "矿山"),
    ("ports", "Ports", "港口"),
    ("power-grid", "Power grid", "电网"),
    ("water", "Water management", "水利"),
    ("tourism", "Culture and tourism", "文旅"),
    ("public-safety", "Public safety", "公共安全"),
    ("city", "City services", "城市"),
]
QUALIFIERS = [
    ("smart", "Smart", "智慧"),
    ("digital", "Digital", "数字"),
    ("connected", "Connected", "网联"),
    ("green", "Green", "绿色"),
    ("remote", "Remote", "远程"),
    ("industrial", "Industrial", "工业"),
    ("rural", "Rural", "乡村"),
    ("mobile", "Mobile", "移动"),
]
TECHNOLOGIES = [
    ("positioning", "High-precision positioning", "高精度定位"),
    ("tsn", "Deterministic networking", "确定性网络"),
    ("edge", "Edge computing", "边缘计算"),
    ("slicing", "Network slicing", "网络切片"),
    ("security", "Network security", "网络安全"),
    ("iot", "Internet of things", "物联网"),
    ("ai", "Artificial intelligence", "人工智能"),
    ("satellite", "Satellite communication", "卫星通信"),
    ("big-data", "Big data", "大数据"),
    ("cloud", "Cloud platforms", "云平台"),
]
CATEGORIES = [
    ("basic-common", "Basic common standards", "基础共性标准"),
    ("technical", "Key technical standards", "关键技术标准"),
    ("convergence", "Convergence application standards", "融合应用标准"),
    ("security", "Security standards", "安全标准"),
    ("testing", "Testing and evaluation standards", "测试评估标准"),
    ("management", "Management standards", "管理标准"),
]
ORG_KINDS = [
    ("ministry", "Ministry", "部"),
    ("commission", "Commission", "委员会"),
    ("administration", "Administration", "局"),
    ("alliance", "Industry alliance", "产业联盟"),
    ("institute", "Research institute", "研究院"),
    ("association", "Standards association", "标准化协会"),
]
ORG_TOPICS = [
    ("industry-it", "Industry and Information Technology", "工业和信息化"),
    ("health", "Health", "卫生健康"),
    ("transport", "Transport", "交通运输"),
    ("energy", "Energy", "能源"),
    ("education", "Education", "教育"),
    ("culture", "Culture and Tourism", "文化和旅游"),
    ("emergency", "Emergency Management", "应急管理"),
    ("network", "Network Communication", "网络通信"),
    ("standards", "Standardisation", "标准化"),
]
THEMES = [
    ("coverage", "network coverage", "网络覆盖"),
    ("adoption", "user adoption", "用户普及"),
    ("platforms", "industry platforms", "行业平台"),
    ("skills", "digital skills", "数字技能"),
    ("security", "security capacity", "安全能力"),
    ("ecosystem", "application ecosystem", "应用生态"),
    ("terminals", "terminal supply", "终端供给"),
    ("solutions", "replicable solutions", "可复制解决方案"),
    ("pilots", "pilot cities", "试点城市"),
    ("innovation", "innovation capacity", "创新能力"),
]
UNITS = ["percent", "count", "users", "per 10,000 people", "Gbps", "enterprises", "base stations"]
COMPARATORS = ["gt", "ge", "lt", "le", "eq", "range"]
PROGRAM_KINDS = [
    ("pilot", "pilot", "试点"),
    ("model_project", "model project", "示范项目"),
    ("benchmark", "benchmark", "标杆"),
]


class _Builder:
    """Collects nodes and edges, each cited to one plan's documents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.edge_keys: set[tuple[str, str, str]] = set()

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)

    def sources(self, docs: tuple[str, str], what: str, quote: str) -> list[Source]:
        draft, final = docs
        roll = self.rng.random()
        section = f"Section {self.rng.randint(1, 9)}, para. {self.rng.randint(1, 12)}"
        if roll < 0.15:
            chosen = [draft]
        elif roll < 0.6:
            chosen = [final]
        else:
            chosen = [draft, final]
        return sorted(Source(doc, f"{section} ({what})", quote) for doc in chosen)

    def status(self) -> str:
        return UNCONFIRMED if self.rng.random() < 0.05 else CONFIRMED

    def node(
        self,
        node_id: str,
        type_name: str,
        en: str,
        zh: str,
        docs: tuple[str, str],
        properties: dict[str, Any] | None = None,
        *,
        status: str | None = None,
    ) -> str:
        quote = zh or en
        self.nodes.append(
            Node(
                node_id,
                type_name,
                {"en": en, "zh": zh},
                dict(sorted((properties or {}).items())),
                self.sources(docs, type_name.lower(), quote),
                status or self.status(),
            )
        )
        return node_id

    def edge(self, source: str, relation: str, target: str, docs: tuple[str, str]) -> bool:
        key = (source, relation, target)
        if key in self.edge_keys:
            return False
        self.edge_keys.add(key)
        self.edges.append(
            Edge(source, relation, target, self.sources(docs, relation, f"{relation}: {target}"), self.status())
        )
        return True


def _shared_vocabulary(b: _Builder, elements: int, home: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Industries (a broader hierarchy), technology areas, categories, organisations, pooled standards."""
    rng = b.rng

    def docs(index: int) -> tuple[str, str]:
        return home[index % len(home)]

    industries: list[str] = []
    wanted = max(len(SECTORS), min(600, elements // 300))
    tops = []
    for index, (slug, en, zh) in enumerate(SECTORS):
        tops.append(b.node(f"industry.{slug}", "Industry", en, zh, docs(index), status=CONFIRMED))
    industries.extend(tops)
    level = [(t, SECTORS[i][1], SECTORS[i][2], SECTORS[i][0]) for i, t in enumerate(tops)]
    serial = 0
    while len(industries) < wanted:
        next_level = []
        for parent, en, zh, slug in level:
            for q_slug, q_en, q_zh in rng.sample(QUALIFIERS, 3):
                if len(industries) >= wanted:
                    break
                serial += 1
                child_slug = f"{q_slug}-{slug}"
                child_id = f"industry.{child_slug}" if child_slug.count("-") < 3 else f"industry.{q_slug}-{serial}"
                if child_id in industries:
                    child_id = f"industry.{q_slug}-{serial}"
                child_en, child_zh = f"{q_en} {en.lower()}", f"{q_zh}{zh}"
                b.node(child_id, "Industry", child_en, child_zh, docs(serial))
                b.edge(child_id, "broader", parent, docs(serial))
                industries.append(child_id)
                next_level.append((child_id, child_en, child_zh, child_slug))
        level = next_level or level

    def vocabulary(prefix: str, type_name: str, items: list[tuple[str, str, str]], count: int) -> list[str]:
        ids = []
        for index in range(count):
            slug, en, zh = items[index % len(items)]
            round_ = index // len(items)
            suffix = f"-{round_ + 1}" if round_ else ""
            ids.append(
                b.node(
                    f"{prefix}.{slug}{suffix}",
                    type_name,
                    en + (f" {round_ + 1}" if round_ else ""),
                    zh + (f"{round_ + 1}" if round_ else ""),
                    docs(index),
                    status=CONFIRMED,
                )
            )
        return ids

    tech_count = max(len(TECHNOLOGIES), min(100, elements // 2000))
    technologies = vocabulary("tech", "TechnologyArea", TECHNOLOGIES, tech_count)
    categories = vocabulary("stdcat", "StandardCategory", CATEGORIES, len(CATEGORIES))
    org_items = [(f"{t[0]}-{k[0]}", f"{t[1]} {k[1]}", f"{t[2]}{k[2]}") for k in ORG_KINDS for t in ORG_TOPICS]
    organisations = vocabulary("org", "Organization", org_items, max(12, min(len(org_items) * 3, elements // 1000)))
    standards = []
    for index in range(max(8, min(1500, elements // 150))):
        _tech_slug, tech_en, tech_zh = TECHNOLOGIES[index % len(TECHNOLOGIES)]
        standard = b.node(
            f"std.common-{index:04d}",
            "Standard",
            f"Common {tech_en.lower()} standard {index}",
            f"{tech_zh}通用标准{index}",
            docs(index),
            {"number": f"YD/T {3000 + index}-2021"},
        )
        _standard_edges(b, standard, docs(index), industries, technologies, categories)
        standards.append(standard)
    return {
        "industries": industries,
        "technologies": technologies,
        "categories": categories,
        "organisations": organisations,
        "standards": standards,
    }


def _standard_edges(
    b: _Builder,
    standard: str,
    docs: tuple[str, str],
    industries: list[str],
    technologies: list[str],
    categories: list[str],
) -> None:
    rng = b.rng
    for industry in rng.sample(industries, rng.randint(1, 2)):
        b.edge(standard, "supports_industry", industry, docs)
    b.edge(standard, "in_category", rng.choice(categories), docs)
    for technology in rng.sample(technologies, rng.randint(1, 2)):
        b.edge(standard, "covers_technology", technology, docs)


def _indicator_properties(rng: random.Random, year: int) -> dict[str, Any]:
    comparator = rng.choice(COMPARATORS)
    value: int | float = rng.choice([rng.randint(1, 5000), round(rng.uniform(0.5, 99.5), 1)])
    properties: dict[str, Any] = {
        "target_value": value,
        "unit": rng.choice(UNITS),
        "comparator": comparator,
        "deadline": f"{year + rng.randint(1, 5)}-12-31",
    }
    if comparator == "range":
        properties["target_max"] = value * 2
    if rng.random() < 0.3:
        properties["baseline_value"] = rng.randint(0, 100)
        properties["baseline_date"] = f"{year - 1}-12-31"
    return properties


def _plan(b: _Builder, index: int, budget: int, shared: dict[str, list[str]]) -> None:
    """One plan: skeleton, then rounds of goals, standards, programmes, centres and special actions."""
    rng = b.rng
    start = len(b)
    slug = f"gen-plan-{index:04d}"
    year = 2018 + index % 8
    docs = (f"{slug}.doc.draft", f"{slug}.doc.final")
    _theme_slug, theme_en, theme_zh = THEMES[index % len(THEMES)]
    plan = b.node(
        f"plan.{slug}",
        "Plan",
        f"Synthetic plan {index} on {theme_en}",
        f"关于{theme_zh}的规划{index}",
        docs,
        {"description": f"Generated plan {index}"},
        status=CONFIRMED,
    )
    for kind, doc in zip(("draft", "final"), docs, strict=True):
        month = 3 if kind == "draft" else 9
        b.node(
            doc,
            "Document",
            f"{theme_en.capitalize()} plan {index} ({kind})",
            f"{theme_zh}规划{index}（{kind}）",
            docs,
            {"kind": kind, "issued": f"{year}-{month:02d}-15", "number": f"GEN〔{year}〕{index % 500}号"},
            status=CONFIRMED,
        )
        b.edge(plan, "has_version", doc, docs)
    b.edge(docs[1], "supersedes", docs[0], docs)
    for doc in docs:
        for org in rng.sample(shared["organisations"], rng.randint(1, 3)):
            b.edge(doc, "issued_by", org, docs)

    goals: list[str] = []
    standards: list[str] = []
    programs: list[str] = []
    centres: list[str] = []
    round_ = 0
    while len(b) - start < budget:
        round_ += 1
        group = b.node(
            f"{slug}.goal.group-{round_}", "Goal", f"Goal group {round_}: {theme_en}", f"目标{round_}：{theme_zh}", docs
        )
        b.edge(plan, "has_goal", group, docs)
        b.edge(group, "targets_industry", rng.choice(shared["industries"]), docs)
        for sub in range(rng.randint(2, 4)):
            goal = b.node(
                f"{slug}.goal.g{round_}-{sub}",
                "Goal",
                f"Improve {theme_en} {round_}.{sub}",
                f"提升{theme_zh}{round_}.{sub}",
                docs,
            )
            b.edge(group, "has_sub_goal", goal, docs)
            for industry in rng.sample(shared["industries"], rng.randint(0, 2)):
                b.edge(goal, "targets_industry", industry, docs)
            for k in range(rng.randint(1, 2)):
                properties = _indicator_properties(rng, year)
                indicator = b.node(
                    f"{slug}.ind.g{round_}-{sub}-{k}",
                    "Indicator",
                    f"{theme_en.capitalize()} indicator {round_}.{sub}.{k} {properties['comparator']} "
                    f"{properties['target_value']} {properties['unit']}",
                    f"{theme_zh}指标{round_}.{sub}.{k}",
                    docs,
                    properties,
                )
                b.edge(goal, "measured_by", indicator, docs)
            goals.append(goal)
        for s in range(2):
            _tech_slug, tech_en, tech_zh = rng.choice(TECHNOLOGIES)
            standard = b.node(
                f"{slug}.std.s{round_}-{s}",
                "Standard",
                f"{tech_en} standard {round_}.{s}",
                f"{tech_zh}标准{round_}.{s}",
                docs,
            )
            _standard_edges(b, standard, docs, shared["industries"], shared["technologies"], shared["categories"])
            standards.append(standard)
        kind, kind_en, kind_zh = rng.choice(PROGRAM_KINDS)
        program = b.node(
            f"{slug}.prog.p{round_}",
            "Program",
            f"{theme_en.capitalize()} {kind_en} {round_}",
            f"{theme_zh}{kind_zh}{round_}",
            docs,
            {"kind": kind},
        )
        for industry in rng.sample(shared["industries"], rng.randint(1, 2)):
            b.edge(program, "serves_industry", industry, docs)
        programs.append(program)
        centre = b.node(
            f"{slug}.centre.c{round_}",
            "DemonstrationCenter",
            f"{theme_en.capitalize()} centre {round_}",
            f"{theme_zh}示范中心{round_}",
            docs,
        )
        b.edge(centre, "serves_industry", rng.choice(shared["industries"]), docs)
        centres.append(centre)
        action = b.node(
            f"{slug}.action.a{round_}",
            "Measure",
            f"Special action {round_} for {theme_en}",
            f"{theme_zh}专项行动{round_}",
            docs,
            {"kind": "special_action", "number": str(round_)},
        )
        b.edge(plan, "has_measure", action, docs)
        b.edge(action, "contributes_to", rng.choice(goals), docs)
        for t in range(rng.randint(2, 5)):
            task = b.node(
                f"{slug}.task.a{round_}-{t}",
                "Measure",
                f"Task {round_}.{t}: advance {theme_en}",
                f"任务{round_}.{t}：推进{theme_zh}",
                docs,
                {"kind": "task", "number": f"{round_}.{t}"},
            )
            b.edge(action, "has_sub_measure", task, docs)
            for goal in rng.sample(goals, min(len(goals), rng.randint(1, 2))):
                b.edge(task, "contributes_to", goal, docs)
            for industry in rng.sample(shared["industries"], rng.randint(0, 2)):
                b.edge(task, "targets_industry", industry, docs)
            pool = standards if rng.random() < 0.6 else shared["standards"]
            for standard in rng.sample(pool, min(len(pool), rng.randint(0, 2))):
                b.edge(task, "calls_for_standard", standard, docs)
            if rng.random() < 0.4:
                b.edge(task, "calls_for_center", rng.choice(centres), docs)
            if rng.random() < 0.4:
                b.edge(task, "calls_for_program", rng.choice(programs), docs)
            if rng.random() < 0.5:
                b.edge(task, "involves_organization", rng.choice(shared["organisations"]), docs)


def generate(elements: int, plans: int | None = None, seed: int = 0) -> GraphBatch:
    """A batch of about `elements` nodes + edges (exactly, when above the minimum) over `plans` plans."""
    if elements < 1:
        raise ValueError("elements must be positive")
    plan_count = plans if plans is not None else max(1, elements // ELEMENTS_PER_PLAN)
    if plan_count < 1:
        raise ValueError("plans must be positive")
    rng = random.Random(seed)
    b = _Builder(rng)
    home = [(f"gen-plan-{i:04d}.doc.draft", f"gen-plan-{i:04d}.doc.final") for i in range(plan_count)]
    shared = _shared_vocabulary(b, elements, home)
    remaining = elements - len(b)
    for index in range(plan_count):
        budget = max(1, remaining // (plan_count - index))
        before = len(b)
        _plan(b, index, budget, shared)
        remaining -= len(b) - before
    excess = len(b) - elements
    if excess > 0:  # drop the last plan's last edges to land exactly on the requested size
        removable = len(b.edges) - 1
        while excess > 0 and removable >= 0:
            if b.edges[removable].relation not in ("has_version", "broader"):
                del b.edges[removable]
                excess -= 1
            removable -= 1
    return GraphBatch(
        nodes=sorted(b.nodes, key=lambda n: n.id),
        edges=sorted(b.edges, key=lambda e: e.key),
        origins=[f"synthetic(elements={elements}, plans={plan_count}, seed={seed})"],
    )


# ---------------------------------------------------------------- CLI
def _yaml_chunks(batch: GraphBatch) -> Iterator[str]:
    import yaml

    yield "plankg: 1\nnodes:\n"
    for node in batch.nodes:
        item = {
            "id": node.id,
            "type": node.type,
            "labels": {k: v for k, v in node.labels.items() if v},
            "status": node.status,
            "properties": node.properties,
            "sources": [s.to_dict() for s in node.sources],
        }
        if not node.properties:
            del item["properties"]
        yield yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=1000)
    yield "edges:\n"
    for edge in batch.edges:
        item = {
            "from": edge.source,
            "relation": edge.relation,
            "to": edge.target,
            "status": edge.status,
            "sources": [s.to_dict() for s in edge.sources],
        }
        yield yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=10_000, help="nodes + edges to generate")
    parser.add_argument("--plans", type=int, default=None, help="number of plans (default: elements / 400)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("yaml", "csv", "turtle"), default="yaml")
    parser.add_argument("--output", type=Path, default=None, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    batch = generate(args.elements, args.plans, args.seed)
    if args.format == "yaml":
        chunks = _yaml_chunks(batch)
    else:
        from plankg.graph.export import export_stream

        chunks = export_stream(batch.nodes, batch.edges, args.format)
    if args.output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    print(f"{len(batch.nodes)} nodes, {len(batch.edges)} edges ({args.format})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
