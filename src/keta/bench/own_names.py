"""The own set's name pools and its own romanization, independent of the engine's tables.

Pools (`_DATA`): native names per origin, with the passport spellings the generator may type. Russian words are
spelled by the `iuliia` package (MIT; Anton Zhiyanov's schemas of the Russian passport systems: ICAO Doc 9303 as
used since 2013, MVD orders 782 of 2010 and 310 of 1997, and Wikipedia's customary spelling) — an independent source
of spellings; Ukrainian and Greek by this module's own rules (Ukrainian 2010 national system, ELOT 743), written
apart from `keta.domain.screening`. The Korean, Chinese and Arabic tables here are the generator's own; the quality
benchmark withholds from the engine every row of its data files that shares a spelling or a native word with the
set (`spellings_of`, `Lexicon.without`), so these rows cannot grade the engine by its own knowledge.

`pools(part)`: the pools of the `tuning` part, the `held_out` part (a third of every pool, chosen by a stable hash
of the native word, never used to choose a weight or threshold) or `all`.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from keta.bench import ScreeningSet

# One line per `key` and content. Tables (`native:SPELLING/SPELLING; …`, the first spelling canonical): ko.S Korean
# surnames, ko.G given-name syllables; zh.S/zh.G simplified+traditional → mainland pinyin/Hong Kong/Taiwan Wade-Giles;
# ar.*, fa.* Arabic and Persian name families (M/F given names, S family names; `ال` families also take al-/el- forms);
# conv conventional Latin forms no transliteration scheme yields. Word pools (transliterated or folded by the code
# below): M/F given names, S surnames (male/female forms split by "/"), P patronymics (male), MM/MF Vietnamese middles.
_DATA = """
ko.S 김:KIM/GIM; 이:LEE/YI/RHEE/I/RI; 박:PARK/PAK/BAK; 최:CHOI/CHOE; 정:JUNG/JEONG/CHUNG; 강:KANG/GANG; 조:CHO/JO
ko.S 윤:YOON/YUN; 장:JANG/CHANG; 임:LIM/IM/YIM; 한:HAN; 오:OH/O; 서:SEO/SUH; 신:SHIN/SIN; 권:KWON/GWON; 황:HWANG
ko.S 안:AHN/AN; 송:SONG; 류:RYU/YOO/YU; 홍:HONG; 전:JEON/JUN/CHUN; 고:KO/GO; 문:MOON/MUN; 손:SOHN/SON; 배:BAE
ko.S 남궁:NAMGOONG/NAMGUNG
ko.G 민:MIN; 준:JUN/JOON; 서:SEO/SUH; 연:YEON/YOUN/YUN; 지:JI/JEE; 현:HYUN/HYEON; 우:WOO/U; 영:YOUNG/YEONG; 수:SOO/SU
ko.G 은:EUN; 희:HEE/HUI; 성:SUNG/SEONG; 진:JIN; 호:HO; 혜:HYE; 동:DONG; 석:SEOK/SUK; 재:JAE; 경:KYUNG/GYEONG/KYOUNG
ko.G 태:TAE; 상:SANG; 철:CHUL/CHEOL; 훈:HOON/HUN; 하:HA; 도:DO; 예:YE; 원:WON; 규:KYU/GYU; 승:SEUNG; 미:MI
ko.G 선:SUN/SEON; 용:YONG; 기:KI/GI; 주:JOO/JU; 유:YU/YOO; 나:NA; 혁:HYUK/HYEOK; 범:BUM/BEOM
zh.S 陈陳:CHEN/CHAN/CHEN; 张張:ZHANG/CHEUNG/CHANG; 王王:WANG/WONG/WANG; 李李:LI/LEE/LEE; 刘劉:LIU/LAU/LIU
zh.S 黄黃:HUANG/WONG/HUANG; 杨楊:YANG/YEUNG/YANG; 赵趙:ZHAO/CHIU/CHAO; 吴吳:WU/NG/WU; 周周:ZHOU/CHOW/CHOU
zh.S 徐徐:XU/TSUI/HSU; 孙孫:SUN/SUEN/SUN; 马馬:MA/MA/MA; 朱朱:ZHU/CHU/CHU; 胡胡:HU/WU/HU; 郭郭:GUO/KWOK/KUO
zh.S 何何:HE/HO/HO; 林林:LIN/LAM/LIN; 罗羅:LUO/LAW/LO; 梁梁:LIANG/LEUNG/LIANG; 郑鄭:ZHENG/CHENG/CHENG
zh.S 谢謝:XIE/TSE/HSIEH; 蔡蔡:CAI/CHOI/TSAI; 邓鄧:DENG/TANG/TENG; 冯馮:FENG/FUNG/FENG; 曾曾:ZENG/TSANG/TSENG
zh.S 叶葉:YE/YIP/YEH; 苏蘇:SU/SO/SU; 吕呂:LYU/LUI/LU
zh.G 伟偉:WEI/WAI/WEI; 明明:MING/MING/MING; 华華:HUA/WAH/HUA; 军軍:JUN/KWAN/CHUN; 丽麗:LI/LAI/LI; 敏敏:MIN/MAN/MIN
zh.G 静靜:JING/CHING/CHING; 强強:QIANG/KEUNG/CHIANG; 磊磊:LEI/LUI/LEI; 洋洋:YANG/YEUNG/YANG; 艳艷:YAN/YIM/YEN
zh.G 勇勇:YONG/YUNG/YUNG; 杰傑:JIE/KIT/CHIEH; 涛濤:TAO/TO/TAO; 秀秀:XIU/SAU/HSIU; 英英:YING/YING/YING
zh.G 芳芳:FANG/FONG/FANG; 国國:GUO/KWOK/KUO; 建建:JIAN/KIN/CHIEN; 文文:WEN/MAN/WEN; 志志:ZHI/CHI/CHIH
zh.G 家家:JIA/KA/CHIA; 俊俊:JUN/CHUN/CHUN; 美美:MEI/MEI/MEI; 玲玲:LING/LING/LING; 婷婷:TING/TING/TING; 宇宇:YU/YU/YU
zh.G 浩浩:HAO/HO/HAO; 欣欣:XIN/YAN/HSIN; 怡怡:YI/YEE/YI; 海海:HAI/HOI/HAI; 平平:PING/PING/PING; 红紅:HONG/HUNG/HUNG
zh.G 东東:DONG/TUNG/TUNG
ar.M محمد:MOHAMMED/MUHAMMAD/MOHAMED/MOHAMMAD/MUHAMMED/MOHAMAD; أحمد:AHMED/AHMAD; علي:ALI; حسن:HASSAN/HASAN
ar.M حسين:HUSSEIN/HUSSAIN/HUSAIN/HOUSSEIN; يوسف:YOUSEF/YUSUF/YOUSSEF/YOUSIF; خالد:KHALED/KHALID; عمر:OMAR/UMAR
ar.M إبراهيم:IBRAHIM/EBRAHIM/IBRAHEEM; مصطفى:MUSTAFA/MOSTAFA/MUSTAPHA; عبد الله:ABDULLAH/ABDALLAH/ABD ALLAH/ABDULLA
ar.M عبد الرحمن:ABDUL RAHMAN/ABDULRAHMAN/ABD AL-RAHMAN/ABDEL RAHMAN/ABDURRAHMAN; سعيد:SAEED/SAID/SAEID
ar.M عبد العزيز:ABDUL AZIZ/ABDULAZIZ/ABD AL-AZIZ/ABDELAZIZ; محمود:MAHMOUD/MAHMUD; طارق:TARIQ/TAREK/TAREQ
ar.M ياسر:YASSER/YASIR/YASER; فيصل:FAISAL/FAYSAL; سلمان:SALMAN; ناصر:NASSER/NASIR/NASER
ar.F فاطمة:FATIMA/FATMA/FATIMAH; عائشة:AISHA/AYESHA/AICHA; مريم:MARYAM/MARIAM/MERIEM; نور:NOUR/NOOR/NUR
ar.F سارة:SARA/SARAH
ar.F ليلى:LAILA/LEILA/LAYLA; زينب:ZAINAB/ZEINAB/ZAYNAB; خديجة:KHADIJA/KHADIJAH/KHADEEJA; هدى:HUDA/HODA; أمل:AMAL
ar.S الشمري:SHAMMARI/SHAMARI; القحطاني:QAHTANI/KAHTANI; الحسن:HASSAN/HASAN; العلي:ALI; الزهراني:ZAHRANI
ar.S المصري:MASRI/MASRY
ar.S الخطيب:KHATIB/KHATEEB; الحداد:HADDAD; السعدي:SAADI/SAEDI; النجار:NAJJAR/NAGGAR; الرشيد:RASHID/RASHEED
ar.S البغدادي:BAGHDADI/BAGHDADY; التميمي:TAMIMI/TAMEEMI; العتيبي:OTAIBI/UTAIBI; منصور:MANSOUR/MANSUR
ar.S عثمان:OTHMAN/OSMAN/UTHMAN; خليل:KHALIL/KHALEEL; حداد:HADDAD
fa.M محمد:MOHAMMAD/MOHAMAD/MOHAMMED; علی:ALI; رضا:REZA; حسین:HOSSEIN/HOSEIN/HUSSEIN; مهدی:MEHDI/MAHDI
fa.M علیرضا:ALIREZA/ALI REZA; امیر:AMIR; حمید:HAMID; مجید:MAJID/MADJID; سعید:SAEED/SAEID/SAID
fa.F فاطمه:FATEMEH/FATEMA/FATIMA; زهرا:ZAHRA; مریم:MARYAM/MARIAM; نرگس:NARGES/NARGIS; سارا:SARA; مینا:MINA
fa.F شیرین:SHIRIN/SHIREEN; لیلا:LEILA/LEYLA
fa.S رضایی:REZAEI/REZAIE/REZAYI; محمدی:MOHAMMADI/MOHAMADI; حسینی:HOSSEINI/HOSEINI/HUSSEINI; احمدی:AHMADI; کریمی:KARIMI
fa.S موسوی:MOUSAVI/MUSAVI/MOOSAVI; جعفری:JAFARI/JAAFARI; رحیمی:RAHIMI; صادقی:SADEGHI/SADEQI; هاشمی:HASHEMI
fa.S کاظمی:KAZEMI; نوری:NOURI/NOORI; قاسمی:GHASEMI/QASEMI; طاهری:TAHERI
conv Александр:ALEXANDER/ALEXANDR; Алексей:ALEXEY/ALEXEI; Юлия:JULIA/YULIYA; Евгений:YEVGENY/EVGENY; Евгения:YEVGENIA
conv Ксения:XENIA/KSENIA; Фёдор:FYODOR/FEDOR; Пётр:PYOTR/PETR; Наталья:NATALIA/NATALYA; Татьяна:TATIANA/TATYANA
conv Дмитрий:DMITRY/DMITRI; Юрий:YURI/YURY; Артём:ARTEM/ARTYOM; Олександр:OLEXANDR/OLEKSANDER; Сергій:SERHIY/SERGIY
conv Андрій:ANDRIY; Юлія:YULIA/IULIIA/JULIA; Κωνσταντίνος:CONSTANTINOS; Νικόλαος:NICOLAOS; Παναγιώτης:PANAYIOTIS
conv Μιχαήλ:MICHAEL; Οικονόμου:ECONOMOU; Χατζής:HADJIS; Παπαδόπουλος:PAPADOPULOS
ru.M Александр Алексей Андрей Дмитрий Сергей Евгений Юрий Михаил Николай Владимир Иван Фёдор Григорий Вячеслав Яков
ru.M Игорь Максим Артём Кирилл Илья Пётр Виталий Анатолий Олег Павел
ru.F Юлия Наталья Татьяна Екатерина Ольга Елена Мария Анастасия Ксения Дарья Анна Ирина Людмила Светлана Софья
ru.F Валентина Евгения Надежда Любовь Юлиана
ru.P Александрович Алексеевич Андреевич Дмитриевич Сергеевич Евгеньевич Юрьевич Михайлович Николаевич Владимирович
ru.P Иванович Фёдорович Григорьевич Игоревич Викторович Петрович Олегович Павлович Анатольевич
ru.S Иванов Смирнов Кузнецов Соловьёв Фёдоров Михайлов Яковлев Васильев Зайцев Журавлёв Хохлов Щербаков Юдин Ковалёв
ru.S Королёв Алексеев Григорьев Ильин Медведев Воробьёв Киселёв Жуков Чернов Шестаков Харитонов Чайковский Вишневский
uk.M Олександр Олексій Андрій Дмитро Сергій Євген Юрій Михайло Микола Володимир Іван Петро Григорій Василь Тарас
uk.M Богдан Ігор Віталій Олег Павло
uk.F Юлія Наталія Тетяна Катерина Ольга Олена Марія Анастасія Оксана Ірина Людмила Світлана Надія Галина Вікторія
uk.P Олександрович Сергійович Андрійович Іванович Петрович Миколайович Володимирович Васильович Юрійович Михайлович
uk.P Григорович Тарасович Богданович Олегович Павлович
uk.S Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Мельник Коваль Ковальчук Гончаренко Лисенко Руденко
uk.S Савченко Петренко Марченко Клименко Павленко Харченко Яковенко Поліщук Григоренко Кузьменко Левченко Литвиненко
uk.S Юрченко
el.M Γεώργιος Δημήτριος Κωνσταντίνος Ιωάννης Νικόλαος Παναγιώτης Χρήστος Βασίλειος Αθανάσιος Μιχαήλ Ευάγγελος
el.M Σπυρίδων Θεόδωρος Ευστάθιος Αντώνιος
el.F Μαρία Ελένη Αικατερίνη Βασιλική Σοφία Αγγελική Γεωργία Δήμητρα Ευαγγελία Χριστίνα Ειρήνη Παναγιώτα Θεοδώρα
el.F Ευθυμία
el.S Παπαδόπουλος/Παπαδοπούλου Βλάχος/Βλάχου Αγγελόπουλος/Αγγελοπούλου Νικολάου Γεωργίου Παπαδάκης/Παπαδάκη
el.S Οικονόμου Χατζής/Χατζή Καραγιάννης/Καραγιάννη Μακρής/Μακρή Ιωάννου Κωνσταντίνου Αλεξίου Ζαχαρίου Ψαρράς/Ψαρρά
el.S Θεοδωρόπουλος/Θεοδωροπούλου Μπακογιάννης/Μπακογιάννη Ντόκος/Ντόκου Ευθυμίου Σταυρόπουλος/Σταυροπούλου
tr.M Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman Gökhan
tr.M Şükrü Ümit Çağrı Özgür Ferhat Tuğrul Barış Doğan Ünal
tr.F Ayşe Fatma Emine Hatice Zeynep Elif Özlem Gülşen Şule Büşra Çiğdem Gülay Dilek Sevgi İpek Tuğba Şeyma Gülsüm
tr.F Özge Ümran
tr.S Yılmaz Öztürk Şahin Çelik Doğan Yıldız Yıldırım Aydın Özdemir Arslan Koç Kurt Özkan Şimşek Çakır Erdoğan Güneş
tr.S Ünal Gül Türk Kılıç Aksoy Çetin Kaya Demir Güler Bozkurt Karataş Ünlü
de.M Jürgen Jörg Günter Björn Sören Uwe Hans-Jürgen Karl-Heinz Matthias Stefan Jörn Ralf Klaus Jens Tobias Lukas
de.M Günther Rüdiger Dieter Horst
de.F Käthe Bärbel Anja Sabine Ute Dörte Gisela Jutta Jördis Ursula Birgit Renate Anneliese Gudrun Hannelore Helga
de.F Brünhilde Käte
de.S Müller Schröder Böhm Köhler Groß Krüger Hübner Schäfer Jäger Wölfel Fröhlich Günther Löwe Bäcker Weiß Schmidt
de.S Fuchs Neumann Becker Strauß Schütz Dörr Kühn Möller Vogel Hoffmann Schäuble Göbel Jähnke
es.M José Jesús Ángel Andrés Raúl Martín Julián Óscar Íñigo Ramón Adrián Nicolás Joaquín Sebastián Rubén
es.F María Sofía Lucía Inés Begoña Verónica Mónica Ángela Raquel Rocío Marta Elena Nerea Pilar Susana
es.S García Martínez López González Rodríguez Fernández Pérez Sánchez Gómez Díaz Muñoz Núñez Jiménez Hernández
es.S Ibáñez Peña Castaño Domínguez Vázquez Ortiz
fr.M François Jérôme Stéphane Frédéric Gaël Loïc Noël Benoît Clément Joël René Hervé Jean-François Jean-Baptiste Éric
fr.F Hélène Élise Amélie Céline Anaïs Thérèse Léa Chloé Zoé Mélanie Geneviève Séverine Cécile Béatrice Françoise
fr.S Lefèvre Gérard Dupré Léger Rivière Hébert Mercier Lemaître Boucher Côté Ménard Périer Régnier Séguin Thibault
fr.S Vallée Bélanger Girard Leclère Desjardins
vi.M An Bình Cường Dũng Hải Hùng Long Nam Quân Tuấn Việt Đức Khoa Phúc Sơn
vi.F Hương Lan Linh Mai Phương Thảo Trang Hoa Ngân Yến Vy Nhung Hà Huyền
vi.MM Văn Đức Minh Quang Hữu Thanh
vi.MF Thị Ngọc Thanh Minh
vi.S Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý
en.M John Michael William James Robert David Richard Thomas Christopher Daniel Matthew Andrew Joseph Charles Steven
en.F Mary Elizabeth Jennifer Patricia Sarah Jessica Emily Margaret Catherine Anne Laura Rebecca Susan Helen Rachel
en.S Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson
en.S White Harris Clark Lewis Robinson Walker Young Allen King Wright"""
_LINES: dict[str, list[str]] = defaultdict(list)
for _line in _DATA.strip().splitlines():
    _key, _, _rest = _line.partition(" ")
    _LINES[_key].append(_rest)
TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    key: {k.strip(): tuple(v.split("/")) for k, _, v in (i.partition(":") for i in "; ".join(rows).split("; "))}
    for key, rows in _LINES.items()
    if ":" in rows[0]
}
WORDS: dict[str, tuple[str, ...]] = {
    key: tuple(" ".join(rows).split()) for key, rows in _LINES.items() if ":" not in rows[0]
}
PARTS = ("all", "tuning", "held_out")


@dataclass(frozen=True, slots=True)
class Pools:
    tables: dict[str, dict[str, tuple[str, ...]]]
    words: dict[str, tuple[str, ...]]


def _held_out(native: str) -> bool:
    return zlib.crc32(native.encode()) % 3 == 0  # stable across runs and machines


@cache
def pools(part: str = "all") -> Pools:
    """The name pools of one part: every pool keeps at least two names, whatever the split."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}")

    def keep(items: Iterable[str]) -> list[str]:
        items = list(items)
        if part == "all":
            return items
        kept = [i for i in items if _held_out(i) == (part == "held_out")]
        return kept if len(kept) >= 2 else items[:2] if part == "held_out" else items[2:]

    tables = {k: {n: t[n] for n in keep(t)} if k != "conv" else t for k, t in TABLES.items()}
    return Pools(tables, {k: tuple(keep(w)) for k, w in WORDS.items()})


# origin: weight in the watchlist, nationalities (alpha-3)
ORIGINS: dict[str, tuple[int, tuple[str, ...]]] = {
    o: (int(w), tuple(n.split(",")))
    for o, w, n in (
        x.split()
        for x in "ko 14 KOR; ru 9 RUS; uk 6 UKR; ar 9 SAU,EGY,IRQ,SYR,JOR,YEM,LBN; fa 5 IRN,AFG; zh_cn 8 CHN; "  # noqa: SIM905
        "zh_tw 3 TWN; zh_hk 3 HKG; el 6 GRC,CYP; tr 8 TUR; de 7 DEU,AUT,CHE; es 6 ESP,MEX,ARG,COL; fr 4 FRA,BEL; "
        "vi 4 VNM; en 8 USA,GBR,CAN,AUS".split("; ")
    )
}
# categories of true matches spelled from a script: the origins each draws from
SCRIPT_CATEGORIES: dict[str, tuple[str, ...]] = {
    c: tuple(o.split(","))
    for c, o in (
        x.split()
        for x in "hangul_variant ko; cyrillic_variant ru,uk; arabic_family ar,fa; han_pinyin zh_cn; "  # noqa: SIM905
        "han_hk_tw zh_tw,zh_hk; greek el; turkish_icao tr; german_umlaut de; latin_diacritics es,fr,vi".split("; ")
    )
}
POSITIVE_CATEGORIES = (
    *SCRIPT_CATEGORIES,
    *"latin_alias order_swapped comma_order middle_name typo dob_year_only dob_pm1 dob_swapped".split(),  # noqa: SIM905
)
NEGATIVE_CATEGORIES = ("neg_same_name_other_dob", "neg_same_surname", "neg_stranger")

# --- transliteration and folding (keta's own; independent of the engine under test) --------------------------------
_CYR_LATIN = "A B V G D E E ZH Z I I K L M N O P R S T U F KH TS CH SH SHCH IE Y _ E IU IA I I IE G".split()  # noqa: SIM905
_CYR = dict(zip("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐ", _CYR_LATIN, strict=True))
_CYR_SCHEMES: dict[str, dict[str, str]] = {
    "icao": {},  # ICAO Doc 9303 (Russian passports since 2013)
    "old": {"Ё": "YO", "Й": "Y", "Ъ": "_", "Ю": "YU", "Я": "YA", "Є": "YE", "Ї": "YI"},  # older passports
    "soft": {"Ё": "E", "Й": "Y", "Ъ": "_", "Ю": "YU", "Я": "YA", "Х": "H", "Є": "YE", "Ї": "YI"},
    "ua": {"Г": "H", "И": "Y"},  # Ukrainian national system (2010)
    "ua_g": {"И": "Y"},
}
_UA_INITIAL = {"Є": "YE", "Ї": "YI", "Й": "Y", "Ю": "YU", "Я": "YA"}
_GREEK = dict(
    zip("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", "A V G D E Z I TH I K L M N X O P R S T Y F CH PS O".split(), strict=True)  # noqa: SIM905
)
_GREEK_ONE = {"elot": _GREEK, "literal": _GREEK, "phonetic": {**_GREEK, "Χ": "H", "Υ": "I"}}
_GREEK_PAIRS = {"ΟΥ": "OU", "ΓΓ": "NG", "ΓΚ": "GK", "ΜΠ": "MP", "ΝΤ": "NT"}
_GREEK_TWO = {
    "elot": _GREEK_PAIRS,
    "literal": _GREEK_PAIRS,
    "phonetic": {**_GREEK_PAIRS, "ΓΚ": "NG", "ΜΠ": "B", "ΝΤ": "ND", "ΑΙ": "E", "ΟΙ": "I", "ΕΙ": "I"},
}
_GREEK_INITIAL = {"ΓΚ": "G", "ΜΠ": "B", "ΝΤ": "D"}
_FOLD = str.maketrans({"ı": "i", "ß": "ss", "ẞ": "SS", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l"})


def fold(text: str) -> str:
    """Latin letters without diacritics (İ→I, ı→i, ß→ss, Đ→D)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cyrillic(word: str, scheme: str) -> str:
    up = word.upper().replace("'", "").replace("’", "")
    if scheme == "soft" and up[-2:] in ("ИЙ", "ЫЙ"):
        up = up[:-2] + "Ы"  # Dmitriy → Dmitry
    table = {**_CYR, **_CYR_SCHEMES[scheme]}
    out = [table.get(ch, ch) for ch in up]
    if scheme.startswith("ua") and up[:1] in _UA_INITIAL:
        out[0] = _UA_INITIAL[up[0]]
    elif scheme == "old" and up[:1] == "Е":
        out[0] = "YE"
    return "".join(out).replace("_", "")


def greek(word: str, mode: str = "elot") -> str:
    """`elot` (ELOT 743, Greek passports), `phonetic` (older spellings: H, I, E, B) or `literal` (MP, NT, GK)."""
    up, out, i = fold(word).upper(), [], 0
    while i < len(up):
        two, after = up[i : i + 2], up[i + 2 : i + 3]
        if len(two) == 2 and two[1] == "Υ" and two[0] in "ΑΕΗ":
            pair: str | None = _GREEK[two[0]] + ("F" if not after or after in "ΘΚΞΠΣΤΦΧΨ" else "V")
        elif i == 0 and mode != "literal" and two in _GREEK_INITIAL:
            pair = _GREEK_INITIAL[two]
        else:
            pair = _GREEK_TWO[mode].get(two)
        out.append(pair if pair is not None else _GREEK_ONE[mode].get(up[i], up[i]))
        i += 1 if pair is None else 2
    return "".join(out)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _latin_styles(word: str, origin: str) -> tuple[str, str, str]:
    """Positional: (canonical, alternative, with diacritics). German canonical is ICAO (MUELLER), Turkish plain."""
    up = (word.replace("i", "İ").replace("ı", "I") if origin == "tr" else word).upper()
    icao = fold(up.replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE"))
    plain = fold(up)
    return (icao, plain, up) if origin == "de" else (plain, icao, up) if origin == "tr" else (plain, plain, up)


def _form(text: str) -> str:
    """A spelling as a multiset of letters: joins, hyphens, spaces and order cannot hide a collision."""
    return "".join(sorted(c for c in fold(text).upper() if "A" <= c <= "Z"))


# --- persons -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Part:
    native: str
    latin: tuple[str, ...]  # passport spellings; the first is canonical


@dataclass(frozen=True, slots=True)
class Person:
    origin: str
    sex: str
    surname: tuple[Part, ...]
    given: Part
    middles: tuple[Part, ...] = ()
    patronymic: Part | None = None  # Russian/Ukrainian patronymic, Arabic father's name

    @property
    def key(self) -> tuple[str, str]:
        return (self.surname[0].native, self.given.native)

    def given_parts(self) -> tuple[Part, ...]:
        return (*self.middles, self.given) if self.origin == "vi" else (self.given, *self.middles)


_RUSSIAN_SCHEMES = ("ICAO_DOC_9303", "MVD_782", "MVD_310", "WIKIPEDIA")


@cache
def _iuliia() -> list[Callable[[str], str]]:
    import iuliia  # type: ignore[import-untyped]  # bench-only dependency (MIT)

    return [getattr(iuliia, name).translate for name in _RUSSIAN_SCHEMES]


def _russian(word: str) -> list[str]:
    """The Russian passport spellings of a word (ICAO 2013–, MVD 2010, MVD 1997) and the customary one."""
    return [fold(t(word)).upper().replace("'", "").replace("’", "") for t in _iuliia()]


def word_part(origin: str, word: str) -> Part:
    conventional = list(TABLES["conv"].get(word, ()))
    if origin == "ru":
        return Part(word, _unique([*_russian(word), *conventional]))
    if origin == "uk":
        return Part(word, _unique([cyrillic(word, s) for s in ("ua", "ua_g", "icao")] + conventional))
    if origin == "el":
        return Part(word, _unique([greek(word, m) for m in ("elot", "phonetic", "literal")] + conventional))
    return Part(word, _latin_styles(word, origin))


def _family(native: str, bases: tuple[str, ...]) -> Part:
    if not native.startswith("ال"):
        return Part(native, bases)
    return Part(native, _unique(f.format(b) for f in ("AL-{}", "AL {}", "AL{}", "EL-{}", "EL {}", "{}") for b in bases))


def make_person(origin: str, rng: random.Random, sex: str | None = None, part: str = "all") -> Person:
    sex = sex or rng.choice("MF")
    TABLES, WORDS = pools(part).tables, pools(part).words  # noqa: N806 (the module's pools, one part of them)
    if origin == "ko":
        ko_surnames, syllables = TABLES["ko.S"], TABLES["ko.G"]
        sur = rng.choice(list(ko_surnames))
        given = "".join(rng.sample(list(syllables), 2 if rng.random() < 0.95 else 1))
        spellings = _unique(
            s.join(c) for c in itertools.product(*(syllables[x] for x in given)) for s in ("", "-", " ")
        )
        return Person(origin, sex, (Part(sur, ko_surnames[sur]),), Part(given, spellings))
    if origin.startswith("zh"):
        region = ("zh_cn", "zh_hk", "zh_tw").index(origin)
        script = min(region, 1)  # simplified on the mainland, traditional in Hong Kong and Taiwan
        sur, chars = rng.choice(list(TABLES["zh.S"])), rng.sample(list(TABLES["zh.G"]), 2 if rng.random() < 0.75 else 1)
        seps = (("", " "), (" ", "-", ""), ("-", " ", ""))[region]
        spellings = _unique(s.join(TABLES["zh.G"][c][region] for c in chars) for s in seps)
        zh_family = Part(sur[script], (TABLES["zh.S"][sur][region],))
        return Person(origin, sex, (zh_family,), Part("".join(c[script] for c in chars), spellings))
    if origin in ("ar", "fa"):
        male, pool, family = TABLES[f"{origin}.M"], TABLES[f"{origin}.{sex}"], TABLES[f"{origin}.S"]
        name, fam, father = rng.choice(list(pool)), rng.choice(list(family)), rng.choice(list(male))
        patronymic = Part(father, male[father]) if origin == "ar" else None
        return Person(origin, sex, (_family(fam, family[fam]),), Part(name, pool[name]), patronymic=patronymic)
    given, surname = rng.choice(WORDS[f"{origin}.{sex}"]), rng.choice(WORDS[f"{origin}.S"])
    if "/" in surname:
        surname = surname.split("/")[0 if sex == "M" else 1]
    if origin == "ru" and sex == "F":
        surname = surname[:-2] + "ая" if surname.endswith("ий") else surname + "а"
    surnames = [surname] + ([rng.choice([w for w in WORDS["es.S"] if w != surname])] if origin == "es" else [])
    middles: list[str] = []
    if origin == "vi":
        middles = [rng.choice(WORDS[f"vi.M{sex}"])]
    elif rng.random() < {"en": 0.5, "de": 0.2, "fr": 0.2, "es": 0.2, "tr": 0.15}.get(origin, 0.0):
        middles = [rng.choice([w for w in WORDS[f"{origin}.{sex}"] if w != given])]
    patronymic = None
    if origin in ("ru", "uk"):
        father = rng.choice(WORDS[f"{origin}.P"])
        if sex == "F":  # Сергеевич → Сергеевна; Олександрович → Олександрівна, Миколайович → Миколаївна
            ua = father[:-5] + "ївна" if father.endswith("йович") else father[:-4] + "івна"
            father = father[:-3] + "вна" if origin == "ru" else ua
        patronymic = word_part(origin, father)
    parts = tuple(word_part(origin, s) for s in surnames)
    return Person(
        origin, sex, parts, word_part(origin, given), tuple(word_part(origin, m) for m in middles), patronymic
    )


def native_name(p: Person, rng: random.Random) -> str:
    surname, given = " ".join(x.native for x in p.surname), " ".join(x.native for x in p.given_parts())
    if p.origin == "ko":
        return surname + ("" if rng.random() < 0.8 else " ") + given
    if p.origin.startswith("zh"):
        return surname + given
    if p.origin in ("ru", "uk") and p.patronymic:
        pat = p.patronymic.native
        return f"{surname} {given} {pat}" if rng.random() < 0.5 else f"{given} {pat} {surname}"
    if p.origin == "ar" and p.patronymic:
        return f"{given} {p.patronymic.native} {surname}"
    return f"{surname} {given}" if p.origin == "vi" else f"{given} {surname}"


Pick = Callable[[Part], str]


def fields(p: Person, pick: Pick, *, patronymic: bool = False, middles: bool = True) -> tuple[str, str]:
    """(surname, given names) as typed from the passport page."""
    given = [pick(x) for x in (p.given_parts() if middles else (p.given,))]
    if patronymic and p.patronymic:
        given.append(pick(p.patronymic))
    return " ".join(pick(x) for x in p.surname), " ".join(given)


def _canonical(part: Part) -> str:
    return part.latin[0]


def _forms(p: Person) -> set[str]:
    """Spellings of the surname (the first part, and all parts: Spanish names carry two) with the given name."""
    first = {_form(a + b) for a, b in itertools.product(p.surname[0].latin, p.given.latin)}
    every = {_form("".join(parts)) for parts in itertools.product(*(x.latin for x in (*p.surname, p.given)))}
    return first | every


def spellings_of(data: ScreeningSet) -> tuple[set[str], set[str]]:
    """What a set is written with: its Latin words (lower-case letters) and its native words, with every
    one- and two-letter prefix of CJK words (unspaced names start with the surname) and Arabic words also
    without their article — what the engine's data files must not hold while the set measures it."""
    latin: set[str] = set()
    native: set[str] = set()
    texts = [f"{q.query.surname} {q.query.given_names}" for q in data.queries]
    texts += [name for entry in data.entries for name in entry.names]
    for text in texts:
        for word in text.replace(",", " ").replace("-", " ").split():
            if fold(word).isascii():
                if letters := "".join(c for c in fold(word).lower() if "a" <= c <= "z"):
                    latin.add(letters)
                continue
            native.add(word)
            native.update(word[:n] for n in (1, 2))
            if word.startswith("ال"):
                native.add(word[2:])
    return latin, native
