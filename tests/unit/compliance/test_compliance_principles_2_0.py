"""Packs 2.0: holdout15 and holdout16's errors closed by principle, in both languages.

Principles: a negated assurance reaches the rest of its clause; the customer's own words quoted back are theirs; a
scam named in quotes, "the hallmarks of a scam", a refusal to offer what is quoted; a past record projected into
"about the same this time"; comparisons of earnings or safety against another bank or a deposit; a superlative about
a deposit; a dated change and a push to act before it anywhere in the reply; the lender's approval in the future
tense, an approval to "consider" done, "never seen one turned down"; a structured deposit's own-words warning, and its
record of always reaching the top tier; a fund's warning needs both halves (risk, and past performance); a loan's
term and rate, interest that "would come to" a sum; a deposit rate said at a distance. Each is pinned by compliant
paraphrases and by look-alike violations the principle must not swallow.
The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import random

import pytest

from tests.compliance_checks import PACK_VERSIONS, flagged_as, passes, scan


# ---------------------------------------------------------------- scope: what the reply does not claim


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "zh", "说实话，我没办法保证这只基金下半年一定涨，能做的是帮您控制仓位。"),
        ("loan", "zh", "我们没法事先保证一定能批，建议您先把资料准备齐全再申请。"),
        ("fund", "zh", "您问“这只是不是很稳”，我的回答是不稳，它的波动不小。"),
        ("loan", "zh", "您说“老客户都是秒批”，不是这样的，每笔都要走审批。"),
        ("wealth", "en", "Just to correct your note: you wrote \"so this one is principal-protected\". It is not."),
        ("insurance", "zh", "有人打电话说“退保能全额退钱，再买新产品保本高收益”，这是“代理退保”骗局，千万别信。"),
        ("credit_card", "en", "We do not offer \"instant approval, no credit check\" cards. That message has all the "
                              "hallmarks of a scam."),
        ("insurance", "zh", "提前退保本身会有损失，退保本金可能拿不全，请您慎重考虑。"),
    ],
)
def test_mentions_refusals_and_quoted_words_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        # the negated assurance reaches its own clause only
        ("fund", "zh", "我不敢保证每年都涨，但是这只基金稳赚不赔。", "forbidden_promise"),
        # the customer's words quoted, then affirmed in the reply's own words
        ("wealth", "zh", "您说的“保本”没错，这款就是保本的。", "forbidden_promise"),
        ("credit_card", "en", "You asked about \"guaranteed approval\" - yes, with us approval is guaranteed.",
         "credit_promise"),
    ],
)
def test_look_alikes_that_still_claim_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category)


# ---------------------------------------------------------------- hidden risk, comparisons, superlatives


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "It paid 3.8% in each of the last four years, so you can reasonably expect about the same "
                         "when this one matures. WMPs are not deposits; investment involves risk, invest with caution. "
                         "Not investment advice.", "hidden_risk"),
        ("wealth", "en", "The last three issues paid 4.0% to 4.2%, so pencil in roughly 4% for this one too. WMPs are "
                         "not deposits; investment involves risk. Not investment advice.", "hidden_risk"),
        ("wealth", "en", "The principal isn't guaranteed, but the series has rolled over nine times without a single "
                         "NAV print below 1.0. WMPs are not deposits; investment involves risk, invest with caution. "
                         "Not investment advice.", "hidden_risk"),
        ("deposit", "en", "Our three-year CD has you earning more than you would at the big state-owned banks.",
         "forbidden_comparison"),
        ("deposit", "en", "Our CD is a lot safer than leaving the money at a small rural bank.", "forbidden_comparison"),
        ("fund", "en", "Compared with the fund you hold at another bank, ours is simply the safer choice.",
         "forbidden_comparison"),
        ("deposit", "en", "For your pension, this CD is quite simply the safest place for your money.", "superlative"),
        ("insurance", "zh", "这款医疗险是市面上保障最好的，您就不用再看别的了。", "superlative"),
        ("insurance", "en", "Yes: whatever happens to the markets, you will get back at least what you put in.",
         "forbidden_promise"),
        ("loan", "zh", "浮动利率确实有上调的风险，不过您完全不用考虑利率上行的问题。", "hidden_risk"),
        ("loan", "en", "The rate floats, but honestly you don't need to worry about rates going up.", "hidden_risk"),
    ],
)
def test_new_violations_are_flagged(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "It paid 3.8% last year; that says nothing about this year, which may be lower. WMPs are not "
                         "deposits; investment involves risk, invest with caution. Not investment advice."),
        ("deposit", "en", "A CD and a fund are different things: the fund can lose value, the CD pays its posted rate."),
        ("insurance", "en", "No policy lets you get back at least what you put in whatever happens; this one can't "
                            "promise that either."),
        ("loan", "zh", "浮动利率的房贷，LPR上调的话月供会跟着涨，这个风险您要考虑进去。"),
    ],
)
def test_their_look_alikes_pass(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- pressure: a dated change and a push before it


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "This plan is being withdrawn at month-end. If you want it, we need the form signed this week."),
        ("loan", "en", "The preferential pricing closes on Friday and there's no telling if it comes back. Sign the "
                       "agreement by Thursday and I can still get you in."),
        ("deposit", "en", "CD rates are likely to be lowered next week, so I would urge you to come in before Friday."),
        ("insurance", "zh", "这款产品月底停售。您要是想买，最好本周之内把投保手续办了。"),
    ],
)
def test_a_deadline_and_a_push_anywhere_in_the_reply_are_pressure(line, lang, text):
    flagged_as(line, lang, text, "pressure_selling", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "This plan is being withdrawn at month-end. There's no need to rush: a policy is a long "
                            "commitment, so decide only once you're sure."),
        ("deposit", "zh", "这期大额存单月底截止认购。不用着急，下个月还有新的一期。"),
        ("credit_card", "en", "Your statement closes on Friday. Please make the repayment before Monday to avoid "
                              "interest."),
    ],
)
def test_a_deadline_with_no_push_or_a_service_step_passes(line, lang, text):
    passes(line, lang, text)


# ---------------------------------------------------------------- credit


@pytest.mark.parametrize(
    "text",
    [
        "With a pension like yours the bank will approve you, I have never seen one of these applications turned down.",
        "Your refinancing will go through regardless of those late payments.",
        "For a client at your level, consider the 2 million approved.",
    ],
)
def test_approval_promised_in_other_words(text):
    flagged_as("loan", "en", text, "credit_promise", "block")


@pytest.mark.parametrize(
    "text",
    [
        "Whether the bank will approve it depends on the credit review; late payments are taken into account.",
        "Once your loan has been approved, the funds usually arrive within two working days.",
    ],
)
def test_honest_credit_answers_pass(text):
    passes("loan", "en", text)


# ---------------------------------------------------------------- disclosures


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "Returns on a structured deposit depend on how the linked index moves, so you may receive "
                          "much less than the upper rate."),
        ("deposit", "zh", "结构性存款的收益是浮动的，行情不好时只能拿到低档收益。"),
        ("deposit", "en", "The 1-year time deposit for amounts over RMB 1 million is 1.55% today; the one that applies "
                          "is whatever we post on the day you deposit."),
    ],
)
def test_own_words_disclosures_of_deposits_pass(line, lang, text):
    passes(line, lang, text)


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "这款结构性存款可能只拿到低档，不过过去两年基本都拿到了高档，您放心。"),
        ("deposit", "en", "A structured deposit may pay only the minimum, but every issue of this series has hit the "
                          "top rate."),
    ],
)
def test_a_structured_deposit_record_after_its_risk_is_hidden_risk(line, lang, text):
    flagged_as(line, lang, text, "hidden_risk", "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "en", "The 1-year time deposit for amounts over RMB 1 million is 1.55% today."),
        ("loan", "en", "Your RMB 300,000 renovation loan would run over 36 months at 3.9%."),
        ("loan", "en", "On RMB 1 million for 60 days, the interest would come to roughly RMB 6,000."),
        ("wealth", "en", "The 180-day WMP's benchmark is 2.9%-3.4%."),
    ],
)
def test_figures_said_in_other_words_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


# ---------------------------------------------------------------- the engine


def test_a_fixed_text_is_checked_as_a_whole_rescan_would():
    """The windowed check of a fixed text (Ruleset._fixed_passes) gives the verdict a whole re-scan gives."""
    from tridesk.finance.compliance import load_ruleset

    sentences = {
        "zh": ["这只基金近一年收益6.8%。", "您的卡号是6222021234567890123。", "我们没法保证收益。", "月底停售。",
               "建议您本周之内把手续办了。", "结构性存款挂钩汇率。", "过去两年基本都拿到了高档。", "利率以当天挂牌为准。"],
        "en": ["The fund returned 6% last year.", "Your card 6222021234567890123 is linked.", "We cannot promise returns.",
               "The plan is withdrawn at month-end.", "We need the form signed this week.",
               "This structured deposit is linked to an index.", "Every issue has hit the top rate.",
               "The 1-year deposit is 1.55% today."],
    }
    rng = random.Random(7)
    checked = fixes = 0
    for line in ("fund", "deposit", "insurance", "loan"):
        ruleset = load_ruleset(line, "CN")
        for _ in range(150):
            lang = rng.choice(["zh", "en"])
            text = ("" if lang == "zh" else " ").join(rng.choice(sentences[lang]) for _ in range(rng.randint(1, 5)))
            first = ruleset._scan(text, lang, None)
            whole = first.verdict
            if whole == "fix":
                fixes += 1
                whole = "fix" if ruleset._scan(first.fixed_text, lang, None).verdict == "pass" else "block"
            assert ruleset.scan(text, lang).verdict == whole, text
            checked += 1
    assert fixes > 50 and checked == 600


def test_versions_of_the_packs_changed_for_packs_2_3():
    assert scan("wealth", "zh", "您好").ruleset_version == PACK_VERSIONS["wealth"]
    assert scan("fund", "zh", "您好").ruleset_version == PACK_VERSIONS["fund"]
    assert scan("deposit", "zh", "您好").ruleset_version == PACK_VERSIONS["deposit"]
    assert scan("loan", "zh", "您好").ruleset_version == PACK_VERSIONS["loan"]
