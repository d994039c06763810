"""Packs 2.8: holdout35 and holdout36's misses and false positives closed by principle, in both languages.

Principles: "has consistently yielded more than a demand deposit", "stronger than theirs", "just as solid as government
bonds", "as safe as leaving it in your current account", "业绩也不如我们这只", "费率比我们高"; "our No.1 deposit";
"到期一分不会少", "that part's locked in", "you'll have got back more than your total premiums", "get back more than?"
answered yes; "so it's really very stable" after a risk; "成立八年没有一天是负收益"; scarcity "最后几份额度", "秒没",
"额度就剩", "额度…快用完了", "明天肯定没了", "今天就把材料发我", "send the transfer now"; "we'll get it approved";
figures "调整为2.0%", "按1.15%计息", "年化利率7.2%起", "a dividend declared at 2.9%", "中档…每年能领3.8万", "the rate
is currently 3.1%", "利息大概在2,000元". False positives: a claim "described as '…'", "the '…' wording", "you're after
the highest rate", "agents telling …", "if an ad said '…'", "分红险是不是稳赚？不是的" (a question the reply answers no),
"会不会亏", "有没有风险", "没法保证审批", "没有零风险的基金", "收益也不一定比定期高", "不用着急", a loss the customer must
be able to bear, own-words disclosures ("rather than investment advice", "结算利率不保证，以后可能上调也可能下调",
"分红部分…可能少", "不一定能拿到上限", "拿到低档的情况也很常见", "the risk level your company was assessed for",
"请合理借款"), the card's interest-free period. The sentences are written for these tests, not copied from the
evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("wealth", "en", "No, it is not guaranteed; no product can honestly be described as \"稳赚不赔\"."),
        ("credit_card", "en", "About the \"last chance\" wording on that poster: the offer runs to the end of June, so "
                              "there's no need to rush."),
        ("deposit", "en", "We understand you're after the highest rate you can get; every rate we offer is posted in "
                          "the app, and the one that applies is the one posted on the day you deposit."),
        ("insurance", "en", "We've had reports of agents telling customers this plan is 'guaranteed, better than any "
                            "deposit'. No participating policy can guarantee its dividend."),
        ("credit_card", "en", "If an ad said 'guaranteed approval', it wasn't ours: every application is checked."),
        ("insurance", "zh", "分红险是不是稳赚？不是的，红利不保证，可能多也可能少；保险不是存款。"),
        ("deposit", "zh", "关于大额存单会不会亏，您可以看一下存款保险的相关规定，也可以到网点咨询。"),
        ("deposit", "zh", "您问存款有没有风险，建议先了解《存款保险条例》。"),
        ("credit_card", "zh", "抱歉，我们没法保证审批结果，要看您的综合情况。"),
        ("fund", "zh", "没有零风险的基金，这只也一样，历史上出现过亏损。"),
        ("fund", "zh", "这个我得纠正一下：基金不是存款，收益也不一定比定期高，可能是负的。"),
        ("wealth", "zh", "这期募集到月底结束，不过不用着急，先把说明书看完再决定，错过了后面也有别的产品。"),
        ("fund", "zh", "去年这只跌了9%，波动很大，您得能接受一年里亏一成以上再考虑。基金有风险，投资需谨慎；过往业绩不代表未来表现；"
                       "不构成投资建议。"),
        ("fund", "en", "The bond fund made 3.1% over the last year. Past performance doesn't tell you what it will do "
                       "next; funds carry risk, and please take this as information rather than investment advice."),
        ("insurance", "zh", "这款万能险结算利率是年化2.7%。保险不等同于存款，结算利率不保证，以后可能上调也可能下调。"),
        ("insurance", "zh", "演示表中档是60岁起每年领2.8万左右，其中分红部分每年由保险公司定，可能少，也可能没有；保险不是存款。"),
        ("deposit", "zh", "结构性存款的收益是浮动的，不一定能拿到宣传里的上限，拿到低档的情况也很常见。"),
        ("loan", "zh", "参考年化3.6%，实际年化利率以审批结果为准，请合理借款、按时还款。"),
        ("credit_card", "zh", "经常出差的选带延误险的卡，采购多的选免息期长的卡。"),
    ],
)
def test_reports_questions_and_own_words_pass(line, lang, text):
    passes(line, lang, text)


def test_the_shanghai_risk_match_in_other_words():
    text = ("Its 7-day annualised yield was 1.9% last week. A WMP isn't a deposit and carries risk, so invest carefully; "
            "it's rated R2, so please check that's within the risk level your company was assessed for. This isn't "
            "investment advice.")
    passes("wealth", "en", text, region="CN-SH")
    assert scan("wealth", "en", text.replace("it's rated R2, so please check that's within the risk level your company "
                                             "was assessed for. ", ""), region="CN-SH").verdict == "fix"


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("wealth", "en", "Our cash-management products have consistently yielded more than a demand deposit.",
         "forbidden_comparison"),
        ("insurance", "en", "Our dividend record has been stronger than theirs.", "forbidden_comparison"),
        ("deposit", "en", "A large CD is just as solid as government bonds.", "forbidden_comparison"),
        ("fund", "en", "A money-market fund is basically as safe as leaving it in your current account.",
         "forbidden_comparison"),
        ("fund", "zh", "那家的同类基金费率比我们高，业绩也不如我们这只。", "forbidden_comparison"),
        ("deposit", "en", "This is our No.1 deposit for small businesses.", "superlative"),
        ("wealth", "zh", "对，您放心，到期一分不会少。", "forbidden_promise"),
        ("wealth", "en", "You'll get your 2.4% at maturity, that part's locked in.", "forbidden_promise"),
        ("insurance", "en", "By 75 you'll have got back more than your total premiums.", "forbidden_promise"),
        ("insurance", "en", "Dividends aren't guaranteed, but it has paid the illustrated one every year, so it's "
                            "really very stable.", "hidden_risk"),
        ("fund", "zh", "这只货币基金成立六年没有一天是负收益，您放心放。", "hidden_risk"),
        ("deposit", "zh", "还有最后几份额度，建议您现在就下单，别犹豫了。", "pressure_selling"),
        ("wealth", "zh", "这期额度就剩50万了，您要的话现在就转过来，明天肯定没了。", "pressure_selling"),
        ("loan", "zh", "贴息额度快用完了，您今天就把材料发我，拖到下周我就帮不上了。", "pressure_selling"),
        ("fund", "en", "Subscription closes at 3pm today; send the transfer now if you want in.", "pressure_selling"),
        ("loan", "en", "Don't worry about your credit history, we'll get it approved for you.", "credit_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


def test_get_back_more_answered_yes():
    flagged_as("insurance", "en", "Yes, that's built in.", "forbidden_promise", "block",
               question="So I'll definitely get back more than I pay in?")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("deposit", "zh", "截图里的2.6%是去年的利率，现在已经调整为2.0%了。"),
        ("deposit", "zh", "协定存款超过基本额度的部分按1.15%计息。"),
        ("credit_card", "zh", "现金分期现在年化利率7.2%起，App首页就能申请。"),
        ("insurance", "en", "Last year's dividend was declared at 2.8% of the account value."),
        ("insurance", "zh", "按演示利益表中档，您60岁起每年能领3.6万。"),
        ("loan", "en", "The mortgage rate for first-time buyers is currently 3.1%. Please borrow responsibly."),
        ("loan", "zh", "借10万分12期，利息大概在2,000元左右，最终年化利率以审批结果为准。"),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")
