"""Curated tables of name spellings, written for keta (not copied from any project).

- `FAMILIES`: id → the Latin spellings of ONE name ("muhammad": Mohammed, Mohamed, Mehmet…). Only spellings
  of the same name as it reaches passports through different transliterations or national orthographies
  (Turkish Mehmet, Hüseyin, Ayşe are such spellings). Cognates across languages — Michael/Mikhail,
  Joseph/Yusuf, Maria/Mariya, Ismail/Ismael, Moses/Musa — are different passport names and are left out:
  the scorer may still find them similar, but no table claims they are equal.
- `KOREAN_SURNAMES`: Hangul surname → passport spellings, most common first. Each row is also a family
  ("ko-lee": lee, yi, rhee, i, ri, rhie), so Latin "Yi" and "Lee" match without any Hangul in sight.
- `HAN_SURNAMES`: Han surname (simplified and traditional) → pinyin first, then Wade–Giles, Cantonese,
  Hokkien/Teochew spellings seen in passports. Deliberately not families: "Wong" is 王 and 黄, "Tan" is 陈 and
  谭 — a Latin-only family would join different surnames; a Han-script token carries the variants instead.
- `ARABIC_WORDS`: Arabic-script name words (Persian letters folded to Arabic ones) → Latin spellings.
"""

from __future__ import annotations


def _rows(table: str) -> list[list[str]]:
    return [line.split() for line in table.strip().splitlines() if line.strip()]


_LATIN_FAMILIES = """
muhammad muhammed mohammed mohamed mohammad mohamad muhamed muhamad mohamud mohammod mahomed mehmet mehmed mohd muhd
ahmad ahmed ahmet achmad ahmat
mahmoud mahmud mahmood mahmut mehmood
abd abdul abdel abdal abdol abdoul abdur abdou
abdullah abdallah abdulla abdalla abdollah abdullahi abdallahi
abdulrahman abdelrahman abdurrahman abdurahman abdalrahman abderrahmane abderrahman abdolrahman abdulrehman
abdulaziz abdelaziz abdalaziz abdulazeez abdulaziez
abdulkarim abdelkarim abdulkareem abdolkarim
rahman rehman
ali aly
hussein husein hussain husain husayn hossein hosein huseyin hussien hosseyn
hasan hassan hassen hacen
omar umar omer umer
osman othman uthman usman ousman ousmane
yusuf youssef yousef yousuf yusef yousif yusif yussuf youcef
ibrahim ebrahim ibraheem brahim ibrahima
ismail esmail ismayil ismoil smail
mustafa mostafa moustafa mustapha moustapha mostapha
khalid khaled halid halit
karim kareem kerim
saeed said saied saiid
fatima fatma fatemeh fatimah
aisha aysha ayesha aishah aicha ayse
maryam mariam meryem
zainab zaynab zeinab zeynep
khadija khadijah hatice khadidja
hamza hamzah hamzeh
hamid hameed hamed
mahdi mehdi
jamal jamaal gamal cemal djamel jamel
jamil jameel gamil cemil
yasin yassin yaseen yacine yassine
nasser naser nasir nassir nacer
tariq tarek tarik tareq
rashid rasheed rachid rashed resit
saleh salih
suleiman sulaiman sulayman suleyman sleiman slimane
faisal faysal feisal faycal
walid waleed velid
majid majeed maged majed mecit
habib habeeb
ayman aiman
anwar anouar enver
idris idriss edris
qasim kasim qassem kassem
hakim hakeem
zaid zayd zeid
yahya yehia yahia
issa isa eisa
musa moussa mousa
haroun harun haroon
nour noor nur
ayoub ayub ayyub eyup
yunus younes younis yunis
reza rida ridha
sayed sayyid seyed syed seyyed
abbas abas
osama usama oussama
aleksandr alexandr alexander aleksander aleksandar alexandre oleksandr
aleksei alexei alexey aleksey aleksej oleksiy oleksii
sergei sergey serguei sergiy serhiy serhii sergej sergii
dmitry dmitri dmitrii dmitriy dimitri dmitrij dmytro
yuri yury yuriy yurii iurii juri jurij
mikhail mihail mykhailo michail mychajlo
ekaterina yekaterina jekaterina katerina kateryna
yevgeny evgeny evgenii evgeniy yevgeniy jewgeni yevhen ievgen ievgenii
andrei andrey andriy andrii andrej
nikolai nikolay nikolaj mykola
vladimir wladimir volodymyr
elena yelena jelena olena
natalia natalya nataliya natalja
yulia yuliya iuliia julija yuliia
tatiana tatyana tatjana tetiana tetyana
olga olha
anastasia anastasiya anastasiia
pyotr petr pjotr
fyodor fedor fiodor feodor
grigory grigori grigoriy grigorii hryhoriy
georgy georgi georgiy georgii heorhiy
vasily vasili vasiliy vasilii wassili vasyl
anatoly anatoli anatoliy anatolii
vitaly vitali vitaliy vitalii
gennady gennadi gennadiy gennadii hennadiy
maksim maxim maksym
igor ihor
vyacheslav viacheslav wjatscheslaw
konstantin kostiantyn kostyantyn
giorgos georgios yiorgos yorgos georgious
dimitrios dimitris demetrios
konstantinos constantinos kostantinos
ioannis yiannis giannis ioanis
panagiotis panayiotis panagiotes
vasileios vasilios vassilios
christos hristos
"""

# Hangul surname → spellings. "리(이)" = 리 is spelled on its own but belongs to the family of 이.
_KOREAN_SURNAMES = """
이 lee yi rhee i ri rhie
리(이) ri lee yi rhee i rhie
박 park pak bak
김 kim gim
최 choi choe
정 jung jeong chung jong
강 kang gang
조 cho jo
윤 yoon yun
장 jang chang
임 lim im rim
림(임) rim lim im
한 han
오 oh o
서 seo suh so
신 shin sin
권 kwon gwon
황 hwang
안 ahn an
송 song
유 yoo yu ryu lyu ryoo
류(유) ryu yoo yu lyu ryoo
홍 hong
전 jeon jun chun
고 ko go
문 moon mun
양 yang
량(양) ryang yang
손 son sohn
배 bae pae
백 baek paik back
허 heo huh hur
남 nam
노 noh no roh
로(노) ro roh noh no
하 ha
곽 kwak gwak
성 sung seong
차 cha
주 joo ju chu
우 woo wu
구 koo ku gu
민 min
진 jin chin
나 na ra
라(나) ra na
심 shim sim
염 yeom yum
렴(염) ryeom yeom yum
원 won
천 cheon chun
방 bang pang
공 kong gong
현 hyun hyeon
함 ham
변 byun byeon pyun
석 seok suk
선 sun seon
설 seol sul
마 ma
길 gil kil
연 yeon yun
위 wi wee
표 pyo
명 myung myeong
기 ki gi
반 ban pan
왕 wang
금 keum kum geum
옥 ok
육 yook yuk
륙(육) ryuk yook yuk
인 in
맹 maeng
제 je jae
모 mo
탁 tak
국 kook guk
어 eo uh
은 eun
편 pyeon pyun
용 yong
룡(용) ryong yong
예 ye yeh
경 kyung gyeong
봉 bong
사 sa
부 boo bu
가 ka ga
복 bok
태 tae
목 mok
형 hyung hyeong
계 kye gye
피 pi pee
두 doo du
감 kam gam
음 eum
빈 bin been
동 dong tong
온 on
호 ho
범 beom bum
좌 jwa
팽 paeng
승 seung
간 kan gan
상 sang
시 si shi
갈 gal kal
견 kyun gyeon
당 dang
화 hwa
창 chang
옹 ong
채 chae chai
엄 eom um uhm
도 do doh
지 ji chi
여 yeo yuh yeoh
추 choo chu
소 so
남궁 namgung namkung namgoong
황보 hwangbo
제갈 jegal chegal
선우 seonwoo sunwoo seonu
독고 dokgo dokko
사공 sagong sakong
서문 seomun seomoon
"""

_HAN_SURNAMES = """
张 張 zhang chang cheung
陈 陳 chen chan tan
王 wang wong
李 li lee
刘 劉 liu lau lao
黄 黃 huang wong ng
周 zhou chow chou
吴 吳 wu ng goh
林 lin lim lam
郑 鄭 zheng cheng tay
赵 趙 zhao chiu
杨 楊 yang yeung yong
何 he ho
徐 xu hsu tsui
孙 孫 sun suen
马 馬 ma mah
朱 zhu chu choo
胡 hu woo
郭 guo kwok kuo
高 gao ko kao
罗 羅 luo law lo
梁 liang leung
宋 song sung
谢 謝 xie tse hsieh
韩 韓 han hon
唐 tang tong
冯 馮 feng fung
许 許 xu hsu hui
邓 鄧 deng tang teng
曹 cao tso tsao
彭 peng pang
曾 zeng tsang tseng
萧 蕭 肖 xiao siu hsiao
田 tian tin
董 dong tung
潘 pan poon
袁 yuan yuen
蔡 cai choi tsai
蒋 蔣 jiang chiang
余 yu yee yue
杜 du to tu
叶 葉 ye yip yeh
程 cheng ching
魏 wei ngai
苏 蘇 su so soo
吕 呂 lu lui lyu
丁 ding ting
沈 shen sham sim
任 ren yam jen
姚 yao yiu
卢 盧 lu lo lou
傅 fu foo
钟 鍾 鐘 zhong chung
姜 jiang keung
崔 cui tsui choi
谭 譚 tan tam taam
廖 liao liu
范 fan
汪 wang wong
陆 陸 lu luk
金 jin kam kim
石 shi shek
戴 dai tai
贾 賈 jia ka
韦 韋 wei
夏 xia ha
邱 qiu yau khoo
方 fang fong
侯 hou hau
邹 鄒 zou chau
熊 xiong hung
孟 meng mang
秦 qin chun chin
白 bai pak
江 jiang kong
阎 閻 yan yim
薛 xue sit
尹 yin wan
段 duan tuen
雷 lei lui
黎 li lai
史 shi sze
龙 龍 long lung
陶 tao to
贺 賀 he ho
顾 顧 gu koo
毛 mao mo
郝 hao
龚 龔 gong kung
邵 shao shiu
万 萬 wan man
钱 錢 qian chin
严 嚴 yan yim
赖 賴 lai
覃 qin tam
洪 hong hung
武 wu mo
莫 mo mok
孔 kong hung
单 單 shan
解 xie
仇 qiu
区 區 ou au
查 zha cha
朴 piao park
翟 zhai
缪 繆 miao
欧阳 歐陽 ouyang auyeung
司马 司馬 sima szema
诸葛 諸葛 zhuge
上官 shangguan
东方 東方 dongfang
皇甫 huangfu
公孙 公孫 gongsun
慕容 murong
令狐 linghu
夏侯 xiahou
司徒 situ szeto seto
长孙 長孫 zhangsun
宇文 yuwen
尉迟 尉遲 yuchi
"""

# Arabic-script words (Persian ی/ک/ه are folded to ي/ك/ة-less forms before lookup) → Latin spellings.
_ARABIC_WORDS = """
محمد muhammad mohammed mohamed mohammad mohamad muhammed
أحمد ahmed ahmad ahmet
محمود mahmoud mahmud mahmood
عبد abd abdul abdel abdal abdol
الله allah ullah ollah
عبدالله abdullah abdallah abdulla abdollah abdullahi
الرحمن rahman alrahman arrahman rehman
رحمن rahman rehman
عبدالرحمن abdulrahman abdelrahman abdurrahman abdalrahman abderrahmane abdolrahman
علي ali aly
حسين hussein husain hussain husayn hossein hosein huseyin
حسن hassan hasan
عمر omar umar omer
يوسف yusuf youssef yousef yousif yusif
إبراهيم ibrahim ebrahim
خالد khalid khaled
مصطفى mustafa mostafa moustafa
عثمان osman uthman othman usman
فاطمة fatima fatma fatemeh fatimah
عائشة aisha aysha ayesha aishah
مريم maryam mariam
سعيد saeed said saied
كريم karim kareem
إسماعيل ismail esmail
عزيز aziz
رشيد rashid rasheed rachid
طارق tariq tarek tarik tareq
جمال jamal gamal jamel djamel
جميل jamil jameel gamil
ناصر nasser nasir naser
صالح saleh salih
صلاح salah
سليمان suleiman sulaiman sulayman
فيصل faisal faysal feisal
وليد walid waleed
ماجد majid maged majed
مجيد majid majeed
هادي hadi hady
حبيب habib habeeb
أيمن ayman aiman
أنور anwar anouar
إدريس idris idriss edris
قاسم qasim kassem qassem kasim
قادر qadir kadir
حكيم hakim hakeem
زيد zaid zayd zeid
يحيى yahya yehia yahia
عيسى issa isa eisa
موسى musa moussa mousa
هارون haroun harun haroon
نور nour noor nur
أيوب ayoub ayub ayyub
يونس yunus younes younis
حمزة hamza hamzah hamzeh
حامد hamid hamed
حميد hamid hameed
مهدي mahdi mehdi
زينب zainab zaynab zeinab
خديجة khadija khadijah
أمينة amina aminah
ليلى laila layla leila
نادية nadia nadiya
سارة sara sarah
هدى huda hoda
سلمان salman
عادل adel adil
أسامة osama usama oussama
منصور mansour mansur
جعفر jafar jaafar
رضا reza rida ridha
جواد javad jawad
أكبر akbar
أمير amir ameer
سعد saad
فهد fahd fahad
سلطان sultan soltan
عباس abbas
باقر baqir bagher
صادق sadiq sadegh sadek
سيد sayed sayyid seyed syed
شريف sharif cherif
نبيل nabil nabeel
إسلام islam
إلياس ilyas ilias elyas
غلام gholam ghulam
شيرين shirin
زهرا zahra
پرویز parviz
حسيني hosseini husseini
موسوي mousavi musavi moussavi
محمدرضا mohammadreza
أبو abu abou
بن bin ben
ابن ibn
بنت bint
"""


def _korean() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    spellings: dict[str, tuple[str, ...]] = {}
    family_of: dict[str, str] = {}  # Hangul → the Hangul whose row names the family
    for hangul, *names in _rows(_KOREAN_SURNAMES):
        key, _, owner = hangul.partition("(")
        spellings[key] = tuple(names)
        family_of[key] = owner.rstrip(")") or key
    return spellings, family_of


KOREAN_SURNAMES, _KOREAN_FAMILY_OF = _korean()
HAN_SURNAMES: dict[str, tuple[str, ...]] = {
    char: tuple(w for w in row if w.isascii()) for row in _rows(_HAN_SURNAMES) for char in row if not char.isascii()
}


def _families() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for row in _rows(_LATIN_FAMILIES):
        table.setdefault(row[0], set()).update(row)
    for hangul, names in KOREAN_SURNAMES.items():
        table.setdefault("ko-" + KOREAN_SURNAMES[_KOREAN_FAMILY_OF[hangul]][0], set()).update(names)
    return {family: frozenset(names) for family, names in table.items()}


FAMILIES: dict[str, frozenset[str]] = _families()


def _by_spelling() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for family, names in FAMILIES.items():
        for name in names:
            if len(name) >= 2:  # "i" and "o" (이, 오) are spellings, but as Latin tokens they are initials
                index.setdefault(name, set()).add("fam:" + family)
    return {name: frozenset(keys) for name, keys in index.items()}


_FAMILY_KEYS = _by_spelling()
_NONE: frozenset[str] = frozenset()


def family_keys(spelling: str) -> frozenset[str]:
    """ "fam:<id>" for each family `spelling` (lower-case ASCII) is an exact member of. Exact on purpose:
    looking families up by phonetic key joined unrelated short names (Ri ~ Ra put 이 into the family of 나)."""
    return _FAMILY_KEYS.get(spelling, _NONE)


# --- Arabic script -----------------------------------------------------------------------------------------

_HARAKAT = {code: None for code in (*range(0x064B, 0x0660), 0x0670, 0x0640)}
_ARABIC_FOLD = str.maketrans(
    {**_HARAKAT, "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ة": "ه",
     "ۀ": "ه", "ؤ": "و", "ئ": "ي"}
)  # fmt: skip


def fold_arabic(word: str) -> str:
    """Harakat and tatweel dropped; alef, yeh, kaf and teh marbuta forms (Arabic and Persian) made one."""
    return word.translate(_ARABIC_FOLD)


ARABIC_WORDS: dict[str, tuple[str, ...]] = {fold_arabic(row[0]): tuple(row[1:]) for row in _rows(_ARABIC_WORDS)}
_AL = fold_arabic("ال")
_ABD = fold_arabic("عبد")


def arabic_spellings(word: str) -> tuple[str, ...]:
    """Latin spellings of an Arabic-script name word: the table, then al-X and Abd-al-X compositions."""
    folded = fold_arabic(word)
    if folded in ARABIC_WORDS:
        return ARABIC_WORDS[folded]
    if folded.startswith(_AL) and folded[2:] in ARABIC_WORDS:
        return tuple(s for base in ARABIC_WORDS[folded[2:]] for s in (base, "al" + base, "el" + base))
    if folded.startswith(_ABD) and len(folded) > 4:
        rest = folded[3:]
        rest = rest[2:] if rest.startswith(_AL) else rest
        bases = ARABIC_WORDS.get(rest, ())
        return tuple(prefix + base for base in bases for prefix in ("abdul", "abdel", "abd", "abdal"))
    return ()
