"""Say a reading back in the question's language, so that a wrong reading is visible at a glance.

Built from the ontology's labels (types, relations, properties) and the entities' own labels; a
relation without a phrase below is said with its ontology label, so new relations read back too.
"""

from __future__ import annotations

from plankg.graph.ask.lexicon import KIND_ALIASES, STATUS_ALIASES
from plankg.graph.ask.reading import Constraint, Reading
from plankg.graph.queries import OUT
from plankg.model import Node
from plankg.ontology.schema import load_schema

# (relation, direction from the answer) → phrase with {0} for the named entity
PHRASES: dict[tuple[str, str], dict[str, str]] = {
    ("supports_industry", OUT): {"en": "supporting {0}", "zh": "支撑{0}的"},
    ("supports_industry", "in"): {"en": "supported by {0}", "zh": "{0}支撑的"},
    ("targets_industry", OUT): {"en": "targeting {0}", "zh": "面向{0}的"},
    ("serves_industry", OUT): {"en": "serving {0}", "zh": "服务{0}的"},
    ("contributes_to", OUT): {"en": "serving {0}", "zh": "服务{0}的"},
    ("contributes_to", "in"): {"en": "served by {0}", "zh": "{0}服务的"},
    ("measured_by", "in"): {"en": "measuring {0}", "zh": "衡量{0}的"},
    ("measured_by", OUT): {"en": "measured by {0}", "zh": "由{0}衡量的"},
    ("has_goal", "in"): {"en": "of {0}", "zh": "{0}的"},
    ("has_version", "in"): {"en": "versions of {0}", "zh": "{0}的版本"},
    ("has_version", OUT): {"en": "with the version {0}", "zh": "版本含{0}的"},
    ("has_measure", "in"): {"en": "of {0}", "zh": "{0}的"},
    ("has_sub_measure", "in"): {"en": "under {0}", "zh": "{0}下的"},
    ("has_sub_goal", "in"): {"en": "under {0}", "zh": "{0}下的"},
    ("issued_by", "in"): {"en": "issuing {0}", "zh": "发布{0}的"},
    ("issued_by", OUT): {"en": "issued by {0}", "zh": "{0}发布的"},
    ("in_category", OUT): {"en": "in the category {0}", "zh": "属于{0}的"},
    ("covers_technology", OUT): {"en": "covering {0}", "zh": "涉及{0}的"},
    ("broader", OUT): {"en": "below {0}", "zh": "{0}之下的"},
    ("broader", "in"): {"en": "above {0}", "zh": "{0}之上的"},
}
OPS = {
    "gt": {"en": "above", "zh": "超过"},
    "ge": {"en": "at least", "zh": "不少于"},
    "lt": {"en": "below", "zh": "低于"},
    "le": {"en": "at most", "zh": "不超过"},
    "eq": {"en": "equal to", "zh": "等于"},
}
DATE_OPS = {
    "le": {"en": "on or before {0}", "zh": "不晚于{0}"},
    "lt": {"en": "before {0}", "zh": "早于{0}"},
    "ge": {"en": "on or after {0}", "zh": "不早于{0}"},
    "year": {"en": "in {0}", "zh": "在{0}年"},
    "month": {"en": "in {0}", "zh": "在{0}"},
}


def _plural(label: str) -> str:
    if label.endswith("y") and not label.endswith("ay"):
        return label[:-1] + "ies"
    return label if label.endswith("s") else label + "s"


def _subject(reading: Reading, lang: str) -> str:
    schema = load_schema()
    if len(reading.types) == len(schema.node_types):
        return "Entities" if lang == "en" else "实体"
    names: list[str] = []
    for type_name in reading.types:
        kinds = [k for (t, k) in KIND_ALIASES if t == type_name and k in reading.kinds]
        if kinds:
            for kind in kinds:
                word = KIND_ALIASES[(type_name, kind)][lang][0]
                names.append(_plural(word) if lang == "en" else word)
        else:
            label = schema.node_type(type_name).labels[lang] or type_name
            names.append(_plural(label.lower()) if lang == "en" else label)
    joined = " and ".join(names) if lang == "en" else "和".join(names)
    return joined[:1].upper() + joined[1:] if lang == "en" else joined


def _name(nodes: dict[str, Node], entity: str, lang: str) -> str:
    node = nodes.get(entity)
    return node.label(lang) if node else entity


def _constraint(constraint: Constraint, nodes: dict[str, Node], lang: str) -> str:
    schema = load_schema()
    if constraint.kind in ("relation", "provenance"):
        assert constraint.anchor is not None
        name = _name(nodes, constraint.anchor.ids[0], lang)
        if constraint.kind == "provenance" and constraint.negated:
            return {"en": "not stated in {0}", "zh": "未在{0}中出现的"}[lang].format(name)
        if constraint.kind == "provenance":
            text = {"en": "stated in {0}", "zh": "{0}中出现的"}[lang].format(name)
        else:
            parts = []
            for step in constraint.path:
                relation = schema.relation(step.relation)
                phrase = PHRASES.get((step.relation, step.direction))
                if phrase is None:
                    label = relation.labels[lang] or step.relation
                    phrase = {
                        "en": f"({label}) {{0}}" if step.direction == OUT else f"{{0}} ({label})",
                        "zh": f"{label}{{0}}的" if step.direction == OUT else f"{{0}}{label}的",
                    }
                parts.append(phrase[lang])
            composed = "{0}"
            for part in parts:
                composed = composed.format(part)
            text = composed.format(name)
            if constraint.widen:
                text += {"en": ", including narrower industries", "zh": "（含下位行业）"}[lang]
            if constraint.transitive:
                text += {"en": " (at any depth)", "zh": "（各级）"}[lang]
        if constraint.negated:
            text = {"en": "not " + text, "zh": "非" + text}[lang]
        return text
    if constraint.kind == "status":
        said = next((w for w in STATUS_ALIASES.get(constraint.status, ()) if not w.isascii()), constraint.status)
        return {"en": f"marked {constraint.status}", "zh": f"状态为{said}的"}[lang]
    label = schema.property_types[constraint.prop].labels[lang] or constraint.prop
    via = ""
    if constraint.via:
        owner = constraint.via[-1]
        relation = schema.relation(owner.relation)
        target = relation.range if owner.direction == OUT else relation.domain
        via = (
            schema.node_type(target[0]).labels[lang].lower()
            if lang == "en"
            else schema.node_type(target[0]).labels[lang]
        )
    if constraint.comparison is not None:
        value = f"{constraint.comparison.value:g}" + (" %" if constraint.comparison.percent else "")
        condition = f"{label} {OPS[constraint.comparison.op][lang]} {value}"
    else:
        assert constraint.date is not None
        condition = f"{label} {DATE_OPS[constraint.date.op][lang].format(constraint.date.value)}"
    if lang == "zh":
        return f"{via}{condition}的" if via else f"{condition}的"
    return f"with an {via} {condition}" if via else f"with {condition}"


def say(reading: Reading, nodes: dict[str, Node], lang: str) -> str:
    """The reading as one sentence in `lang` ('Standards supporting Smart healthcare, including …')."""
    subject = _subject(reading, lang)
    parts = [_constraint(c, nodes, lang) for c in reading.constraints]
    if lang == "zh":
        text = "".join(parts) + subject
        while "的的" in text:
            text = text.replace("的的", "的")
        return f"{text}的数量" if reading.count else text
    text = subject + (" " + "; ".join(parts) if parts else "")
    return f"Number of {text[:1].lower()}{text[1:]}" if reading.count else text
