"""Hong Kong and Taiwan passport spellings of Chinese names written in Han characters.

Taiwan passports long used Wade–Giles (陳建文 → CHEN CHIEN-WEN) and Hong Kong ones write the Hong Kong Government
Cantonese romanisation (陳建文 → CHAN KIN MAN), while `scripts.romanize_han` reads Han through Mandarin pinyin.
This module adds both, as per-syllable choices `scripts.ranked_spellings` combines:

- `wade_giles_choices`: our own rules from pinyin syllables (pypinyin writes ü as "v"), as passports print them —
  no apostrophes, no umlauts: zhang → chang, jing/qing → ching, xin → hsin, jian → chien, zi → tzu, shi → shih,
  ge → ko, gui → kuei, yu/xu → yu/hsu, yue → yueh. Tongyong Pinyin (jhang, siou), which Taiwan passports used
  for a few years, is not covered.
- `cantonese_choices`: the per-character readings of the `cantonese-romanisation` package (MIT; its data is
  JSON inside the package, read once through `pkgutil`: no download, nothing outside the package). Its table is
  keyed by traditional characters and mixes in Yale-style spellings (gwan, jau, dung); those are rewritten the
  way Hong Kong Government romanisation writes them (kwan, chau, tung), and common simplified characters are
  looked up through their traditional form first.

The package is imported lazily (like pypinyin): Latin-only names never load it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache

Choice = tuple[tuple[str, int], ...]  # spellings of one syllable with a cost; the first one costs 0

MAX_CANTONESE_READINGS = 3  # per character: readings past these are rare, and each one is a retrieval key

# --- Wade–Giles --------------------------------------------------------------------------------------------------

# pinyin initial → Wade–Giles initial, aspiration marks dropped (p/b, t/d, k/g, ch/zh/j/q, ts/z/c all merge).
_WG_INITIALS: dict[str, str] = {
    "b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n", "l": "l", "g": "k", "k": "k", "h": "h",
    "j": "ch", "q": "ch", "x": "hs", "zh": "ch", "ch": "ch", "sh": "sh", "r": "j", "z": "ts", "c": "ts", "s": "s",
}  # fmt: skip
_VELARS = frozenset("gkh")  # ge → ko, guo → kuo (not to), gui → kuei
_UO_KEPT = frozenset({"g", "k", "h", "sh"})  # duo → to, zuo → tso, ruo → jo, but guo → kuo, shuo → shuo

# Whole syllables with their own Wade–Giles form, alternatives after the first.
_WG_SYLLABLES: dict[str, tuple[str, ...]] = {
    "zhi": ("chih",), "chi": ("chih",), "shi": ("shih",), "ri": ("jih",), "zi": ("tzu",), "ci": ("tzu",),
    "si": ("ssu", "szu"), "er": ("erh",), "e": ("o", "e"), "yi": ("i", "yi"), "you": ("yu",), "ye": ("yeh",),
    "yan": ("yen",), "yong": ("yung",), "yu": ("yu",), "yv": ("yu",), "yue": ("yueh",), "yve": ("yueh",),
    "yuan": ("yuan",), "yun": ("yun",), "m": ("m",), "n": ("n",), "ng": ("ng",), "hm": ("hm",), "hng": ("hng",),
}  # fmt: skip

# pinyin final → Wade–Giles final, where the initial does not change it (see `_wg_final`).
_WG_FINALS: dict[str, str] = {
    "ong": "ung", "iong": "iung", "ian": "ien", "ie": "ieh", "ue": "ueh", "ve": "ueh", "v": "u", "van": "uan",
    "vn": "un",
}  # fmt: skip


def _wg_final(initial: str, final: str) -> tuple[str, ...]:
    if final == "e" and initial in _VELARS:
        return ("o",)
    if final == "uo" and initial not in _UO_KEPT:
        return ("o",)
    if final == "ui":  # kuei, but hui, shui, tsui (Taiwan also writes huei, shuei)
        return ("uei", "ui") if initial in ("g", "k") else ("ui", "uei")
    return (_WG_FINALS.get(final, final),)


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> tuple[str, ...]:
    """Wade–Giles spellings of one toneless pinyin syllable ("v" for ü), the usual one first; ASCII only."""
    syllable = syllable.lower()
    if syllable in _WG_SYLLABLES:
        return _WG_SYLLABLES[syllable]
    initial = syllable[:2] if syllable[:2] in ("zh", "ch", "sh") else syllable[:1]
    if initial not in _WG_INITIALS:  # y-, w- and bare vowels: the final alone (ya, wang, ai, ou)
        return (_WG_FINALS.get(syllable, syllable).replace("v", "u"),)
    return tuple(_WG_INITIALS[initial] + f for f in _wg_final(initial, syllable[len(initial) :]))


def wade_giles_choices(syllables: Sequence[str]) -> list[Choice]:
    """One choice per syllable, for `ranked_spellings`: the standard spelling first; none when a syllable is
    not pinyin (pypinyin passes characters it cannot read through)."""
    if not all(s.isascii() and s.isalpha() for s in syllables):
        return []
    return [tuple((spelling, cost) for cost, spelling in enumerate(wade_giles(s))) for s in syllables]


# --- Cantonese (Hong Kong Government romanisation) -----------------------------------------------------------------

# Common simplified characters → traditional, for characters the Cantonese table only knows in traditional form.
# Each pair is checked in the tests: the traditional one is in the table and shares a Mandarin reading.
_SIMPLIFIED_PAIRS = """
张張 陈陳 刘劉 黄黃 吴吳 郑鄭 赵趙 杨楊 孙孫 马馬 罗羅 谢謝 韩韓 冯馮 许許 邓鄧 萧蕭 叶葉 苏蘇 吕呂 卢盧 钟鍾
蒋蔣 谭譚 陆陸 贾賈 韦韋 邹鄒 阎閻 龙龍 贺賀 顾顧 龚龔 钱錢 严嚴 赖賴 区區 缪繆 单單 欧歐 汤湯 凤鳳 邝鄺 麦麥
关關 温溫 纪紀 闫閆 尧堯 乔喬 齐齊 骆駱 聂聶 储儲 鲁魯 卫衛 饶饒 邬鄔 连連 项項 劳勞 钮鈕 宾賓 阳陽 鲍鮑 颜顏
伟偉 丽麗 强強 艳艷 国國 红紅 东東 军軍 涛濤 华華 静靜 辉輝 鹏鵬 飞飛 刚剛 义義 礼禮 长長 乐樂 爱愛 梦夢 颖穎
兰蘭 莲蓮 凯凱 亚亞 晓曉 岚嵐 满滿 钧鈞 铭銘 锋鋒 锦錦 银銀 铁鐵 顺順 颂頌 鸿鴻 汉漢 泽澤 润潤 沧滄 为為 纯純
纲綱 绍紹 经經 继繼 维維 绮綺 绿綠 缘緣 练練 贤賢 贞貞 财財 资資 赛賽 韬韜 轩軒 运運 迈邁 选選 鸣鳴 鹤鶴 龄齡
玮瑋 环環 琏璉 珑瓏 婵嬋 娴嫻 欢歡 岁歲 历歷 兴興 荣榮 宝寶 贵貴 庆慶 进進 达達 远遠 广廣 冈岡 岗崗 双雙 发發
乡鄉 书書 仪儀 伦倫 俭儉 则則 创創 剑劍 动動 劲勁 励勵 势勢 协協 启啟 员員 图圖 坚堅 场場 声聲 壮壯 奋奮 娇嬌
学學 实實 宽寬 对對 寻尋 导導 尔爾 岛島 峡峽 巩鞏 师師 帅帥 带帶 应應 开開 弥彌 归歸 录錄 彦彥 忆憶 恋戀 悦悅
战戰 扬揚 护護 报報 挥揮 数數 斋齋 时時 显顯 晋晉 晖暉 权權 标標 栋棟 树樹 桥橋 检檢 汇匯 沪滬 济濟 浅淺 浑渾
浓濃 涧澗 渊淵 湾灣 滨濱 潇瀟 灵靈 灿燦 炜煒 炼煉 烁爍 热熱 焕煥 犹猶 献獻 玛瑪 现現 瑶瑤 璎瓔 电電 画畫 畅暢
盖蓋 硕碩 祯禎 积積 称稱 稳穩 竞競 笃篤 笔筆 简簡 纤纖 约約 级級 纬緯 纱紗 纳納 纵縱 纷紛 线線 组組 细細 织織
终終 绒絨 结結 绘繪 络絡 统統 绢絹 绩績 绪緒 续續 绯緋 绵綿 综綜 缇緹 缤繽 习習 翘翹 联聯 聪聰 肃肅 腾騰 舰艦
艺藝 节節 芦蘆 苍蒼 荫蔭 药藥 莹瑩 莺鶯 萤螢 蓝藍 观觀 规規 视視 觉覺 誉譽 计計 训訓 议議 记記 讲講 论論 设設
证證 评評 识識 诗詩 诚誠 话話 详詳 语語 说說 诺諾 读讀 谊誼 谋謀 谦謙 谨謹 谱譜 贝貝 负負 贡貢 责責 贯貫 赋賦
赏賞 赐賜 赞贊 赠贈 跃躍 践踐 车車 转轉 轮輪 轻輕 载載 边邊 过過 还還 违違 逊遜 邮郵 钊釗 钢鋼 钦欽 钰鈺 铃鈴
铜銅 锐銳 锡錫 锵鏘 镇鎮 镜鏡 镛鏞 门門 闯闖 间間 闵閔 闻聞 阁閣 阔闊 队隊 阴陰 际際 陕陝 隐隱 难難 雏雛 雾霧
霁霽 靓靚 韧韌 须須 颐頤 预預 领領 频頻 额額 风風 飘飄 馆館 驰馳 驹駒 骄驕 骏駿 骐騏 骞騫 鱼魚 鲜鮮 鸟鳥 鸥鷗
鹃鵑 鹰鷹 龟龜 冲沖 决決 净淨 凉涼 击擊 总總 恺愷 仓倉 从從 众眾 会會 传傳 侠俠 侣侶 侨僑 俪儷 亿億 仅僅 们們
兑兌 养養 写寫 农農 办辦 务務 勋勳 卖賣 厉厲 县縣 参參 变變 号號 团團 园園 围圍 圆圓 坛壇 处處 备備 头頭 夺奪
奖獎 妆妝 妇婦 娄婁 娅婭 婴嬰 宠寵 审審 宪憲 寿壽 将將 尘塵 尝嘗 层層 岂豈 峤嶠 币幣 庙廟 废廢 弯彎 弹彈 彻徹
径徑 忧憂 态態 惯慣 扩擴 扫掃 抚撫 择擇 挚摯 换換 摄攝 敌敵 断斷 无無 旧舊 旷曠 昙曇 晔曄 晕暈 暂暫 术術 杂雜
条條 来來 枫楓 样樣 桦樺 楼樓 榄欖 毕畢 汹洶 沟溝 沣灃 沥瀝 泷瀧 泸瀘 泾涇 浏瀏 浔潯 涟漣 渐漸 渔漁 滢瀅 潍濰
潜潛 澜瀾 灏灝 灯燈 炀煬 点點 烨燁 爷爺 狮獅 猎獵 玑璣 玺璽 琐瑣 瑷璦 疗療 监監 盘盤 睁睜 矿礦 码碼 础礎 祎禕
禅禪 税稅 稣穌 穷窮 竖豎 筹籌 签簽 类類 粤粵 粮糧 纠糾 纨紈 纶綸 纹紋 纺紡 纽紐 绅紳 绎繹 绣繡 绰綽 绶綬 绽綻
缎緞 缓緩 编編 缨纓 羁羈 聋聾 职職 舆輿 荆荊 荡蕩 荧熒 莱萊 获獲 萝蘿 营營 萦縈 蔷薔 蔺藺 蕴蘊 虑慮 虚虛 虽雖
补補 装裝 见見 览覽 觅覓 认認 让讓 讯訊 访訪 词詞 译譯 试試 诞誕 询詢 课課 谁誰 调調 谅諒 谈談 谐諧 谕諭 贫貧
贸貿 费費 贻貽 趋趨 轨軌 辈輩 辑輯 辕轅 辞辭 辩辯 辽遼 迁遷 这這 迟遲 递遞 遗遺 邻鄰 释釋 鉴鑒 钓釣 钗釵 铿鏗
闪閃 闭閉 问問 闲閑 阅閱 阵陣 阶階 陇隴 险險 隶隸 雳靂 页頁 顶頂 顽頑 颁頒 颇頗 题題 饮飲 驿驛 验驗 亲親 争爭
买買 乱亂 伪偽 侦偵 侧側 俩倆 债債 倾傾 偿償 内內 减減 凛凜 删刪 别別 剧劇 劝勸 医醫 厅廳 压壓 厦廈 叙敘 叹嘆
唤喚 啸嘯 坝壩 垦墾 墙牆 壳殼 够夠 夹夾 妈媽 娆嬈 宫宮 届屆 属屬 岖嶇 帐帳 帮幫 库庫 庞龐 恶惡 恼惱 悬懸 惧懼
惩懲 愤憤 懒懶 戏戲 户戶 执執 抢搶 担擔 拟擬 拥擁 拦攔 损損 摆擺 摇搖 撑撐 杀殺 枪槍 栏欄 桨槳 歼殲 毡氈 没沒
沦淪 泪淚 泻瀉 泼潑 浆漿 浇澆 测測 涨漲 渍漬 渗滲 湿濕 溃潰 滚滾 滞滯 滤濾 滥濫 滩灘 灭滅 炉爐 烂爛 烛燭 烦煩
烧燒 烫燙 牵牽 猪豬 皑皚 盐鹽 矫矯 砖磚 祸禍 秽穢 窃竊 笼籠 粪糞 纸紙 给給 绝絕 绳繩 缀綴 缉緝 缔締 缩縮 罢罷
耸聳 肠腸 肤膚 胶膠 脏臟 脑腦 艰艱 芜蕪 苇葦 茎莖 荞蕎 蚀蝕 蛮蠻 衬襯 袄襖 裤褲 讨討 讶訝 讼訟 诉訴 诊診 误誤
诱誘 请請 诸諸 谓謂 谚諺 贩販 贪貪 败敗 货貨 质質 软軟 辖轄 酱醬 钻鑽 闰閏 顿頓 颊頰 飒颯 馈饋 驱驅 驻駐 骥驥
鲤鯉 鲸鯨 鸽鴿 鹊鵲 龈齦 兹茲 锺鍾 镕鎔 铮錚 锟錕 钜鉅 铎鐸 镐鎬 钏釧 锜錡 颢顥 颉頡 骅驊 骢驄 鹂鸝 鸾鸞 鸳鴛
鸯鴦 骊驪 蕰薀 芗薌 荪蓀 荟薈 莼蓴 萨薩 蓦驀 栎櫟 桢楨 梼檮 椤欏 棂欞 樯檣 玱瑲 玙璵 谌諶 诒詒 诩詡 谞諝 谧謐
蔼藹 霭靄 岘峴 峦巒 崭嶄 巅巔 岙嶴 屿嶼 浈湞 浍澮 涠潿 渌淥 溆漵 滠灄 滦灤 潆瀠 潋瀲 濑瀨 韪韙 颀頎 颍潁 颛顓
飏颺 飚飆 饴飴 馀餘 驷駟 骋騁 骓騅 骝騮 骧驤 鲲鯤 鲵鯢 鳌鰲 鹄鵠 鹭鷺 鹦鸚 鹉鵡 黾黽 齑齏 铖鋮 铠鎧 铨銓 锌鋅
锢錮 锭錠 锴鍇 锷鍔 镝鏑 镭鐳 镯鐲 镶鑲 垲塏 埘塒 娈孌 娲媧 嫒嬡 妫媯 姗姍 妩嫵 娱娛 嫔嬪 孪孿
"""
TRADITIONAL: dict[str, str] = {pair[0]: pair[1] for pair in _SIMPLIFIED_PAIRS.split()}

# Yale-style initials in the table, as Hong Kong Government romanisation writes them (it has no b, d, g, j).
_YALE_INITIALS = (("gw", "kw"), ("g", "k"), ("b", "p"), ("d", "t"), ("j", "ch"), ("z", "ts"))


def hk_spelling(reading: str) -> str:
    """A table reading as Hong Kong Government romanisation writes it ("gwan" → "kwan", "jau" → "chau",
    "baak" → "pak"); "" for entries that are not a syllable."""
    spelling = reading.lower()
    if not (spelling.isascii() and spelling.isalpha()) or (len(spelling) == 1 and spelling not in "aeioum"):
        return ""
    for yale, hk in _YALE_INITIALS:
        if spelling.startswith(yale):
            spelling = hk + spelling[len(yale) :]
            break
    return spelling.replace("aa", "a")


@cache
def _cantonese_table() -> Callable[[str], list[list[str]]]:
    from cantoroman import Cantonese  # type: ignore[import-untyped]  # lazy: see the module docstring

    get_roman: Callable[[str], list[list[str]]] = Cantonese().getRoman
    return get_roman


@lru_cache(maxsize=8192)
def cantonese_readings(char: str) -> tuple[str, ...]:
    """Hong Kong Government spellings of one Han character, the table's own ones first (at most
    `MAX_CANTONESE_READINGS`); () when the table does not know the character."""
    lookup = _cantonese_table()
    readings = lookup(char)[0] or lookup(TRADITIONAL.get(char, char))[0]
    ranked = sorted(
        (spelling != reading.lower(), position, spelling)
        for position, reading in enumerate(readings)
        if (spelling := hk_spelling(reading))
    )
    return tuple(dict.fromkeys(spelling for _, _, spelling in ranked))[:MAX_CANTONESE_READINGS]


def cantonese_choices(run: str) -> list[Choice] | None:
    """One choice per character, for `ranked_spellings`; None when a character has no known reading."""
    choices: list[Choice] = []
    for char in run:
        readings = cantonese_readings(char)
        if not readings:
            return None
        choices.append(tuple((spelling, cost) for cost, spelling in enumerate(readings)))
    return choices
