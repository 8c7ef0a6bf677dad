"""Relation rules: what the structure and the co-occurrence in one block state.

- a goal heading or a qualitative goal clause of the goals section: Plan has_goal Goal
- a figure of the goals section under no goal heading or clause: Plan has_goal Indicator
- an organisation that releases the plan in the opening sentences (a news report's "MIIT released
  an action plan", 某部印发《…》) when no notice names the issuer: Plan issued_by it
- a measure's own block mentions a programme / centre / standard / industry / technology:
  calls_for_program, calls_for_center, calls_for_standard, targets_industry, addresses_technology
- a heading measure whose items mostly target one industry targets it too
- a standard or a centre/programme named after an industry: supports_industry / serves_industry
"""

from __future__ import annotations

import re
from collections import Counter

from plankg.loaders.extract.proposals import Proposal, Proposals
from plankg.loaders.extract.structure import sentences

RELEASE = re.compile(
    r"\b(?:released|issued|published|unveiled|launched|announced)\b(?=.*\b(?:plan|programme|guidelines?)\b)"
    r"|(?:印发|发布|出台|公布)(?=.*(?:《|规划|计划|方案|意见))",
    re.I,
)
"""A verb of release followed, in the same sentence, by the kind of document that is released."""

GOAL_TARGET_RULES = frozenset({"goal.target", "goal.target-sentence"})
"""Rules that propose an Indicator as a target the plan itself sets (not a task's figure)."""

CALLS = {
    "Program": "calls_for_program",
    "DemonstrationCenter": "calls_for_center",
    "Standard": "calls_for_standard",
    "Industry": "targets_industry",
    "TechnologyArea": "addresses_technology",
}


def _plan_subject(thing: Proposal, plan: Proposal) -> bool:
    title = " ".join(plan.labels.values()).casefold()
    return any(label and label.casefold() in title for label in thing.labels.values())


def _explicit_industry(thing: Proposal, block: int) -> bool:
    return any(e.rule == "industry.chain" for e in thing.evidence)


def relation_rules(props: Proposals, plan: Proposal, document: Proposal, owners: dict[int, Proposal]) -> None:
    """Add the relations the text states to `props.links`."""
    props.link(plan, "has_version", document, document.evidence[0])
    _release_issuers(props, plan)
    for item in list(props.items.values()):
        if item.type == "Goal" and item.key != "plan":
            props.link(plan, "has_goal", item, item.evidence[0])
    measured = {link.target for link in props.links.values() if link.relation == "measured_by"}
    for item in list(props.items.values()):
        if item.type == "Indicator" and item.key not in measured and item.rule in GOAL_TARGET_RULES:
            props.link(plan, "has_goal", item, item.evidence[0])
    children: dict[str, list[Proposal]] = {}
    for link in list(props.links.values()):
        if link.relation == "has_sub_measure":
            children.setdefault(link.source, []).append(props.items[link.target])
    for index, measure in owners.items():
        has_items = bool(children.get(measure.key))
        block = props.blocks[index]
        if has_items and block.level == 2 and measure.evidence[0].start == block.title_start:
            continue  # a heading with items: the items call for things, not the heading
        for thing in props.in_block(index, *CALLS):
            if thing.type == "Industry" and _plan_subject(thing, plan) and not _explicit_industry(thing, index):
                continue  # the plan's own subject is not a target of each of its measures
            evidence = props.evidence(block, block.start, block.end, f"rel.{CALLS[thing.type]}", 0.7)
            props.link(measure, CALLS[thing.type], thing, evidence)
    for key, items in children.items():
        head = props.items.get(key)
        if head is None:
            continue
        counts = Counter(
            link.target for link in props.links.values()
            if link.relation == "targets_industry" and link.source in {c.key for c in items}
        )  # fmt: skip
        for industry, count in counts.items():
            if count >= 2 and count * 2 >= len(items):
                first = next(link for link in props.links.values() if link.target == industry)
                props.link(head, "targets_industry", props.items[industry], first.evidence)


def _release_issuers(props: Proposals, plan: Proposal, opening_blocks: int = 3) -> None:
    """Organisations named before a verb of release in the text's opening sentences issued the plan.
    Only when no notice line already said who issued it."""
    if any(link.relation == "issued_by" and link.source == plan.key for link in props.links.values()):
        return
    organisations = [item for item in props.items.values() if item.type == "Organization"]
    for block in props.blocks[:opening_blocks]:
        for s_start, s_end in sentences(block.body, block.body_start):
            verb = RELEASE.search(props.text, s_start, s_end)
            if verb is None:
                continue
            for org in organisations:
                mention = next((e for e in org.evidence if s_start <= e.start and e.end <= verb.start()), None)
                if mention is None:
                    continue
                evidence = props.evidence(block, s_start, s_end, "rel.release-issuer", 0.6)
                props.link(plan, "issued_by", org, evidence)
