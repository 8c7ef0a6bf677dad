"""Vocabulary the rules know without a graph: technology areas, industries, organisation
abbreviations, and the words that mark programmes, centres and standards in plans.

Data, not logic: each entry pairs a Chinese and an English name (and aliases), so that a
Chinese text still yields English labels and an English text Chinese ones. The graph's own
labels and aliases (passed to the extractor) come first; these only fill in what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One known name: its type, its Chinese and English forms, and other ways of writing it."""

    type: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.aliases)


def _terms(type_name: str, rows: list[tuple[str, ...]]) -> list[Term]:
    return [Term(type_name, row[0], row[1], tuple(row[2:])) for row in rows]


TECHNOLOGY = _terms(
    "TechnologyArea",
    [
        ("5G", "5G", "fifth-generation mobile"),
        ("6G", "6G"),
        ("人工智能", "artificial intelligence", "AI"),
        ("云计算", "cloud computing"),
        ("大数据", "big data"),
        ("区块链", "blockchain"),
        ("物联网", "Internet of Things", "IoT"),
        ("工业互联网", "industrial internet"),
        ("边缘计算", "edge computing"),
        ("标识解析", "identifier resolution", "identification resolution"),
        ("工业软件", "industrial software"),
        ("工业芯片", "industrial chips", "industrial chip"),
        ("工业控制系统", "industrial control systems", "industrial control system"),
        ("密码", "cryptography", "商用密码", "commercial cryptography", "cryptographic"),
        ("北斗", "BeiDou"),
        ("量子信息", "quantum information", "量子计算", "quantum computing"),
        ("虚拟现实", "virtual reality", "VR"),
        ("增强现实", "augmented reality", "AR"),
        ("数字孪生", "digital twin", "digital twins"),
        ("集成电路", "integrated circuits", "integrated circuit"),
        ("操作系统", "operating systems", "operating system"),
        ("传感器", "sensors"),
        ("高性能计算", "high-performance computing", "HPC"),
        ("高性能算力", "high-performance computing power"),
        ("算力网络", "computing power network"),
        ("卫星互联网", "satellite internet"),
        ("千兆光网", "gigabit optical networks", "gigabit optical network"),
        ("IPv6", "IPv6"),
        ("新一代信息技术", "new-generation information technology", "next-generation information technology"),
        ("信息通信技术", "information and communication technology", "ICT"),
        ("绿色低碳技术", "green and low-carbon technologies", "green low-carbon technology"),
        ("机器人", "robotics", "robots"),
        ("无人机", "drones", "unmanned aerial vehicles"),
        ("智能网联汽车", "intelligent connected vehicles"),
        ("车联网", "Internet of Vehicles", "IoV"),
        ("元宇宙", "metaverse"),
        ("先进计算", "advanced computing"),
        ("时间敏感网络", "time-sensitive networking", "TSN"),
        ("智能传感", "intelligent sensing"),
        ("高精度定位", "high-precision positioning"),
        ("自动驾驶", "autonomous driving", "self-driving"),
        ("车路协同", "vehicle-road coordination", "vehicle-infrastructure cooperation"),
    ],
)

INDUSTRIES = _terms(
    "Industry",
    [
        ("制造业", "manufacturing industry", "manufacturing sector", "manufacturing"),
        ("汽车", "automotive industry", "automobile industry"),
        ("钢铁", "steel industry"),
        ("石化化工", "petrochemical industry", "chemical industry"),
        ("电子信息", "electronic information industry", "electronics industry"),
        ("医疗", "healthcare", "medical care"),
        ("生物医药", "biomedicine", "biopharmaceutical industry", "biomedical industry"),
        ("医药", "pharmaceutical industry"),
        ("农业", "agriculture"),
        ("能源", "energy sector", "energy industry"),
        ("电力", "power industry", "electric power"),
        ("交通运输", "transport", "transportation"),
        ("物流", "logistics"),
        ("金融", "finance", "financial sector"),
        ("教育", "education"),
        ("文化旅游", "culture and tourism", "文旅"),
        ("建筑业", "construction industry"),
        ("软件和信息技术服务业", "software and information technology services"),
        ("数字经济", "digital economy"),
        ("纺织", "textile industry"),
        ("航空航天", "aerospace"),
        ("船舶", "shipbuilding"),
        ("采矿", "mining"),
        ("港口", "ports"),
    ],
)

ORGANIZATIONS = _terms(
    "Organization",
    [
        ("工业和信息化部", "Ministry of Industry and Information Technology", "工信部", "MIIT"),
        ("国务院", "State Council"),
        ("国家发展和改革委员会", "National Development and Reform Commission", "国家发展改革委", "发改委", "NDRC"),
        ("科学技术部", "Ministry of Science and Technology", "科技部", "MOST"),
        ("财政部", "Ministry of Finance", "MOF"),
        ("教育部", "Ministry of Education", "MOE"),
        ("商务部", "Ministry of Commerce", "MOFCOM"),
        ("国家市场监督管理总局", "State Administration for Market Regulation", "市场监管总局", "SAMR"),
        ("国家标准化管理委员会", "Standardization Administration of China", "国家标准委", "SAC"),
        ("国家能源局", "National Energy Administration", "NEA"),
        ("中央网络安全和信息化委员会办公室", "Cyberspace Administration of China", "中央网信办", "网信办", "CAC"),
        ("国家卫生健康委员会", "National Health Commission", "国家卫生健康委", "卫健委", "NHC"),
        ("住房和城乡建设部", "Ministry of Housing and Urban-Rural Development", "住建部", "MOHURD"),
        ("交通运输部", "Ministry of Transport", "MOT"),
        ("生态环境部", "Ministry of Ecology and Environment", "MEE"),
        ("国家数据局", "National Data Administration", "NDA"),
        ("公安部", "Ministry of Public Security", "MPS"),
        ("自然资源部", "Ministry of Natural Resources", "MNR"),
        ("农业农村部", "Ministry of Agriculture and Rural Affairs", "农业部", "MARA"),
        ("文化和旅游部", "Ministry of Culture and Tourism", "文旅部", "MCT"),
        ("应急管理部", "Ministry of Emergency Management", "MEM"),
        ("人力资源和社会保障部", "Ministry of Human Resources and Social Security", "人社部", "MOHRSS"),
        ("水利部", "Ministry of Water Resources", "MWR"),
        ("民政部", "Ministry of Civil Affairs", "MCA"),
        ("国家广播电视总局", "National Radio and Television Administration", "广电总局", "NRTA"),
        ("国家知识产权局", "China National Intellectual Property Administration", "CNIPA"),
        ("中国人民银行", "People's Bank of China", "人民银行", "PBOC"),
        ("中国民用航空局", "Civil Aviation Administration of China", "民航局", "CAAC"),
        ("国家药品监督管理局", "National Medical Products Administration", "国家药监局", "NMPA"),
        (
            "国务院国有资产监督管理委员会",
            "State-owned Assets Supervision and Administration Commission",
            "国务院国资委",
            "国资委",
            "SASAC",
        ),
    ],
)

# Heads that end a name of a kind of entity. Longest first where they overlap.
ORG_SUFFIXES_ZH = (
    "委员会办公室", "领导小组", "工作组", "委员会", "办公厅", "办公室", "管理局", "总局", "人民政府", "政府",
    "协会", "联盟", "研究院", "研究所", "学会", "部", "委", "局", "厅", "司", "署", "办",
)  # fmt: skip
ORG_HEADS_EN = (
    "Ministry", "Commission", "Council", "Administration", "Department", "Bureau", "Office", "Working Group",
    "Group", "Association", "Alliance", "Agency", "Government", "Committee", "Academy", "Institute",
)  # fmt: skip
PROGRAM_SUFFIXES_ZH = (
    "示范项目",
    "示范企业",
    "示范工程",
    "示范区",
    "试点示范",
    "试点",
    "工程",
    "全连接工厂",
    "示范工厂",
    "智能工厂",
    "灯塔工厂",
)
CENTER_SUFFIXES_ZH = ("创新中心", "分中心", "大数据中心", "中心", "示范基地", "基地", "实验室", "先导区", "示范园区")
CENTER_QUALIFIERS_ZH = ("国家", "国家级", "省级", "区域级", "行业级", "示范", "创新", "重点", "公共服务", "大数据")
PROGRAM_HEADS_EN = ("pilot projects", "pilot programme", "pilot program", "pilots", "trials", "trial", "demonstration projects",  # noqa: E501
                    "demonstration enterprises", "model projects", "Project", "Programme", "Program", "fully-connected factories",  # noqa: E501
                    "fully connected factories", "demonstration zones", "pilot zones")  # fmt: skip
CENTER_HEADS_EN = ("innovation centres", "innovation centers", "innovation centre", "innovation center", "sub-centres",
                   "sub-centers", "data centre", "data center", "demonstration bases", "demonstration base", "laboratories",  # noqa: E501
                   "laboratory", "centres", "centers", "centre", "center")  # fmt: skip
DOCUMENT_HEADS_ZH = (
    "行动计划",
    "规划",
    "计划",
    "方案",
    "指导意见",
    "意见",
    "纲要",
    "通知",
    "办法",
    "指南",
    "战略",
    "决定",
    "若干措施",
    "措施",
    "实施细则",
    "细则",
    "政策",
)
DOCUMENT_HEADS_EN = ("Action Plan", "Plan", "Guiding Opinions", "Opinions", "Guidelines", "Outline", "Programme", "Strategy",  # noqa: E501
                     "Measures", "Notice", "Roadmap", "Work Plan", "Implementation Plan", "Guidance")  # fmt: skip

# Verbs that open a clause in Chinese plan prose; a name never starts across one of them.
VERBS_ZH = (
    "加快", "推动", "推进", "支持", "鼓励", "引导", "实施", "开展", "建设", "建成", "打造", "培育", "完善", "加强",
    "深化", "提升", "提高", "扩大", "布局", "绘制", "依托", "形成", "促进", "探索", "研究", "规划", "制定", "研制",
    "增强", "发展", "推广", "遴选", "组织", "设立", "构建", "健全", "强化", "优化", "统筹", "面向", "围绕", "把",
    "在", "以", "为", "对", "与", "和", "及", "等", "的", "将", "使", "让", "由", "向", "从", "补齐", "涌现", "带动",
    "部署", "服务", "赋能", "立足", "顺应", "着力", "坚持", "破解", "推进", "贯通", "重点", "作为", "做好", "抓好", "落实", "完成", "新建", "建立", "编制", "出台", "印发",  # noqa: E501
)  # fmt: skip
