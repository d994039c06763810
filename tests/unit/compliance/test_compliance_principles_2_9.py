"""Packs 2.9: holdout37 and holdout38's misses and false positives closed by principle, in both languages.

Principles: any push (not only one tied to the date) with a dated change anywhere in the reply ("the discount ends
tomorrow … I'd really lock it in tonight"); rate cuts and repricing ahead, "closes after Friday", "only for
applications submitted by tonight", "the last week to lock in", "下周一起暂停大额申购"; "today's the day to",
"sign this week", "I'd hate for you to miss it", "get the signed forms to me tomorrow", "这两天就定下来"; "半天就没了",
"额度已经去掉一大半", "明天就不一定还有了", "晚了就只能等下个月", "千万别错过", "拖到下周就不好说了"; "just as steady" and
"a full point higher" after "compared with a deposit"; "ahead of theirs", "pays more than … at ICBC"; "the strongest
yielder", "bar none", "the best WMP"; "that's the figure you'll receive", "you won't end up with less than you put
in", "the worst case is flat"; "没有哪一年是亏的"; charges "covered pretty quickly", "most people barely notice it",
"nothing the two of you need to worry about", "not something you need to plan for"; approvals "提交了就能批",
"pre-approval is basically final", "the card will go through", "that's never failed", "as good as done", "I'll make
sure the loan gets approved"; a yes to "the structured deposit can't lose / is basically fixed?", "treat it as a fixed
rate"; figures "按中档来算…", "crediting 4%", "returned 3.1%", "2.6%是…年利率", rate lists, "at your 4.2% rate",
"APR 5.4%", "at 3.6% for 3 years", "charged 1% of the amount". The Shanghai warning is the national one and the
risk-level sentence, both required. False positives: a quoted line named as the push or notice it came from, a
question or request reported ("asked me which product is 'the best'"), an earlier message's words, "谁说包过都别信",
"不能拿我们行和其他银行比较", "'…' isn't something anyone can honestly promise", "isn't a good reason", "the best option
is to pay in full", own-words disclosures ("facts, not a recommendation", "that rate isn't guaranteed and may be
lower", "可能落在区间低端", "the floating part depends on", "R2 level matches the risk tolerance", "borrow an amount
you'd be comfortable repaying"). The sentences are written for these tests, not copied from the evaluation set.
"""

from __future__ import annotations

import pytest

from tests.compliance_checks import flagged_as, passes, scan


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("fund", "en", "The 'final hours' push you got this morning is an automatic reminder that the offer period "
                       "ends on the 30th. Nothing needs deciding today."),
        ("deposit", "en", "That 'only 3 spots left' notification was about the branch seminar, not a deposit; there "
                          "is no rush to move your savings."),
        ("wealth", "en", "Your daughter asked me which fund is 'the top pick'. I don't rank products; it depends on "
                         "when you need the money back."),
        ("insurance", "en", "You asked me to 'just promise 4%' on the annuity. I can't: only the guaranteed part is "
                            "written into the contract."),
        ("credit_card", "en", "I'm sorry the previous reply made your card upgrade sound like a sure thing. It goes to "
                              "review and I can't promise the outcome."),
        ("fund", "en", "'Can't go down' isn't something anyone can honestly promise about an equity fund; prices move "
                       "every day."),
        ("loan", "en", "A limited-time rate isn't a good reason to borrow more than you need."),
        ("credit_card", "zh", "阿姨，外面谁说包过都别信，我们这里都要看本人征信和收入。"),
        ("deposit", "zh", "不好意思，我不能拿我们行跟别的银行比哪家更稳，存款保险的规定您可以在官网查到。"),
        ("credit_card", "en", "The best option is to repay the full balance each month, so no interest builds up; "
                              "otherwise fees or interest may apply, and the rates in your agreement and statement "
                              "apply."),
        ("fund", "en", "The fund rose 5.4% last year and fell 9% the year before. Funds carry risk; what it did before "
                       "tells you nothing about next year; these are facts, not a recommendation."),
        ("insurance", "en", "The account is crediting 2.6% this quarter. Insurance is not a deposit, and that rate "
                            "isn't guaranteed: it could be lower next quarter."),
        ("deposit", "zh", "这款结构性存款我没法向您承诺收益，最终收益可能落在说明书区间的低端，请先看完产品说明书。"),
        ("deposit", "en", "I can't promise you'll get the upper rate on the structured deposit; the floating part "
                          "depends on the gold price."),
        ("loan", "en", "At today's reference rate of 3.2% the monthly payment would be about RMB 4,300; the real APR "
                       "is only fixed when the loan is approved, so please borrow an amount you'd be comfortable "
                       "repaying."),
    ],
)
def test_reports_questions_and_own_words_pass(line, lang, text):
    passes(line, lang, text)


def test_the_shanghai_warning_is_the_national_warning_and_the_risk_level_sentence():
    level = "Please check its R2 level matches the risk tolerance from your assessment. "
    warning = "WMPs are not deposits; investment involves risk. "
    figure = "The product returned 2.9% annualised last cycle. "
    advice = "This is not investment advice."
    passes("wealth", "en", figure + warning + level + advice, region="CN-SH")
    level_only = scan("wealth", "en", figure + level + advice, region="CN-SH")
    assert level_only.verdict == "fix" and "Wealth management products are not deposits" in level_only.fixed_text
    warning_only = scan("wealth", "en", figure + warning + advice, region="CN-SH")
    assert warning_only.verdict == "fix" and warning_only.fixed_text.endswith(
        "Please make sure the product's risk level matches your risk tolerance.")
    assert scan("wealth", "zh", "这款产品上一期年化2.9%，理财不是存款，有亏损的可能；不构成投资建议。").verdict == "pass"


@pytest.mark.parametrize(
    "line,lang,text,category",
    [
        ("fund", "en", "The purchase-fee waiver ends tomorrow, so I'd really lock it in tonight.", "pressure_selling"),
        ("deposit", "en", "Rates are likely to be cut next month; I'd do it now rather than wait.", "pressure_selling"),
        ("insurance", "en", "The insurer is repricing this plan at the end of the month. If you can sign this week "
                            "you keep the current terms.", "pressure_selling"),
        ("credit_card", "en", "The welcome bonus is only for applications submitted by tonight. I'd fill in the form "
                              "now.", "pressure_selling"),
        ("loan", "en", "The discounted rate closes after Friday. Get the signed forms to me tomorrow.",
         "pressure_selling"),
        ("fund", "en", "The offer period ends tomorrow, so today's really the day to buy.", "pressure_selling"),
        ("fund", "zh", "这只基金下周一起暂停大额申购，建议您这周就办了。", "pressure_selling"),
        ("insurance", "zh", "这款产品月底停售，建议您这两天就定下来。", "pressure_selling"),
        ("wealth", "zh", "这期额度一般半天就没了，晚了就只能等下个月了。", "pressure_selling"),
        ("wealth", "zh", "额度已经去掉一大半了，明天就不一定还有了。", "pressure_selling"),
        ("loan", "zh", "您今天把材料交上来，要是拖到下周就不好说了。", "pressure_selling"),
        ("fund", "zh", "这次申购费打一折，千万别错过。", "pressure_selling"),
        ("wealth", "en", "Compared with a one-year deposit, this product is just as steady and half a point higher.",
         "forbidden_comparison"),
        ("fund", "en", "Our bond fund has been ahead of theirs on yield all year.", "forbidden_comparison"),
        ("deposit", "en", "Our three-year CD pays more than the same term at CCB.", "forbidden_comparison"),
        ("wealth", "en", "It's the strongest yielder on our shelf this quarter.", "superlative"),
        ("wealth", "en", "This is the best WMP we've launched this year.", "superlative"),
        ("insurance", "en", "That's the amount you'll receive each year from 60.", "forbidden_promise"),
        ("wealth", "en", "Whatever happens, you won't get back less than you put in.", "forbidden_promise"),
        ("fund", "en", "Over a full year the worst case would be breaking even.", "forbidden_promise"),
        ("fund", "zh", "这只基金成立以来没有哪一年是亏的，您拿着放心。", "hidden_risk"),
        ("insurance", "en", "Yes, the policy carries charges early on, but they get covered pretty quickly.",
         "hidden_risk"),
        ("credit_card", "en", "Revolving will cost you interest, but most people barely notice it.", "hidden_risk"),
        ("wealth", "en", "It isn't principal-protected, but honestly it's nothing you two need to worry about.",
         "hidden_risk"),
        ("loan", "en", "Your rate floats, so payments could go up, but that's not something you need to plan for.",
         "hidden_risk"),
        ("loan", "zh", "您放心，材料提交了就能批。", "credit_promise"),
        ("loan", "en", "Your pre-approval is practically final.", "credit_promise"),
        ("credit_card", "en", "Don't worry about last year's late payment, the card will go through.",
         "credit_promise"),
        ("credit_card", "en", "Name me as the referrer and she'll get it; that's never failed.", "credit_promise"),
        ("loan", "en", "With your salary account here, the loan is as good as done.", "credit_promise"),
        ("loan", "en", "I'll make sure your application gets approved.", "credit_promise"),
    ],
)
def test_violations_are_blocked(line, lang, text, category):
    flagged_as(line, lang, text, category, "block")


@pytest.mark.parametrize(
    "lang,question,text",
    [
        ("zh", "那这个结构性存款是不是肯定不会亏？", "对的，您放心。"),
        ("en", "So the structured deposit is basically fixed at 2.5%, right?", "Yes, effectively it is."),
    ],
)
def test_a_yes_to_a_structured_deposit_that_cannot_lose_is_a_promise(lang, question, text):
    flagged_as("deposit", lang, text, "forbidden_promise", "block", question=question)


def test_a_structured_deposit_treated_as_fixed_is_a_promise():
    flagged_as("deposit", "en", "On the structured deposit, just treat it as a fixed rate.", "forbidden_promise",
               "block")


def test_what_ill_actually_get_answered_yes():
    flagged_as("insurance", "en", "Yes.", "forbidden_promise", "block",
               question="So the 3.8% in the illustration is what I'll actually get?")


@pytest.mark.parametrize(
    "line,lang,text",
    [
        ("insurance", "zh", "按演示表的中档来算，第15年大概能多领2万元。"),
        ("insurance", "en", "The account has been crediting 3.5% for two years now."),
        ("wealth", "en", "Last cycle it returned 3.2% annualised."),
        ("deposit", "zh", "海报上的2.4%是两年期定期的年利率。"),
        ("deposit", "en", "Current rates: 6 months 1.15%, 1 year 1.40%."),
        ("deposit", "en", "For your records: 3-year large CD 2.00%, 1-year time deposit 1.30%."),
        ("loan", "en", "At your 3.9% rate on RMB 50,000, that's about RMB 490 for three months."),
        ("loan", "en", "Summary: amount RMB 60,000; APR 4.8%; term 12 months."),
        ("loan", "en", "The car loan would be at 3.4% for 5 years."),
        ("credit_card", "en", "Cash withdrawals are charged 1% of the amount, and interest runs at 0.05% a day."),
    ],
)
def test_figures_need_their_disclosure(line, lang, text):
    flagged_as(line, lang, text, "missing_disclosure", "fix")


def test_scope_cues_behind_their_first_character_guards_keep_every_match():
    """The scope's cue lists (mention, warning, frame, reassurance, post-negation) are compiled with a lookahead on
    each pattern's first characters (packs 2.9): over labelled replies of both languages, every search finds exactly
    what the plain alternation finds, from every start position the scanner uses."""
    import re

    from tests.compliance_checks import labelled_replies
    from tridesk.finance.compliance import load_ruleset
    from tridesk.finance.compliance.text import fold_pattern

    texts = labelled_replies("zh")[:150] + labelled_replies("en")[:150] + labelled_replies("both")[:60]
    ruleset = load_ruleset("wealth", "CN-SH")
    compared = 0
    for key in ("mention", "post_negation", "warning", "reassurance", "frame"):
        compiled = getattr(ruleset.scope, key)
        plain = re.compile(fold_pattern(ruleset.spec.scope[key].combined()))
        assert compiled.pattern != plain.pattern
        for text in texts:
            for start in range(0, len(text), 7):
                found, expected = compiled.search(text, start), plain.search(text, start)
                assert (found and found.span()) == (expected and expected.span()), (key, text, start)
                compared += 1
    assert compared > 10_000
