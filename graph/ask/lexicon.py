"""The words a question uses for the ontology's terms, derived from the ontology and the named queries.

Every class, relation and property contributes its own labels (en, zh) from ontology/plankg.ttl;
the tables below only add the other ways analysts say the same term (plurals come from the stemmer,
so "standard" covers "standards"). Named queries contribute the verbs of their titles ("Standards
supporting an industry" → "supporting" names supports_industry). Keys are ontology names, checked
against the schema when the lexicon is built, so a renamed term fails loudly instead of going quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from plankg.graph.ask.tokens import keys
from plankg.graph.queries import NAMED_QUERIES
from plankg.ontology.schema import load_schema

Words = dict[str, tuple[str, ...]]

TYPE_ALIASES: dict[str, Words] = {
    "Plan": {
        "en": ("plan", "action plan", "programme of action"),
        "zh": ("规划", "计划", "行动计划", "方案"),
    },
    "Document": {
        "en": ("document", "file", "version", "text", "paper"),
        "zh": ("文件", "文本", "版本", "公文", "稿"),
    },
    "Goal": {"en": ("goal", "objective", "aim", "sub-goal", "subgoal"), "zh": ("目标", "发展目标", "子目标")},
    "Indicator": {"en": ("indicator", "metric", "kpi", "quantitative target"), "zh": ("指标", "量化指标")},
    "Measure": {
        "en": ("measure", "action", "task", "initiative", "step", "activity", "policy measure", "sub-task", "subtask"),
        "zh": ("举措", "措施", "行动", "任务", "工作", "子任务"),
    },
    "Industry": {
        "en": (
            "industry",
            "sector",
            "field",
            "domain",
            "vertical",
            "sub-sector",
            "subsector",
            "sub-industry",
            "subfield",
        ),
        "zh": ("行业", "领域", "产业", "子行业", "细分行业", "细分领域", "子领域"),
    },
    "Standard": {"en": ("standard", "norm", "specification"), "zh": ("标准", "规范")},
    "StandardCategory": {
        "en": ("standard category", "category", "type of standard"),
        "zh": ("标准类别", "类别", "标准类型"),
    },
    "TechnologyArea": {
        "en": ("technology area", "technology", "tech", "technical area", "technical field"),
        "zh": ("技术领域", "技术", "技术方向"),
    },
    "DemonstrationCenter": {
        "en": (
            "demonstration centre",
            "demonstration center",
            "centre",
            "center",
            "innovation centre",
            "innovation center",
            "demonstration base",
            "base",
        ),
        "zh": ("示范中心", "中心", "创新中心", "示范基地", "基地"),
    },
    "Program": {
        "en": ("program", "programme", "project", "demonstration project"),
        "zh": ("项目", "示范项目", "工程"),
    },
    "Organization": {
        "en": (
            "organisation",
            "organization",
            "ministry",
            "department",
            "agency",
            "body",
            "authority",
            "issuer",
            "signatory",
        ),
        "zh": ("机构", "部门", "单位", "部委", "发文单位", "发文机关"),
    },
    "Entity": {"en": ("entity", "item", "node", "thing", "fact"), "zh": ("实体", "条目", "内容")},
}

# (type, value of the `kind` property): the words that name that kind of entity
KIND_ALIASES: dict[tuple[str, str], Words] = {
    ("Measure", "special_action"): {"en": ("special action",), "zh": ("专项行动",)},
    ("Measure", "key_action"): {"en": ("key action",), "zh": ("重点行动", "重点任务行动")},
    ("Measure", "main_task"): {"en": ("main task",), "zh": ("主要任务", "重点任务")},
    ("Measure", "key_project"): {"en": ("key project", "key engineering project"), "zh": ("重点工程",)},
    ("Measure", "approach"): {"en": ("approach", "guiding approach"), "zh": ("思路", "路径")},
    ("Program", "pilot"): {"en": ("pilot", "trial"), "zh": ("试点",)},
    ("Program", "model_project"): {"en": ("model project", "showcase"), "zh": ("样板项目", "样板", "示范工程")},
    ("Program", "benchmark"): {
        "en": ("benchmark", "benchmark project", "flagship project"),
        "zh": ("标杆", "标杆项目"),
    },
    ("Document", "draft"): {
        "en": ("draft", "draft for comment", "consultation draft", "draft version"),
        "zh": ("征求意见稿", "草案", "意见稿", "草稿"),
    },
    ("Document", "final"): {
        "en": ("final version", "final text", "final document", "published version", "official version", "final"),
        "zh": ("终稿", "正式稿", "正式版", "正式文件", "定稿", "正式版本"),
    },
}

RELATION_ALIASES: dict[str, Words] = {
    "has_version": {"en": ("version of", "versions"), "zh": ("版本",)},
    "supersedes": {"en": ("supersede", "replace"), "zh": ("取代", "替代", "代替")},
    "implements": {"en": ("implement",), "zh": ("贯彻", "落实")},
    "continues": {"en": ("continue", "successor", "follow-up", "follow up"), "zh": ("延续", "接续", "承接")},
    "cites": {"en": ("cite", "refer to"), "zh": ("引用",)},
    "issued_by": {
        "en": ("issue", "publish", "release", "sign", "jointly issue", "put out"),
        "zh": ("发布", "印发", "发文", "联合发布", "签署", "出台", "制定发布"),
    },
    "has_goal": {"en": ("set", "has goal", "set out", "lay down", "propose"), "zh": ("设定", "提出", "确定", "设立")},
    "has_sub_goal": {"en": ("sub-goal", "subgoal", "break down into"), "zh": ("子目标", "分解")},
    "measured_by": {"en": ("measured by", "measure by", "tracked by", "gauge by"), "zh": ("衡量", "考核", "度量")},
    "refines": {"en": ("refine",), "zh": ("细化",)},
    "has_measure": {"en": ("contain", "include", "comprise"), "zh": ("包含", "包括", "部署", "安排")},
    "has_sub_measure": {
        "en": ("include", "consist of", "comprise", "contain", "under"),
        "zh": ("包括", "包含", "下设", "之下"),
    },
    "contributes_to": {
        "en": ("serve", "contribute to", "achieve", "help achieve", "work towards", "support", "deliver"),
        "zh": ("服务", "支撑", "实现", "助力", "落实", "支持", "服务于"),
    },
    "targets_industry": {
        "en": ("target", "aim at", "aimed at", "focus on", "address", "directed at", "for", "concern"),
        "zh": ("面向", "针对", "聚焦", "着眼", "瞄准"),
    },
    "calls_for_standard": {"en": ("call for", "require", "develop"), "zh": ("要求", "制定", "研制")},
    "calls_for_center": {"en": ("call for", "build", "set up", "establish"), "zh": ("建设", "建立", "组建")},
    "calls_for_program": {"en": ("call for", "launch", "carry out", "run"), "zh": ("开展", "实施", "组织")},
    "addresses_technology": {"en": ("address", "involve", "concern", "tackle"), "zh": ("涉及", "攻关", "突破")},
    "involves_organization": {"en": ("involve", "lead", "responsible", "participate"), "zh": ("牵头", "负责", "参与")},
    "supports_industry": {
        "en": ("support", "underpin", "serve", "apply to", "for", "used in"),
        "zh": ("支撑", "支持", "服务", "用于", "适用"),
    },
    "in_category": {
        "en": ("belong to", "in category", "fall under", "classified as"),
        "zh": ("属于", "归属", "里", "中的"),
    },
    "covers_technology": {
        "en": ("cover", "involve", "concern", "relate to", "about", "deal with", "address"),
        "zh": ("涉及", "覆盖", "关于", "有关", "相关", "针对"),
    },
    "serves_industry": {"en": ("serve", "for", "support", "in"), "zh": ("服务", "面向", "支撑", "支持")},
    "broader": {
        "en": ("below", "under", "narrower", "sub-sector", "subsector", "subfield", "part of"),
        "zh": ("下", "细分", "下属", "之下", "子领域", "上位"),
    },
}

PROPERTY_ALIASES: dict[str, Words] = {
    "target_value": {
        "en": ("target", "target value", "value", "goal value", "figure"),
        "zh": ("目标值", "目标数值", "数值", "值"),
    },
    "deadline": {
        "en": ("deadline", "due", "due date", "target date", "by", "until", "before"),
        "zh": ("期限", "截止", "到期", "完成时间"),
    },
    "issued": {"en": ("issued on", "date"), "zh": ("发布日期", "印发日期")},
}

STATUS_ALIASES: Words = {
    "unconfirmed": (
        "unconfirmed",
        "not confirmed",
        "not yet confirmed",
        "yet to be confirmed",
        "pending confirmation",
        "uncertain",
        "unverified",
        "未确认",
        "待确认",
        "未经确认",
        "不确定",
        "存疑",
    ),
    "confirmed": ("confirmed", "verified", "已确认", "经确认"),
}

# question grammar: words that are not ontology terms but shape the reading
CUES: Words = {
    "conj": ("and", "or", "and/or", "as well as", "和", "或", "及", "与", "以及", "或者", "和/或"),
    "count": ("how many", "number of", "count", "how much", "几", "多少", "数量", "总数", "一共", "总共", "共有"),
    "all": ("all", "every", "list", "所有", "全部", "列出", "一切"),
    "who": ("who", "whom", "谁"),
    "only": (
        "only",
        "solely",
        "exclusively",
        "added",
        "newly added",
        "new in",
        "只",
        "仅",
        "只在",
        "仅在",
        "新增",
        "新加入",
        "新写入",
    ),
    # what a version left out of the other: "dropped from the final version", "终稿删除了哪些目标"
    "dropped": (
        "dropped",
        "removed",
        "deleted",
        "left out",
        "omitted",
        "删除",
        "删去",
        "删掉",
        "去掉",
        "移除",
        "拿掉",
    ),
    "negation": (
        "not",
        "but not",
        "without",
        "absent",
        "missing",
        "no longer",
        "没有",
        "不在",
        "未",
        "没",
        "无",
        "而非",
        "不见",
    ),
    "provenance": (
        "mention",
        "state",
        "say",
        "cite",
        "appear",
        "name",
        "list in",
        "contain",
        "include",
        "in",
        "提到",
        "提及",
        "出现",
        "载明",
        "写入",
        "列出",
        "中",
        "里",
        "写",
    ),
    "narrower": (
        "below",
        "under",
        "narrower",
        "sub-sector",
        "subsector",
        "subfield",
        "sub-industry",
        "subdivide",
        "下",
        "细分",
        "下属",
        "之下",
        "子领域",
        "子行业",
        "包括哪些",
        "下面",
    ),
    "broader": ("above", "broader", "parent", "上位", "上级", "属于哪个"),
    "stop": (
        "which",
        "what",
        "the",
        "a",
        "an",
        "of",
        "is",
        "are",
        "do",
        "does",
        "did",
        "by",
        "in",
        "on",
        "to",
        "with",
        "this",
        "that",
        "这",
        "该",
        "此",
        "这个",
        "这一",
        "该项",
        "that",
        "there",
        "give",
        "me",
        "show",
        "please",
        "tell",
        "it",
        "its",
        "their",
        "they",
        "have",
        "has",
        "this",
        "these",
        "those",
        "any",
        "graph",
        "marked",
        "as",
        "be",
        "been",
        "will",
        "from",
        "were",
        "was",
        "than",
        "into",
        "can",
        "could",
        "would",
        "should",
        "哪些",
        "哪个",
        "什么",
        "的",
        "了",
        "有",
        "是",
        "吗",
        "呢",
        "请",
        "问",
        "请问",
        "帮我",
        "查",
        "告诉",
        "一下",
        "由",
        "要",
        "对",
        "怎么",
        "如何",
        "给",
        "我",
        "一",
        "其",
        "在",
        "把",
        "被",
        "都",
        "哪",
        "些",
        "个",
        "份",
        "项",
        "家",
        "类",
        "种",
        "条",
        "图谱",
        "里",
        "中",
    ),
}


@dataclass(frozen=True)
class Term:
    """One meaning a phrase can have: a node type, a kind, a relation, a property, a status or a cue."""

    role: str  # type | kind | relation | property | status | cue
    value: str
    detail: str = ""  # the type of a kind


@dataclass
class Lexicon:
    """Phrase (as unit keys) → the terms it can mean; longest phrase first when matching."""

    phrases: dict[tuple[str, ...], list[Term]]
    longest: int


def _add(phrases: dict[tuple[str, ...], list[Term]], text: str, term: Term) -> None:
    key = keys(text)
    if key and term not in phrases.setdefault(key, []):
        phrases[key].append(term)


def _title_verbs(title: str, noise: set[tuple[str, ...]]) -> list[str]:
    """The words of a named query's title that are neither type words nor grammar ("supporting", "支撑")."""
    words = [w for w in title.replace("某", " ").replace("的", " ").split() if w]
    return [w for w in words if keys(w) not in noise and w.lower() not in ("an", "a", "the", "of")]


@cache
def lexicon() -> Lexicon:
    """The lexicon for the current ontology and named queries (built once per process)."""
    schema = load_schema()
    phrases: dict[tuple[str, ...], list[Term]] = {}
    node_types = {**schema.node_types}
    for name in TYPE_ALIASES:
        if name != schema.entity_class and name not in node_types:
            raise KeyError(f"ask lexicon: {name} is not an ontology class")
    for name, node_type in node_types.items():
        for label in node_type.labels.values():
            if label:
                _add(phrases, label, Term("type", name))
    for name, groups in TYPE_ALIASES.items():
        for words in groups.values():
            for word in words:
                _add(phrases, word, Term("type", name))
    for (type_name, kind), groups in KIND_ALIASES.items():
        if type_name not in node_types:
            raise KeyError(f"ask lexicon: {type_name} is not an ontology class")
        for words in groups.values():
            for word in words:
                _add(phrases, word, Term("kind", kind, type_name))
    for key, relation in schema.relation_types.items():
        for label in relation.labels.values():
            if label:
                _add(phrases, label, Term("relation", key))
    for key, groups in RELATION_ALIASES.items():
        if not schema.is_relation(key):
            raise KeyError(f"ask lexicon: {key} is not an ontology relation")
        for words in groups.values():
            for word in words:
                _add(phrases, word, Term("relation", key))
    type_keys = {k for k, terms in phrases.items() if any(t.role == "type" for t in terms)}
    type_keys |= {keys(word) for words in CUES.values() for word in words}
    for query in NAMED_QUERIES.values():
        if len(query.steps) != 1:
            continue
        for title in query.title.values():
            text = title
            if " " not in title:  # Chinese titles: cut the type words out, keep the verb
                for words in [
                    *TYPE_ALIASES.get(query.param_type, {}).values(),
                    (schema.node_types[query.param_type].labels["zh"],),
                ]:
                    for word in words:
                        text = text.replace(word, " ")
                for result in query.result_types:
                    text = text.replace(schema.node_types[result].labels["zh"], " ")
            for verb in _title_verbs(text, type_keys):
                _add(phrases, verb, Term("relation", query.steps[0].relation))
    for key, groups in PROPERTY_ALIASES.items():
        if key not in schema.property_types:
            raise KeyError(f"ask lexicon: {key} is not an ontology property")
        for label in schema.property_types[key].labels.values():
            if label:
                _add(phrases, label, Term("property", key))
        for words in groups.values():
            for word in words:
                _add(phrases, word, Term("property", key))
    for value, words in STATUS_ALIASES.items():
        if value not in schema.status_values:
            raise KeyError(f"ask lexicon: {value} is not a status value")
        for word in words:
            _add(phrases, word, Term("status", value))
    for cue, words in CUES.items():
        for word in words:
            _add(phrases, word, Term("cue", cue))
    return Lexicon(phrases, max(len(k) for k in phrases))


@cache
def grammar_units() -> frozenset[str]:
    """Single units that are only grammar ('the', 'of', '的'): they say nothing about which entity is meant."""
    return frozenset(key[0] for word in CUES["stop"] + CUES["conj"] for key in (keys(word),) if len(key) == 1)
