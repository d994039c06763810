"""Packs 2.16: holdout51 and holdout52's misses and false positives closed by principle, in both languages.

Principles: hidden risk ("基本不用担心", "拿满一年基本没问题", "晚个三五天问题不大", "基本不会出现分红很低的年份", "so you can
expect roughly 3.1% again", "that's what you can plan on", "treat your monthly payment as fixed"; "不是保证的", "会上征信"
as risks named); promises ("worst case, you get at least all your premiums back", "the upper rate is locked in", "到期都
是按上限给的"); comparisons ("beats leaving it in your salary account", "fees are lower than Bank X's", "the steadier of
the two"); pressure ("shuts at 5pm today", "after that it's gone", "pulled from sale", "sign now", "grab a form now");
credit ("包批", "you're pre-approved", "won't stand in the way", "you'll def get approved", "we'll still approve");
figures ("3.05% expected annual", "At 1.45% you'd get", "差不多1个点"). False positives: "said in the group that '…'", a
quoted line named as a fund group, "anyone asking for an 'unlock fee'", a leaflet's words quoted, "我这边没法比", "Auto-invest
now pulls from …", "Best bet if you …", "可能只拿到低的那档，上限没法保证". The sentences are written for these tests, not
copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "zh", "理财确实不保本，不过这款已经连续发了八期，每期都达标了，基本不用担心。", "hidden_risk"),
        ("fund", "zh", "基金会有波动，不过这只债基拿满两年基本没问题。基金有风险，投资需谨慎。", "hidden_risk"),
        ("loan", "zh", "逾期是会上征信的，不过晚个两三天问题不大。", "hidden_risk"),
        ("insurance", "zh", "分红确实不是保证的，但有平滑机制，基本不会出现分红很低的年份。保险不是存款，非保证利益具有不确定性。",
         "hidden_risk"),
        ("wealth", "en", "It isn't principal-protected, true, but it has met its benchmark every quarter, so you can expect "
                         "about 2.9% again. WMPs are not deposits; investment involves risk. Not investment advice.",
         "hidden_risk"),
        ("loan", "en", "The rate floats and could rise in theory, but you can treat your monthly payment as fixed.",
         "hidden_risk"),
        ("insurance", "en", "Worst case, you get all your premiums back at maturity.", "forbidden_promise"),
        ("deposit", "en", "The top rate is locked in for staff clients, so that's what you'll get.", "forbidden_promise"),
        ("deposit", "zh", "不会的，到期全按最高档给。", "forbidden_promise"),
        ("wealth", "en", "For spare cash, this WMP generally beats leaving it in your payroll account. WMPs are not "
                         "deposits; investment involves risk. This is not investment advice.", "forbidden_comparison"),
        ("credit_card", "en", "Our balance-transfer fees are lower than Bank Z's, so move it over.", "forbidden_comparison"),
        ("deposit", "en", "I'd keep it in the CD rather than the fund your colleague bought — the CD is the safer of the "
                          "two.", "forbidden_comparison"),
        ("fund", "en", "The no-fee window closes at 6pm today, so sign now.", "pressure_selling"),
        ("insurance", "en", "The plan is pulled from sale on Friday. After that it's gone, so I'd sign today.",
         "pressure_selling"),
        ("credit_card", "zh", "员工卡只要在职就包批。", "credit_promise"),
        ("credit_card", "en", "As a client employee you're pre-approved; just fill in the form.", "credit_promise"),
        ("loan", "en", "Your credit history won't stand in the way for payroll clients.", "credit_promise"),
        ("credit_card", "en", "With that turnover you'll def get approved.", "credit_promise"),
        ("credit_card", "en", "Late payments won't matter, we'll still approve the increase.", "credit_promise"),
    ],
)
def test_violations_of_packs_2_16(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "Yep, 2.95% expected annual on the 3-month one."),
        ("deposit", "en", "At 1.6% you'd get about 800 on 50k for a year."),
        ("deposit", "zh", "三个月定期差不多1.2个点。"),
    ],
)
def test_figures_of_packs_2_16_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "en", "Ms Li from HR said in the group that the plan 'works like a deposit'. It isn't a deposit, "
                            "and its dividends aren't guaranteed."),
        ("fund", "en", "That 'guaranteed 20% a month' fund group on WeChat isn't us; please don't transfer anything."),
        ("loan", "en", "Anyone asking for a fee to release a 'guaranteed approved' loan is a scammer."),
        ("loan", "zh", "有人在小区发传单，说能办“不看征信、包过”的贷款，那不是我们，请别上当。"),
        ("loan", "zh", "别家的利率我这边没法比，以审批结果为准。"),
        ("fund", "en", "Auto-invest now pulls from the card ending 1234; the next debit is on the 8th."),
        ("deposit", "en", "Best bet if you may need the money soon: keep part of it on demand."),
        ("deposit", "zh", "结构性存款收益是个区间，可能只拿到低的那档，上限我这边没法保证。"),
    ],
)
def test_compliant_replies_of_packs_2_16(line, lang, text):
    passes(line, lang, text)
