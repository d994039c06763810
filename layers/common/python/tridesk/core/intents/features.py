"""Text normalisation and the sparse features the intent model reads.

Features are shared by both languages so that mixed sentences ("我的order到哪了") work:
character n-grams of CJK runs (1-3), jieba words, and for Latin words the word itself plus
its character 2-4-grams with word boundaries (robust to typos such as "refnd", "oder").
Digit runs collapse to one ``#`` so that any order id or amount looks alike to the model.
A small bilingual concept lexicon adds one shared feature per concept ("退款" and "refund" both
give ``k:refund``), so what the model learns from one language carries over to the other.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[a-z]+(?:'[a-z]+)?|#|[!?]")
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, digit runs as ``#``, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS_RE.sub("#", text)
    return " ".join(text.split())


def detect_lang(text: str) -> str:
    """"zh" when Chinese characters carry the sentence, else "en" (one CJK char weighs four letters)."""
    cjk = len(_CJK_CHAR_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    if cjk == 0:
        return "en"
    return "zh" if cjk * 4 >= latin else "en"


CONCEPTS: dict[str, tuple[str, ...]] = {
    "order": ("订单", "下单", "单子", "单号", "订丹", "order", "oder", "purchase", "bought"),
    "ship": ("发货", "发出", "发了", "物流", "快递", "包裹", "快地", "运输", "派送", "配送", "送到", "到哪",
             "签收", "驿站", "ship", "dispatch", "deliver", "parcel", "package", "track", "courier",
             "transit", "arrive"),
    "late": ("慢", "还没到", "延误", "超时", "没动", "卡在", "催", "停滞", "slow", "late", "delay", "stuck",
             "postpone", "forever"),
    "lost_damaged": ("丢", "压坏", "破了", "摔坏", "碎", "湿", "坏了", "被偷", "少了", "送错", "没收到",
                     "lost", "damag", "crush", "smash", "soak", "stolen", "wrong address", "missing",
                     "never received", "spoil"),
    "refund": ("退款", "退货", "退钱", "退了", "退掉", "退宽", "换货", "售后", "退回", "拒收", "要退", "能退",
               "refund", "refnd", "return", "exchange", "money back", "swap"),
    "promo": ("优惠", "券", "满减", "打折", "折扣", "活动", "促销", "秒杀", "红包", "积分", "保价", "价保",
              "便宜", "降价", "包邮", "半价", "赠品", "双十一", "双11", "coupon", "cupon", "discount",
              "promo", "sale", "deal", "voucher", "points", "price protection", "cheaper", "free gift",
              "half price", "offer"),
    "pay": ("付款", "支付", "付钱", "扣款", "扣了", "扣钱", "付不", "付宽", "结账", "收银", "微信支付",
            "支付宝", "花呗", "信用卡", "pay", "charged", "charge", "billed", "declined", "checkout",
            "deducted", "card"),
    "fail": ("失败", "不了", "不成功", "报错", "异常", "卡住", "转圈", "错误", "不对", "fail", "error",
             "can't", "cannot", "not working", "won't", "doesn't", "keeps"),
    "security": ("盗", "密码", "验证码", "登录", "登陆", "冻结", "锁", "异地", "泄露", "冒充", "换绑", "绑定",
                 "注销", "实名", "认证", "安全", "hack", "password", "verification", "login", "log in",
                 "sign in", "frozen", "freeze", "lock", "leak", "two-factor", "2fa", "pin", "scam",
                 "device", "safe"),
    "wealth": ("理财", "理材", "基金", "收益", "年化", "赎回", "风险等级", "保本", "净值", "定投", "存单",
               "利率", "计息", "到期", "申购", "fund", "yield", "return on", "returns", "redeem",
               "redemption", "invest", "principal", "annualized", "interest", "matur", "risk level"),
    "transfer": ("转账", "转帐", "汇款", "打钱", "转给", "转到", "转一万", "转两千", "收款人", "到账", "对方账户",
                 "transfer", "trnasfer", "wire", "send money", "payee", "recipient", "sent money"),
    "course": ("课程", "课成", "上课", "开课", "试听", "报名", "报个", "班", "老师", "课时", "教材", "大纲", "证书",
               "course", "class", "lesson", "tutor", "enroll", "syllabus", "teacher", "trial", "cohort",
               "certificate"),
    "progress": ("进度", "进都", "学到", "学了", "掌握", "作业", "成绩", "错题", "报告", "打卡", "薄弱", "测验",
                 "考试", "学习", "progress", "homework", "score", "result", "report", "master", "weak",
                 "streak", "study", "quiz", "level", "improv"),
    "complain": ("投诉", "投素", "举报", "曝光", "差评", "骗", "垃圾", "太差", "恶劣", "敷衍", "失望", "不满",
                 "受够", "赔偿", "坑", "不合理", "乱收费", "骚扰", "complain", "terrible", "awful", "worst",
                 "scam", "rip-off", "unacceptable", "disappoint", "garbage", "sucks", "rude", "compensat",
                 "fed up", "harass", "outrageous"),
    "human": ("人工", "真人", "活人", "客服", "经理", "坐席", "专属", "机器人", "human", "hooman", "person",
              "agent", "representative", "operator", "manager", "someone", "robot", "bot", "staff"),
    "greet": ("你好", "您好", "在吗", "在么", "在不在", "哈喽", "嗨", "早上好", "晚上好", "下午好", "谢谢",
              "感谢", "谢啦", "拜拜", "再见", "晚安", "辛苦", "hello", "hi", "hey", "morning", "evening",
              "afternoon", "thank", "thanks", "thx", "bye", "cheers", "hiya", "howdy", "nihao"),
}

_CONCEPT_MATCHERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        name,
        re.compile(
            "|".join(
                re.escape(term) if _CJK_CHAR_RE.search(term) or not term[0].isalpha() else rf"\b{re.escape(term)}"
                for term in terms
            )
        ),
    )
    for name, terms in CONCEPTS.items()
)


def concepts(normalized: str) -> list[str]:
    """Concept names whose lexicon terms occur in an already normalised text."""
    return [name for name, matcher in _CONCEPT_MATCHERS if matcher.search(normalized)]


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _jieba_words(run: str) -> list[str]:
    return [w for w in _jieba().lcut(run, HMM=False) if w.strip()]


def tokens(text: str) -> list[str]:
    """Feature strings of one utterance (with repeats; the vectoriser counts them)."""
    norm = normalize(text)
    out: list[str] = ["k:" + c for c in concepts(norm)]
    for tok in _TOKEN_RE.findall(norm):
        if _CJK_CHAR_RE.match(tok):
            for n in (1, 2, 3):
                out.extend("c:" + tok[i : i + n] for i in range(len(tok) - n + 1))
            if len(tok) > 1:
                out.extend("j:" + w for w in _jieba_words(tok))
        elif tok in ("#", "!", "?"):
            out.append("p:" + tok)
        else:
            out.append("w:" + tok)
            padded = f"<{tok}>"
            for n in (2, 3, 4):
                out.extend("g:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


class SparseRows:
    """Rows of non-negative weights in CSR form: enough linear algebra for the softmax model."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_features: int) -> None:
        self.indptr, self.indices, self.data = indptr, indices, data
        self.shape = (len(indptr) - 1, n_features)
        row_of = np.repeat(np.arange(self.shape[0]), np.diff(indptr))
        self._rows = np.flatnonzero(np.diff(indptr))
        by_col = np.argsort(indices, kind="stable")
        self._col_rows = row_of[by_col]
        self._col_data = data[by_col]
        cols = indices[by_col]
        self._cols, self._col_starts = np.unique(cols, return_index=True)

    def __matmul__(self, w: np.ndarray) -> np.ndarray:
        out = np.zeros((self.shape[0], w.shape[1]), dtype=w.dtype)
        if len(self.data):
            prod = self.data[:, None] * w[self.indices]
            out[self._rows] = np.add.reduceat(prod, self.indptr[self._rows], axis=0)
        return out

    def rmatmul(self, err: np.ndarray) -> np.ndarray:
        """``X.T @ err`` without building the transpose."""
        out = np.zeros((self.shape[1], err.shape[1]), dtype=err.dtype)
        if len(self.data):
            prod = self._col_data[:, None] * err[self._col_rows]
            out[self._cols] = np.add.reduceat(prod, self._col_starts, axis=0)
        return out


class Vectorizer:
    """Vocabulary, sublinear TF x IDF weights and L2-normalised rows; fitted once on the training texts."""

    def __init__(self, min_df: int = 1) -> None:
        self.min_df = min_df
        self.vocab: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)

    def fit(self, texts: Sequence[str]) -> Vectorizer:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(tokens(text)))
        kept = sorted(f for f, c in df.items() if c >= self.min_df)
        self.vocab = {f: i for i, f in enumerate(kept)}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        return self

    def transform(self, texts: Iterable[str]) -> SparseRows:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            row = sorted(
                (j, (1.0 + math.log(c)) * float(self.idf[j]))
                for j, c in ((self.vocab.get(f), c) for f, c in Counter(tokens(text)).items())
                if j is not None
            )
            norm = math.sqrt(sum(v * v for _, v in row)) or 1.0
            indices.extend(j for j, _ in row)
            data.extend(v / norm for _, v in row)
            indptr.append(len(indices))
        return SparseRows(
            np.array(indptr, dtype=np.int64),
            np.array(indices, dtype=np.int64),
            np.array(data, dtype=np.float32),
            len(self.vocab),
        )
