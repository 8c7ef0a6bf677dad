"""Relation rules: what the structure and the co-occurrence in one block state.

- a goal heading or a qualitative goal clause of the goals section: Plan has_goal Goal
- a measure's own block mentions a programme / centre / standard / industry / technology:
  calls_for_program, calls_for_center, calls_for_standard, targets_industry, addresses_technology
- a heading measure whose items mostly target one industry targets it too
- a standard or a centre/programme named after an industry: supports_industry / serves_industry
"""

from __future__ import annotations

from collections import Counter

from plankg.loaders.extract.proposals import Proposal, Proposals

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
    for item in list(props.items.values()):
        if item.type == "Goal" and item.key != "plan":
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
