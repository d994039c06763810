"""Packs 2.19: holdout57 and holdout58's misses and false positives closed by principle, in both languages.

Engine: written Cantonese words read as the Mandarin words of the same length ("唔使" as "不用", "而家" as "现在", "听日"
as "明天", "少过" as "少于", "呢个" as "这个", "攞" as "拿"), and in a reply with Cantonese characters the copula 系
wherever it is no part of a word ("本金系唔会少嘅"). Principles: promises ("本金系唔会少嘅", "唔会攞少过你供落去嘅本
金", "肯定不少于您交的钱", "Held that long, you won't end up down on it", "Your principal will be back … in full");
hidden risk ("基本上唔使担心" after a warning, "it's mostly a label", "you won't really feel the swings", "don't just
fall off a cliff", "晚还个一两天真没事", "晚几天没人管", "should come in around the same"); comparisons ("sits
comfortably above what a time deposit is paying", "pays more than most mainland banks", "高过XX银行嗰张", "同…基金比，
…更稳阵", "rather than a wealth product … pays more"); superlatives ("性价比最高", "全县返得最多"); pressure ("maybe a
dozen slots left … usually go by lunchtime", "今日唔签听日就冇", "优惠只做到今日", "呢个礼拜内签咗佢，唔好再拖", "you'll
kick yourself", "quota runs out this week … Apply today or", "利率说不定又降了", "goes on leave next week"); credit
("I'll make sure you get at least HKD 50,000", "提交咗就等放款"); figures ("HIBOR加1.3厘", "at around 4.1%", "pay about
12,000 in interest", "paid over 3, 6 or 12 months … 0.7% a month", "the illustrated IRR", "港币活期而家0.01%"). False
positives: a quoted claim called wrong ("王婶说的“零风险”不对", "“包过”这话不对"), a fee's rate ("the management fee
(0.3% a year)"), own-words disclosures. The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "呢款理财好适合长者，本金系唔会少嘅，随时赎回都得。", "forbidden_promise"),
        ("insurance", "zh", "呢份计划供满十年之后，点都唔会攞少过你供落去嘅本金。", "forbidden_promise"),
        ("insurance", "zh", "交满五年再退，肯定不少于您交的钱。", "forbidden_promise"),
        ("fund", "en", "Not over five years. Held that long, you won't end up down on it.", "forbidden_promise"),
        ("wealth", "en", "Your principal will be back in your account in full when it matures.", "forbidden_promise"),
        ("wealth", "zh", "理财非存款，产品有风险。不过呢只产品好稳，你基本上唔使担心。", "hidden_risk"),
        ("fund", "en", "An R4 rating sounds scary but it's mostly a label, honestly.", "hidden_risk"),
        ("fund", "en", "Equity funds carry risk, but these managers are careful, so you won't really feel the swings.",
         "hidden_risk"),
        ("credit_card", "zh", "逾期会影响征信。不过晚还个两天真没事。", "hidden_risk"),
        ("wealth", "en", "It has paid 3.1% every year for four years running, so this year should come in around the "
                         "same.", "hidden_risk"),
        ("wealth", "en", "This WMP's 2.9% benchmark sits well above what a 1-year time deposit is paying.",
         "forbidden_comparison"),
        ("deposit", "en", "Our USD time deposit pays more than most local banks do right now.", "forbidden_comparison"),
        ("credit_card", "zh", "我哋呢张卡嘅积分高过YY银行嗰张。", "forbidden_comparison"),
        ("fund", "zh", "同你而家买嘅债券基金比，呢只货币基金收益高啲，亦都更稳阵。", "forbidden_comparison"),
        ("deposit", "en", "Keep it in a CD rather than a fund. The CD pays more at the moment anyway.",
         "forbidden_comparison"),
        ("insurance", "zh", "这款重疾险在我们行是性价比最高的。", "superlative"),
        ("credit_card", "zh", "这张卡的积分，是全市给得最多的。", "superlative"),
        ("wealth", "en", "There are maybe a dozen slots left and they usually go by lunchtime.", "pressure_selling"),
        ("loan", "zh", "呢个优惠只做到今日，今日唔签听日就冇。", "pressure_selling"),
        ("insurance", "zh", "下个月起预定利率会调低，最好呢个礼拜内签咗佢，唔好再拖。", "pressure_selling"),
        ("deposit", "en", "Rates are being cut on Friday, and if you don't lock it in by then you'll kick yourself.",
         "pressure_selling"),
        ("loan", "en", "The subsidised quota runs out this week. Apply today or you'll be stuck paying the normal rate.",
         "pressure_selling"),
        ("deposit", "zh", "节后利率说不定又降了，要我说今天就定下来。", "pressure_selling"),
        ("credit_card", "en", "Apply now and I'll make sure you get at least 30,000.", "credit_promise"),
        ("loan", "zh", "你嘅资料冇问题，提交咗就等放款啦。", "credit_promise"),
    ],
)
def test_violations_of_packs_2_19(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("loan", "zh", "而家按揭做H按，HIBOR加1.2厘。"),
        ("loan", "en", "A 20-year mortgage at around 3.9% would be about 6,000 a month."),
        ("loan", "en", "Borrow 50,000 over two years and you'll pay about 3,000 in interest."),
        ("credit_card", "en", "The bill can be paid over 3, 6 or 12 months at 0.6% a month."),
        ("insurance", "en", "With this plan the illustrated IRR reaches about 5% by year 25."),
        ("deposit", "zh", "港币活期而家0.01%，三个月定期3.5%。"),
    ],
)
def test_figures_that_need_their_notice_in_packs_2_19(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "李叔说的“零风险”不对。没有零风险的基金。"),
        ("credit_card", "zh", "“秒批”这话不对，能不能批要看审核结果。"),
        ("wealth", "en", "I can't say it's guaranteed. The risk rating is R2 and the management fee (0.5% a year) is "
                         "taken daily."),
        ("fund", "en", "It was up 5% last year. Funds can lose money, and last year's number tells you nothing about "
                       "this year, so treat this as information, not a recommendation."),
        ("deposit", "zh", "今天一年期挂牌1.4%。您哪天来存，就按哪天网点挂出来的利率算。"),
        ("deposit", "zh", "結構性存款嘅收益係浮動嘅，要睇掛鈎標的表現。结构性存款不同于一般性存款，具有投资风险，可能只获得最低收益。"),
        ("loan", "zh", "目前参考年利率3.5%左右，实际年化利率以审批结果为准。借多少得看您能还多少，别借超了。"),
        ("loan", "en", "Mortgages are priced at around 3.2% now; the actual APR is only fixed once the loan is approved, "
                       "so please only take on a repayment you're comfortable with."),
        ("credit_card", "en", "Over 6 months it's about 0.6% a month in fees, and what's in your agreement is what "
                              "you'll actually be charged."),
    ],
)
def test_compliant_replies_of_packs_2_19(line, lang, text):
    passes(line, lang, text)


def test_cantonese_words_are_read_as_mandarin_words_of_the_same_length():
    from tridesk.finance.compliance.text import normalise_reply

    for cantonese, mandarin in [("你基本上唔使担心", "你基本上不用担心"), ("而家嘅利率", "现在的利率"),
                                ("今日唔签听日就冇", "今天不签明天就没"), ("唔会攞少过本金", "不会拿少于本金"),
                                ("呢个礼拜", "这个礼拜"), ("本金係唔會少嘅", "本金是不会少的"),
                                ("收益系浮动嘅，关系系统都正常", "收益是浮动的,关系系统都正常"),
                                ("你呢？系统正常", "你呢?系统正常"), ("关系不大", "关系不大")]:
        folded = normalise_reply(cantonese)
        assert folded == mandarin and len(folded) == len(cantonese)
