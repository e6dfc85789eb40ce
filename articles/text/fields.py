"""Stage 4: the small fields of an item — headings, bylines, ledes, dates, source, page.

These recognisers are shared by the chrome and split stages (a byline line is
never chrome, a lede starts an article), so they live here in one place.
"""

from __future__ import annotations

import datetime as _dt
import re

from articles.text.document import PartialDate

HAN = "\u4e00-\u9fff"

# --- names and roles ---------------------------------------------------------

# Personal names are 2-4 Han characters; minority names may carry a middle dot.
NAME = rf"[{HAN}]{{2,4}}(?:[·•][{HAN}]{{1,6}})?"
NAMES = rf"{NAME}(?:[ \t\u3000、，,]+{NAME})*"
# The commonest Chinese surnames (about nine in ten people bear one).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ROLE = (
    rf"(?:(?:本报|本刊|本台|本网|新华社|中新社|人民日报|[{HAN}]{{2,6}}报)?"
    rf"(?:首席|特约|见习|实习|驻[{HAN}]{{1,4}})?(?:摄影记者|记者|通讯员)"
    r"|实习生|撰稿人?|作者|特约撰稿"
    r"|(?:文\s*[/／]\s*图|图\s*[/／]\s*文)\s*[/／:：]?"
    r"|(?:文|图|文字|图片)\s*[/／:：]|文\s*[｜|])"
)
_BULLET = r"[■□◆◇●○▲△◎★☆▌▍|]"
_BYLINE_LINE = re.compile(
    rf"^{_BULLET}?\s*{_ROLE}[\s:：]*{NAMES}(?:[\s、，,]+{_ROLE}[\s:：]*{NAMES})*(?:\s*(?:报道|整理|文\s*[/／]\s*图|图\s*[/／]\s*文|文图))?$"
)
_NAME_ONLY = re.compile(rf"^{NAMES}$")
_PHOTO_CREDIT_LINE = re.compile(
    rf"^[(（]?\s*(?:(?:{_ROLE})[\s:：]*)?{NAMES}\s*(?:摄影?|供图)\s*[)）]?$"
    rf"|^(?:摄影|摄|图)\s*[/／:：]\s*{NAMES}$|^{NAMES}\s*[/／]\s*摄影?$"
)
# A photographer credit closing a caption paragraph: "...就业。(记者 王倩 摄)".
_CAPTION_CREDIT = re.compile(
    rf"(?:[(（]\s*(?:(?:{_ROLE})[\s:：]*)?{NAMES}\s*摄影?\s*[)）]"
    rf"|(?<=[。！？!?”）)])\s*(?:(?:{_ROLE})[\s:：]*)?{NAMES}\s*摄影?"
    rf"|[(（]\s*(?:摄影|摄|图)\s*[/／:：]\s*{NAMES}\s*[)）])\s*$"
)
# Weaker caption cues: an agency/unit credit after the caption's last sentence
# ("...开展排查工作。当地供图"), or a caption that says what the picture shows.
_CAPTION_SOURCE = re.compile(r"(?<=[。！？!?”])\s*[^\s。，,]{0,12}(?:供图|供稿|图片来源\S{0,12})\s*$")
_CAPTION_OPENER = re.compile(r"^(?:图为|上图|下图|左图|右图|图[:：]|[(（]图[)）])|。图为")

# --- ledes ---------------------------------------------------------------------

_LEDE = re.compile(
    rf"^{_BULLET}?\s*[【\[]?(?:"
    rf"本报讯|本刊讯|本网讯|本台讯|[{HAN}]{{2,8}}(?:日报|晚报|时报|晨报|报)讯"
    rf"|本报[{HAN}\d]{{1,14}}讯(?!员)"
    rf"|(?:新华社|中新社|中新网|人民网|央视网)[{HAN}\d]{{1,16}}电"
    # Any agency's or site's dateline: 中闻网武汉4月2日电, 南方社广州5月1日电.
    rf"|[{HAN}]{{1,6}}(?:社|网|台)[{HAN}]{{2,8}}\d{{1,2}}月\d{{1,2}}日电"
    r")[】\]]?\s*(?:[(（【\[]([^()（）【】\[\]]{0,40})[)）】\]])?"
)
# A lede that is only a bracketed byline: "(记者 李小龙)4月8日,..."
_BRACKET_BYLINE_LEDE = re.compile(rf"^[(（【]\s*((?:{_ROLE})[\s:：]*{NAMES}(?:[\s、，,]+(?:{_ROLE})[\s:：]*{NAMES})*)\s*[)）】]")

# --- headings ------------------------------------------------------------------

_HEADING_MARK = re.compile(r"^#+\s*")
_LEADING_DASHES = re.compile(r"^\s*(?:[—－–\-]{1,2}|─{1,2})\s*")
# Only document types that never serve as an intertitle: "工作方案" or "讲话"
# can head a section inside an article, "倡议书" or "通知" cannot.
_DOC_TYPE = re.compile(
    r"(?:倡议书|倡议|通知|公告|通告|决定|公开信|通报|声明|启事|公示|决议|贺信|贺电|慰问信|感谢信|表扬信|告[\u4e00-\u9fff]{1,8}书|的信)$"
    r"|^关于.{2,50}的(?:意见|办法|规定|实施方案)$"
    r"|^致.{1,50}(?:信|书)$"
)
_ORG_SUFFIX = re.compile(
    rf"^[{HAN}（）()]{{2,30}}(?:委员会|联合会|商会|协会|学会|研究会|促进会|基金会|办公室|办公厅|领导小组|指挥部|人民政府|政府|党委|党组|工委|纪委|监委|市委|县委|区委|部|局|厅|署|处|办|院|所|校|中心|集团|公司|街道|办事处|支部|总支|团委|队|站|社|馆|联)$"
)

# --- dates ---------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零Ｏ一二三四五六七八九十"
_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
    r"|(?<![\d.])((?:19|20)\d{2})\s*([-/.])\s*(\d{1,2})\s*\5\s*(\d{1,2})(?![\d.])"
    rf"|([〇○零Ｏ一二三四五六七八九]{{4}})年([{_CN_NUM}]{{1,2}})月([{_CN_NUM}]{{1,3}})[日号]"
)
_MONTH_DAY = re.compile(
    rf"(?<![\d年{_CN_NUM}])(\d{{1,2}}|元)\s*月\s*(\d{{1,2}})\s*[日号]"
    rf"|(?<![\d年{_CN_NUM}])([一二三四五六七八九十]{{1,2}})月([一二三四五六七八九十]{{1,3}})[日号]"
)
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
_DATE_LINE = re.compile(
    rf"^(?:{_FULL_DATE.pattern})\s*[,，]?\s*(?:{_WEEKDAY})?\s*(?:农历[{HAN}]{{0,12}})?"
    r"\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
)
_PUBLICATION = re.compile(r"(?:发表|发布|更新|上传|刊发|出版)?(?:时间|日期)\s*[:：]\s*")

# --- source and page -----------------------------------------------------------

_MASTHEAD = re.compile(
    rf"^([{HAN}]{{1,10}}(?:日报|晚报|时报|晨报|周报|商报|快报|导报|法制报|青年报|农民报|电视报|经济报|报|周刊|画报))"
    r"(?:\s*[·•]?\s*(?:数字报|电子版|数字版|网络版|电子报|数字报刊))?$"
)
_SITE_WELCOME = re.compile(rf"欢迎(?:光临|访问|来到|您访问)\s*(?:《([^》]{{1,20}})》|([{HAN}A-Za-z0-9]{{2,20}}?网))")
_SITE = rf"(?:《([^》]{{1,20}})》|([{HAN}A-Za-z0-9]{{2,20}}?(?:网|报社|日报|晚报|电台|电视台|融媒体中心)))"
_SITE_COPYRIGHT = re.compile(
    rf"(?:版权所有|Copyright|©)\s*(?:©|\(c\)|（c）)?\s*(?:\d{{4}}(?:\s*[-–—]\s*\d{{4}})?)?\s*[:：]?\s*(?:©\s*)?{_SITE}"
    rf"|{_SITE}\s*(?:版权所有|All Rights Reserved)",
    re.I,
)
# The section name may have parts: "第3版:公告·综合", "A5版 县域/经济".
_PAGE_LINE = re.compile(
    rf"^第?\s*([A-Za-z]?\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*版"
    rf"(?:(?:\s*[:：·\-—|]\s*|\s+)[{HAN}]{{1,8}}(?:\s*[·•、/／]\s*[{HAN}]{{1,8}}){{0,2}})?$"
)


def _cn_number(text: str) -> int:
    # 十二 = 12, 二十 = 20, 二十三 = 23, 三 = 3
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def checked_date(year: int | None, month: int, day: int) -> PartialDate | None:
    """The date when it exists (a year, if given, between 1900 and 2100), else None."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None:
        if not 1900 <= year <= 2100:
            return None
        try:
            _dt.date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def _full_date_of(match: re.Match[str]) -> PartialDate | None:
    g = match.groups()
    if g[0]:
        return checked_date(int(g[0]), int(g[1]), int(g[2]))
    if g[3]:
        return checked_date(int(g[3]), int(g[5]), int(g[6]))
    year = int("".join(str(_CN_DIGITS[ch]) for ch in g[7]))
    return checked_date(year, _cn_number(g[8]), _cn_number(g[9]))


def find_full_dates(text: str) -> list[PartialDate]:
    """Every year-month-day date in the text (2022年4月10日, 2020/2/25, 二〇二二年四月十日)."""
    out = []
    for match in _FULL_DATE.finditer(text):
        date = _full_date_of(match)
        if date is not None:
            out.append(date)
    return out


def first_date(text: str) -> PartialDate | None:
    """The first date in the text: a full date, or a month-day with year None (元月 = January)."""
    candidates = []
    full = next((m for m in _FULL_DATE.finditer(text) if _full_date_of(m)), None)
    if full:
        candidates.append((full.start(), _full_date_of(full)))
    for match in _MONTH_DAY.finditer(text):
        if match.group(1):
            month = 1 if match.group(1) == "元" else int(match.group(1))
            date = checked_date(None, month, int(match.group(2)))
        else:
            date = checked_date(None, _cn_number(match.group(3)), _cn_number(match.group(4)))
        if date is not None:
            candidates.append((match.start(), date))
            break
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def is_date_line(text: str) -> bool:
    """A line that is only a full date, optionally with weekday or lunar date (page or signature date)."""
    return len(text) <= 40 and _DATE_LINE.match(text.strip()) is not None


def has_weekday(text: str) -> bool:
    """Whether a date line names the weekday, which only page/issue date lines do."""
    return re.search(_WEEKDAY, text) is not None


# Labels of a web page's article info line; a date printed there without a
# label of its own ("2021-07-12 09:35  来源:XX  编辑:XX") is the publication date.
_INFO_LABEL = re.compile(r"(?:来源|作者|编辑|责任编辑|稿源|出处)\s*[:：]")


def publication_date(text: str) -> PartialDate | None:
    """The date after a label such as 发表时间: / 发布日期: / 时间:, or the bare date of an info line."""
    for label in _PUBLICATION.finditer(text):
        dates = find_full_dates(text[label.end():label.end() + 30])
        if dates:
            return dates[0]
    if _INFO_LABEL.search(text) and len(text) <= 150 and "。" not in text:
        dates = find_full_dates(text)
        if len(dates) == 1:
            return dates[0]
    return None


_AUTHOR = re.compile(rf"(?:作者|记者)\s*[:：]\s*({NAMES})(?![{HAN}])(?!\s*[:：])")


def authors_in(text: str) -> list[str]:
    """Names after 作者: / 记者: in a web page's info line."""
    match = _AUTHOR.search(text)
    return extract_bylines(match.group(1)) if match else []


def closest_year(month: int, day: int, full_dates: list[PartialDate]) -> int | None:
    """The year that puts month-day nearest to one of the file's full dates (None without any)."""
    best: tuple[int, int] | None = None
    for full in full_dates:
        for year in (full.year - 1, full.year, full.year + 1):
            try:
                distance = abs((_dt.date(year, month, day) - _dt.date(full.year, full.month, full.day)).days)
            except ValueError:
                continue
            if best is None or distance < best[0]:
                best = (distance, year)
    return best[1] if best else None


def resolve_item_date(
    page_date: PartialDate | None,
    published: PartialDate | None,
    paragraphs: list[str],
    full_dates: list[PartialDate],
) -> tuple[PartialDate | None, str | None]:
    """Apply the date rules in order (page, publication, signature, lede); return (date, rule)."""
    if page_date is not None:
        return page_date, "page"
    if published is not None:
        return published, "publication"
    if paragraphs and is_date_line(paragraphs[-1]) and not has_weekday(paragraphs[-1]):
        dates = find_full_dates(paragraphs[-1])
        if dates:
            return dates[0], "signature"
    lede = next((p for p in paragraphs if not p.startswith(("编者按", "编者的话", "【编者按"))), None)
    date = first_date(lede) if lede else None
    if date is None:
        return None, None
    if date.year is None:
        year = closest_year(date.month, date.day, full_dates)
        if year is not None:
            date = PartialDate(year, date.month, date.day)
    return date, "lede"


# --- bylines -------------------------------------------------------------------

_ROLE_WORDS = re.compile(_ROLE)
_COMPOUND_SURNAME = re.compile(
    r"^(?:欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|尉迟|公孙|长孙|宇文|司徒|夏侯|端木|独孤|南宫|西门|轩辕|申屠|澹台|百里|呼延)"
)


def looks_like_name(token: str) -> bool:
    """A personal name standing alone, with no role word to vouch for it: a common surname and 1-2 more
    characters (2-3 after a compound surname), or a minority name with its middle dot."""
    if token in NOT_NAMES or not re.fullmatch(NAME, token):
        return False
    if "·" in token or "•" in token:
        return True
    if _COMPOUND_SURNAME.match(token):
        return len(token) <= 4
    return len(token) <= 3 and token[0] in SURNAMES


NOT_NAMES = {"本报", "记者", "通讯员", "报道", "整理", "摄影", "供图", "供稿", "实习生", "作者", "撰稿", "本刊", "新华社",
              "采写", "执笔", "未知", "佚名", "匿名", "不详", "本站", "网友", "小编", "待续", "未完", "未完待续", "网络"}


def _unit(token: str) -> bool:
    """An office credited as the author (作者：宣传科, 供稿：办公室), not a person: no surname, a unit's ending."""
    return token[0] not in SURNAMES and re.search(r"(?:科|处|室|办|部|局|委|中心|站|所|院|队|组)$", token) is not None


def extract_bylines(text: str) -> list[str]:
    """Personal names from a byline or credit: roles (记者, 本报通讯员, 摄 …) stripped, 2-4 Han chars each."""
    text = _ROLE_WORDS.sub(" ", text)
    text = re.sub(r"摄影?(?=\s|[)）]|$)|(?:报道|整理)$|(?<![\u4e00-\u9fff])发自\S*", " ", text.strip())
    names = []
    for token in re.split(r"[\s、，,:：/／()（）【】\[\]■□◆●▲◎★☆|]+", text):
        if re.fullmatch(NAME, token) and token not in NOT_NAMES and token not in names and not _unit(token):
            names.append(token)
    return names


def is_byline_line(text: str) -> bool:
    """A line such as '本报通讯员 陈少斌 唐瑞希', '记者 闫淑娟' or '(记者 张三)' (not a photo credit)."""
    text = text.strip()
    bracketed = re.fullmatch(r"[(（【\[]\s*(.+?)\s*[)）】\]]", text)
    if bracketed:
        text = bracketed.group(1)
    return len(text) <= 50 and not text.endswith("摄") and _BYLINE_LINE.match(text) is not None


def is_name_line(text: str) -> bool:
    """A line made only of personal names, as under a web article's title."""
    text = text.strip()
    return len(text) <= 30 and _NAME_ONLY.match(text) is not None and len(text.split()) <= 4


def is_photo_credit_line(text: str) -> bool:
    """A photographer credit on its own line, e.g. '记者 程婧 摄'."""
    text = text.strip()
    return len(text) <= 40 and _PHOTO_CREDIT_LINE.match(text) is not None


def caption_credit(text: str) -> re.Match[str] | None:
    """The photographer credit that ends a caption paragraph, if any."""
    # Only the tail is searched: the credit closes the caption, and long lines stay cheap.
    return _CAPTION_CREDIT.search(text, max(0, len(text) - 60))


def looks_like_caption(text: str) -> bool:
    """A photo caption: ends with a photographer credit, or with 供图, or says 图为 and credits a source."""
    if caption_credit(text):
        return True
    source = _CAPTION_SOURCE.search(text[-40:])
    opener = _CAPTION_OPENER.search(text[:200]) is not None
    if source:
        return "供图" in source.group(0) or "图片" in source.group(0) or opener
    return opener and len(text) < 200 and text.startswith(("图为", "上图", "下图", "图:", "图："))


def refers_to_picture(text: str) -> bool:
    """A caption that opens with 图为 / 上图 …, i.e. describes a picture of the surrounding article."""
    return re.match(r"^(?:图为|上图|下图|左图|右图|图[:：]|[(（]图[)）])", text) is not None


def split_lede(text: str) -> tuple[str, list[str]] | None:
    """If a paragraph opens with 本报讯(记者 X) or (记者 X), return (rest of paragraph, names)."""
    match = _LEDE.match(text) or _BRACKET_BYLINE_LEDE.match(text)
    if not match:
        return None
    inner = match.group(1) or ""
    return text[match.end():].lstrip(" :：，,"), extract_bylines(inner)


# A byline signing off the last paragraph: "…方便群众乘车。(记者 赵静)".
# Only with a role word, so "(张三)" or "(2022)" at a paragraph's end stay text.
_TRAILING_BYLINE = re.compile(
    rf"(?<=[。！？!?”’」』…])\s*[(（]\s*((?:{_ROLE})[\s:：]*{NAMES}(?:[\s、，,]+(?:{_ROLE})[\s:：]*{NAMES})*)\s*[)）]\s*$"
)


def trailing_byline(text: str) -> re.Match[str] | None:
    """A role-and-name bracket closing a paragraph after its last sentence; group(1) holds the names."""
    return _TRAILING_BYLINE.search(text)


def is_lede(text: str) -> bool:
    """Whether a paragraph opens with a news lede marker (本报讯, 新华社…电, (记者 X) followed by text)."""
    lede = split_lede(text)
    if lede is None:
        return False
    # "(记者 张三)" alone is a byline line (often closing an article), not a lede.
    return bool(lede[0]) or _BRACKET_BYLINE_LEDE.match(text) is None


# --- headings, issuers, source, page -------------------------------------------


_MEDIA_TAG = re.compile(r"\s*[(（【\[](?:组图|图|附图|图文|视频|多图)[)）】\]]$")


def clean_heading(text: str) -> str:
    """A heading without markdown '#' marks, subtitle dashes or a trailing (组图) tag."""
    text = _HEADING_MARK.sub("", text.strip())
    return _MEDIA_TAG.sub("", _LEADING_DASHES.sub("", text)).strip()


def is_subtitle_line(text: str) -> bool:
    """A line that opens with a dash, as subtitles (副题) do."""
    text = _HEADING_MARK.sub("", text.strip())
    return re.match(r"^(?:——|—|－－|--|──)", text) is not None


def is_document_heading(text: str) -> bool:
    """A heading naming a document type (倡议书, 通知, 公告, 致…的信 …) that opens a notice."""
    text = clean_heading(text)
    return len(text) <= 60 and _DOC_TYPE.search(text) is not None


def is_organisation_line(text: str) -> bool:
    """One or more organisation names on a line (中共XX市委统战部  XX市总商会)."""
    tokens = clean_heading(text).split()
    return bool(tokens) and len(tokens) <= 4 and all(_ORG_SUFFIX.match(t) for t in tokens)


def masthead_name(text: str) -> str | None:
    """The newspaper name when the line is a masthead such as 'XX日报' or 'XX时报'."""
    match = _MASTHEAD.match(text.strip())
    return match.group(1) if match and 3 <= len(match.group(1)) <= 12 else None


# A site's own name printed alone above its menu: "XX县人民政府门户网站".
SITE_TITLE = re.compile(rf"^([{HAN}A-Za-z0-9]{{2,24}}(?:门户网站|门户网|网站|官网|政府网|新闻网|信息网))$")


def site_name(text: str) -> str | None:
    """A web site's name from header or footer chrome (欢迎光临《XX》网, 版权所有:XX网, XX门户网站)."""
    match = _SITE_WELCOME.search(text) or _SITE_COPYRIGHT.search(text) or SITE_TITLE.match(text.strip())
    if not match:
        return None
    return next(group for group in match.groups() if group).strip()


_PAGE_IN_LINE = re.compile(r"(?<![\dA-Za-z])第\s*([A-Za-z]?\d{1,2}|[一二三四五六七八九十]{1,3})\s*版")


def page_in_line(text: str) -> str | None:
    """The page named inside a composite masthead line ('XX日报 2022年4月20日 第5版')."""
    match = _PAGE_IN_LINE.search(text)
    return page_number(match.group(0)) if match else None


def masthead_in_line(text: str) -> str | None:
    """A newspaper name among the tokens of a composite masthead line."""
    return next((t for t in text.split() if masthead_name(t)), None)


def page_number(text: str) -> str | None:
    """The page from a 版次 line: '5版' → '5', '第A03版 要闻' → 'A3', '第五版' → '5'."""
    match = _PAGE_LINE.match(text.strip())
    if not match:
        return None
    raw = match.group(1)
    if raw[0] in "一二三四五六七八九十":
        return str(_cn_number(raw))
    letter = raw[0].upper() if raw[0].isalpha() else ""
    return letter + str(int(raw[len(letter):]))
